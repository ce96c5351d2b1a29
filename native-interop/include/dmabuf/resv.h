/*
 * Reservations: the fences of each buffer (dma-resv), for implicit sync.
 *
 * DOC: rules
 *
 * Each buffer has one exclusive (writer) fence and up to
 * DMABUF_RESV_MAX_SHARED shared (reader) fences: the completion fences of the
 * DMA jobs that write or read it.
 *
 *   a writer (map FROM_DEVICE / BIDIRECTIONAL, CPU access TO_DEVICE /
 *            BIDIRECTIONAL) waits for the exclusive AND every shared fence;
 *   a reader (map TO_DEVICE, CPU access FROM_DEVICE) waits for the exclusive
 *            fence only.
 *
 * After the caller has waited, it attaches its own job's fence
 * (dmabuf_resv_attach_job): a writer's fence replaces the exclusive fence and
 * clears the shared ones (it is ordered after all of them); a reader's fence
 * joins the shared set.
 *
 * Errors are a property of the bytes: when a writer's job fails (its
 * exclusive fence is signalled with an error, e.g. -EIO), the buffer holds
 * bytes not to be trusted, and every read wait returns that error until
 * the bytes are replaced: by a new writer's fence (a device job), or by the
 * CPU rewriting the whole buffer — a successful dmabuf_end_cpu_access of a
 * TO_DEVICE or BIDIRECTIONAL access over the whole buffer (offset 0, length
 * DMABUF_WHOLE or the size) drops a failed exclusive fence (the CPU declares
 * it wrote every byte; a sub-range write leaves the error). Write waits do
 * not report it (the writer replaces the bytes; a BIDIRECTIONAL access counts
 * as a write), nor a failed reader's error (a read changes no byte). Apart from that, signalled fences
 * are dropped whenever the set is touched: it only holds work in flight.
 *
 * The table is caller storage with one entry per buffer slot of the context
 * (dmabuf_config.max_buffers), so nothing allocates; an entry holds a
 * reference on each of its fences. It is bound to one context (whose lock
 * guards it and whose handle checks it uses) and one fence pool. Once the
 * context knows the table, dmabuf_map and dmabuf_begin_cpu_access wait on it
 * after checking their arguments and before touching the buffer (outside
 * the context lock), unless the buffer
 * opted out with dmabuf_resv_set_implicit_sync(..., false): then the caller
 * syncs explicitly with dmabuf_resv_wait or dmabuf_fence_wait.
 *
 * Failures are reported (debug builds) through the context's config.report.
 *
 * An entry belongs to the buffer handle last used with it: when a slot's
 * buffer dies and the slot is exported again, the first call with the new
 * handle drops what the old buffer left.
 *
 * Contexts: every function takes the context lock (a mutex), so none is
 * ISR-safe; only dmabuf_resv_wait (and the implicit wait, unless the table
 * is non-blocking) blocks on fences, outside that lock. Signalling the fences
 * themselves is ISR-safe (fence.h).
 *
 * NULL and dead tables, NULL pointers: the rule of dmabuf.h (-EINVAL, one
 * message; not repeated in each @retval below). A table whose context or
 * fence pool is dead counts as dead: its lock is gone.
 */
#ifndef DMABUF_RESV_H
#define DMABUF_RESV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dmabuf.h"
#include "fence.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most reader fences a buffer holds at once (one per concurrent reading device). */
#define DMABUF_RESV_MAX_SHARED 4u

struct dmabuf_resv_table;

/* Bytes of storage a table for @max_buffers buffers needs (0 if 0). */
size_t dmabuf_resv_storage_size(uint32_t max_buffers);

/*
 * Create a reservation table in caller storage (aligned to 8, at least
 * dmabuf_resv_storage_size(config.max_buffers) bytes) for the buffers of
 * @ctx, holding fences of @fences. @implicit_timeout_us bounds the implicit
 * waits of map / begin_cpu_access (UINT32_MAX = forever); they then fail
 * with -ETIMEDOUT. One table per context.
 * @retval 0 and *out set; -EINVAL null pointer or misaligned storage;
 *         -ENOMEM storage too small; -EEXIST @ctx already has a table.
 */
int dmabuf_resv_init(struct dmabuf_resv_table **out, void *storage, size_t storage_size,
		     struct dmabuf_ctx *ctx, struct dmabuf_fence_pool *fences, uint32_t implicit_timeout_us);

/* Detach the table from its context and drop every fence reference it holds
 * (the fences live on with their other holders). Call before deinit of the
 * context and of the fence pool. Succeeds unless the table (or its context
 * or pool) is NULL or dead (then: nothing, reported). */
