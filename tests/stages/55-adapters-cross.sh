# Real-board code cross-compiled for the chips it runs on (nothing here runs):
# the STM32 DMA adapters and the job code they share with the ESP bindings,
# the portable core and the Cortex-M7 backend, the boards and the
# nf-interpreter integration (ChibiOS variant) for Cortex-M7 at -Os -Werror,
# then linked into one image to prove every symbol resolves; the
# STM32F769I-DISCO's peripheral wiring among them; the GDMA chain builder and
# the job code for the ESP32-P4's RV32 core; the STM32F769I-DISCO cycle
# self-test image (built and checked, its DMA2 coherency check linked in, and
# run under QEMU mps2-an500 without its cycle counter or DMA2). One pass per
# compile unit (and one for the link); ends with "N passed, N failed".
set -uo pipefail
out=build/adapters-cross
rm -rf "$out" && mkdir -p "$out/arm" "$out/rv32" "$out/config"

warnings=(-std=c11 -Wall -Wextra -Werror -Wshadow -Wconversion -Wno-sign-conversion)
arm=(arm-none-eabi-gcc -mcpu=cortex-m7 -mthumb -Os -ffunction-sections -fdata-sections "${warnings[@]}")
rv32=(riscv64-unknown-elf-gcc --specs=picolibc.specs -march=rv32imac -mabi=ilp32 -Os "${warnings[@]}")
includes=(-Inative-interop/include -Iboards)

# What dmabuf-nf-interpreter.cmake writes for ST_STM32F769I_DISCOVERY.
cat >"$out/config/dmabuf_firmware_config.h" <<'EOF'
#define DMABUF_FIRMWARE_CHIBIOS 1
#define DMABUF_FIRMWARE_BOARD "stm32f769i-disco"
#define DMABUF_FIRMWARE_BOARD_PERIPHERALS 1
EOF

passed=0 failed=0
# unit <name> <compiler command...>: one compile (or link) counted once.
unit() {
  local name=$1; shift
  if "$@" 2>"$out/unit.err"; then
    echo "ok   $name"; passed=$((passed + 1))
  else
    cat "$out/unit.err"; echo "FAIL $name"; failed=$((failed + 1))
    return 1
  fi
}

for tool in arm-none-eabi-gcc riscv64-unknown-elf-gcc; do
  command -v "$tool" >/dev/null || { echo "$tool missing (tests/install-deps.sh installs it)"; echo "0 passed, 1 failed"; exit 1; }
done

objects=()
# compile <source> <extra flags...>: Cortex-M7, release (the firmware default).
compile() {
  local src=$1; shift
  local obj="$out/arm/$(echo "${src%.c}" | tr / _).o"
  unit "cortex-m7 $src" "${arm[@]}" "${includes[@]}" "$@" -c "$src" -o "$obj" && objects+=("$obj")
}

