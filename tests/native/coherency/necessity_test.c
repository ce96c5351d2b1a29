/*
 * NECESSITY: for each cache operation the core performs, the same pipelines
 * with exactly that hand-over's operations dropped by the backend (the core
 * is not touched) deliver corrupted frames.
 *
 * Each test runs 240 schedules (the 6 configurations: line 32/64/128 x
 * per-line/whole-cache) with an eviction pattern chosen so the omission
 * shows:
 *   - a missing invalidate BEFORE a device writes shows only if a dirty line
 *     is evicted after the DMA wrote it: rate 1.0 during DMA, no evictions
 *     elsewhere (they would write the dirt back harmlessly before the map);
 *   - a missing clean or a missing invalidate AFTER a device wrote shows when
 *     nothing is evicted at all (rate 0): memory / the CPU view stay old.
 * Every schedule must also have actually dropped an operation (the hand-over
 * exists), and none may have failed a call or broken the backend contract.
 */
#include <stdio.h>

#include "coherency/pipelines.h"
#include "unit.h"

#define SCHEDULES 240u

enum expectation { EVERY_SCHEDULE, MOST_SCHEDULES };

static void breaks_without_ops(pipeline_fn pipeline, enum rig_call call, uint32_t directions, uint32_t ops,
			       double rate, enum expectation expectation, const char *name)
{
	uint32_t corrupted = 0;
	for (uint64_t seed = 0; seed < SCHEDULES; seed++) {
		struct rig_schedule schedule = rig_schedule_of(seed);
		schedule.eviction_rate = rate;
		schedule.cpu_side_evictions = false;
		struct rig *rig = rig_open(&schedule);
		UNIT_ASSERT(rig);
		rig_drop(rig, call, directions, ops);
		pipeline(rig);
		UNIT_EQ(rig->failures, 0);
		UNIT_EQ(rig->backend.violations, 0);
		UNIT_ASSERT(rig->dropped > 0);
		corrupted += rig->corrupted > 0;
	}
	printf("  without %s: %u of %u schedules corrupted\n", name, corrupted, SCHEDULES);
	if (expectation == EVERY_SCHEDULE)
		UNIT_EQ(corrupted, SCHEDULES);
	else
		UNIT_ASSERT(corrupted * 2 > SCHEDULES);
}

static void breaks_without(pipeline_fn pipeline, enum rig_call call, uint32_t directions, double rate,
			   enum expectation expectation, const char *name)
{
	breaks_without_ops(pipeline, call, directions, RIG_ALL_OPS, rate, expectation, name);
}

/* Rule 1: invalidate at map when a device will write and the buffer may hold
 * dirty lines (from startup code, or from a previous owner). */
static void map_invalidate_is_needed_for_device_to_cpu(void)
{
	breaks_without(pipeline_device_to_cpu, RIG_CALL_MAP, RIG_ANY_DIRECTION, 1.0, EVERY_SCHEDULE,
		       "the map invalidate (device -> CPU)");
}

static void map_invalidate_is_needed_for_camera_to_display(void)
{
	breaks_without(pipeline_camera_to_display, RIG_CALL_MAP, RIG_ANY_DIRECTION, 1.0,
		       EVERY_SCHEDULE, "the map invalidate (camera -> display)");
}

static void map_invalidate_is_needed_after_a_dirty_previous_owner(void)
{
	breaks_without(pipeline_reuse_after_free, RIG_CALL_MAP, RIG_ANY_DIRECTION, 1.0,
		       EVERY_SCHEDULE, "the map invalidate (reuse after free)");
}

/* Rule 4: invalidate at begin_cpu_access after a device wrote. */
static void begin_invalidate_is_needed_to_read_device_data(void)
{
	breaks_without(pipeline_device_to_cpu, RIG_CALL_BEGIN, RIG_DIRECTION(DMABUF_FROM_DEVICE), 0.0,
		       EVERY_SCHEDULE, "the begin invalidate (FROM_DEVICE read)");
}

static void begin_invalidate_is_needed_for_bidirectional_access(void)
{
	breaks_without(pipeline_bidirectional, RIG_CALL_BEGIN, RIG_DIRECTION(DMABUF_BIDIRECTIONAL), 0.0,
		       EVERY_SCHEDULE, "the begin invalidate (BIDIRECTIONAL)");
}

/* ... and for a TO_DEVICE access that writes part of a stale line: without
 * it the clean writes the stale rest of the line over the device's bytes.
 * Not every schedule: when the overlay's edge lines were already refreshed
 * by the sub-range read before it, nothing is stale. */
static void begin_invalidate_is_needed_before_a_partial_overlay(void)
{
	breaks_without(pipeline_sub_range, RIG_CALL_BEGIN, RIG_DIRECTION(DMABUF_TO_DEVICE), 0.0,
		       MOST_SCHEDULES, "the begin invalidate (TO_DEVICE overlay)");
}

/* ... and, with a clean still owed (rule 5 deferred it: only coherent
 * devices were attached), the clean of the range's lines before that
 * invalidate: without it the invalidate discards the CPU's bytes. */
static void begin_clean_is_needed_before_invalidating_owed_lines(void)
{
	breaks_without_ops(pipeline_stale_then_deferred, RIG_CALL_BEGIN, RIG_ANY_DIRECTION,
			   RIG_OP(SIM_CACHE_CLEAN), 0.0, EVERY_SCHEDULE,
			   "the begin clean of owed lines (stale buffer, clean deferred)");
}