void dmabuf_resv_deinit(struct dmabuf_resv_table *table);

/*
 * Make @fence the exclusive (writer) fence of @buffer; the previous exclusive
 * fence and all shared fences are dropped (the new writer is ordered after
 * them). Takes its own reference on @fence.
 * @retval 0; -EBADF stale buffer or fence handle.
 */
int dmabuf_resv_add_exclusive(struct dmabuf_resv_table *table, dmabuf_handle_t buffer,
			      dmabuf_fence_t fence);

/*
 * Add @fence to the shared (reader) fences of @buffer; takes a reference.
 * Signalled shared fences are dropped first to make room.
 * @retval 0; -EBADF; -EEXIST @fence is already in the set;
 *         -ENOMEM DMABUF_RESV_MAX_SHARED readers still in flight.
 */
int dmabuf_resv_add_shared(struct dmabuf_resv_table *table, dmabuf_handle_t buffer,
			   dmabuf_fence_t fence);

/*
 * The helper for a DMA job: attach its completion @fence according to what
 * the device does to the buffer — @direction as given to dmabuf_map:
 * FROM_DEVICE / BIDIRECTIONAL (the device writes) -> exclusive;
 * TO_DEVICE (the device reads) -> shared.
 * @retval as add_exclusive / add_shared; -EINVAL bad direction.
 */
int dmabuf_resv_attach_job(struct dmabuf_resv_table *table, dmabuf_handle_t buffer,
			   enum dmabuf_direction direction, dmabuf_fence_t fence);

/*
 * Wait until @buffer may be written (@write: exclusive and all shared fences)
 * or read (exclusive fence) by the caller, at most @timeout_us overall
 * (0 = poll, UINT32_MAX = forever). Fence references are taken under the lock
 * and the waits happen outside any lock. Ignores the implicit-sync opt-out
 * (this IS the explicit sync).
 * @retval 0 idle; for a read, the error of a failed exclusive fence (the
 *         writer's DMA failed, the bytes are not to be trusted);
 *         -ETIMEDOUT (nothing changes); -EBADF.
 */
int dmabuf_resv_wait(struct dmabuf_resv_table *table, dmabuf_handle_t buffer, bool write,
		     uint32_t timeout_us);

/* Poll: @retval 1 the access would not wait; 0 it would; -EBADF. */
int dmabuf_resv_test(struct dmabuf_resv_table *table, dmabuf_handle_t buffer, bool write);

/*
 * Switch implicit sync for @buffer (on by default). Off: map and
 * begin_cpu_access no longer wait for its fences; fences are still recorded.
 * @retval 0; -EBADF.
 */
int dmabuf_resv_set_implicit_sync(struct dmabuf_resv_table *table, dmabuf_handle_t buffer, bool on);

/*
 * Make the implicit sync of map / begin_cpu_access non-blocking (@on), for a
 * runtime that cannot block the calling thread (nanoCLR: one native thread
 * runs every managed thread, so a blocking wait would also stop the thread
 * that is to signal). Then, when a fence the access conflicts with is still
 * pending, map and begin_cpu_access return -EAGAIN at once, with nothing
 * changed and nothing reported; the caller waits by its own means (the fence
 * pool's wake hook, fence.h, tells it when any fence signals) and calls
 * again, bounding the total by dmabuf_resv_implicit_timeout. A failed
 * writer's fence is not pending: the access fails with its error as usual.
 * Off (the default) they block as described above. Takes the context lock;
 * not ISR-safe.
 */
void dmabuf_resv_set_nonblocking(struct dmabuf_resv_table *table, bool on);

/* The @implicit_timeout_us the table was made with (UINT32_MAX = forever). */
uint32_t dmabuf_resv_implicit_timeout(const struct dmabuf_resv_table *table);

struct dmabuf_resv_info {
	dmabuf_fence_t exclusive; /* 0 if none in flight */
	uint32_t shared_count;
	dmabuf_fence_t shared[DMABUF_RESV_MAX_SHARED];
	bool implicit_sync;
};
/* The fences in flight on @buffer (and a failed exclusive fence); handles
 * are for inspection, no reference is given. @retval 0; -EBADF; -EINVAL. */
int dmabuf_resv_get_info(struct dmabuf_resv_table *table, dmabuf_handle_t buffer,
			 struct dmabuf_resv_info *out);

/* Fence references the table holds in total (for leak checks); 0 for a NULL
 * or dead table. */
uint32_t dmabuf_resv_fence_count(struct dmabuf_resv_table *table);

#ifdef __cplusplus
}
#endif

#endif /* DMABUF_RESV_H */
