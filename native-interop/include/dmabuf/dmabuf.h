/*
 * DmaBuf public C API: heap, buffers, devices, attachments, mappings, CPU access.
 *
 * DOC: lifecycle (vocabulary of docs/DESIGN.md)
 *
 *   dmabuf_init()                      one context over a board's regions
 *   dmabuf_export(size, name, flags)   -> buffer handle, refcount 1
 *   dmabuf_attach(buffer, device)      -> attachment handle; fails naming the
 *                                         constraint the device cannot meet
 *   dmabuf_map(attachment, direction)  -> segment list; cache hand-over CPU->device
 *     ... the device's DMA runs ...
 *   dmabuf_unmap(attachment, mapping, direction)
 *   dmabuf_begin_cpu_access(buffer, direction, range) -> CPU pointer;
 *                                         cache hand-over device->CPU
 *     ... the CPU reads/writes, only inside this window ...
 *   dmabuf_end_cpu_access(buffer, direction, range)   cache hand-over CPU->device
 *   dmabuf_detach(attachment)
 *   dmabuf_put(buffer)                 storage returns to the heap at refcount 0
 *   dmabuf_deinit()                    reports buffers still alive, by name
 *   dmabuf_reset()                     soft reboot: drops whatever is left,
 *                                         reporting it, and keeps the context
 *
 * Threading: every function takes the context lock (see os.h); none may be
 * called from an ISR (fences are the ISR-safe part, fence.h). No function
 * allocates from a system heap: the context lives in caller storage.
 *
 * Errors: negative dmabuf_error values (errors.h). A failing call changes
 * nothing. In debug builds (DMABUF_DEBUG) each failure also reports one
 * message naming the broken rule through dmabuf_config.report, formatted
 * "<function>: <rule>: <details>". Functions that do cache work (attach, map,
 * begin/end_cpu_access) also pass on a negative error of the cache backend.
 *
 * The cache hand-over rules (when exactly which lines are cleaned or
 * invalidated) are documented in native-interop/core/sync.c.
 *
 * DOC: NULL and dead objects (one rule for every function declared in
 * include/dmabuf/, except the OS port of os.h, which only the core calls,
 * and the Cortex-M7 MPU backend of ownership.h, whose state is the
 * firmware's own static data)
 *
 * There are four object kinds, each made by its init and ended by its
 * deinit: the context (dmabuf_init), the fence pool, the reservation table
 * and the frame queue. An object is live from a successful init until its
 * successful deinit; storage that never held one, or held one that was
 * deinitialised, is dead. Every function:
 *   - refuses a NULL or dead object, and a NULL pointer parameter that is not
 *     marked DMABUF_NULLABLE, before it touches anything else (no lock is
 *     taken: a dead object's lock is destroyed), so a second deinit is
 *     refused too;
 *   - reports one debug message naming the argument, "<function>: <argument>:
 *     NULL" or "...: not live ...": through the object's own sink for a NULL
 *     pointer next to a live object, otherwise (a NULL or dead object, a NULL
 *     argument of an init that has no live object yet) through the fallback
 *     sink below;
 *   - then answers by its return type: int -EINVAL; void nothing (no-op);
 *     uint32_t / size_t 0 (never a valid id, count or size there); a pointer
 *     NULL; a struct returned by value all zero (dmabuf_mapping_range).
 * Caller-owned descriptors are not objects: a frame (frame.h), a peripheral
 * registry and a peripheral (peripheral.h) have no init or deinit, so there
 * is nothing dead to recognise; the rule refuses them NULL only. A NULL
 * descriptor is reported through the fallback sink, a NULL pointer next to
 * a registry or peripheral through that one's own sink (its report member).
 * Two exceptions, because they have no sink to report to: the board lookups
 * of board.h answer a NULL name with NULL ("no such board"), and static
 * inline helpers (dmabuf_mapping_segment) do nothing; neither reports.
 * A dead object is recognised by a word its deinit clears, as long as the
 * caller has not reused its storage: use after deinit is detected, use after
 * free is not. The rule is checked for every prototype of these headers by
 * tests/native/rule (generated from the headers, ASan stage).
 */
#ifndef DMABUF_DMABUF_H
#define DMABUF_DMABUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "cache.h"
#include "errors.h"
#include "ownership.h"

