/*
 * Fences without threads (portable: also runs on the emulated targets):
 * status transitions, error propagation, exactly-once callbacks, handle
 * checks, pool exhaustion and leaks. The threaded behaviour (blocking waits,
 * ISR-thread stress) is in fence_threads_test.c.
 */
#include <string.h>

#include "dmabuf/fence.h"
#include "unit.h"

#define POOL_FENCES 8u

static uint64_t pool_storage[128];
static struct dmabuf_fence_pool *pool;
static uint32_t timeline;
static int reports;

static void count_report(void *user, const char *message)
{
	(void)user;
	(void)message;
	reports++;
}

/* A fresh pool per test, so a leak in one test cannot hide in another. */
static void setup(void)
{
	UNIT_ASSERT(dmabuf_fence_pool_storage_size(POOL_FENCES) <= sizeof(pool_storage));
	UNIT_EQ(dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), POOL_FENCES), 0);
	dmabuf_fence_pool_set_report(pool, count_report, NULL);
	reports = 0;
	timeline = dmabuf_fence_context_alloc(pool);
}

/* Every fence returned, invariants hold, and the pool tears down. */
static void teardown_expect_no_leak(void)
{
	struct dmabuf_fence_pool_stats stats;
	dmabuf_fence_pool_stats(pool, &stats);
	UNIT_EQ(stats.in_use, 0);
	UNIT_EQ(dmabuf_fence_pool_check(pool), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
}

static dmabuf_fence_t new_fence(uint32_t seqno)
{
	dmabuf_fence_t fence = 0;
	if (dmabuf_fence_create(pool, timeline, seqno, &fence) != 0)
		unit_fail(__FILE__, __LINE__, "dmabuf_fence_create", 0, 0);
	return fence;
}

static void fence_signal_completes_once_and_wait_returns_zero(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence = new_fence(1);
	UNIT_CHECK_HELPER();
	UNIT_ASSERT(fence > 0);
	UNIT_EQ(dmabuf_fence_status(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_signal(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_status(pool, fence), 1);
	UNIT_EQ(dmabuf_fence_wait(pool, fence, 0), 0);
	UNIT_EQ(dmabuf_fence_wait(pool, fence, UINT32_MAX), 0);

	struct dmabuf_fence_pool_stats stats;
	dmabuf_fence_pool_stats(pool, &stats);
	UNIT_EQ(stats.signalled, 1);
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	teardown_expect_no_leak();
}

static void fence_poll_of_pending_fence_times_out_and_changes_nothing(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence = new_fence(1);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_fence_wait(pool, fence, 0), DMABUF_ETIMEDOUT);
	struct dmabuf_fence_info info;
	UNIT_EQ(dmabuf_fence_get_info(pool, fence, &info), 0);
	UNIT_EQ(info.status, 0);
	UNIT_EQ(info.refcount, 1);
	UNIT_EQ(info.callbacks, 0);
	UNIT_EQ(dmabuf_fence_signal(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	teardown_expect_no_leak();
}

static void fence_signal_with_error_reaches_waiters_and_status(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t bus_error = new_fence(1);
	dmabuf_fence_t unreachable = new_fence(2);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_fence_signal_error(pool, bus_error, DMABUF_EIO), 0);
	UNIT_EQ(dmabuf_fence_signal_error(pool, unreachable, DMABUF_EFAULT), 0);
	UNIT_EQ(dmabuf_fence_wait(pool, bus_error, 0), DMABUF_EIO);
	UNIT_EQ(dmabuf_fence_status(pool, bus_error), DMABUF_EIO);
	UNIT_EQ(dmabuf_fence_wait(pool, unreachable, 1000), DMABUF_EFAULT);
	UNIT_EQ(dmabuf_fence_put(pool, bus_error), 0);
	UNIT_EQ(dmabuf_fence_put(pool, unreachable), 0);
	teardown_expect_no_leak();
}

static void fence_signal_error_rejects_non_negative_error_and_ebadf(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence = new_fence(1);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_fence_signal_error(pool, fence, 0), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_fence_signal_error(pool, fence, 1), DMABUF_EINVAL);
	/* -EBADF would make the live fence read as a bad handle in status/wait. */
	UNIT_EQ(dmabuf_fence_signal_error(pool, fence, DMABUF_EBADF), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_fence_status(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_signal(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	teardown_expect_no_leak();
}

static void fence_double_signal_is_rejected_and_keeps_first_status(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence = new_fence(1);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_fence_signal(pool, fence), 0);
	reports = 0;
	UNIT_EQ(dmabuf_fence_signal(pool, fence), DMABUF_EPERM);
	UNIT_EQ(dmabuf_fence_signal_error(pool, fence, DMABUF_EIO), DMABUF_EPERM);
	UNIT_EQ(dmabuf_fence_status(pool, fence), 1);
#ifdef DMABUF_DEBUG
	UNIT_EQ(reports, 2); /* one message per failure */
#endif
	struct dmabuf_fence_pool_stats stats;
	dmabuf_fence_pool_stats(pool, &stats);
	UNIT_EQ(stats.signalled, 1);
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	teardown_expect_no_leak();
}

/* Records the order and the status callbacks ran with. */
struct call_log {
	int calls;
	int order[8];
	int status[8];
};

static void log_call(dmabuf_fence_t fence, int status, void *user)
{
	(void)fence;
	struct call_log *log = user;
	log->status[log->calls] = status;
	log->order[log->calls] = log->calls;
	log->calls++;
}

struct tagged {
	struct call_log *log;
	int tag;
};

static void log_tag(dmabuf_fence_t fence, int status, void *user)
{
	(void)fence;
	struct tagged *tagged = user;
	tagged->log->order[tagged->log->calls] = tagged->tag;
	tagged->log->status[tagged->log->calls] = status;
	tagged->log->calls++;
}

static void fence_callbacks_run_once_in_registration_order_at_signal(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence = new_fence(1);
	UNIT_CHECK_HELPER();
	struct call_log log = { 0 };
	struct dmabuf_fence_cb cbs[3];
	struct tagged tags[3];
	for (int i = 0; i < 3; i++) {
		tags[i] = (struct tagged){ &log, 10 + i };
		UNIT_EQ(dmabuf_fence_add_callback(pool, fence, &cbs[i], log_tag, &tags[i]), 0);
	}
	UNIT_EQ(log.calls, 0);
	struct dmabuf_fence_info info;
	UNIT_EQ(dmabuf_fence_get_info(pool, fence, &info), 0);
	UNIT_EQ(info.callbacks, 3);

	UNIT_EQ(dmabuf_fence_signal_error(pool, fence, DMABUF_EIO), 0);
	UNIT_EQ(log.calls, 3);
	for (int i = 0; i < 3; i++) {
		UNIT_EQ(log.order[i], 10 + i);
		UNIT_EQ(log.status[i], DMABUF_EIO);
	}
	/* Neither a second signal nor a put runs them again. */
	UNIT_EQ(dmabuf_fence_signal(pool, fence), DMABUF_EPERM);
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	UNIT_EQ(log.calls, 3);
	teardown_expect_no_leak();
}

static void fence_callback_added_after_signal_is_refused_and_never_runs(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence = new_fence(1);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_fence_signal(pool, fence), 0);
	struct call_log log = { 0 };
	struct dmabuf_fence_cb cb;
	reports = 0;
	UNIT_EQ(dmabuf_fence_add_callback(pool, fence, &cb, log_call, &log), DMABUF_EEXIST);
	UNIT_EQ(reports, 0); /* an outcome, not misuse */
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	UNIT_EQ(log.calls, 0);
	teardown_expect_no_leak();
}

static void fence_removed_callback_does_not_run(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence = new_fence(1);
	UNIT_CHECK_HELPER();
	struct call_log kept = { 0 }, removed = { 0 };
	struct dmabuf_fence_cb first, middle, last;
	UNIT_EQ(dmabuf_fence_add_callback(pool, fence, &first, log_call, &kept), 0);
	UNIT_EQ(dmabuf_fence_add_callback(pool, fence, &middle, log_call, &removed), 0);
	UNIT_EQ(dmabuf_fence_add_callback(pool, fence, &last, log_call, &removed), 0);
	UNIT_EQ(dmabuf_fence_remove_callback(pool, fence, &middle), 0);
	UNIT_EQ(dmabuf_fence_remove_callback(pool, fence, &last), 0);
	UNIT_EQ(dmabuf_fence_remove_callback(pool, fence, &last), DMABUF_ENOENT);
	UNIT_EQ(dmabuf_fence_pool_check(pool), 0); /* the tail moved back correctly */
	/* Re-adding after a removal of the tail must append, not corrupt. */
	UNIT_EQ(dmabuf_fence_add_callback(pool, fence, &last, log_call, &kept), 0);
	UNIT_EQ(dmabuf_fence_signal(pool, fence), 0);
	UNIT_EQ(kept.calls, 2);
	UNIT_EQ(removed.calls, 0);
	UNIT_EQ(dmabuf_fence_remove_callback(pool, fence, &first), DMABUF_ENOENT);
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	teardown_expect_no_leak();
}

static void put_from_callback(dmabuf_fence_t fence, int status, void *user)
{
	(void)status;
	*(int *)user = dmabuf_fence_put(pool, fence);
}

static void fence_callback_may_drop_the_last_reference(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence = new_fence(1);
	UNIT_CHECK_HELPER();
	int put_result = 1;
	struct dmabuf_fence_cb cb;
	UNIT_EQ(dmabuf_fence_add_callback(pool, fence, &cb, put_from_callback, &put_result), 0);
	UNIT_EQ(dmabuf_fence_signal(pool, fence), 0);
	UNIT_EQ(put_result, 0);
	UNIT_EQ(dmabuf_fence_status(pool, fence), DMABUF_EBADF);
	teardown_expect_no_leak();
}

static void fence_released_unsignalled_runs_callbacks_with_eio(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence = new_fence(1);
	UNIT_CHECK_HELPER();
	struct call_log log = { 0 };
	struct dmabuf_fence_cb cb;
	UNIT_EQ(dmabuf_fence_add_callback(pool, fence, &cb, log_call, &log), 0);
	reports = 0;
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	UNIT_EQ(log.calls, 1);
	UNIT_EQ(log.status[0], DMABUF_EIO);
#ifdef DMABUF_DEBUG
	UNIT_EQ(reports, 1);
#endif
	teardown_expect_no_leak();
}

static void fence_unsignalled_release_without_callbacks_is_silent(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence = new_fence(1);
	UNIT_CHECK_HELPER();
	reports = 0;
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0); /* a cancelled job: legitimate */
	UNIT_EQ(reports, 0);
	teardown_expect_no_leak();
}

static void fence_references_keep_it_alive_until_the_last_put(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence = new_fence(1);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_fence_get(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_status(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_status(pool, fence), DMABUF_EBADF);
	UNIT_EQ(dmabuf_fence_put(pool, 0), 0);
	teardown_expect_no_leak();
}

static void fence_stale_forged_and_foreign_handles_are_rejected(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t old = new_fence(1);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_fence_put(pool, old), 0);
	/* Cycle every slot (reuse is FIFO) until old's slot comes back: the
	 * new fence there must not answer to the old handle. */
	dmabuf_fence_t reused = 0;
	for (uint32_t i = 0; i < POOL_FENCES; i++) {
		reused = new_fence(2);
		UNIT_CHECK_HELPER();
		if (i + 1 < POOL_FENCES)
			UNIT_EQ(dmabuf_fence_put(pool, reused), 0);
	}
	UNIT_EQ(reused & 0xFFFF, old & 0xFFFF);
	UNIT_ASSERT(reused != old);
	const dmabuf_fence_t bad[] = { old, 0, -1, -DMABUF_EBADF, INT32_MIN, 1, reused ^ 0x10000000,
				       reused + (int32_t)POOL_FENCES };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reports = 0;
		UNIT_EQ(dmabuf_fence_signal(pool, bad[i]), DMABUF_EBADF);
		UNIT_EQ(dmabuf_fence_get(pool, bad[i]), DMABUF_EBADF);
		UNIT_EQ(dmabuf_fence_status(pool, bad[i]), DMABUF_EBADF);
		UNIT_EQ(dmabuf_fence_wait(pool, bad[i], 0), DMABUF_EBADF);
		struct dmabuf_fence_cb cb;
		struct call_log log = { 0 };
		UNIT_EQ(dmabuf_fence_add_callback(pool, bad[i], &cb, log_call, &log), DMABUF_EBADF);
#ifdef DMABUF_DEBUG
		UNIT_EQ(reports, 5); /* one message per failed call */
#endif
		if (bad[i] != 0)
			UNIT_EQ(dmabuf_fence_put(pool, bad[i]), DMABUF_EBADF);
	}
	/* None of that touched the live fence. */
	struct dmabuf_fence_info info;
	UNIT_EQ(dmabuf_fence_get_info(pool, reused, &info), 0);
	UNIT_EQ(info.seqno, 2);
	UNIT_EQ(info.refcount, 1);
	UNIT_EQ(info.status, 0);
	UNIT_EQ(dmabuf_fence_put(pool, reused), 0);
	teardown_expect_no_leak();
}

static void fence_pool_exhaustion_returns_enomem_and_leaks_nothing(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fences[POOL_FENCES];
	for (uint32_t i = 0; i < POOL_FENCES; i++)
		UNIT_EQ(dmabuf_fence_create(pool, timeline, i, &fences[i]), 0);
	dmabuf_fence_t extra = 77;
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 99, &extra), DMABUF_ENOMEM);
	UNIT_EQ(extra, 77); /* out untouched on failure */
	struct dmabuf_fence_pool_stats stats;
	dmabuf_fence_pool_stats(pool, &stats);
	UNIT_EQ(stats.in_use, POOL_FENCES);
	UNIT_EQ(stats.peak, POOL_FENCES);
	UNIT_EQ(stats.failed, 1);
	UNIT_EQ(dmabuf_fence_pool_check(pool), 0);
	/* A freed slot is usable again. */
	UNIT_EQ(dmabuf_fence_put(pool, fences[3]), 0);
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 100, &fences[3]), 0);
	for (uint32_t i = 0; i < POOL_FENCES; i++)
		UNIT_EQ(dmabuf_fence_put(pool, fences[i]), 0);
	teardown_expect_no_leak();
}

