/*
 * Fences: a pool of one-shot completion signals (contract: fence.h).
 *
 * Everything a signaller touches is guarded by dmabuf_irq_lock alone, so an
 * interrupt handler can signal: no mutex, no allocation, no wait. Callbacks
 * run with that lock held; this is what lets a waiter that timed out know,
 * once it holds the lock, that its callback is either still registered (it
 * removes it) or has completely finished (it may destroy its event).
 *
 * A waiter is a callback whose job is to signal an event that lives on the
 * waiter's stack: one event per waiter, so any number of threads can wait on
 * one fence and a fence costs no OS object at all.
 *
 * Handles use the core's encoding (handle.h, type DMABUF_HANDLE_FENCE) and
 * slots its FIFO pool, so a released slot is reused as late as possible.
 */
#include <string.h>

#include "dmabuf/fence.h"
#include "internal.h"

struct fence {
	uint32_t refcount;  /* 0: the slot is free */
	uint32_t context;
	uint32_t seqno;
	int32_t status;     /* 0 pending, 1 signalled, < 0 signalled with that error */
	struct dmabuf_fence_cb *callbacks;   /* registration order */
	struct dmabuf_fence_cb *callbacks_tail;
	uint16_t generation;
	uint16_t pool_link;
};

struct dmabuf_fence_pool {
	uint32_t magic; /* DMABUF_MAGIC_FENCE_POOL while live (internal.h) */
	struct dmabuf_slot_pool free_slots;
	uint32_t capacity;
	uint32_t in_use;
	uint32_t peak;
	uint32_t failed;
	uint32_t signalled;
	uint32_t next_context;
	dmabuf_report_fn report;
	void *report_user;
	dmabuf_wake_fn wake_hook;
	void *wake_hook_user;
	dmabuf_fence_wait_hook_fn wait_hook;
	void *wait_hook_user;
	struct fence fences[];
};

_Static_assert(DMABUF_FENCE_MAX < DMABUF_SLOT_NONE, "fence slots are 16-bit pool links");
_Static_assert(_Alignof(struct dmabuf_fence_pool) <= 8, "storage is promised 8-byte alignment only");

static dmabuf_fence_t fence_handle(const struct dmabuf_fence_pool *pool, const struct fence *fence)
{
	return dmabuf_handle_encode(DMABUF_HANDLE_FENCE, fence->generation, (uint32_t)(fence - pool->fences));
}

/*
 * The live fence @handle names, or NULL with *@fault saying why.
 * Caller holds the irq lock. This is on the signal path: a handle is valid
 * iff it is exactly the one the slot would mint now, a single comparison;
 * the full decode runs only to name what is wrong with a bad one.
 */
static struct fence *lookup(struct dmabuf_fence_pool *pool, dmabuf_fence_t handle,
			    enum dmabuf_handle_fault *fault)
{
	uint32_t slot = (uint32_t)handle & 0xFFFFu; /* the slot bits (handle.h) */
	if (handle > 0 && slot < pool->capacity) {
		struct fence *fence = &pool->fences[slot];
		if (fence->refcount && fence_handle(pool, fence) == handle) {
			*fault = DMABUF_HANDLE_OK; /* callers read it only on NULL; keeps -O3 from guessing */
			return fence;
		}
	}
	uint16_t generation;
	*fault = dmabuf_handle_decode(handle, DMABUF_HANDLE_FENCE, pool->capacity, &slot, &generation);
	if (*fault == DMABUF_HANDLE_OK)
		*fault = DMABUF_HANDLE_STALE;
	return NULL;
}

static int bad_handle(const struct dmabuf_fence_pool *pool, const char *caller, dmabuf_fence_t handle,
		      enum dmabuf_handle_fault fault)
{
	(void)caller;
	(void)handle;
	(void)fault;
	return DMABUF_FAIL(pool, DMABUF_EBADF, "%s: handle: 0x%x is %s, not a live fence", caller,
			   (uint32_t)handle, dmabuf_handle_fault_name(fault));
}

