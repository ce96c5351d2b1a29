/*
 * Frame queues (contract and state diagram: queue.h).
 *
 * Frames sit on intrusive index lists: FREE frames on a stack, READY frames
 * on a FIFO in enqueue (= sequence) order; PRODUCING and CONSUMING frames are
 * on no list, their owner holds the index. Every hand-over is a constant
 * number of link updates under dmabuf_irq_lock, so a frame-done ISR can
 * enqueue.
 *
 * Blocking uses one binary event per direction (frames came FREE, frames came
 * READY) and a waiter count, so a hand-over with nobody waiting touches no OS
 * object. A binary event can swallow a second signal when two frames arrive
 * before one waiter runs; so a waiter that takes a frame while more are
 * available and others still wait passes the wake-up on (re-signals).
 * Close relies on the same chain: it signals each event once, and every
 * waiter that wakes to a closed queue re-signals for the next.
 */
#include <string.h>

#include "dmabuf/queue.h"
#include "internal.h"

#define NO_FRAME UINT32_MAX

struct frame {
	dmabuf_handle_t buffer;
	uint32_t state; /* enum dmabuf_frame_state */
	uint32_t next;  /* link on the FREE stack or the READY FIFO */
	uint32_t sequence;
	uint64_t timestamp_us;
};

struct dmabuf_queue {
	uint32_t magic; /* DMABUF_MAGIC_QUEUE while live (internal.h) */
	uint32_t count;
	uint32_t mode;
	uint32_t free_head;
	uint32_t ready_head;
	uint32_t ready_tail;
	uint32_t in_state[4];
	uint32_t enqueued;
	uint32_t acquired;
	uint32_t dropped;
	uint32_t starved;
	uint32_t producers_waiting;
	uint32_t consumers_waiting;
	bool closed;
	dmabuf_report_fn report;
	void *report_user;
	dmabuf_wake_fn wake_hook;
	void *wake_hook_user;
	dmabuf_event_t frame_free;  /* a frame a producer can take appeared */
	dmabuf_event_t frame_ready; /* a frame a consumer can take appeared */
	struct frame frames[];
};

_Static_assert(DMABUF_QUEUE_MAX_FRAMES <= 64, "check() tracks frames in one 64-bit mask");

void dmabuf_queue_set_report(struct dmabuf_queue *queue, dmabuf_report_fn report, void *user)
{
	if (!dmabuf_object_live(queue, DMABUF_MAGIC_QUEUE)) {
		(void)DMABUF_REFUSE_OBJECT(queue, "dmabuf_queue_set_report", "queue");
		return;
	}
	queue->report = report;
	queue->report_user = user;
}

void dmabuf_queue_set_wake_hook(struct dmabuf_queue *queue, dmabuf_wake_fn hook, void *user)
{
	if (!dmabuf_object_live(queue, DMABUF_MAGIC_QUEUE)) {
		(void)DMABUF_REFUSE_OBJECT(queue, "dmabuf_queue_set_wake_hook", "queue");
		return;
	}
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	queue->wake_hook = hook;
	queue->wake_hook_user = user;
	dmabuf_irq_unlock(key);
}

size_t dmabuf_queue_storage_size(uint32_t count)
{
	if (count == 0 || count > DMABUF_QUEUE_MAX_FRAMES)
		return 0;
	return sizeof(struct dmabuf_queue) + (size_t)count * sizeof(struct frame);
}

