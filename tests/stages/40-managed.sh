# Managed library (host .NET build) under xunit: builds libdmabuf_host with cmake
# (build/managed-native-Debug), the host assembly and the tests through nf.proj, which
# never loads the .nfproj. Packages (xunit, Microsoft.NET.Test.Sdk) are restored from
# NuGet through the user's own NuGet configuration.
set -uo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log=$(mktemp)
dotnet test nf.proj 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test closes with "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T, ..."
# (or "Failed!  - ..."); restate it in the form run-all.sh adds up.
summary=$(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+' "$log" | tail -n 1)
rm -f "$log"
if [[ -z $summary ]]; then
  echo "0 passed, 1 failed"
  exit 1
fi
failed=$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$summary")
passed=$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$summary")
skipped=$(sed -E 's/.*Skipped: +([0-9]+),.*/\1/' <<<"$summary")
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
