/*
 * The firmware's DmaBuf context: board + pools + cache backend + OS port.
 *
 * Compiled only by nf-interpreter builds through dmabuf-nf-interpreter.cmake,
 * which writes dmabuf_firmware_config.h (platform, board name, sizes) and
 * defines DMABUF_BACKEND_CORTEX_M7 or DMABUF_BACKEND_ESP for every DmaBuf
 * source. NOT COMPILED ON CI for ESP-IDF (no ESP-IDF here; compiled by hand
 * for esp32p4 against ESP-IDF v5.5.4, docs/FIRMWARE-BUILDS.md); the ChibiOS
 * variant compiles for Cortex-M7 in tests/stages/55-adapters-cross.sh.
 */
#include "dmabuf_firmware_config.h"

#include <stdbool.h>
#include <stdint.h>

#include "../adapters/adapter_report.h"
#include "dmabuf_firmware.h"
#include "dmabuf_runtime_board.h"

#if defined(DMABUF_FIRMWARE_ESP_IDF)
#include "esp_heap_caps.h"
#include "soc/soc_caps.h"
#endif

/* ---- sizes (dmabuf_firmware_config.h may set each) ------------------------- */

#ifndef DMABUF_FIRMWARE_MAX_BUFFERS
#define DMABUF_FIRMWARE_MAX_BUFFERS 16u
#endif
#ifndef DMABUF_FIRMWARE_MAX_ATTACHMENTS
#define DMABUF_FIRMWARE_MAX_ATTACHMENTS 32u
#endif
#ifndef DMABUF_FIRMWARE_MAX_FENCES
#define DMABUF_FIRMWARE_MAX_FENCES 32u
#endif
/* Storage blocks. dmabuf_*_storage_size() gives the exact need only at run
 * time, so these are checked by init, which names the one to raise. */
#ifndef DMABUF_FIRMWARE_CONTEXT_BYTES
#define DMABUF_FIRMWARE_CONTEXT_BYTES 8192u
#endif
#ifndef DMABUF_FIRMWARE_FENCE_BYTES
#define DMABUF_FIRMWARE_FENCE_BYTES 4096u
#endif
#ifndef DMABUF_FIRMWARE_RESV_BYTES
#define DMABUF_FIRMWARE_RESV_BYTES 4096u
#endif
/* Implicit-sync waits in map / begin_cpu_access give up after this, so a
 * fence that never signals (a stalled DMA) fails the call with
 * TimeoutException. The wait parks only the calling managed thread: the
 * interop makes the table non-blocking and waits on a CLR event
 * (interop/nanoFramework/dmabuf_nf_wait.cpp). */
#ifndef DMABUF_FIRMWARE_IMPLICIT_TIMEOUT_US
#define DMABUF_FIRMWARE_IMPLICIT_TIMEOUT_US 1000000u
#endif
#ifndef DMABUF_FIRMWARE_CHECKER
#define DMABUF_FIRMWARE_CHECKER false
#endif

/* ---- cache backend ------------------------------------------------------------- */

#if defined(DMABUF_BACKEND_CORTEX_M7)
#define FIRMWARE_CACHE (&dmabuf_cache_cortex_m7)
#elif defined(DMABUF_BACKEND_ESP)
#define FIRMWARE_CACHE (&dmabuf_cache_esp)
#else
#define FIRMWARE_CACHE (&dmabuf_cache_none)
#endif

static uint64_t context_storage[DMABUF_FIRMWARE_CONTEXT_BYTES / 8];
static uint64_t fence_storage[DMABUF_FIRMWARE_FENCE_BYTES / 8];
static uint64_t resv_storage[DMABUF_FIRMWARE_RESV_BYTES / 8];

static struct {
	struct dmabuf_runtime_board runtime;
	struct dmabuf_ctx *ctx;
	struct dmabuf_fence_pool *fences;
	struct dmabuf_resv_table *resv;
	uint32_t fence_timeline; /* of the fences C# creates (DmaHeap.CreateFence) */
	dmabuf_report_fn report;
	void *report_user;
	struct dmabuf_peripheral_registry peripherals; /* what the board code registered */
} fw;

/* The reservation table is made last: with it, init has completed (and no
 * soft reboot has happened since). */
