#!/usr/bin/env python3
"""Generate the test of the rule "NULL and dead objects" (dmabuf.h) from the
public headers themselves, so a function added later cannot skip the rule.

Usage: gen_null_rule_test.py CC INCLUDE_DIR OUTPUT.c

The headers are run through the C preprocessor (as a build of the host sees
them) with DMABUF_NULLABLE kept as a token; every function declared in
INCLUDE_DIR/dmabuf/*.h (except os.h, the OS port only the core calls) gets one
test per pointer parameter not marked DMABUF_NULLABLE, passing NULL there and
valid values everywhere else, and one test per object parameter (context,
fence pool, reservation table, frame queue) passing that object after its
deinit (descriptors, frames and peripherals, have no deinit: NULL only). Each test expects the refusal the rule names for the return type and
exactly one report (none for board.h lookups and static inline helpers, which
have no sink). Valid values come from the fixture (rule_fixture.h), chosen by
parameter type and name below: a parameter the tables cannot fill stops the
generation, naming it, so a new kind of parameter has to be thought about.
"""
import os
import re
import subprocess
import sys

EXEMPT_HEADERS = {"os.h"}  # the OS port: called by the core only, on its own objects

# Object kinds: (live value, dead value).
OBJECTS = {
    "struct dmabuf_ctx *": ("fx.ctx", "fx.dead_ctx"),
    "struct dmabuf_fence_pool *": ("fx.pool", "fx.dead_pool"),
    "struct dmabuf_resv_table *": ("fx.resv", "fx.dead_resv"),
    "struct dmabuf_queue *": ("fx.queue", "fx.dead_queue"),
}
# Caller-owned descriptors (frames, peripheral registries and peripherals)
# have no deinit, so no dead value: they are INPUTS, tested NULL only.

# Inputs the callee reads, by (type, name): they need valid contents.
INPUTS = {
    ("void *", "storage"): "fx.storage",
    ("struct dmabuf_config *", "config"): "&fx.config",
    ("dmabuf_handle_t *", "buffers"): "fx.queue_buffers",
    ("struct dmabuf_mapping *", "m"): "&fx.mapping",
    ("char *", "name"): "fx.device_name",
    ("char *", "text"): "fx.text",
    ("char *", "function"): "\"{function}\"",  # the reporting function's name: the one called
    ("char *", "fmt"): "\"rule: x\"",
    ("dmabuf_report_fn", "report"): "rule_report",
    ("dmabuf_fence_func_t", "func"): "rule_fence_func",
    ("dmabuf_wake_fn", "hook"): "rule_wake",
    ("dmabuf_fence_wait_hook_fn", "hook"): "rule_wait_hook",
    ("void *", "user"): "NULL",
    ("struct dmabuf_frame *", "frame"): "&fx.frame",
    ("struct dmabuf_frame *", "source"): "&fx.frame",
    ("struct dmabuf_frame *", "destination"): "&fx.frame",
    ("uint8_t *", "pixels"): "fx.pixels",
    ("uint8_t *", "out"): "fx.pixels",
    ("uint8_t *", "parameters"): "fx.pixels",
    ("struct dmabuf_mapping *", "mapping"): "&fx.mapping",
    ("struct dmabuf_peripheral_registry *", "registry"): "&fx.registry",
    ("struct dmabuf_peripheral *", "peripheral"): "&fx.display",
    ("struct dmabuf_peripheral *", "camera"): "&fx.camera",
    ("struct dmabuf_peripheral *", "display"): "&fx.display",
    ("struct dmabuf_peripheral *", "panel"): "&fx.panel",
    ("struct dmabuf_frame_format *", "format"): "&fx.frame_format",
    ("struct dmabuf_rect *", "window"): "&fx.window",
}

# Scalars, by name: values under which the call would succeed.
SCALARS = {
    "size": "64", "flags": "0", "device": "fx.device", "direction": "DMABUF_BIDIRECTIONAL",
    "offset": "0", "length": "16", "timeout_us": "0", "index": "0", "count": "RULE_QUEUE_FRAMES",
    "mode": "DMABUF_QUEUE_WHEN_EMPTY", "context": "fx.fence_context", "seqno": "1",
    "max_fences": "RULE_MAX_FENCES", "max_buffers": "RULE_MAX_BUFFERS", "on": "true",
    "write": "false", "error": "DMABUF_EIO", "implicit_timeout_us": "0", "timestamp_us": "0",
    "err": "0", "len": "sizeof(fx.text)", "storage_size": "fx.storage_size",
    "buffer": "fx.buffer", "attachment": "fx.attachment", "fence": "fx.fence",
    "x": "0", "y": "0", "width": "2", "height": "2", "rgb": "0x123456u", "alpha": "128", "dest_x": "2",
    "dest_y": "2", "scale": "1", "transparent_rgb": "0", "pixels_length": "sizeof(fx.pixels)",
    "out_length": "sizeof(fx.pixels)", "bytes": "16", "kind": "0", "id": "1", "stride": "RULE_FRAME_STRIDE", "done": "fx.fence",
    "command": "0x29",
}

