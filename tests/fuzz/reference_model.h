/*
 * The reference model the API sequence fuzzer compares the core with.
 *
 * It is written from the public contracts (dmabuf.h, fence.h, resv.h,
 * queue.h, the cache rules of docs/CACHE-RULES.md and core/sync.c's DOC
 * block), not from the core's code: plain arrays and linear scans, no
 * allocator, no lists. Where the contract leaves a choice to the
 * implementation, the model accepts every allowed outcome and then follows
 * the one the core took:
 *
 *   placement  the heap is a good-fit allocator (TLSF): a request of g lines
 *              MUST succeed in a region with a free gap of at least
 *              model_heap_sure_fit(g) lines, MAY succeed with a gap of at
 *              least g, and must fail otherwise. Regions are tried in the
 *              documented order, so a later region may be chosen only if
 *              no earlier one was a sure fit. The chosen block must lie in a
 *              free gap, line-aligned.
 *
 * Everything else is predicted exactly: every return code, every handle
 * value (slots are reused oldest first, generations count 1..4095), every
 * counter of heap, cache, fence pool and queue statistics, every cache
 * operation (kind, address, size), every ownership hook call, every fence
 * callback (order and status), every frame index and sequence number, the
 * bytes a CPU view shows, and the number of debug messages per sink.
 *
 * Handles are encoded as documented in dmabuf.h / core/handle.h:
 * bit 31 zero, type in bits 28-30, generation in 16-27, slot in 0-15.
 */
#ifndef REFERENCE_MODEL_H
#define REFERENCE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "dmabuf/dmabuf.h"
#include "dmabuf/fence.h"
#include "dmabuf/queue.h"
#include "dmabuf/resv.h"
#include "fuzz_env.h"

#define MODEL_MAX_BUFFERS 8u
#define MODEL_MAX_ATTACHMENTS 8u
#define MODEL_MAX_FENCES 8u
#define MODEL_MAX_CALLBACKS 8u
#define MODEL_MAX_FRAMES 8u
#define MODEL_MAX_BUFFER_BYTES 8192u

enum model_handle_type { MODEL_BUFFER = 1, MODEL_ATTACHMENT = 2, MODEL_FENCE = 3 };

int32_t model_handle(enum model_handle_type type, uint16_t generation, uint32_t slot);
uint16_t model_next_generation(uint16_t generation);

/* A FIFO of free slots: taken from the front, returned to the back. */
struct model_slots {
	uint16_t slot[16];
	uint32_t head;
	uint32_t count;
};
void model_slots_init(struct model_slots *slots, uint32_t count);
uint16_t model_slots_front(const struct model_slots *slots);
void model_slots_take(struct model_slots *slots);
void model_slots_give(struct model_slots *slots, uint16_t slot);

/* cache_state facts of the hand-over rules. */
#define MODEL_DIRTY 0x1u
#define MODEL_STALE 0x2u
#define MODEL_OWED 0x4u

struct model_buffer {
	uint32_t refcount; /* 0: free slot */
	uint16_t generation;
	uint32_t size;
	uint32_t flags;
	char name[DMABUF_NAME_MAX];
	int32_t region;    /* -1 while unplaced */
	uint32_t offset;   /* bytes from the region base */
	bool ever_mapped;
	uint8_t cpu_direction;
	uint32_t cpu_offset;
	uint32_t cpu_length;
	uint8_t cache_state;
	/* Reservation entry (resv.h). */
	int32_t exclusive;
	int32_t shared[DMABUF_RESV_MAX_SHARED];
	uint32_t shared_count;
	bool explicit_sync;
};

struct model_attachment {
	bool live;
	uint16_t generation;
	uint16_t buffer;
	uint16_t device;
	uint32_t direction;       /* of the current mapping, 0 = unmapped */
	bool memo_valid;
	struct dmabuf_mapping memo;
	struct dmabuf_mapping last; /* what the fuzzer got from the last map */
	uint32_t attached_at;     /* attach order: a buffer drops its newest first */
};

enum model_callback_kind {
	MODEL_CB_RECORD = 0,   /* only logs */
	MODEL_CB_SIGNAL = 1,   /* logs, then signals another fence */
	MODEL_CB_PUT_SELF = 2  /* logs, then drops a reference it owns on its fence */
};

struct model_callback {
	int32_t fence_slot;    /* -1: not registered */
	enum model_callback_kind kind;
	int32_t other;         /* MODEL_CB_SIGNAL: the handle it signals */
};

struct model_fence {
	uint32_t refcount;
	uint16_t generation;
	uint32_t context;
	uint32_t seqno;
	int32_t status;
	uint8_t callbacks[MODEL_MAX_CALLBACKS]; /* registration order */
	uint32_t callback_count;
};

/* One callback run, as the real callback logs it and the model predicts it. */
struct model_callback_run {
	uint32_t callback;
	int32_t fence;
	int32_t status;
};

