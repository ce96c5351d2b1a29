#!/usr/bin/env bash
# Instructions per call of the DmaBuf hot paths, from callgrind: deterministic
# (the same binary gives the same counts on every run and machine).
#
#   measure-callgrind.sh BUILD_DIR OUT_DIR [--assert] [--quick]
#
# Runs each scenario of dmabuf_bench_ops (bench_ops.c) under callgrind with
# collection on only inside the measured functions and one dump per call,
# then prints, per call label: calls, min, median, max instructions. Labels
# are the driver's; "warmup" calls are dropped.
#
# --assert checks the targets of issues 3 and 7 on the worst case (max) and
# ends with "N passed, N failed"; the driver's own checks (exact line
# counts per sync, no heap allocation) are part of it. --quick runs fewer
# iterations (the worst cases do not depend on it: the trace stays the same
# trace, only shorter).
set -uo pipefail
build=${1:?build dir}
out=${2:?output dir}
shift 2
assert=false quick=false
for arg in "$@"; do
  case $arg in
    --assert) assert=true ;;
    --quick) quick=true ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
driver=$build/dmabuf_bench_ops
[[ -x $driver ]] || { echo "no $driver: build tests/bench/native first" >&2; exit 2; }

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "  ok    $*"; }
fail() { failed=$((failed + 1)); echo "  FAIL  $*"; }

# run NAME RENAMES SCENARIO ITERATIONS FUNCTION... : one callgrind run; per
# call, "<label> <instructions> <instructions outside the OS mutex>" is
# appended to $out/calls.txt, labels renamed by RENAMES ("from:to ..."). The mutex share is the inclusive cost of
# the calls to dmabuf_mutex_lock/unlock (the OS port) inside the call.
# LD_BIND_NOW: no first-call symbol resolution inside a measured call.
run() {
  local name=$1 renames=$2 scenario=$3 iterations=$4; shift 4
  local toggles=() fn
  for fn in "$@"; do toggles+=(--toggle-collect="$fn"); done
  local file=$out/callgrind.$name.out
  if LD_BIND_NOW=1 valgrind --tool=callgrind --collect-atstart=no "${toggles[@]}" --combine-dumps=yes \
      --compress-strings=no --callgrind-out-file="$file" "$driver" "$scenario" "$iterations" \
      >"$out/driver.$name.txt" 2>"$out/valgrind.$name.log"; then
    pass "driver checks, $name: $(paste -sd';' "$out/driver.$name.txt")"
  else
    fail "driver checks, $name (exit status; see $out/driver.$name.txt)"
    cat "$out/driver.$name.txt"
  fi
  awk -v renames="$renames" '
    BEGIN { n = split(renames, pairs, " "); for (i = 1; i <= n; i++) { split(pairs[i], p, ":"); to[p[1]] = p[2] } }
    /^desc: Trigger: Client Request: / { label = substr($0, 32); lock = 0; next }
    /^fn=/ { mutex = 0; next }
    /^cfn=/ { mutex = ($0 == "cfn=dmabuf_mutex_lock" || $0 == "cfn=dmabuf_mutex_unlock"); next }
    /^calls=/ { grab = mutex; next }
    grab { lock += $NF; grab = 0; next }
    /^totals: / {
      if (label != "" && label != "warmup") print (label in to ? to[label] : label), $2, $2 - lock
      label = ""
    }
  ' "$file" >>"$out/calls.txt"
}

: >"$out/calls.txt"
if $quick; then n_trace=5000 n_pipeline=10000 n=200 n_cpu=1; else n_trace=20000 n_pipeline=50000 n=1000 n_cpu=3; fi
run trace "" trace "$n_trace" dmabuf_export dmabuf_put
# The same trace, collecting only the allocator inside export and put.
run trace-heap "export:heap-alloc export-refused:heap-alloc-refused put:heap-free" trace "$n_trace" dmabuf_heap_alloc dmabuf_heap_free
# The allocator over the pipeline trace (long-lived frames among small buffers).
run pipeline-heap "export:pipeline-alloc export-refused:pipeline-alloc-refused put:pipeline-free" pipeline "$n_pipeline" \
  dmabuf_heap_alloc dmabuf_heap_free
run attach "" attach "$n" dmabuf_attach dmabuf_detach
run map "" map "$n" dmabuf_map dmabuf_unmap
run cpu "" cpu "$n_cpu" dmabuf_begin_cpu_access dmabuf_end_cpu_access bench_lower_bound
run fence "" fence "$n" dmabuf_fence_signal dmabuf_fence_wait
run queue "" queue "$n" dmabuf_queue_dequeue dmabuf_queue_enqueue dmabuf_queue_acquire dmabuf_queue_release
run lock "" lock "$n" bench_lock_pair

