/*
 * Private core state: the context, buffer and attachment slots, the heap.
 * Only the core's .c files include this. Everything lives in the caller's storage
 * (carved in context.c); nothing here allocates.
 */
#ifndef DMABUF_CORE_INTERNAL_H
#define DMABUF_CORE_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dmabuf/dmabuf.h"
#include "dmabuf/cpu_copy.h"
#include "dmabuf/fence.h"
#include "dmabuf/os.h"
#include "handle.h"

/* dmabuf_check's invariant walker (invariants.c) is compiled in unless the
 * build defines DMABUF_INVARIANT_CHECK=0 (docs/SIZE.md). */
#ifndef DMABUF_INVARIANT_CHECK
#define DMABUF_INVARIANT_CHECK 1
#endif

/* Upper limits of config.max_buffers / max_attachments: slots are 16-bit and
 * the heap needs 2 * max_buffers + regions + 1 block descriptors, which must
 * also stay below DMABUF_SLOT_NONE. */
#define DMABUF_MAX_BUFFERS 16384u
#define DMABUF_MAX_ATTACHMENTS 16384u
#define DMABUF_MAX_REGIONS 64u

/* ---- heap (heap.c) -------------------------------------------------------- */

/* Second-level classes per power of two: a class spans 1/16 of its power of
 * two, so a good-fit search skips at most ~6% of sizes that would fit. */
#define DMABUF_HEAP_SL_LOG2 4u
#define DMABUF_HEAP_SL_COUNT (1u << DMABUF_HEAP_SL_LOG2)
/* Blocks from this size on are large (frames): cut from the high end of free
 * blocks, small ones from the low end (heap.c, two-ended placement). */
#define DMABUF_HEAP_LARGE_BYTES 16384u

enum dmabuf_block_state {
	DMABUF_BLOCK_UNUSED = 0, /* descriptor in the spare pool */
	DMABUF_BLOCK_FREE,       /* tiles a free span, on its class list */
	DMABUF_BLOCK_ALLOCATED   /* owned by one buffer */
};

/*
 * Out-of-band block descriptor. The heap never writes into the memory it
 * manages: a header there would be a CPU write landing in a cache line next
 * to (or inside) a DMA buffer. Offsets and sizes count granules (the region's
 * cache line), so every block is line-aligned and line-padded by construction.
 */
struct dmabuf_heap_block {
	uint32_t offset;     /* from the region's bus_base, in granules */
	uint32_t size;       /* in granules, >= 1 */
	uint16_t prev_phys;  /* address-order neighbours in the same region */
	uint16_t next_phys;
	uint16_t prev_free;  /* class list while FREE */
	uint16_t next_free;  /* class list while FREE, spare pool while UNUSED */
	uint16_t owner;      /* buffer slot while ALLOCATED */
	uint8_t region;
	uint8_t state;       /* enum dmabuf_block_state */
};

/* TLSF index over one region: class (fl, sl) list heads and their bitmaps. */
struct dmabuf_heap_region {
	uint16_t *heads;      /* [fl_count * DMABUF_HEAP_SL_COUNT], DMABUF_SLOT_NONE = empty */
	uint16_t *sl_bitmaps; /* [fl_count]: bit sl set iff heads[fl][sl] non-empty */
	uint32_t fl_bitmap;   /* bit fl set iff sl_bitmaps[fl] != 0 */
	uint32_t granules;    /* region size in granules */
	uint16_t first_block; /* the block at offset 0: never merged away */
	uint8_t fl_count;
	uint8_t line_shift;   /* log2(cache_line) */
};

struct dmabuf_heap {
	struct dmabuf_heap_block *blocks;
	struct dmabuf_heap_region *regions;
	uint32_t block_count;
	uint16_t spare;      /* first UNUSED descriptor */
	uint32_t capacity;   /* bytes, all regions */
	uint32_t in_use;     /* bytes in ALLOCATED blocks */
	uint32_t peak;
	uint64_t failed;     /* placements refused for lack of storage */
};

