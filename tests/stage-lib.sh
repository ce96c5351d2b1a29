# Shared by the stages: run ctest in a build dir and restate its result as
# "N passed, N failed" (ctest prints "x% tests passed, F tests failed out of T").
ctest_summary() {
  local dir=$1; shift
  local log; log=$(mktemp)
  ctest --test-dir "$dir" --output-on-failure "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local line; line=$(grep -E 'tests failed out of' "$log" | tail -n 1)
  rm -f "$log"
  if [[ -z $line ]]; then echo "0 passed, 1 failed"; return 1; fi
  local failed total
  failed=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
  total=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$line")
  echo "$((total - failed)) passed, $failed failed"
  return "$status"
}
