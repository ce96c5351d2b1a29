/*
 * Frame queues without threads (portable: also runs on the emulated targets).
 *
 * Besides the example tests, a property test drives the queue with seeded
 * random producer/consumer schedules (valid and invalid calls) next to a
 * simple model, and after every step checks that each frame is in exactly one
 * state (the queue's own checker and the model agree), counts add up,
 * consumers see strictly increasing sequence numbers and every drop is
 * counted. A failure prints the seed and step.
 */
#include <stdio.h>
#include <string.h>

#include "dmabuf/os.h"
#include "dmabuf/queue.h"
#include "unit.h"

#define MAX_TEST_FRAMES 8u

static uint64_t queue_storage[128];
static const dmabuf_handle_t buffers[MAX_TEST_FRAMES] = { 101, 102, 103, 104, 105, 106, 107, 108 };
static int reports;

static void count_report(void *user, const char *message)
{
	(void)user;
	(void)message;
	reports++;
}

static struct dmabuf_queue *new_queue(uint32_t count, enum dmabuf_queue_mode mode)
{
	struct dmabuf_queue *queue = NULL;
	if (dmabuf_queue_storage_size(count) > sizeof(queue_storage) ||
	    dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), buffers, count, mode) != 0) {
		unit_fail(__FILE__, __LINE__, "dmabuf_queue_init", 0, 0);
		return NULL;
	}
	dmabuf_queue_set_report(queue, count_report, NULL);
	reports = 0;
	return queue;
}

static void queue_init_validates_buffers_mode_and_storage(void)
{
	struct dmabuf_queue *queue = NULL;
	const dmabuf_handle_t with_zero[3] = { 5, 0, 6 }, with_repeat[3] = { 5, 6, 5 };
	UNIT_EQ(dmabuf_queue_storage_size(0), 0);
	UNIT_EQ(dmabuf_queue_storage_size(DMABUF_QUEUE_MAX_FRAMES + 1), 0);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), buffers, 0,
				  DMABUF_QUEUE_LATEST), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), with_zero, 3,
				  DMABUF_QUEUE_LATEST), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), with_repeat, 3,
				  DMABUF_QUEUE_LATEST), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, sizeof(queue_storage), buffers, 3,
				  (enum dmabuf_queue_mode)7), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_init(&queue, (char *)queue_storage + 4, sizeof(queue_storage) - 4, buffers, 3,
				  DMABUF_QUEUE_LATEST), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, dmabuf_queue_storage_size(3) - 1, buffers, 3,
				  DMABUF_QUEUE_LATEST), DMABUF_ENOMEM);
	UNIT_ASSERT(queue == NULL);
	UNIT_EQ(dmabuf_queue_init(&queue, queue_storage, dmabuf_queue_storage_size(3), buffers, 3,
				  DMABUF_QUEUE_LATEST), 0);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
}

static void queue_frame_cycles_free_producing_ready_consuming_free(void)
{
	struct dmabuf_queue *queue = new_queue(3, DMABUF_QUEUE_WHEN_EMPTY);
	UNIT_CHECK_HELPER();
	struct dmabuf_queue_frame produced, consumed;
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &produced), 0);
	UNIT_EQ(dmabuf_queue_frame_state(queue, produced.index), DMABUF_FRAME_PRODUCING);
	UNIT_EQ(produced.buffer, buffers[produced.index]);
	UNIT_EQ(dmabuf_queue_enqueue(queue, produced.index, 5000), 0);
	UNIT_EQ(dmabuf_queue_frame_state(queue, produced.index), DMABUF_FRAME_READY);
	UNIT_EQ(dmabuf_queue_acquire(queue, 0, &consumed), 0);
	UNIT_EQ(consumed.index, produced.index);
	UNIT_EQ(consumed.buffer, produced.buffer);
	UNIT_EQ(consumed.sequence, 0);
	UNIT_EQ(consumed.timestamp_us, 5000);
	UNIT_EQ(dmabuf_queue_frame_state(queue, consumed.index), DMABUF_FRAME_CONSUMING);
	UNIT_EQ(dmabuf_queue_release(queue, consumed.index), 0);
	UNIT_EQ(dmabuf_queue_frame_state(queue, consumed.index), DMABUF_FRAME_FREE);
	UNIT_EQ(dmabuf_queue_check(queue), 0);
	UNIT_EQ(reports, 0);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
}

