/*
 * The exact cache work of each pipeline step, as the backend saw it AND as
 * dmabuf_cache_stats counted it: a hand-over that does too much is as wrong
 * as one that does too little (it costs time, and an extra invalidate can
 * destroy data). A 1000-byte frame occupies 1024 bytes: 32, 16 or 8 lines.
 */
#include "coherency/pipelines.h"
#include "unit.h"

#define FRAME PIPELINE_FRAME

static struct rig *quiet_rig(uint32_t line, uint32_t whole_cache_threshold)
{
	struct rig_schedule schedule = { 1, line, whole_cache_threshold, 0.0, false };
	return rig_open(&schedule);
}

static void expect_ops(const struct rig *rig, uint32_t cleaned, uint32_t invalidated, uint32_t whole)
{
	UNIT_EQ(rig->failures, 0);
	UNIT_EQ(rig->last.lines_cleaned, cleaned);
	UNIT_EQ(rig->last.lines_invalidated, invalidated);
	UNIT_EQ(rig->last.whole_cache_ops, whole);
	UNIT_EQ(rig->last_core.lines_cleaned, cleaned);
	UNIT_EQ(rig->last_core.lines_invalidated, invalidated);
	UNIT_EQ(rig->last_core.whole_cache_ops, whole);
}

#define EXPECT_OPS(rig, cleaned, invalidated, whole)                                               \
	do {                                                                                       \
		expect_ops(rig, cleaned, invalidated, whole);                                      \
		UNIT_CHECK_HELPER();                                                               \
	} while (0)

/* Lines of bytes [45, 145) of the frame. */
static uint32_t sub_range_lines(uint32_t line)
{
	return ((145 + line - 1) / line * line - 45 / line * line) / line;
}

/* Every hand-over of a camera/display buffer, per-line operations. */
static void counts_per_step(uint32_t line)
{
	struct rig *rig = quiet_rig(line, 0);
	UNIT_ASSERT(rig);
	const uint32_t lines = 1024 / line, sub = sub_range_lines(line);
	struct dmabuf_mapping m;
	dmabuf_handle_t buffer = rig_export(rig, FRAME, 0);
	EXPECT_OPS(rig, 0, 0, 0);
	dmabuf_handle_t camera = rig_attach(rig, buffer, RIG_CAMERA);
	EXPECT_OPS(rig, 0, 0, 0);
	dmabuf_handle_t display = rig_attach(rig, buffer, RIG_DISPLAY);
	EXPECT_OPS(rig, 0, 0, 0);

	/* rule 1: fresh storage may hold dirty lines: invalidate before the camera */
	rig_map(rig, camera, DMABUF_FROM_DEVICE, &m);
	EXPECT_OPS(rig, 0, lines, 0);
	rig_unmap(rig, camera, &m, DMABUF_FROM_DEVICE);
	EXPECT_OPS(rig, 0, 0, 0);
	/* rule 4: the CPU reads what the camera wrote */
	rig_begin(rig, buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE);
	EXPECT_OPS(rig, 0, lines, 0);
	rig_end(rig, buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE);
	EXPECT_OPS(rig, 0, 0, 0);
	/* rule 1 again: nothing can be dirty now */
	rig_map(rig, camera, DMABUF_FROM_DEVICE, &m);
	EXPECT_OPS(rig, 0, 0, 0);
	rig_unmap(rig, camera, &m, DMABUF_FROM_DEVICE);
	EXPECT_OPS(rig, 0, 0, 0);
	/* sub-ranges touch the lines holding [45, 145) only, and a sub-range
	 * invalidate leaves the rest of the buffer stale */
	rig_begin(rig, buffer, DMABUF_FROM_DEVICE, 45, 100);
	EXPECT_OPS(rig, 0, sub, 0);
	rig_end(rig, buffer, DMABUF_FROM_DEVICE, 45, 100);
	EXPECT_OPS(rig, 0, 0, 0);
	rig_begin(rig, buffer, DMABUF_TO_DEVICE, 45, 100);
	EXPECT_OPS(rig, 0, sub, 0);
	rig_end(rig, buffer, DMABUF_TO_DEVICE, 45, 100);
	EXPECT_OPS(rig, sub, 0, 0);
	/* rule 2 and 3: a device read costs nothing */
	rig_map(rig, display, DMABUF_TO_DEVICE, &m);
	EXPECT_OPS(rig, 0, 0, 0);
	rig_unmap(rig, display, &m, DMABUF_TO_DEVICE);
	EXPECT_OPS(rig, 0, 0, 0);
	/* whole-buffer write: still stale, so invalidate first, then clean */
	rig_begin(rig, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE);
	EXPECT_OPS(rig, 0, lines, 0);
	rig_end(rig, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE);
	EXPECT_OPS(rig, lines, 0, 0);
	rig_begin(rig, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE);
	EXPECT_OPS(rig, 0, 0, 0);
	rig_end(rig, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE);
	EXPECT_OPS(rig, lines, 0, 0);
	/* bidirectional: the map needs nothing (cleaned), the CPU pays both ways */
	rig_begin(rig, buffer, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE);
	EXPECT_OPS(rig, 0, 0, 0);
	rig_end(rig, buffer, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE);
	EXPECT_OPS(rig, lines, 0, 0);
	rig_map(rig, camera, DMABUF_BIDIRECTIONAL, &m);
	EXPECT_OPS(rig, 0, 0, 0);
	rig_unmap(rig, camera, &m, DMABUF_BIDIRECTIONAL);
	EXPECT_OPS(rig, 0, 0, 0);
	rig_begin(rig, buffer, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE);
	EXPECT_OPS(rig, 0, lines, 0);
	rig_end(rig, buffer, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE);
	EXPECT_OPS(rig, lines, 0, 0);

	rig_detach(rig, camera);
	rig_detach(rig, display);
	rig_put(rig, buffer);
	EXPECT_OPS(rig, 0, 0, 0);
	UNIT_EQ(rig->backend.violations, 0);
}

