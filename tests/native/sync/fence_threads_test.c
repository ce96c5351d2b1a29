/*
 * Fences across threads (host only; run under ThreadSanitizer by
 * tests/stages/30-native-tsan.sh): blocking waits woken by another thread,
 * timeouts that return on time, errors reaching every waiter, and a stress
 * run where a simulated interrupt thread signals thousands of fences while
 * waiter threads block on them with and without timeouts.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

#include "dmabuf/fence.h"
#include "dmabuf/os.h"
#include "unit.h"

#define POOL_FENCES 64u

static uint64_t pool_storage[512];
static struct dmabuf_fence_pool *pool;
static uint32_t timeline;

static void setup(void)
{
	UNIT_ASSERT(dmabuf_fence_pool_storage_size(POOL_FENCES) <= sizeof(pool_storage));
	UNIT_EQ(dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), POOL_FENCES), 0);
	timeline = dmabuf_fence_context_alloc(pool);
}

static void teardown_expect_no_leak(void)
{
	struct dmabuf_fence_pool_stats stats;
	dmabuf_fence_pool_stats(pool, &stats);
	UNIT_EQ(stats.in_use, 0);
	UNIT_EQ(dmabuf_fence_pool_check(pool), 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
}

struct waiter {
	pthread_t thread;
	dmabuf_fence_t fence;
	uint32_t timeout_us;
	int result;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;
	w->result = dmabuf_fence_wait(pool, w->fence, w->timeout_us);
	return NULL;
}

/* Spin until the waiters have registered on @fence (callbacks count them). */
static void until_waiting(dmabuf_fence_t fence, uint32_t waiters)
{
	struct dmabuf_fence_info info = { 0 };
	for (int i = 0; i < 100000; i++) {
		if (dmabuf_fence_get_info(pool, fence, &info) != 0 || info.callbacks >= waiters)
			return;
		sched_yield();
	}
}

static void fence_blocked_waiter_wakes_when_another_thread_signals(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence;
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 1, &fence), 0);
	struct waiter w = { .fence = fence, .timeout_us = UINT32_MAX, .result = 99 };
	UNIT_EQ(pthread_create(&w.thread, NULL, wait_thread, &w), 0);
	until_waiting(fence, 1);
	UNIT_EQ(w.result, 99); /* still blocked */
	UNIT_EQ(dmabuf_fence_signal(pool, fence), 0);
	UNIT_EQ(pthread_join(w.thread, NULL), 0);
	UNIT_EQ(w.result, 0);
	/* The waiter's reference and callback are gone. */
	struct dmabuf_fence_info info;
	UNIT_EQ(dmabuf_fence_get_info(pool, fence, &info), 0);
	UNIT_EQ(info.refcount, 1);
	UNIT_EQ(info.callbacks, 0);
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	teardown_expect_no_leak();
}

static void fence_wait_timeout_returns_within_bounds_and_unregisters(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence;
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 1, &fence), 0);
	const uint32_t timeouts[] = { 1, 1000, 20000 };
	for (size_t i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++) {
		uint64_t start = dmabuf_time_us();
		UNIT_EQ(dmabuf_fence_wait(pool, fence, timeouts[i]), DMABUF_ETIMEDOUT);
		uint64_t elapsed = dmabuf_time_us() - start;
		UNIT_ASSERT(elapsed >= timeouts[i]);
		/* Generous upper bound (sanitizers, loaded CI), but a hang fails. */
		UNIT_ASSERT(elapsed < timeouts[i] + 500000u);
	}
	struct dmabuf_fence_info info;
	UNIT_EQ(dmabuf_fence_get_info(pool, fence, &info), 0);
	UNIT_EQ(info.callbacks, 0);
	UNIT_EQ(info.refcount, 1);
	UNIT_EQ(info.status, 0);
	UNIT_EQ(dmabuf_fence_signal(pool, fence), 0);
	UNIT_EQ(dmabuf_fence_wait(pool, fence, 1), 0); /* a timed-out fence still completes */
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	teardown_expect_no_leak();
}