/* Rule 5: clean at end_cpu_access after the CPU wrote. */
static void end_clean_is_needed_for_cpu_to_device(void)
{
	breaks_without(pipeline_cpu_to_device, RIG_CALL_END, RIG_ANY_DIRECTION, 0.0, EVERY_SCHEDULE,
		       "the end clean (TO_DEVICE)");
}

static void end_clean_is_needed_for_bidirectional_access(void)
{
	breaks_without(pipeline_bidirectional, RIG_CALL_END, RIG_ANY_DIRECTION, 0.0, EVERY_SCHEDULE,
		       "the end clean (BIDIRECTIONAL)");
}

static void end_clean_is_needed_for_a_sub_range_overlay(void)
{
	breaks_without(pipeline_sub_range, RIG_CALL_END, RIG_ANY_DIRECTION, 0.0, EVERY_SCHEDULE,
		       "the end clean (sub-range overlay)");
}

/* Rules 4 and 5 for a frame operation's rectangle (frame.h): its one access
 * from the first touched byte to the last needs both ends. */
static void frame_begin_invalidate_is_needed_for_a_rectangle(void)
{
	breaks_without(pipeline_frame_overlay, RIG_CALL_FRAME_BEGIN, RIG_ANY_DIRECTION, 0.0, EVERY_SCHEDULE,
		       "the frame operation's begin invalidate");
}

static void frame_end_clean_is_needed_for_a_rectangle(void)
{
	breaks_without(pipeline_frame_overlay, RIG_CALL_FRAME_END, RIG_ANY_DIRECTION, 0.0, EVERY_SCHEDULE,
		       "the frame operation's end clean");
}

/* Batched (frame.h): operations inside the caller's access do no cache work
 * of their own -- dropping a frame operation's begin or end finds nothing
 * to drop and nothing breaks -- and the caller's begin and end are each
 * needed. */
static void batched_frame_operations_do_no_cache_work_of_their_own(void)
{
	enum rig_call calls[] = { RIG_CALL_FRAME_BEGIN, RIG_CALL_FRAME_END };
	for (uint32_t c = 0; c < 2; c++)
		for (uint64_t seed = 0; seed < SCHEDULES; seed++) {
			struct rig_schedule schedule = rig_schedule_of(seed);
			struct rig *rig = rig_open(&schedule);
			UNIT_ASSERT(rig);
			rig_drop(rig, calls[c], RIG_ANY_DIRECTION, RIG_ALL_OPS);
			pipeline_frame_overlay_batched(rig);
			UNIT_EQ(rig->failures, 0);
			UNIT_EQ(rig->backend.violations, 0);
			UNIT_EQ(rig->dropped, 0);
			UNIT_EQ(rig->corrupted, 0);
		}
}

static void batched_access_begin_invalidate_is_needed(void)
{
	breaks_without(pipeline_frame_overlay_batched, RIG_CALL_BEGIN, RIG_ANY_DIRECTION, 0.0, EVERY_SCHEDULE,
		       "the batched access's begin invalidate");
}

static void batched_access_end_clean_is_needed(void)
{
	breaks_without(pipeline_frame_overlay_batched, RIG_CALL_END, RIG_ANY_DIRECTION, 0.0, EVERY_SCHEDULE,
		       "the batched access's end clean");
}

/* Rule 6: the clean owed by a CPU write seen only by coherent devices, paid
 * when a non-coherent device is attached. */
static void deferred_clean_at_attach_is_needed(void)
{
	breaks_without(pipeline_deferred_clean, RIG_CALL_ATTACH, RIG_ANY_DIRECTION, 0.0,
		       EVERY_SCHEDULE, "the deferred clean at attach");
}

/* Rule 7: clean of the destination after a migration copied through the CPU. */
static void migration_clean_is_needed(void)
{
	breaks_without(pipeline_migration, RIG_CALL_ATTACH, RIG_ANY_DIRECTION, 0.0, EVERY_SCHEDULE,
		       "the migration clean");
}

const struct unit_suite suite_coherency_necessary = UNIT_SUITE(coherency_necessary,
	UNIT_TEST(map_invalidate_is_needed_for_device_to_cpu),
	UNIT_TEST(map_invalidate_is_needed_for_camera_to_display),
	UNIT_TEST(map_invalidate_is_needed_after_a_dirty_previous_owner),
	UNIT_TEST(begin_invalidate_is_needed_to_read_device_data),
	UNIT_TEST(begin_invalidate_is_needed_for_bidirectional_access),
	UNIT_TEST(begin_invalidate_is_needed_before_a_partial_overlay),
	UNIT_TEST(begin_clean_is_needed_before_invalidating_owed_lines),
	UNIT_TEST(end_clean_is_needed_for_cpu_to_device),
	UNIT_TEST(end_clean_is_needed_for_bidirectional_access),
	UNIT_TEST(end_clean_is_needed_for_a_sub_range_overlay),
	UNIT_TEST(frame_begin_invalidate_is_needed_for_a_rectangle),
	UNIT_TEST(frame_end_clean_is_needed_for_a_rectangle),
	UNIT_TEST(batched_frame_operations_do_no_cache_work_of_their_own),
	UNIT_TEST(batched_access_begin_invalidate_is_needed),
	UNIT_TEST(batched_access_end_clean_is_needed),
	UNIT_TEST(deferred_clean_at_attach_is_needed),
	UNIT_TEST(migration_clean_is_needed));
