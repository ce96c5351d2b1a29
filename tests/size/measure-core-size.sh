#!/usr/bin/env bash
# Code size of the portable core on Cortex-M7 (docs/SIZE.md): every
# native-interop/core/*.c compiled alone at -Os, release (no DMABUF_DEBUG), as
# the firmware builds it. Prints .text and .rodata per object, the total with
# and without the optional invariant walker of dmabuf_check
# (DMABUF_INVARIANT_CHECK=0), the sync layer (fences, reservations, queues)
# and the peripheral front (peripheral.c, the contract of the camera, display
# and SPI panel back ends, with pixel.c, the pixel formats it and the frames
# layer share), neither part of the budget, for information, the per-line loop of the
# Cortex-M7 backend and the metadata per buffer / attachment. Exits 1 if the
# core's .text without the walker exceeds the budget.
#
#   bash tests/size/measure-core-size.sh [build-dir]
#
# The figure is what the compiler emits for the core's objects, before the
# link: --gc-sections would drop the public functions an image never calls,
# so a linked image shows at most this much.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-build/size}
budget=8192
rm -rf "$out" && mkdir -p "$out"

cc=(arm-none-eabi-gcc -mcpu=cortex-m7 -mthumb -mfloat-abi=soft -std=c11 -Os -ffunction-sections -fdata-sections
    -Wall -Wextra -Werror -Wshadow -Wconversion -Wno-sign-conversion
    -Inative-interop/include -Inative-interop/backends/os/baremetal -Inative-interop/core)
command -v arm-none-eabi-gcc >/dev/null || { echo "arm-none-eabi-gcc missing (tests/install-deps.sh installs it)"; exit 1; }

# sections <object> <prefix>: bytes in the sections named <prefix>*
# (-ffunction-sections gives one .text.<function> per function).
sections() {
  arm-none-eabi-size -A "$1" | awk -v p="$2" 'index($1, p) == 1 { n += $2 } END { print n + 0 }'
}

core_text=0 core_rodata=0 sync_text=0 sync_rodata=0 walker_text=0 peripheral_text=0 peripheral_rodata=0
printf '%-28s %7s %7s\n' object .text .rodata
for src in native-interop/core/*.c; do
  name=$(basename "$src" .c)
  "${cc[@]}" -c "$src" -o "$out/$name.o"
  text=$(sections "$out/$name.o" .text) rodata=$(sections "$out/$name.o" .rodata)
  case $name in
    fence | queue | resv) sync_text=$((sync_text + text)) sync_rodata=$((sync_rodata + rodata)); mark=' (sync)' ;;
    peripheral | pixel)
      peripheral_text=$((peripheral_text + text)) peripheral_rodata=$((peripheral_rodata + rodata)); mark=' (peripherals)' ;;
    invariants)
      "${cc[@]}" -DDMABUF_INVARIANT_CHECK=0 -c "$src" -o "$out/$name-off.o"
      walker_text=$((text - $(sections "$out/$name-off.o" .text)))
      core_text=$((core_text + text)) core_rodata=$((core_rodata + rodata)); mark= ;;
    *) core_text=$((core_text + text)) core_rodata=$((core_rodata + rodata)); mark= ;;
  esac
  printf '%-28s %7d %7d\n' "$name.o$mark" "$text" "$rodata"
done
printf '%-28s %7d %7d\n' 'core total' "$core_text" "$core_rodata"
budgeted=$((core_text - walker_text))
printf '%-28s %7d\n' 'core, INVARIANT_CHECK=0' "$budgeted"
printf '%-28s %7d %7d\n' 'sync layer (not budgeted)' "$sync_text" "$sync_rodata"
printf '%-28s %7d %7d\n' 'peripherals (not budgeted)' "$peripheral_text" "$peripheral_rodata"

# The per-line loop of a range clean or invalidate (by_line): its unrolled
# pass, the instructions between the loop label and its backward branch, and
# the lines it maintains (its stores). Exact per-call counts: stage 67.
"${cc[@]}" -DDMABUF_BACKEND_CORTEX_M7 -c native-interop/backends/cache_cortex_m7.c -o "$out/cache_cortex_m7.o"
echo
echo 'Cortex-M7 by_line unrolled pass:'
arm-none-eabi-objdump -d --no-show-raw-insn "$out/cache_cortex_m7.o" |
  awk '/<by_line>:/ { on = 1; next } on && /^$/ { on = 0 } on' |  # no early exit: objdump would die of SIGPIPE under pipefail
  awk '{ lines[NR] = $0; addr[NR] = $1 }
       /\tb(hi|cc|lo|ne|cs)(\.n|\.w)?\t/ { split($0, f, "\t"); split(f[3], t, " "); target = t[1] ":"; last = NR }
       END { for (i = 1; i <= last; i++) if (addr[i] == target) first = i;
             for (i = first; i <= last; i++) { print lines[i]; if (lines[i] ~ /\tstr\t/) stores++ }
             printf "  %d instructions per %d lines: %.3f per line\n", last - first + 1, stores, (last - first + 1) / stores }'

# Metadata per object on a 32-bit target, from the compiler's own sizeof.
cat >"$out/metadata.c" <<'EOF'
#include "internal.h"
const char buffer_bytes[sizeof(struct dmabuf_buffer)];
const char attachment_bytes[sizeof(struct dmabuf_attachment)];
const char block_descriptor_bytes[sizeof(struct dmabuf_heap_block)];
EOF
"${cc[@]}" -fno-common -c "$out/metadata.c" -o "$out/metadata.o"
echo
echo 'Metadata on 32-bit (bytes):'
arm-none-eabi-nm -S -t d "$out/metadata.o" | awk '{ printf "  %-24s %d\n", $4, $2 + 0 }'

echo
if ((budgeted > budget)); then
  echo "core .text $budgeted B (without the invariant walker) is above the budget of $budget B"
  exit 1
fi
echo "core .text $budgeted B (without the invariant walker; $core_text B with it) within the budget of $budget B"
