/*
 * The firmware's one DmaBuf context, for nf-interpreter builds
 * (ST_STM32F769I_DISCOVERY on ChibiOS, ESP32_S3_* and ESP32_P4 on ESP-IDF /
 * FreeRTOS).
 *
 * dmabuf_firmware_init() puts together what a board needs:
 *   - the compiled-in board description (DMABUF_FIRMWARE_BOARD, boards/),
 *     restricted to the pools this firmware sets aside for DmaBuf
 *     (dmabuf_runtime_board.h): on ChibiOS a static block in the .ram0
 *     section (SRAM1, reachable by every DMA master -- .bss is in DTCM on
 *     nf-interpreter's STM32F7 targets, all of it taken); on ESP-IDF
 *     blocks from the internal DMA-capable heap and from PSRAM;
 *   - the cache backend of the chip (Cortex-M7 SCB or esp_cache_msync);
 *   - the OS port linked in (ChibiOS or FreeRTOS, native-interop/backends/os);
 *   - a fence pool and the reservation table for implicit sync.
 * Sizes come from dmabuf_firmware_config.h, which the CMake integration
 * (dmabuf-nf-interpreter.cmake) writes from its cache variables.
 *
 * Threading: init, soft reboot and the getters are called from the nanoCLR
 * thread (every interop call runs there); never from an ISR. Fences may be
 * signalled from ISRs as fence.h allows: the interop installs the fence
 * pool's wake hook (Events_Set, ISR-safe) and makes the reservation table
 * non-blocking on DmaHeap.Open, so a driver that signals a fence wakes the
 * managed thread waiting on it with nothing more to do; it must not install
 * a wake hook of its own on the pool.
 */
#ifndef DMABUF_FIRMWARE_H
#define DMABUF_FIRMWARE_H

#include "dmabuf/dmabuf.h"
#include "dmabuf/fence.h"
#include "dmabuf/peripheral.h"
#include "dmabuf/resv.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Create the context, fence pool and reservation table (once; later calls
 * return 0 at once; after a soft reboot, the fence pool and table again, the
 * context being kept). The interop calls it on first use, so nothing needs
 * patching into nanoCLR's start-up.
 * @retval 0; -ENOENT the configured board is not compiled in; -ENOMEM a
 *         pool could not be had or a storage block is too small (the debug
 *         message names the DMABUF_FIRMWARE_* size to raise); -EINVAL a pool
 *         lies outside the board's regions; an error of dmabuf_init.
 */
int dmabuf_firmware_init(void);

/* The objects made by init, or NULL before a successful init and after a
 * soft reboot until the next init. */
struct dmabuf_ctx *dmabuf_firmware_context(void);
struct dmabuf_fence_pool *dmabuf_firmware_fences(void);
struct dmabuf_resv_table *dmabuf_firmware_reservations(void);
/* The fence timeline (dmabuf_fence_context_alloc) of the fences made from C#;
 * 0 before init. */
uint32_t dmabuf_firmware_fence_timeline(void);
/* The runtime board the context was made from (pools as regions). */
const struct dmabuf_board *dmabuf_firmware_board(void);

/*
 * Where failure messages go (debug builds): the context's, the fence pool's,
 * init's own, and the core's fallback sink (calls with a NULL or dead object,
 * dmabuf.h). Call before init to cover init itself.
 */
void dmabuf_firmware_set_report(dmabuf_report_fn report, void *user);

/*
 * The board's frame peripherals (dmabuf/peripheral.h) for the managed
 * Camera, ScanoutDisplay and SpiPanel. The board code that wires a chip
 * adapter (clocks, pins, the DMA stream's and the controller's interrupt
 * vectors: see the adapters in firmware/adapters) registers the
 * peripheral it drives once at start-up; it must stay valid for the
 * firmware's life. Thread context. @retval as dmabuf_peripheral_register.
 */
int dmabuf_firmware_register_peripheral(struct dmabuf_peripheral *peripheral);

/*
 * The board's wiring (DMABUF_FIRMWARE_BOARD_PERIPHERALS builds only, e.g.
 * dmabuf_board_stm32f769i_disco.c): called by init with the new fence pool,
 * the first time to register the board's peripherals, after a soft reboot
 * to move their jobs to the new pool. @retval 0; as
 * dmabuf_firmware_register_peripheral (init then fails with it).
 */
int dmabuf_firmware_board_peripherals(struct dmabuf_fence_pool *fences);

/*
 * Memory a board's drivers lend to DmaBuf (DMABUF_FIRMWARE_BOARD_POOLS builds
 * only, e.g. the ESP32-P4-Function-EV-Board's DPI frame buffers): called by
 * init before it makes the context, so it creates the drivers that own
 * that memory (once per boot); writes at most @room pools for @board to
 * @pools and their number to *@count. @retval 0; a negative error (init
 * then fails with it, and calls it again next time).
 */
struct dmabuf_pool; /* dmabuf_runtime_board.h */
int dmabuf_firmware_board_pools(const struct dmabuf_board *board, struct dmabuf_pool *pools, uint32_t room,
				uint32_t *count);

/* The registry of those peripherals (empty if the board registered none). */
struct dmabuf_peripheral_registry *dmabuf_firmware_peripherals(void);

/*
 * nanoCLR soft reboot (a new managed application is deployed): every managed
 * object that held a handle is gone without being disposed. dmabuf_reset
 * reports and drops every buffer, attachment, mapping and CPU access, and the
 * fence pool and reservation table are torn down; the next init makes those
 * two again over the kept context. The pools themselves are kept (ESP-IDF
 * heap blocks are not given back). Whoever drives a DMA engine on DmaBuf
 * memory must have stopped it before (its own soft-reboot handler runs
 * first).
 * ESP32: register it with HAL_AddSoftRebootHandler. ChibiOS targets have no
 * handler list (targetHAL.cpp has it commented out): call it from
 * nanoHAL_Uninitialize.
 */
void dmabuf_firmware_soft_reboot(void);

#ifdef __cplusplus
}
#endif

#endif /* DMABUF_FIRMWARE_H */