int dmabuf_queue_init(struct dmabuf_queue **out, void *storage, size_t storage_size,
		      const dmabuf_handle_t *buffers, uint32_t count, enum dmabuf_queue_mode mode)
{
	if (!out || !storage || !buffers)
		return DMABUF_REFUSE_OBJECT(NULL, "dmabuf_queue_init", !out ? "out" : !storage ? "storage" : "buffers");
	if ((uintptr_t)storage % 8 != 0)
		return DMABUF_EINVAL;
	if (mode != DMABUF_QUEUE_WHEN_EMPTY && mode != DMABUF_QUEUE_LATEST)
		return DMABUF_EINVAL;
	size_t need = dmabuf_queue_storage_size(count);
	if (need == 0)
		return DMABUF_EINVAL;
	for (uint32_t i = 0; i < count; i++) {
		if (buffers[i] <= 0)
			return DMABUF_EINVAL;
		for (uint32_t j = 0; j < i; j++)
			if (buffers[j] == buffers[i])
				return DMABUF_EINVAL; /* one buffer in two states at once */
	}
	if (storage_size < need)
		return DMABUF_ENOMEM;

	struct dmabuf_queue *queue = storage;
	memset(queue, 0, need);
	if (dmabuf_event_init(&queue->frame_free) != 0)
		return DMABUF_ENOMEM;
	if (dmabuf_event_init(&queue->frame_ready) != 0) {
		dmabuf_event_destroy(&queue->frame_free);
		return DMABUF_ENOMEM;
	}
	queue->count = count;
	queue->mode = mode;
	queue->ready_head = queue->ready_tail = NO_FRAME;
	queue->free_head = 0;
	for (uint32_t i = 0; i < count; i++) {
		queue->frames[i].buffer = buffers[i];
		queue->frames[i].state = DMABUF_FRAME_FREE;
		queue->frames[i].next = i + 1 < count ? i + 1 : NO_FRAME;
	}
	queue->in_state[DMABUF_FRAME_FREE] = count;
	queue->magic = DMABUF_MAGIC_QUEUE;
	*out = queue;
	return 0;
}

int dmabuf_queue_deinit(struct dmabuf_queue *queue)
{
	if (!dmabuf_object_live(queue, DMABUF_MAGIC_QUEUE))
		return DMABUF_REFUSE_OBJECT(queue, "dmabuf_queue_deinit", "queue");
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	bool busy = queue->in_state[DMABUF_FRAME_PRODUCING] || queue->in_state[DMABUF_FRAME_CONSUMING] ||
		    queue->producers_waiting || queue->consumers_waiting;
	if (!busy) {
		queue->magic = 0;
		queue->count = 0; /* a call already past its entry check finds no frame, not a destroyed event */
	}
	dmabuf_irq_unlock(key);
	if (busy)
		return DMABUF_FAIL(queue, DMABUF_EBUSY,
				   "dmabuf_queue_deinit: busy: %u frames PRODUCING/CONSUMING, %u threads waiting",
				   queue->in_state[DMABUF_FRAME_PRODUCING] + queue->in_state[DMABUF_FRAME_CONSUMING],
				   queue->producers_waiting + queue->consumers_waiting);
	dmabuf_event_destroy(&queue->frame_free);
	dmabuf_event_destroy(&queue->frame_ready);
	return 0;
}

int dmabuf_queue_close(struct dmabuf_queue *queue)
{
	if (!dmabuf_object_live(queue, DMABUF_MAGIC_QUEUE))
		return DMABUF_REFUSE_OBJECT(queue, "dmabuf_queue_close", "queue");
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	queue->closed = true;
	if (queue->producers_waiting)
		dmabuf_event_signal(&queue->frame_free);
	if (queue->consumers_waiting)
		dmabuf_event_signal(&queue->frame_ready);
	if (queue->wake_hook)
		queue->wake_hook(queue->wake_hook_user);
	dmabuf_irq_unlock(key);
	return 0;
}

#ifdef DMABUF_DEBUG
static const char *state_name(uint32_t state)
{
	static const char *const names[] = { "FREE", "PRODUCING", "READY", "CONSUMING" };
	return state < 4 ? names[state] : "?";
}
#endif

static void set_state(struct dmabuf_queue *queue, struct frame *frame, uint32_t state)
{
	queue->in_state[frame->state]--;
	queue->in_state[state]++;
	frame->state = state;
}

static uint32_t ready_pop(struct dmabuf_queue *queue)
{
	uint32_t index = queue->ready_head;
	queue->ready_head = queue->frames[index].next;
	if (queue->ready_head == NO_FRAME)
		queue->ready_tail = NO_FRAME;
	return index;
}

static void free_push(struct dmabuf_queue *queue, uint32_t index)
{
	queue->frames[index].next = queue->free_head;
	queue->free_head = index;
}