static void each_hand_over_touches_exactly_its_lines_at_32_bytes(void)
{
	counts_per_step(32);
}

static void each_hand_over_touches_exactly_its_lines_at_64_bytes(void)
{
	counts_per_step(64);
}

static void each_hand_over_touches_exactly_its_lines_at_128_bytes(void)
{
	counts_per_step(128);
}

static void ranges_above_the_threshold_use_one_whole_cache_operation(void)
{
	struct rig *rig = quiet_rig(32, 512);
	UNIT_ASSERT(rig);
	struct dmabuf_mapping m;
	dmabuf_handle_t buffer = rig_export(rig, FRAME, 0);
	dmabuf_handle_t camera = rig_attach(rig, buffer, RIG_CAMERA);
	rig_map(rig, camera, DMABUF_FROM_DEVICE, &m);
	EXPECT_OPS(rig, 0, 0, 1);
	UNIT_EQ(rig->backend.calls[SIM_CACHE_CLEAN_INVALIDATE_ALL], 1);
	rig_unmap(rig, camera, &m, DMABUF_FROM_DEVICE);
	rig_begin(rig, buffer, DMABUF_FROM_DEVICE, 45, 100); /* 128 bytes: below */
	EXPECT_OPS(rig, 0, 4, 0);
	rig_end(rig, buffer, DMABUF_FROM_DEVICE, 45, 100);
	rig_begin(rig, buffer, DMABUF_TO_DEVICE, 0, 513);   /* 544 bytes: above */
	EXPECT_OPS(rig, 0, 0, 1);
	UNIT_EQ(rig->backend.calls[SIM_CACHE_CLEAN_INVALIDATE_ALL], 2);
	rig_end(rig, buffer, DMABUF_TO_DEVICE, 0, 513);
	EXPECT_OPS(rig, 0, 0, 1);
	UNIT_EQ(rig->backend.calls[SIM_CACHE_CLEAN_ALL], 1);
	rig_detach(rig, camera);
	rig_put(rig, buffer);
	UNIT_EQ(rig->failures, 0);
	UNIT_EQ(rig->backend.violations, 0);
}

static void uncached_and_coherent_hand_overs_cost_nothing(void)
{
	struct rig *rig = quiet_rig(32, 0);
	UNIT_ASSERT(rig);
	struct dmabuf_mapping m;
	dmabuf_handle_t uncached = rig_export(rig, FRAME, DMABUF_EXPORT_PREFER_UNCACHED);
	dmabuf_handle_t coherent = rig_export(rig, FRAME, 0);
	dmabuf_handle_t camera = rig_attach(rig, uncached, RIG_CAMERA);
	dmabuf_handle_t snooper = rig_attach(rig, coherent, RIG_SNOOPER);
	static const enum dmabuf_direction directions[] = { DMABUF_TO_DEVICE, DMABUF_FROM_DEVICE,
							    DMABUF_BIDIRECTIONAL };
	for (int i = 0; i < 3; i++) {
		enum dmabuf_direction d = directions[i];
		rig_map(rig, camera, d, &m);
		rig_unmap(rig, camera, &m, d);
		rig_map(rig, snooper, d, &m);
		rig_unmap(rig, snooper, &m, d);
		rig_begin(rig, uncached, d, 0, DMABUF_WHOLE);
		rig_end(rig, uncached, d, 0, DMABUF_WHOLE);
		rig_begin(rig, coherent, d, 7, 300);
		rig_end(rig, coherent, d, 7, 300);
	}
	rig_detach(rig, camera);
	rig_detach(rig, snooper);
	rig_put(rig, uncached);
	rig_put(rig, coherent);
	UNIT_EQ(rig->failures, 0);
	for (int op = 0; op < SIM_CACHE_OP_KINDS; op++)
		UNIT_EQ(rig->backend.calls[op], 0);
	struct dmabuf_cache_stats stats;
	dmabuf_cache_stats(rig->ctx, &stats);
	UNIT_EQ(stats.lines_cleaned + stats.lines_invalidated + stats.whole_cache_ops, 0);
}

