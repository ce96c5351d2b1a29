# Packages come from NuGet through the user's own NuGet configuration (issue 19): nothing
# committed may clear the package sources or name a folder as a source, since a folder
# exists only on the machine it was made on and a cleared source list hides NuGet itself.
# Checked in every committed NuGet configuration file (nuget.config in any spelling), in
# MSBuild files (RestoreSources, RestoreAdditionalProjectSources, RestorePackagesPath,
# RestoreFallbackFolders) and in scripts (a --source option of a dotnet or nuget command, but
# for a temporary feed the script makes itself, see below).
set -uo pipefail
cd "$(dirname "$0")/../.."

passed=0 failed=0
check() { # check DESCRIPTION FINDINGS
  if [[ -z $2 ]]; then
    echo "PASS $1"; passed=$((passed + 1))
  else
    echo "FAIL $1:"; echo "$2" | sed 's/^/  /'; failed=$((failed + 1))
  fi
}

mapfile -t configs < <(git ls-files | grep -iE '(^|/)nuget\.config$')
echo "NuGet configuration files: ${configs[*]:-none}"
clears="" folders=""
for config in "${configs[@]}"; do
  sources=$(sed -n '/<packageSources[ >]/,/<\/packageSources>/p' "$config")
  if grep -q '<clear' <<<"$sources"; then clears+="$config"$'\n'; fi
  while IFS= read -r value; do
    [[ $value =~ ^https?:// ]] || folders+="$config: $value"$'\n'
  done < <(sed -nE 's/.*<add [^>]*value="([^"]*)".*/\1/p' <<<"$sources")
done
check "no NuGet configuration clears the package sources" "${clears%$'\n'}"
check "no NuGet configuration names a folder as a package source" "${folders%$'\n'}"

check "no MSBuild file sets the package sources or folders" \
  "$(git ls-files '*.csproj' '*.nfproj' '*.props' '*.targets' '*.proj' |
     xargs -r grep -nE '<(RestoreSources|RestoreAdditionalProjectSources|RestorePackagesPath|RestoreFallbackFolders)[ >]')"
# One exception: a script may name, as a source, a temporary folder it makes itself
# (`--source "$VAR"` with `VAR=$(mktemp -d)` in the same file): tests/stages/16-packages.sh
# packs the library into such a feed and builds a consumer from it. That folder exists
# wherever the script runs, for as long as it runs, and is used by that command only.
source_pattern='\b(dotnet|nuget)\b.*(--source|--add-source|-s +[^ ]*/)'
script_sources() {
  local file hit rest
  while IFS= read -r file; do
    while IFS= read -r hit; do
      rest=$hit
      while [[ $rest =~ --source\ +\"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?\"? ]] &&
        grep -qE "(^|[ ;])${BASH_REMATCH[1]}=\\\$\(mktemp -d" "$file"; do
        rest=${rest/"${BASH_REMATCH[0]}"/}
      done
      if [[ $rest =~ $source_pattern ]]; then echo "$file:$hit"; fi
    done < <(grep -nE "$source_pattern" "$file")
  done < <(git ls-files '*.sh' '.ci/*' ':!tests/stages/05-nuget-sources.sh')
}
check "no script gives dotnet or nuget a package source but a temporary folder of its own" "$(script_sources)"

echo "$passed passed, $failed failed"
((failed == 0))
