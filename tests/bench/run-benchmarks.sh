#!/usr/bin/env bash
# Re-runs every benchmark quoted in docs/BENCHMARKS.md and writes the results
# to tests/bench/results/*.txt (committed, so a change in a figure shows in a
# diff). Not part of CI; takes about 3 minutes on 2 cores.
#
#   bash tests/bench/run-benchmarks.sh [--quick | --alloc]
#
#   callgrind.txt        instructions per call, worst cases, targets (deterministic)
#   heap-allocations.txt memcheck's heap totals with and without the measured loops
#   native-time.txt      Google Benchmark: wall-clock times and the ratios to the lower bound
#   alloc-quality.txt    largest allocatable / total free over the fragmenting trace
#   alloc-quality-pipeline.txt  the same over the pipeline trace (issue 18's target)
#   alloc-quality-loaded.txt    the same over the pipeline trace loaded to 80-95 % at peaks
#   managed.txt          C# API against bare P/Invoke: BenchmarkDotNet times and allocations,
#                        and the ratio per operation from interleaved batches
#   pipeline.txt         PipelineDemo --compare: zero-copy against the copy baseline
#
# Allocators built outside the repository (docs/BENCHMARKS.md, "Allocator
# quality") replay the same traces if BENCH_EXTERNAL_REPLAY names a command
# taking a trace file; their output goes to build/bench/alloc-external.txt,
# never to the committed results.
#
# --quick: fewer iterations and repetitions (a smoke run; figures noisier).
# --alloc: only the build and the allocator quality (and the external
#          allocators), a minute instead of the whole run.
set -uo pipefail
cd "$(dirname "$0")/../.."
quick=false
alloc_only=false
[[ ${1:-} == --quick ]] && quick=true
[[ ${1:-} == --alloc ]] && alloc_only=true
build=build/bench
results=tests/bench/results
mkdir -p "$build" "$results"
failures=()

header() {
  echo "# $1"
  echo "# $(date -u +%Y-%m-%dT%H:%MZ), tree $(git describe --always --dirty 2>/dev/null || echo unknown)," \
       "$(uname -m), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores"
  echo "# $(gcc --version | head -1); $(valgrind --version); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# command: $2"
  echo
}

step() { echo "=== $1"; }
record() { # record NAME STATUS
  if (($2 != 0)); then failures+=("$1 (exit $2)"); fi
}

step "build (tests/bench/native: -O2 -g, no DMABUF_DEBUG)"
cmake -S tests/bench/native -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDMABUF_DEBUG=OFF >/dev/null &&
  cmake --build "$build" -j2 >/dev/null
status=$?
record build $status
((status == 0)) || { echo "build failed"; exit 1; }

if ! $alloc_only; then
step "callgrind: instructions per call"
args=(--assert)
$quick && args+=(--quick)
{
  header "Instructions per call (callgrind)" "bash tests/bench/native/measure-callgrind.sh $build $build/callgrind ${args[*]}"
  bash tests/bench/native/measure-callgrind.sh "$build" "$build/callgrind" "${args[@]}"
} >"$results/callgrind.txt" 2>&1
record "callgrind targets" $?
tail -n 14 "$results/callgrind.txt"

step "memcheck: heap allocations on the measured paths"
(
  header "Heap allocations (memcheck's totals: the scenario with 0 iterations against N)" \
    "valgrind --tool=memcheck $build/dmabuf_bench_ops <scenario> <0|N>"
  status=0
  for scenario in "trace 2000" "attach 1000" "map 1000" "cpu 2" "fence 1000" "queue 1000"; do
    set -- $scenario
    idle=$(valgrind --tool=memcheck "$build/dmabuf_bench_ops" "$1" 0 2>&1 >/dev/null | sed -n 's/.*total heap usage: //p')
    busy=$(valgrind --tool=memcheck "$build/dmabuf_bench_ops" "$1" "$2" 2>&1 >/dev/null | sed -n 's/.*total heap usage: //p')
    if [[ -n $idle && $idle == "$busy" ]]; then verdict="no allocation"; else verdict="ALLOCATES"; status=1; fi
    printf '%-7s 0 iterations: %s\n%-7s %s iterations: %s\n        -> %s\n' "$1" "$idle" "" "$2" "$busy" "$verdict"
  done
  exit $status
) >"$results/heap-allocations.txt" 2>&1
record "heap allocations" $?
grep -- '->' "$results/heap-allocations.txt" | sort | uniq -c

