# Shared by the stages.
#
# ctest_summary DIR [ctest args]: run ctest in DIR and restate the result as
# "N passed, N failed" counted in individual tests, not ctest entries: each
# entry runs one suite of the C harness, which prints its own
# "N passed, N failed"; those lines are summed from ctest's log. A suite that
# crashed before printing its line still counts as one failure.
ctest_summary() {
  local dir=$1; shift
  ctest --test-dir "$dir" --output-on-failure "$@"
  local status=$?
  local log=$dir/Testing/Temporary/LastTest.log
  local passed=0 failed=0
  if [[ -f $log ]]; then
    read -r passed failed < <(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" |
      awk '{p += $1; f += $3} END {print p + 0, f + 0}')
  fi
  if ((status != 0 && failed == 0)); then failed=1; fi
  echo "$passed passed, $failed failed"
  return "$status"
}

# stage_check OK DESCRIPTION [DETAIL-FILE]: one check of a stage, counted in the caller's
# $passed / $failed (OK non-zero = passed); a failure prints the end of DETAIL-FILE.
stage_check() {
  if (($1)); then
    echo "PASS $2"; passed=$((passed + 1))
  else
    echo "FAIL $2"; [[ -n ${3:-} && -f $3 ]] && sed 's/^/  /' "$3" | tail -n 40; failed=$((failed + 1))
  fi
}