#define MODEL_RUN_LOG 64

struct model_frame {
	uint32_t state;
	int32_t buffer;
	uint32_t sequence;
	uint64_t timestamp_us;
	bool timestamp_known;
};

struct model_queue {
	bool live;          /* initialised (even if deinit'd since: count 0, dead) */
	uint32_t count;
	uint32_t mode;
	struct model_frame frames[MODEL_MAX_FRAMES];
	uint32_t free_stack[MODEL_MAX_FRAMES]; /* top = last */
	uint32_t free_count;
	uint32_t ready[MODEL_MAX_FRAMES];      /* FIFO, oldest first */
	uint32_t ready_count;
	uint32_t enqueued, acquired, dropped, starved;
	bool closed;        /* dmabuf_queue_close: takes and enqueues are refused */
};

struct model {
	/* context */
	uint32_t max_buffers;
	uint32_t max_attachments;
	bool checker;
	bool ownership;
	bool whole_ops;
	uint32_t threshold;
	struct model_buffer buffers[MODEL_MAX_BUFFERS];
	struct model_attachment attachments[MODEL_MAX_ATTACHMENTS];
	struct model_slots free_buffers;
	struct model_slots free_attachments;
	uint32_t in_use, peak, failed;
	uint32_t attaches;        /* attach calls that succeeded, for attached_at */
	struct dmabuf_cache_stats cache_stats;
	int pending_cache_failure; /* armed in the backend, not yet consumed */
	/* buffer contents the model knows, per buffer slot */
	uint8_t bytes[MODEL_MAX_BUFFERS][MODEL_MAX_BUFFER_BYTES];
	uint8_t known[MODEL_MAX_BUFFERS][MODEL_MAX_BUFFER_BYTES];
	/* recently dead handles, for stale-handle calls */
	int32_t dead[8];
	uint32_t dead_next;

	/* fences */
	uint32_t fence_capacity;
	struct model_fence fences[MODEL_MAX_FENCES];
	struct model_slots free_fences;
	uint32_t fence_in_use, fence_peak, fence_failed, fence_signalled, next_context;
	struct model_callback callbacks[MODEL_MAX_CALLBACKS];
	struct model_callback_run runs[MODEL_RUN_LOG];
	uint32_t run_count;

	/* reservations */
	bool resv_bound;

	/* queue */
	struct model_queue queue;

	/* what the current call must produce */
	uint32_t expect_messages[FUZZ_SINK_COUNT];
	struct fuzz_cache_op expect_cache[FUZZ_CACHE_LOG];
	uint32_t expect_cache_count;
	struct fuzz_ownership_call expect_ownership[FUZZ_OWNERSHIP_LOG];
	uint32_t expect_ownership_count;
};

void model_reset(struct model *m);
/* A context / fence pool initialised again in the same storage after its
 * deinit: a fresh object (first handles, empty heap, statistics from zero). */
void model_context_reinit(struct model *m, bool checker);
void model_pool_reinit(struct model *m);
/* Start a call: no message, cache op or hook call expected yet. */
void model_begin_call(struct model *m);
void model_expect_message(struct model *m, int sink);
void model_remember_dead(struct model *m, int32_t handle);

/* ---- buffers and attachments --------------------------------------------- */

int32_t model_buffer_handle(const struct model *m, uint32_t slot);
int32_t model_attachment_handle(const struct model *m, uint32_t slot);
/* The live buffer / attachment slot @handle names, or -1 (-EBADF). */
int model_buffer_lookup(const struct model *m, int32_t handle);
int model_attachment_lookup(const struct model *m, int32_t handle);
uint32_t model_attachment_count(const struct model *m, uint32_t buffer);
uint32_t model_mapping_count(const struct model *m, uint32_t buffer);
bool model_attached(const struct model *m, uint32_t buffer, uint32_t device);

uint32_t model_padded(const struct model *m, uint32_t buffer);
dmabuf_addr_t model_dma(const struct model *m, uint32_t buffer);
uint8_t *model_cpu(const struct model *m, uint32_t buffer);

/* Reachability (dmabuf.h, board.h): a device reaches a placed block if one
 * window holds the whole padded block and its address is aligned; a region
 * suits a device if one window holds the whole region and the region's line
 * is a multiple of the device's alignment. */
bool model_device_reaches(uint32_t device, dmabuf_addr_t addr, uint32_t bytes);
bool model_region_suits(const struct model *m, uint32_t buffer, uint32_t region, int extra_device);
uint32_t model_segment_bytes(uint32_t device);
uint32_t model_segment_count(uint32_t device, uint32_t size);

/* ---- heap ------------------------------------------------------------------- */

uint32_t model_granules(uint32_t region, uint32_t size);
/* Lines a free gap must have for the good-fit search to be sure to find it. */
uint32_t model_heap_sure_fit(uint32_t granules);
/* Largest free gap of @region in lines, given the live placed buffers (a
 * buffer being moved still occupies its old block). */