/* Number of first-level classes a region of @granules needs. */
uint32_t dmabuf_heap_fl_count(uint32_t granules);
/* Class of a free block of @granules (no rounding). */
uint32_t dmabuf_heap_class(uint32_t granules); /* fl * DMABUF_HEAP_SL_COUNT + sl */
/* Descriptors needed for @max_buffers live buffers over @region_count regions. */
uint32_t dmabuf_heap_block_count(uint32_t max_buffers, uint32_t region_count);
/* Set up over carved arrays: each region one FREE block spanning it. The
 * heap and its arrays must be zeroed (dmabuf_init clears the whole storage
 * first): init writes only what is not 0. */
void dmabuf_heap_init(struct dmabuf_heap *heap, const struct dmabuf_board *board,
		      struct dmabuf_heap_block *blocks, uint32_t block_count,
		      struct dmabuf_heap_region *regions, uint16_t *class_storage);
/* Block of exactly @granules in @region for buffer slot @owner, or
 * DMABUF_SLOT_NONE. O(1): no loop over blocks. */
uint16_t dmabuf_heap_alloc(struct dmabuf_heap *heap, uint32_t region, uint32_t granules, uint16_t owner);
/* Return @block, merging with free neighbours at once. O(1). */
void dmabuf_heap_free(struct dmabuf_heap *heap, uint16_t block);
/* Largest FREE block in bytes (diagnostic: walks every descriptor). */
uint32_t dmabuf_heap_largest_free(const struct dmabuf_heap *heap);
/* The largest free block of @region, in bytes (debug builds: for messages). */
#define DMABUF_ALL_REGIONS UINT32_MAX
uint32_t dmabuf_heap_largest_free_in(const struct dmabuf_heap *heap, uint32_t region);

/* ---- buffers, attachments, context ------------------------------------- */

/* dmabuf_buffer.cache_state holds the DMABUF_CACHE_* bits of dmabuf.h: the
 * hand-over state machine of sync.c. */

/* A buffer slot. Live iff refcount > 0. Keep within 64 bytes on 32-bit. */
struct dmabuf_buffer {
	char name[DMABUF_NAME_MAX];
	uint32_t size;             /* as exported; storage is line-padded */
	uint32_t refcount;
	uint32_t cpu_offset;       /* the open CPU access, valid while cpu_direction != 0 */
	uint32_t cpu_length;
	uint16_t generation;
	uint16_t block;            /* heap block, DMABUF_SLOT_NONE while unplaced */
	uint16_t first_attachment; /* list through dmabuf_attachment.next */
	uint16_t attachments;
	uint16_t mappings;         /* attachments currently mapped */
	uint16_t pool_link;        /* free-slot FIFO */
	uint8_t export_flags;
	uint8_t cache_state;
	uint8_t cpu_direction;     /* enum dmabuf_direction of the open access, 0 = none */
	bool ever_mapped;          /* placement is final */
};

/* An attachment slot. Keep within 48 bytes on 32-bit. */
struct dmabuf_attachment {
	/* The memoised mapping: computed at the first map (segment_count == 0
	 * until then), reused by every later map; direction is the current
	 * mapping's, 0 while unmapped. */
	struct dmabuf_mapping memo;
	uint16_t generation;
	uint16_t buffer;    /* buffer slot */
	uint16_t next;      /* next attachment of the same buffer */
	uint16_t device;    /* board device index */
	uint16_t pool_link;
	bool live;
	/* Memoised with the mapping: the maps of this attachment need cache
	 * work (dmabuf_sync_map_needs_cache). */
	bool cache_work;
};

#if UINTPTR_MAX == 0xFFFFFFFFu
_Static_assert(sizeof(struct dmabuf_buffer) <= 64, "per-buffer metadata must stay <= 64 bytes");
_Static_assert(sizeof(struct dmabuf_attachment) <= 48, "per-attachment metadata must stay <= 48 bytes");
_Static_assert(sizeof(struct dmabuf_heap_block) <= 20, "block descriptors are 2 per buffer");
#endif

