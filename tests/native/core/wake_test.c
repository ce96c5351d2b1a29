/*
 * What a runtime that cannot block (nanoCLR) builds its waits on: the wake
 * hooks of the fence pool and of frame queues (called on every signal /
 * hand-over), and the non-blocking implicit sync of a reservation table
 * (map / begin_cpu_access answer -EAGAIN, changing nothing, while a
 * conflicting fence is pending). Portable: also runs on the emulated targets.
 */
#include <string.h>

#include "dmabuf/os.h"
#include "dmabuf/queue.h"
#include "dmabuf/resv.h"
#include "fixture.h"

static uint64_t pool_storage[256];
static uint64_t resv_storage[128];
static uint64_t queue_storage[64];
static struct dmabuf_fence_pool *pool;
static struct dmabuf_resv_table *resv;

/* What the hook saw: how often it ran, and the status of the watched fence
 * at that moment (the hook must come after the status is set). */
static struct {
	uint32_t calls;
	dmabuf_fence_t watched;
	int status_seen;
	void *user_seen;
} wake;

static void count_wake(void *user)
{
	wake.calls++;
	wake.user_seen = user;
	if (wake.watched)
		wake.status_seen = dmabuf_fence_status(pool, wake.watched);
}

static void count_callback(dmabuf_fence_t fence, int status, void *user)
{
	(void)fence;
	(void)status;
	(void)user;
	wake.calls++;
}

static void new_pool(void)
{
	memset(&wake, 0, sizeof(wake));
	if (dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), 8) != 0)
		unit_fail(__FILE__, __LINE__, "dmabuf_fence_pool_init", 0, 0);
}

static dmabuf_fence_t new_fence(void)
{
	dmabuf_fence_t fence = 0;
	if (dmabuf_fence_create(pool, dmabuf_fence_context_alloc(pool), 1, &fence) != 0)
		unit_fail(__FILE__, __LINE__, "dmabuf_fence_create", 0, 0);
	return fence;
}

static void wake_fence_hook_runs_once_per_signal_after_the_status_is_set(void)
{
	new_pool();
	UNIT_CHECK_HELPER();
	int tag;
	dmabuf_fence_pool_set_wake_hook(pool, count_wake, &tag);
	dmabuf_fence_t done = new_fence(), failed = new_fence(), orphan = new_fence();
	UNIT_CHECK_HELPER();

	wake.watched = done;
	UNIT_EQ(dmabuf_fence_signal(pool, done), 0);
	UNIT_EQ(wake.calls, 1);
	UNIT_EQ(wake.status_seen, 1);
	UNIT_ASSERT(wake.user_seen == &tag);
	/* A refused second signal changes nothing, so it wakes nobody. */
	UNIT_EQ(dmabuf_fence_signal(pool, done), DMABUF_EPERM);
	UNIT_EQ(wake.calls, 1);

	wake.watched = failed;
	UNIT_EQ(dmabuf_fence_signal_error(pool, failed, DMABUF_EIO), 0);
	UNIT_EQ(wake.calls, 2);
	UNIT_EQ(wake.status_seen, DMABUF_EIO);

	/* The -EIO signal of an orphan (released unsignalled with a waiter) is a
	 * signal too: whoever waits on the runtime's event must hear of it. */
	struct dmabuf_fence_cb cb;
	wake.watched = 0;
	UNIT_EQ(dmabuf_fence_add_callback(pool, orphan, &cb, count_callback, NULL), 0);
	UNIT_EQ(dmabuf_fence_put(pool, orphan), 0);
	UNIT_EQ(wake.calls, 4); /* the callback, then the hook */

	/* Removed: signals run no hook. */
	dmabuf_fence_pool_set_wake_hook(pool, NULL, NULL);
	dmabuf_fence_t later = new_fence();
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_fence_signal(pool, later), 0);
	UNIT_EQ(wake.calls, 4);

	UNIT_EQ(dmabuf_fence_put(pool, done), 0);
	UNIT_EQ(dmabuf_fence_put(pool, failed), 0);
	UNIT_EQ(dmabuf_fence_put(pool, later), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
}

static void wake_queue_hook_runs_on_every_hand_over_a_waiter_could_use(void)
{
	static const dmabuf_handle_t buffers[2] = { 11, 12 };
	struct dmabuf_queue *queue;
	struct dmabuf_queue_frame frame;
	memset(&wake, 0, sizeof(wake));
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), buffers, 2, DMABUF_QUEUE_WHEN_EMPTY),
		0);
	dmabuf_queue_set_wake_hook(queue, count_wake, NULL);

	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &frame), 0);
	UNIT_EQ(wake.calls, 0); /* taking a frame gives nobody anything */
	UNIT_EQ(dmabuf_queue_enqueue(queue, frame.index, DMABUF_QUEUE_TIME_NOW), 0);
	UNIT_EQ(wake.calls, 1); /* READY: a consumer can take it */
	UNIT_EQ(dmabuf_queue_acquire(queue, 0, &frame), 0);
	UNIT_EQ(dmabuf_queue_release(queue, frame.index), 0);
	UNIT_EQ(wake.calls, 2); /* FREE: a producer can take it */
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &frame), 0);
	UNIT_EQ(dmabuf_queue_cancel(queue, frame.index), 0);
	UNIT_EQ(wake.calls, 3);
	/* A refused hand-over moved no frame. */
	UNIT_EQ(dmabuf_queue_release(queue, frame.index), DMABUF_EPERM);
	UNIT_EQ(wake.calls, 3);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
}

