/*
 * Placement and attach constraints: region order, deferred placement,
 * migration, window / alignment / segments, mapping segments.
 */
#include <string.h>

#include "fixture.h"

static void regions_are_filled_in_board_order(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t big = fx_export(ctx, 150 * 1024, "big", 0);
	dmabuf_handle_t next = fx_export(ctx, 40 * 1024, "next", 0);   /* still fits sram (42 KiB left) */
	dmabuf_handle_t spill = fx_export(ctx, 20 * 1024, "spill", 0); /* sram full; dtcm too small */
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, big).region, FX_SRAM);
	UNIT_EQ(fx_info(ctx, next).region, FX_SRAM);
	/* both large: cut from the high end of the free block (two-ended
	 * placement, heap.c), so next lies below big */
	UNIT_EQ(fx_info(ctx, big).dma_addr, FX_SRAM_BASE + 42 * 1024);
	UNIT_EQ(fx_info(ctx, next).dma_addr, FX_SRAM_BASE + 2 * 1024);
	UNIT_EQ(fx_info(ctx, spill).region, FX_SRAM_NC);
	UNIT_EQ(dmabuf_put(ctx, big), 0);
	UNIT_EQ(dmabuf_put(ctx, next), 0);
	UNIT_EQ(dmabuf_put(ctx, spill), 0);
	fx_done(ctx);
}

static void prefer_uncached_tries_uncached_regions_first(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t small = fx_export(ctx, 4096, "small", DMABUF_EXPORT_PREFER_UNCACHED);
	dmabuf_handle_t medium = fx_export(ctx, 10 * 1024, "medium", DMABUF_EXPORT_PREFER_UNCACHED);
	dmabuf_handle_t large = fx_export(ctx, 40 * 1024, "large", DMABUF_EXPORT_PREFER_UNCACHED);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, small).region, FX_DTCM);
	UNIT_EQ(fx_info(ctx, medium).region, FX_SRAM_NC);
	UNIT_EQ(fx_info(ctx, large).region, FX_SRAM); /* no uncached region fits: cached ones in order */
	UNIT_EQ(dmabuf_put(ctx, small), 0);
	UNIT_EQ(dmabuf_put(ctx, medium), 0);
	UNIT_EQ(dmabuf_put(ctx, large), 0);
	fx_done(ctx);
}

static void blocks_are_line_aligned_and_line_padded(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t a = fx_export(ctx, 1, "a", 0);
	dmabuf_handle_t b = fx_export(ctx, 33, "b", 0);
	dmabuf_handle_t c = fx_export(ctx, 1, "c", 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, a).dma_addr, FX_SRAM_BASE);
	UNIT_EQ(fx_info(ctx, b).dma_addr, FX_SRAM_BASE + 32);
	UNIT_EQ(fx_info(ctx, c).dma_addr, FX_SRAM_BASE + 96);
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	UNIT_EQ(stats.in_use, 32 + 64 + 32);
	UNIT_EQ(dmabuf_put(ctx, a), 0);
	UNIT_EQ(dmabuf_put(ctx, b), 0);
	UNIT_EQ(dmabuf_put(ctx, c), 0);
	fx_done(ctx);
}