struct dmabuf_ctx {
	uint32_t magic;         /* DMABUF_MAGIC_CONTEXT while live; first, see dmabuf_object_live */
	dmabuf_mutex_t lock;
	const struct dmabuf_board *board;
	void **region_memory;   /* copied from the config: CPU address of each region */
	const struct dmabuf_cache_ops *cache;
	void *cache_priv;
	const struct dmabuf_ownership_ops *ownership;
	void *ownership_priv;
	dmabuf_report_fn report;
	void *report_user;
	struct dmabuf_buffer *buffers;
	struct dmabuf_attachment *attachments;
	uint32_t max_buffers;
	uint32_t max_attachments;
	struct dmabuf_slot_pool free_buffers;
	struct dmabuf_slot_pool free_attachments;
	uint32_t live_buffers;
	uint32_t live_attachments;
	struct dmabuf_heap heap;
	struct dmabuf_cache_stats cache_stats;
	struct dmabuf_cpu_copy_stats cpu_copy_stats; /* cpu_copy.c */
	/* Implicit sync: the reservation table bound by dmabuf_resv_init (resv.c),
	 * NULL without one. Read and written under the lock. */
	struct dmabuf_resv_table *resv;
	bool checker;
};

/*
 * The rule "NULL and dead objects" (dmabuf.h). Each of the four object kinds
 * starts with a magic word that its init sets last and its deinit clears
 * first, so an object is live iff the word is there. A refusal reads that one
 * word and nothing else: a dead object's lock is destroyed and its sink may
 * belong to a caller that is gone, so the message goes to the fallback sink
 * (dmabuf_set_fallback_report), named "<function>: <argument>: ...".
 */
/* One byte repeated: a Thumb-2 compare takes it as an immediate, so the check
 * at the top of every public function needs no literal-pool load (about 400
 * bytes of the core's Cortex-M7 budget, docs/SIZE.md). */
#define DMABUF_MAGIC_CONTEXT 0xD1D1D1D1u
#define DMABUF_MAGIC_FENCE_POOL 0xD2D2D2D2u
#define DMABUF_MAGIC_RESV 0xD3D3D3D3u
#define DMABUF_MAGIC_QUEUE 0xD4D4D4D4u

static inline bool dmabuf_object_live(const void *object, uint32_t magic)
{
	return object && *(const uint32_t *)object == magic;
}

/* -EINVAL for a NULL or dead @object passed as @argument of @caller, reported
 * through the fallback sink; also for a NULL argument of a function that has
 * no live object to report through (an init, a storage size). */
#ifdef DMABUF_DEBUG
int dmabuf_refuse_object(const void *object, const char *caller, const char *argument);
#define DMABUF_REFUSE_OBJECT(object, caller, argument) dmabuf_refuse_object((object), (caller), (argument))
#else
#define DMABUF_REFUSE_OBJECT(object, caller, argument) DMABUF_EINVAL
#endif

/* DMABUF_CALLER("dmabuf_x"): the name of the public function for a helper
 * that only puts it in debug messages; NULL in a release build, which has no
 * messages, so no call site loads a string. */
#ifdef DMABUF_DEBUG
#define DMABUF_CALLER(name) (name)
#else
#define DMABUF_CALLER(name) ((void)(name), (const char *)NULL)
#endif

/* context.c: the statistics getters and resets (dmabuf_cache_stats,
 * dmabuf_cpu_copy_stats and their _reset), one body for all four: the entry
 * checks, then under the lock the copy of the statistics to @out, or (@out ==
 * DMABUF_STATS_RESET, never a real address) their zeroing. A NULL @out is
 * refused like any NULL output. @where packs the statistics' offset in the
 * context (low 16 bits) and size: with @caller (DMABUF_CALLER, the public
 * function for debug messages) every argument travels in a register. */
