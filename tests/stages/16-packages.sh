# The packages a user takes, each built from and into places outside the tree as a user's
# project would be (issue 17), each consumer being a program of README.md (the blocks with
# their output shown, extracted by tests/readme/extract-blocks.awk), run and compared:
#   C:    `cmake --install` into a temporary prefix; a consumer found with
#         find_package(DmaBuf CONFIG) and one built with `pkg-config dmabuf-sim`.
#   .NET: `dotnet pack` of the host library into a temporary folder feed, checked for the
#         managed and the linux-x64 native asset; a `dotnet new console` app that takes it
#         with `dotnet add package` from that feed, and runs. The consumer restores into
#         its own temporary NUGET_PACKAGES: a package of the same version cached in
#         ~/.nuget/packages by an earlier run would otherwise be used in place of this one.
set -uo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
cd "$(dirname "$0")/../.."
root=$PWD version=$(head -n 1 VERSION)

passed=0 failed=0
source tests/stage-lib.sh
tmp=$(mktemp -d) feed=$(mktemp -d)
trap 'rm -rf "$tmp" "$feed"' EXIT

mkdir -p "$tmp/blocks"
awk -v out="$tmp/blocks" -f tests/readme/extract-blocks.awk README.md
# The README's first C and first C# program whose output it shows.
c_block="" cs_block=""
while read -r id lang _; do
  [[ -f $tmp/blocks/$id.out ]] || continue
  if [[ $lang == c && -z $c_block ]]; then c_block=$id; fi
  if [[ $lang == csharp && -z $cs_block ]]; then cs_block=$id; fi
done <"$tmp/blocks/index"
stage_check $((${#c_block} > 0 && ${#cs_block} > 0)) "README.md has a C and a C# program with their output"

run_and_compare() { # run_and_compare DESCRIPTION BLOCK-ID COMMAND...
  local description=$1 id=$2; shift 2
  local actual=$tmp/$id.actual
  timeout 120 "$@" >"$actual" 2>"$actual.err"
  stage_check $((! $?)) "$description runs and exits 0" "$actual.err"
  diff -u "$tmp/blocks/$id.out" "$actual" >"$actual.diff"
  stage_check $((! $?)) "$description prints the README's output" "$actual.diff"
}

# ---- C: cmake --install, then find_package and pkg-config consumers ----
log=$tmp/c.log
{ cmake -S . -B build/package-c -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=Release &&
  cmake --build build/package-c -j2 &&
  cmake --install build/package-c --prefix "$tmp/prefix"; } >"$log" 2>&1
stage_check $((! $?)) "cmake --install into a prefix outside the tree" "$log"

mkdir -p "$tmp/cmake-consumer"
cp "$tmp/blocks/$c_block.c" "$tmp/cmake-consumer/main.c"
cat >"$tmp/cmake-consumer/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(consumer C)
find_package(DmaBuf CONFIG REQUIRED)
add_executable(consumer main.c)
target_link_libraries(consumer PRIVATE DmaBuf::sim DmaBuf::boards)
CMAKE
{ cmake -S "$tmp/cmake-consumer" -B "$tmp/cmake-consumer/build" -DCMAKE_PREFIX_PATH="$tmp/prefix" &&
  cmake --build "$tmp/cmake-consumer/build"; } >"$log" 2>&1
built=$((! $?))
stage_check $built "C consumer builds with find_package(DmaBuf CONFIG)" "$log"
((built)) && run_and_compare "C consumer (find_package)" "$c_block" "$tmp/cmake-consumer/build/consumer"

flags=$(PKG_CONFIG_PATH=$tmp/prefix/lib/pkgconfig pkg-config --cflags --libs dmabuf-sim 2>"$log")
# shellcheck disable=SC2086 # pkg-config's output is a word list
gcc -std=c11 -Wall -Wextra -Werror "$tmp/blocks/$c_block.c" $flags -o "$tmp/pc-consumer" >>"$log" 2>&1
built=$((! $?))
stage_check $built "C consumer builds with pkg-config dmabuf-sim" "$log"
((built)) && run_and_compare "C consumer (pkg-config)" "$c_block" "$tmp/pc-consumer"

# ---- .NET: dotnet pack, then a console app from the package ----
log=$tmp/pack.log
dotnet pack managed/nanoFramework.DmaBuf.Host/nanoFramework.DmaBuf.Host.csproj -c Release -o "$feed" >"$log" 2>&1
stage_check $((! $?)) "dotnet pack of the host library" "$log"
package=$feed/nanoFramework.DmaBuf.Host.$version.nupkg
unzip -l "$package" >"$log" 2>&1
grep -q ' lib/net10.0/nanoFramework.DmaBuf.dll$' "$log" && grep -q ' runtimes/linux-x64/native/libdmabuf_host.so$' "$log"
stage_check $((! $?)) "the package holds the assembly and runtimes/linux-x64/native/libdmabuf_host.so" "$log"

consumer=$tmp/dotnet-consumer
log=$tmp/consumer.log
export NUGET_PACKAGES=$tmp/nuget-packages
{ dotnet new console -o "$consumer" &&
  cp "$tmp/blocks/$cs_block.cs" "$consumer/Program.cs" &&
  dotnet add "$consumer" package nanoFramework.DmaBuf.Host --version "$version" --source "$feed" &&
  dotnet build "$consumer" -c Release; } >"$log" 2>&1
built=$((! $?))
stage_check $built ".NET console app builds from the package (dotnet add package)" "$log"
((built)) && run_and_compare ".NET consumer" "$cs_block" dotnet run --no-build -c Release --project "$consumer"

echo "$passed passed, $failed failed"
((failed == 0))
