/*
 * Hot-path benchmark of fences and frame queues, measured with callgrind
 * (run-callgrind.sh): each measured function is called ITERATIONS times in
 * steady state, so callgrind's inclusive count for it divided by the calls is
 * its cost per call. Built outside the test runner (it has its own main).
 *
 *   sync_bench <iterations> [fence|fence-callback|queue]
 *
 * runs the named loop (all three without a name). 0 iterations runs setup
 * and teardown only, so comparing the heap totals of two runs (memcheck)
 * shows whether the hot paths allocate.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmabuf/fence.h"
#include "dmabuf/queue.h"

static uint64_t pool_storage[1024];
static uint64_t queue_storage[256];
static unsigned callback_runs;

/* Kept out of line so callgrind reports each hot path as its own caller. */
__attribute__((noinline)) static void bench_fence_signal(struct dmabuf_fence_pool *pool, uint32_t context,
							 unsigned iterations)
{
	for (unsigned i = 0; i < iterations; i++) {
		dmabuf_fence_t fence;
		if (dmabuf_fence_create(pool, context, i, &fence) != 0)
			abort();
		if (dmabuf_fence_signal(pool, fence) != 0)
			abort();
		dmabuf_fence_put(pool, fence);
	}
}

static void count_callback(dmabuf_fence_t fence, int status, void *user)
{
	(void)fence;
	(void)status;
	(*(unsigned *)user)++;
}

/* Signal with one registered callback (what a DMA-complete ISR typically wakes). */
__attribute__((noinline)) static void bench_fence_signal_callback(struct dmabuf_fence_pool *pool,
								  uint32_t context, unsigned iterations)
{
	for (unsigned i = 0; i < iterations; i++) {
		dmabuf_fence_t fence;
		struct dmabuf_fence_cb cb;
		if (dmabuf_fence_create(pool, context, i, &fence) != 0 ||
		    dmabuf_fence_add_callback(pool, fence, &cb, count_callback, &callback_runs) != 0)
			abort();
		if (dmabuf_fence_signal(pool, fence) != 0)
			abort();
		dmabuf_fence_put(pool, fence);
	}
}

/* One full frame cycle per iteration: dequeue, enqueue, acquire, release. */
__attribute__((noinline)) static void bench_queue_cycle(struct dmabuf_queue *queue, unsigned iterations)
{
	for (unsigned i = 0; i < iterations; i++) {
		struct dmabuf_frame frame;
		if (dmabuf_queue_dequeue(queue, 0, &frame) != 0 ||
		    dmabuf_queue_enqueue(queue, frame.index, i) != 0 ||
		    dmabuf_queue_acquire(queue, 0, &frame) != 0 ||
		    dmabuf_queue_release(queue, frame.index) != 0)
			abort();
	}
}

int main(int argc, char **argv)
{
	unsigned iterations = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 10000u;
	const char *only = argc > 2 ? argv[2] : NULL;
	bool run_fence = !only || strcmp(only, "fence") == 0;
	bool run_callback = !only || strcmp(only, "fence-callback") == 0;
	bool run_queue = !only || strcmp(only, "queue") == 0;

	struct dmabuf_fence_pool *pool;
	if (dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), 64) != 0)
		return 1;
	uint32_t context = dmabuf_fence_context_alloc(pool);
	if (run_fence)
		bench_fence_signal(pool, context, iterations);
	if (run_callback)
		bench_fence_signal_callback(pool, context, iterations);

	const dmabuf_handle_t buffers[3] = { 1, 2, 3 };
	struct dmabuf_queue *queue;
	if (dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), buffers, 3, DMABUF_QUEUE_LATEST) != 0)
		return 1;
	if (run_queue)
		bench_queue_cycle(queue, iterations);

	int leaks = dmabuf_queue_deinit(queue) != 0 || dmabuf_fence_pool_deinit(pool) != 0 ||
		    callback_runs != (run_callback ? iterations : 0);
	printf("sync_bench: %u iterations, %s\n", iterations, leaks ? "LEAK" : "clean");
	return leaks;
}
