/*
 * The cache hand-overs (native-interop/core/sync.c, rules 1-7): exactly which
 * lines each step cleans or invalidates, counted by the recording backend,
 * which also fails the test on any unaligned or out-of-region operation.
 */
#include "fixture.h"

#define FRAME_BYTES 153600u /* 320 x 240 x 2 */
#define FRAME_LINES (FRAME_BYTES / 32u)

static void expect_core_stats(struct dmabuf_ctx *ctx, uint32_t cleaned, uint32_t invalidated, uint32_t whole)
{
	struct dmabuf_cache_stats stats;
	dmabuf_cache_stats(ctx, &stats);
	UNIT_EQ(stats.lines_cleaned, cleaned);
	UNIT_EQ(stats.lines_invalidated, invalidated);
	UNIT_EQ(stats.whole_cache_ops, whole);
}

/* One CPU -> device frame: begin/end TO_DEVICE, then map/unmap TO_DEVICE. */
static void cpu_to_device_frame(struct dmabuf_ctx *ctx, dmabuf_handle_t buf, dmabuf_handle_t att)
{
	void *cpu;
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_TO_DEVICE), 0);
}

/* One device -> CPU frame: map/unmap FROM_DEVICE, then begin/end FROM_DEVICE. */
static void device_to_cpu_frame(struct dmabuf_ctx *ctx, dmabuf_handle_t buf, dmabuf_handle_t att)
{
	void *cpu;
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_FROM_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_FROM_DEVICE), 0);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);
}

static void cpu_to_device_frame_costs_exactly_4800_line_cleans(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, FRAME_BYTES, "frame", 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	fx_cache_reset(ctx);
	for (int frame = 0; frame < 3; frame++) {
		cpu_to_device_frame(ctx, buf, att);
		UNIT_CHECK_HELPER();
		UNIT_EQ(fx_cache.lines_cleaned, FRAME_LINES * (uint32_t)(frame + 1));
		UNIT_EQ(fx_cache.lines_invalidated, 0);
	}
	UNIT_EQ(FRAME_LINES, 4800);
	UNIT_EQ(fx_cache.clean_calls, 3);
	expect_core_stats(ctx, 3 * 4800, 0, 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void device_to_cpu_frame_costs_exactly_4800_line_invalidates(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, FRAME_BYTES, "frame", 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	/* Rule 1, once: fresh storage may hold a previous owner's dirty lines,
	 * dropped before the device's first write. */
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_FROM_DEVICE, &map), 0);
	UNIT_EQ(fx_cache.lines_invalidated, 4800);
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_FROM_DEVICE), 0);
	UNIT_EQ(fx_cache.lines_invalidated, 4800); /* rule 3: unmap is free */
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(fx_cache.lines_invalidated, 2 * 4800);

	/* Steady state: 4800 invalidates per frame, all at the CPU's begin. */
	for (int frame = 0; frame < 3; frame++) {
		fx_cache_reset(ctx);
		device_to_cpu_frame(ctx, buf, att);
		UNIT_CHECK_HELPER();
		UNIT_EQ(fx_cache.lines_invalidated, 4800);
		UNIT_EQ(fx_cache.invalidate_calls, 1);
		UNIT_EQ(fx_cache.lines_cleaned, 0);
		expect_core_stats(ctx, 0, 4800, 0);
		UNIT_CHECK_HELPER();
	}
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

/* Two frames each way through @att cost no cache operation at all; then
 * tears the buffer and the context down. */
static void expect_frames_cost_nothing(struct dmabuf_ctx *ctx, dmabuf_handle_t buf, dmabuf_handle_t att)
{
	for (int frame = 0; frame < 2; frame++) {
		cpu_to_device_frame(ctx, buf, att);
		device_to_cpu_frame(ctx, buf, att);
		UNIT_CHECK_HELPER();
	}
	UNIT_EQ(fx_cache.clean_calls + fx_cache.invalidate_calls, 0);
	expect_core_stats(ctx, 0, 0, 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void uncached_region_costs_zero_cache_operations(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 16 * 1024, "nc_frame", DMABUF_EXPORT_PREFER_UNCACHED);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, buf).region, FX_SRAM_NC);
	expect_frames_cost_nothing(ctx, buf, att);
}