#define DMABUF_STATS_RESET ((void *)(uintptr_t)1)
void dmabuf_stats_access(const struct dmabuf_ctx *ctx, uint32_t where, void *out, const char *caller);
#define DMABUF_STATS(ctx, member, out, caller)                                                              \
	dmabuf_stats_access((ctx),                                                                           \
			    (uint32_t)offsetof(struct dmabuf_ctx, member) |                                  \
				    (uint32_t)sizeof(((struct dmabuf_ctx *)0)->member) << 16,                \
			    (out), DMABUF_CALLER(caller))
_Static_assert(sizeof(struct dmabuf_ctx) <= 0xFFFFu, "dmabuf_stats_access: an offset fits 16 bits");

/* Take / drop the context lock; const functions lock too (the mutex is the
 * only mutable part of a const context). */
static inline void dmabuf_lock(const struct dmabuf_ctx *ctx)
{
	dmabuf_mutex_lock((dmabuf_mutex_t *)&ctx->lock);
}

static inline void dmabuf_unlock(const struct dmabuf_ctx *ctx)
{
	dmabuf_mutex_unlock((dmabuf_mutex_t *)&ctx->lock);
}

/*
 * Handle lookups: the live buffer / attachment @handle stands for, or -EBADF
 * reported as "<caller>: handle: ...". The check is inline (every public
 * call starts with one, and a call would cost as much as the check; see
 * dmabuf_handle_slot); the report of a refusal is out of line, in buffer.c /
 * attachment.c, and only in debug builds: a release build has no message to
 * build, so its refusal is the bare -EBADF (no call, no @caller string at any
 * of the call sites).
 */
#ifdef DMABUF_DEBUG
int dmabuf_buffer_lookup_failed(const struct dmabuf_ctx *ctx, dmabuf_handle_t handle, const char *caller);
int dmabuf_attachment_lookup_failed(const struct dmabuf_ctx *ctx, dmabuf_handle_t handle, const char *caller);
#else
#define dmabuf_buffer_lookup_failed(ctx, handle, caller) ((void)(ctx), (void)(handle), (void)(caller), DMABUF_EBADF)
#define dmabuf_attachment_lookup_failed(ctx, handle, caller) ((void)(ctx), (void)(handle), (void)(caller), DMABUF_EBADF)
#endif
static inline int dmabuf_buffer_lookup(const struct dmabuf_ctx *ctx, dmabuf_handle_t handle, const char *caller,
				       struct dmabuf_buffer **out)
{
	uint32_t slot = dmabuf_handle_slot(handle);
	if (slot < ctx->max_buffers) {
		struct dmabuf_buffer *buf = &ctx->buffers[slot];
		if (buf->refcount > 0 && dmabuf_handle_matches(handle, DMABUF_HANDLE_BUFFER, buf->generation)) {
			*out = buf;
			return 0;
		}
	}
#ifdef DMABUF_DEBUG
	*out = NULL; /* the compiler cannot see that the report returns non-zero */
#endif
	return dmabuf_buffer_lookup_failed(ctx, handle, caller);
}

static inline int dmabuf_attachment_lookup(const struct dmabuf_ctx *ctx, dmabuf_handle_t handle,
					   const char *caller, struct dmabuf_attachment **out)
{
	uint32_t slot = dmabuf_handle_slot(handle);
	if (slot < ctx->max_attachments) {
		struct dmabuf_attachment *att = &ctx->attachments[slot];
		if (att->live && dmabuf_handle_matches(handle, DMABUF_HANDLE_ATTACHMENT, att->generation)) {
			*out = att;
			return 0;
		}
	}
#ifdef DMABUF_DEBUG
	*out = NULL; /* the compiler cannot see that the report returns non-zero */
#endif
	return dmabuf_attachment_lookup_failed(ctx, handle, caller);
}

/* buffer.c */
uint16_t dmabuf_buffer_slot(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf);

