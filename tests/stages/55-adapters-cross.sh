# Real-board code cross-compiled for the chips it runs on (nothing here runs):
# the STM32 DMA adapters, the portable core and the Cortex-M7 backend, the
# boards and the nf-interpreter integration (ChibiOS variant) for Cortex-M7
# at -Os -Werror, then linked into one image to prove every symbol resolves;
# the STM32F769I-DISCO's peripheral wiring among them; the GDMA chain
# builder for the ESP32-P4's RV32 core. One pass per compile
# unit (and one for the link); ends with "N passed, N failed".
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

for src in firmware/adapters/stm32/*.c; do
  compile "$src"
  # The failure messages are compiled in debug builds only: check them too.
  unit "cortex-m7 $src (DMABUF_DEBUG)" "${arm[@]}" "${includes[@]}" -DDMABUF_DEBUG=1 -c "$src" -o "$out/debug.o"
  # nf-interpreter's Debug images build at -Og, whose flow analysis warns differently.
  unit "cortex-m7 $src (-Og)" "${arm[@]}" -Og "${includes[@]}" -c "$src" -o "$out/debug.o"
done
baremetal=(-Inative-interop/backends/os/baremetal -Inative-interop/core)
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

echo "--- .text at -Os (bytes)"
arm-none-eabi-size "$out"/arm/firmware_adapters_stm32_*.o "$out"/arm/firmware_nf-interpreter_*.o 2>/dev/null |
  awk 'NR > 1 { printf "  %6d  %s\n", $1, $6 }'
[[ -f $out/rv32/esp_gdma_chain.o ]] && riscv64-unknown-elf-size "$out/rv32/esp_gdma_chain.o" |
  awk 'NR > 1 { printf "  %6d  %s (rv32)\n", $1, $6 }'
echo "$passed passed, $failed failed"
((failed == 0))
