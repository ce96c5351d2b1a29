# The pipeline demo (issue 6): its xunit tests (every frame of both panels against
# pictures computed independently, --no-sync corrupting frames on a cached board and
# not on an uncached one, the copy baseline showing the same pictures, the simulated
# peripherals, PNG and trace writers), then a short real run of the README command
# comparing both pipelines, which must show every frame as expected.
set -uo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet test tests/managed/PipelineDemo.Tests/PipelineDemo.Tests.csproj 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# dotnet test closes with "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T, ..."
summary=$(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+' "$log" | tail -n 1)
if [[ -n $summary ]]; then
  failed=$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$summary")
  passed=$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$summary")
else
  failed=1 passed=0
fi
if ((status != 0 && failed == 0)); then failed=1; fi

# The README command, a few frames, both pipelines in one run: a passing run shows
# "frames as expected" all/all in both columns and the CPU time ratio.
frames=10
dotnet run -c Release --project managed/PipelineDemo -- --compare --frames "$frames" --trace \
  --output build/demo-run 2>&1 | tee "$log"
run_status=${PIPESTATUS[0]}
if ((run_status == 0)) &&
  grep -qE "^frames as expected \(all frames\) +$frames/$frames +$frames/$frames$" "$log" &&
  grep -q "copy-baseline / zero-copy CPU time per frame" "$log" &&
  [[ -s build/demo-run/zero-copy/trace.json && -s build/demo-run/copy-baseline/display-0000.png ]]; then
  passed=$((passed + 1))
else
  echo "demo run failed (exit $run_status) or showed a frame that was not as expected"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
((failed == 0))
