#!/usr/bin/env bash
# Measures the sync hot paths (docs/sync-performance.md): instructions per call
# of fence signal and of each queue hand-over under callgrind, and heap
# allocations on those paths (memcheck's heap totals with 0 and N iterations
# must match). Release build (-O2, no DMABUF_DEBUG), host pthreads port.
#
#   bash tests/native/sync/bench/run-callgrind.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/../../../.."
out=${1:-build/sync-bench}
mkdir -p "$out"
iterations=10000
sources=(native-interop/core/fence.c native-interop/core/queue.c native-interop/core/handle.c
         native-interop/backends/os/host/os_host.c tests/native/sync/bench/sync_bench.c)
gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wconversion -Wno-sign-conversion \
  -Inative-interop/include -Inative-interop/backends/os/host -Inative-interop/core \
  "${sources[@]}" -o "$out/sync_bench" -lpthread

# Inclusive instructions per call of each measured function, one callgrind
# run per benchmark loop so each function's calls come from that loop only.
profile() {
  valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.$1.out" \
    "$out/sync_bench" "$iterations" "$1" >/dev/null 2>"$out/callgrind.$1.log"
  callgrind_annotate --inclusive=yes --threshold=100 "$out/callgrind.$1.out"
}
per_call() {
  # First inclusive line naming the function: "  1,790,000 (8.57%)  file.c:function [binary]".
  local ir; ir=$(awk -v fn="$2" '$0 ~ ":" fn " " { gsub(",", "", $1); print $1; exit }' <<<"$1")
  [[ -n $ir ]] || { echo "$2: not found in the profile"; exit 1; }
  printf '  %-36s %4d instructions per call\n' "$2${3:+ ($3)}" $((ir / iterations))
}
echo "callgrind, $iterations calls each (host pthreads port, gcc -O2):"
fence=$(profile fence)
per_call "$fence" dmabuf_fence_signal "no callback"
callback=$(profile fence-callback)
per_call "$callback" dmabuf_fence_signal "1 callback"
queue=$(profile queue)
for fn in dmabuf_queue_dequeue dmabuf_queue_enqueue dmabuf_queue_acquire dmabuf_queue_release; do
  per_call "$queue" "$fn"
done

heap() { valgrind --tool=memcheck "$out/sync_bench" "$1" 2>&1 >/dev/null | grep -E "total heap usage" | sed -E 's/.*usage: //'; }
idle=$(heap 0) busy=$(heap "$iterations")
echo "heap, 0 iterations:     $idle"
echo "heap, $iterations iterations: $busy"
if [[ $idle == "$busy" ]]; then echo "hot paths allocate nothing"; else echo "HOT PATHS ALLOCATE"; exit 1; fi