static void queue_consumer_gets_frames_in_enqueue_order_with_clock_stamps(void)
{
	struct dmabuf_queue *queue = new_queue(3, DMABUF_QUEUE_WHEN_EMPTY);
	UNIT_CHECK_HELPER();
	struct dmabuf_queue_frame a, b, got;
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &a), 0);
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &b), 0);
	uint64_t before = dmabuf_time_us();
	UNIT_EQ(dmabuf_queue_enqueue(queue, b.index, DMABUF_QUEUE_TIME_NOW), 0); /* b finished first */
	UNIT_EQ(dmabuf_queue_enqueue(queue, a.index, DMABUF_QUEUE_TIME_NOW), 0);
	uint64_t after = dmabuf_time_us();
	UNIT_EQ(dmabuf_queue_acquire(queue, 0, &got), 0);
	UNIT_EQ(got.index, b.index);
	UNIT_EQ(got.sequence, 0);
	UNIT_ASSERT(got.timestamp_us >= before && got.timestamp_us <= after);
	UNIT_EQ(dmabuf_queue_release(queue, got.index), 0);
	UNIT_EQ(dmabuf_queue_acquire(queue, 0, &got), 0);
	UNIT_EQ(got.index, a.index);
	UNIT_EQ(got.sequence, 1);
	UNIT_EQ(dmabuf_queue_release(queue, got.index), 0);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
}

static void queue_when_empty_producer_fails_when_nothing_is_free(void)
{
	struct dmabuf_queue *queue = new_queue(2, DMABUF_QUEUE_WHEN_EMPTY);
	UNIT_CHECK_HELPER();
	struct dmabuf_queue_frame f[2], extra;
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &f[0]), 0);
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &f[1]), 0);
	UNIT_EQ(dmabuf_queue_enqueue(queue, f[0].index, 1), 0);
	UNIT_EQ(dmabuf_queue_enqueue(queue, f[1].index, 2), 0);
	/* Both READY, none FREE: WHEN_EMPTY never takes a READY frame. */
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &extra), DMABUF_ETIMEDOUT);
	struct dmabuf_queue_stats stats;
	dmabuf_queue_stats(queue, &stats);
	UNIT_EQ(stats.starved, 1);
	UNIT_EQ(stats.dropped, 0);
	UNIT_EQ(stats.in_state[DMABUF_FRAME_READY], 2);
	UNIT_EQ(reports, 0); /* running dry is an outcome, not misuse */
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
}

static void queue_latest_recycles_oldest_ready_frame_and_counts_the_drop(void)
{
	struct dmabuf_queue *queue = new_queue(3, DMABUF_QUEUE_LATEST);
	UNIT_CHECK_HELPER();
	struct dmabuf_queue_frame f, oldest = { 0 };
	for (int i = 0; i < 3; i++) {
		UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &f), 0);
		if (i == 0)
			oldest = f;
		UNIT_EQ(dmabuf_queue_enqueue(queue, f.index, (uint64_t)i), 0);
	}
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &f), 0);
	UNIT_EQ(f.index, oldest.index);
	UNIT_EQ(dmabuf_queue_enqueue(queue, f.index, 3), 0);
	struct dmabuf_queue_stats stats;
	dmabuf_queue_stats(queue, &stats);
	UNIT_EQ(stats.dropped, 1);
	UNIT_EQ(stats.enqueued, 4);
	/* The consumer sees the newest frames; the gap in sequence is the drop. */
	struct dmabuf_queue_frame got;
	UNIT_EQ(dmabuf_queue_acquire(queue, 0, &got), 0);
	UNIT_EQ(got.sequence, 1);
	UNIT_EQ(dmabuf_queue_release(queue, got.index), 0);
	UNIT_EQ(dmabuf_queue_check(queue), 0);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
}

