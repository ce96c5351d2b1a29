# On-target suites: the portable C suites (tests/native/core_suites.h) and the
# firmware-only suites, cross-built for Cortex-M7 and RV32 and run under QEMU
# (firmware/qemu-*). Each runner prints the harness's "N passed, N failed" and
# exits with its failure count; this stage ends with one summed line.
set -uo pipefail

total_passed=0 total_failed=0

# run_target <name> <firmware dir> <toolchain file> <qemu command...>
run_target() {
  local name=$1 source=firmware/$2 toolchain=firmware/cmake/$3; shift 3
  local dir=build/firmware-$name elf log
  echo "--- $name: build"
  if ! cmake -S "$source" -B "$dir" -DCMAKE_TOOLCHAIN_FILE="$PWD/$toolchain" >/dev/null ||
     ! cmake --build "$dir" -j2 >"$dir.build.log" 2>&1; then
    grep -E 'error:|undefined reference' "$dir.build.log" | head -n 20
    echo "--- $name: build failed"
    total_failed=$((total_failed + 1))
    return
  fi
  elf=$(ls "$dir"/*.elf)
  echo "--- $name: run"
  log=$(mktemp)
  timeout 120 "$@" -kernel "$elf" </dev/null 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local summary; summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  rm -f "$log"
  local passed=0 failed=0
  if [[ -n $summary ]]; then
    passed=${summary%% passed*}; failed=${summary#*passed, }; failed=${failed%% failed*}
  fi
  # The exit status is the failure count; a crash, hang (124) or lost
  # summary counts as one more failure.
  if [[ -z $summary ]] || ((status != failed)); then
    echo "--- $name: exit status $status does not match the summary '${summary:-none}'"
    failed=$((failed + 1))
  fi
  total_passed=$((total_passed + passed)) total_failed=$((total_failed + failed))
}

run_target mps2 qemu-mps2-an500 arm-none-eabi.cmake \
  qemu-system-arm -M mps2-an500 -display none -monitor none -serial none \
  -chardev stdio,id=sh0 -semihosting-config enable=on,target=native,chardev=sh0
run_target virt qemu-riscv32-virt riscv32-picolibc.cmake \
  qemu-system-riscv32 -M virt -display none -monitor none -serial stdio -bios none

echo "$total_passed passed, $total_failed failed"
((total_failed == 0))