static void deferred_buffer_is_placed_at_first_map_where_devices_reach(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 2048, "later", DMABUF_EXPORT_DEFER_PLACEMENT);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, buf).region, -1);
	UNIT_EQ(fx_info(ctx, buf).dma_addr, 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA2);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, buf).region, -1);
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	UNIT_EQ(stats.in_use, 0);
	FX_CHECK(ctx);

	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(fx_info(ctx, buf).region, FX_SRAM_NC); /* sram and dtcm are out of dma2's reach */
	UNIT_EQ(map.dma_addr, FX_SRAM_NC_BASE);
	FX_CHECK(ctx);
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void deferred_attach_needs_one_region_every_device_reaches(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 2048, "later", DMABUF_EXPORT_DEFER_PLACEMENT);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA2);
	UNIT_CHECK_HELPER();
	dmabuf_handle_t other = 0;
	fx_clear_messages();
	UNIT_EQ(dmabuf_attach(ctx, buf, FX_MDMA, &other), DMABUF_EFAULT); /* dtcm+sram vs sram_nc+psram */
	UNIT_ASSERT(fx_message_has("dmabuf_attach: window: no region suits device 'mdma'"));
	UNIT_EQ(other, 0);
	UNIT_EQ(fx_info(ctx, buf).attachments, 1);
	UNIT_EQ(fx_info(ctx, buf).region, -1);
	/* wide_ps needs 64-byte alignment: only psram (64-byte lines) can
	 * guarantee it, and dma2 reaches psram. */
	dmabuf_handle_t wide = fx_attach(ctx, buf, FX_WIDE_PS);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, wide, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(fx_info(ctx, buf).region, FX_PSRAM);
	UNIT_EQ(map.dma_addr % 64, 0);
	UNIT_EQ(dmabuf_unmap(ctx, wide, &map, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(dmabuf_detach(ctx, wide), 0);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void deferred_buffer_is_placed_by_first_cpu_access_and_may_still_move(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 256, "later", DMABUF_EXPORT_DEFER_PLACEMENT);
	UNIT_CHECK_HELPER();
	uint8_t *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, (void **)&cpu), 0);
	UNIT_EQ(fx_info(ctx, buf).region, FX_SRAM);
	for (uint32_t i = 0; i < 256; i++)
		cpu[i] = (uint8_t)(i * 7);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA2); /* never mapped: moves */
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, buf).region, FX_SRAM_NC);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, (void **)&cpu), 0);
	for (uint32_t i = 0; i < 256; i++)
		UNIT_EQ(cpu[i], (uint8_t)(i * 7));
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void window_miss_moves_unmapped_storage_and_keeps_contents(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 1000, "moving", 0);
	dmabuf_handle_t first = fx_attach(ctx, buf, FX_MDMA);
	UNIT_CHECK_HELPER();
	uint8_t *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, (void **)&cpu), 0);
	for (uint32_t i = 0; i < 1000; i++)
		cpu[i] = (uint8_t)(i ^ 0x5A);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), 0);

	/* dma reaches sram too: no move. */
	dmabuf_handle_t second = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, buf).region, FX_SRAM);
	UNIT_EQ(dmabuf_detach(ctx, first), 0);

	/* dma2 misses sram: the storage moves to sram_nc, which dma reaches too. */
	dmabuf_handle_t third = fx_attach(ctx, buf, FX_DMA2);
	UNIT_CHECK_HELPER();
	struct dmabuf_info info = fx_info(ctx, buf);
	UNIT_EQ(info.region, FX_SRAM_NC);
	UNIT_EQ(info.dma_addr, FX_SRAM_NC_BASE);
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	UNIT_EQ(stats.in_use, 1024); /* the old block went back to the heap */
	FX_CHECK(ctx);

	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, (void **)&cpu), 0);
	UNIT_ASSERT(cpu == fx_region_memory(FX_SRAM_NC));
	for (uint32_t i = 0; i < 1000; i++)
		UNIT_EQ(cpu[i], (uint8_t)(i ^ 0x5A));
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(dmabuf_detach(ctx, second), 0);
	UNIT_EQ(dmabuf_detach(ctx, third), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void alignment_miss_moves_storage_to_a_region_with_wide_enough_lines(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t pad = fx_export(ctx, 32, "pad", 0);
	dmabuf_handle_t buf = fx_export(ctx, 100, "odd", 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, buf).dma_addr, FX_SRAM_BASE + 32);
	uint8_t *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, (void **)&cpu), 0);
	memset(cpu, 0xC3, 100);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), 0);
	fx_cache_reset(ctx);

	dmabuf_handle_t att = fx_attach(ctx, buf, FX_WIDE_PS);
	UNIT_CHECK_HELPER();
	struct dmabuf_info info = fx_info(ctx, buf);
	UNIT_EQ(info.region, FX_PSRAM);
	UNIT_EQ(info.dma_addr % 64, 0);
	/* Rule 7: the copy left dirty lines in psram: the 2 lines (64 B) of the
	 * destination were cleaned. */
	UNIT_EQ(fx_cache.lines_cleaned, 2);
	UNIT_EQ(fx_cache.last_addr, (uintptr_t)fx_region_memory(FX_PSRAM));
	UNIT_EQ(fx_cache.lines_invalidated, 0);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, (void **)&cpu), 0);
	for (uint32_t i = 0; i < 100; i++)
		UNIT_EQ(cpu[i], 0xC3);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	UNIT_EQ(dmabuf_put(ctx, pad), 0);
	fx_done(ctx);
}