/* End @buf's life whatever holds it (dmabuf_reset): every attachment goes,
 * mapped or not, an open CPU access is forgotten, the ownership hook hears
 * the buffer is the CPU's again, and the storage returns to the heap. No
 * cache work: whoever gets the storage next starts with MAY_BE_DIRTY. */
void dmabuf_buffer_drop(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf);

/* attachment.c */
/* Unlink @att from its buffer and free its slot; its handle goes stale. The
 * caller has made sure it is not mapped (detach) or does not care (reset). */
void dmabuf_attachment_release(struct dmabuf_ctx *ctx, struct dmabuf_attachment *att);

/* placement.c: where storage is, and who can reach it. */
enum dmabuf_reach {
	DMABUF_REACH_OK = 0,
	DMABUF_REACH_WINDOW,    /* no window holds the whole padded block */
	DMABUF_REACH_ALIGNMENT  /* dma_addr % align != 0 */
};
#ifdef DMABUF_DEBUG
const char *dmabuf_reach_name(enum dmabuf_reach reach);
#endif
static inline bool dmabuf_buffer_placed(const struct dmabuf_buffer *buf)
{
	return buf->block != DMABUF_SLOT_NONE;
}
static inline uint32_t dmabuf_buffer_region(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf)
{
	return ctx->heap.blocks[buf->block].region;
}
dmabuf_addr_t dmabuf_buffer_dma(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf);
uint32_t dmabuf_buffer_padded(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf);
uint8_t *dmabuf_buffer_cpu(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf);
enum dmabuf_reach dmabuf_device_reach(const struct dmabuf_device_desc *dev, dmabuf_addr_t addr,
				      uint32_t bytes);
/* Segments the device would need for @size bytes (constraint "segments"). */
uint32_t dmabuf_device_segment_bytes(const struct dmabuf_device_desc *dev);
uint32_t dmabuf_device_segment_count(const struct dmabuf_device_desc *dev, uint32_t size);
/* A region suits @buf if every attached device (and @extra_device, if >= 0)
 * reaches any block placed in it. */
bool dmabuf_region_suits(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf,
			 uint32_t region, int extra_device);
/* OK if some region suits; else the constraint of the closest miss
 * (ALIGNMENT if some region fails only on alignment, else WINDOW). */
enum dmabuf_reach dmabuf_best_region_reach(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf,
					   int extra_device);
/* Storage for @buf in the first suitable region (export order). -ENOMEM. */
int dmabuf_place(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf, int extra_device);
/* Deferred storage is placed by the first use that needs bytes: a map or a
 * CPU access (devices attached later may still move it until the first map).
 * *@placed says it was placed by this call, for the caller to unplace if its
 * own next step fails. 0 or the reported -ENOMEM / -EFAULT. Inline test:
 * placed storage (every map and access but the first) costs no call. */
int dmabuf_place_deferred(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf, const char *caller);
static inline int dmabuf_place_for_use(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf, const char *caller,
				       bool *placed)
{
	*placed = false;
	if (dmabuf_buffer_placed(buf))
		return 0;
	int err = dmabuf_place_deferred(ctx, buf, DMABUF_CALLER(caller));
	*placed = err == 0;
	return err;
}
/* Release @buf's storage (it becomes unplaced). */
void dmabuf_unplace(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf);
/* Move never-mapped storage to a region @extra_device and every attached
 * device reach; contents kept. -EFAULT no such region; -ENOMEM; backend errors. */
int dmabuf_migrate(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf, int extra_device);

/* sync.c: the cache hand-over state machine (DOC block there). */
/* The directions are the bit sets 1..3 (FROM_DEVICE | TO_DEVICE = BIDIRECTIONAL). */
static inline bool dmabuf_direction_valid(uint32_t direction)
{
	return direction - DMABUF_TO_DEVICE <= DMABUF_BIDIRECTIONAL - DMABUF_TO_DEVICE;
}
#ifdef DMABUF_DEBUG
/* For messages only, like every *_name function: release builds have none. */
const char *dmabuf_direction_name(uint32_t direction);
#endif
/* The device writes memory (map) / the CPU writes (CPU access). */
static inline bool dmabuf_device_writes(uint32_t direction)
{
	return (direction & DMABUF_FROM_DEVICE) != 0;
}