static void fence_error_reaches_every_blocked_waiter(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence;
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 1, &fence), 0);
	struct waiter w[4];
	for (int i = 0; i < 4; i++) {
		w[i] = (struct waiter){ .fence = fence, .timeout_us = i % 2 ? UINT32_MAX : 10000000u, .result = 99 };
		UNIT_EQ(pthread_create(&w[i].thread, NULL, wait_thread, &w[i]), 0);
	}
	until_waiting(fence, 4);
	UNIT_EQ(dmabuf_fence_signal_error(pool, fence, DMABUF_EIO), 0);
	for (int i = 0; i < 4; i++) {
		UNIT_EQ(pthread_join(w[i].thread, NULL), 0);
		UNIT_EQ(w[i].result, DMABUF_EIO);
	}
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	teardown_expect_no_leak();
}

static void fence_waiter_holds_a_reference_across_a_concurrent_put(void)
{
	setup();
	UNIT_CHECK_HELPER();
	dmabuf_fence_t fence;
	UNIT_EQ(dmabuf_fence_create(pool, timeline, 1, &fence), 0);
	struct waiter w = { .fence = fence, .timeout_us = 20000, .result = 99 };
	UNIT_EQ(pthread_create(&w.thread, NULL, wait_thread, &w), 0);
	until_waiting(fence, 1);
	/* The creator drops its reference while the waiter sleeps: the slot
	 * must stay this fence's, so the waiter times out cleanly (no EBADF,
	 * no reuse under it) and its own put frees the fence. */
	UNIT_EQ(dmabuf_fence_put(pool, fence), 0);
	UNIT_EQ(pthread_join(w.thread, NULL), 0);
	UNIT_EQ(w.result, DMABUF_ETIMEDOUT);
	teardown_expect_no_leak();
}

/* ---- stress: a simulated interrupt thread signals, threads wait ------- */

#define STRESS_FENCES 3000u
#define STRESS_WAITERS 4u
#define WAITERS_PER_FENCE 2u

static dmabuf_fence_t stress_fence[STRESS_FENCES];
static struct dmabuf_fence_cb stress_cb[STRESS_FENCES];
static atomic_uint stress_callback_runs[STRESS_FENCES];
static atomic_uint stress_published;
static atomic_uint stress_wrong;

static int stress_expected(uint32_t i)
{
	return i % 7 == 3 ? DMABUF_EIO : 0;
}

static void stress_callback(dmabuf_fence_t fence, int status, void *user)
{
	uint32_t i = (uint32_t)(uintptr_t)user;
	if (fence != stress_fence[i] || (status == 1 ? 0 : status) != stress_expected(i))
		atomic_fetch_add(&stress_wrong, 1);
	atomic_fetch_add(&stress_callback_runs[i], 1);
}

static void wait_published(uint32_t i)
{
	while (atomic_load_explicit(&stress_published, memory_order_acquire) <= i)
		sched_yield();
}

/* The "ISR": signals fences in order, some with a bus error, and drops the
 * creator's reference it was handed. */
static void *stress_irq(void *arg)
{
	(void)arg;
	uint32_t rng = 12345;
	for (uint32_t i = 0; i < STRESS_FENCES; i++) {
		wait_published(i);
		rng = rng * 1103515245u + 12345u;
		if ((rng >> 16) % 4 == 0)
			sched_yield(); /* let waiters get ahead sometimes */
		int err = stress_expected(i) ? dmabuf_fence_signal_error(pool, stress_fence[i], DMABUF_EIO)
					     : dmabuf_fence_signal(pool, stress_fence[i]);
		if (err != 0 || dmabuf_fence_put(pool, stress_fence[i]) != 0)
			atomic_fetch_add(&stress_wrong, 1);
	}
	return NULL;
}