/* A context with one unplaced buffer, an attachment, and a non-blocking
 * reservation table whose buffer has a pending @direction job fence. */
static struct dmabuf_ctx *busy_buffer(enum dmabuf_direction direction, dmabuf_handle_t *buffer,
				      dmabuf_handle_t *attachment, dmabuf_fence_t *job)
{
	new_pool();
	struct dmabuf_ctx *ctx = fx_init(&(struct fx_options){ .max_buffers = 8 });
	if (!ctx || dmabuf_resv_init(&resv, resv_storage, sizeof(resv_storage), ctx, pool, 5000000u) != 0) {
		unit_fail(__FILE__, __LINE__, "setup", 0, 0);
		return NULL;
	}
	dmabuf_resv_set_nonblocking(resv, true);
	*buffer = fx_export(ctx, 256, "frame", 0);
	*attachment = fx_attach(ctx, *buffer, FX_DMA);
	*job = new_fence();
	if (dmabuf_resv_attach_job(resv, *buffer, direction, *job) != 0)
		unit_fail(__FILE__, __LINE__, "attach job", 0, 0);
	return ctx;
}

/* A wait hook as a simulator's: signals the fence (with @hooked.error) or
 * answers @hooked.answer without signalling. */
static struct {
	uint32_t calls;
	uint32_t timeout_us;
	int error;  /* 0 signal, < 0 signal with that error */
	int answer; /* returned when not 0 (nothing signalled) */
} hooked;

static int run_to_signal(void *user, struct dmabuf_fence_pool *p, dmabuf_fence_t fence, uint32_t timeout_us)
{
	(void)user;
	hooked.calls++;
	hooked.timeout_us = timeout_us;
	if (hooked.answer)
		return hooked.answer;
	(void)(hooked.error ? dmabuf_fence_signal_error(p, fence, hooked.error) : dmabuf_fence_signal(p, fence));
	return 0;
}