static void coherent_device_costs_zero_cache_operations(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, FRAME_BYTES, "frame", 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_SNOOP);
	UNIT_CHECK_HELPER();
	expect_frames_cost_nothing(ctx, buf, att);
}

static void device_to_device_frames_cost_nothing_after_the_first_map(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 32000, "passthru", 0);
	dmabuf_handle_t camera = fx_attach(ctx, buf, FX_DMA);
	dmabuf_handle_t display = fx_attach(ctx, buf, FX_GDMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping in, out;
	for (int frame = 0; frame < 10; frame++) {
		UNIT_EQ(dmabuf_map(ctx, camera, DMABUF_FROM_DEVICE, &in), 0);
		if (frame == 0) {
			UNIT_EQ(fx_cache.lines_invalidated, 1000); /* rule 1, once */
			fx_cache_reset(ctx);
		}
		UNIT_EQ(dmabuf_unmap(ctx, camera, &in, DMABUF_FROM_DEVICE), 0);
		UNIT_EQ(dmabuf_map(ctx, display, DMABUF_TO_DEVICE, &out), 0);
		UNIT_EQ(dmabuf_unmap(ctx, display, &out, DMABUF_TO_DEVICE), 0);
	}
	UNIT_EQ(fx_cache.clean_calls + fx_cache.invalidate_calls, 0);
	expect_core_stats(ctx, 0, 0, 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_detach(ctx, camera), 0);
	UNIT_EQ(dmabuf_detach(ctx, display), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void map_to_device_and_unmap_never_touch_the_cache(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 4096, "frame", 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	/* Fresh (may-be-dirty) storage mapped TO_DEVICE: nothing to do, the
	 * device reads what it reads, no DMA write can be overwritten. */
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(fx_cache.clean_calls + fx_cache.invalidate_calls, 0);
	/* BIDIRECTIONAL writes: rule 1 applies (invalidate while dirty). */
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_BIDIRECTIONAL, &map), 0);
	UNIT_EQ(fx_cache.lines_invalidated, 128);
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_BIDIRECTIONAL), 0);
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_BIDIRECTIONAL, &map), 0);
	UNIT_EQ(fx_cache.lines_invalidated, 128); /* no longer dirty */
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_BIDIRECTIONAL), 0);
	/* BIDIRECTIONAL CPU access after the device wrote: invalidate at begin,
	 * clean at end. */
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(fx_cache.lines_invalidated, 256);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(fx_cache.lines_cleaned, 128);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void sub_ranges_touch_exactly_their_lines(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 1000, "frame", 0); /* 32 lines, sram base */
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	uint8_t *base = fx_region_memory(FX_SRAM);
	void *cpu;

	/* [33, 103) lies in lines 1..3. */
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 33, 70, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 33, 70), 0);
	UNIT_EQ(fx_cache.lines_cleaned, 3);
	UNIT_EQ(fx_cache.last_addr, (uintptr_t)(base + 32));
	UNIT_EQ(fx_cache.last_size, 96);

	/* A partial clean leaves MAY_BE_DIRTY: the first FROM_DEVICE map still
	 * invalidates the whole buffer (32 lines, padding included). */
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_FROM_DEVICE, &map), 0);
	UNIT_EQ(fx_cache.lines_invalidated, 32);
	UNIT_EQ(fx_cache.last_size, 1024);
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_FROM_DEVICE), 0);

	/* One byte: one line. */
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 5, 1, &cpu), 0);
	UNIT_EQ(fx_cache.lines_invalidated, 33);
	UNIT_EQ(fx_cache.last_addr, (uintptr_t)base);
	UNIT_EQ(fx_cache.last_size, 32);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 5, 1), 0);

	/* The tail [990, 1000) rounds up into the padding: lines 30 and 31. */
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 990, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(fx_cache.lines_invalidated, 35);
	UNIT_EQ(fx_cache.last_addr, (uintptr_t)(base + 960));
	UNIT_EQ(fx_cache.last_size, 64);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 990, DMABUF_WHOLE), 0);

	/* Partial invalidates keep MAY_BE_STALE; the whole buffer clears it. */
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, 1000, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, 1000), 0);
	UNIT_EQ(fx_cache.lines_invalidated, 67);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, 1000, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, 1000), 0);
	UNIT_EQ(fx_cache.lines_invalidated, 67);
	UNIT_EQ(fx_cache.lines_cleaned, 3);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void cpu_write_after_device_write_discards_stale_lines_first(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 4096, "camera", 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_FROM_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_FROM_DEVICE), 0);
	fx_cache_reset(ctx);
	/* An overlay of 8 bytes inside line 1: the stale line goes first, or
	 * the clean would write its stale 24 other bytes over the camera's. */
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 40, 8, &cpu), 0);
	UNIT_EQ(fx_cache.lines_invalidated, 1);
	UNIT_EQ(fx_cache.last_addr, (uintptr_t)(fx_region_memory(FX_SRAM) + 32));
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 40, 8), 0);
	UNIT_EQ(fx_cache.lines_cleaned, 1);
	UNIT_EQ(fx_cache.last_addr, (uintptr_t)(fx_region_memory(FX_SRAM) + 32));
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void whole_cache_threshold_replaces_line_loops(void)
{
	struct fx_options options = { .whole_cache_threshold = 16 * 1024, .whole_cache_ops = true };
	struct dmabuf_ctx *ctx = fx_init(&options);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, FRAME_BYTES, "frame", 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	cpu_to_device_frame(ctx, buf, att);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_cache.clean_all_calls, 1);
	UNIT_EQ(fx_cache.clean_calls, 0);
	expect_core_stats(ctx, 0, 0, 1);
	UNIT_CHECK_HELPER();
	/* The whole clean cleared MAY_BE_DIRTY: the FROM_DEVICE map is free;
	 * the CPU's invalidate becomes clean+invalidate of the whole cache,
	 * never a whole-cache invalidate. */
	device_to_cpu_frame(ctx, buf, att);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_cache.clean_invalidate_all_calls, 1);
	UNIT_EQ(fx_cache.invalidate_calls, 0);
	expect_core_stats(ctx, 0, 0, 2);
	UNIT_CHECK_HELPER();

	/* Up to the threshold, the line loop. */
	struct dmabuf_mapping map;
	void *cpu;
	UNIT_EQ(dmabuf_map(ctx, att, DMABUF_FROM_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_unmap(ctx, att, &map, DMABUF_FROM_DEVICE), 0);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, 16 * 1024, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, 16 * 1024), 0);
	UNIT_EQ(fx_cache.lines_invalidated, 512);
	expect_core_stats(ctx, 0, 512, 2);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void threshold_without_whole_cache_ops_keeps_the_line_loop(void)
{
	struct fx_options options = { .whole_cache_threshold = 1024 };
	struct dmabuf_ctx *ctx = fx_init(&options);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, FRAME_BYTES, "frame", 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	cpu_to_device_frame(ctx, buf, att);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_cache.lines_cleaned, 4800);
	expect_core_stats(ctx, 4800, 0, 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void clean_skipped_for_coherent_devices_is_paid_when_noncoherent_device_attaches(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 1000, "shared", 0);
	dmabuf_handle_t snoop = fx_attach(ctx, buf, FX_SNOOP);
	UNIT_CHECK_HELPER();
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 100, 10, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 100, 10), 0);
	UNIT_EQ(fx_cache.clean_calls, 0); /* only a coherent device: owed */
	dmabuf_handle_t dma = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_cache.lines_cleaned, 32); /* rule 6: the whole buffer */
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, dma, DMABUF_FROM_DEVICE, &map), 0);
	UNIT_EQ(fx_cache.lines_invalidated, 0); /* the whole clean left nothing dirty */
	UNIT_EQ(dmabuf_unmap(ctx, dma, &map, DMABUF_FROM_DEVICE), 0);
	UNIT_EQ(dmabuf_detach(ctx, dma), 0);
	UNIT_EQ(dmabuf_detach(ctx, snoop), 0);

	/* With no device attached the next one may be non-coherent: clean now. */
	fx_cache_reset(ctx);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, 64, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, 64), 0);
	UNIT_EQ(fx_cache.lines_cleaned, 2);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void psram_buffers_use_their_regions_64_byte_lines(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 100, "ps", DMABUF_EXPORT_DEFER_PLACEMENT);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_WIDE_PS);
	UNIT_CHECK_HELPER();
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(fx_info(ctx, buf).region, FX_PSRAM);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(fx_cache.lines_cleaned, 2);
	UNIT_EQ(fx_cache.last_size, 128);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void backend_failure_propagates_and_changes_nothing(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 1000, "frame", 0);
	dmabuf_handle_t att = fx_attach(ctx, buf, FX_DMA);
	UNIT_CHECK_HELPER();
	void *cpu;

	/* end_cpu_access: the access stays open, a retry cleans. */
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	fx_cache.fail_next = DMABUF_EIO;
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), DMABUF_EIO);
	UNIT_ASSERT(fx_message_has("dmabuf_end_cpu_access: cache: backend failed"));
	UNIT_EQ(fx_info(ctx, buf).cpu_access, DMABUF_TO_DEVICE);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(fx_cache.lines_cleaned, 32);

	/* map: not mapped, still dirty (a retry invalidates). */
	dmabuf_handle_t fresh = fx_export(ctx, 1000, "fresh", 0);
	dmabuf_handle_t fresh_att = fx_attach(ctx, fresh, FX_DMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping map;
	fx_cache.fail_next = DMABUF_EIO;
	UNIT_EQ(dmabuf_map(ctx, fresh_att, DMABUF_FROM_DEVICE, &map), DMABUF_EIO);
	UNIT_EQ(fx_info(ctx, fresh).device_mappings, 0);
	UNIT_EQ(fx_info(ctx, fresh).ever_mapped, false);
	UNIT_EQ(dmabuf_map(ctx, fresh_att, DMABUF_FROM_DEVICE, &map), 0);
	UNIT_EQ(fx_cache.lines_invalidated, 32);

	/* begin_cpu_access after a device wrote: no access opened. */
	UNIT_EQ(dmabuf_unmap(ctx, fresh_att, &map, DMABUF_FROM_DEVICE), 0);
	fx_cache.fail_next = DMABUF_EIO;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, fresh, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), DMABUF_EIO);
	UNIT_EQ(fx_info(ctx, fresh).cpu_access, 0);

	/* First map of deferred storage: the storage is given back. */
	dmabuf_handle_t later = fx_export(ctx, 1000, "later", DMABUF_EXPORT_DEFER_PLACEMENT);
	dmabuf_handle_t later_att = fx_attach(ctx, later, FX_DMA);
	UNIT_CHECK_HELPER();
	struct dmabuf_heap_stats before, after;
	dmabuf_heap_stats(ctx, &before);
	fx_cache.fail_next = DMABUF_EIO;
	UNIT_EQ(dmabuf_map(ctx, later_att, DMABUF_FROM_DEVICE, &map), DMABUF_EIO);
	dmabuf_heap_stats(ctx, &after);
	UNIT_EQ(after.in_use, before.in_use);
	UNIT_EQ(fx_info(ctx, later).region, -1);
	FX_CHECK(ctx);

	UNIT_EQ(dmabuf_detach(ctx, later_att), 0);
	UNIT_EQ(dmabuf_put(ctx, later), 0);
	UNIT_EQ(dmabuf_detach(ctx, fresh_att), 0);
	UNIT_EQ(dmabuf_put(ctx, fresh), 0);
	UNIT_EQ(dmabuf_detach(ctx, att), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

static void cache_stats_reset_zeroes_the_counters(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 1000, "frame", 0);
	UNIT_CHECK_HELPER();
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), 0);
	expect_core_stats(ctx, 32, 0, 0);
	UNIT_CHECK_HELPER();
	dmabuf_cache_stats_reset(ctx);
	expect_core_stats(ctx, 0, 0, 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	fx_done(ctx);
}