step "Google Benchmark: wall-clock times and ratios"
if [[ -x $build/dmabuf_bench_time ]]; then
  if $quick; then gb=(--benchmark_min_time=0.02); else gb=(--benchmark_min_time=0.03 --benchmark_repetitions=15 --benchmark_report_aggregates_only=true); fi
  {
    header "Wall-clock times (Google Benchmark; mean, median, stddev, cv and min of the repetitions)" "$build/dmabuf_bench_time ${gb[*]} --benchmark_color=false"
    "$build/dmabuf_bench_time" "${gb[@]}" --benchmark_color=false
  } >"$results/native-time.txt" 2>&1
  record "native time" $?
  sed -n '/^whole-frame/,$p' "$results/native-time.txt"
else
  echo "dmabuf_bench_time not built (Google Benchmark missing)" | tee "$results/native-time.txt"
  record "native time" 1
fi

fi

step "allocator quality"
mkdir -p "$build/traces"
# quality NAME TITLE STEPS [--pipeline | --loaded]: five seeds into
# $results/NAME.txt, each trace also written to $build/traces/<trace>.<seed>.txt
# for the external allocators.
quality() {
  local name=$1 title=$2 steps=$3 kind=${4:-} trace
  trace=${kind#--}
  trace=${trace:-trace}
  (
    header "Allocator quality: largest allocatable / total free over $title" \
      "$build/dmabuf_alloc_quality ${kind:+$kind }$steps <seed> $build/traces/$trace.<seed>.txt"
    status=0
    for seed in 0x5eed 0x1 0x2 0x3 0x4; do
      "$build/dmabuf_alloc_quality" $kind "$steps" "$seed" "$build/traces/$trace.$seed.txt" || status=1
      echo
    done
    exit $status
  ) >"$results/$name.txt" 2>&1
  record "allocator quality ($name)" $?
  grep -E "^trace|^target|mean" "$results/$name.txt"
}
quality alloc-quality "the fragmenting (uniform) trace" 200000
quality alloc-quality-pipeline "the pipeline trace (long-lived frames among small buffers)" 1000000 --pipeline
quality alloc-quality-loaded "the loaded pipeline trace (frames fill the heap to 80-95 % at peaks)" 1000000 --loaded
if [[ -n ${BENCH_EXTERNAL_REPLAY:-} ]]; then
  for trace in trace pipeline loaded; do
    for seed in 0x5eed 0x1 0x2 0x3 0x4; do
      echo "== $trace seed $seed"
      $BENCH_EXTERNAL_REPLAY "$build/traces/$trace.$seed.txt"
    done
  done >"$build/alloc-external.txt" 2>&1
  record "external allocators" $?
  echo "external allocators: $build/alloc-external.txt (not committed)"
fi

if ! $alloc_only; then
# The managed side calls the release library built above (one library for
# the native and the managed figures).
dotnet_native=(-p:DmaBufNativeBuildDirectory="$PWD/$build")

step "BenchmarkDotNet: C# API against bare P/Invoke"
bdn=("$PWD/$build/bdn")
$quick && bdn+=(--quick)
(
  header "Managed against native (BenchmarkDotNet, in process)" \
    "dotnet run -c Release --project tests/bench/managed -p:DmaBufNativeBuildDirectory=$build -- $build/bdn${bdn[1]:+ --quick}"
  dotnet run -c Release --project tests/bench/managed "${dotnet_native[@]}" -- "${bdn[@]}" 2>&1 |
    sed -n '/^BenchmarkDotNet v/,/^$/p; /^| *Method/,/^$/p; /^BenchmarkDotNet (median/,$p'
  exit "${PIPESTATUS[0]}"
) >"$results/managed.txt" 2>&1
record "managed (ratio target)" $?
sed -n '/^managed \/ native/,$p' "$results/managed.txt"

step "pipeline: zero-copy against the copy baseline"
if [[ -f managed/PipelineDemo/PipelineDemo.csproj ]]; then
  frames=120
  $quick && frames=30
  (
    header "Pipeline CPU time per frame, zero-copy against copy baseline (one run; progress lines left out)" \
      "dotnet run -c Release --project managed/PipelineDemo -p:DmaBufNativeBuildDirectory=$build -- --compare --frames $frames --no-png --output $build/pipeline"
    dotnet run -c Release --project managed/PipelineDemo "${dotnet_native[@]}" -- \
      --compare --frames "$frames" --no-png --output "$build/pipeline" 2>&1 |
      grep -v -E '^\[(zero-copy|copy-baseline)\] frame [0-9]+/'
    exit "${PIPESTATUS[0]}"
  ) >"$results/pipeline.txt" 2>&1
  record pipeline $?
  tail -n 12 "$results/pipeline.txt"
else
  echo "managed/PipelineDemo missing" | tee "$results/pipeline.txt"
  record pipeline 1
fi

fi

echo
if ((${#failures[@]})); then
  echo "done, with failures (see $results): ${failures[*]}"
  exit 1
fi
echo "done: every figure re-measured into $results"
