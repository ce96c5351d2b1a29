/*
 * The whole stack under concurrency, for ThreadSanitizer: worker threads
 * drive the context API (export, attach, map, job fences through the
 * reservation table, implicit-sync CPU access, detach, put) on their own
 * buffers and on one shared buffer, while a simulated interrupt thread
 * signals their job fences (some with errors) and the main thread reads
 * diagnostics. It exercises the documented lock order (context lock, then
 * the irq lock; fence waits outside both; docs/RELIABILITY.md) on every path
 * that nests them: reservation calls dropping fences, buffer death clearing
 * a reservation entry, implicit waits, signals running callbacks.
 * The sync suites (tests/native/sync) cover fences, queues and waits alone.
 */
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "core/fixture.h"
#include "dmabuf/fence.h"
#include "dmabuf/resv.h"

#define WORKERS 3u
#define ITERATIONS 150u
#define FENCES 64u

static uint64_t pool_storage[1024];
static uint64_t resv_storage[512];
static struct dmabuf_ctx *ctx;
static struct dmabuf_fence_pool *pool;
static struct dmabuf_resv_table *resv;
static dmabuf_handle_t shared_buffer;

/* The interrupt's work list: job fences handed over with the creator's
 * reference, signalled (every 7th with -EIO) and released by the
 * interrupt thread. The test's own hand-off, not part of the API. */
static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t jobs_ready = PTHREAD_COND_INITIALIZER;
static dmabuf_fence_t jobs[FENCES];
static uint32_t job_count;
static bool stopping;
static uint32_t errors;

static void hand_to_interrupt(dmabuf_fence_t fence)
{
	pthread_mutex_lock(&jobs_lock);
	jobs[job_count++] = fence;
	pthread_cond_signal(&jobs_ready);
	pthread_mutex_unlock(&jobs_lock);
}

static void *interrupt_thread(void *arg)
{
	(void)arg;
	uint32_t signalled = 0;
	pthread_mutex_lock(&jobs_lock);
	for (;;) {
		while (job_count == 0 && !stopping)
			pthread_cond_wait(&jobs_ready, &jobs_lock);
		if (job_count == 0)
			break;
		dmabuf_fence_t fence = jobs[--job_count];
		pthread_mutex_unlock(&jobs_lock);
		sched_yield(); /* the DMA takes a while */
		int err = ++signalled % 7 == 0 ? dmabuf_fence_signal_error(pool, fence, DMABUF_EIO)
					       : dmabuf_fence_signal(pool, fence);
		err |= dmabuf_fence_put(pool, fence);
		pthread_mutex_lock(&jobs_lock);
		errors += err != 0;
	}
	pthread_mutex_unlock(&jobs_lock);
	return NULL;
}

struct worker {
	uint32_t id;
	uint32_t failures;
	uint32_t device_errors; /* reads refused because the writer's DMA failed */
};

/* One camera-style job: the device writes the buffer, the CPU reads it
 * once the interrupt says the DMA is done. */
static void capture_once(struct worker *w, uint32_t timeline, uint32_t seqno)
{
	uint32_t flags = seqno % 3 == 0 ? DMABUF_EXPORT_DEFER_PLACEMENT : 0;
	dmabuf_handle_t buf = 0, att = 0;
	dmabuf_fence_t fence = 0;
	struct dmabuf_mapping map;
	void *cpu;
	if (dmabuf_export(ctx, 256u + 64u * (seqno % 8), "capture", flags, &buf) != 0 ||
	    dmabuf_attach(ctx, buf, FX_DMA, &att) != 0 || dmabuf_map(ctx, att, DMABUF_FROM_DEVICE, &map) != 0 ||
	    dmabuf_fence_create(pool, timeline, seqno, &fence) != 0 ||
	    dmabuf_resv_attach_job(resv, buf, DMABUF_FROM_DEVICE, fence) != 0) {
		w->failures++;
		return;
	}
	hand_to_interrupt(fence);
	if (dmabuf_unmap(ctx, att, &map, DMABUF_FROM_DEVICE) != 0)
		w->failures++;
	/* Implicit sync: blocks until the interrupt signalled the job. */
	int err = dmabuf_begin_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu);
	if (err == DMABUF_EIO)
		w->device_errors++;
	else if (err != 0 || dmabuf_end_cpu_access(ctx, buf, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE) != 0)
		w->failures++;
	if (dmabuf_detach(ctx, att) != 0 || dmabuf_put(ctx, buf) != 0)
		w->failures++;
}

/* One display-style read of the shared buffer, then a CPU write that must
 * wait for every reader still in flight. */
