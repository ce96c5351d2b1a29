/*
 * Fences: one-shot completion signals (dma-fence).
 *
 * DOC: lifecycle
 *
 *   dmabuf_fence_pool_init()        a pool of fences in caller storage
 *   dmabuf_fence_context_alloc()    a timeline id for one producer (a DMA engine)
 *   dmabuf_fence_create(ctx, seq)   -> fence handle, unsignalled, refcount 1
 *   ... hand the fence to waiters (dmabuf_fence_get), to a buffer's
 *       reservation (resv.h), register callbacks ...
 *   dmabuf_fence_signal()           from the DMA-complete interrupt: wakes every
 *                                   waiter, runs every callback, exactly once
 *   dmabuf_fence_put()              the slot returns to the pool at refcount 0
 *
 * A fence is a small generation-checked handle (same shape as buffer handles:
 * type, generation, slot), never a pointer: a handle of a released fence, of
 * another type, or made up, is rejected with -EBADF.
 *
 * Storage: no function allocates. Fences come from a pool carved out of caller
 * storage, sized once (dmabuf_fence_pool_storage_size); exhaustion is -ENOMEM.
 * The pool is separate from the buffer context (dmabuf.h) on purpose: the
 * interrupt side only ever needs the pool, never the context lock.
 *
 * Contexts: everything here except dmabuf_fence_wait and the pool init/deinit
 * is ISR-safe: it takes only dmabuf_irq_lock (os.h), never blocks, never
 * allocates, and costs O(1) plus the callbacks it runs. dmabuf_fence_wait
 * blocks and must be called from a thread.
 *
 * Status of a fence: 0 while pending; 1 once signalled without error; the
 * negative dmabuf_error it was signalled with otherwise.
 *
 * NULL and dead pools, NULL pointers: the rule of dmabuf.h (-EINVAL, one
 * message; not repeated in each @retval below). A fence signalled with
 * -EINVAL then reads like a NULL pool in status and wait.
 */
#ifndef DMABUF_FENCE_H
#define DMABUF_FENCE_H

#include <stddef.h>
#include <stdint.h>

#include "dmabuf.h" /* dmabuf_report_fn */

#ifdef __cplusplus
/* -Wshadow: struct and function of one name (see dmabuf.h). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
extern "C" {
#endif

/* A fence handle; 0 is never valid ("no fence"). KEEP IN SYNC with managed DmaFence.cs. */
typedef int32_t dmabuf_fence_t;

/* Most fences one pool can hold (the slot field of a handle). */
#define DMABUF_FENCE_MAX 4096u

struct dmabuf_fence_pool;

/*
 * Called once, when the fence is signalled, in the signalling context (often
 * an ISR) with dmabuf_irq_lock held: keep it short, do not block, do not wait.
 * It may call the ISR-safe fence functions (the lock nests), including on
 * this fence, and it may signal an event (os.h).
 * @status: 1, or the negative error the fence was signalled with.
 */
typedef void (*dmabuf_fence_func_t)(dmabuf_fence_t fence, int status, void *user);

/*
 * A callback registration, in the caller's memory (no allocation): it must
 * stay valid until the callback has run or has been removed. The members are
 * private to fence.c.
 */
struct dmabuf_fence_cb {
	struct dmabuf_fence_cb *next;
	dmabuf_fence_func_t func;
	void *user;
};

/* ---- pool ---------------------------------------------------------------- */

/* Bytes of storage a pool of @max_fences needs (0 if @max_fences is 0 or
 * above DMABUF_FENCE_MAX). */
size_t dmabuf_fence_pool_storage_size(uint32_t max_fences);

/*
 * Create a pool in caller storage (aligned to 8, at least
 * dmabuf_fence_pool_storage_size(max_fences) bytes). Not ISR-safe.
 * @retval 0 and *out set; -EINVAL null pointer, misaligned storage or
 *         @max_fences out of range; -ENOMEM storage too small.
 */
int dmabuf_fence_pool_init(struct dmabuf_fence_pool **out, void *storage, size_t storage_size,
			   uint32_t max_fences);

/*
 * Tear the pool down. Refused while any fence is alive (each is reported with
 * its context and seqno in debug builds), because a waiter or a callback
 * could still reference it. Not ISR-safe.
 * @retval 0; -EBUSY fences alive, the pool stays usable; -EINVAL NULL or
 *         dead pool (a second deinit).
 */
int dmabuf_fence_pool_deinit(struct dmabuf_fence_pool *pool);

/* Where the pool's failure messages go, in debug builds (NULL = silent);
 * typically the context's dmabuf_config.report. Not ISR-safe. */
void dmabuf_fence_pool_set_report(struct dmabuf_fence_pool *pool, DMABUF_NULLABLE dmabuf_report_fn report,
				  DMABUF_NULLABLE void *user);

