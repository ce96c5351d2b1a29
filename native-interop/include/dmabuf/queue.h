/*
 * Frame queues: N buffers cycling from one producer to consumers
 * (a camera ring, display triple buffering).
 *
 * DOC: states of a frame
 *
 * Every frame is in exactly one state; hand-overs are O(1):
 *
 *            dequeue              enqueue               acquire
 *   FREE ------------> PRODUCING ---------> READY ----------------> CONSUMING
 *     ^  <-- cancel ------'                  |  (LATEST: recycled      |
 *     |                                      |   to PRODUCING, a drop) |
 *     '------------------------------------------- release ------------'
 *
 *   dequeue  the producer takes a FREE frame to fill (e.g. hands it to the
 *            camera DMA). When none is FREE: WHEN_EMPTY waits (or fails with
 *            -ETIMEDOUT); LATEST takes the oldest READY frame instead and
 *            counts it as dropped, so consumers always see the newest frames.
 *   enqueue  the producer publishes the frame: it gets the next sequence
 *            number and a timestamp, and goes to the back of the READY FIFO.
 *   acquire  a consumer takes the oldest READY frame (waits if none).
 *   release  the consumer gives it back: FREE.
 *   cancel   the producer gives a frame back unpublished (a failed capture):
 *            FREE, no sequence number used.
 *
 * Sequence numbers count enqueues from 0 in enqueue order, so a consumer sees
 * them strictly increasing, and a gap of k means k frames were dropped.
 *
 * The queue cycles buffers the caller exported (dmabuf_export); it never
 * exports, maps or puts them, and does not take references: the caller keeps
 * the buffers alive for the queue's life. A frame is named by its index
 * (0..count-1, fixed) and carries its buffer handle.
 *
 * Shutdown: dmabuf_queue_close ends every wait at once and makes the queue
 * refuse new work, so an owner on another thread can take it down without
 * polling its waiters out: close, let every caller leave, give the frames
 * back, deinit.
 *
 * Contexts: dequeue/enqueue/acquire/release/cancel with timeout 0 and close
 * take only dmabuf_irq_lock and are ISR-safe (a camera's frame-done interrupt
 * can enqueue); with a timeout they may block and need a thread. The storage
 * is the caller's; nothing allocates.
 *
 * NULL and dead queues, NULL pointers: the rule of dmabuf.h (-EINVAL, one
 * message; not repeated in each @retval below).
 */
#ifndef DMABUF_QUEUE_H
#define DMABUF_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "dmabuf.h"

#ifdef __cplusplus
/* -Wshadow: struct and function of one name (see dmabuf.h). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
extern "C" {
#endif

/* Grab modes. KEEP IN SYNC with managed FrameQueueMode.cs. */
enum dmabuf_queue_mode {
	DMABUF_QUEUE_WHEN_EMPTY = 1, /* producer waits for a FREE frame; nothing is dropped */
	DMABUF_QUEUE_LATEST = 2      /* producer recycles the oldest READY frame (a drop) */
};

/* Frame states. KEEP IN SYNC with managed FrameState.cs. */
enum dmabuf_frame_state {
	DMABUF_FRAME_FREE = 0,
	DMABUF_FRAME_PRODUCING = 1,
	DMABUF_FRAME_READY = 2,
	DMABUF_FRAME_CONSUMING = 3
};

/* Most frames one queue can cycle. */
#define DMABUF_QUEUE_MAX_FRAMES 64u

/* As timestamp: "stamp with dmabuf_time_us() now" (otherwise the caller's
 * time, e.g. the simulator's virtual time or a capture-start time). */
#define DMABUF_QUEUE_TIME_NOW UINT64_MAX

struct dmabuf_queue_frame {
	uint32_t index;          /* 0..count-1: names the frame in enqueue/release/cancel */
	dmabuf_handle_t buffer;  /* the caller's buffer handle for this frame */
	uint32_t sequence;       /* from enqueue; valid after acquire */
	uint64_t timestamp_us;   /* from enqueue; valid after acquire */
};

struct dmabuf_queue;

/* Bytes of storage a queue of @count frames needs (0 if @count is 0 or above
 * DMABUF_QUEUE_MAX_FRAMES). */
size_t dmabuf_queue_storage_size(uint32_t count);

/*
 * Create a queue in caller storage (aligned to 8) over @count buffers, all
 * FREE. The handles are copied; they are not checked against a context
 * (the queue only carries them), but must be non-zero and distinct.
 * Not ISR-safe (creates the wait events).
 * @retval 0 and *out set; -EINVAL null pointer, bad @mode, @count out of
 *         range, a zero or repeated handle, misaligned storage;
 *         -ENOMEM storage too small or the OS port could not create an event.
 */
int dmabuf_queue_init(struct dmabuf_queue **out, void *storage, size_t storage_size,
		      const dmabuf_handle_t *buffers, uint32_t count, enum dmabuf_queue_mode mode);

/*
 * Tear down. Refused while a frame is PRODUCING or CONSUMING (someone still
 * writes or reads its buffer) or a thread waits in the queue.
 * @retval 0; -EBUSY, the queue stays usable; -EINVAL NULL or dead queue (a
 *         second deinit: the events are not destroyed twice).
 */
