/*
 * Reservations across threads (host only; run under ThreadSanitizer by
 * tests/stages/30-native-tsan.sh): blocking waits on a buffer's fences
 * released by a simulated interrupt thread that completes DMA jobs, writers
 * held up by readers, timeouts, and the error of a failed writer.
 */
#include <pthread.h>
#include <time.h>

#include "dmabuf/os.h"
#include "dmabuf/resv.h"
#include "core/fixture.h"

static uint64_t pool_storage[512];
static uint64_t resv_storage[256];
static struct dmabuf_fence_pool *pool;
static struct dmabuf_resv_table *resv;
static uint32_t timeline;

static struct dmabuf_ctx *setup_with_timeout(dmabuf_handle_t *buffer, uint32_t implicit_timeout_us)
{
	struct dmabuf_ctx *ctx = fx_init(&(struct fx_options){ .max_buffers = 8 });
	if (!ctx)
		return NULL;
	if (dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), 32) != 0 ||
	    dmabuf_resv_init(&resv, resv_storage, sizeof(resv_storage), ctx, pool, implicit_timeout_us) != 0 ||
	    dmabuf_export(ctx, 1024, "frame", 0, buffer) != 0) {
		unit_fail(__FILE__, __LINE__, "resv setup", 0, 0);
		return NULL;
	}
	timeline = dmabuf_fence_context_alloc(pool);
	return ctx;
}

static struct dmabuf_ctx *setup(dmabuf_handle_t *buffer)
{
	return setup_with_timeout(buffer, UINT32_MAX);
}

static void teardown(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer)
{
	dmabuf_resv_deinit(resv);
	struct dmabuf_fence_pool_stats stats;
	dmabuf_fence_pool_stats(pool, &stats);
	UNIT_EQ(stats.in_use, 0);
	UNIT_EQ(dmabuf_fence_pool_deinit(pool), 0);
	UNIT_EQ(dmabuf_put(ctx, buffer), 0);
	fx_done(ctx);
}

/* The simulated DMA-complete interrupt: after @delay_us, signals its fences
 * in order (with @error if non-zero) and drops the creator's references. */
struct completion {
	pthread_t thread;
	dmabuf_fence_t fences[4];
	uint32_t count;
	uint32_t delay_us;
	int error;
};

static void *complete_jobs(void *arg)
{
	struct completion *c = arg;
	struct timespec pause = { 0, (long)c->delay_us * 1000 };
	nanosleep(&pause, NULL);
	for (uint32_t i = 0; i < c->count; i++) {
		if (c->error)
			dmabuf_fence_signal_error(pool, c->fences[i], c->error);
		else
			dmabuf_fence_signal(pool, c->fences[i]);
		dmabuf_fence_put(pool, c->fences[i]);
	}
	return NULL;
}

/* Start @count jobs on @buffer in @direction, completed by an "ISR" thread. */
static void start_jobs(struct completion *c, dmabuf_handle_t buffer, enum dmabuf_direction direction,
		       uint32_t count, uint32_t delay_us, int error)
{
	c->count = count;
	c->delay_us = delay_us;
	c->error = error;
	for (uint32_t i = 0; i < count; i++) {
		UNIT_EQ(dmabuf_fence_create(pool, timeline, i, &c->fences[i]), 0);
		UNIT_EQ(dmabuf_resv_attach_job(resv, buffer, direction, c->fences[i]), 0);
	}
	UNIT_EQ(pthread_create(&c->thread, NULL, complete_jobs, c), 0);
}

static void resv_threads_read_blocks_until_the_writer_completes(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	struct completion camera;
	start_jobs(&camera, buffer, DMABUF_FROM_DEVICE, 1, 20000, 0);
	UNIT_CHECK_HELPER();
	uint64_t start = dmabuf_time_us();
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, false, UINT32_MAX), 0);
	UNIT_ASSERT(dmabuf_time_us() - start >= 15000); /* it really waited */
	UNIT_EQ(pthread_join(camera.thread, NULL), 0);
	UNIT_EQ(dmabuf_resv_fence_count(resv), 0);
	teardown(ctx, buffer);
}

static void resv_threads_write_blocks_until_every_reader_completes(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	struct completion display, spi;
	start_jobs(&display, buffer, DMABUF_TO_DEVICE, 1, 5000, 0);
	UNIT_CHECK_HELPER();
	start_jobs(&spi, buffer, DMABUF_TO_DEVICE, 2, 30000, 0);
	UNIT_CHECK_HELPER();
	/* A reader is not held up by readers... */
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, false, 0), 0);
	/* ...a writer is held up until the last one completes. */
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, true, UINT32_MAX), 0);
	for (uint32_t i = 0; i < 2; i++)
		UNIT_ASSERT(dmabuf_fence_status(pool, spi.fences[i]) != 0); /* signalled, or released after */
	UNIT_EQ(pthread_join(display.thread, NULL), 0);
	UNIT_EQ(pthread_join(spi.thread, NULL), 0);
	UNIT_EQ(dmabuf_resv_test(resv, buffer, true), 1);
	teardown(ctx, buffer);
}

