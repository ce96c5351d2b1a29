/*
 * The checks (rtos_port_check.h): fences signalled from the tick interrupt
 * wake a thread blocked in dmabuf_fence_wait, errors reach it, a wait on a
 * fence nobody signals ends on time; a LATEST frame queue fed from the
 * interrupt is drained by a blocking consumer thread; the port's mutex
 * excludes two threads that yield while holding it.
 */
#include <stdio.h>

#include "dmabuf/fence.h"
#include "dmabuf/os.h"
#include "dmabuf/queue.h"
#include "rtos_port_check.h"

#define FENCES 100u
#define FRAMES 200u
#define CONTENDER_ROUNDS 2000u

static uint64_t pool_storage[512];
static uint64_t queue_storage[128];
static struct dmabuf_fence_pool *pool;
static struct dmabuf_queue *queue;
static dmabuf_mutex_t mutex;

/* Shared with the interrupt: plain volatile, one writer each way. */
static volatile dmabuf_fence_t isr_fence;
static volatile int isr_error;
static volatile int isr_delay_ms;
static volatile unsigned frames_to_feed;
static volatile unsigned tick_ms;

static volatile unsigned contenders_done;
static volatile int consumer_done;
static volatile unsigned shared_counter;
static int failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                     \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

int check_init(void)
{
	const dmabuf_handle_t buffers[3] = { 1, 2, 3 };
	if (dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), 16) != 0)
		return 90;
	if (dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), buffers, 3, DMABUF_QUEUE_LATEST) != 0)
		return 91;
	return dmabuf_mutex_init(&mutex) == 0 ? 0 : 92;
}

void check_tick(void)
{
	tick_ms++;
	if (isr_fence && --isr_delay_ms <= 0) {
		dmabuf_fence_t fence = isr_fence;
		isr_fence = 0;
		if (isr_error)
			dmabuf_fence_signal_error(pool, fence, isr_error);
		else
			dmabuf_fence_signal(pool, fence);
	}
	/* A camera finishing a frame every 2 ms, faster than the consumer. */
	struct dmabuf_queue_frame frame;
	if (frames_to_feed && tick_ms % 2 == 0 && dmabuf_queue_dequeue(queue, 0, &frame) == 0) {
		dmabuf_queue_enqueue(queue, frame.index, DMABUF_QUEUE_TIME_NOW);
		frames_to_feed--;
	}
}

void check_contender(void)
{
	for (unsigned i = 0; i < CONTENDER_ROUNDS; i++) {
		dmabuf_mutex_lock(&mutex);
		unsigned value = shared_counter;
		if (i % 100 == 0)
			rtos_yield(); /* let the other contender try while we hold it */
		shared_counter = value + 1;
		dmabuf_mutex_unlock(&mutex);
	}
	dmabuf_mutex_lock(&mutex);
	contenders_done++;
	dmabuf_mutex_unlock(&mutex);
}

void check_consumer(void)
{
	unsigned got = 0;
	uint32_t last = 0;
	struct dmabuf_queue_frame frame;
	/* The first frame comes after the fence phase: wait for it forever. */
	while (dmabuf_queue_acquire(queue, got ? 200000 : UINT32_MAX, &frame) == 0) {
		CHECK(got == 0 || frame.sequence > last);
		last = frame.sequence;
		got++;
		rtos_sleep_ms(3); /* slower than the producer: LATEST drops */
		CHECK(dmabuf_queue_release(queue, frame.index) == 0);
	}
	struct dmabuf_queue_stats stats;
	dmabuf_queue_stats(queue, &stats);
	printf("queue: enqueued %u, acquired %u, dropped %u\n", (unsigned)stats.enqueued, (unsigned)stats.acquired,
	       (unsigned)stats.dropped);
	CHECK(stats.enqueued == FRAMES && stats.acquired == got && stats.acquired + stats.dropped == FRAMES);
	CHECK(stats.dropped > 0);
	CHECK(dmabuf_queue_check(queue) == 0);
	consumer_done = 1;
}

int check_waiter(void)
{
	uint32_t timeline = dmabuf_fence_context_alloc(pool);
	for (uint32_t i = 0; i < FENCES; i++) {
		dmabuf_fence_t fence;
		CHECK(dmabuf_fence_create(pool, timeline, i, &fence) == 0);
		int error = i % 10 == 9 ? DMABUF_EIO : 0;
		isr_error = error;
		isr_delay_ms = 1 + (int)(i % 4);
		isr_fence = fence;
		CHECK(dmabuf_fence_wait(pool, fence, 100000) == error);
		CHECK(dmabuf_fence_put(pool, fence) == 0);
	}
	printf("fences: %u signalled from the tick interrupt\n", FENCES);

	dmabuf_fence_t lonely;
	CHECK(dmabuf_fence_create(pool, timeline, FENCES, &lonely) == 0);
	uint64_t start = dmabuf_time_us();
	CHECK(dmabuf_fence_wait(pool, lonely, 30000) == DMABUF_ETIMEDOUT);
	uint64_t elapsed = dmabuf_time_us() - start;
	printf("timeout: waited %u us for 30000\n", (unsigned)elapsed);
	CHECK(elapsed >= 30000 && elapsed < 60000);
	struct dmabuf_fence_info info;
	CHECK(dmabuf_fence_get_info(pool, lonely, &info) == 0 && info.callbacks == 0 && info.refcount == 1);
	CHECK(dmabuf_fence_signal(pool, lonely) == 0);
	CHECK(dmabuf_fence_put(pool, lonely) == 0);

	frames_to_feed = FRAMES;
	while (!consumer_done || contenders_done < 2)
		rtos_sleep_ms(10);
	struct dmabuf_fence_pool_stats stats;
	dmabuf_fence_pool_stats(pool, &stats);
	CHECK(stats.in_use == 0 && stats.signalled == FENCES + 1);
	CHECK(shared_counter == 2 * CONTENDER_ROUNDS);
	printf("mutex: counter %u of %u\n", shared_counter, 2 * CONTENDER_ROUNDS);
	CHECK(dmabuf_queue_deinit(queue) == 0 && dmabuf_fence_pool_deinit(pool) == 0);
	printf("%d failures\n", failures);
	return failures;
}