static void fence_pool_deinit_refuses_while_fences_alive(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence = new_fence(7);
	UNIT_CHECK_HELPER();
	reports = 0;
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), DMABUF_EBUSY);
#ifdef DMABUF_DEBUG
	UNIT_EQ(reports, 1); /* the leaked fence, named by context and seqno */
#endif
	UNIT_EQ(dmabuf_fence_status(pool, fence), 0); /* still usable */
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	teardown_expect_no_leak();
}

static void fence_pool_init_validates_its_arguments(void)
{
	struct dmabuf_fence_pool *p = NULL;
	UNIT_EQ(dmabuf_fence_pool_storage_size(0), 0);
	UNIT_EQ(dmabuf_fence_pool_storage_size(DMABUF_FENCE_MAX + 1), 0);
	UNIT_EQ(dmabuf_fence_pool_init(&p, pool_storage, sizeof(pool_storage), 0), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_fence_pool_init(NULL, pool_storage, sizeof(pool_storage), 4), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_fence_pool_init(&p, NULL, sizeof(pool_storage), 4), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_fence_pool_init(&p, (char *)pool_storage + 4, sizeof(pool_storage) - 4, 4),
		DMABUF_EINVAL);
	UNIT_EQ(dmabuf_fence_pool_init(&p, pool_storage, dmabuf_fence_pool_storage_size(4) - 1, 4),
		DMABUF_ENOMEM);
	UNIT_ASSERT(p == NULL);
	UNIT_EQ(dmabuf_fence_pool_init(&p, pool_storage, dmabuf_fence_pool_storage_size(4), 4), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(p), 0);
}

