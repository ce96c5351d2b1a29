/*
 * Frame queues across threads (host only; run under ThreadSanitizer by
 * tests/stages/30-native-tsan.sh): a producer thread and consumer threads
 * with blocking hand-overs in both modes, wake-ups of a blocked producer and
 * consumer, and timeouts that return on time.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#include "dmabuf/os.h"
#include "dmabuf/queue.h"
#include "unit.h"

static uint64_t queue_storage[256];
static const dmabuf_handle_t buffers[4] = { 11, 12, 13, 14 };

#define FRAMES 2000u
#define CONSUMERS 2u

struct run {
	struct dmabuf_queue *queue;
	atomic_uint consumed;
	atomic_uint errors;
	atomic_int producer_done;
};

struct consumer_arg {
	struct run *run;
	uint32_t id;
};

/* Produces FRAMES frames, stamping each with its number so consumers can
 * check payload and sequence agree. */
static void *producer(void *arg)
{
	struct run *run = arg;
	for (uint32_t n = 0; n < FRAMES; n++) {
		struct dmabuf_queue_frame frame;
		if (dmabuf_queue_dequeue(run->queue, UINT32_MAX, &frame) != 0 ||
		    dmabuf_queue_enqueue(run->queue, frame.index, n) != 0)
			atomic_fetch_add(&run->errors, 1);
	}
	atomic_store(&run->producer_done, 1);
	return NULL;
}

static void *consumer(void *arg)
{
	struct consumer_arg *c = arg;
	struct run *run = c->run;
	bool have_last = false;
	uint32_t last = 0;
	for (;;) {
		struct dmabuf_queue_frame frame;
		/* Read "done" before the acquire: if it was set, every frame was
		 * already enqueued, so an empty poll means really empty. */
		bool done = atomic_load(&run->producer_done);
		int got = dmabuf_queue_acquire(run->queue, done ? 0 : 2000, &frame);
		if (got == DMABUF_ETIMEDOUT) {
			if (done)
				break;
			continue;
		}
		/* Sequence and stamp travel together; each consumer sees them rise. */
		if (got != 0 || frame.timestamp_us != frame.sequence || (have_last && frame.sequence <= last) ||
		    frame.buffer != buffers[frame.index])
			atomic_fetch_add(&run->errors, 1);
		have_last = true;
		last = frame.sequence;
		if ((frame.sequence & 7u) == 0)
			sched_yield(); /* hold the frame a while: producer must wait or drop */
		if (dmabuf_queue_release(run->queue, frame.index) != 0)
			atomic_fetch_add(&run->errors, 1);
		atomic_fetch_add(&run->consumed, 1);
	}
	return NULL;
}

static void run_threads(enum dmabuf_queue_mode mode, struct dmabuf_queue_stats *stats, uint32_t *errors,
			uint32_t *consumed)
{
	static struct run run;
	run.consumed = 0;
	run.errors = 0;
	run.producer_done = 0;
	UNIT_EQ(dmabuf_queue_init(&run.queue, queue_storage, sizeof(queue_storage), buffers, 3, mode), 0);

	pthread_t producer_thread, consumer_threads[CONSUMERS];
	struct consumer_arg args[CONSUMERS];
	UNIT_EQ(pthread_create(&producer_thread, NULL, producer, &run), 0);
	for (uint32_t i = 0; i < CONSUMERS; i++) {
		args[i] = (struct consumer_arg){ &run, i };
		UNIT_EQ(pthread_create(&consumer_threads[i], NULL, consumer, &args[i]), 0);
	}
	UNIT_EQ(pthread_join(producer_thread, NULL), 0);
	for (uint32_t i = 0; i < CONSUMERS; i++)
		UNIT_EQ(pthread_join(consumer_threads[i], NULL), 0);

	dmabuf_queue_stats(run.queue, stats);
	*errors = atomic_load(&run.errors);
	*consumed = atomic_load(&run.consumed);
	UNIT_EQ(dmabuf_queue_check(run.queue), 0);
	UNIT_EQ(stats->in_state[DMABUF_FRAME_FREE], 3); /* every frame came back */
	UNIT_EQ(dmabuf_queue_deinit(run.queue), 0);
}