size_t dmabuf_fence_pool_storage_size(uint32_t max_fences)
{
	if (max_fences == 0 || max_fences > DMABUF_FENCE_MAX)
		return 0;
	return sizeof(struct dmabuf_fence_pool) + (size_t)max_fences * sizeof(struct fence);
}

int dmabuf_fence_pool_init(struct dmabuf_fence_pool **out, void *storage, size_t storage_size,
			   uint32_t max_fences)
{
	if (!out || !storage)
		return DMABUF_REFUSE_OBJECT(NULL, "dmabuf_fence_pool_init", !out ? "out" : "storage");
	/* No pool yet, hence no report sink: these failures are only returned. */
	if ((uintptr_t)storage % 8 != 0)
		return DMABUF_EINVAL;
	size_t need = dmabuf_fence_pool_storage_size(max_fences);
	if (need == 0)
		return DMABUF_EINVAL;
	if (storage_size < need)
		return DMABUF_ENOMEM;

	struct dmabuf_fence_pool *pool = storage;
	memset(pool, 0, need);
	pool->capacity = max_fences;
	pool->next_context = 1;
	for (uint32_t i = 0; i < max_fences; i++)
		pool->fences[i].generation = 1;
	dmabuf_slot_pool_init(&pool->free_slots, pool->fences, sizeof(struct fence),
			      offsetof(struct fence, pool_link), max_fences);
	pool->magic = DMABUF_MAGIC_FENCE_POOL;
	*out = pool;
	return 0;
}

int dmabuf_fence_pool_deinit(struct dmabuf_fence_pool *pool)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL))
		return DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_pool_deinit", "pool");
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	uint32_t alive = pool->in_use;
	if (alive == 0) {
		pool->magic = 0;
		pool->capacity = 0; /* a call already past its entry check finds no fence */
	}
	dmabuf_irq_unlock(key);
	if (alive == 0)
		return 0;
#ifdef DMABUF_DEBUG
	for (uint32_t i = 0; i < pool->capacity; i++) {
		const struct fence *fence = &pool->fences[i];
		if (fence->refcount)
			DMABUF_FAIL(pool, 0, "dmabuf_fence_pool_deinit: leak: fence context %u seqno %u still has %u references",
				    fence->context, fence->seqno, fence->refcount);
	}
#endif
	return DMABUF_EBUSY;
}

void dmabuf_fence_pool_set_report(struct dmabuf_fence_pool *pool, dmabuf_report_fn report, void *user)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL)) {
		(void)DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_pool_set_report", "pool");
		return;
	}
	pool->report = report;
	pool->report_user = user;
}

void dmabuf_fence_pool_set_wake_hook(struct dmabuf_fence_pool *pool, dmabuf_wake_fn hook, void *user)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL)) {
		(void)DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_pool_set_wake_hook", "pool");
		return;
	}
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	pool->wake_hook = hook;
	pool->wake_hook_user = user;
	dmabuf_irq_unlock(key);
}

void dmabuf_fence_pool_set_wait_hook(struct dmabuf_fence_pool *pool, dmabuf_fence_wait_hook_fn hook, void *user)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL)) {
		(void)DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_pool_set_wait_hook", "pool");
		return;
	}
	pool->wait_hook = hook;
	pool->wait_hook_user = user;
}

uint32_t dmabuf_fence_context_alloc(struct dmabuf_fence_pool *pool)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL))
		return (void)DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_context_alloc", "pool"), 0;
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	uint32_t context = pool->next_context++;
	if (pool->next_context == 0)
		pool->next_context = 1; /* 0 means "no context" to create */
	dmabuf_irq_unlock(key);
	return context;
}

void dmabuf_fence_pool_stats(struct dmabuf_fence_pool *pool, struct dmabuf_fence_pool_stats *out)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL)) {
		(void)DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_pool_stats", "pool");
		return;
	}
	if (!out) {
		(void)DMABUF_FAIL(pool, DMABUF_EINVAL, "dmabuf_fence_pool_stats: out: NULL");
		return;
	}
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	out->capacity = pool->capacity;
	out->in_use = pool->in_use;
	out->peak = pool->peak;
	out->failed = pool->failed;
	out->signalled = pool->signalled;
	dmabuf_irq_unlock(key);
}