static void queue_latest_producer_waits_only_when_every_frame_is_owned(void)
{
	struct dmabuf_queue *queue = new_queue(2, DMABUF_QUEUE_LATEST);
	UNIT_CHECK_HELPER();
	struct dmabuf_queue_frame a, b, none;
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &a), 0);
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &b), 0);
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &none), DMABUF_ETIMEDOUT);
	UNIT_EQ(dmabuf_queue_cancel(queue, a.index), 0);
	UNIT_EQ(dmabuf_queue_cancel(queue, b.index), 0);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
}

static void queue_cancel_returns_frame_without_using_a_sequence_number(void)
{
	struct dmabuf_queue *queue = new_queue(2, DMABUF_QUEUE_WHEN_EMPTY);
	UNIT_CHECK_HELPER();
	struct dmabuf_queue_frame f, got;
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &f), 0);
	UNIT_EQ(dmabuf_queue_cancel(queue, f.index), 0);
	UNIT_EQ(dmabuf_queue_frame_state(queue, f.index), DMABUF_FRAME_FREE);
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &f), 0);
	UNIT_EQ(dmabuf_queue_enqueue(queue, f.index, 9), 0);
	UNIT_EQ(dmabuf_queue_acquire(queue, 0, &got), 0);
	UNIT_EQ(got.sequence, 0);
	UNIT_EQ(dmabuf_queue_release(queue, got.index), 0);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
}

static void queue_acquire_on_empty_queue_times_out(void)
{
	struct dmabuf_queue *queue = new_queue(2, DMABUF_QUEUE_LATEST);
	UNIT_CHECK_HELPER();
	struct dmabuf_queue_frame got;
	UNIT_EQ(dmabuf_queue_acquire(queue, 0, &got), DMABUF_ETIMEDOUT);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
}

static void queue_out_of_state_calls_are_refused_and_change_nothing(void)
{
	struct dmabuf_queue *queue = new_queue(2, DMABUF_QUEUE_WHEN_EMPTY);
	UNIT_CHECK_HELPER();
	struct dmabuf_queue_frame f;
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &f), 0);
	uint32_t other = f.index ^ 1u; /* FREE */
	struct dmabuf_queue_stats before, after;
	dmabuf_queue_stats(queue, &before);
	UNIT_EQ(dmabuf_queue_enqueue(queue, other, 1), DMABUF_EPERM);
	UNIT_EQ(dmabuf_queue_release(queue, other), DMABUF_EPERM);
	UNIT_EQ(dmabuf_queue_release(queue, f.index), DMABUF_EPERM); /* PRODUCING, not CONSUMING */
	UNIT_EQ(dmabuf_queue_cancel(queue, other), DMABUF_EPERM);
	UNIT_EQ(dmabuf_queue_enqueue(queue, 2, 1), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_release(queue, UINT32_MAX), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_acquire(queue, 0, NULL), DMABUF_EINVAL);
	UNIT_EQ(dmabuf_queue_frame_state(queue, 2), DMABUF_EINVAL);
#ifdef DMABUF_DEBUG
	UNIT_EQ(reports, 8);
#endif
	dmabuf_queue_stats(queue, &after);
	UNIT_EQ(memcmp(&before, &after, sizeof(before)), 0);
	UNIT_EQ(dmabuf_queue_frame_state(queue, f.index), DMABUF_FRAME_PRODUCING);
	UNIT_EQ(dmabuf_queue_check(queue), 0);
	/* Deinit is refused while the producer holds a frame. */
	UNIT_EQ(dmabuf_queue_deinit(queue), DMABUF_EBUSY);
	UNIT_EQ(dmabuf_queue_cancel(queue, f.index), 0);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
}

static int wakes;

static void count_wake(void *user)
{
	(void)user;
	wakes++;
}