/* Waiter @w waits on every fence i with i % (STRESS_WAITERS/WAITERS_PER_FENCE)
 * == w % ..., so each fence has WAITERS_PER_FENCE waiters. Short timeouts race
 * the signal on purpose; after a timeout it waits again until it completes. */
static void *stress_waiter(void *arg)
{
	uint32_t w = (uint32_t)(uintptr_t)arg;
	uint32_t groups = STRESS_WAITERS / WAITERS_PER_FENCE;
	for (uint32_t i = w % groups; i < STRESS_FENCES; i += groups) {
		wait_published(i);
		uint32_t timeout = (i + w) % 3 == 0 ? 0 : (i + w) % 3 == 1 ? 50 : UINT32_MAX;
		int result = dmabuf_fence_wait(pool, stress_fence[i], timeout);
		while (result == DMABUF_ETIMEDOUT)
			result = dmabuf_fence_wait(pool, stress_fence[i], 1000);
		if (result != stress_expected(i))
			atomic_fetch_add(&stress_wrong, 1);
		if (dmabuf_fence_put(pool, stress_fence[i]) != 0) /* the reference the creator gave us */
			atomic_fetch_add(&stress_wrong, 1);
	}
	return NULL;
}

static void fence_stress_irq_thread_signals_thousands_while_threads_wait(void)
{
	setup();
	UNIT_CHECK_HELPER();
	atomic_store(&stress_published, 0);
	atomic_store(&stress_wrong, 0);
	for (uint32_t i = 0; i < STRESS_FENCES; i++)
		atomic_store(&stress_callback_runs[i], 0);

	pthread_t irq, waiters[STRESS_WAITERS];
	UNIT_EQ(pthread_create(&irq, NULL, stress_irq, NULL), 0);
	for (uint32_t w = 0; w < STRESS_WAITERS; w++)
		UNIT_EQ(pthread_create(&waiters[w], NULL, stress_waiter, (void *)(uintptr_t)w), 0);

	for (uint32_t i = 0; i < STRESS_FENCES; i++) {
		int err;
		/* The pool is far smaller than the run: creation waits for the
		 * other threads to release fences, so slots are reused constantly. */
		while ((err = dmabuf_fence_create(pool, timeline, i, &stress_fence[i])) == DMABUF_ENOMEM)
			sched_yield();
		UNIT_EQ(err, 0);
		for (uint32_t k = 0; k < WAITERS_PER_FENCE; k++)
			UNIT_EQ(dmabuf_fence_get(pool, stress_fence[i]), 0); /* paired with the waiters' put */
		UNIT_EQ(dmabuf_fence_add_callback(pool, stress_fence[i], &stress_cb[i], stress_callback,
						  (void *)(uintptr_t)i), 0);
		atomic_store_explicit(&stress_published, i + 1, memory_order_release);
	}
	UNIT_EQ(pthread_join(irq, NULL), 0);
	for (uint32_t w = 0; w < STRESS_WAITERS; w++)
		UNIT_EQ(pthread_join(waiters[w], NULL), 0);

	UNIT_EQ(atomic_load(&stress_wrong), 0);
	for (uint32_t i = 0; i < STRESS_FENCES; i++)
		UNIT_EQ(atomic_load(&stress_callback_runs[i]), 1);
	struct dmabuf_fence_pool_stats stats;
	dmabuf_fence_pool_stats(pool, &stats);
	UNIT_EQ(stats.signalled, STRESS_FENCES);
	UNIT_ASSERT(stats.peak <= POOL_FENCES);
	teardown_expect_no_leak();
}

const struct unit_suite suite_fence_threads = UNIT_SUITE(fence_threads,
	UNIT_TEST(fence_blocked_waiter_wakes_when_another_thread_signals),
	UNIT_TEST(fence_wait_timeout_returns_within_bounds_and_unregisters),
	UNIT_TEST(fence_error_reaches_every_blocked_waiter),
	UNIT_TEST(fence_waiter_holds_a_reference_across_a_concurrent_put),
	UNIT_TEST(fence_stress_irq_thread_signals_thousands_while_threads_wait));