static bool callbacks_well_formed(const struct fence *fence)
{
	const struct dmabuf_fence_cb *last = NULL;
	uint32_t steps = 0;
	for (const struct dmabuf_fence_cb *cb = fence->callbacks; cb; cb = cb->next) {
		/* A cb registered twice makes a cycle: bound the walk. */
		if (++steps > 100000u || !cb->func)
			return false;
		last = cb;
	}
	return last == fence->callbacks_tail && (!last || fence->status == 0);
}

int dmabuf_fence_pool_check(struct dmabuf_fence_pool *pool)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL))
		return DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_pool_check", "pool");
	bool ok = true;
	uint32_t free_count = 0, live = 0;
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	for (uint16_t slot = pool->free_slots.head; ok && slot != DMABUF_SLOT_NONE;
	     slot = dmabuf_slot_pool_next(&pool->free_slots, slot))
		ok = slot < pool->capacity && !pool->fences[slot].refcount && ++free_count <= pool->capacity;
	for (uint32_t i = 0; ok && i < pool->capacity; i++) {
		const struct fence *fence = &pool->fences[i];
		if (!fence->refcount)
			continue;
		live++;
		ok = callbacks_well_formed(fence) && fence->context != 0 && fence->generation != 0;
	}
	ok = ok && live == pool->in_use && live + free_count == pool->capacity && pool->peak >= pool->in_use;
	dmabuf_irq_unlock(key);
	return ok ? 0 : DMABUF_FAIL(pool, DMABUF_EIO,
				    "dmabuf_fence_pool_check: invariant: slots, counts or callback lists inconsistent");
}

int dmabuf_fence_create(struct dmabuf_fence_pool *pool, uint32_t context, uint32_t seqno,
			dmabuf_fence_t *out)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL))
		return DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_create", "pool");
	if (!out)
		return DMABUF_FAIL(pool, DMABUF_EINVAL, "dmabuf_fence_create: out: NULL");
	if (context == 0)
		return DMABUF_FAIL(pool, DMABUF_EINVAL,
				   "dmabuf_fence_create: context: 0 (use dmabuf_fence_context_alloc)");
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	uint16_t slot = dmabuf_slot_pool_take(&pool->free_slots);
	if (slot == DMABUF_SLOT_NONE) {
		pool->failed++;
		dmabuf_irq_unlock(key);
		return DMABUF_FAIL(pool, DMABUF_ENOMEM, "dmabuf_fence_create: pool: all %u fences in use",
				   pool->capacity);
	}
	struct fence *fence = &pool->fences[slot];
	fence->refcount = 1;
	fence->context = context;
	fence->seqno = seqno;
	fence->status = 0;
	fence->callbacks = NULL;
	fence->callbacks_tail = NULL;
	if (++pool->in_use > pool->peak)
		pool->peak = pool->in_use;
	*out = fence_handle(pool, fence);
	dmabuf_irq_unlock(key);
	return 0;
}

/* Take a reference on @handle; on a bad handle report nothing, say why. */
static bool try_get(struct dmabuf_fence_pool *pool, dmabuf_fence_t handle, enum dmabuf_handle_fault *fault)
{
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	struct fence *fence = lookup(pool, handle, fault);
	if (fence)
		fence->refcount++;
	dmabuf_irq_unlock(key);
	return fence != NULL;
}

bool dmabuf_fence_try_get(struct dmabuf_fence_pool *pool, dmabuf_fence_t handle)
{
	enum dmabuf_handle_fault fault;
	return try_get(pool, handle, &fault);
}

int dmabuf_fence_get(struct dmabuf_fence_pool *pool, dmabuf_fence_t handle)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL))
		return DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_get", "pool");
	enum dmabuf_handle_fault fault;
	return try_get(pool, handle, &fault) ? 0 : bad_handle(pool, "dmabuf_fence_get", handle, fault);
}