# What a refusal returns, by return type (the rule of dmabuf.h); a pointer is
# NULL and a struct returned by value all zero (below).
REFUSAL = {"int": "r == DMABUF_EINVAL", "void": None, "uint32_t": "r == 0", "size_t": "r == 0"}


def fail(message):
    sys.exit("gen_null_rule_test.py: " + message)


def preprocess(cc, include_dir):
    headers = sorted(h for h in os.listdir(os.path.join(include_dir, "dmabuf"))
                     if h.endswith(".h") and h not in EXEMPT_HEADERS)
    source = "".join('#include "dmabuf/%s"\n' % h for h in headers)
    out = subprocess.run([cc, "-E", "-DDMABUF_NULLABLE=DMABUF_NULLABLE", "-I", include_dir, "-x", "c", "-"],
                         input=source, capture_output=True, text=True)
    if out.returncode:
        fail("preprocessing failed:\n" + out.stderr)
    return headers, out.stdout


def public_text(preprocessed):
    """(header, text) pieces that come from include/dmabuf/*.h, non-exempt."""
    pieces, current = [], None
    for line in preprocessed.splitlines():
        marker = re.match(r'#\s*\d+\s+"([^"]*)"', line)
        if marker:
            path = marker.group(1)
            inside = "/dmabuf/" in path.replace("\\", "/") and os.path.basename(path) not in EXEMPT_HEADERS
            current = os.path.basename(path) if inside else None
            continue
        if current:
            pieces.append((current, line))
    return pieces


def statements(pieces):
    """Top-level declarations and definitions, each with its header."""
    result, text, header, depth = [], "", None, 0
    for piece_header, line in pieces:
        for ch in line + " ":
            if not text.strip():
                header = piece_header
            text += ch
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                head = text.split("{", 1)[0].strip()
                if depth == 0 and head.endswith(")") and not head.startswith("typedef"):
                    result.append((header, text.strip()))  # a function definition (static inline)
                    text = ""
            elif ch == ";" and depth == 0:
                result.append((header, text.strip()))
                text = ""
    return result


def normal(type_text):
    type_text = re.sub(r"\b(const|DMABUF_NULLABLE|volatile)\b", " ", type_text)
    type_text = re.sub(r"\s+", " ", type_text).strip()
    return re.sub(r"\s*\*", " *", type_text).replace("* *", "**").strip()


def split_params(text):
    params, depth, current = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            params.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip() and current.strip() != "void":
        params.append(current.strip())
    return params


def functions(stmts):
    fn_pointer_types = set()
    found = []
    for header, stmt in stmts:
        pointer_typedef = re.match(r"typedef\s.*\(\s*\*\s*(\w+)\s*\)\s*\(", stmt, re.S)
        if pointer_typedef:
            fn_pointer_types.add(pointer_typedef.group(1))
            continue
        if stmt.startswith(("typedef", "extern")) or re.match(r"(struct|enum|union)\s+\w*\s*[{;]", stmt):
            continue  # a type, not a function (which may return a struct)
        m = re.match(r"(?P<ret>[^(]*?)\b(?P<name>dmabuf_\w+)\s*\((?P<params>.*?)\)\s*(?P<body>\{.*\})?\s*;?$", stmt, re.S)
        if not m:
            continue
        ret = m.group("ret")
        inline = "inline" in ret.split()
        ret = normal(re.sub(r"\b(static|inline|extern)\b", " ", ret))
        params = []
        for p in split_params(m.group("params")):
            if p == "...":
                continue  # variadic: the fixed parameters are what the rule covers
            array = re.search(r"\[([^\]]*)\]\s*$", p)
            p = re.sub(r"(\w+)\s*\[[^\]]*\]\s*$", r"*\1", p)  # an array parameter is a pointer
            pm = re.match(r"(.*?)(\w+)\s*$", p, re.S)
            if not pm:
                fail("cannot read parameter '%s' of %s" % (p, m.group("name")))
            params.append({"type": normal(pm.group(1)), "name": pm.group(2),
                           "const": bool(re.search(r"\bconst\b", pm.group(1))),
                           "nullable": "DMABUF_NULLABLE" in pm.group(1),
                           "array": array.group(1).strip() if array else None})
        found.append({"name": m.group("name"), "ret": ret, "params": params, "header": header,
                      "inline": inline})
    for f in found:
        for p in f["params"]:
            p["pointer"] = "*" in p["type"] or p["type"] in fn_pointer_types
    return found