static void queue_threads_when_empty_delivers_every_frame_once(void)
{
	struct dmabuf_queue_stats stats;
	uint32_t errors = 0, consumed = 0;
	run_threads(DMABUF_QUEUE_WHEN_EMPTY, &stats, &errors, &consumed);
	UNIT_CHECK_HELPER();
	UNIT_EQ(errors, 0);
	UNIT_EQ(consumed, FRAMES);
	UNIT_EQ(stats.enqueued, FRAMES);
	UNIT_EQ(stats.acquired, FRAMES);
	UNIT_EQ(stats.dropped, 0);
}

static void queue_threads_latest_accounts_for_every_frame(void)
{
	struct dmabuf_queue_stats stats;
	uint32_t errors = 0, consumed = 0;
	run_threads(DMABUF_QUEUE_LATEST, &stats, &errors, &consumed);
	UNIT_CHECK_HELPER();
	UNIT_EQ(errors, 0);
	UNIT_EQ(stats.enqueued, FRAMES);
	UNIT_EQ(consumed, stats.acquired);
	UNIT_EQ(stats.acquired + stats.dropped, FRAMES);
	UNIT_EQ(stats.starved, 0); /* the producer waits forever: never a timeout */
}

struct blocked_call {
	struct dmabuf_queue *queue;
	bool producer;
	int result;
	struct dmabuf_queue_frame frame;
};

static void *blocked_call_thread(void *arg)
{
	struct blocked_call *call = arg;
	call->result = call->producer ? dmabuf_queue_dequeue(call->queue, UINT32_MAX, &call->frame)
				      : dmabuf_queue_acquire(call->queue, UINT32_MAX, &call->frame);
	return NULL;
}

/* Give a just-started thread time to park in its wait (the test is correct
 * either way; parking is the case worth exercising). */
static void let_thread_park(void)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	nanosleep(&pause, NULL);
}

static void queue_threads_blocked_producer_wakes_on_release(void)
{
	struct dmabuf_queue *queue;
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), buffers, 1,
				  DMABUF_QUEUE_WHEN_EMPTY), 0);
	struct dmabuf_queue_frame frame;
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &frame), 0);
	UNIT_EQ(dmabuf_queue_enqueue(queue, frame.index, 1), 0);
	UNIT_EQ(dmabuf_queue_acquire(queue, 0, &frame), 0);

	struct blocked_call call = { .queue = queue, .producer = true, .result = 99 };
	pthread_t thread;
	UNIT_EQ(pthread_create(&thread, NULL, blocked_call_thread, &call), 0);
	let_thread_park();
	UNIT_EQ(dmabuf_queue_release(queue, frame.index), 0);
	UNIT_EQ(pthread_join(thread, NULL), 0);
	UNIT_EQ(call.result, 0);
	UNIT_EQ(call.frame.index, frame.index);
	UNIT_EQ(dmabuf_queue_cancel(queue, call.frame.index), 0);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
}

static void queue_threads_blocked_consumer_wakes_on_enqueue_and_blocks_deinit(void)
{
	struct dmabuf_queue *queue;
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), buffers, 2,
				  DMABUF_QUEUE_LATEST), 0);
	struct blocked_call call = { .queue = queue, .producer = false, .result = 99 };
	pthread_t thread;
	UNIT_EQ(pthread_create(&thread, NULL, blocked_call_thread, &call), 0);
	let_thread_park();
	struct dmabuf_queue_frame frame;
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &frame), 0);
	/* A frame is PRODUCING: deinit is refused whether or not the consumer
	 * parked yet; the consumer cannot have taken anything. */
	UNIT_EQ(dmabuf_queue_deinit(queue), DMABUF_EBUSY);
	UNIT_EQ(dmabuf_queue_enqueue(queue, frame.index, 77), 0);
	UNIT_EQ(pthread_join(thread, NULL), 0);
	UNIT_EQ(call.result, 0);
	UNIT_EQ(call.frame.index, frame.index);
	UNIT_EQ(call.frame.timestamp_us, 77);
	UNIT_EQ(dmabuf_queue_release(queue, frame.index), 0);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
}

