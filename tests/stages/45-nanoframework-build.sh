# The nanoFramework build of the C# library (issue 16): every .nfproj is built by
# `dotnet build`, Release and Debug, warnings as errors, through
# managed/nanoFramework.ProjectSystemFallback.{props,targets}, which give the compiler what the
# nanoFramework project system gives it (C# 9, NANOFRAMEWORK_1_0, -nostdlib, mscorlib
# 1.17.11 restored from NuGet, XML docs with CS1591 on). Per project and configuration:
#   * every .cs file in the project's folder, and in any other folder its Compile list takes
#     files from, is in its Compile list (the host build globs the folder, so a file the list
#     lacks would vanish from the nanoFramework build only),
#   * the build succeeds, from the .nfproj's own Compile list,
#   * the assembly references only the project's Reference items, at their versions, and the
#     assemblies of its ProjectReferences, and
#     says .NETnanoFramework v1.0 (tests/nanoframework/NanoAssemblyCheck.cs),
#   * its XML documentation file exists.
# A project that needs packages NuGet does not serve (tests/device/NFUnitTest) must build
# to a one-line "skipped" with exit 0; it is counted as skipped. Also: the .nfproj, its
# packages.config and the .nuspec name the same nanoFramework.CoreLibrary version.
set -uo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
cd "$(dirname "$0")/../.."

passed=0 failed=0 skipped=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The CoreLibrary version, as packages.config, the .nfproj's mscorlib reference and the .nuspec say it.
lib=managed/nanoFramework.DmaBuf
config_version=$(sed -nE 's/.*id="nanoFramework\.CoreLibrary" version="([^"]+)".*/\1/p' "$lib/packages.config")
nfproj_version=$(sed -nE 's/.*Reference Include="mscorlib, Version=([0-9.]+)\.0,.*/\1/p' "$lib/nanoFramework.DmaBuf.nfproj")
nuspec_version=$(sed -nE 's/.*dependency id="nanoFramework\.CoreLibrary" version="([^"]+)".*/\1/p' "$lib/nanoFramework.DmaBuf.nuspec")
if [[ -n $config_version && $config_version == "$nfproj_version" && $config_version == "$nuspec_version" ]]; then
  pass "nanoFramework.CoreLibrary $config_version in packages.config, .nfproj and .nuspec"
else
  fail "nanoFramework.CoreLibrary: packages.config '$config_version', .nfproj '$nfproj_version', .nuspec '$nuspec_version'"
fi

while IFS= read -r project; do
  name=$(basename "$project" .nfproj)
  dir=$(dirname "$project")
  not_served=$(dotnet msbuild "$project" -getProperty:NanoFrameworkPackagesNotServed)
  if [[ -n $not_served ]]; then
    dotnet build "$project" -warnaserror 2>&1 | tee "$log"
    if ((PIPESTATUS[0] == 0)) && grep -q "$name: skipped: it needs" "$log"; then
      echo "SKIP $name: needs ${not_served//;/, }, which NuGet does not serve"
      skipped=$((skipped + 1))
    else
      fail "$name: without the packages it needs, the build must say it skips and exit 0"
    fi
    continue
  fi

  listed=$(dotnet msbuild "$project" -getItem:Compile | sed -nE 's/^ *"FullPath": "(.*)",?$/\1/p' | sort)
  # ...and of every other folder it takes files from (the demo's shared ../PipelineDemo.Core,
  # which the host project globs).
  present=$({ find "$(pwd)/$dir" -name '*.cs' -not -path '*/bin/*' -not -path '*/obj/*'
              echo "$listed" | xargs -r -d '\n' dirname | sort -u | xargs -r -d '\n' -I{} find {} -maxdepth 1 -name '*.cs'
            } | sort -u)
  missing=$(comm -13 <(echo "$listed") <(echo "$present"))
  if [[ -z $missing ]]; then
    pass "$name: its Compile list holds every .cs file of its folder and of the folders it takes files from"
  else
    fail "$name: not in its Compile list: $(echo "$missing" | xargs -n1 basename | tr '\n' ' ')"
  fi

  mapfile -t references < <(dotnet msbuild "$project" -getItem:Reference | sed -nE 's/^ *"Identity": "(.*)",?$/\1/p')
  # A ProjectReference (the demo's to the library) names the assembly that project builds.
  while IFS= read -r referenced; do
    references+=("$(dotnet msbuild "$dir/${referenced//\\//}" -getProperty:AssemblyName)")
  done < <(dotnet msbuild "$project" -getItem:ProjectReference | sed -nE 's/^ *"Identity": "(.*)",?$/\1/p')
  for configuration in Release Debug; do
    if ! dotnet build "$project" -c "$configuration" -warnaserror 2>&1 | tee "$log" ||
       grep -q "skipped: it needs" "$log"; then
      fail "$name ($configuration): build"
      continue
    fi
    pass "$name ($configuration): build, warnings as errors"
    assembly=$(dotnet msbuild "$project" -p:Configuration="$configuration" -getProperty:TargetPath)
    if dotnet run --file tests/nanoframework/NanoAssemblyCheck.cs -- "$assembly" "${references[@]}"; then
      pass "$name ($configuration): references and target framework of $(basename "$assembly")"
    else
      fail "$name ($configuration): references or target framework of $(basename "$assembly")"
    fi
    doc=$(dotnet msbuild "$project" -p:Configuration="$configuration" -getProperty:DocumentationFile)
    if [[ -n $doc && -s $dir/${doc//\\//} ]]; then
      pass "$name ($configuration): XML documentation"
    else
      fail "$name ($configuration): no XML documentation file ('$doc')"
    fi
  done
done < <(git ls-files '*.nfproj')

echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0))