static inline bool dmabuf_cpu_writes(uint32_t direction)
{
	return (direction & DMABUF_TO_DEVICE) != 0;
}
void dmabuf_sync_placed(struct dmabuf_buffer *buf);
int dmabuf_sync_migrated(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf);
int dmabuf_sync_attach(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf,
		       const struct dmabuf_device_desc *dev);
/* Storage in a cacheable region (the cache hand-overs have work to do). */
static inline bool dmabuf_buffer_cacheable(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf)
{
	return (ctx->board->regions[dmabuf_buffer_region(ctx, buf)].flags & DMABUF_REGION_CACHEABLE) != 0;
}
/* Whether maps of @buf by @dev ever need cache work (rules 1 and 2): only
 * cacheable storage and a device that does not snoop. Fixed once placement
 * is, so map memoises it with the mapping (dmabuf_attachment.cache_work). */
static inline bool dmabuf_sync_map_needs_cache(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf,
					       const struct dmabuf_device_desc *dev)
{
	return !dev->coherent && dmabuf_buffer_cacheable(ctx, buf);
}
/* Rules 1 and 2, inline: a memoised map is a hot path, whose cache work is
 * usually none or one flag; rule 1's invalidate is out of line. */
int dmabuf_sync_map_invalidate(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf);
static inline int dmabuf_sync_map(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf, bool cache_work,
				  enum dmabuf_direction direction)
{
	if (!cache_work || !dmabuf_device_writes(direction))
		return 0;
	if (buf->cache_state & DMABUF_CACHE_MAY_BE_DIRTY) {
		int err = dmabuf_sync_map_invalidate(ctx, buf);
		if (err)
			return err;
	}
	buf->cache_state |= DMABUF_CACHE_MAY_BE_STALE;
	return 0;
}
int dmabuf_sync_begin_cpu(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf, uint32_t offset,
			  uint32_t length);
int dmabuf_sync_end_cpu(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf, enum dmabuf_direction direction,
			uint32_t offset, uint32_t length);

/* ownership.c: strict ownership (dmabuf/ownership.h). A buffer is
 * device-owned while mapped by a device with no CPU access open. */
static inline bool dmabuf_device_owned(const struct dmabuf_buffer *buf)
{
	return buf->mappings && !buf->cpu_direction;
}
/* Tell the ownership hook, if any, that @buf stopped or started being
 * device-owned (@was: before the caller's state change). Inline test: with
 * no hook configured (the usual case) map and CPU access pay no call. A
 * macro, not an inline function: @was is then evaluated only with a hook
 * (gcc -O2 computes an inline function's argument before the test). */
void dmabuf_ownership_notify(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf, bool was);
#define dmabuf_ownership_changed(ctx, buf, was)                    \
	do {                                                        \
		if ((ctx)->ownership)                               \
			dmabuf_ownership_notify((ctx), (buf), (was)); \
	} while (0)

/* resv.c: the implicit sync of map / begin_cpu_access (resv.h) on @buf,
 * for a @write or a read; context lock held, after the caller's handle
 * lookup. @caller names the public function in messages. Without a
 * table (the usual case) it costs one test, inline. With one, if nothing in
 * flight conflicts, 0 without dropping the lock. Otherwise the lock is
 * dropped for the fence wait (which must not hold up the context) and taken
 * again: 1 (waited: the caller's handle may have died meanwhile, so it looks
 * it up again) or the wait's error (-ETIMEDOUT, a failed writer's error).
 * A non-blocking table (dmabuf_resv_set_nonblocking) answers -EAGAIN instead
 * of waiting, without dropping the lock. */
