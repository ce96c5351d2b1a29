/*
 * SUFFICIENCY: with the core's hand-overs as they are, every pipeline reads
 * exactly the bytes it should, under 1,000 seeded eviction schedules each
 * (lines of 32/64/128 bytes, per-line and whole-cache operations, eviction
 * rates from 0 to 1 around every call, inside every CPU access and after
 * every DMA segment), with no call rejected by the backend's contract checks.
 */
#include <stdio.h>

#include "coherency/pipelines.h"
#include "unit.h"

#define SCHEDULES 1000u

static void survives_every_schedule(pipeline_fn pipeline, const char *name)
{
	uint64_t dma_evictions = 0, written_back = 0, capacity_evictions = 0;
	for (uint64_t seed = 0; seed < SCHEDULES; seed++) {
		struct rig_schedule schedule = rig_schedule_of(seed);
		struct rig *rig = rig_open(&schedule);
		UNIT_ASSERT(rig);
		pipeline(rig);
		if (rig->failures || rig->corrupted || rig->backend.violations)
			printf("  seed %llu (line %u, whole-cache threshold %u, rate %.2f): %u corrupted bytes, %u failed calls, %u contract violations\n",
			       (unsigned long long)seed, schedule.line, schedule.whole_cache_threshold,
			       schedule.eviction_rate, rig->corrupted, rig->failures, rig->backend.violations);
		UNIT_EQ(rig->failures, 0);
		UNIT_EQ(rig->backend.violations, 0);
		UNIT_EQ(rig->corrupted, 0);
		struct sim_stats stats;
		sim_stats(rig->soc, &stats);
		dma_evictions += rig->dma_evictions;
		written_back += stats.written_back_lines;
		capacity_evictions += stats.capacity_evictions;
	}
	printf("  %s: %u schedules intact; lines evicted during DMA %llu, dirty lines written back %llu (%llu by capacity)\n",
	       name, SCHEDULES, (unsigned long long)dma_evictions, (unsigned long long)written_back,
	       (unsigned long long)capacity_evictions);
	/* The schedules really did evict while DMA ran and write dirty lines back. */
	UNIT_ASSERT(dma_evictions > SCHEDULES);
	UNIT_ASSERT(written_back > SCHEDULES);
}

static void cpu_to_device_frames_arrive_intact(void)
{
	survives_every_schedule(pipeline_cpu_to_device, "cpu_to_device");
}

static void device_to_cpu_frames_arrive_intact_beside_a_dirty_neighbour(void)
{
	survives_every_schedule(pipeline_device_to_cpu, "device_to_cpu");
}

static void bidirectional_round_trips_arrive_intact(void)
{
	survives_every_schedule(pipeline_bidirectional, "bidirectional");
}

static void camera_to_display_passes_frames_intact(void)
{
	survives_every_schedule(pipeline_camera_to_display, "camera_to_display");
}

static void sub_range_reads_and_overlays_arrive_intact(void)
{
	survives_every_schedule(pipeline_sub_range, "sub_range");
}

static void frame_operations_overlays_arrive_intact(void)
{
	survives_every_schedule(pipeline_frame_overlay, "frame_overlay");
}

static void batched_frame_operations_overlays_arrive_intact(void)
{
	survives_every_schedule(pipeline_frame_overlay_batched, "frame_overlay_batched");
}

static void buffer_reused_after_free_ignores_previous_dirty_lines(void)
{
	survives_every_schedule(pipeline_reuse_after_free, "reuse_after_free");
}

static void migrated_buffer_arrives_intact(void)
{
	survives_every_schedule(pipeline_migration, "migration");
}

static void deferred_clean_reaches_a_late_non_coherent_device(void)
{
	survives_every_schedule(pipeline_deferred_clean, "deferred_clean");
}

static void cpu_overlay_owed_to_a_coherent_device_survives_a_stale_buffer(void)
{
	survives_every_schedule(pipeline_stale_then_deferred, "stale_then_deferred");
}

static void random_hand_overs_with_a_coherent_device_attached_arrive_intact(void)
{
	survives_every_schedule(pipeline_random_hand_overs, "random_hand_overs");
}

static void coherent_device_needs_no_cache_operation(void)
{
	survives_every_schedule(pipeline_coherent_device, "coherent_device");
}

static void uncached_buffer_needs_no_cache_operation(void)
{
	survives_every_schedule(pipeline_uncached, "uncached");
}

const struct unit_suite suite_coherency_sufficient = UNIT_SUITE(coherency_sufficient,
	UNIT_TEST(cpu_to_device_frames_arrive_intact),
	UNIT_TEST(device_to_cpu_frames_arrive_intact_beside_a_dirty_neighbour),
	UNIT_TEST(bidirectional_round_trips_arrive_intact),
	UNIT_TEST(camera_to_display_passes_frames_intact),
	UNIT_TEST(sub_range_reads_and_overlays_arrive_intact),
	UNIT_TEST(frame_operations_overlays_arrive_intact),
	UNIT_TEST(batched_frame_operations_overlays_arrive_intact),
	UNIT_TEST(buffer_reused_after_free_ignores_previous_dirty_lines),
	UNIT_TEST(migrated_buffer_arrives_intact),
	UNIT_TEST(deferred_clean_reaches_a_late_non_coherent_device),
	UNIT_TEST(cpu_overlay_owed_to_a_coherent_device_survives_a_stale_buffer),
	UNIT_TEST(random_hand_overs_with_a_coherent_device_attached_arrive_intact),
	UNIT_TEST(coherent_device_needs_no_cache_operation),
	UNIT_TEST(uncached_buffer_needs_no_cache_operation));
