/*
 * Reservations: per-buffer fence sets for implicit sync (contract: resv.h).
 *
 * The table is an array indexed by buffer slot, guarded by the context lock:
 * every call checks its buffer handle with the core's own lookup anyway, so
 * the table needs no lock of its own and cannot disagree with the context
 * about which buffer a slot holds. Fence references are taken under that
 * lock; fence waits happen after it is dropped, so a wait never holds up the
 * context (nor the ISR signalling the fence).
 *
 * The context points at its table (ctx->resv); map and begin_cpu_access call
 * the implicit sync below under their own lock, which it drops only to wait
 * for fences, and a buffer's entry is cleared the moment the buffer dies
 * (dmabuf_resv_buffer_released).
 */
#include <string.h>

#include "dmabuf/resv.h"
#include "internal.h"

struct resv_entry {
	dmabuf_handle_t buffer;  /* whose entry this is; 0 = never used */
	dmabuf_fence_t exclusive;
	dmabuf_fence_t shared[DMABUF_RESV_MAX_SHARED];
	uint32_t shared_count;
	bool explicit_sync;      /* implicit sync opted out */
};

struct dmabuf_resv_table {
	uint32_t magic; /* DMABUF_MAGIC_RESV while live (internal.h) */
	struct dmabuf_ctx *ctx;
	struct dmabuf_fence_pool *fences;
	uint32_t max_buffers;
	uint32_t implicit_timeout_us;
	bool nonblocking;        /* implicit sync returns -EAGAIN instead of waiting */
	struct resv_entry entries[];
};

_Static_assert(_Alignof(struct dmabuf_resv_table) <= 8, "storage is promised 8-byte alignment only");

size_t dmabuf_resv_storage_size(uint32_t max_buffers)
{
	if (max_buffers == 0 || max_buffers > DMABUF_MAX_BUFFERS)
		return 0;
	return sizeof(struct dmabuf_resv_table) + (size_t)max_buffers * sizeof(struct resv_entry);
}

/* The table, its context and its pool are live (the rule of dmabuf.h): a
 * table over a dead context would take a destroyed lock. */
static bool table_live(const struct dmabuf_resv_table *table)
{
	return dmabuf_object_live(table, DMABUF_MAGIC_RESV) && dmabuf_object_live(table->ctx, DMABUF_MAGIC_CONTEXT) &&
	       dmabuf_object_live(table->fences, DMABUF_MAGIC_FENCE_POOL);
}

/* Drop the entry's references. Context lock held. */
static void entry_clear(struct dmabuf_resv_table *table, struct resv_entry *entry)
{
	dmabuf_fence_put(table->fences, entry->exclusive);
	for (uint32_t i = 0; i < entry->shared_count; i++)
		dmabuf_fence_put(table->fences, entry->shared[i]);
	entry->exclusive = 0;
	entry->shared_count = 0;
}

/*
 * Drop what is no longer in flight: shared fences once signalled (a failed
 * read changes no byte), the exclusive fence once signalled without error (a
 * failed writer's fence stays: it is what tells readers the bytes are bad).
 * Context lock held.
 */
static void entry_prune(struct dmabuf_resv_table *table, struct resv_entry *entry)
{
	if (entry->exclusive && dmabuf_fence_status(table->fences, entry->exclusive) == 1) {
		dmabuf_fence_put(table->fences, entry->exclusive);
		entry->exclusive = 0;
	}
	uint32_t kept = 0;
	for (uint32_t i = 0; i < entry->shared_count; i++) {
		if (dmabuf_fence_status(table->fences, entry->shared[i]) == 0)
			entry->shared[kept++] = entry->shared[i];
		else
			dmabuf_fence_put(table->fences, entry->shared[i]);
	}
	entry->shared_count = kept;
}

/* The entry of slot @slot, whose live buffer is @handle; claimed for it on
 * first use (a dead buffer's entry was already cleared). Context lock held. */
static struct resv_entry *entry_claim(struct dmabuf_resv_table *table, uint32_t slot, dmabuf_handle_t handle)
{
	struct resv_entry *entry = &table->entries[slot];
	if (entry->buffer != handle) {
		entry_clear(table, entry);
		entry->buffer = handle;
		entry->explicit_sync = false;
	}
	return entry;
}