static void wake_wait_hooked_lets_the_wait_hook_finish_a_wait_without_blocking(void)
{
	new_pool();
	UNIT_CHECK_HELPER();
	memset(&hooked, 0, sizeof(hooked));
	dmabuf_fence_t a = new_fence(), b = new_fence(), c = new_fence();
	UNIT_CHECK_HELPER();

	/* No hook (a real board): the caller waits its own way; nothing blocked. */
	UNIT_EQ(dmabuf_fence_wait_hooked(pool, a, 1000), 1);
	UNIT_EQ(dmabuf_fence_status(pool, a), 0);

	dmabuf_fence_pool_set_wait_hook(pool, run_to_signal, NULL);
	/* A poll never runs the hook. */
	UNIT_EQ(dmabuf_fence_wait_hooked(pool, a, 0), 1);
	UNIT_EQ(hooked.calls, 0);
	/* The hook signals: the wait's answer, the hook given the whole timeout. */
	UNIT_EQ(dmabuf_fence_wait_hooked(pool, a, 1234), 0);
	UNIT_EQ(hooked.calls, 1);
	UNIT_EQ(hooked.timeout_us, 1234);
	/* Signalled already: answered without the hook. */
	UNIT_EQ(dmabuf_fence_wait_hooked(pool, a, 1000), 0);
	UNIT_EQ(hooked.calls, 1);
	/* Signalled with an error: that error, as dmabuf_fence_wait. */
	hooked.error = DMABUF_EIO;
	UNIT_EQ(dmabuf_fence_wait_hooked(pool, b, UINT32_MAX), DMABUF_EIO);
	/* Timed out in the hook's time, or out of the hook's reach: its answer,
	 * the fence still pending. */
	hooked.answer = DMABUF_ETIMEDOUT;
	UNIT_EQ(dmabuf_fence_wait_hooked(pool, c, 10), DMABUF_ETIMEDOUT);
	hooked.answer = 1;
	UNIT_EQ(dmabuf_fence_wait_hooked(pool, c, UINT32_MAX), 1);
	UNIT_EQ(dmabuf_fence_status(pool, c), 0);
	UNIT_EQ(hooked.calls, 4);

	dmabuf_fence_pool_set_wait_hook(pool, NULL, NULL);
	UNIT_EQ(dmabuf_fence_put(pool, a), 0);
	UNIT_EQ(dmabuf_fence_wait_hooked(pool, a, 1000), DMABUF_EBADF); /* stale handle */
	UNIT_EQ(dmabuf_fence_put(pool, b), 0);
	UNIT_EQ(dmabuf_fence_signal(pool, c), 0);
	UNIT_EQ(dmabuf_fence_put(pool, c), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
}

static void finish(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, dmabuf_handle_t attachment, dmabuf_fence_t job)
{
	UNIT_EQ(dmabuf_fence_put(pool, job), 0);
	UNIT_EQ(dmabuf_detach(ctx, attachment), 0);
	dmabuf_resv_deinit(resv);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
	UNIT_EQ(dmabuf_put(ctx, buffer), 0);
	fx_done(ctx);
}

static void wake_nonblocking_implicit_sync_refuses_a_busy_buffer_and_changes_nothing(void)
{
	dmabuf_handle_t buffer, attachment;
	dmabuf_fence_t camera;
	struct dmabuf_ctx *ctx = busy_buffer(DMABUF_FROM_DEVICE, &buffer, &attachment, &camera);
	UNIT_ASSERT(ctx);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_resv_implicit_timeout(resv), 5000000u);

	struct dmabuf_info before = fx_info(ctx, buffer), after;
	struct dmabuf_resv_info resv_before, resv_after;
	struct dmabuf_fence_info fence_before, fence_after;
	struct dmabuf_cache_stats cache_before, cache_after;
	UNIT_EQ(dmabuf_resv_get_info(resv, buffer, &resv_before), 0);
	UNIT_EQ(dmabuf_fence_get_info(pool, camera, &fence_before), 0);
	dmabuf_cache_stats(ctx, &cache_before);
	fx_clear_messages();

	void *cpu = NULL;
	struct dmabuf_mapping mapping;
	uint64_t started = dmabuf_time_us();
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), DMABUF_EAGAIN);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu), DMABUF_EAGAIN);
	UNIT_EQ(dmabuf_map(ctx, attachment, DMABUF_TO_DEVICE, &mapping), DMABUF_EAGAIN);
	UNIT_ASSERT(dmabuf_time_us() - started < 1000000u); /* answered at once, not after the 5 s timeout */
	UNIT_ASSERT(cpu == NULL);

	after = fx_info(ctx, buffer);
	UNIT_EQ(memcmp(&before, &after, sizeof(before)), 0); /* same placement, no access, no mapping */
	UNIT_EQ(dmabuf_resv_get_info(resv, buffer, &resv_after), 0);
	UNIT_EQ(memcmp(&resv_before, &resv_after, sizeof(resv_before)), 0);
	UNIT_EQ(dmabuf_fence_get_info(pool, camera, &fence_after), 0);
	UNIT_EQ(fence_after.refcount, fence_before.refcount); /* the refusal kept no reference */
	dmabuf_cache_stats(ctx, &cache_after);
	UNIT_EQ(memcmp(&cache_before, &cache_after, sizeof(cache_before)), 0);
	UNIT_EQ(fx_messages, 0); /* an outcome to wait on, not misuse */
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), DMABUF_EPERM);

	/* Signalled: the same calls go through. */
	UNIT_EQ(dmabuf_fence_signal(pool, camera), 0);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(dmabuf_map(ctx, attachment, DMABUF_TO_DEVICE, &mapping), 0);
	UNIT_EQ(dmabuf_unmap(ctx, attachment, &mapping, DMABUF_TO_DEVICE), 0);
	finish(ctx, buffer, attachment, camera);
}

static void wake_nonblocking_readers_pass_a_pending_reader_and_a_failed_writer_is_an_error(void)
{
	dmabuf_handle_t buffer, attachment;
	dmabuf_fence_t display;
	struct dmabuf_ctx *ctx = busy_buffer(DMABUF_TO_DEVICE, &buffer, &attachment, &display);
	UNIT_ASSERT(ctx);
	UNIT_CHECK_HELPER();
	void *cpu;
	/* A reading device in flight holds up CPU writes only. */
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_BIDIRECTIONAL, 0, DMABUF_WHOLE, &cpu), DMABUF_EAGAIN);
	UNIT_EQ(dmabuf_fence_signal(pool, display), 0);

	/* A writer whose DMA failed is not pending: a read fails with its error
	 * at once instead of waiting for ever. */
	dmabuf_fence_t camera = new_fence();
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_resv_attach_job(resv, buffer, DMABUF_FROM_DEVICE, camera), 0);
	UNIT_EQ(dmabuf_fence_signal_error(pool, camera, DMABUF_EIO), 0);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), DMABUF_EIO);
	UNIT_EQ(dmabuf_fence_put(pool, camera), 0);

	finish(ctx, buffer, attachment, display);
}

const struct unit_suite suite_wake = UNIT_SUITE(wake,
	UNIT_TEST(wake_fence_hook_runs_once_per_signal_after_the_status_is_set),
	UNIT_TEST(wake_queue_hook_runs_on_every_hand_over_a_waiter_could_use),
	UNIT_TEST(wake_wait_hooked_lets_the_wait_hook_finish_a_wait_without_blocking),
	UNIT_TEST(wake_nonblocking_implicit_sync_refuses_a_busy_buffer_and_changes_nothing),
	UNIT_TEST(wake_nonblocking_readers_pass_a_pending_reader_and_a_failed_writer_is_an_error));