/* dmabuf_info.cache_state follows the hand-over facts of sync.c, and says
 * nothing where the rules have nothing to do (unplaced, uncached). */
static void info_reports_the_cache_facts_of_each_hand_over(void)
{
	struct dmabuf_ctx *ctx = fx_init(NULL);
	UNIT_ASSERT(ctx);
	dmabuf_handle_t buf = fx_export(ctx, 1000, "frame", 0);
	dmabuf_handle_t uncached = fx_export(ctx, 1000, "nc", DMABUF_EXPORT_PREFER_UNCACHED);
	dmabuf_handle_t unplaced = fx_export(ctx, 1000, "later", DMABUF_EXPORT_DEFER_PLACEMENT);
	dmabuf_handle_t snoop = fx_attach(ctx, buf, FX_SNOOP);
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, buf).cache_state, DMABUF_CACHE_MAY_BE_DIRTY); /* fresh storage */
	UNIT_EQ(fx_info(ctx, uncached).cache_state, 0);
	UNIT_EQ(fx_info(ctx, unplaced).cache_state, 0);
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(fx_info(ctx, buf).cache_state, DMABUF_CACHE_MAY_BE_DIRTY | DMABUF_CACHE_CLEAN_DEFERRED);
	dmabuf_handle_t dma = fx_attach(ctx, buf, FX_DMA); /* rule 6 pays */
	UNIT_CHECK_HELPER();
	UNIT_EQ(fx_info(ctx, buf).cache_state, 0);
	struct dmabuf_mapping map;
	UNIT_EQ(dmabuf_map(ctx, dma, DMABUF_FROM_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_unmap(ctx, dma, &map, DMABUF_FROM_DEVICE), 0);
	UNIT_EQ(fx_info(ctx, buf).cache_state, DMABUF_CACHE_MAY_BE_STALE);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(fx_info(ctx, buf).cache_state, 0);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, uncached, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, uncached, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(fx_info(ctx, uncached).cache_state, 0);
	UNIT_EQ(dmabuf_detach(ctx, dma), 0);
	UNIT_EQ(dmabuf_detach(ctx, snoop), 0);
	UNIT_EQ(dmabuf_put(ctx, buf), 0);
	UNIT_EQ(dmabuf_put(ctx, uncached), 0);
	UNIT_EQ(dmabuf_put(ctx, unplaced), 0);
	fx_done(ctx);
}

