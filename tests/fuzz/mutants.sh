#!/usr/bin/env bash
# A test of the fuzzer: plant one known bug at a time in a scratch copy of
# the core (never in the tree), build the fuzzer against it, and check that
# the committed corpus catches it, or else that fuzzing from the corpus does
# within a time limit. Prints one line per mutant: where it was caught, after
# how long, and the divergence. Not part of CI (about a minute per mutant);
# the figures are in docs/RELIABILITY.md.
# Usage: tests/fuzz/mutants.sh [seconds per mutant, default 120] [mutant ids...]
set -uo pipefail
cd "$(dirname "$0")/../.."
limit=${1:-120}
shift || true
scratch=${TMPDIR:-/tmp}/dmabuf-mutants
mkdir -p "$scratch"

# id^file^exact text (first occurrence)^replacement^the bug it plants
mutants=$(cat <<'EOF'
range^cpu_access.c^offset > buf->size - *length)^offset > buf->size - *length + 1u)^CPU access one byte past the end accepted
stale-attachment^attachment.c^att->generation = dmabuf_handle_next_generation(att->generation);^(void)0;^detach leaves the attachment handle valid
stale-partial^sync.c^if (whole_buffer(buf, offset, length))^if (length > 0)^a partial invalidate clears "may be stale"
drop-count^queue.c^queue->dropped++;^(void)0;^LATEST recycles a frame without counting the drop
coalesce^heap.c^if (prev != DMABUF_SLOT_NONE && heap->blocks[prev].state == DMABUF_BLOCK_FREE)^if (0)^free does not merge with the block before
short-move^placement.c^memcpy(dmabuf_buffer_cpu(ctx, buf), from, buf->size);^memcpy(dmabuf_buffer_cpu(ctx, buf), from, buf->size - 1u);^a move copies one byte short
failed-writer^resv.c^dmabuf_fence_status(table->fences, entry->exclusive) == 1)^dmabuf_fence_status(table->fences, entry->exclusive) != 0)^a failed writer's fence is pruned (readers miss the error)
put-open^buffer.c^if (buf->refcount == 1 && buf->cpu_direction) {^if (0) {^the last put frees a buffer the CPU still accesses
orphan-status^fence.c^signal_locked(pool, fence, handle, DMABUF_EIO);^signal_locked(pool, fence, handle, 1);^an orphaned fence completes as a success
timestamp^queue.c^frame->timestamp_us = timestamp_us;^(void)timestamp_us;^enqueue drops the timestamp
prefer-uncached^placement.c^if (!(export_flags & DMABUF_EXPORT_PREFER_UNCACHED))^if (!(export_flags & 0))^PREFER_UNCACHED ignored
owed-coherent^sync.c^if (dev->coherent || !(buf->cache_state & DMABUF_CACHE_CLEAN_DEFERRED))^if ((void)dev, !(buf->cache_state & DMABUF_CACHE_CLEAN_DEFERRED))^a coherent device pays the owed clean
lost-write^sync.c^buf->cache_state & DMABUF_CACHE_CLEAN_DEFERRED ? CACHE_CLEAN_INVALIDATE : CACHE_INVALIDATE^CACHE_INVALIDATE^rule 4 invalidates lines whose clean is owed (issue 15's lost CPU write)
checker-bidi^checker.c^if (dmabuf_device_writes(att->memo.direction))^if (att->memo.direction == DMABUF_FROM_DEVICE)^the checker misses a BIDIRECTIONAL mapping
shared-overflow^resv.c^if (entry->shared_count == DMABUF_RESV_MAX_SHARED)^if (entry->shared_count > DMABUF_RESV_MAX_SHARED)^a fifth reader overflows the shared set
segments^placement.c^return size / segment + (size % segment != 0);^return size / segment + 1u;^one segment too many for whole multiples
end-offset^cpu_access.c^ || offset != buf->cpu_offset^^end_cpu_access ignores the offset
unplace-dirty^placement.c^buf->cache_state = 0;^(void)0;^the first fix of docs/RELIABILITY.md undone
EOF
)

flags_for() {
  echo "-O1 -fsanitize=fuzzer-no-link -fsanitize-coverage-allowlist=$1/tests/fuzz/coverage.allow -fsanitize-coverage-ignorelist=$1/tests/fuzz/coverage.ignore"
}

while IFS='^' read -r id file text replacement what; do
  if (($# > 0)) && [[ " $* " != *" $id "* ]]; then continue; fi
  dir=$scratch/$id
  rm -rf "$dir" && mkdir -p "$dir"
  tar cf - CMakeLists.txt boards native-interop tests/CMakeLists.txt tests/fuzz tests/harness tests/native |
    tar xf - -C "$dir"
  if ! python3 - "$dir/native-interop/core/$file" "$text" "$replacement" <<'EOF'
import sys
path, text, replacement = sys.argv[1:4]
source = open(path).read()
if text not in source:
    sys.exit(1)
open(path, "w").write(source.replace(text, replacement, 1))
EOF
  then
    echo "$id: the text to replace is gone from $file (update this script)"
    continue
  fi
  if ! CC=clang-14 CXX=clang++-14 cmake -S "$dir" -B "$dir/build" -DCMAKE_BUILD_TYPE=Debug \
       -DDMABUF_SANITIZE=address,undefined -DDMABUF_FUZZER=ON -DCMAKE_C_FLAGS="$(flags_for "$dir")" >/dev/null ||
     ! cmake --build "$dir/build" -j2 --target api_sequence_fuzzer >"$dir/build.log" 2>&1; then
    echo "$id: build failed ($dir/build.log)"
    continue
  fi
  fuzzer=$dir/build/tests/fuzz/api_sequence_fuzzer
  start=$(date +%s.%N)
  # The corpus first, input by input; then fuzzing from it.
  where="corpus replay"
  if "$fuzzer" tests/fuzz/corpus/* >"$dir/run.log" 2>&1; then
    where="fuzzing"
    mkdir -p "$dir/work" && cp tests/fuzz/corpus/* "$dir/work/"
    "$fuzzer" "$dir/work" -max_total_time="$limit" -max_len=512 -artifact_prefix="$dir/" >"$dir/run.log" 2>&1
  fi
  seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  found=$(grep -m1 -E 'DIVERGENCE|ERROR: AddressSanitizer|runtime error' "$dir/run.log" | cut -c1-120)
  if [[ -n $found ]]; then
    printf '%-16s caught by %s in %s s (%s): %s\n' "$id" "$where" "$seconds" "$what" "$found"
  else
    printf '%-16s NOT caught in %s s (%s)\n' "$id" "$seconds" "$what"
  fi
done <<<"$mutants"