/*
 * The entry of buffer @handle, after checking the handle is a live buffer.
 * Context lock held. @retval 0; -EBADF (reported).
 */
static int entry_of(struct dmabuf_resv_table *table, dmabuf_handle_t handle, const char *caller,
		    struct resv_entry **out)
{
	struct dmabuf_buffer *buf;
	int err = dmabuf_buffer_lookup(table->ctx, handle, caller, &buf);
	if (err)
		return err;
	*out = entry_claim(table, dmabuf_buffer_slot(table->ctx, buf), handle);
	return 0;
}

int dmabuf_resv_init(struct dmabuf_resv_table **out, void *storage, size_t storage_size,
		     struct dmabuf_ctx *ctx, struct dmabuf_fence_pool *fences, uint32_t implicit_timeout_us)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_resv_init", "ctx");
	if (!dmabuf_object_live(fences, DMABUF_MAGIC_FENCE_POOL))
		return DMABUF_REFUSE_OBJECT(fences, "dmabuf_resv_init", "fences");
	if (!out || !storage)
		return DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_resv_init: %s: NULL", !out ? "out" : "storage");
	if ((uintptr_t)storage % 8 != 0)
		return DMABUF_EINVAL;
	size_t need = dmabuf_resv_storage_size(ctx->max_buffers);
	int err = 0;
	dmabuf_lock(ctx);
	if (storage_size < need) {
		err = DMABUF_FAIL(ctx, DMABUF_ENOMEM,
				  "dmabuf_resv_init: storage: %u bytes, dmabuf_resv_storage_size(%u) is %u",
				  (uint32_t)storage_size, ctx->max_buffers, (uint32_t)need);
	} else if (ctx->resv) {
		err = DMABUF_FAIL(ctx, DMABUF_EEXIST, "dmabuf_resv_init: table: the context already has one");
	} else {
		struct dmabuf_resv_table *table = storage;
		memset(table, 0, need);
		table->ctx = ctx;
		table->fences = fences;
		table->max_buffers = ctx->max_buffers;
		table->implicit_timeout_us = implicit_timeout_us;
		table->magic = DMABUF_MAGIC_RESV;
		ctx->resv = table; /* from now on map and begin_cpu_access sync on it */
		*out = table;
	}
	dmabuf_unlock(ctx);
	return err;
}

void dmabuf_resv_deinit(struct dmabuf_resv_table *table)
{
	if (!table_live(table)) {
		(void)DMABUF_REFUSE_OBJECT(table, "dmabuf_resv_deinit", "table");
		return;
	}
	dmabuf_lock(table->ctx);
	table->magic = 0;
	table->ctx->resv = NULL;
	for (uint32_t i = 0; i < table->max_buffers; i++) {
		entry_clear(table, &table->entries[i]);
		table->entries[i].buffer = 0;
	}
	dmabuf_unlock(table->ctx);
}

/* Take the table's own reference on @fence, or report why not: once, through
 * the context (the pool's own get would report a second time). */
static int fence_ref(struct dmabuf_resv_table *table, dmabuf_fence_t fence, const char *caller)
{
	(void)caller;
	if (dmabuf_fence_try_get(table->fences, fence))
		return 0;
	return DMABUF_FAIL(table->ctx, DMABUF_EBADF, "%s: fence: 0x%x is not a live fence of the table's pool",
			   caller, (uint32_t)fence);
}

static int add_exclusive_locked(struct dmabuf_resv_table *table, struct resv_entry *entry, dmabuf_fence_t fence,
				const char *caller)
{
	int err = fence_ref(table, fence, caller);
	if (err)
		return err;
	/* Ordered after every fence in the set (the writer waited for them). */
	entry_clear(table, entry);
	entry->exclusive = fence;
	return 0;
}

