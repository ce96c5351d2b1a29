/*
 * The Cortex-M7 cache backend on the real instruction set (QEMU mps2-an500),
 * alone and driven by the core over the qemu-mps2-an500 board.
 *
 * QEMU models no cache, so these pin the contract (return codes, geometry
 * fallback, every call the core makes being accepted) rather than coherency,
 * which the host simulator tests.
 */
#include <stdint.h>
#include <string.h>

#include "boards.h"
#include "core/fixture.h"
#include "dmabuf/dmabuf.h"
#include "unit.h"

#define SCB_CCSIDR (*(volatile const uint32_t *)0xE000ED80u)

static uint8_t lines[256] __attribute__((aligned(64)));

static void cortex_m7_range_ops_keep_the_bytes_and_accept_region_lines(void)
{
	const struct dmabuf_cache_ops *ops = &dmabuf_cache_cortex_m7;
	for (size_t i = 0; i < sizeof(lines); i++)
		lines[i] = (uint8_t)(i * 7u);
	UNIT_EQ(ops->clean_range(NULL, lines, sizeof(lines), 32), 0);
	UNIT_EQ(ops->invalidate_range(NULL, lines, sizeof(lines), 64), 0);
	for (size_t i = 0; i < sizeof(lines); i++)
		UNIT_EQ(lines[i], (uint8_t)(i * 7u));
}

/* On a board declaring dcache_pou_is_poc, clean stores two lines per STRD
 * (DCCMVAU + DCCMVAC); the odd line and the short pass take other paths.
 * Which registers get which line addresses is checked on QEMU's register
 * trace by tests/stages/67-bench-target-counts.sh; here, the contract. */
static void cortex_m7_clean_in_pairs_keeps_the_contract(void)
{
	const struct dmabuf_cache_ops *ops = &dmabuf_cache_cortex_m7;
	void *board = (void *)&dmabuf_board_qemu_mps2_an500;
	UNIT_ASSERT(dmabuf_board_qemu_mps2_an500.dcache_pou_is_poc);
	for (size_t i = 0; i < sizeof(lines); i++)
		lines[i] = (uint8_t)(i * 5u);
	for (size_t size = 0; size <= sizeof(lines); size += 32)
		UNIT_EQ(ops->clean_range(board, lines, size, 32), 0);
	UNIT_EQ(ops->clean_range(board, lines + 6, 13, 64), 0);
	UNIT_EQ(ops->clean_range(board, lines, 64, 16), DMABUF_EINVAL);
	for (size_t i = 0; i < sizeof(lines); i++)
		UNIT_EQ(lines[i], (uint8_t)(i * 5u));
}

/* A region line below the hardware's 32 bytes is a board error: refused
 * rather than stepping over half-lines. */
static void cortex_m7_range_ops_reject_a_line_not_a_multiple_of_32(void)
{
	const struct dmabuf_cache_ops *ops = &dmabuf_cache_cortex_m7;
	UNIT_EQ(ops->clean_range(NULL, lines, 64, 16), DMABUF_EINVAL);
	UNIT_EQ(ops->invalidate_range(NULL, lines, 48, 48), DMABUF_EINVAL);
}

static void cortex_m7_whole_cache_ops_fall_back_to_the_board_geometry(void)
{
	const struct dmabuf_cache_ops *ops = &dmabuf_cache_cortex_m7;
	void *board = (void *)&dmabuf_board_qemu_mps2_an500;
	UNIT_EQ(ops->clean_all(board), 0);
	UNIT_EQ(ops->clean_invalidate_all(board), 0);
	/* QEMU reads CCSIDR as 0: without a board there is no geometry. */
	if (SCB_CCSIDR == 0) {
		UNIT_EQ(ops->clean_all(NULL), DMABUF_ENOTSUP);
		UNIT_EQ(ops->clean_invalidate_all(NULL), DMABUF_ENOTSUP);
	}
}

static void *region_memory[2];
static uint64_t storage[4096];