/*
 * A pool's wait hook: how a fence wait makes progress where nothing else
 * would signal the fence. The host simulator installs one: its peripherals
 * run on virtual time, which moves only when someone runs it, so a thread
 * blocking on a peripheral's fence would wait forever. The hook runs virtual
 * time until @fence signals, on the waiting thread, so a program is
 * single-threaded and gives the same result every run.
 *
 * Called by dmabuf_fence_wait and dmabuf_fence_wait_hooked (thread context,
 * no lock held, a reference on @fence held for the call) when @fence is
 * pending and @timeout_us is not 0.
 * @retval 0 the fence has signalled (the wait returns its status);
 *         -ETIMEDOUT @timeout_us passed in the hook's time (virtual time for
 *         the simulator) and the fence is still pending;
 *         1 the hook cannot make @fence signal (not one of its fences, or
 *         nothing it runs ever will): the wait blocks as without a hook.
 */
typedef int (*dmabuf_fence_wait_hook_fn)(void *user, struct dmabuf_fence_pool *pool, dmabuf_fence_t fence,
					 uint32_t timeout_us);

/* Install (or, @hook NULL, remove) the pool's wait hook. Not ISR-safe; not
 * while a wait is in progress. */
void dmabuf_fence_pool_set_wait_hook(struct dmabuf_fence_pool *pool, DMABUF_NULLABLE dmabuf_fence_wait_hook_fn hook,
				     DMABUF_NULLABLE void *user);

/*
 * The wait hook's part of a wait, without the blocking part: for a runtime
 * that must not block its native thread in dmabuf_fence_wait. On
 * nanoFramework (interop/nanoFramework/dmabuf_nf_wait.cpp) a DmaFence wait
 * calls this before it parks the managed thread (CLR_E_THREAD_WAITING), and
 * again on each re-entry after a wake, for every fence but those made from C#
 * (the interop's own timeline, signalled by C# or a native thread): a
 * simulated board's hook runs virtual time there, so a nanoCLR with the
 * simulator completes a peripheral's fence on the waiting thread as host
 * .NET does; on a real board no hook is installed, this answers 1 and the
 * thread parks until the fence's wake hook (below) raises its event.
 * Thread context (the hook's), no lock held.
 * @retval what dmabuf_fence_wait returns when the hook completed the wait:
 *         0 signalled, the fence's error, -ETIMEDOUT @timeout_us passed in
 *         the hook's time, -EBADF stale handle; 1 no hook, @fence still
 *         pending with @timeout_us 0, or the hook cannot make @fence signal:
 *         the caller waits its own way; -EINVAL NULL or dead pool.
 */
int dmabuf_fence_wait_hooked(struct dmabuf_fence_pool *pool, dmabuf_fence_t fence, uint32_t timeout_us);

/*
 * A fresh timeline id (never 0, distinct from every earlier one of this
 * pool). Fences of one context are expected to signal in seqno order, as a
 * DMA engine completes jobs in order. ISR-safe. 0 for a NULL or dead pool.
 */
uint32_t dmabuf_fence_context_alloc(struct dmabuf_fence_pool *pool);

/*
 * Install (or with NULL remove) the pool's wake hook (dmabuf.h), called after
 * EVERY signal of one of its fences (dmabuf_fence_signal, _signal_error, and
 * the -EIO signal of an orphaned fence in put), once the status is set and
 * the fence's callbacks have run: in the signalling context (often an ISR),
 * with dmabuf_irq_lock held. It is not told which fence signalled: a woken
 * waiter re-reads the status of what it waits for. One hook per pool, the
 * last call wins. Takes dmabuf_irq_lock, so a signal never sees half a
 * change; not from an ISR.
 */
void dmabuf_fence_pool_set_wake_hook(struct dmabuf_fence_pool *pool, DMABUF_NULLABLE dmabuf_wake_fn hook,
				     DMABUF_NULLABLE void *user);

struct dmabuf_fence_pool_stats {
	uint32_t capacity;  /* max_fences */
	uint32_t in_use;    /* fences alive now */
	uint32_t peak;      /* highest in_use */
	uint32_t failed;    /* creates refused with -ENOMEM */
	uint32_t signalled; /* signals since init, errors included */
};
void dmabuf_fence_pool_stats(struct dmabuf_fence_pool *pool, struct dmabuf_fence_pool_stats *out);

/* Verify the pool's invariants (free list and live fences tile the slots,
 * in_use agrees, callback lists are well formed, only pending fences have
 * callbacks). ISR-safe but O(max_fences). @retval 0 or -EIO. */
int dmabuf_fence_pool_check(struct dmabuf_fence_pool *pool);

/* ---- fences -------------------------------------------------------------- */