static int add_shared_locked(struct dmabuf_resv_table *table, struct resv_entry *entry, dmabuf_fence_t fence,
			     const char *caller)
{
	entry_prune(table, entry);
	for (uint32_t i = 0; i < entry->shared_count; i++)
		if (entry->shared[i] == fence)
			return DMABUF_FAIL(table->ctx, DMABUF_EEXIST, "%s: shared: fence 0x%x is already a reader of buffer 0x%x",
					   caller, (uint32_t)fence, (uint32_t)entry->buffer);
	if (entry->shared_count == DMABUF_RESV_MAX_SHARED)
		return DMABUF_FAIL(table->ctx, DMABUF_ENOMEM, "%s: shared: buffer 0x%x already has %u readers in flight",
				   caller, (uint32_t)entry->buffer, DMABUF_RESV_MAX_SHARED);
	int err = fence_ref(table, fence, caller);
	if (err)
		return err;
	entry->shared[entry->shared_count++] = fence;
	return 0;
}

/* Look the entry up and add @fence as exclusive or shared, under the lock. */
static int add_fence(struct dmabuf_resv_table *table, dmabuf_handle_t buffer, dmabuf_fence_t fence, bool exclusive,
		     const char *caller)
{
	if (!table_live(table))
		return DMABUF_REFUSE_OBJECT(table, caller, "table");
	struct resv_entry *entry;
	dmabuf_lock(table->ctx);
	int err = entry_of(table, buffer, caller, &entry);
	if (!err)
		err = exclusive ? add_exclusive_locked(table, entry, fence, caller)
				: add_shared_locked(table, entry, fence, caller);
	dmabuf_unlock(table->ctx);
	return err;
}

int dmabuf_resv_add_exclusive(struct dmabuf_resv_table *table, dmabuf_handle_t buffer, dmabuf_fence_t fence)
{
	return add_fence(table, buffer, fence, true, "dmabuf_resv_add_exclusive");
}

int dmabuf_resv_add_shared(struct dmabuf_resv_table *table, dmabuf_handle_t buffer, dmabuf_fence_t fence)
{
	return add_fence(table, buffer, fence, false, "dmabuf_resv_add_shared");
}

int dmabuf_resv_attach_job(struct dmabuf_resv_table *table, dmabuf_handle_t buffer,
			   enum dmabuf_direction direction, dmabuf_fence_t fence)
{
	if (!table_live(table))
		return DMABUF_REFUSE_OBJECT(table, "dmabuf_resv_attach_job", "table");
	if (!dmabuf_direction_valid(direction))
		return DMABUF_FAIL(table->ctx, DMABUF_EINVAL, "dmabuf_resv_attach_job: direction: %u is not a direction",
				   (uint32_t)direction);
	return add_fence(table, buffer, fence, dmabuf_device_writes(direction), "dmabuf_resv_attach_job");
}

/* The fences an access waits for, each with a reference taken for the wait. */
struct wait_set {
	dmabuf_fence_t fence[1 + DMABUF_RESV_MAX_SHARED];
	uint32_t count;
	bool has_exclusive; /* fence[0] is the exclusive fence */
};

/* Collect what @write conflicts with. Context lock held. */
static void collect(struct dmabuf_resv_table *table, const struct resv_entry *entry, bool write,
		    struct wait_set *set)
{
	set->count = 0;
	set->has_exclusive = entry->exclusive != 0;
	if (entry->exclusive)
		set->fence[set->count++] = entry->exclusive;
	for (uint32_t i = 0; write && i < entry->shared_count; i++)
		set->fence[set->count++] = entry->shared[i];
	for (uint32_t i = 0; i < set->count; i++)
		dmabuf_fence_get(table->fences, set->fence[i]); /* paired with the put in release */
}

static void release(struct dmabuf_resv_table *table, struct wait_set *set)
{
	for (uint32_t i = 0; i < set->count; i++)
		dmabuf_fence_put(table->fences, set->fence[i]);
}

/* Whether a fence of @set is still pending (a signalled one, failed or not,
 * would not make the access wait). */
static bool set_pending(struct dmabuf_resv_table *table, const struct wait_set *set)
{
	for (uint32_t i = 0; i < set->count; i++)
		if (dmabuf_fence_status(table->fences, set->fence[i]) == 0)
			return true;
	return false;
}

/*
 * Wait for @set outside any lock, then prune the entry of @buffer (if the
 * slot still holds it) and drop the wait's references.
 */