static int init_on_mps2(struct dmabuf_ctx **ctx)
{
	const struct dmabuf_board *board = &dmabuf_board_qemu_mps2_an500;
	for (uint32_t i = 0; i < board->region_count; i++)
		region_memory[i] = (void *)(uintptr_t)board->regions[i].bus_base;
	struct dmabuf_config config = {
		.board = board,
		.region_memory = region_memory,
		.cache = &dmabuf_cache_cortex_m7,
		.cache_priv = (void *)board,
		.max_buffers = 4,
		.max_attachments = 4,
		.checker = true,
	};
	if (dmabuf_storage_size(&config) > sizeof(storage))
		return DMABUF_ENOMEM;
	return dmabuf_init(ctx, storage, sizeof(storage), &config);
}

/* A 4 KB frame: the CPU fills it (128 cleans), a device writes it, the CPU
 * reads it back (128 invalidates). A 150 KB frame is over the board's 139 KiB
 * threshold: one whole-cache operation per hand-over instead of 4,800 lines. */
static void cortex_m7_core_hand_overs_run_on_the_real_backend(void)
{
	struct dmabuf_ctx *ctx;
	UNIT_EQ(init_on_mps2(&ctx), 0);
	int device = dmabuf_device_find(ctx, "test-dma");
	UNIT_ASSERT(device >= 0);

	dmabuf_handle_t small, big, attachment;
	struct dmabuf_mapping map;
	struct dmabuf_cache_stats stats;
	void *cpu;
	UNIT_EQ(dmabuf_export(ctx, 4096, "small", 0, &small), 0);
	UNIT_EQ(dmabuf_attach(ctx, small, device, &attachment), 0);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, small, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	memset(cpu, 0x5A, 4096);
	dmabuf_cache_stats_reset(ctx);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, small, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), 0);
	dmabuf_cache_stats(ctx, &stats);
	UNIT_EQ(stats.lines_cleaned, 4096 / 32);

	UNIT_EQ(dmabuf_map(ctx, attachment, DMABUF_FROM_DEVICE, &map), 0);
	memset((void *)(uintptr_t)map.dma_addr, 0xA5, 4096); /* the "device" writes memory */
	UNIT_EQ(dmabuf_unmap(ctx, attachment, &map, DMABUF_FROM_DEVICE), 0);
	dmabuf_cache_stats_reset(ctx);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, small, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	dmabuf_cache_stats(ctx, &stats);
	UNIT_EQ(stats.lines_invalidated, 4096 / 32);
	UNIT_EQ(((uint8_t *)cpu)[4095], 0xA5);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, small, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);

	UNIT_EQ(dmabuf_export(ctx, 153600, "big", 0, &big), 0);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, big, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	dmabuf_cache_stats_reset(ctx);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, big, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), 0);
	dmabuf_cache_stats(ctx, &stats);
	UNIT_EQ(stats.whole_cache_ops, 1);
	UNIT_EQ(stats.lines_cleaned, 0);

	UNIT_EQ(dmabuf_detach(ctx, attachment), 0);
	UNIT_EQ(dmabuf_put(ctx, small), 0);
	UNIT_EQ(dmabuf_put(ctx, big), 0);
	UNIT_EQ(dmabuf_check(ctx), 0);
	UNIT_EQ(dmabuf_deinit(ctx), 0);
}

/* The portable core suites run here too, with the fixture's recording
 * backend forwarding every operation to this one (target.c). */
static void cortex_m7_backs_the_core_suites_recording_backend(void)
{
	UNIT_ASSERT(fx_platform_cache == &dmabuf_cache_cortex_m7);
	UNIT_ASSERT(fx_platform_cache_priv == &dmabuf_board_qemu_mps2_an500);
}

const struct unit_suite suite_cache_cortex_m7 = UNIT_SUITE(cache_cortex_m7,
	UNIT_TEST(cortex_m7_range_ops_keep_the_bytes_and_accept_region_lines),
	UNIT_TEST(cortex_m7_range_ops_reject_a_line_not_a_multiple_of_32),
	UNIT_TEST(cortex_m7_clean_in_pairs_keeps_the_contract),
	UNIT_TEST(cortex_m7_whole_cache_ops_fall_back_to_the_board_geometry),
	UNIT_TEST(cortex_m7_core_hand_overs_run_on_the_real_backend),
	UNIT_TEST(cortex_m7_backs_the_core_suites_recording_backend));