static void fill(const struct dmabuf_queue *queue, uint32_t index, struct dmabuf_queue_frame *out)
{
	const struct frame *frame = &queue->frames[index];
	out->index = index;
	out->buffer = frame->buffer;
	out->sequence = frame->sequence;
	out->timestamp_us = frame->timestamp_us;
}

/* A producer can take a frame now. Irq lock held. */
static bool producer_can_take(const struct dmabuf_queue *queue)
{
	return queue->free_head != NO_FRAME ||
	       (queue->mode == DMABUF_QUEUE_LATEST && queue->ready_head != NO_FRAME);
}

/* Take a frame for the producer. Irq lock held, producer_can_take() true. */
static uint32_t producer_take(struct dmabuf_queue *queue)
{
	uint32_t index = queue->free_head;
	if (index != NO_FRAME) {
		queue->free_head = queue->frames[index].next;
	} else {
		index = ready_pop(queue); /* LATEST: the oldest READY frame is never seen */
		queue->dropped++;
	}
	set_state(queue, &queue->frames[index], DMABUF_FRAME_PRODUCING);
	return index;
}

static bool consumer_can_take(const struct dmabuf_queue *queue)
{
	return queue->ready_head != NO_FRAME;
}

static uint32_t consumer_take(struct dmabuf_queue *queue)
{
	uint32_t index = ready_pop(queue);
	set_state(queue, &queue->frames[index], DMABUF_FRAME_CONSUMING);
	queue->acquired++;
	return index;
}

/*
 * The common wait loop of dequeue and acquire: take a frame when @can_take,
 * otherwise sleep on @event (counted in *@waiting) until the deadline.
 */
static int take_frame(struct dmabuf_queue *queue, uint32_t timeout_us, bool (*can_take)(const struct dmabuf_queue *),
		      uint32_t (*take)(struct dmabuf_queue *), dmabuf_event_t *event, uint32_t *waiting,
		      uint32_t *index)
{
	bool forever = timeout_us == UINT32_MAX;
	uint64_t deadline = timeout_us && !forever ? dmabuf_time_us() + timeout_us : 0;
	uint32_t remaining = timeout_us;

	dmabuf_irq_key_t key = dmabuf_irq_lock();
	for (;;) {
		if (queue->closed) {
			if (*waiting)
				dmabuf_event_signal(event); /* the next waiter must see the close too */
			dmabuf_irq_unlock(key);
			return DMABUF_ESHUTDOWN;
		}
		if (queue->count && can_take(queue)) {
			*index = take(queue);
			if (*waiting && can_take(queue))
				dmabuf_event_signal(event); /* pass the wake-up on */
			dmabuf_irq_unlock(key);
			return 0;
		}
		if (remaining == 0 || !queue->count) {
			dmabuf_irq_unlock(key);
			return DMABUF_ETIMEDOUT;
		}
		(*waiting)++;
		dmabuf_irq_unlock(key);
		int waited = dmabuf_event_wait(event, remaining);
		if (!forever) {
			uint64_t now = dmabuf_time_us();
			remaining = waited != 0 || now >= deadline ? 0 : (uint32_t)(deadline - now);
		}
		key = dmabuf_irq_lock();
		(*waiting)--;
		/* A timeout still gets one last look: the frame may have come at the deadline. */
	}
}

int dmabuf_queue_dequeue(struct dmabuf_queue *queue, uint32_t timeout_us, struct dmabuf_queue_frame *out)
{
	if (!dmabuf_object_live(queue, DMABUF_MAGIC_QUEUE))
		return DMABUF_REFUSE_OBJECT(queue, "dmabuf_queue_dequeue", "queue");
	if (!out)
		return DMABUF_FAIL(queue, DMABUF_EINVAL, "dmabuf_queue_dequeue: out: NULL");
	uint32_t index;
	int result = take_frame(queue, timeout_us, producer_can_take, producer_take, &queue->frame_free,
				&queue->producers_waiting, &index);
	if (result != 0) {
		if (result == DMABUF_ETIMEDOUT) {
			dmabuf_irq_key_t key = dmabuf_irq_lock();
			queue->starved++;
			dmabuf_irq_unlock(key);
		}
		return result;
	}
	fill(queue, index, out);
	return 0;
}