def valid_value(function, param, locals_):
    t, name = param["type"], param["name"]
    if t in OBJECTS:
        return OBJECTS[t][0]
    if (t, name) in INPUTS:
        return INPUTS[(t, name)].replace("{function}", function)
    if param["pointer"]:
        if param["const"] or t == "void *" or "*" not in t:  # "*" not in t: a function pointer type
            fail("%s: no valid value for input '%s %s': add one to INPUTS" % (function, t, name))
        local = "l%d" % len(locals_)
        if param["array"]:  # an output of that many elements
            locals_.append("%s %s[%s];" % (t[:-1].strip(), local, param["array"]))
            return local
        locals_.append("%s %s;" % (t[:-1].strip(), local))  # an output: the callee writes it
        return "&" + local
    if name in SCALARS:
        return SCALARS[name]
    fail("%s: no valid value for parameter '%s %s': add one to SCALARS" % (function, t, name))


def cases(fns):
    out = []
    for f in fns:
        for i, p in enumerate(f["params"]):
            variants = []
            if p["pointer"] and not p["nullable"]:
                variants.append(("NULL", "NULL"))
            if p["type"] in OBJECTS:
                variants.append(("dead", OBJECTS[p["type"]][1]))
            for what, value in variants:
                out.append((f, i, what, value))
    return out


def emit(fns, all_cases, headers):
    lines = ["/* Generated by tests/native/rule/gen_null_rule_test.py from the public headers (%s):" % ", ".join(headers),
             " * do not edit. One test per pointer parameter (NULL) and per object parameter",
             " * (dead), for the rule \"NULL and dead objects\" of dmabuf.h. */",
             '#include "rule_fixture.h"'] + ['#include "dmabuf/%s"' % h for h in headers] + [""]
    names = []
    for n, (f, index, what, value) in enumerate(all_cases):
        locals_ = []
        args = [value if i == index else valid_value(f["name"], p, locals_) for i, p in enumerate(f["params"])]
        by_value = f["ret"].startswith("struct ") and not f["ret"].endswith("*")
        if f["ret"] not in REFUSAL and not f["ret"].endswith("*") and not by_value:
            fail("%s: no refusal defined for return type '%s'" % (f["name"], f["ret"]))
        check = "rule_all_zero(&r, sizeof(r))" if by_value else REFUSAL.get(f["ret"], "r == NULL")
        reports = 0 if f["inline"] or f["header"] == "board.h" else 1
        test = "%s_%s_%s" % (f["name"], f["params"][index]["name"], what.lower())
        names.append(test)
        lines.append("static void %s(void)" % test)
        lines.append("{")
        lines += ["\t" + l for l in locals_]
        lines.append("\trule_open();")
        call = "%s(%s)" % (f["name"], ", ".join(args))
        if check:
            result_type = "const void *" if f["ret"].endswith("*") else f["ret"]
            if by_value:
                result_type = "const " + f["ret"]
            lines.append("\t%s r = %s;" % (result_type, call))
            lines.append("\tbool refused = %s;" % check)
        else:
            lines.append("\t%s;" % call)
            lines.append("\tbool refused = true;")
        lines.append('\trule_close("%s", "%s", "%s", refused, %d);' % (f["name"], f["params"][index]["name"],
                                                                      what, reports))
        lines.append("}")
        lines.append("")
    lines.append("const struct unit_suite suite_null_rule = UNIT_SUITE(null_rule,")
    lines.append(",\n".join("\tUNIT_TEST(%s)" % n for n in names) + ");")
    lines.append("const unsigned null_rule_functions = %du;" % len(fns))
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 4:
        fail("usage: gen_null_rule_test.py CC INCLUDE_DIR OUTPUT.c")
    cc, include_dir, output = sys.argv[1:]
    headers, text = preprocess(cc, include_dir)
    fns = functions(statements(public_text(text)))
    if not fns:
        fail("no function found in the headers")
    with open(output, "w") as f:
        f.write(emit(fns, cases(fns), headers))


main()