#ifdef __cplusplus
/* C gives a struct and the function that fills it one name (struct
 * dmabuf_heap_stats, dmabuf_heap_stats()); C++'s -Wshadow calls that hiding
 * the struct's constructor, and nf-interpreter compiles its C++ (the interop
 * stubs include these headers) with -Wshadow -Werror. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
extern "C" {
#endif

/*
 * A handle: a small positive integer standing for a buffer or an attachment
 * (the fd of dma-buf). It encodes a type, a slot and a generation, so a handle
 * of a freed object, of another type, or made up, is rejected with -EBADF.
 * 0 and negative values are never valid handles. The generation has 12 bits:
 * a handle kept across 4095 reuses of its slot could match again (free slots
 * are reused oldest first to push that far out). Encoding: core/handle.h.
 */
typedef int32_t dmabuf_handle_t;

/* Direction of a hand-over. KEEP IN SYNC with managed DmaDirection.cs. */
enum dmabuf_direction {
	DMABUF_TO_DEVICE = 1,     /* CPU wrote, device reads: clean */
	DMABUF_FROM_DEVICE = 2,   /* device writes, CPU reads: invalidate */
	DMABUF_BIDIRECTIONAL = 3  /* both */
};

/* Export flags. KEEP IN SYNC with managed DmaBufferFlags.cs. */
#define DMABUF_EXPORT_PREFER_UNCACHED 0x1u   /* place in an uncached region if one fits */
#define DMABUF_EXPORT_DEFER_PLACEMENT 0x2u   /* choose the region at first map, from the attached devices */

/* "to the end of the buffer" as a CPU access length. */
#define DMABUF_WHOLE 0xFFFFFFFFu

/* Marks a pointer parameter that may be NULL (see "NULL and dead objects"). */
#ifndef DMABUF_NULLABLE
#define DMABUF_NULLABLE
#endif

struct dmabuf_ctx;

/* Receives one message per failure / checker violation / leak, in debug builds. */
typedef void (*dmabuf_report_fn)(void *user, const char *message);

/*
 * "Something a waiter may want happened": a fence signalled (fence.h), a
 * frame came back to a queue (queue.h). For runtimes that cannot block a
 * thread in a wait (nanoCLR runs every managed thread on one native thread):
 * the hook raises the runtime's own event, and the woken waiter re-checks
 * with a non-blocking call. Runs in the context that made the change (often
 * an ISR) with dmabuf_irq_lock held: it must not block, allocate or call the
 * object that called it.
 */
typedef void (*dmabuf_wake_fn)(void *user);

/*
 * The fallback sink: receives the messages of refusals that have no live
 * object to report through (a NULL or dead object, a NULL argument of an
 * init that has no live object yet). Process-wide, NULL (silent) until set; set it once at start-up,
 * before other calls. May be called from an ISR (a fence function given a
 * NULL pool) and with the caller's locks held. Release builds keep nothing.
 */
void dmabuf_set_fallback_report(DMABUF_NULLABLE dmabuf_report_fn report, DMABUF_NULLABLE void *user);

/*
 * @board: regions and devices (boards/ or a test's own).
 * @region_memory: the CPU address of each board region, board->region_count
 *         entries (on hardware (void *)bus_base; in the host simulator, the
 *         simulated CPU view).
 * @cache, @cache_priv: the cache backend for cacheable regions.
 * @max_buffers, @max_attachments: pool sizes carved from the context storage.
 * @checker: start with the misuse checker on (dmabuf_set_checker switches it).
 * @report, @report_user: receives the debug messages; called with the
 *         context lock held, so it must not call back into dmabuf_*.
 *
 * Limits: 1..16384 buffers, 0..16384 attachments, 1..64 regions; each
 * region_memory entry must be aligned to its region's cache line (the cache
 * backend is handed these CPU addresses); every device's max_segment_bytes
 * must be >= its align.
 */
struct dmabuf_config {
	const struct dmabuf_board *board;
	void *const *region_memory;
	const struct dmabuf_cache_ops *cache;
	void *cache_priv;
	/* Optional strict ownership (ownership.h): told when a buffer passes to
	 * the devices and back. NULL = off. */
	const struct dmabuf_ownership_ops *ownership;
	void *ownership_priv;
	uint32_t max_buffers;
	uint32_t max_attachments;
	bool checker;
	dmabuf_report_fn report;
	void *report_user;
};

/* Bytes of storage dmabuf_init needs for @config (0 if @config is invalid). */
size_t dmabuf_storage_size(const struct dmabuf_config *config);

/*
 * Create a context in caller storage (aligned to 8, at least
 * dmabuf_storage_size(config) bytes). Checks the board (lines powers of two,
 * regions aligned and non-overlapping, devices with at least one window).
 * @retval 0 and *out set; -EINVAL bad config or board; -ENOMEM storage too small.
 */
int dmabuf_init(struct dmabuf_ctx **out, void *storage, size_t storage_size,
		const struct dmabuf_config *config);

