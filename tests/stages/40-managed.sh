# The solution as a .NET developer types it (issue 17): `dotnet build Embedded.sln` and
# `dotnet test Embedded.sln` must both exit 0, with no configuration named. The build takes
# every project: the host library (which builds libdmabuf_host with cmake into
# build/managed-native-Debug), the .nfproj through the nanoFramework fallback build (NFUnitTest
# says it is skipped), the demo, the tests and the benchmarks; the test run then reuses it.
# Counted here: the two exit codes and the xunit tests of the managed library
# (nanoFramework.DmaBuf.Tests); the solution also runs PipelineDemo.Tests, which
# tests/stages/60-demo.sh counts. Packages come from NuGet through the user's own configuration.
set -uo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
cd "$(dirname "$0")/../.."

passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

if dotnet build Embedded.sln; then
  echo "PASS dotnet build Embedded.sln exits 0"; passed=$((passed + 1))
else
  echo "FAIL dotnet build Embedded.sln"; failed=$((failed + 1))
fi

dotnet test Embedded.sln 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if ((status == 0)); then
  echo "PASS dotnet test Embedded.sln exits 0"; passed=$((passed + 1))
else
  echo "FAIL dotnet test Embedded.sln exits $status"; failed=$((failed + 1))
fi

# dotnet test closes each assembly's run with "Passed!  - Failed: F, Passed: P, Skipped: S,
# Total: T, Duration: D - NAME.dll (net10.0)" (or "Failed!  - ..."); restate the library's.
summary=$(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+.* - nanoFramework\.DmaBuf\.Tests\.dll' "$log" | tail -n 1)
if [[ -n $summary ]]; then
  failed=$((failed + $(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$summary")))
  passed=$((passed + $(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$summary")))
  skipped=$((skipped + $(sed -E 's/.*Skipped: +([0-9]+),.*/\1/' <<<"$summary")))
else
  echo "FAIL no test result of nanoFramework.DmaBuf.Tests"; failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0))
