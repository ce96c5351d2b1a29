#!/usr/bin/env bash
# Builds the FreeRTOS and ChibiOS/RT OS ports (native-interop/backends/os/) with
# the fence and queue code against the real kernels, and runs the port check
# (rtos_port_check.c) on QEMU mps2-an500. The kernels are not in this
# repository (nor on any package registry here): fetch them and say where.
#
#   FREERTOS_KERNEL=<FreeRTOS-Kernel checkout> CHIBIOS=<ChibiOS checkout> \
#     bash tests/native/sync/rtos/run-rtos-ports.sh [build-dir]
#
# Either variable may be left out to skip that RTOS. ChibiOS's configuration
# is its RT-STM32F746G-DISCOVERY demo's chconf.h (CHIBIOS_CFG to override),
# in tick mode since no HAL timer driver is linked. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../../../.."
out=${1:-build/sync-rtos}
here=tests/native/sync/rtos
arch=(-mcpu=cortex-m7 -mthumb -mfpu=fpv5-sp-d16 -mfloat-abi=hard -std=gnu11 -O2 -g)
# The project's code gets the project's warnings; kernel sources their own.
strict=(-Wall -Wextra -Werror -Wshadow -Wconversion -Wno-sign-conversion -DDMABUF_DEBUG=1)
ours=(native-interop/core/fence.c native-interop/core/queue.c native-interop/core/handle.c
      native-interop/core/report.c native-interop/core/format.c)
passed=0 failed=0

build_and_run() { # name, os-port dir, include flags..., -- kernel sources...
  local name=$1 port=$2; shift 2
  local inc=() kernel=() seen_sep=0
  for a in "$@"; do
    if [[ $a == -- ]]; then seen_sep=1; elif ((seen_sep)); then kernel+=("$a"); else inc+=("$a"); fi
  done
  local dir=$out/$name; rm -rf "$dir"; mkdir -p "$dir"
  inc+=(-Inative-interop/include -Inative-interop/backends/os/"$port" -Inative-interop/core -I"$here")
  local ok=1 src obj
  for src in "${ours[@]}" native-interop/backends/os/"$port"/os_"$port".c "$here"/rtos_port_check.c; do
    obj=$dir/$(basename "$src" .c).o
    arm-none-eabi-gcc "${arch[@]}" "${strict[@]}" "${inc[@]}" -c "$src" -o "$obj" || ok=0
  done
  for src in "${kernel[@]}"; do
    obj=$dir/k_$(basename "${src%.*}").o
    arm-none-eabi-gcc "${arch[@]}" "${inc[@]}" -x "$([[ $src == *.S ]] && echo assembler-with-cpp || echo c)" \
      -c "$src" -o "$obj" || ok=0
  done
  ((ok)) && arm-none-eabi-gcc "${arch[@]}" --specs=rdimon.specs -nostartfiles -T"$here"/mps2_an500_rtos.ld \
    "$dir"/*.o -o "$dir"/port.elf -lc -lrdimon || ok=0
  if ((ok)) && timeout 60 qemu-system-arm -M mps2-an500 -display none -monitor none -serial none \
       -chardev stdio,id=sh0 -semihosting-config enable=on,target=native,chardev=sh0 -kernel "$dir"/port.elf; then
    echo "=== $name port: passed"; passed=$((passed + 1))
  else
    echo "=== $name port: FAILED"; failed=$((failed + 1))
  fi
}

if [[ -n ${FREERTOS_KERNEL:-} ]]; then
  k=$FREERTOS_KERNEL
  build_and_run freertos freertos -DRTOS_FREERTOS -I"$here"/freertos -I"$k"/include -I"$k"/portable/GCC/ARM_CM7/r0p1 -- \
    "$k"/tasks.c "$k"/queue.c "$k"/list.c "$k"/portable/GCC/ARM_CM7/r0p1/port.c \
    "$here"/freertos_glue.c "$here"/startup.c
fi
if [[ -n ${CHIBIOS:-} ]]; then
  c=$CHIBIOS
  cfg=${CHIBIOS_CFG:-$c/demos/STM32/RT-STM32F746G-DISCOVERY/cfg}
  build_and_run chibios chibios -DRTOS_THREADS_ON_PSP -DSTM32F746xx -DCH_CFG_ST_TIMEDELTA=0 -I"$cfg" \
    -I"$c"/os/license -I"$c"/os/rt/include -I"$c"/os/oslib/include -I"$c"/os/common/portability/GCC \
    -I"$c"/os/common/ports/ARM-common -I"$c"/os/common/ports/ARM-common/include -I"$c"/os/common/ports/ARMv7-M \
    -I"$c"/os/common/startup/ARMCMx/devices/STM32F7xx -I"$c"/os/common/ext/ARM/CMSIS/Core/Include \
    -I"$c"/os/common/ext/ST/STM32F7xx -- \
    "$c"/os/rt/src/*.c "$c"/os/oslib/src/*.c "$c"/os/common/ports/ARMv7-M/chcore.c \
    "$c"/os/common/ports/ARMv7-M/compilers/GCC/chcoreasm.S "$here"/chibios_glue.c "$here"/startup.c
fi
echo "$passed passed, $failed failed"
((failed == 0))