static bool ready(void)
{
	return fw.resv != NULL;
}

/* ---- pools ------------------------------------------------------------------------ */

/* The platform's own (ChibiOS 1, ESP-IDF 2) and the board's dedicated ones
 * (DMABUF_FIRMWARE_BOARD_POOLS: an ESP32-P4 DPI panel's frame buffers, 3 at most). */
#define MAX_POOLS 5u

#if defined(DMABUF_FIRMWARE_CHIBIOS)

#ifndef DMABUF_FIRMWARE_SRAM_POOL_BYTES
#define DMABUF_FIRMWARE_SRAM_POOL_BYTES (96u * 1024u)
#endif

/*
 * ChibiOS's linker rules give every ramN region a NOLOAD ".ramN" section,
 * laid out before the heap when HEAP_RAM is that region. nf-interpreter's
 * STM32F76x scripts make ram0 SRAM1+SRAM2 and keep .bss in DTCM, which the
 * board leaves out (nf-interpreter fills it with stacks, .bss and Ethernet
 * buffers: boards/stm32f769i_disco.c): .ram0 is the choice the board
 * covers. SRAM1/2 are write-back cached there (no MPU region changes them;
 * mcuconf STM32_SRAM2_NOCACHE is FALSE), as the board says. 32: the D-cache
 * line.
 */
static uint8_t sram_pool[DMABUF_FIRMWARE_SRAM_POOL_BYTES]
	__attribute__((section(".ram0"), aligned(32)));

static int get_pools(const struct dmabuf_board *board, struct dmabuf_pool *pools, uint32_t *count,
		     const struct dmabuf_adapter_report *report)
{
	(void)board;
	(void)report;
	pools[0] = (struct dmabuf_pool){ .bus_base = (dmabuf_addr_t)(uintptr_t)sram_pool, .cpu = sram_pool,
					 .size = sizeof(sram_pool), .flags = DMABUF_REGION_CACHEABLE };
	*count = 1;
	return 0;
}

#elif defined(DMABUF_FIRMWARE_ESP_IDF)

#ifndef DMABUF_FIRMWARE_INTERNAL_POOL_BYTES
#define DMABUF_FIRMWARE_INTERNAL_POOL_BYTES (32u * 1024u)
#endif
#ifndef DMABUF_FIRMWARE_PSRAM_POOL_BYTES
#define DMABUF_FIRMWARE_PSRAM_POOL_BYTES (512u * 1024u)
#endif

/* Taken from ESP-IDF's heaps once and kept for the firmware's life:
 * nanoCLR sizes its managed heap from what PSRAM is free at CLR start
 * minus ESP32_RESERVE_SPIRAM_IDF_ALLOCATION_BYTES, so the PSRAM pool comes
 * out of that reserve -- raise it by the pool size. */
static void *internal_block;
static void *psram_block;

/* Internal SRAM sits behind the L1 data cache on chips like the P4. */
#if SOC_CACHE_INTERNAL_MEM_VIA_L1CACHE
#define INTERNAL_FLAGS DMABUF_REGION_CACHEABLE
#else
#define INTERNAL_FLAGS 0u
#endif

/* Blocks start on the board's largest line so no line is lost to trimming. */
static uint32_t largest_line(const struct dmabuf_board *board)
{
	uint32_t line = 4;
	for (uint32_t r = 0; r < board->region_count; r++)
		if (board->regions[r].cache_line > line)
			line = board->regions[r].cache_line;
	return line;
}

