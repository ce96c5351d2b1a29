#!/usr/bin/env bash
# Which failure points of the core do the tests reach? Builds the host tests
# with gcc --coverage (build/failure-points), runs the fault-injection suites,
# then the fuzz corpus replay, then every other suite, and after each step
# lists the error sites of native-interop/core not executed yet. An error
# site is a line that reports or returns a negative dmabuf_error
# (DMABUF_FAIL(...), return DMABUF_E..., x = DMABUF_E...); dmabuf_check's
# own invariant reports (invariants.c) and the formatter are not failure
# points of an operation. Used for the figures in docs/RELIABILITY.md.
# Usage: tests/native/fault/measure-failure-points.sh [--list]
set -euo pipefail
cd "$(dirname "$0")/../../.."
dir=build/failure-points
list=${1:-}

cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS="--coverage -O0" \
  -DCMAKE_EXE_LINKER_FLAGS="--coverage" >/dev/null
cmake --build "$dir" -j2 --target dmabuf_tests fuzz_replay null_rule_test >/dev/null
objects=$dir/native-interop/CMakeFiles/dmabuf_core.dir/core
find "$dir" -name '*.gcda' -delete

# report <step>: error sites executed so far, from fresh gcov output.
report() {
  local step=$1 tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && gcov "$OLDPWD/$objects"/*.gcda >/dev/null 2>&1)
  python3 - "$tmp" "$step" "$list" <<'EOF'
import glob, os, re, sys
tmp, step, show = sys.argv[1], sys.argv[2], sys.argv[3] == "--list"
site = re.compile(r"DMABUF_FAIL\(|return DMABUF_E[A-Z]+\b|=\s*DMABUF_E[A-Z]+;")
skip = {"invariants.c", "format.c", "report.c", "errors.c"}
total = hit = 0
missed = []
for path in sorted(glob.glob(os.path.join(tmp, "*.c.gcov"))):
    name = os.path.basename(path)[:-5]
    if name in skip:
        continue
    for line in open(path, errors="replace"):
        parts = line.split(":", 2)
        if len(parts) < 3 or not site.search(parts[2]) or parts[2].lstrip().startswith(("/*", "*", "#")):
            continue
        count = parts[0].strip()
        if count == "-":
            continue
        total += 1
        if count.startswith("#") or count.startswith("="):
            missed.append(f"{name}:{parts[1].strip()}: {parts[2].strip()}")
        else:
            hit += 1
print(f"{step}: {hit} of {total} error sites executed")
if show:
    for m in missed:
        print("   not reached:", m)
EOF
  rm -rf "$tmp"
}

for suite in fault_init fault_alloc fault_handles fault_threads; do
  "$dir/tests/native/dmabuf_tests" "$suite" >/dev/null
done
report "fault-injection suites"
"$dir/tests/fuzz/fuzz_replay" tests/fuzz/corpus >/dev/null
report "+ fuzz corpus replay"
"$dir/tests/native/dmabuf_tests" >/dev/null || true
report "+ every other host suite"
"$dir/tests/native/rule/null_rule_test" >/dev/null || true
report "+ the NULL and dead object rule (null_rule_test)"
