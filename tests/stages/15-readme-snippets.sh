# Every code block of README.md is a program CI builds and runs, so none can rot (issue 17):
# each ```c block is compiled against the in-tree libraries (the DmaBuf:: targets, as a user's
# add_subdirectory or installed package gives them) with the project's warnings as errors, each
# ```csharp block becomes Program.cs of a throwaway console project referencing the host
# library; both must build and exit 0, and where the README shows the output (a ```text output
# block right after), the program must print exactly that. Blocks are extracted by
# tests/readme/extract-blocks.awk; everything is generated under build/readme-snippets.
set -uo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
cd "$(dirname "$0")/../.."
root=$PWD work=$PWD/build/readme-snippets

passed=0 failed=0
source tests/stage-lib.sh

rm -rf "$work/blocks" && mkdir -p "$work/blocks" "$work/c"
awk -v out="$work/blocks" -f tests/readme/extract-blocks.awk README.md || stage_check 0 "README.md parses"
mapfile -t blocks < <(cat "$work/blocks/index" 2>/dev/null)
stage_check $((${#blocks[@]} > 0)) "README.md has code blocks to check (${#blocks[@]})"

# One CMake project for the C blocks: the repository as a subdirectory, one executable each.
{
  echo "cmake_minimum_required(VERSION 3.20)"
  echo "project(readme_snippets C)"
  echo "set(BUILD_TESTING OFF)"
  echo "add_subdirectory(\"$root\" dmabuf)"
  for entry in "${blocks[@]}"; do
    read -r id lang _ <<<"$entry"
    [[ $lang == c ]] || continue
    echo "add_executable(snippet-$id \"$work/blocks/$id.c\")"
    echo "target_compile_options(snippet-$id PRIVATE -Wall -Wextra -Werror -Wshadow -Wconversion -Wno-sign-conversion)"
    echo "target_link_libraries(snippet-$id PRIVATE DmaBuf::sim DmaBuf::boards)"
  done
} >"$work/c/CMakeLists.txt"
cmake -S "$work/c" -B "$work/c/build" -DCMAKE_BUILD_TYPE=Debug >"$work/c/configure.log" 2>&1
stage_check $((! $?)) "C blocks: cmake configure" "$work/c/configure.log"

check_output() { # check_output ID LANG LINE ACTUAL
  local expected=$work/blocks/$1.out
  [[ -f $expected ]] || return 0
  diff -u "$expected" "$4" >"$4.diff"
  stage_check $((! $?)) "README $2 block at line $3 prints the output the README shows" "$4.diff"
}

for entry in "${blocks[@]}"; do
  read -r id lang line <<<"$entry"
  log=$work/$id.log actual=$work/$id.actual
  if [[ $lang == c ]]; then
    cmake --build "$work/c/build" --target "snippet-$id" -j2 >"$log" 2>&1
    built=$((! $?))
    stage_check $built "README C block at line $line compiles" "$log"
    ((built)) || continue
    timeout 60 "$work/c/build/snippet-$id" >"$actual" 2>"$log"
    stage_check $((! $?)) "README C block at line $line runs and exits 0" "$log"
  else
    project=$work/cs-$id
    mkdir -p "$project"
    cp "$work/blocks/$id.cs" "$project/Program.cs"
    cat >"$project/Snippet.csproj" <<CSPROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>disable</Nullable>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$root/managed/nanoFramework.DmaBuf.Host/nanoFramework.DmaBuf.Host.csproj" />
  </ItemGroup>
</Project>
CSPROJ
    dotnet build "$project/Snippet.csproj" -v q -nologo >"$log" 2>&1
    built=$((! $?))
    stage_check $built "README C# block at line $line compiles" "$log"
    ((built)) || continue
    timeout 120 dotnet "$project/bin/Debug/net10.0/Snippet.dll" >"$actual" 2>"$log"
    stage_check $((! $?)) "README C# block at line $line runs and exits 0" "$log"
  fi
  check_output "$id" "$lang" "$line" "$actual"
done

echo "$passed passed, $failed failed"
((failed == 0))