static int get_pools(const struct dmabuf_board *board, struct dmabuf_pool *pools, uint32_t *count,
		     const struct dmabuf_adapter_report *report)
{
	uint32_t align = largest_line(board);
	if (DMABUF_FIRMWARE_INTERNAL_POOL_BYTES && !internal_block)
		internal_block = heap_caps_aligned_alloc(align, DMABUF_FIRMWARE_INTERNAL_POOL_BYTES,
							 MALLOC_CAP_DMA | MALLOC_CAP_INTERNAL);
	if (DMABUF_FIRMWARE_PSRAM_POOL_BYTES && !psram_block)
		psram_block = heap_caps_aligned_alloc(align, DMABUF_FIRMWARE_PSRAM_POOL_BYTES, MALLOC_CAP_SPIRAM);
	if ((DMABUF_FIRMWARE_INTERNAL_POOL_BYTES && !internal_block) ||
	    (DMABUF_FIRMWARE_PSRAM_POOL_BYTES && !psram_block))
		return ADAPTER_FAIL(report, DMABUF_ENOMEM,
				    "firmware: ESP-IDF heap refused a DmaBuf pool (lower DMABUF_FIRMWARE_*_POOL_BYTES "
				    "or raise ESP32_RESERVE_SPIRAM_IDF_ALLOCATION_BYTES)");
	uint32_t n = 0;
	if (internal_block)
		pools[n++] = (struct dmabuf_pool){ .bus_base = (dmabuf_addr_t)(uintptr_t)internal_block,
						   .cpu = internal_block,
						   .size = DMABUF_FIRMWARE_INTERNAL_POOL_BYTES,
						   .flags = INTERNAL_FLAGS };
	if (psram_block)
		pools[n++] = (struct dmabuf_pool){ .bus_base = (dmabuf_addr_t)(uintptr_t)psram_block,
						   .cpu = psram_block,
						   .size = DMABUF_FIRMWARE_PSRAM_POOL_BYTES,
						   .flags = DMABUF_REGION_CACHEABLE };
#if defined(DMABUF_FIRMWARE_BOARD_POOLS)
	/* After the general ones: inside one board region, placement tries
	 * pools in this order, so buffers attached to no device fill those first. */
	uint32_t lent = 0;
	int err = dmabuf_firmware_board_pools(board, pools + n, MAX_POOLS - n, &lent);
	if (err)
		return err;
	n += lent;
#endif
	*count = n;
	return 0;
}

#else
#error "dmabuf_firmware.c: build it through dmabuf-nf-interpreter.cmake (no platform configured)"
#endif

/* ---- init and teardown ---------------------------------------------------------- */

void dmabuf_firmware_set_report(dmabuf_report_fn report, void *user)
{
	fw.report = report;
	fw.report_user = user;
	/* The same sink hears of calls with a NULL or dead object (dmabuf.h). */
	dmabuf_set_fallback_report(report, user);
	fw.peripherals.report = report;
	fw.peripherals.report_user = user;
}

/* The context over the board's pools, made once for the firmware's life
 * (a soft reboot resets it, dmabuf_firmware_soft_reboot). */
static int context_init(const struct dmabuf_adapter_report *report)
{
	const struct dmabuf_board *board = dmabuf_board_find(DMABUF_FIRMWARE_BOARD);
	if (!board)
		return ADAPTER_FAIL(report, DMABUF_ENOENT, "firmware: DMABUF_FIRMWARE_BOARD is not a compiled-in board");

	struct dmabuf_pool pools[MAX_POOLS];
	uint32_t pool_count = 0;
	int err = get_pools(board, pools, &pool_count, report);
	if (err)
		return err;
	err = dmabuf_runtime_board_init(&fw.runtime, board, pools, pool_count, fw.report, fw.report_user);
	if (err)
		return err;

	const struct dmabuf_config config = {
		.board = &fw.runtime.board,
		.region_memory = fw.runtime.region_memory,
		.cache = FIRMWARE_CACHE,
		/* The Cortex-M7 backend reads dcache_size from it when CCSIDR
		 * cannot be read; the others ignore it. */
		.cache_priv = &fw.runtime.board,
		.max_buffers = DMABUF_FIRMWARE_MAX_BUFFERS,
		.max_attachments = DMABUF_FIRMWARE_MAX_ATTACHMENTS,
		.checker = DMABUF_FIRMWARE_CHECKER,
		.report = fw.report,
		.report_user = fw.report_user,
	};
	if (dmabuf_storage_size(&config) > sizeof(context_storage))
		return ADAPTER_FAIL(report, DMABUF_ENOMEM, "firmware: raise DMABUF_FIRMWARE_CONTEXT_BYTES");
	return dmabuf_init(&fw.ctx, context_storage, sizeof(context_storage), &config);
}