/*
 * A new unsignalled fence on timeline @context with sequence number @seqno,
 * refcount 1 (the creator's, normally the signaller's).
 * @retval 0 and *out set; -EINVAL @out NULL or @context 0;
 *         -ENOMEM the pool is exhausted (nothing changes).
 */
int dmabuf_fence_create(struct dmabuf_fence_pool *pool, uint32_t context, uint32_t seqno,
			dmabuf_fence_t *out);

/* Take a reference. @retval 0; -EBADF. */
int dmabuf_fence_get(struct dmabuf_fence_pool *pool, dmabuf_fence_t fence);

/*
 * Drop a reference; at zero the slot returns to the pool and the handle goes
 * stale. put(0) is a no-op returning 0. Releasing a fence that was never
 * signalled while callbacks are registered on it would leave them waiting
 * forever: it signals the fence with -EIO first (and reports it in debug
 * builds), so every callback still runs exactly once.
 * @retval 0; -EBADF.
 */
int dmabuf_fence_put(struct dmabuf_fence_pool *pool, dmabuf_fence_t fence);

/*
 * Signal the fence: status becomes 1, waiters wake, callbacks run (in
 * registration order, in this context, irq lock held). No allocation, no
 * blocking, O(1) + callbacks. The caller must hold a reference.
 * @retval 0; -EBADF; -EPERM already signalled (nothing changes: a fence
 *         completes exactly once).
 */
int dmabuf_fence_signal(struct dmabuf_fence_pool *pool, dmabuf_fence_t fence);

/*
 * Signal the fence as failed: status becomes @error (a negative dmabuf_error,
 * e.g. -EIO when the DMA engine reported a bus error), which is what
 * dmabuf_fence_wait and the callbacks then get. Otherwise as
 * dmabuf_fence_signal.
 * @retval 0; -EBADF; -EINVAL @error not negative, or -EBADF (reserved: status
 *         and wait use it for a bad handle); -EPERM already signalled.
 */
int dmabuf_fence_signal_error(struct dmabuf_fence_pool *pool, dmabuf_fence_t fence, int error);

/* @retval 0 pending; 1 signalled; negative: the error it was signalled with,
 *         or -EBADF for a bad handle. ISR-safe. */
int dmabuf_fence_status(struct dmabuf_fence_pool *pool, dmabuf_fence_t fence);

/*
 * Block until the fence is signalled or @timeout_us passes (0 = poll,
 * UINT32_MAX = forever). Holds a reference for the duration, so a concurrent
 * put cannot free the fence under the waiter. Thread context only (a poll,
 * @timeout_us 0, is ISR-safe); uses one dmabuf_event_t on the waiter's stack.
 * @retval 0 signalled; the fence's error if signalled with one;
 *         -ETIMEDOUT (the fence is untouched and may still signal later);
 *         -EBADF; -ENOMEM the OS port could not create the wait event.
 */
int dmabuf_fence_wait(struct dmabuf_fence_pool *pool, dmabuf_fence_t fence, uint32_t timeout_us);

/*
 * Register @func to run once when the fence signals. The caller keeps a
 * reference (or otherwise knows the fence outlives the registration).
 * @retval 0 registered: @func runs exactly once, at signal;
 *         -EEXIST already signalled: not registered, @func never runs
 *         (read dmabuf_fence_status instead) — the caller learns the outcome
 *         synchronously instead of getting a callback in its own context;
 *         -EBADF; -EINVAL @cb or @func NULL.
 */
int dmabuf_fence_add_callback(struct dmabuf_fence_pool *pool, dmabuf_fence_t fence,
			      struct dmabuf_fence_cb *cb, dmabuf_fence_func_t func, DMABUF_NULLABLE void *user);

/*
 * Unregister @cb. Signal runs callbacks under the irq lock, so when this
 * returns the callback is neither running nor going to run, whatever the
 * outcome: @cb's memory may be reused.
 * @retval 0 removed before it ran; -ENOENT not registered (already ran, or
 *         never added); -EBADF.
 */
int dmabuf_fence_remove_callback(struct dmabuf_fence_pool *pool, dmabuf_fence_t fence,
				 struct dmabuf_fence_cb *cb);

struct dmabuf_fence_info {
	uint32_t context;
	uint32_t seqno;
	uint32_t refcount;
	int32_t status;     /* as dmabuf_fence_status */
	uint32_t callbacks; /* registered and not yet run (waiters included) */
};
/* @retval 0; -EBADF; -EINVAL @out NULL. ISR-safe. */
int dmabuf_fence_get_info(struct dmabuf_fence_pool *pool, dmabuf_fence_t fence,
			  struct dmabuf_fence_info *out);

#ifdef __cplusplus
}
#pragma GCC diagnostic pop
#endif

#endif /* DMABUF_FENCE_H */