int dmabuf_queue_acquire(struct dmabuf_queue *queue, uint32_t timeout_us, struct dmabuf_queue_frame *out)
{
	if (!dmabuf_object_live(queue, DMABUF_MAGIC_QUEUE))
		return DMABUF_REFUSE_OBJECT(queue, "dmabuf_queue_acquire", "queue");
	if (!out)
		return DMABUF_FAIL(queue, DMABUF_EINVAL, "dmabuf_queue_acquire: out: NULL");
	uint32_t index;
	int result = take_frame(queue, timeout_us, consumer_can_take, consumer_take, &queue->frame_ready,
				&queue->consumers_waiting, &index);
	if (result == 0)
		fill(queue, index, out); /* CONSUMING: only this consumer touches the frame now */
	return result;
}

/*
 * Move frame @index out of @from (PRODUCING or CONSUMING, both off-list)
 * into @to: READY (FIFO tail, @timestamp_us) or FREE.
 */
static int give_frame(struct dmabuf_queue *queue, uint32_t index, uint32_t from, uint32_t to,
		      uint64_t timestamp_us, const char *caller)
{
	(void)caller; /* only messages use it */
	if (!dmabuf_object_live(queue, DMABUF_MAGIC_QUEUE))
		return DMABUF_REFUSE_OBJECT(queue, caller, "queue");
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	if (index >= queue->count) {
		dmabuf_irq_unlock(key);
		return DMABUF_FAIL(queue, DMABUF_EINVAL, "%s: index: frame %u of %u frames", caller, index,
				   queue->count);
	}
	struct frame *frame = &queue->frames[index];
	if (frame->state != from) {
		dmabuf_irq_unlock(key);
		return DMABUF_FAIL(queue, DMABUF_EPERM, "%s: state: frame %u is %s, not %s", caller, index,
				   state_name(frame->state), state_name(from));
	}
	if (to == DMABUF_FRAME_READY && queue->closed) {
		/* Nobody will acquire it; giving back (cancel, release) stays open. */
		dmabuf_irq_unlock(key);
		return DMABUF_ESHUTDOWN;
	}
	set_state(queue, frame, to);
	bool wake_producer = false;
	if (to == DMABUF_FRAME_READY) {
		frame->sequence = queue->enqueued++;
		frame->timestamp_us = timestamp_us;
		frame->next = NO_FRAME;
		if (queue->ready_tail != NO_FRAME)
			queue->frames[queue->ready_tail].next = index;
		else
			queue->ready_head = index;
		queue->ready_tail = index;
		if (queue->consumers_waiting)
			dmabuf_event_signal(&queue->frame_ready);
		wake_producer = queue->mode == DMABUF_QUEUE_LATEST; /* READY frames are takeable */
	} else {
		free_push(queue, index);
		wake_producer = true;
	}
	if (wake_producer && queue->producers_waiting)
		dmabuf_event_signal(&queue->frame_free);
	if (queue->wake_hook)
		queue->wake_hook(queue->wake_hook_user);
	dmabuf_irq_unlock(key);
	return 0;
}

int dmabuf_queue_enqueue(struct dmabuf_queue *queue, uint32_t index, uint64_t timestamp_us)
{
	if (timestamp_us == DMABUF_QUEUE_TIME_NOW)
		timestamp_us = dmabuf_time_us();
	return give_frame(queue, index, DMABUF_FRAME_PRODUCING, DMABUF_FRAME_READY, timestamp_us,
			  "dmabuf_queue_enqueue");
}

int dmabuf_queue_cancel(struct dmabuf_queue *queue, uint32_t index)
{
	return give_frame(queue, index, DMABUF_FRAME_PRODUCING, DMABUF_FRAME_FREE, 0, "dmabuf_queue_cancel");
}

int dmabuf_queue_release(struct dmabuf_queue *queue, uint32_t index)
{
	return give_frame(queue, index, DMABUF_FRAME_CONSUMING, DMABUF_FRAME_FREE, 0, "dmabuf_queue_release");
}

