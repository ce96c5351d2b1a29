# Instruction-count targets of issues 3 and 7 (docs/BENCHMARKS.md), measured
# with callgrind, which counts deterministically, on the release build of the
# native benchmarks: alloc/free worst case over a fragmenting trace, memoised
# map, fence signal, queue hand-overs; plus the driver's own checks (exact
# cache line counts per sync, no heap allocation on any measured path).
set -uo pipefail
build=build/bench-targets
if ! { cmake -S tests/bench/native -B "$build" >/dev/null &&
       cmake --build "$build" --target dmabuf_bench_ops -j2 >/dev/null; }; then
  echo "build of tests/bench/native failed"
  echo "0 passed, 1 failed"
  exit 1
fi
bash tests/bench/native/measure-callgrind.sh "$build" "$build/callgrind" --quick --assert