/*
 * Mark signalled and run the callbacks. Irq lock held. The list is detached
 * first and the fence is not touched once a callback ran, because a callback
 * may drop the last reference (or add or remove a callback: both see the
 * fence signalled and do nothing).
 */
static void signal_locked(struct dmabuf_fence_pool *pool, struct fence *fence, dmabuf_fence_t handle,
			  int status)
{
	struct dmabuf_fence_cb *cb = fence->callbacks;
	fence->status = status;
	fence->callbacks = NULL;
	fence->callbacks_tail = NULL;
	pool->signalled++;
	while (cb) {
		struct dmabuf_fence_cb *next = cb->next;
		cb->next = NULL;
		cb->func(handle, status, cb->user);
		cb = next;
	}
	/* Last: a waiter woken by the hook must find the status set and, if it
	 * registered a callback, that callback finished. */
	if (pool->wake_hook)
		pool->wake_hook(pool->wake_hook_user);
}

int dmabuf_fence_put(struct dmabuf_fence_pool *pool, dmabuf_fence_t handle)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL))
		return DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_put", "pool");
	if (handle == 0)
		return 0;
	enum dmabuf_handle_fault fault;
	bool orphaned = false;
	uint32_t context = 0, seqno = 0;
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	struct fence *fence = lookup(pool, handle, &fault);
	if (fence && fence->refcount == 1 && fence->status == 0 && fence->callbacks) {
		/* Nobody is left to signal it, so its callbacks would wait forever. */
		orphaned = true;
		context = fence->context;
		seqno = fence->seqno;
		signal_locked(pool, fence, handle, DMABUF_EIO);
	}
	/* Re-looked up: a callback above may have taken or dropped references. */
	fence = lookup(pool, handle, &fault);
	if (fence && --fence->refcount == 0) {
		fence->generation = dmabuf_handle_next_generation(fence->generation);
		dmabuf_slot_pool_give(&pool->free_slots, (uint16_t)(fence - pool->fences));
		pool->in_use--;
	}
	dmabuf_irq_unlock(key);
#ifdef DMABUF_DEBUG
	if (orphaned)
		DMABUF_FAIL(pool, 0, "dmabuf_fence_put: orphan: fence context %u seqno %u released unsignalled with callbacks registered; signalled with -EIO",
			    context, seqno);
#else
	(void)context;
	(void)seqno;
#endif
	if (!fence && !orphaned)
		return bad_handle(pool, "dmabuf_fence_put", handle, fault);
	return 0;
}

/* Signal @handle with @status (1 or a negative error). */
static int signal(struct dmabuf_fence_pool *pool, dmabuf_fence_t handle, int status, const char *caller)
{
	enum dmabuf_handle_fault fault;
	int previous = 0;
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	struct fence *fence = lookup(pool, handle, &fault);
	if (fence) {
		previous = fence->status;
		if (previous == 0)
			signal_locked(pool, fence, handle, status);
	}
	dmabuf_irq_unlock(key);
	(void)caller;
	if (!fence)
		return bad_handle(pool, caller, handle, fault);
	if (previous != 0)
		return DMABUF_FAIL(pool, DMABUF_EPERM,
				   "%s: once: fence 0x%x already signalled (status %d); a fence completes exactly once",
				   caller, (uint32_t)handle, previous);
	return 0;
}

int dmabuf_fence_signal(struct dmabuf_fence_pool *pool, dmabuf_fence_t handle)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL))
		return DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_signal", "pool");
	return signal(pool, handle, 1, "dmabuf_fence_signal");
}

int dmabuf_fence_signal_error(struct dmabuf_fence_pool *pool, dmabuf_fence_t handle, int error)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL))
		return DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_signal_error", "pool");
	if (error >= 0)
		return DMABUF_FAIL(pool, DMABUF_EINVAL,
				   "dmabuf_fence_signal_error: argument: error %d is not a negative dmabuf_error", error);
	/* Status and wait answer -EBADF for "no such fence": a live fence failed
	 * with it would read as a bad handle, so that one value is refused. */
	if (error == DMABUF_EBADF)
		return DMABUF_FAIL(pool, DMABUF_EINVAL,
				   "dmabuf_fence_signal_error: argument: -EBADF is reserved for bad handles");
	return signal(pool, handle, error, "dmabuf_fence_signal_error");
}