int dmabuf_queue_frame_state(struct dmabuf_queue *queue, uint32_t index)
{
	if (!dmabuf_object_live(queue, DMABUF_MAGIC_QUEUE))
		return DMABUF_REFUSE_OBJECT(queue, "dmabuf_queue_frame_state", "queue");
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	int state = index < queue->count ? (int)queue->frames[index].state : DMABUF_EINVAL;
	dmabuf_irq_unlock(key);
	return state;
}

void dmabuf_queue_stats(struct dmabuf_queue *queue, struct dmabuf_queue_stats *out)
{
	if (!dmabuf_object_live(queue, DMABUF_MAGIC_QUEUE)) {
		(void)DMABUF_REFUSE_OBJECT(queue, "dmabuf_queue_stats", "queue");
		return;
	}
	if (!out) {
		(void)DMABUF_FAIL(queue, DMABUF_EINVAL, "dmabuf_queue_stats: out: NULL");
		return;
	}
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	out->count = queue->count;
	memcpy(out->in_state, queue->in_state, sizeof(out->in_state));
	out->enqueued = queue->enqueued;
	out->acquired = queue->acquired;
	out->dropped = queue->dropped;
	out->starved = queue->starved;
	out->closed = queue->closed;
	dmabuf_irq_unlock(key);
}

/* Walk one list, marking frames in *@seen; false on a frame seen twice, in
 * the wrong state, out of sequence order (READY) or a list too long. */
static bool check_list(const struct dmabuf_queue *queue, uint32_t head, uint32_t state, uint64_t *seen,
		       uint32_t *length, uint32_t *last)
{
	bool first = true;
	uint32_t previous_sequence = 0;
	*length = 0;
	*last = NO_FRAME;
	for (uint32_t i = head; i != NO_FRAME; i = queue->frames[i].next) {
		if (i >= queue->count || (*seen >> i & 1u) || queue->frames[i].state != state)
			return false;
		if (state == DMABUF_FRAME_READY) {
			if (!first && queue->frames[i].sequence <= previous_sequence)
				return false;
			previous_sequence = queue->frames[i].sequence;
			first = false;
		}
		*seen |= 1ull << i;
		(*length)++;
		*last = i;
	}
	return true;
}

int dmabuf_queue_check(struct dmabuf_queue *queue)
{
	if (!dmabuf_object_live(queue, DMABUF_MAGIC_QUEUE))
		return DMABUF_REFUSE_OBJECT(queue, "dmabuf_queue_check", "queue");
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	uint64_t seen = 0;
	uint32_t free_length = 0, ready_length = 0, last = NO_FRAME, counted[4] = { 0 };
	bool ok = check_list(queue, queue->free_head, DMABUF_FRAME_FREE, &seen, &free_length, &last) &&
		  check_list(queue, queue->ready_head, DMABUF_FRAME_READY, &seen, &ready_length, &last) &&
		  last == queue->ready_tail;
	for (uint32_t i = 0; ok && i < queue->count; i++) {
		uint32_t state = queue->frames[i].state;
		if (state > DMABUF_FRAME_CONSUMING) {
			ok = false;
			break;
		}
		counted[state]++;
		/* Listed frames were marked above; PRODUCING/CONSUMING ones must not be. */
		bool listed = state == DMABUF_FRAME_FREE || state == DMABUF_FRAME_READY;
		if (listed != (bool)(seen >> i & 1u))
			ok = false;
	}
	ok = ok && free_length == counted[DMABUF_FRAME_FREE] && ready_length == counted[DMABUF_FRAME_READY];
	for (uint32_t s = 0; ok && s < 4; s++)
		ok = counted[s] == queue->in_state[s];
	ok = ok && queue->enqueued == queue->acquired + queue->dropped + ready_length;
	dmabuf_irq_unlock(key);
	return ok ? 0 : DMABUF_FAIL(queue, DMABUF_EIO, "dmabuf_queue_check: invariant: states, lists or counters inconsistent");
}