int dmabuf_firmware_init(void)
{
	if (ready())
		return 0;
	const struct dmabuf_adapter_report report = { fw.report, fw.report_user };
	if (dmabuf_fence_pool_storage_size(DMABUF_FIRMWARE_MAX_FENCES) > sizeof(fence_storage))
		return ADAPTER_FAIL(&report, DMABUF_ENOMEM, "firmware: raise DMABUF_FIRMWARE_FENCE_BYTES");
	if (dmabuf_resv_storage_size(DMABUF_FIRMWARE_MAX_BUFFERS) > sizeof(resv_storage))
		return ADAPTER_FAIL(&report, DMABUF_ENOMEM, "firmware: raise DMABUF_FIRMWARE_RESV_BYTES");
	int err;
	if (!fw.ctx) {
		err = context_init(&report);
		if (err)
			return err;
	}

	struct dmabuf_fence_pool *fences;
	err = dmabuf_fence_pool_init(&fences, fence_storage, sizeof(fence_storage), DMABUF_FIRMWARE_MAX_FENCES);
	if (err)
		goto err_ctx;
	dmabuf_fence_pool_set_report(fences, fw.report, fw.report_user);
	struct dmabuf_resv_table *resv;
	err = dmabuf_resv_init(&resv, resv_storage, sizeof(resv_storage), fw.ctx, fences,
			       DMABUF_FIRMWARE_IMPLICIT_TIMEOUT_US);
	if (err)
		goto err_fences;
#if defined(DMABUF_FIRMWARE_BOARD_PERIPHERALS)
	err = dmabuf_firmware_board_peripherals(fences);
	if (err)
		goto err_resv;
#endif
	fw.fences = fences;
	fw.resv = resv;
	fw.fence_timeline = dmabuf_fence_context_alloc(fences);
	return 0;

#if defined(DMABUF_FIRMWARE_BOARD_PERIPHERALS)
err_resv:
	dmabuf_resv_deinit(resv);
#endif
err_fences:
	dmabuf_fence_pool_deinit(fences);
err_ctx:
	/* Holds no buffer yet (nothing could use it): the next init starts over. */
	if (dmabuf_deinit(fw.ctx) == 0)
		fw.ctx = NULL;
	return err;
}

void dmabuf_firmware_soft_reboot(void)
{
	if (!ready())
		return;
	/*
	 * The managed objects died undisposed. The context outlives the CLR:
	 * dmabuf_reset reports every buffer that was alive by name, drops its
	 * attachments, mappings and CPU access (reopening MPU-guarded storage),
	 * lets the reservation table drop its fences, and returns all storage
	 * to the heap; old handles stay stale and the mutex is kept.
	 */
	(void)dmabuf_reset(fw.ctx);
	/*
	 * Fences have no reset: the table is unbound and the pool torn down
	 * (it reports fences still referenced, in debug builds); the next
	 * dmabuf_firmware_init makes both afresh over the same storage. The
	 * pool holds no OS object (waiters bring their own events), and the
	 * drivers that signal fences stopped in their own soft-reboot handlers
	 * first, so nothing touches the old fences any more.
	 */
	dmabuf_resv_deinit(fw.resv);
	(void)dmabuf_fence_pool_deinit(fw.fences);
	fw.fences = NULL;
	fw.resv = NULL;
}

struct dmabuf_ctx *dmabuf_firmware_context(void)
{
	return ready() ? fw.ctx : NULL;
}

struct dmabuf_fence_pool *dmabuf_firmware_fences(void)
{
	return fw.fences;
}

uint32_t dmabuf_firmware_fence_timeline(void)
{
	return fw.fence_timeline;
}

struct dmabuf_resv_table *dmabuf_firmware_reservations(void)
{
	return fw.resv;
}

const struct dmabuf_board *dmabuf_firmware_board(void)
{
	return ready() ? &fw.runtime.board : NULL;
}

/* ---- frame peripherals -------------------------------------------------------------- */

int dmabuf_firmware_register_peripheral(struct dmabuf_peripheral *peripheral)
{
	return dmabuf_peripheral_register(&fw.peripherals, peripheral);
}

struct dmabuf_peripheral_registry *dmabuf_firmware_peripherals(void)
{
	return &fw.peripherals;
}
