# Bounded fuzzing (tests/fuzz, docs/RELIABILITY.md): builds the API sequence
# fuzzer with clang-14 (libFuzzer + AddressSanitizer + UndefinedBehaviorSanitizer),
# replays every committed corpus input (one test each), then fuzzes from the
# corpus for a bounded time (one test). A divergence from the reference model,
# a sanitizer report, a crash, a leak or a hang fails. Ends with
# "N passed, N failed". Takes about 2.5 minutes on 2 cores.
set -uo pipefail
dir=build/fuzz-ci
corpus=tests/fuzz/corpus
fuzz_seconds=${DMABUF_FUZZ_SECONDS:-90}

if ! command -v clang-14 >/dev/null; then
  echo "clang-14 missing (tests/install-deps.sh installs libclang-rt-14-dev)"
  echo "0 passed, 1 failed"
  exit 1
fi
# Coverage guides the search through the library, not the harness's checks.
flags="-O1 -fsanitize=fuzzer-no-link -fsanitize-coverage-allowlist=$PWD/tests/fuzz/coverage.allow"
flags+=" -fsanitize-coverage-ignorelist=$PWD/tests/fuzz/coverage.ignore"
if ! CC=clang-14 CXX=clang++-14 cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DDMABUF_SANITIZE=address,undefined \
     -DDMABUF_FUZZER=ON -DCMAKE_C_FLAGS="$flags" >/dev/null ||
   ! cmake --build "$dir" -j2 --target api_sequence_fuzzer >"$dir.build.log" 2>&1; then
  grep -E 'error|undefined reference' "$dir.build.log" | head -n 20
  echo "0 passed, 1 failed"
  exit 1
fi
fuzzer=$PWD/$dir/tests/fuzz/api_sequence_fuzzer
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"

passed=0 failed=0
# 1. Replay: each committed input once, under the sanitizers.
for input in "$corpus"/*; do
  if "$fuzzer" "$input" >"$dir/replay.log" 2>&1; then
    passed=$((passed + 1))
  else
    echo "FAIL replay $input"
    grep -E 'DIVERGENCE|ERROR|SUMMARY|runtime error' -A2 "$dir/replay.log" | head -n 20
    failed=$((failed + 1))
  fi
done
echo "replayed $passed of $((passed + failed)) corpus inputs"

# 2. Fuzz from the corpus for a bounded time, in a scratch copy (the
# committed corpus only changes by hand); findings land in $dir/artifacts.
rm -rf "$dir/work" "$dir/artifacts" && mkdir -p "$dir/work" "$dir/artifacts"
cp "$corpus"/* "$dir/work/"
"$fuzzer" "$dir/work" -max_total_time="$fuzz_seconds" -max_len=512 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$dir/artifacts/" -print_final_stats=1 >"$dir/fuzz.log" 2>&1
status=$?
runs=$(grep -E '^stat::number_of_executed_units' "$dir/fuzz.log" | awk '{print $2}')
if ((status == 0)) && ! ls "$dir/artifacts"/* >/dev/null 2>&1; then
  echo "fuzzed ${fuzz_seconds}s: ${runs:-?} executions, 0 divergences"
  passed=$((passed + 1))
else
  echo "FAIL fuzz (exit $status), artifacts:"
  ls "$dir/artifacts"
  grep -E 'DIVERGENCE|ERROR|SUMMARY|runtime error' -A3 "$dir/fuzz.log" | head -n 30
  echo "reproduce: $fuzzer <artifact>, or build/*/tests/fuzz/fuzz_replay <artifact> (gcc)"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
((failed == 0))