static void migration_and_deferred_clean_clean_the_whole_buffer_once(void)
{
	struct rig *rig = quiet_rig(64, 0);
	UNIT_ASSERT(rig);
	dmabuf_handle_t migrating = rig_export(rig, FRAME, 0);
	dmabuf_handle_t dma2 = rig_attach(rig, migrating, RIG_DMA2);
	EXPECT_OPS(rig, 16, 0, 0);
	UNIT_EQ(rig->backend.calls[SIM_CACHE_CLEAN], 1);
	UNIT_EQ(rig_info(rig, migrating).region, TEST_SRAM2);

	dmabuf_handle_t deferred = rig_export(rig, FRAME, 0);
	dmabuf_handle_t snooper = rig_attach(rig, deferred, RIG_SNOOPER);
	rig_begin(rig, deferred, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE);
	rig_end(rig, deferred, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE);
	EXPECT_OPS(rig, 0, 0, 0);
	dmabuf_handle_t display = rig_attach(rig, deferred, RIG_DISPLAY);
	EXPECT_OPS(rig, 16, 0, 0);
	dmabuf_handle_t camera = rig_attach(rig, deferred, RIG_CAMERA);
	EXPECT_OPS(rig, 0, 0, 0);

	rig_detach(rig, dma2);
	rig_detach(rig, snooper);
	rig_detach(rig, display);
	rig_detach(rig, camera);
	rig_put(rig, migrating);
	rig_put(rig, deferred);
	UNIT_EQ(rig->failures, 0);
	UNIT_EQ(rig->backend.violations, 0);
}

/* Rule 4 on a stale buffer whose clean is owed: the range's lines are
 * cleaned, then invalidated; above the threshold one clean_invalidate_all
 * does both; a whole-buffer range settles the debt (the late display's
 * attach then cleans nothing). */
static void owed_lines_are_cleaned_before_rule_4_invalidates_them(void)
{
	for (uint32_t threshold = 0; threshold <= 512; threshold += 512) {
		struct rig *rig = quiet_rig(32, threshold);
		UNIT_ASSERT(rig);
		const uint32_t sub = sub_range_lines(32);
		struct dmabuf_mapping m;
		dmabuf_handle_t buffer = rig_export(rig, FRAME, 0);
		dmabuf_handle_t snooper = rig_attach(rig, buffer, RIG_SNOOPER);
		dmabuf_handle_t camera = rig_attach(rig, buffer, RIG_CAMERA);
		rig_map(rig, camera, DMABUF_FROM_DEVICE, &m);
		rig_unmap(rig, camera, &m, DMABUF_FROM_DEVICE);
		rig_detach(rig, camera);
		rig_begin(rig, buffer, DMABUF_TO_DEVICE, 45, 100);
		EXPECT_OPS(rig, 0, sub, 0);
		rig_end(rig, buffer, DMABUF_TO_DEVICE, 45, 100);
		EXPECT_OPS(rig, 0, 0, 0); /* deferred: only the snooper is attached */
		rig_begin(rig, buffer, DMABUF_FROM_DEVICE, 45, 100);
		EXPECT_OPS(rig, sub, sub, 0);
		rig_end(rig, buffer, DMABUF_FROM_DEVICE, 45, 100);
		rig_begin(rig, buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE);
		if (threshold)
			EXPECT_OPS(rig, 0, 0, 1);
		else
			EXPECT_OPS(rig, 32, 32, 0);
		rig_end(rig, buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE);
		dmabuf_handle_t display = rig_attach(rig, buffer, RIG_DISPLAY);
		EXPECT_OPS(rig, 0, 0, 0);
		rig_detach(rig, display);
		rig_detach(rig, snooper);
		rig_put(rig, buffer);
		UNIT_EQ(rig->failures, 0);
		UNIT_EQ(rig->backend.violations, 0);
	}
}

const struct unit_suite suite_coherency_counts = UNIT_SUITE(coherency_counts,
	UNIT_TEST(each_hand_over_touches_exactly_its_lines_at_32_bytes),
	UNIT_TEST(each_hand_over_touches_exactly_its_lines_at_64_bytes),
	UNIT_TEST(each_hand_over_touches_exactly_its_lines_at_128_bytes),
	UNIT_TEST(ranges_above_the_threshold_use_one_whole_cache_operation),
	UNIT_TEST(uncached_and_coherent_hand_overs_cost_nothing),
	UNIT_TEST(migration_and_deferred_clean_clean_the_whole_buffer_once),
	UNIT_TEST(owed_lines_are_cleaned_before_rule_4_invalidates_them));