static void queue_threads_timeouts_return_within_bounds(void)
{
	struct dmabuf_queue *queue;
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), buffers, 1,
				  DMABUF_QUEUE_WHEN_EMPTY), 0);
	struct dmabuf_queue_frame frame, none;
	uint64_t start = dmabuf_time_us();
	UNIT_EQ(dmabuf_queue_acquire(queue, 20000, &none), DMABUF_ETIMEDOUT);
	uint64_t elapsed = dmabuf_time_us() - start;
	UNIT_ASSERT(elapsed >= 20000 && elapsed < 520000);

	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &frame), 0);
	start = dmabuf_time_us();
	UNIT_EQ(dmabuf_queue_dequeue(queue, 20000, &none), DMABUF_ETIMEDOUT);
	elapsed = dmabuf_time_us() - start;
	UNIT_ASSERT(elapsed >= 20000 && elapsed < 520000);
	struct dmabuf_queue_stats stats;
	dmabuf_queue_stats(queue, &stats);
	UNIT_EQ(stats.starved, 1);
	UNIT_EQ(dmabuf_queue_cancel(queue, frame.index), 0);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
}

struct timed_call {
	struct dmabuf_queue *queue;
	bool producer;
	int result;
	uint64_t waited_us;
};

static void *timed_call_thread(void *arg)
{
	struct timed_call *call = arg;
	struct dmabuf_queue_frame frame;
	uint64_t start = dmabuf_time_us();
	call->result = call->producer ? dmabuf_queue_dequeue(call->queue, 30000000, &frame)
				      : dmabuf_queue_acquire(call->queue, 30000000, &frame);
	call->waited_us = dmabuf_time_us() - start;
	return NULL;
}

#define CLOSE_WAITERS 3u

/* Several producers and consumers wait 30 s each on an empty queue; close
 * must wake them all (one signal per event, passed on waiter to waiter)
 * within a bound far below the timeout. */
static void queue_threads_close_wakes_every_waiter_at_once(void)
{
	struct dmabuf_queue *queue;
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), buffers, 1,
				  DMABUF_QUEUE_WHEN_EMPTY), 0);
	struct dmabuf_queue_frame frame;
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &frame), 0); /* nothing FREE, nothing READY */

	struct timed_call calls[2 * CLOSE_WAITERS];
	pthread_t threads[2 * CLOSE_WAITERS];
	for (uint32_t i = 0; i < 2 * CLOSE_WAITERS; i++) {
		calls[i] = (struct timed_call){ .queue = queue, .producer = i % 2 == 0, .result = 99 };
		UNIT_EQ(pthread_create(&threads[i], NULL, timed_call_thread, &calls[i]), 0);
	}
	let_thread_park();
	UNIT_EQ(dmabuf_queue_close(queue), 0);
	/* Join them all before any check can return (their calls live here). */
	for (uint32_t i = 0; i < 2 * CLOSE_WAITERS; i++)
		pthread_join(threads[i], NULL);
	for (uint32_t i = 0; i < 2 * CLOSE_WAITERS; i++) {
		UNIT_EQ(calls[i].result, DMABUF_ESHUTDOWN);
		UNIT_ASSERT(calls[i].waited_us < 2000000);
	}
	struct dmabuf_queue_stats stats;
	dmabuf_queue_stats(queue, &stats);
	UNIT_EQ(stats.starved, 0);
	UNIT_EQ(dmabuf_queue_enqueue(queue, frame.index, 1), DMABUF_ESHUTDOWN);
	UNIT_EQ(dmabuf_queue_cancel(queue, frame.index), 0);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
}

const struct unit_suite suite_queue_threads = UNIT_SUITE(queue_threads,
	UNIT_TEST(queue_threads_when_empty_delivers_every_frame_once),
	UNIT_TEST(queue_threads_latest_accounts_for_every_frame),
	UNIT_TEST(queue_threads_blocked_producer_wakes_on_release),
	UNIT_TEST(queue_threads_blocked_consumer_wakes_on_enqueue_and_blocks_deinit),
	UNIT_TEST(queue_threads_timeouts_return_within_bounds),
	UNIT_TEST(queue_threads_close_wakes_every_waiter_at_once));