static int wait_and_prune(struct dmabuf_resv_table *table, dmabuf_handle_t buffer, bool write,
			  uint32_t timeout_us, struct wait_set *set)
{
	bool forever = timeout_us == UINT32_MAX;
	uint64_t deadline = forever ? 0 : dmabuf_time_us() + timeout_us;
	int result = 0;
	for (uint32_t i = 0; i < set->count && result != DMABUF_ETIMEDOUT; i++) {
		uint32_t remaining = UINT32_MAX;
		if (!forever) {
			uint64_t now = dmabuf_time_us();
			remaining = now >= deadline ? 0 : (uint32_t)(deadline - now);
		}
		int waited = dmabuf_fence_wait(table->fences, set->fence[i], remaining);
		if (waited == DMABUF_ETIMEDOUT)
			result = DMABUF_ETIMEDOUT;
		else if (waited < 0 && i == 0 && set->has_exclusive && !write && result == 0)
			result = waited; /* the writer failed: the bytes a reader would see are bad */
	}

	dmabuf_lock(table->ctx);
	/* No lookup (it would report): if the buffer died meanwhile its entry
	 * was cleared or taken over, and pruning the entry is harmless anyway. */
	uint32_t slot;
	uint16_t generation;
	if (dmabuf_handle_decode(buffer, DMABUF_HANDLE_BUFFER, table->max_buffers, &slot, &generation) ==
		    DMABUF_HANDLE_OK &&
	    table->entries[slot].buffer == buffer)
		entry_prune(table, &table->entries[slot]);
	dmabuf_unlock(table->ctx);
	release(table, set);
	return result;
}

int dmabuf_resv_wait(struct dmabuf_resv_table *table, dmabuf_handle_t buffer, bool write, uint32_t timeout_us)
{
	if (!table_live(table))
		return DMABUF_REFUSE_OBJECT(table, "dmabuf_resv_wait", "table");
	struct resv_entry *entry;
	struct wait_set set;
	dmabuf_lock(table->ctx);
	int err = entry_of(table, buffer, "dmabuf_resv_wait", &entry);
	if (!err)
		collect(table, entry, write, &set);
	dmabuf_unlock(table->ctx);
	return err ? err : wait_and_prune(table, buffer, write, timeout_us, &set);
}

/*
 * The implicit sync of map / begin_cpu_access (internal.h), context lock
 * held and @buf looked up by the caller: collect unless the buffer
 * opted out; only if that found fences, drop the lock for the wait.
 */
int dmabuf_resv_implicit_sync(struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf, bool write,
			      const char *caller)
{
	struct dmabuf_resv_table *table = ctx->resv;
	uint16_t slot = dmabuf_buffer_slot(ctx, buf);
	dmabuf_handle_t buffer = dmabuf_handle_encode(DMABUF_HANDLE_BUFFER, buf->generation, slot);
	struct resv_entry *entry = entry_claim(table, slot, buffer);
	struct wait_set set;
	if (entry->explicit_sync)
		return 0;
	collect(table, entry, write, &set);
	if (set.count == 0)
		return 0;
	if (table->nonblocking && set_pending(table, &set)) {
		release(table, &set);
		return DMABUF_EAGAIN; /* an outcome the caller waits on, not misuse: no message */
	}
	dmabuf_unlock(ctx);
	int err = wait_and_prune(table, buffer, write, table->implicit_timeout_us, &set);
	dmabuf_lock(ctx);
	(void)caller;
	if (err == DMABUF_ETIMEDOUT)
		return DMABUF_FAIL(ctx, err, "%s: implicit-sync: buffer 0x%x still busy after %u us", caller,
				   (uint32_t)buffer, table->implicit_timeout_us);
	return err ? err : 1;
}

void dmabuf_resv_set_nonblocking(struct dmabuf_resv_table *table, bool on)
{
	if (!table_live(table)) {
		(void)DMABUF_REFUSE_OBJECT(table, "dmabuf_resv_set_nonblocking", "table");
		return;
	}
	dmabuf_lock(table->ctx);
	table->nonblocking = on;
	dmabuf_unlock(table->ctx);
}

uint32_t dmabuf_resv_implicit_timeout(const struct dmabuf_resv_table *table)
{
	if (!table_live(table))
		return (void)DMABUF_REFUSE_OBJECT(table, "dmabuf_resv_implicit_timeout", "table"), 0;
	return table->implicit_timeout_us;
}