static void alignment_constraint_is_named_when_no_region_can_align(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t pad = fx_export(ctx, 32, "pad", 0);
	dmabuf_handle_t buf = fx_export(ctx, 64, "frame0", 0);
	UNIT_CHECK_HELPER();
	dmabuf_handle_t att = 0;
	fx_clear_messages();
	UNIT_EQ(dmabuf_attach(ctx, buf, FX_WIDE, &att), DMABUF_EFAULT);
	UNIT_ASSERT(fx_message_has("dmabuf_attach: alignment: device 'wide' cannot reach 0x20000020+64 (buffer 'frame0')"));
	UNIT_ASSERT(fx_message_has("no region suits every attached device"));
#ifdef DMABUF_DEBUG
	UNIT_EQ(fx_messages, 1); /* one message per failure */
#endif
	UNIT_EQ(fx_info(ctx, buf).dma_addr, FX_SRAM_BASE + 32);
	UNIT_EQ(fx_info(ctx, buf).attachments, 0);
	/* The aligned buffer at the region base is fine. */
	dmabuf_handle_t ok = fx_attach(ctx, pad, FX_WIDE);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_detach(ctx, ok), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	UNIT_EQ(dmabuf_put(ctx, pad), 0);
	fx_done(ctx);
}

static void window_miss_after_first_map_fails_and_changes_nothing(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 4096, "frame0", 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_GDMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_TO_DEVICE), 0);
	dmabuf_handle_t other = 0;
	fx_clear_messages();
	UNIT_EQ(dmabuf_attach(ctx, buf, FX_DMA2, &other), DMABUF_EFAULT);
	UNIT_ASSERT(fx_message_has("dmabuf_attach: window: device 'dma2' cannot reach 0x20000000+4096 (buffer 'frame0'"));
	UNIT_ASSERT(fx_message_has("final"));
	struct dmabuf_info info = fx_info(ctx, buf);
	UNIT_EQ(info.region, FX_SRAM);
	UNIT_EQ(info.attachments, 1);
	FX_CHECK(ctx);
	/* The memoised mapping still holds. */
	struct dmabuf_mapping again;
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_TO_DEVICE, &again), 0);
	UNIT_EQ(again.dma_addr, map.dma_addr);
	UNIT_EQ(dmabuf_unmap(ctx, att, &again, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void window_miss_with_open_cpu_access_is_busy(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 128, "held", 0);
	UNIT_CHECK_HELPER();
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	dmabuf_handle_t att = 0;
	UNIT_EQ(dmabuf_attach(ctx, buf, FX_DMA2, &att), DMABUF_EBUSY);
	UNIT_ASSERT(fx_message_has("CPU access is open"));
	UNIT_EQ(fx_info(ctx, buf).region, FX_SRAM);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), 0);
	att = fx_attach(ctx, buf, FX_DMA2);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void attach_fails_when_no_region_suits_every_attached_device(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 512, "frame0", 0);
	dmabuf_handle_t first = fx_attach(ctx, buf, FX_MDMA); /* dtcm, sram */
	UNIT_CHECK_HELPER();
	struct dmabuf_heap_stats before, after;
	dmabuf_heap_stats(ctx, &before);
	dmabuf_handle_t att = 0;
	UNIT_EQ(dmabuf_attach(ctx, buf, FX_DMA2, &att), DMABUF_EFAULT); /* sram_nc, psram */
	UNIT_ASSERT(fx_message_has("dmabuf_attach: window: device 'dma2'"));
	UNIT_ASSERT(fx_message_has("no region suits every attached device"));
	dmabuf_heap_stats(ctx, &after);
	UNIT_EQ(after.in_use, before.in_use);
	UNIT_EQ(after.failed, before.failed);
	UNIT_EQ(fx_info(ctx, buf).dma_addr, FX_SRAM_BASE);
	UNIT_EQ(fx_info(ctx, buf).attachments, 1);
	FX_CHECK(ctx);
	UNIT_EQ(dmabuf_detach(ctx, first), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void move_without_room_is_enomem_and_changes_nothing(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t fill_nc = fx_export(ctx, 32 * 1024, "fill_nc", DMABUF_EXPORT_PREFER_UNCACHED);
	dmabuf_handle_t fill_ps = fx_export(ctx, 64 * 1024 - 64, "fill_ps", DMABUF_EXPORT_DEFER_PLACEMENT);
	dmabuf_handle_t ps_att = fx_attach(ctx, fill_ps, FX_DMA2);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, ps_att, DMABUF_TO_DEVICE, &map), 0); /* sram_nc is full: psram */
	UNIT_EQ(fx_info(ctx, fill_ps).region, FX_PSRAM);
	UNIT_EQ(fx_info(ctx, fill_nc).region, FX_SRAM_NC);
	dmabuf_handle_t buf = fx_export(ctx, 128, "stuck", 0);
	UNIT_CHECK_HELPER();
	struct dmabuf_heap_stats before, after;
	dmabuf_heap_stats(ctx, &before);
	dmabuf_handle_t att = 0;
	UNIT_EQ(dmabuf_attach(ctx, buf, FX_DMA2, &att), DMABUF_ENOMEM);
	UNIT_ASSERT(fx_message_has("dmabuf_attach: heap: no room to move buffer 'stuck'"));
	UNIT_ASSERT(fx_message_has("(roomiest region it may use: 'psram', largest free block 64 bytes)"));
	dmabuf_heap_stats(ctx, &after);
	UNIT_EQ(after.in_use, before.in_use);
	UNIT_EQ(after.failed, before.failed + 1);
	UNIT_EQ(fx_info(ctx, buf).region, FX_SRAM);
	FX_CHECK(ctx);
	UNIT_EQ(dmabuf_unmap(ctx, ps_att, &map, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(dmabuf_detach(ctx, ps_att), 0);
	UNIT_EQ(dmabuf_put(ctx, fill_ps), 0);
	UNIT_EQ(dmabuf_put(ctx, fill_nc), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void segments_constraint_counts_descriptors_at_aligned_limit(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	/* gdma: 4095-byte descriptors at 4-byte alignment -> 4092-byte segments,
	 * at most 16: 65472 bytes. */
	dmabuf_handle_t fits = fx_export(ctx, 16 * 4092, "fits", 0);
	dmabuf_handle_t too_big = fx_export(ctx, 16 * 4092 + 1, "too_big", 0);
	UNIT_CHECK_HELPER();
	dmabuf_handle_t att = fx_attach(ctx, fits, FX_GDMA);
	UNIT_CHECK_HELPER();
	dmabuf_handle_t refused = 0;
	fx_clear_messages();
	UNIT_EQ(dmabuf_attach(ctx, too_big, FX_GDMA, &refused), DMABUF_EFAULT);
	UNIT_ASSERT(fx_message_has("dmabuf_attach: segments: device 'gdma' needs 17 segments of 4092 bytes for 65473 bytes, at most 16 (buffer 'too_big')"));
	UNIT_EQ(fx_info(ctx, too_big).attachments, 0);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, fits), 0);
	UNIT_EQ(dmabuf_put(ctx, too_big), 0);
	fx_done(ctx);
}

static void mapping_splits_at_descriptor_limit_rounded_down_to_alignment(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 10000, "spi_frame", 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_GDMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(map.segment_bytes, 4092);
	UNIT_EQ(map.segment_count, 3);
	uint32_t total = 0;
	for (uint32_t i = 0; i < map.segment_count; i++) {
		dmabuf_addr_t addr;
		uint32_t length;
		dmabuf_mapping_segment(&map, i, &addr, &length);
		UNIT_EQ(addr, FX_SRAM_BASE + i * 4092);
		UNIT_EQ(addr % 4, 0);
		UNIT_ASSERT(length <= 4095);
		total += length;
	}
	dmabuf_addr_t last_addr;
	uint32_t last_length;
	dmabuf_mapping_segment(&map, 2, &last_addr, &last_length);
	UNIT_EQ(last_length, 10000 - 2 * 4092);
	UNIT_EQ(total, 10000);
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void mapping_is_memoised_and_identical_on_every_map(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 70000, "big", 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping first, second;
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_TO_DEVICE, &first), 0);
	UNIT_EQ(first.segment_count, 2); /* 65532 + 4468 */
	UNIT_EQ(dmabuf_unmap(ctx, att, &first, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_FROM_DEVICE, &second), 0);
	UNIT_EQ(second.dma_addr, first.dma_addr);
	UNIT_EQ(second.length, first.length);
	UNIT_EQ(second.segment_bytes, first.segment_bytes);
	UNIT_EQ(second.segment_count, first.segment_count);
	UNIT_EQ(second.direction, DMABUF_FROM_DEVICE);
	UNIT_EQ(dmabuf_unmap(ctx, att, &second, DMABUF_FROM_DEVICE), 0);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void attaching_the_same_device_twice_is_eexist(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 64, "frame0", 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	dmabuf_handle_t again = 0;
	UNIT_EQ(dmabuf_attach(ctx, buf, FX_DMA, &again), DMABUF_EEXIST);
	UNIT_ASSERT(fx_message_has("dmabuf_attach: attached: device 'dma'"));
	UNIT_EQ(fx_info(ctx, buf).attachments, 1);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void several_devices_share_one_buffer(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 4096, "shared", 0);
	dmabuf_handle_t camera = fx_attach(ctx, buf, FX_DMA);
	dmabuf_handle_t display = fx_attach(ctx, buf, FX_GDMA);
	dmabuf_handle_t cpu_side = fx_attach(ctx, buf, FX_SNOOP);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping a, b;
	UNIT_EQ(dmabuf_map(ctx, camera, DMABUF_TO_DEVICE, &a), 0);
	UNIT_EQ(dmabuf_map(ctx, display, DMABUF_TO_DEVICE, &b), 0);
	UNIT_EQ(fx_info(ctx, buf).device_mappings, 2);
	UNIT_EQ(a.dma_addr, b.dma_addr);
	UNIT_EQ(b.segment_bytes, 4092);
	FX_CHECK(ctx);
	/* Detach from the middle of the buffer's attachment list. */
	UNIT_EQ(dmabuf_detach(ctx, cpu_side), 0);
	UNIT_EQ(dmabuf_unmap(ctx, camera, &a, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(dmabuf_unmap(ctx, display, &b, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(dmabuf_detach(ctx, camera), 0);
	FX_CHECK(ctx);
	UNIT_EQ(dmabuf_detach(ctx, display), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

const struct unit_suite suite_core_placement = UNIT_SUITE(core_placement,
	UNIT_TEST(regions_are_filled_in_board_order),
	UNIT_TEST(prefer_uncached_tries_uncached_regions_first),
	UNIT_TEST(blocks_are_line_aligned_and_line_padded),
	UNIT_TEST(deferred_buffer_is_placed_at_first_map_where_devices_reach),
	UNIT_TEST(deferred_attach_needs_one_region_every_device_reaches),
	UNIT_TEST(deferred_buffer_is_placed_by_first_cpu_access_and_may_still_move),
	UNIT_TEST(window_miss_moves_unmapped_storage_and_keeps_contents),
	UNIT_TEST(alignment_miss_moves_storage_to_a_region_with_wide_enough_lines),
	UNIT_TEST(alignment_constraint_is_named_when_no_region_can_align),
	UNIT_TEST(window_miss_after_first_map_fails_and_changes_nothing),
	UNIT_TEST(window_miss_with_open_cpu_access_is_busy),
	UNIT_TEST(attach_fails_when_no_region_suits_every_attached_device),
	UNIT_TEST(move_without_room_is_enomem_and_changes_nothing),
	UNIT_TEST(segments_constraint_counts_descriptors_at_aligned_limit),
	UNIT_TEST(mapping_splits_at_descriptor_limit_rounded_down_to_alignment),
	UNIT_TEST(mapping_is_memoised_and_identical_on_every_map),
	UNIT_TEST(attaching_the_same_device_twice_is_eexist),
	UNIT_TEST(several_devices_share_one_buffer));