static void resv_threads_wait_times_out_within_bounds_and_keeps_the_fences(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	struct completion slow;
	start_jobs(&slow, buffer, DMABUF_TO_DEVICE, 2, 300000, 0);
	UNIT_CHECK_HELPER();
	uint64_t start = dmabuf_time_us();
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, true, 20000), DMABUF_ETIMEDOUT);
	uint64_t elapsed = dmabuf_time_us() - start;
	UNIT_ASSERT(elapsed >= 20000 && elapsed < 250000); /* one budget for all fences */
	UNIT_EQ(dmabuf_resv_fence_count(resv), 2); /* a timeout changes nothing */
	UNIT_EQ(pthread_join(slow.thread, NULL), 0);
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, true, 0), 0);
	teardown(ctx, buffer);
}

static void resv_threads_failed_writer_reaches_a_blocked_reader(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	struct completion camera;
	start_jobs(&camera, buffer, DMABUF_FROM_DEVICE, 1, 10000, DMABUF_EIO);
	UNIT_CHECK_HELPER();
	UNIT_EQ(dmabuf_resv_wait(resv, buffer, false, UINT32_MAX), DMABUF_EIO);
	UNIT_EQ(pthread_join(camera.thread, NULL), 0);
	teardown(ctx, buffer);
}

static void resv_threads_map_waits_implicitly_for_the_camera(void)
{
	dmabuf_handle_t buffer, display;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	UNIT_EQ(dmabuf_attach(ctx, buffer, FX_DMA, &display), 0);
	struct completion camera;
	start_jobs(&camera, buffer, DMABUF_FROM_DEVICE, 1, 20000, 0);
	UNIT_CHECK_HELPER();
	struct dmabuf_mapping mapping;
	UNIT_EQ(dmabuf_map(ctx, display, DMABUF_TO_DEVICE, &mapping), 0);
	/* The map returned only once the camera's frame was complete. */
	UNIT_ASSERT(dmabuf_fence_status(pool, camera.fences[0]) != 0);
	UNIT_EQ(dmabuf_unmap(ctx, display, &mapping, DMABUF_TO_DEVICE), 0);
	UNIT_EQ(pthread_join(camera.thread, NULL), 0);
	UNIT_EQ(dmabuf_detach(ctx, display), 0);
	teardown(ctx, buffer);
}

static void resv_threads_cpu_write_waits_implicitly_for_readers(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup(&buffer);
	UNIT_ASSERT(ctx);
	struct completion display;
	start_jobs(&display, buffer, DMABUF_TO_DEVICE, 2, 20000, 0);
	UNIT_CHECK_HELPER();
	void *cpu;
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	for (uint32_t i = 0; i < 2; i++)
		UNIT_ASSERT(dmabuf_fence_status(pool, display.fences[i]) != 0);
	UNIT_EQ(dmabuf_end_cpu_access(ctx, buffer, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(pthread_join(display.thread, NULL), 0);
	teardown(ctx, buffer);
}

static void resv_threads_implicit_wait_gives_up_after_the_table_timeout(void)
{
	dmabuf_handle_t buffer;
	struct dmabuf_ctx *ctx = setup_with_timeout(&buffer, 20000);
	UNIT_ASSERT(ctx);
	struct completion camera;
	start_jobs(&camera, buffer, DMABUF_FROM_DEVICE, 1, 300000, 0);
	UNIT_CHECK_HELPER();
	void *cpu;
	uint64_t start = dmabuf_time_us();
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, buffer, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), DMABUF_ETIMEDOUT);
	uint64_t elapsed = dmabuf_time_us() - start;
	UNIT_ASSERT(elapsed >= 20000 && elapsed < 250000);
	struct dmabuf_info info;
	UNIT_EQ(dmabuf_get_info(ctx, buffer, &info), 0);
	UNIT_EQ(info.cpu_access, 0);
	UNIT_EQ(pthread_join(camera.thread, NULL), 0);
	teardown(ctx, buffer);
}

const struct unit_suite suite_resv_threads = UNIT_SUITE(resv_threads,
	UNIT_TEST(resv_threads_read_blocks_until_the_writer_completes),
	UNIT_TEST(resv_threads_write_blocks_until_every_reader_completes),
	UNIT_TEST(resv_threads_wait_times_out_within_bounds_and_keeps_the_fences),
	UNIT_TEST(resv_threads_failed_writer_reaches_a_blocked_reader),
	UNIT_TEST(resv_threads_map_waits_implicitly_for_the_camera),
	UNIT_TEST(resv_threads_cpu_write_waits_implicitly_for_readers),
	UNIT_TEST(resv_threads_implicit_wait_gives_up_after_the_table_timeout));