static void queue_close_refuses_new_work_and_keeps_giving_back_open(void)
{
	struct dmabuf_queue *queue = new_queue(4, DMABUF_QUEUE_WHEN_EMPTY);
	UNIT_CHECK_HELPER();
	struct dmabuf_queue_frame producing, consuming, ready, none;
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &consuming), 0);
	UNIT_EQ(dmabuf_queue_enqueue(queue, consuming.index, 1), 0);
	UNIT_EQ(dmabuf_queue_acquire(queue, 0, &consuming), 0);
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &ready), 0);
	UNIT_EQ(dmabuf_queue_enqueue(queue, ready.index, 2), 0);
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &producing), 0);
	/* One frame of each state: FREE, PRODUCING, READY, CONSUMING. */
	wakes = 0;
	dmabuf_queue_set_wake_hook(queue, count_wake, NULL);
	UNIT_EQ(dmabuf_queue_close(queue), 0);
	UNIT_EQ(wakes, 1); /* a runtime parked on its own event must hear of it */

	/* A frame is FREE and one READY, yet nothing is handed out; a timeout
	 * does not turn the refusal into a wait. */
	uint64_t start = dmabuf_time_us();
	UNIT_EQ(dmabuf_queue_dequeue(queue, 200000, &none), DMABUF_ESHUTDOWN);
	UNIT_EQ(dmabuf_queue_acquire(queue, 200000, &none), DMABUF_ESHUTDOWN);
	UNIT_EQ(dmabuf_queue_dequeue(queue, 0, &none), DMABUF_ESHUTDOWN);
	UNIT_EQ(dmabuf_queue_acquire(queue, 0, &none), DMABUF_ESHUTDOWN);
	UNIT_ASSERT(dmabuf_time_us() - start < 100000);
	UNIT_EQ(dmabuf_queue_enqueue(queue, producing.index, 3), DMABUF_ESHUTDOWN);
	UNIT_EQ(dmabuf_queue_frame_state(queue, producing.index), DMABUF_FRAME_PRODUCING);

	struct dmabuf_queue_stats stats;
	dmabuf_queue_stats(queue, &stats);
	UNIT_EQ(stats.closed, 1);
	UNIT_EQ(stats.starved, 0); /* a refusal is not a starved producer */
	UNIT_EQ(stats.enqueued, 2);
	UNIT_EQ(stats.acquired, 1);
	UNIT_EQ(reports, 0);       /* shutdown is no misuse */

	/* Giving back stays open so the owner can deinit. */
	UNIT_EQ(dmabuf_queue_deinit(queue), DMABUF_EBUSY);
	UNIT_EQ(dmabuf_queue_cancel(queue, producing.index), 0);
	UNIT_EQ(dmabuf_queue_release(queue, consuming.index), 0);
	UNIT_EQ(dmabuf_queue_close(queue), 0); /* idempotent */
	UNIT_EQ(dmabuf_queue_check(queue), 0);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
}

/* ---- property test: random schedules against a model ------------------ */

static uint32_t rng_next(uint32_t *state)
{
	/* xorshift32: deterministic on every target, no libc rand() state. */
	uint32_t x = *state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

struct model {
	uint32_t count;
	enum dmabuf_queue_mode mode;
	uint32_t state[MAX_TEST_FRAMES];
	uint32_t ready[MAX_TEST_FRAMES]; /* FIFO of indices, oldest first */
	uint32_t ready_count;
	uint32_t enqueued, acquired, dropped, starved;
	bool have_last_acquired;
	uint32_t last_acquired_sequence;
	uint64_t stamp[MAX_TEST_FRAMES];
	uint32_t sequence[MAX_TEST_FRAMES];
};

static uint32_t count_in(const struct model *m, uint32_t state)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < m->count; i++)
		n += m->state[i] == state;
	return n;
}

static int pick_in(const struct model *m, uint32_t state, uint32_t *rng)
{
	uint32_t n = count_in(m, state);
	if (n == 0)
		return -1;
	uint32_t k = rng_next(rng) % n;
	for (uint32_t i = 0; i < m->count; i++)
		if (m->state[i] == state && k-- == 0)
			return (int)i;
	return -1;
}

static void ready_remove_head(struct model *m)
{
	memmove(&m->ready[0], &m->ready[1], (m->ready_count - 1) * sizeof(m->ready[0]));
	m->ready_count--;
}