/* Status, or -EBADF without a message (for callers that report their own). */
static int status_of(struct dmabuf_fence_pool *pool, dmabuf_fence_t handle, enum dmabuf_handle_fault *fault)
{
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	struct fence *fence = lookup(pool, handle, fault);
	int status = fence ? fence->status : DMABUF_EBADF;
	dmabuf_irq_unlock(key);
	return status;
}

int dmabuf_fence_status(struct dmabuf_fence_pool *pool, dmabuf_fence_t handle)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL))
		return DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_status", "pool");
	enum dmabuf_handle_fault fault;
	int status = status_of(pool, handle, &fault);
	return status == DMABUF_EBADF ? bad_handle(pool, "dmabuf_fence_status", handle, fault) : status;
}

/* Append @cb. Irq lock held, fence pending. */
static void add_locked(struct fence *fence, struct dmabuf_fence_cb *cb, dmabuf_fence_func_t func, void *user)
{
	cb->next = NULL;
	cb->func = func;
	cb->user = user;
	if (fence->callbacks_tail)
		fence->callbacks_tail->next = cb;
	else
		fence->callbacks = cb;
	fence->callbacks_tail = cb;
}

int dmabuf_fence_add_callback(struct dmabuf_fence_pool *pool, dmabuf_fence_t handle,
			      struct dmabuf_fence_cb *cb, dmabuf_fence_func_t func, void *user)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL))
		return DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_add_callback", "pool");
	if (!cb || !func)
		return DMABUF_FAIL(pool, DMABUF_EINVAL, "dmabuf_fence_add_callback: %s: NULL", !cb ? "cb" : "func");
	enum dmabuf_handle_fault fault;
	int result = 0;
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	struct fence *fence = lookup(pool, handle, &fault);
	if (!fence)
		result = DMABUF_EBADF;
	else if (fence->status != 0)
		result = DMABUF_EEXIST; /* an outcome the caller handles, not misuse: no message */
	else
		add_locked(fence, cb, func, user);
	dmabuf_irq_unlock(key);
	return result == DMABUF_EBADF ? bad_handle(pool, "dmabuf_fence_add_callback", handle, fault) : result;
}

int dmabuf_fence_remove_callback(struct dmabuf_fence_pool *pool, dmabuf_fence_t handle,
				 struct dmabuf_fence_cb *cb)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL))
		return DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_remove_callback", "pool");
	if (!cb)
		return DMABUF_FAIL(pool, DMABUF_EINVAL, "dmabuf_fence_remove_callback: cb: NULL");
	enum dmabuf_handle_fault fault;
	int result = DMABUF_ENOENT;
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	struct fence *fence = lookup(pool, handle, &fault);
	if (!fence)
		result = DMABUF_EBADF;
	for (struct dmabuf_fence_cb *prev = NULL, *it = fence ? fence->callbacks : NULL; it;
	     prev = it, it = it->next) {
		if (it != cb)
			continue;
		if (prev)
			prev->next = it->next;
		else
			fence->callbacks = it->next;
		if (fence->callbacks_tail == it)
			fence->callbacks_tail = prev;
		it->next = NULL;
		result = 0;
		break;
	}
	dmabuf_irq_unlock(key);
	/* -ENOENT (it already ran) is an outcome, not misuse: no message. */
	return result == DMABUF_EBADF ? bad_handle(pool, "dmabuf_fence_remove_callback", handle, fault) : result;
}