int dmabuf_resv_implicit_sync(struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf, bool write,
			      const char *caller);
static inline int dmabuf_implicit_sync(struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf, bool write,
				       const char *caller)
{
	return ctx->resv ? dmabuf_resv_implicit_sync(ctx, buf, write, DMABUF_CALLER(caller)) : 0;
}
/* The CPU ended a write access (TO_DEVICE / BIDIRECTIONAL) over the whole of
 * @buf: every byte is the CPU's now, so a failed writer's exclusive fence no
 * longer describes them and is dropped (resv.h). Lock held; inline test: no
 * call without a table. */
void dmabuf_resv_cpu_rewrote(struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf);
static inline void dmabuf_cpu_rewrote(struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf)
{
	if (ctx->resv)
		dmabuf_resv_cpu_rewrote(ctx, buf);
}
/* Buffer slot @slot died: drop its fences. Lock held. */
void dmabuf_resv_buffer_released(struct dmabuf_ctx *ctx, uint16_t slot);

/* fence.c: dmabuf_fence_get without the report, for callers that report
 * a bad fence through their own sink (resv.c). */
bool dmabuf_fence_try_get(struct dmabuf_fence_pool *pool, dmabuf_fence_t handle);

/* checker.c: the switchable ownership rules. 0 or -EBUSY (reported). The
 * switch is tested inline: with the checker off, map and begin_cpu_access
 * pay no call. */
int dmabuf_checker_map_rule(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf,
			    const struct dmabuf_attachment *att, enum dmabuf_direction direction);
int dmabuf_checker_begin_cpu_rule(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf);
/* The attachment, not its device description: the description is only
 * needed for the message, and a pointer computed at the call site would be
 * computed (hoisted above the switch) by every memoised map. */
static inline int dmabuf_checker_map(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf,
				     const struct dmabuf_attachment *att, enum dmabuf_direction direction)
{
	return ctx->checker ? dmabuf_checker_map_rule(ctx, buf, att, direction) : 0;
}

static inline int dmabuf_checker_begin_cpu(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf)
{
	return ctx->checker ? dmabuf_checker_begin_cpu_rule(ctx, buf) : 0;
}

/* format.c: a bounded text builder (no stdio in the core). */
struct dmabuf_text {
	char *buf;
	size_t cap;   /* bytes of buf, including the NUL */
	size_t len;   /* bytes the full text needs, excluding the NUL */
};
void dmabuf_text_init(struct dmabuf_text *text, char *buf, size_t cap);
/* printf subset: %s %u %d %x %%, with '-' (left) or '0' (zero pad) and a
 * width (e.g. "%-16s", "%08x"); %u/%x take uint32_t, %d int32_t: cast every
 * argument, the compiler cannot check this format. */
void dmabuf_text_format(struct dmabuf_text *text, const char *fmt, ...);
void dmabuf_text_vformat(struct dmabuf_text *text, const char *fmt, va_list args);

/* report.c: one message per failure in debug builds. DMABUF_FAIL(obj, err,
 * fmt, ...) evaluates to err; @obj is anything that carries its own report /
 * report_user sink: the context, the config (before a context exists), a
 * fence pool, a queue. Messages start with "<function>: <rule>: ". Without
 * DMABUF_DEBUG the message arguments are not even evaluated. ISR-safe if the
 * callback is (a fence signalled from an ISR): the message is built on the
 * stack. */
#ifdef DMABUF_DEBUG
int dmabuf_fail_to(dmabuf_report_fn report, void *user, int err, const char *fmt, ...);
#define DMABUF_FAIL(obj, err, ...) dmabuf_fail_to((obj)->report, (obj)->report_user, (err), __VA_ARGS__)
#else
#define DMABUF_FAIL(obj, err, ...) ((void)(obj), (err))
#endif

#endif /* DMABUF_CORE_INTERNAL_H */