const struct unit_suite suite_core_cache = UNIT_SUITE(core_cache,
	UNIT_TEST(cpu_to_device_frame_costs_exactly_4800_line_cleans),
	UNIT_TEST(device_to_cpu_frame_costs_exactly_4800_line_invalidates),
	UNIT_TEST(uncached_region_costs_zero_cache_operations),
	UNIT_TEST(coherent_device_costs_zero_cache_operations),
	UNIT_TEST(device_to_device_frames_cost_nothing_after_the_first_map),
	UNIT_TEST(map_to_device_and_unmap_never_touch_the_cache),
	UNIT_TEST(sub_ranges_touch_exactly_their_lines),
	UNIT_TEST(cpu_write_after_device_write_discards_stale_lines_first),
	UNIT_TEST(whole_cache_threshold_replaces_line_loops),
	UNIT_TEST(threshold_without_whole_cache_ops_keeps_the_line_loop),
	UNIT_TEST(clean_skipped_for_coherent_devices_is_paid_when_noncoherent_device_attaches),
	UNIT_TEST(psram_buffers_use_their_regions_64_byte_lines),
	UNIT_TEST(backend_failure_propagates_and_changes_nothing),
	UNIT_TEST(cache_stats_reset_zeroes_the_counters),
	UNIT_TEST(info_reports_the_cache_facts_of_each_hand_over));