uint32_t model_largest_gap(const struct model *m, uint32_t region);
/* [offset, offset + bytes) of @region overlaps no live placed buffer. */
bool model_block_free(const struct model *m, uint32_t region, uint32_t offset, uint32_t bytes);
uint32_t model_largest_free_bytes(const struct model *m);

/* Regions in the order placement tries them for @flags. */
uint32_t model_region_order(uint32_t flags, uint32_t order[FUZZ_REGION_COUNT]);

/* Place buffer @buffer at (@region, @offset) / release its storage. */
void model_place(struct model *m, uint32_t buffer, uint32_t region, uint32_t offset);
void model_unplace(struct model *m, uint32_t buffer);

/* ---- cache hand-overs (rules 1-7) ------------------------------------------- */

bool model_cacheable(const struct model *m, uint32_t buffer);
/* Predict the one cache operation on the lines of [offset, offset + length)
 * of @buffer (@clean or invalidate): appended to expect_cache. Returns what
 * the backend will return (an armed failure is consumed) and, on success,
 * counts the cache statistics. */
int model_cache_op(struct model *m, uint32_t buffer, bool clean, uint32_t offset, uint32_t length);
/* Clean, then invalidate, the same lines (rule 4 while a clean is owed): two
 * range operations, or one clean_invalidate_all above the threshold. */
int model_cache_clean_invalidate(struct model *m, uint32_t buffer, uint32_t offset, uint32_t length);

/* ---- ownership hook --------------------------------------------------------- */

bool model_device_owned(const struct model *m, uint32_t buffer);
void model_ownership_changed(struct model *m, uint32_t buffer, bool was);

/* ---- fences ------------------------------------------------------------------ */

int32_t model_fence_handle(const struct model *m, uint32_t slot);
int model_fence_lookup(const struct model *m, int32_t handle);
/* The fence operations with their full semantics (callbacks, orphans);
 * every message they report is expected on the pool's sink. */
int model_fence_create(struct model *m, uint32_t context, uint32_t seqno, int32_t *out);
int model_fence_get(struct model *m, int32_t handle);
/* The same without the message: the reservation reports a bad fence itself. */
bool model_fence_try_get(struct model *m, int32_t handle);
int model_fence_put(struct model *m, int32_t handle);
int model_fence_signal(struct model *m, int32_t handle, int32_t status);
/* status_of: the fence's status, or -EBADF (no message). */
int model_fence_status_quiet(const struct model *m, int32_t handle);

/* ---- reservations ------------------------------------------------------------ */

/* Drop the references of an entry (exclusive first, then shared). */
void model_resv_clear(struct model *m, uint32_t buffer);
/* Drop signalled fences (the exclusive one only if signalled without error). */
void model_resv_prune(struct model *m, uint32_t buffer);
/* dmabuf_fence_status: reports a handle that is not live. */
int model_fence_status_reported(struct model *m, int32_t handle);
/* dmabuf_resv_test: 1 if the access would not wait. */
int model_resv_test(struct model *m, uint32_t buffer, bool write);
/* dmabuf_resv_wait with timeout 0 (takes the wait's references, polls,
 * prunes, drops them). */
int model_resv_wait(struct model *m, uint32_t buffer, bool write);
/* A write access over the whole buffer ended: a failed exclusive fence is
 * dropped (the CPU rewrote every byte); one in flight, or a stale handle
 * (the caller put the table's reference), stays, without a message. */
void model_resv_cpu_rewrote(struct model *m, uint32_t buffer);
/* The implicit sync of map / begin_cpu_access (table bound, direction
 * valid, handle already found live): 0 to go on, or the error to return. */
int model_resv_implicit(struct model *m, uint32_t buffer, bool write);

/* ---- frame queue ----------------------------------------------------------------- */

/* NULL (never initialised) or dead (deinitialised: count 0) queue: every
 * call is refused with -EINVAL, reported on the fallback sink (true). */
bool model_queue_refused(struct model *m);
/* A fresh queue over @buffers, every frame FREE. */
void model_queue_init(struct model *m, const int32_t *buffers, uint32_t count, uint32_t mode);
/* Producer / consumer takes (timeout 0): the frame index, or -ETIMEDOUT;
 * -ESHUTDOWN once closed. */
int model_queue_dequeue(struct model *m, uint32_t *index);
int model_queue_acquire(struct model *m, uint32_t *index);
/* Frame @index from state @from to @to (READY: FIFO tail, @timestamp_us). */
int model_queue_give(struct model *m, uint32_t index, uint32_t from, uint32_t to, uint64_t timestamp_us,
		     bool timestamp_known);
int model_queue_deinit(struct model *m);
/* Closed for good: takes and enqueues get -ESHUTDOWN, giving back stays open. */
int model_queue_close(struct model *m);

#endif /* REFERENCE_MODEL_H */