int dmabuf_resv_test(struct dmabuf_resv_table *table, dmabuf_handle_t buffer, bool write)
{
	if (!table_live(table))
		return DMABUF_REFUSE_OBJECT(table, "dmabuf_resv_test", "table");
	struct resv_entry *entry;
	dmabuf_lock(table->ctx);
	int result = entry_of(table, buffer, "dmabuf_resv_test", &entry);
	if (result == 0) {
		result = 1;
		if (entry->exclusive && dmabuf_fence_status(table->fences, entry->exclusive) == 0)
			result = 0;
		for (uint32_t i = 0; write && i < entry->shared_count; i++)
			if (dmabuf_fence_status(table->fences, entry->shared[i]) == 0)
				result = 0;
	}
	dmabuf_unlock(table->ctx);
	return result;
}

int dmabuf_resv_set_implicit_sync(struct dmabuf_resv_table *table, dmabuf_handle_t buffer, bool on)
{
	if (!table_live(table))
		return DMABUF_REFUSE_OBJECT(table, "dmabuf_resv_set_implicit_sync", "table");
	struct resv_entry *entry;
	dmabuf_lock(table->ctx);
	int err = entry_of(table, buffer, "dmabuf_resv_set_implicit_sync", &entry);
	if (!err)
		entry->explicit_sync = !on;
	dmabuf_unlock(table->ctx);
	return err;
}

int dmabuf_resv_get_info(struct dmabuf_resv_table *table, dmabuf_handle_t buffer, struct dmabuf_resv_info *out)
{
	if (!table_live(table))
		return DMABUF_REFUSE_OBJECT(table, "dmabuf_resv_get_info", "table");
	if (!out)
		return DMABUF_FAIL(table->ctx, DMABUF_EINVAL, "dmabuf_resv_get_info: out: NULL");
	struct resv_entry *entry;
	dmabuf_lock(table->ctx);
	int err = entry_of(table, buffer, "dmabuf_resv_get_info", &entry);
	if (!err) {
		entry_prune(table, entry);
		memset(out, 0, sizeof(*out));
		out->exclusive = entry->exclusive;
		out->shared_count = entry->shared_count;
		memcpy(out->shared, entry->shared, entry->shared_count * sizeof(entry->shared[0]));
		out->implicit_sync = !entry->explicit_sync;
	}
	dmabuf_unlock(table->ctx);
	return err;
}

uint32_t dmabuf_resv_fence_count(struct dmabuf_resv_table *table)
{
	if (!table_live(table))
		return (void)DMABUF_REFUSE_OBJECT(table, "dmabuf_resv_fence_count", "table"), 0;
	uint32_t count = 0;
	dmabuf_lock(table->ctx);
	for (uint32_t i = 0; i < table->max_buffers; i++)
		count += (table->entries[i].exclusive != 0) + table->entries[i].shared_count;
	dmabuf_unlock(table->ctx);
	return count;
}

void dmabuf_resv_cpu_rewrote(struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf)
{
	struct dmabuf_resv_table *table = ctx->resv;
	uint16_t slot = dmabuf_buffer_slot(ctx, buf);
	struct resv_entry *entry = &table->entries[slot];
	/* An entry another handle claimed holds nothing of this buffer's; a
	 * writer still in flight (implicit sync opted out) is not the CPU's to
	 * drop, only a failed one. The quiet get: a caller that dropped the
	 * table's reference (one put too many) left a stale handle here, and
	 * this successful call reports nothing about it. */
	if (entry->buffer != dmabuf_handle_encode(DMABUF_HANDLE_BUFFER, buf->generation, slot) || !entry->exclusive ||
	    !dmabuf_fence_try_get(table->fences, entry->exclusive))
		return;
	bool failed = dmabuf_fence_status(table->fences, entry->exclusive) < 0;
	dmabuf_fence_put(table->fences, entry->exclusive); /* the quiet get's */
	if (failed) {
		dmabuf_fence_put(table->fences, entry->exclusive); /* the table's */
		entry->exclusive = 0;
	}
}

void dmabuf_resv_buffer_released(struct dmabuf_ctx *ctx, uint16_t slot)
{
	struct dmabuf_resv_table *table = ctx->resv;
	if (!table)
		return;
	entry_clear(table, &table->entries[slot]);
	table->entries[slot].buffer = 0;
}