/* One random step on queue and model; asserts the call's result. */
static void random_step(struct dmabuf_queue *queue, struct model *m, uint32_t *rng, uint64_t now)
{
	uint32_t op = rng_next(rng) % 6;
	struct dmabuf_queue_frame frame;
	if (op == 0) { /* dequeue */
		int got = dmabuf_queue_dequeue(queue, 0, &frame);
		bool any_free = count_in(m, DMABUF_FRAME_FREE) > 0;
		if (!any_free && (m->mode == DMABUF_QUEUE_WHEN_EMPTY || m->ready_count == 0)) {
			UNIT_EQ(got, DMABUF_ETIMEDOUT);
			m->starved++;
			return;
		}
		UNIT_EQ(got, 0);
		UNIT_ASSERT(frame.index < m->count);
		UNIT_EQ(frame.buffer, buffers[frame.index]);
		if (!any_free) {
			/* LATEST must take exactly the oldest READY frame. */
			UNIT_EQ(frame.index, m->ready[0]);
			ready_remove_head(m);
			m->dropped++;
		} else {
			UNIT_EQ(m->state[frame.index], DMABUF_FRAME_FREE);
		}
		m->state[frame.index] = DMABUF_FRAME_PRODUCING;
	} else if (op == 1 || op == 2) { /* enqueue (or cancel) a PRODUCING frame */
		int index = pick_in(m, DMABUF_FRAME_PRODUCING, rng);
		if (index < 0)
			return;
		if (op == 2 && rng_next(rng) % 4 == 0) {
			UNIT_EQ(dmabuf_queue_cancel(queue, (uint32_t)index), 0);
			m->state[index] = DMABUF_FRAME_FREE;
			return;
		}
		UNIT_EQ(dmabuf_queue_enqueue(queue, (uint32_t)index, now), 0);
		m->state[index] = DMABUF_FRAME_READY;
		m->sequence[index] = m->enqueued++;
		m->stamp[index] = now;
		m->ready[m->ready_count++] = (uint32_t)index;
	} else if (op == 3) { /* acquire */
		int got = dmabuf_queue_acquire(queue, 0, &frame);
		if (m->ready_count == 0) {
			UNIT_EQ(got, DMABUF_ETIMEDOUT);
			return;
		}
		UNIT_EQ(got, 0);
		UNIT_EQ(frame.index, m->ready[0]);
		UNIT_EQ(frame.sequence, m->sequence[frame.index]);
		UNIT_EQ(frame.timestamp_us, m->stamp[frame.index]);
		if (m->have_last_acquired)
			UNIT_ASSERT(frame.sequence > m->last_acquired_sequence);
		m->have_last_acquired = true;
		m->last_acquired_sequence = frame.sequence;
		ready_remove_head(m);
		m->state[frame.index] = DMABUF_FRAME_CONSUMING;
		m->acquired++;
	} else if (op == 4) { /* release */
		int index = pick_in(m, DMABUF_FRAME_CONSUMING, rng);
		if (index < 0)
			return;
		UNIT_EQ(dmabuf_queue_release(queue, (uint32_t)index), 0);
		m->state[index] = DMABUF_FRAME_FREE;
	} else { /* a wrong call: must be refused and change nothing */
		uint32_t index = rng_next(rng) % (m->count + 1);
		uint32_t which = rng_next(rng) % 3;
		uint32_t want_state = which == 2 ? DMABUF_FRAME_CONSUMING : DMABUF_FRAME_PRODUCING;
		int want = index >= m->count ? DMABUF_EINVAL
					     : m->state[index] == want_state ? 1 : DMABUF_EPERM;
		if (want == 1)
			return; /* would be valid: covered by the other operations */
		int got = which == 0 ? dmabuf_queue_enqueue(queue, index, now)
			  : which == 1 ? dmabuf_queue_cancel(queue, index)
				       : dmabuf_queue_release(queue, index);
		UNIT_EQ(got, want);
	}
}

