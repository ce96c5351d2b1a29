# The API reference (issue 17): docfx, pinned as a local dotnet tool (.config/dotnet-tools.json),
# generates it from the XML documentation of the host build into build/api-docs/site. Fails
# when docfx warns (a broken cross-reference or link; --warningsAsErrors), when a public type
# or member comes out without a summary (checked in docfx's own metadata, so it holds even if
# the compiler's CS1591 were ever switched off), or when the site lacks its pages.
# docs/api holds the docfx project; it is copied under build/ so that docfx's generated
# metadata never lands in the source tree (build/api-docs sits as deep as docs/api, so the
# relative paths of docfx.json hold in both places).
set -uo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
cd "$(dirname "$0")/../.."
work=build/api-docs

passed=0 failed=0
source tests/stage-lib.sh
rm -rf "$work" && mkdir -p "$work"
log=$work/log

dotnet tool restore >"$log" 2>&1
stage_check $((! $?)) "dotnet tool restore (docfx, pinned in .config/dotnet-tools.json)" "$log"
dotnet build managed/nanoFramework.DmaBuf.Host/nanoFramework.DmaBuf.Host.csproj -c Release -v q -nologo >"$log" 2>&1
stage_check $((! $?)) "host library builds in Release with its XML documentation" "$log"

cp docs/api/docfx.json docs/api/index.md docs/api/toc.yml "$work/"
dotnet docfx metadata "$work/docfx.json" --warningsAsErrors >"$log" 2>&1
stage_check $((! $?)) "docfx metadata without a warning" "$log"
dotnet docfx build "$work/docfx.json" --warningsAsErrors >"$log" 2>&1
stage_check $((! $?)) "docfx build without a warning" "$log"

# Every item of docfx's metadata but a namespace carries a summary.
awk '
  function flush() { if (uid != "" && !summary && !namespace) print FILENAME ": " uid; if (uid != "") items++; uid = "" }
  FNR == 1 { flush(); in_items = 0 }
  /^items:/ { in_items = 1; next }
  /^references:/ { flush(); in_items = 0; next }
  in_items && /^- uid: / { flush(); uid = $3; summary = 0; namespace = 0; next }
  in_items && /^  type: Namespace$/ { namespace = 1 }
  in_items && /^  summary: *[^ ]/ { summary = 1 }
  END { flush(); print items + 0 > "/dev/stderr" }' "$work"/api/*.yml >"$log" 2>"$work/items"
items=$(cat "$work/items")
stage_check $((items > 0 && ! $(wc -l <"$log"))) "every public type and member of the reference has a summary ($items items)" "$log"

[[ -f $work/site/index.html && -f $work/site/api/nanoFramework.DmaBuf.DmaHeap.html ]]
stage_check $((! $?)) "the site has its index and the DmaHeap page ($work/site)"

echo "$passed passed, $failed failed"
((failed == 0))