static void fence_contexts_are_distinct_and_never_zero(void)
{
	setup();
	UNIT_CHECK_HELPER();
	uint32_t a = dmabuf_fence_context_alloc(pool), b = dmabuf_fence_context_alloc(pool);
	UNIT_ASSERT(a != 0 && b != 0 && a != b && a != timeline && b != timeline);
	dmabuf_fence_t fence;
	UNIT_EQ(dmabuf_fence_create(pool, 0, 1, &fence), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_fence_create(pool, b, 42, &fence), 0);
	struct dmabuf_fence_info info;
	UNIT_EQ(dmabuf_fence_get_info(pool, fence, &info), 0);
	UNIT_EQ(info.context, b);
	UNIT_EQ(info.seqno, 42);
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	teardown_expect_no_leak();
}

const struct unit_suite suite_fence = UNIT_SUITE(fence,
	UNIT_TEST(fence_signal_completes_once_and_wait_returns_zero),
	UNIT_TEST(fence_poll_of_pending_fence_times_out_and_changes_nothing),
	UNIT_TEST(fence_signal_with_error_reaches_waiters_and_status),
	UNIT_TEST(fence_signal_error_rejects_non_negative_error_and_ebadf),
	UNIT_TEST(fence_double_signal_is_rejected_and_keeps_first_status),
	UNIT_TEST(fence_callbacks_run_once_in_registration_order_at_signal),
	UNIT_TEST(fence_callback_added_after_signal_is_refused_and_never_runs),
	UNIT_TEST(fence_removed_callback_does_not_run),
	UNIT_TEST(fence_callback_may_drop_the_last_reference),
	UNIT_TEST(fence_released_unsignalled_runs_callbacks_with_eio),
	UNIT_TEST(fence_unsignalled_release_without_callbacks_is_silent),
	UNIT_TEST(fence_references_keep_it_alive_until_the_last_put),
	UNIT_TEST(fence_stale_forged_and_foreign_handles_are_rejected),
	UNIT_TEST(fence_pool_exhaustion_returns_enomem_and_leaks_nothing),
	UNIT_TEST(fence_pool_deinit_refuses_while_fences_alive),
	UNIT_TEST(fence_pool_init_validates_its_arguments),
	UNIT_TEST(fence_contexts_are_distinct_and_never_zero));