/* After every step: the queue agrees with the model and with itself. */
static void check_against_model(struct dmabuf_queue *queue, const struct model *m)
{
	UNIT_EQ(dmabuf_queue_check(queue), 0);
	struct dmabuf_queue_stats stats;
	dmabuf_queue_stats(queue, &stats);
	uint32_t total = 0;
	for (uint32_t s = 0; s < 4; s++) {
		UNIT_EQ(stats.in_state[s], count_in(m, s));
		total += stats.in_state[s];
	}
	UNIT_EQ(total, m->count);
	for (uint32_t i = 0; i < m->count; i++)
		UNIT_EQ(dmabuf_queue_frame_state(queue, i), m->state[i]);
	UNIT_EQ(stats.enqueued, m->enqueued);
	UNIT_EQ(stats.acquired, m->acquired);
	UNIT_EQ(stats.dropped, m->dropped);
	UNIT_EQ(stats.starved, m->starved);
	UNIT_EQ(stats.enqueued, stats.acquired + stats.dropped + stats.in_state[DMABUF_FRAME_READY]);
	if (m->mode == DMABUF_QUEUE_WHEN_EMPTY)
		UNIT_EQ(stats.dropped, 0);
}

static void run_schedule(uint32_t seed, enum dmabuf_queue_mode mode, uint32_t steps)
{
	uint32_t rng = seed * 2654435761u + 1u;
	struct model m = { 0 };
	m.count = 1 + rng_next(&rng) % MAX_TEST_FRAMES;
	m.mode = mode;
	struct dmabuf_queue *queue = new_queue(m.count, mode);
	UNIT_CHECK_HELPER();
	for (uint32_t step = 0; step < steps; step++) {
		random_step(queue, &m, &rng, 1000u * step);
		if (!unit_failed())
			check_against_model(queue, &m);
		if (unit_failed()) {
			printf("  queue schedule: seed %u mode %d frames %u failed at step %u\n", (unsigned)seed,
			       (int)mode, (unsigned)m.count, (unsigned)step);
			return;
		}
	}
	/* Drain: every frame back to FREE, nothing leaked, deinit succeeds. */
	for (uint32_t i = 0; i < m.count; i++) {
		if (m.state[i] == DMABUF_FRAME_PRODUCING)
			UNIT_EQ(dmabuf_queue_cancel(queue, i), 0);
		else if (m.state[i] == DMABUF_FRAME_CONSUMING)
			UNIT_EQ(dmabuf_queue_release(queue, i), 0);
	}
	struct dmabuf_queue_frame frame;
	while (dmabuf_queue_acquire(queue, 0, &frame) == 0)
		UNIT_EQ(dmabuf_queue_release(queue, frame.index), 0);
	struct dmabuf_queue_stats stats;
	dmabuf_queue_stats(queue, &stats);
	UNIT_EQ(stats.in_state[DMABUF_FRAME_FREE], m.count);
	UNIT_EQ(dmabuf_queue_check(queue), 0);
	UNIT_EQ(dmabuf_queue_deinit(queue), 0);
}

static void queue_random_schedules_keep_invariants_when_empty_mode(void)
{
	for (uint32_t seed = 1; seed <= 150 && !unit_failed(); seed++)
		run_schedule(seed, DMABUF_QUEUE_WHEN_EMPTY, 400);
}

static void queue_random_schedules_keep_invariants_latest_mode(void)
{
	for (uint32_t seed = 1; seed <= 150 && !unit_failed(); seed++)
		run_schedule(seed, DMABUF_QUEUE_LATEST, 400);
}

const struct unit_suite suite_queue = UNIT_SUITE(queue,
	UNIT_TEST(queue_init_validates_buffers_mode_and_storage),
	UNIT_TEST(queue_frame_cycles_free_producing_ready_consuming_free),
	UNIT_TEST(queue_consumer_gets_frames_in_enqueue_order_with_clock_stamps),
	UNIT_TEST(queue_when_empty_producer_fails_when_nothing_is_free),
	UNIT_TEST(queue_latest_recycles_oldest_ready_frame_and_counts_the_drop),
	UNIT_TEST(queue_latest_producer_waits_only_when_every_frame_is_owned),
	UNIT_TEST(queue_cancel_returns_frame_without_using_a_sequence_number),
	UNIT_TEST(queue_acquire_on_empty_queue_times_out),
	UNIT_TEST(queue_out_of_state_calls_are_refused_and_change_nothing),
	UNIT_TEST(queue_close_refuses_new_work_and_keeps_giving_back_open),
	UNIT_TEST(queue_random_schedules_keep_invariants_when_empty_mode),
	UNIT_TEST(queue_random_schedules_keep_invariants_latest_mode));