static void share_once(struct worker *w, dmabuf_handle_t att, uint32_t timeline, uint32_t seqno)
{
	struct dmabuf_mapping map;
	dmabuf_fence_t fence = 0;
	void *cpu;
	int err = dmabuf_map(ctx, att, DMABUF_TO_DEVICE, &map);
	if (err == DMABUF_EBUSY)
		return; /* the checker: another worker's CPU is writing it */
	if (err != 0 || dmabuf_fence_create(pool, timeline, seqno, &fence) != 0) {
		w->failures++;
		return;
	}
	err = dmabuf_resv_attach_job(resv, shared_buffer, DMABUF_TO_DEVICE, fence);
	if (err == DMABUF_ENOMEM) {
		/* Every reader slot is in flight: not this job's turn. */
		dmabuf_fence_signal(pool, fence);
		dmabuf_fence_put(pool, fence);
	} else if (err == 0) {
		hand_to_interrupt(fence);
	} else {
		w->failures++;
	}
	if (dmabuf_unmap(ctx, att, &map, DMABUF_TO_DEVICE) != 0)
		w->failures++;
	/* One CPU access at a time: the others see -EBUSY and move on. */
	err = dmabuf_begin_cpu_access(ctx, shared_buffer, DMABUF_TO_DEVICE, 0, 64, &cpu);
	if (err == 0) {
		memset(cpu, (int)w->id, 64);
		if (dmabuf_end_cpu_access(ctx, shared_buffer, DMABUF_TO_DEVICE, 0, 64) != 0)
			w->failures++;
	} else if (err != DMABUF_EBUSY) {
		w->failures++;
	}
}

static void *worker_thread(void *arg)
{
	struct worker *w = arg;
	static const enum fx_device devices[WORKERS] = { FX_DMA, FX_GDMA, FX_MDMA };
	uint32_t timeline = dmabuf_fence_context_alloc(pool);
	dmabuf_handle_t att;
	if (dmabuf_attach(ctx, shared_buffer, (int)devices[w->id], &att) != 0) {
		w->failures++;
		return NULL;
	}
	for (uint32_t i = 0; i < ITERATIONS; i++) {
		capture_once(w, timeline, 2 * i);
		share_once(w, att, timeline, 2 * i + 1);
	}
	if (dmabuf_detach(ctx, att) != 0)
		w->failures++;
	return NULL;
}

static void threads_drive_the_api_while_an_interrupt_signals_their_fences(void)
{
	ctx = fx_init(&(struct fx_options){ .max_buffers = 16, .max_attachments = 32 });
	UNIT_ASSERT(ctx);
	UNIT_EQ(dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), FENCES), 0);
	UNIT_EQ(dmabuf_resv_init(&resv, resv_storage, sizeof(resv_storage), ctx, pool, UINT32_MAX), 0);
	shared_buffer = fx_export(ctx, 4096, "shared", 0);
	UNIT_CHECK_HELPER();
	stopping = false;
	job_count = 0;
	errors = 0;

	pthread_t interrupt, threads[WORKERS];
	struct worker workers[WORKERS];
	UNIT_EQ(pthread_create(&interrupt, NULL, interrupt_thread, NULL), 0);
	for (uint32_t i = 0; i < WORKERS; i++) {
		workers[i] = (struct worker){ .id = i };
		UNIT_EQ(pthread_create(&threads[i], NULL, worker_thread, &workers[i]), 0);
	}
	/* Diagnostics from a third party while all that runs. */
	static char text[4096];
	uint32_t broken = 0;
	for (uint32_t i = 0; i < 200; i++) {
		struct dmabuf_heap_stats stats;
		broken += dmabuf_check(ctx) != 0;
		dmabuf_heap_stats(ctx, &stats);
		broken += dmabuf_bufinfo(ctx, text, sizeof(text)) <= 0;
		broken += dmabuf_fence_pool_check(pool) != 0;
		(void)dmabuf_resv_fence_count(resv);
		sched_yield();
	}
	for (uint32_t i = 0; i < WORKERS; i++)
		UNIT_EQ(pthread_join(threads[i], NULL), 0);
	pthread_mutex_lock(&jobs_lock);
	stopping = true;
	pthread_cond_signal(&jobs_ready);
	pthread_mutex_unlock(&jobs_lock);
	UNIT_EQ(pthread_join(interrupt, NULL), 0);

	UNIT_EQ(broken, 0);
	UNIT_EQ(errors, 0);
	uint32_t device_errors = 0;
	for (uint32_t i = 0; i < WORKERS; i++) {
		UNIT_EQ(workers[i].failures, 0);
		device_errors += workers[i].device_errors;
	}
	UNIT_ASSERT(device_errors > 0); /* the failed DMAs did reach their readers */
	/* Nothing leaked: the table lets go of the last fences, every byte and
	 * slot is back. */
	UNIT_EQ(dmabuf_check(ctx), 0);
	dmabuf_resv_deinit(resv);
	UNIT_EQ(dmabuf_put(ctx, shared_buffer), 0);
	struct dmabuf_fence_pool_stats pool_stats;
	dmabuf_fence_pool_stats(pool, &pool_stats);
	UNIT_EQ(pool_stats.in_use, 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	UNIT_EQ(stats.in_use, 0);
	UNIT_EQ(stats.live_attachments, 0);
	fx_done(ctx);
}

const struct unit_suite suite_fault_threads = UNIT_SUITE(fault_threads,
	UNIT_TEST(threads_drive_the_api_while_an_interrupt_signals_their_fences));