int dmabuf_queue_deinit(struct dmabuf_queue *queue);

/*
 * Close for shutdown, for good (there is no reopen): every dequeue, acquire
 * and enqueue from now on fails at once with -ESHUTDOWN, and every thread
 * waiting in dequeue or acquire wakes and returns -ESHUTDOWN (through the
 * queue's events; a runtime that waits on its own event is woken through the
 * wake hook, which close calls). Release and cancel keep working so the
 * frames still PRODUCING or CONSUMING can be given back before deinit;
 * frame_state, stats and check too. Close does not wait for anyone: the
 * caller must still not deinit before every thread has left the queue's
 * calls (waiters included, they return promptly now). Idempotent. Takes only
 * dmabuf_irq_lock: ISR-safe. @retval 0; -EINVAL a NULL or dead queue.
 */
int dmabuf_queue_close(struct dmabuf_queue *queue);

/*
 * Producer: take a frame to fill, FREE -> PRODUCING (LATEST with no FREE
 * frame: the oldest READY one, counted in dropped). Waits up to @timeout_us
 * (0 = fail at once, UINT32_MAX = forever) for a frame to come back.
 * @retval 0 and *out set (index, buffer); -EINVAL @out NULL;
 *         -ETIMEDOUT no frame available in time (counted in starved);
 *         -ESHUTDOWN the queue was closed (before or during the wait).
 */
int dmabuf_queue_dequeue(struct dmabuf_queue *queue, uint32_t timeout_us, struct dmabuf_queue_frame *out);

/*
 * Producer: publish frame @index, PRODUCING -> READY, with the next sequence
 * number and @timestamp_us (or DMABUF_QUEUE_TIME_NOW). Wakes one waiting
 * consumer. Never blocks.
 * @retval 0; -EINVAL @index out of range; -EPERM the frame is not PRODUCING;
 *         -ESHUTDOWN the queue was closed (the frame stays PRODUCING: cancel it).
 */
int dmabuf_queue_enqueue(struct dmabuf_queue *queue, uint32_t index, uint64_t timestamp_us);

/* Producer: give frame @index back unpublished, PRODUCING -> FREE.
 * @retval 0; -EINVAL; -EPERM not PRODUCING. */
int dmabuf_queue_cancel(struct dmabuf_queue *queue, uint32_t index);

/*
 * Consumer: take the oldest READY frame, READY -> CONSUMING, waiting up to
 * @timeout_us for one.
 * @retval 0 and *out set; -EINVAL @out NULL; -ETIMEDOUT nothing READY in time;
 *         -ESHUTDOWN the queue was closed (before or during the wait).
 */
int dmabuf_queue_acquire(struct dmabuf_queue *queue, uint32_t timeout_us, struct dmabuf_queue_frame *out);

/* Consumer: give frame @index back, CONSUMING -> FREE; wakes a waiting
 * producer. @retval 0; -EINVAL; -EPERM not CONSUMING. */
int dmabuf_queue_release(struct dmabuf_queue *queue, uint32_t index);

/*
 * Install (or with NULL remove) the queue's wake hook (dmabuf.h), called
 * after every hand-over that may let a waiter take a frame (enqueue, cancel,
 * release) and by close, in that call's context (an enqueue may come from a frame-done
 * ISR) with dmabuf_irq_lock held. With it, a runtime that cannot block polls
 * dequeue / acquire with timeout 0 and waits on its own event in between.
 * The last call wins. Takes dmabuf_irq_lock, so a hand-over never sees
 * half a change; not from an ISR.
 */
void dmabuf_queue_set_wake_hook(struct dmabuf_queue *queue, DMABUF_NULLABLE dmabuf_wake_fn hook,
				DMABUF_NULLABLE void *user);

/* Where the queue's failure messages go, in debug builds (NULL = silent). */
void dmabuf_queue_set_report(struct dmabuf_queue *queue, DMABUF_NULLABLE dmabuf_report_fn report,
			     DMABUF_NULLABLE void *user);

/* State of frame @index. @retval an enum dmabuf_frame_state; -EINVAL. */
int dmabuf_queue_frame_state(struct dmabuf_queue *queue, uint32_t index);

struct dmabuf_queue_stats {
	uint32_t count;                       /* frames */
	uint32_t in_state[4];                 /* frames per enum dmabuf_frame_state; sums to count */
	uint32_t enqueued;                    /* enqueues since init (= next sequence number) */
	uint32_t acquired;                    /* acquires since init */
	uint32_t dropped;                     /* READY frames recycled by LATEST unseen */
	uint32_t starved;                     /* dequeues that timed out */
	uint32_t closed;                      /* 1 once dmabuf_queue_close ran, else 0 */
};
void dmabuf_queue_stats(struct dmabuf_queue *queue, struct dmabuf_queue_stats *out);

/* Verify every invariant: each frame in exactly one state and on the list of
 * that state only, the READY FIFO in increasing sequence order, counters
 * consistent (enqueued = acquired + dropped + READY frames). O(count).
 * @retval 0 or -EIO. */
int dmabuf_queue_check(struct dmabuf_queue *queue);

#ifdef __cplusplus
}
#pragma GCC diagnostic pop
#endif

#endif /* DMABUF_QUEUE_H */