/*
 * Tear down. Every buffer still alive is reported by name.
 * @retval 0, or -EBUSY with the context left usable if buffers are alive;
 *         -EINVAL NULL or dead context (a second deinit).
 */
int dmabuf_deinit(struct dmabuf_ctx *ctx);

/*
 * Soft reboot (nanoFramework restarts the CLR without a power cycle, and
 * every managed owner dies undisposed): bring the context back to the state
 * dmabuf_init left it in. Every live buffer is reported by name as by
 * dmabuf_deinit; then every mapping, CPU access, attachment and buffer is
 * dropped, the ownership hook hears each device-owned buffer is the CPU's
 * again, the reservation table (if bound) lets go of their fences, and all
 * storage returns to the heap. No cache work is done: whoever gets the
 * storage next starts from "may be dirty" as after any free. Every handle
 * from before stays stale. The heap and cache statistics restart from zero;
 * the checker setting, the lock and a bound reservation table are kept.
 * The caller must have stopped every DMA transfer on the context's memory
 * first: a device still running would write into storage handed out again.
 * @retval the number of buffers that were alive (0: nothing was left);
 *         -EINVAL @ctx NULL or dead.
 */
int dmabuf_reset(struct dmabuf_ctx *ctx);

/* Switch the misuse checker (ownership rules between CPU and devices).
 * Handle, range and reachability checks are always on. */
void dmabuf_set_checker(struct dmabuf_ctx *ctx, bool on);

/* ---- devices ---------------------------------------------------------- */

/* Index of the board device called @name, or -ENOENT (-EINVAL if NULL). */
int dmabuf_device_find(const struct dmabuf_ctx *ctx, const char *name);

/* ---- buffers (exporter side) ------------------------------------------ */

/*
 * Export a buffer of @size bytes (size is invariant for life; storage is
 * rounded up to whole cache lines). @name is copied (truncated to
 * DMABUF_NAME_MAX - 1 chars; NULL = ""). Without DEFER_PLACEMENT the storage
 * is placed now, in the first region that fits (uncached ones first with
 * PREFER_UNCACHED). With DEFER_PLACEMENT it is placed by the first map or the
 * first CPU access, in a region every attached device reaches (-ENOMEM at
 * once if no region could ever hold @size).
 * @retval 0 and *out set; -EINVAL size 0 or bad flags/pointers;
 *         -ENOMEM no storage or no free buffer slot.
 */
#define DMABUF_NAME_MAX 16
int dmabuf_export(struct dmabuf_ctx *ctx, uint32_t size, DMABUF_NULLABLE const char *name,
		  uint32_t flags, dmabuf_handle_t *out);

/* Take a reference. @retval 0; -EBADF. */
int dmabuf_get(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer);

/* Drop a reference; at zero the storage returns to the heap and the handle
 * goes stale. Refused (-EBUSY) while attachments or a CPU access exist on the
 * last reference. put(0) is a no-op returning 0. @retval 0; -EBADF; -EBUSY. */
int dmabuf_put(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer);

/*
 * The cache facts the hand-over rules decide on (core/sync.c), as
 * dmabuf_info.cache_state bits. Always 0 while the storage is unplaced or in
 * an uncached region (there the rules have nothing to do). KEEP IN SYNC with
 * managed DmaCacheState.cs.
 */
