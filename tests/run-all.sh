#!/usr/bin/env bash
# The README's test command: installs what is missing, then runs every suite
# (tests/stages/*.sh, in order) and ends with one line "N passed, N failed".
# Each stage prints its own "N passed, N failed" as its last line; a stage that
# exits non-zero without one counts as one failure.
set -uo pipefail
cd "$(dirname "$0")/.."
bash tests/install-deps.sh || { echo "dependency install failed"; echo "0 passed, 1 failed"; exit 1; }

total_passed=0 total_failed=0
mkdir -p build/logs
for stage in tests/stages/*.sh; do
  name=$(basename "$stage" .sh)
  echo "=== stage $name"
  bash "$stage" 2>&1 | tee "build/logs/$name.log"
  status=${PIPESTATUS[0]}
  summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "build/logs/$name.log" | tail -n 1)
  if [[ -n $summary ]]; then
    p=${summary%% passed*}; f=${summary#*passed, }; f=${f%% failed*}
  else
    p=0 f=0
  fi
  if ((status != 0 && f == 0)); then f=1; fi
  echo "=== stage $name: $p passed, $f failed (exit $status)"
  total_passed=$((total_passed + p)) total_failed=$((total_failed + f))
done
echo "$total_passed passed, $total_failed failed"
((total_failed == 0))
