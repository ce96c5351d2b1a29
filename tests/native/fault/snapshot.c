/*
 * State snapshots for the fault-injection suites (snapshot.h).
 */
#include "snapshot.h"

#include <string.h>

#include "os_faults.h"
#include "unit.h"

void fault_snapshot_take(const struct fault_scene *scene, struct fault_snapshot *out)
{
	memset(out, 0, sizeof(*out));
	out->check = dmabuf_check(scene->ctx);
	dmabuf_heap_stats(scene->ctx, &out->heap);
	dmabuf_cache_stats(scene->ctx, &out->cache);
	out->bufinfo_length = dmabuf_bufinfo(scene->ctx, out->bufinfo, sizeof(out->bufinfo));
	if (scene->pool) {
		dmabuf_fence_pool_stats(scene->pool, &out->pool);
		out->pool_check = dmabuf_fence_pool_check(scene->pool);
	}
	if (scene->resv)
		out->resv_references = dmabuf_resv_fence_count(scene->resv);
	if (scene->queue) {
		dmabuf_queue_stats(scene->queue, &out->queue);
		out->queue_check = dmabuf_queue_check(scene->queue);
	}
	out->mutexes = os_faults_mutexes_alive();
	out->events = os_faults_events_alive();
}

void fault_expect_unchanged(const struct fault_snapshot *before, const struct fault_snapshot *after,
			    uint32_t heap_failed, uint32_t pool_failed, uint32_t starved)
{
	UNIT_EQ(before->check, 0);
	UNIT_EQ(after->check, 0);
	UNIT_EQ(after->pool_check, 0);
	UNIT_EQ(after->queue_check, 0);
	UNIT_EQ(after->heap.capacity, before->heap.capacity);
	UNIT_EQ(after->heap.in_use, before->heap.in_use);
	UNIT_EQ(after->heap.peak, before->heap.peak);
	UNIT_EQ(after->heap.failed, before->heap.failed + heap_failed);
	UNIT_EQ(after->heap.largest_free, before->heap.largest_free);
	UNIT_EQ(after->heap.live_buffers, before->heap.live_buffers);
	UNIT_EQ(after->heap.live_attachments, before->heap.live_attachments);
	UNIT_EQ(after->cache.lines_cleaned, before->cache.lines_cleaned);
	UNIT_EQ(after->cache.lines_invalidated, before->cache.lines_invalidated);
	UNIT_EQ(after->cache.whole_cache_ops, before->cache.whole_cache_ops);
	UNIT_EQ(after->bufinfo_length, before->bufinfo_length);
	if (strcmp(after->bufinfo, before->bufinfo) != 0)
		unit_fail(__FILE__, __LINE__, "bufinfo text changed by a failing call", 0, 0);
	UNIT_CHECK_HELPER();
	UNIT_EQ(after->pool.capacity, before->pool.capacity);
	UNIT_EQ(after->pool.in_use, before->pool.in_use);
	UNIT_EQ(after->pool.peak, before->pool.peak);
	UNIT_EQ(after->pool.failed, before->pool.failed + pool_failed);
	UNIT_EQ(after->pool.signalled, before->pool.signalled);
	UNIT_EQ(after->resv_references, before->resv_references);
	UNIT_EQ(after->queue.count, before->queue.count);
	for (int s = 0; s < 4; s++)
		UNIT_EQ(after->queue.in_state[s], before->queue.in_state[s]);
	UNIT_EQ(after->queue.enqueued, before->queue.enqueued);
	UNIT_EQ(after->queue.acquired, before->queue.acquired);
	UNIT_EQ(after->queue.dropped, before->queue.dropped);
	UNIT_EQ(after->queue.starved, before->queue.starved + starved);
	/* Nothing leaked from the OS port either. */
	UNIT_EQ(after->mutexes, before->mutexes);
	UNIT_EQ(after->events, before->events);
}

void fault_expect_scene_unchanged(const struct fault_scene *scene, const struct fault_snapshot *before,
				  uint32_t heap_failed, uint32_t pool_failed, uint32_t starved)
{
	static struct fault_snapshot after;
	fault_snapshot_take(scene, &after);
	fault_expect_unchanged(before, &after, heap_failed, pool_failed, starved);
}