# summarise COLUMN: "label calls min median max" of that column, by label.
summarise() {
  awk -v c="$1" '{ print $1, $c }' "$out/calls.txt" | sort -s -k1,1 -k2,2n | awk '
    { if ($1 != label) { flush(); label = $1; n = 0 } v[n++] = $2 }
    function flush() { if (n) printf "%s %d %d %d %d\n", label, n, v[0], v[int((n - 1) / 2)], v[n - 1] }
    END { flush() }'
}
# label calls min median max median-outside-mutex max-outside-mutex
join <(summarise 2) <(summarise 3 | awk '{ print $1, $4, $5 }') >"$out/summary.txt"

echo
echo "instructions per call (callgrind; x86-64, gcc -O2, no DMABUF_DEBUG, host pthreads port);"
echo "the last two columns leave out the OS port's mutex (dmabuf_mutex_lock/unlock);"
echo "per-frame CPU access labels are in $out/summary.txt and summed in the next table:"
printf '  %-28s %6s %7s %7s %7s  %7s %7s\n' label calls min median max median max
awk '$1 !~ /\// { printf "  %-28s %6d %7d %7d %7d  %7d %7d\n", $1, $2, $3, $4, $5, $6, $7 }' "$out/summary.txt"

# Begin/end CPU access against the line-count lower bound: a "pair" is begin
# + end; the bound is the bare loop of one maintenance store per line.
echo
echo "CPU access pairs (begin + end, instructions) against the lower bound (the bare per-line loop):"
awk '
  { split($1, k, "/"); if (k[1] ~ /^(read|write)-(begin|end)$|^lower-bound$/) v[$1] = $4 }
  END {
    printf "  %-8s %-6s %5s %6s %8s %8s %6s %8s %6s  %-15s %-15s\n", "frame", "range", "line", "lines", "bound",
      "read", "ratio", "write", "ratio", "coherent r/w", "uncached r/w"
    nf = split("320x240 800x480", frames, " ")
    for (f = 1; f <= nf; f++) for (r = 1; r <= 2; r++) for (l = 32; l <= 128; l *= 2) {
      range = r == 1 ? "whole" : "band"
      split(frames[f], wh, "x"); row = wh[1] * 2
      off = r == 1 ? 0 : 7 * row + 6; len = r == 1 ? wh[1] * wh[2] * 2 : 13 * row
      lines = int((off + len + l - 1) / l) - int(off / l)
      key = frames[f] "/" range
      bound = v["lower-bound/" key "/" l]
      if (!bound) continue
      for (m = 1; m <= 3; m++) {
        mem = m == 1 ? "cached" : m == 2 ? "coherent" : "uncached"
        rd[mem] = v["read-begin/" key "/" mem "/" l] + v["read-end/" key "/" mem "/" l]
        wr[mem] = v["write-begin/" key "/" mem "/" l] + v["write-end/" key "/" mem "/" l]
      }
      printf "  %-8s %-6s %5d %6d %8d %8d %6.3f %8d %6.3f  %-15s %-15s\n", frames[f], range, l, lines, bound,
        rd["cached"], rd["cached"] / bound, wr["cached"], wr["cached"] / bound,
        rd["coherent"] "/" wr["coherent"], rd["uncached"] "/" wr["uncached"]
    }
  }' "$out/summary.txt"
echo "  (cached = cached region, non-coherent device: read invalidates, write cleans the range's lines;"
echo "   band = 13 rows from byte 6 of row 7: its write pass invalidates again (per-buffer staleness), so 2x)"

if $assert; then
  echo
  echo "targets (worst case = max over every measured call):"
  # target LABEL LIMIT WHAT: on the worst case outside the OS mutex.
  target() {
    local max
    max=$(awk -v l="$1" '$1 == l { print $7 }' "$out/summary.txt")
    if [[ -z $max ]]; then fail "$3: no calls labelled $1"; return; fi
    if ((max <= $2)); then pass "$3: $max <= $2 instructions"; else fail "$3: $max > $2 instructions"; fi
  }
  target heap-alloc 400 "alloc (dmabuf_heap_alloc) worst case over the trace"
  target heap-free 400 "free (dmabuf_heap_free) worst case over the trace"
  target pipeline-alloc 400 "alloc (dmabuf_heap_alloc) worst case over the pipeline trace"
  target pipeline-free 400 "free (dmabuf_heap_free) worst case over the pipeline trace"
  target map-memoised 100 "memoised map (to-device)"
  target map-memoised-from-device 100 "memoised map (from-device)"
  target signal 150 "fence signal, no callback"
  target signal-1-callback 150 "fence signal, one callback"
  for q in dequeue enqueue acquire release; do target "$q" 200 "queue hand-over $q"; done
  echo "$passed passed, $failed failed"
fi
((failed == 0))