baremetal=(-Inative-interop/backends/os/baremetal -Inative-interop/core)
# The job code includes the OS port's header: the bare-metal port's stands in
# for ChibiOS's (ch.h only an nf-interpreter build has).
for src in firmware/adapters/peripheral_job.c firmware/adapters/stm32/*.c; do
  compile "$src" "${baremetal[@]}"
  # The failure messages are compiled in debug builds only: check them too.
  unit "cortex-m7 $src (DMABUF_DEBUG)" "${arm[@]}" "${includes[@]}" "${baremetal[@]}" -DDMABUF_DEBUG=1 \
    -c "$src" -o "$out/debug.o"
  # nf-interpreter's Debug images build at -Og, whose flow analysis warns differently.
  unit "cortex-m7 $src (-Og)" "${arm[@]}" -Og "${includes[@]}" "${baremetal[@]}" -c "$src" -o "$out/debug.o"
done
for src in native-interop/core/*.c; do compile "$src" "${baremetal[@]}"; done
compile native-interop/backends/cache_none.c
compile native-interop/backends/cache_cortex_m7.c -DDMABUF_BACKEND_CORTEX_M7
compile native-interop/backends/os/baremetal/os_baremetal.c "${baremetal[@]}"
for src in boards/*.c; do compile "$src"; done
firmware=(-I"$out/config" -Ifirmware/adapters -DDMABUF_BACKEND_CORTEX_M7 "${baremetal[@]}")
for src in firmware/nf-interpreter/*.c; do
  # ChibiOS hook-ups include hal.h, ESP-IDF wirings ESP-IDF's headers, which
  # only an nf-interpreter build has (the ESP bindings' logic is tested on the
  # host instead: tests/native/host/adapters_esp_test.c).
  [[ $src == *_chibios.c || $src == *_esp_idf.c ]] && continue
  compile "$src" "${firmware[@]}"
  unit "cortex-m7 $src (DMABUF_DEBUG)" "${arm[@]}" "${includes[@]}" "${firmware[@]}" -DDMABUF_DEBUG=1 \
    -c "$src" -o "$out/debug.o"
done

# Everything together: the firmware context and each adapter referenced from
# main, so a missing definition fails the link.
cat >"$out/main.c" <<'EOF'
#include "dmabuf_board_stm32f769i_disco.h"
#include "dmabuf_firmware.h"
#include "stm32/stm32_dcmi.h"
#include "stm32/stm32_ltdc.h"
#include "stm32/stm32_spi_tx.h"
int main(void)
{
	static struct stm32_dcmi_capture cap;
	static struct stm32_spi_tx tx;
	struct dmabuf_mapping m = { 0 };
	int err = dmabuf_firmware_init();
	err |= stm32_dcmi_capture_start(&cap, &m) | stm32_spi_tx_start(&tx, &m);
	err |= stm32_ltdc_layer_show(0, 0, 0, &m, 0, 0);
	/* the board's interrupt entry points (init registered its peripherals) */
	dmabuf_disco_camera_dma(0, 0);
	dmabuf_disco_panel_dma(0, 0);
	dmabuf_disco_display_reload();
	dmabuf_firmware_soft_reboot();
	return err;
}
EOF
unit "cortex-m7 link" "${arm[@]}" "${includes[@]}" -Ifirmware/adapters -Ifirmware/nf-interpreter \
  "$out/main.c" "${objects[@]}" --specs=nano.specs --specs=nosys.specs -Wl,--gc-sections \
  -o "$out/arm/firmware.elf"