int dmabuf_fence_get_info(struct dmabuf_fence_pool *pool, dmabuf_fence_t handle,
			  struct dmabuf_fence_info *out)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL))
		return DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_get_info", "pool");
	if (!out)
		return DMABUF_FAIL(pool, DMABUF_EINVAL, "dmabuf_fence_get_info: out: NULL");
	enum dmabuf_handle_fault fault;
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	struct fence *fence = lookup(pool, handle, &fault);
	if (fence) {
		out->context = fence->context;
		out->seqno = fence->seqno;
		out->refcount = fence->refcount;
		out->status = fence->status;
		out->callbacks = 0;
		for (const struct dmabuf_fence_cb *cb = fence->callbacks; cb; cb = cb->next)
			out->callbacks++;
	}
	dmabuf_irq_unlock(key);
	return fence ? 0 : bad_handle(pool, "dmabuf_fence_get_info", handle, fault);
}

static void wake_waiter(dmabuf_fence_t fence, int status, void *event)
{
	(void)fence;
	(void)status;
	dmabuf_event_signal(event);
}

/* What a waiter returns for a signalled fence's status. */
static int wait_result(int status)
{
	return status == 1 ? 0 : status;
}

/* The wait through the pool's hook (dmabuf_fence_wait_hook_fn): its result,
 * or 1 when the caller must block as without a hook. */
static int hook_wait(struct dmabuf_fence_pool *pool, dmabuf_fence_t handle, uint32_t timeout_us)
{
	/* paired with the put below: the hook runs callbacks that may drop the
	 * other references */
	if (dmabuf_fence_get(pool, handle) != 0)
		return 1; /* released meanwhile: the blocking path names the fault */
	int hooked = pool->wait_hook(pool->wait_hook_user, pool, handle, timeout_us);
	int result = hooked == 0 ? wait_result(dmabuf_fence_status(pool, handle)) : hooked;
	dmabuf_fence_put(pool, handle);
	return result;
}

int dmabuf_fence_wait(struct dmabuf_fence_pool *pool, dmabuf_fence_t handle, uint32_t timeout_us)
{
	if (!dmabuf_object_live(pool, DMABUF_MAGIC_FENCE_POOL))
		return DMABUF_REFUSE_OBJECT(pool, "dmabuf_fence_wait", "pool");
	enum dmabuf_handle_fault fault;
	int status = status_of(pool, handle, &fault);
	if (status == DMABUF_EBADF)
		return bad_handle(pool, "dmabuf_fence_wait", handle, fault);
	if (status != 0)
		return wait_result(status);
	if (timeout_us == 0)
		return DMABUF_ETIMEDOUT;
	if (pool->wait_hook) {
		int hooked = hook_wait(pool, handle, timeout_us);
		if (hooked <= 0)
			return hooked;
	}

	dmabuf_event_t event;
	if (dmabuf_event_init(&event) != 0)
		return DMABUF_FAIL(pool, DMABUF_ENOMEM, "dmabuf_fence_wait: os: the OS port could not create an event");
	struct dmabuf_fence_cb waiter;
	bool registered = false;
	int result = 0;

	dmabuf_irq_key_t key = dmabuf_irq_lock();
	struct fence *fence = lookup(pool, handle, &fault);
	if (!fence) {
		result = DMABUF_EBADF; /* released since the status read */
	} else if (fence->status != 0) {
		result = wait_result(fence->status);
	} else {
		/* paired with the put below: the slot cannot be reused while we sleep */
		fence->refcount++;
		add_locked(fence, &waiter, wake_waiter, &event);
		registered = true;
	}
	dmabuf_irq_unlock(key);

	if (registered) {
		int waited = dmabuf_event_wait(&event, timeout_us);
		/* Timed out: unregister, unless the signal raced in, in which case
		 * it has finished with our event (it ran under the irq lock). */
		if (waited != 0 && dmabuf_fence_remove_callback(pool, handle, &waiter) == 0)
			result = DMABUF_ETIMEDOUT;
		else
			result = wait_result(status_of(pool, handle, &fault));
		dmabuf_fence_put(pool, handle);
	}
	dmabuf_event_destroy(&event);
	return result == DMABUF_EBADF ? bad_handle(pool, "dmabuf_fence_wait", handle, fault) : result;
}
