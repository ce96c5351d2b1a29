/*
 * "A failing call changes nothing": everything observable about a context
 * and its companions, taken before and after a call that must fail.
 */
#ifndef FAULT_SNAPSHOT_H
#define FAULT_SNAPSHOT_H

#include <stdint.h>

#include "dmabuf/dmabuf.h"
#include "dmabuf/fence.h"
#include "dmabuf/queue.h"
#include "dmabuf/resv.h"

struct fault_scene {
	struct dmabuf_ctx *ctx;             /* required */
	struct dmabuf_fence_pool *pool;     /* optional */
	struct dmabuf_resv_table *resv;     /* optional */
	struct dmabuf_queue *queue;         /* optional */
};

struct fault_snapshot {
	int check;
	struct dmabuf_heap_stats heap;
	struct dmabuf_cache_stats cache;
	int bufinfo_length;
	char bufinfo[4096];
	struct dmabuf_fence_pool_stats pool;
	int pool_check;
	uint32_t resv_references;
	struct dmabuf_queue_stats queue;
	int queue_check;
	int32_t mutexes, events;
};

void fault_snapshot_take(const struct fault_scene *scene, struct fault_snapshot *out);

/*
 * Assert that @after equals @before in every field, except that the refusal
 * counters moved as the contract says: heap.failed by @heap_failed (storage
 * refusals), pool.failed by @pool_failed, queue.starved by @starved.
 * Both snapshots must pass their invariant checks. Fails the running test.
 */
void fault_expect_unchanged(const struct fault_snapshot *before, const struct fault_snapshot *after,
			    uint32_t heap_failed, uint32_t pool_failed, uint32_t starved);

/* Take a snapshot now and compare it with @before (the usual second half). */
void fault_expect_scene_unchanged(const struct fault_scene *scene, const struct fault_snapshot *before,
				  uint32_t heap_failed, uint32_t pool_failed, uint32_t starved);

#endif /* FAULT_SNAPSHOT_H */