#define DMABUF_CACHE_MAY_BE_DIRTY 0x1u   /* the CPU cache may hold dirty lines of the buffer
					   * (fresh storage: a previous owner's or startup
					   * code's) */
#define DMABUF_CACHE_MAY_BE_STALE 0x2u   /* a non-coherent device may have written memory
					   * since the CPU last invalidated: the next CPU
					   * access invalidates its range */
#define DMABUF_CACHE_CLEAN_DEFERRED 0x4u /* a clean is owed: the CPU wrote while only coherent
					   * devices were attached; the next non-coherent
					   * attach (or a stale CPU access) pays it */

/* State of a buffer, for tools and the managed layer. */
struct dmabuf_info {
	char name[DMABUF_NAME_MAX];
	uint32_t size;            /* as exported */
	int32_t region;           /* region index, -1 while unplaced */
	dmabuf_addr_t dma_addr;   /* 0 while unplaced */
	uint32_t refcount;
	uint32_t attachments;
	uint32_t device_mappings; /* attachments currently mapped */
	uint8_t cpu_access;       /* open CPU access direction, 0 if none */
	bool ever_mapped;         /* placement is final */
	uint8_t cache_state;      /* DMABUF_CACHE_* bits */
};
int dmabuf_get_info(const struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, struct dmabuf_info *out);

/* Text listing of every live buffer like dma-buf's debugfs bufinfo (name,
 * size, region, dma address, references, attachments, mappings, CPU access,
 * state: unplaced / movable / fixed, plus cache flags dirty / stale /
 * clean-owed); writes at most @len bytes including the NUL.
 * @retval bytes that the full text needs (excluding NUL), like snprintf;
 *         -EINVAL @ctx NULL, or @text NULL with @len > 0. */
int dmabuf_bufinfo(const struct dmabuf_ctx *ctx, char *text, size_t len);

/* ---- attachments and mappings ------------------------------------------ */

/*
 * Attach @device to @buffer. If the current storage is out of the device's
 * reach and the buffer was never mapped, the storage is moved (contents kept)
 * to a region every attached device reaches. A buffer that is not placed yet
 * only needs some region every attached device would reach.
 * @retval 0 and *out set; -EBADF; -EINVAL no such device;
 *         -EEXIST @device is already attached to @buffer;
 *         -EFAULT the device cannot reach any storage that would do (the
 *         debug message names the constraint: window, alignment, segments);
 *         -EBUSY the storage would have to move while a CPU access is open;
 *         -ENOMEM no attachment slot / no storage to move to.
 */
int dmabuf_attach(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, int device, dmabuf_handle_t *out);

/* Detach. @retval 0; -EBADF (also on double detach); -EBUSY while mapped. */
int dmabuf_detach(struct dmabuf_ctx *ctx, dmabuf_handle_t attachment);

/*
 * The segment list a device programs: one physically contiguous block split
 * into @segment_count pieces of @segment_bytes (the last may be shorter).
 * Memoised per attachment: the second map computes and allocates nothing.
 */
struct dmabuf_mapping {
	dmabuf_addr_t dma_addr;
	uint32_t length;
	uint32_t segment_bytes;
	uint32_t segment_count;
	uint32_t direction;
};

/* Segment @index of @m (index < segment_count). */
static inline void dmabuf_mapping_segment(const struct dmabuf_mapping *m, uint32_t index,
					  dmabuf_addr_t *addr, uint32_t *length)
{
	if (!m || !addr || !length)
		return;
	uint32_t offset = index * m->segment_bytes;
	*addr = m->dma_addr + offset;
	*length = (m->length - offset < m->segment_bytes) ? m->length - offset : m->segment_bytes;
}

/*
 * Map for the device's DMA in @direction; does the CPU->device cache hand-over.
 * Places deferred storage first; from the first map on, placement is final.
 * @retval 0 and *out filled; -EBADF; -EINVAL direction or NULL @out;
 *         -EEXIST already mapped;
 *         -EBUSY the CPU holds an access that conflicts (checker rule
 *         "cpu-owns"): one that writes (TO_DEVICE / BIDIRECTIONAL), whatever
 *         @direction is, or any access if the device writes (FROM_DEVICE /
 *         BIDIRECTIONAL: the CPU's window would keep showing old lines);
 *         -ENOMEM no room to place deferred storage.
 * Arguments are checked before the implicit wait of a bound reservation
 * table (resv.h), so a bad one fails at once, never with -ETIMEDOUT.
 */
int dmabuf_map(struct dmabuf_ctx *ctx, dmabuf_handle_t attachment, enum dmabuf_direction direction,
	       struct dmabuf_mapping *out);

/* Unmap the mapping @m returned by dmabuf_map, with the same @direction.
 * @retval 0; -EBADF; -EPERM not mapped / other mapping / other direction. */
int dmabuf_unmap(struct dmabuf_ctx *ctx, dmabuf_handle_t attachment, const struct dmabuf_mapping *m,
		 enum dmabuf_direction direction);

/* ---- CPU access --------------------------------------------------------- */

/*
 * Open the CPU window on [offset, offset + length) (length DMABUF_WHOLE = to
 * the end); does the device->CPU hand-over for @direction. *cpu points at
 * byte @offset and is valid only until dmabuf_end_cpu_access. Places deferred
 * storage (devices attached later may still move it until the first map).
 * The CPU may write only in TO_DEVICE / BIDIRECTIONAL accesses.
 * @retval 0; -EBADF; -EINVAL bad direction, length 0, NULL @cpu;
 *         -ERANGE range outside the buffer or overflow;
 *         -EBUSY an access is already open, or a device holds a mapping that
 *         writes (checker); -ENOMEM no room to place deferred storage.
 * Arguments (direction, range, @cpu) are checked before the implicit wait of
 * a bound reservation table (resv.h): a bad range on a busy buffer is
 * -ERANGE / -EINVAL at once, never -ETIMEDOUT after the timeout.
 */
int dmabuf_begin_cpu_access(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer,
			    enum dmabuf_direction direction, uint32_t offset, uint32_t length, void **cpu);

/* Close the window opened with the same direction and range (DMABUF_WHOLE
 * and the explicit length to the end name the same range); does the
 * CPU->device hand-over (clean of the range if the CPU wrote). On failure the
 * access stays open. Ending a TO_DEVICE / BIDIRECTIONAL access over the whole
 * buffer also clears a failed writer's error from a bound reservation table
 * (resv.h): the CPU rewrote every byte, so reads no longer fail with it.
 * @retval 0; -EBADF; -EINVAL bad direction or length 0; -ERANGE range
 *         outside the buffer (both checked first, whether or not an access
 *         is open); -EPERM no such open access (none, or another
 *         range/direction). */
int dmabuf_end_cpu_access(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer,
			  enum dmabuf_direction direction, uint32_t offset, uint32_t length);

/*
 * The CPU address of buffer bytes [offset, offset + length) while the open
 * CPU access covers them (length 0 allowed at any offset inside it). For
 * callers that cannot keep the pointer begin_cpu_access returned, such as the
 * nanoFramework stubs, which store integers only: the core, not the caller,
 * decides that the window is still open. Valid until dmabuf_end_cpu_access.
 * @retval 0 and *cpu set; -EBADF; -EINVAL null pointer; -EPERM no access
 *         open, or the range is not inside it (overflow included).
 */
int dmabuf_cpu_pointer(struct dmabuf_ctx *ctx, dmabuf_handle_t buffer, uint32_t offset, uint32_t length,
		       void **cpu);

/* ---- diagnostics --------------------------------------------------------- */

/* Byte counts are 32-bit (regions live in a 32-bit bus space); event
 * counters are 64-bit, so they never wrap in a device's life. */
struct dmabuf_heap_stats {
	uint32_t capacity;       /* bytes in all regions */
	uint32_t in_use;         /* bytes in allocated blocks (line-padded) */
	uint32_t peak;           /* highest in_use */
	uint64_t failed;         /* allocations refused for lack of storage */
	uint32_t largest_free;   /* largest free block (an allocation of up to this
				  * size may still miss it: the O(1) search skips
				  * blocks behind the head of the request's own
				  * size class) */
	uint32_t live_buffers;
	uint32_t live_attachments;
};
void dmabuf_heap_stats(const struct dmabuf_ctx *ctx, struct dmabuf_heap_stats *out);

/* Cache work the core asked of the backend since init (or the last reset).
 * 64-bit: 4,800 lines a frame at 30 frames a second would wrap a 32-bit
 * counter in about 8 hours. */
struct dmabuf_cache_stats {
	uint64_t lines_cleaned;
	uint64_t lines_invalidated;
	uint64_t whole_cache_ops;
};
void dmabuf_cache_stats(const struct dmabuf_ctx *ctx, struct dmabuf_cache_stats *out);
void dmabuf_cache_stats_reset(struct dmabuf_ctx *ctx);

/* For layers built on this API (frames/, frame.h): report one failure of
 * @function through the context's report sink, exactly as the core reports
 * its own ("<function>: <rule>: <details>", @fmt giving "<rule>: <details>";
 * conversions %s %u %d %x). Debug builds only; otherwise nothing is
 * reported. @retval @err, so callers can `return dmabuf_report_failure(...)`;
 * -EINVAL (the rule "NULL and dead objects") for a NULL or dead @ctx, a NULL
 * @function or @fmt. */
int dmabuf_report_failure(struct dmabuf_ctx *ctx, int err, const char *function, const char *fmt, ...);

/* For the same layers: the check of the rule "NULL and dead objects" on
 * @ctx, as the core's own functions start. @retval 0 @ctx is live; -EINVAL
 * @ctx NULL or dead (reported through the fallback sink as "<function>: ctx:
 * ..."), @function NULL (reported through @ctx's sink). */
int dmabuf_require_live(const struct dmabuf_ctx *ctx, const char *function);

/* Verify every internal invariant (heap blocks tile the regions, free lists
 * consistent, refcounts and attachment counts agree). A diagnostic: walks
 * everything, not bounded in time. @retval 0 or -EIO (the debug message
 * names the broken invariant); -EINVAL @ctx NULL; -ENOTSUP in a build that
 * left the walker out (DMABUF_INVARIANT_CHECK=0, docs/SIZE.md). */
int dmabuf_check(const struct dmabuf_ctx *ctx);

#ifdef __cplusplus
}
#pragma GCC diagnostic pop
#endif

#endif /* DMABUF_DMABUF_H */