# The public headers as C++ with nf-interpreter's warnings (its interop stubs
# include them, and its STM32 and ESP32 targets compile C++ with these).
for h in native-interop/include/dmabuf/*.h; do echo "#include \"${h#native-interop/include/}\""; done >"$out/headers.cpp"
unit "cortex-m7 c++ public headers (-Wshadow -Wundef)" arm-none-eabi-g++ -mcpu=cortex-m7 -mthumb \
  -Wall -Wextra -Werror -Wundef -Wshadow -DDMABUF_BACKEND_CORTEX_M7 "${includes[@]}" "${baremetal[@]}" \
  -fsyntax-only "$out/headers.cpp"

unit "rv32imac firmware/adapters/esp/esp_gdma_chain.c" "${rv32[@]}" "${includes[@]}" \
  -c firmware/adapters/esp/esp_gdma_chain.c -o "$out/rv32/esp_gdma_chain.o"
unit "rv32imac firmware/adapters/esp/esp_gdma_chain.c (DMABUF_DEBUG)" "${rv32[@]}" "${includes[@]}" \
  -DDMABUF_DEBUG=1 -c firmware/adapters/esp/esp_gdma_chain.c -o "$out/rv32/debug.o"
# The job code the ESP bindings share with the STM32 adapters (the ESP-IDF
# port's header needs ESP-IDF: the bare-metal port's stands in).
unit "rv32imac firmware/adapters/peripheral_job.c" "${rv32[@]}" "${includes[@]}" "${baremetal[@]}" \
  -c firmware/adapters/peripheral_job.c -o "$out/rv32/peripheral_job.o"

# The STM32F769I-DISCO cycle self-test (firmware/stm32f769i-disco-selftest):
# the board image built with its CMake project, checked for fit, layout and
# the pieces it must contain; then the same self-test built for QEMU
# mps2-an500 and run there, where DWT_CYCCNT does not count: every pipeline
# frame must run and pass its check, and the counter must be reported as not
# counting (no cycle figures, no medians); the coherency check's compare must
# find its planted difference, and the check itself must say it did not run
# (no DMA2 there), never report a result.
selftest_build() { # <dir> <cmake args...>
  local dir=$1; shift
  cmake -S firmware/stm32f769i-disco-selftest -B "$dir" -DCMAKE_TOOLCHAIN_FILE="$PWD/firmware/cmake/arm-none-eabi.cmake" \
    "$@" >/dev/null && cmake --build "$dir" -j2 >"$dir.log" 2>&1 || { grep -E 'error|undefined' "$dir.log" | head -n 20; return 1; }
}
disco_elf=$out/selftest-disco/dmabuf_disco_selftest.elf
# Every allocated section in flash (0x08000000, 2 MB) or DTCM (0x20000000,
# 128 KB, 8 KB of it left for the stack): SRAM1/2 and the SDRAM are DmaBuf's.
selftest_layout() {
  arm-none-eabi-size -A "$disco_elf" | awk '
    NR > 2 && $3 > 0 { if ($3 >= 134217728 && $3 + $2 <= 134217728 + 2097152) flash += $2
                       else if ($3 >= 536870912 && $3 + $2 <= 536870912 + 131072) dtcm += $2
                       else bad = bad " " $1 }
    /^\.data / { flash += $2 } # its initial values
    END { printf "  flash %d B, DTCM %d B (data, bss)\n", flash, dtcm
          if (bad != "") { print "  outside flash/DTCM:" bad; exit 1 }
          exit !(flash <= 2097152 && dtcm <= 131072 - 8192) }'
}
# The reset vector is Reset_Handler (Thumb) at 0x08000004, the table at the
# image's start; the self-test's parts are all linked in.
selftest_symbols() {
  local symbols reset vector missing=0
  symbols=$(arm-none-eabi-nm "$disco_elf")
  reset=$(awk '$3 == "Reset_Handler" { print $1 }' <<<"$symbols")
  vector=$(arm-none-eabi-objdump -s --start-address=0x08000004 --stop-address=0x08000008 "$disco_elf" |
    awk '/^ 8000004/ { v = $2; print substr(v, 7, 2) substr(v, 5, 2) substr(v, 3, 2) substr(v, 1, 2) }')
  [[ -n $reset && $((16#$vector)) == $((16#$reset | 1)) ]] || { echo "  reset vector $vector, Reset_Handler $reset"; return 1; }
  for symbol in vectors main disco_clock_init disco_console_init disco_sdram_init disco_caches_enable _write \
                cycle_counter_start pipeline_copy_frame pipeline_zero_copy_frame pipeline_overlay_draw \
                dmabuf_cache_cortex_m7 dmabuf_board_stm32f769i_disco coherency_check disco_dma2_copy; do
    grep -q " $symbol$" <<<"$symbols" || { echo "  missing: $symbol"; missing=1; }
  done
  return $missing
}
selftest_qemu() {
  local log=$out/selftest-mps2.out
  timeout 120 qemu-system-arm -M mps2-an500 -display none -monitor none -serial none -chardev stdio,id=sh0 \
    -semihosting-config enable=on,target=native,chardev=sh0 -kernel "$out/selftest-mps2/dmabuf_disco_selftest.elf" \
    </dev/null >"$log" 2>&1
  local status=$? frames
  frames=$(grep -c '^frame [0-9x]* [a-z-]* [0-9]* not-counted$' "$log")
  if ((status != 0)) || ((frames != 96)) || ! grep -q '^cycle counter: DWT_CYCCNT does not count' "$log" ||
     grep -q '^median ' "$log" || ! grep -q '^selftest done: 0 failures$' "$log" ||
     ! grep -q '^coherency compare: planted difference at byte [0-9]* found$' "$log" ||
     ! grep -q '^no DMA2 on this machine: coherency check not run$' "$log" || grep -q '^coherency .*: PASS$' "$log"; then
    grep -v '^frame ' "$log" | head -n 20; echo "  exit status $status, $frames of 96 frames reported not-counted"
    return 1
  fi
  grep '^size ' "$log" | sed 's/^/  /'
}
if unit "stm32f769i-disco self-test image (cmake build)" selftest_build "$out/selftest-disco"; then
  unit "stm32f769i-disco self-test image: in flash and DTCM only, fits" selftest_layout
  unit "stm32f769i-disco self-test image: reset vector, self-test parts linked" selftest_symbols
fi
unit "self-test for qemu-mps2-an500 (cmake build)" selftest_build "$out/selftest-mps2" -DSELFTEST_PLATFORM=qemu-mps2-an500 &&
  unit "self-test under qemu-mps2-an500: 96 frames checked, counter reported as not counting, coherency check not run" selftest_qemu

echo "--- .text at -Os (bytes)"
arm-none-eabi-size "$out"/arm/firmware_adapters_peripheral_job.o "$out"/arm/firmware_adapters_stm32_*.o \
  "$out"/arm/firmware_nf-interpreter_*.o 2>/dev/null |
  awk 'NR > 1 { printf "  %6d  %s\n", $1, $6 }'
ls "$out"/rv32/esp_gdma_chain.o "$out"/rv32/peripheral_job.o 2>/dev/null | xargs -r riscv64-unknown-elf-size |
  awk 'NR > 1 { printf "  %6d  %s (rv32)\n", $1, $6 }'
echo "$passed passed, $failed failed"
((failed == 0))
