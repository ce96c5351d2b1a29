/*
 * Host P/Invoke library: a heap = a simulated SoC + a DmaBuf context over it.
 * Marshalling only; every rule lives in the core. See dmabuf_host.h.
 */
#include "dmabuf_host.h"
#include "dmabuf_host_internal.h"
#include "../managed_values.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmabuf/dmabuf.h"
#include "dmabuf/fence.h"
#include "dmabuf/queue.h"
#include "dmabuf/resv.h"
#include "sim.h"

#define HOST_MAX_HEAPS 64u
#define HOST_SLOT_BITS 8u
#define HOST_SLOT_MASK ((1u << HOST_SLOT_BITS) - 1u)
/* Memory starts pseudo-random from this seed, so stale bytes never look like a frame. */
#define HOST_SIM_SEED 0x444d41427566ull
#define HOST_MESSAGE_MAX 256

struct host_heap {
	int32_t id;
	struct sim_soc *soc;
	struct sim_cache_backend cache;
	struct dmabuf_ctx *ctx;
	void *storage;
	struct dmabuf_fence_pool *fences;
	void *fence_storage;
	struct dmabuf_resv_table *resv;
	void *resv_storage;
	uint32_t timeline;        /* the fence context of fences made here */
	atomic_uint next_seqno;
	/* Frame queues; queue ids are slot + 1. Guarded by queues_lock for
	 * create/destroy; the queue functions themselves are thread-safe. */
	pthread_mutex_t queues_lock;
	struct dmabuf_queue *queues[DMABUF_HOST_MAX_QUEUES];
	void *queue_storage[DMABUF_HOST_MAX_QUEUES];
};

/* Slot i holds the heap whose id has slot bits i + 1; the bits above count
 * opens of that slot, so the id of a closed heap never comes back soon. */
static _Atomic(struct host_heap *) heaps[HOST_MAX_HEAPS];
static uint32_t slot_generation[HOST_MAX_HEAPS];
static pthread_mutex_t heaps_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int live_heaps;

/* The core reports synchronously on the failing thread, so a thread-local
 * copy belongs to that thread's last failing call. */
static _Thread_local char last_message[HOST_MESSAGE_MAX];

static void host_report(void *user, const char *message)
{
	(void)user;
	snprintf(last_message, sizeof(last_message), "%s", message);
}

void dmabuf_host_report(void *user, const char *message)
{
	host_report(user, message);
}

/* Every entry point starts here: a message left by an earlier call must not
 * be mistaken for this call's. */
static struct host_heap *heap_lookup(int32_t id)
{
	uint32_t slot = ((uint32_t)id & HOST_SLOT_MASK) - 1u;
	struct host_heap *heap;

	last_message[0] = '\0';
	if (id <= 0 || slot >= HOST_MAX_HEAPS)
		return NULL;
	heap = atomic_load_explicit(&heaps[slot], memory_order_acquire);
	return (heap && heap->id == id) ? heap : NULL;
}

int dmabuf_host_heap_parts(int32_t id, struct dmabuf_host_heap_parts *out)
{
	struct host_heap *heap = heap_lookup(id);

	if (!heap)
		return DMABUF_EBADF;
	if (!out)
		return DMABUF_EINVAL;
	*out = (struct dmabuf_host_heap_parts){
		.soc = heap->soc,
		.cache = &heap->cache,
		.ctx = heap->ctx,
		.fences = heap->fences,
		.resv = heap->resv,
	};
	return 0;
}

static void heap_free(struct host_heap *heap)
{
	pthread_mutex_destroy(&heap->queues_lock);
	free(heap->resv_storage);
	free(heap->fence_storage);
	free(heap->storage);
	sim_destroy(heap->soc);
	free(heap);
}

int32_t dmabuf_host_heap_open(const char *board_name, int32_t *out)
{
	const struct dmabuf_board *board;
	struct dmabuf_config config;
	struct host_heap *heap;
	size_t size;
	uint32_t slot;
	int err;

	last_message[0] = '\0';
	if (!board_name || !out)
		return DMABUF_EINVAL;
	board = dmabuf_board_find(board_name);
	if (!board) {
		host_report(NULL, "dmabuf_host_heap_open: no board of that name in this build");
		return DMABUF_ENOENT;
	}

	heap = calloc(1, sizeof(*heap));
	if (!heap)
		return DMABUF_ENOMEM;
	if (pthread_mutex_init(&heap->queues_lock, NULL)) {
		free(heap);
		return DMABUF_ENOMEM;
	}
	err = sim_create(board, HOST_SIM_SEED, &heap->soc);
	if (err)
		goto err_heap;
	sim_cache_backend_init(&heap->cache, heap->soc);

	config = (struct dmabuf_config){
		.board = board,
		.region_memory = sim_region_memory(heap->soc),
		.cache = &dmabuf_cache_host_sim,
		.cache_priv = &heap->cache,
		.max_buffers = DMABUF_HOST_MAX_BUFFERS,
		.max_attachments = DMABUF_HOST_MAX_ATTACHMENTS,
		.checker = true,
		.report = host_report,
		.report_user = heap,
	};
	size = dmabuf_storage_size(&config);
	if (!size) {
		err = DMABUF_EINVAL;
		goto err_sim;
	}
	heap->storage = aligned_alloc(8, (size + 7u) & ~(size_t)7u);
	if (!heap->storage) {
		err = DMABUF_ENOMEM;
		goto err_sim;
	}
	err = dmabuf_init(&heap->ctx, heap->storage, size, &config);
	if (err)
		goto err_storage;

	size = dmabuf_fence_pool_storage_size(DMABUF_HOST_MAX_FENCES);
	heap->fence_storage = aligned_alloc(8, (size + 7u) & ~(size_t)7u);
	if (!heap->fence_storage) {
		err = DMABUF_ENOMEM;
		goto err_ctx;
	}
	err = dmabuf_fence_pool_init(&heap->fences, heap->fence_storage, size, DMABUF_HOST_MAX_FENCES);
	if (err)
		goto err_ctx;
	dmabuf_fence_pool_set_report(heap->fences, host_report, heap);
	heap->timeline = dmabuf_fence_context_alloc(heap->fences);

	size = dmabuf_resv_storage_size(DMABUF_HOST_MAX_BUFFERS);
	heap->resv_storage = aligned_alloc(8, (size + 7u) & ~(size_t)7u);
	if (!heap->resv_storage) {
		err = DMABUF_ENOMEM;
		goto err_fences;
	}
	err = dmabuf_resv_init(&heap->resv, heap->resv_storage, size, heap->ctx, heap->fences,
			       DMABUF_HOST_IMPLICIT_TIMEOUT_US);
	if (err)
		goto err_fences;

	pthread_mutex_lock(&heaps_lock);
	for (slot = 0; slot < HOST_MAX_HEAPS; slot++)
		if (!atomic_load_explicit(&heaps[slot], memory_order_relaxed))
			break;
	if (slot == HOST_MAX_HEAPS) {
		pthread_mutex_unlock(&heaps_lock);
		err = DMABUF_ENOMEM;
		goto err_resv;
	}
	slot_generation[slot] = (slot_generation[slot] + 1u) & 0x7FFFFFu;
	if (!slot_generation[slot])
		slot_generation[slot] = 1u;
	heap->id = (int32_t)((slot_generation[slot] << HOST_SLOT_BITS) | (slot + 1u));
	atomic_store_explicit(&heaps[slot], heap, memory_order_release);
	atomic_fetch_add(&live_heaps, 1);
	pthread_mutex_unlock(&heaps_lock);

	*out = heap->id;
	return 0;

err_resv:
	dmabuf_resv_deinit(heap->resv);
err_fences:
	free(heap->resv_storage);
	if (heap->fences)
		dmabuf_fence_pool_deinit(heap->fences);
err_ctx:
	free(heap->fence_storage);
	dmabuf_deinit(heap->ctx);
err_storage:
	free(heap->storage);
err_sim:
	sim_destroy(heap->soc);
err_heap:
	pthread_mutex_destroy(&heap->queues_lock);
	free(heap);
	return err;
}

/* Frame queues created on @heap and not yet destroyed. */
static int32_t queue_count(struct host_heap *heap)
{
	int32_t count = 0;

	pthread_mutex_lock(&heap->queues_lock);
	for (uint32_t i = 0; i < DMABUF_HOST_MAX_QUEUES; i++)
		if (heap->queues[i])
			count++;
	pthread_mutex_unlock(&heap->queues_lock);
	return count;
}

/*
 * Undo the open, or change nothing: a queue, a buffer or a fence still held
 * by the caller refuses the close (-EBUSY) before anything is torn down. Fence
 * references held only by the reservation table (of dead buffers) do not
 * count; the table drops them.
 */
static int heap_teardown(struct host_heap *heap)
{
	struct dmabuf_heap_stats stats;
	int err;

	if (queue_count(heap))
		return DMABUF_EBUSY;
	dmabuf_heap_stats(heap->ctx, &stats);
	if (stats.live_buffers)
		return dmabuf_deinit(heap->ctx); /* -EBUSY, reporting each buffer by name */
	dmabuf_resv_deinit(heap->resv);
	err = dmabuf_fence_pool_deinit(heap->fences);
	if (err) {
		/* The caller still holds fences: put the table back, change nothing. */
		dmabuf_resv_init(&heap->resv, heap->resv_storage,
				 dmabuf_resv_storage_size(DMABUF_HOST_MAX_BUFFERS), heap->ctx, heap->fences,
				 DMABUF_HOST_IMPLICIT_TIMEOUT_US);
		return err;
	}
	return dmabuf_deinit(heap->ctx);
}

int32_t dmabuf_host_heap_close(int32_t id)
{
	struct host_heap *heap;
	int err;

	pthread_mutex_lock(&heaps_lock);
	heap = heap_lookup(id);
	if (!heap) {
		pthread_mutex_unlock(&heaps_lock);
		return DMABUF_EBADF;
	}
	err = heap_teardown(heap);
	if (err) {
		pthread_mutex_unlock(&heaps_lock);
		return err;
	}
	atomic_store_explicit(&heaps[((uint32_t)id & HOST_SLOT_MASK) - 1u], NULL, memory_order_release);
	atomic_fetch_sub(&live_heaps, 1);
	pthread_mutex_unlock(&heaps_lock);
	heap_free(heap);
	return 0;
}

int32_t dmabuf_host_live_heaps(void)
{
	return atomic_load(&live_heaps);
}

int32_t dmabuf_host_heap_stats(int32_t id, int64_t *values, int32_t count)
{
	struct host_heap *heap = heap_lookup(id);
	struct dmabuf_heap_stats stats;

	if (!heap)
		return DMABUF_EBADF;
	if (!values || count < DMABUF_VALUES_HEAP_STATS)
		return DMABUF_EINVAL;
	dmabuf_heap_stats(heap->ctx, &stats);
	dmabuf_values_from_heap_stats(values, &stats);
	return 0;
}

int32_t dmabuf_host_cache_stats(int32_t id, int64_t *values, int32_t count, int32_t reset)
{
	struct host_heap *heap = heap_lookup(id);
	struct dmabuf_cache_stats stats;

	if (!heap)
		return DMABUF_EBADF;
	if (values) {
		if (count < DMABUF_VALUES_CACHE_STATS)
			return DMABUF_EINVAL;
		dmabuf_cache_stats(heap->ctx, &stats);
		dmabuf_values_from_cache_stats(values, &stats);
	}
	if (reset)
		dmabuf_cache_stats_reset(heap->ctx);
	return 0;
}

int32_t dmabuf_host_bufinfo(int32_t id, char *text, int32_t len)
{
	struct host_heap *heap = heap_lookup(id);

	if (!heap)
		return DMABUF_EBADF;
	if (len < 0 || (!text && len))
		return DMABUF_EINVAL;
	return dmabuf_bufinfo(heap->ctx, text, (size_t)len);
}

int32_t dmabuf_host_check(int32_t id)
{
	struct host_heap *heap = heap_lookup(id);

	return heap ? dmabuf_check(heap->ctx) : DMABUF_EBADF;
}

int32_t dmabuf_host_device_find(int32_t id, const char *name)
{
	struct host_heap *heap = heap_lookup(id);

	if (!heap)
		return DMABUF_EBADF;
	if (!name)
		return DMABUF_EINVAL;
	return dmabuf_device_find(heap->ctx, name);
}

int32_t dmabuf_host_export(int32_t id, int32_t size, const char *name, int32_t flags)
{
	struct host_heap *heap = heap_lookup(id);
	dmabuf_handle_t handle;
	int err;

	if (!heap)
		return DMABUF_EBADF;
	/* A negative size would become a huge uint32_t: refuse it as the bad argument it is. */
	if (size <= 0 || flags < 0)
		return DMABUF_EINVAL;
	err = dmabuf_export(heap->ctx, (uint32_t)size, name, (uint32_t)flags, &handle);
	return err ? err : handle;
}

int32_t dmabuf_host_get(int32_t id, int32_t buffer)
{
	struct host_heap *heap = heap_lookup(id);

	return heap ? dmabuf_get(heap->ctx, buffer) : DMABUF_EBADF;
}

int32_t dmabuf_host_put(int32_t id, int32_t buffer)
{
	struct host_heap *heap = heap_lookup(id);

	return heap ? dmabuf_put(heap->ctx, buffer) : DMABUF_EBADF;
}

int32_t dmabuf_host_buffer_info(int32_t id, int32_t buffer, int32_t *values, int32_t count)
{
	struct host_heap *heap = heap_lookup(id);
	struct dmabuf_info info;
	int err;

	if (!heap)
		return DMABUF_EBADF;
	if (!values || count < DMABUF_VALUES_BUFFER_INFO)
		return DMABUF_EINVAL;
	err = dmabuf_get_info(heap->ctx, buffer, &info);
	if (err)
		return err;
	dmabuf_values_from_buffer_info(values, &info);
	return 0;
}

int32_t dmabuf_host_buffer_name(int32_t id, int32_t buffer, char *name, int32_t len)
{
	struct host_heap *heap = heap_lookup(id);
	struct dmabuf_info info;
	int err;

	if (!heap)
		return DMABUF_EBADF;
	if (!name || len < (int32_t)DMABUF_NAME_MAX)
		return DMABUF_EINVAL;
	err = dmabuf_get_info(heap->ctx, buffer, &info);
	if (err)
		return err;
	memcpy(name, info.name, DMABUF_NAME_MAX);
	name[DMABUF_NAME_MAX - 1] = '\0';
	return 0;
}

int32_t dmabuf_host_attach(int32_t id, int32_t buffer, int32_t device)
{
	struct host_heap *heap = heap_lookup(id);
	dmabuf_handle_t handle;
	int err;

	if (!heap)
		return DMABUF_EBADF;
	err = dmabuf_attach(heap->ctx, buffer, device, &handle);
	return err ? err : handle;
}

int32_t dmabuf_host_detach(int32_t id, int32_t attachment)
{
	struct host_heap *heap = heap_lookup(id);

	return heap ? dmabuf_detach(heap->ctx, attachment) : DMABUF_EBADF;
}

int32_t dmabuf_host_map(int32_t id, int32_t attachment, int32_t direction, int32_t *values, int32_t count)
{
	struct host_heap *heap = heap_lookup(id);
	struct dmabuf_mapping mapping;
	int err;

	if (!heap)
		return DMABUF_EBADF;
	if (!values || count < DMABUF_VALUES_MAPPING)
		return DMABUF_EINVAL;
	err = dmabuf_map(heap->ctx, attachment, (enum dmabuf_direction)direction, &mapping);
	if (err)
		return err;
	dmabuf_values_from_mapping(values, &mapping);
	return 0;
}

int32_t dmabuf_host_unmap(int32_t id, int32_t attachment, int32_t direction, const int32_t *values,
			  int32_t count)
{
	struct host_heap *heap = heap_lookup(id);
	struct dmabuf_mapping mapping;

	if (!heap)
		return DMABUF_EBADF;
	if (!values || count < DMABUF_VALUES_MAPPING)
		return DMABUF_EINVAL;
	dmabuf_values_to_mapping(values, &mapping);
	return dmabuf_unmap(heap->ctx, attachment, &mapping, (enum dmabuf_direction)direction);
}

int32_t dmabuf_host_begin_cpu_access(int32_t id, int32_t buffer, int32_t direction, int32_t offset,
				     int32_t length, void **cpu)
{
	struct host_heap *heap = heap_lookup(id);

	if (!heap)
		return DMABUF_EBADF;
	if (offset < 0 || length < 0)
		return DMABUF_ERANGE;
	return dmabuf_begin_cpu_access(heap->ctx, buffer, (enum dmabuf_direction)direction,
				       (uint32_t)offset, (uint32_t)length, cpu);
}

int32_t dmabuf_host_end_cpu_access(int32_t id, int32_t buffer, int32_t direction, int32_t offset,
				   int32_t length)
{
	struct host_heap *heap = heap_lookup(id);

	if (!heap)
		return DMABUF_EBADF;
	if (offset < 0 || length < 0)
		return DMABUF_ERANGE;
	return dmabuf_end_cpu_access(heap->ctx, buffer, (enum dmabuf_direction)direction,
				     (uint32_t)offset, (uint32_t)length);
}

int32_t dmabuf_host_take_last_message(char *text, int32_t len)
{
	int32_t n = (int32_t)strlen(last_message);

	if (text && len > 0)
		snprintf(text, (size_t)len, "%s", last_message);
	last_message[0] = '\0';
	return n;
}

static int32_t sim_bus_range(int32_t id, uint32_t addr, int32_t length, uint8_t **bus)
{
	struct host_heap *heap = heap_lookup(id);

	if (!heap)
		return DMABUF_EBADF;
	if (length <= 0)
		return DMABUF_EINVAL;
	*bus = sim_bus(heap->soc, addr, (uint32_t)length);
	return *bus ? 0 : DMABUF_EFAULT;
}

int32_t dmabuf_host_sim_bus_read(int32_t id, uint32_t addr, uint8_t *data, int32_t length)
{
	uint8_t *bus;
	int32_t err;

	if (!data)
		return DMABUF_EINVAL;
	err = sim_bus_range(id, addr, length, &bus);
	if (!err)
		memcpy(data, bus, (size_t)length);
	return err;
}

int32_t dmabuf_host_sim_bus_write(int32_t id, uint32_t addr, const uint8_t *data, int32_t length)
{
	uint8_t *bus;
	int32_t err;

	if (!data)
		return DMABUF_EINVAL;
	err = sim_bus_range(id, addr, length, &bus);
	if (!err)
		memcpy(bus, data, (size_t)length);
	return err;
}

int32_t dmabuf_host_sim_evict_all(int32_t id)
{
	struct host_heap *heap = heap_lookup(id);

	if (!heap)
		return DMABUF_EBADF;
	sim_evict_all(heap->soc);
	return 0;
}

/* ---- fences and reservations ---------------------------------------------- */

int32_t dmabuf_host_fence_create(int32_t id)
{
	struct host_heap *heap = heap_lookup(id);
	dmabuf_fence_t fence;
	int err;

	if (!heap)
		return DMABUF_EBADF;
	err = dmabuf_fence_create(heap->fences, heap->timeline,
				  atomic_fetch_add(&heap->next_seqno, 1u) + 1u, &fence);
	return err ? err : fence;
}

int32_t dmabuf_host_fence_put(int32_t id, int32_t fence)
{
	struct host_heap *heap = heap_lookup(id);

	return heap ? dmabuf_fence_put(heap->fences, fence) : DMABUF_EBADF;
}

int32_t dmabuf_host_fence_signal(int32_t id, int32_t fence, int32_t error)
{
	struct host_heap *heap = heap_lookup(id);

	if (!heap)
		return DMABUF_EBADF;
	return error ? dmabuf_fence_signal_error(heap->fences, fence, error)
		     : dmabuf_fence_signal(heap->fences, fence);
}

int32_t dmabuf_host_fence_status(int32_t id, int32_t fence)
{
	struct host_heap *heap = heap_lookup(id);

	return heap ? dmabuf_fence_status(heap->fences, fence) : DMABUF_EBADF;
}

int32_t dmabuf_host_fence_wait(int32_t id, int32_t fence, uint32_t timeout_us)
{
	struct host_heap *heap = heap_lookup(id);

	return heap ? dmabuf_fence_wait(heap->fences, fence, timeout_us) : DMABUF_EBADF;
}

int32_t dmabuf_host_fence_info(int32_t id, int32_t fence, int32_t *values, int32_t count)
{
	struct host_heap *heap = heap_lookup(id);
	struct dmabuf_fence_info info;
	int err;

	if (!heap)
		return DMABUF_EBADF;
	if (!values || count < DMABUF_VALUES_FENCE_INFO)
		return DMABUF_EINVAL;
	err = dmabuf_fence_get_info(heap->fences, fence, &info);
	if (err)
		return err;
	dmabuf_values_from_fence_info(values, &info);
	return 0;
}

int32_t dmabuf_host_live_fences(int32_t id)
{
	struct host_heap *heap = heap_lookup(id);
	struct dmabuf_fence_pool_stats stats;

	if (!heap)
		return DMABUF_EBADF;
	dmabuf_fence_pool_stats(heap->fences, &stats);
	/* Fences only the reservation table still holds are in flight for the
	 * buffers, not held by the caller. */
	return (int32_t)(stats.in_use - dmabuf_resv_fence_count(heap->resv));
}

int32_t dmabuf_host_resv_attach_job(int32_t id, int32_t buffer, int32_t direction, int32_t fence)
{
	struct host_heap *heap = heap_lookup(id);

	return heap ? dmabuf_resv_attach_job(heap->resv, buffer, (enum dmabuf_direction)direction, fence)
		    : DMABUF_EBADF;
}

int32_t dmabuf_host_resv_wait(int32_t id, int32_t buffer, int32_t write, uint32_t timeout_us)
{
	struct host_heap *heap = heap_lookup(id);

	return heap ? dmabuf_resv_wait(heap->resv, buffer, write != 0, timeout_us) : DMABUF_EBADF;
}

int32_t dmabuf_host_resv_implicit_sync(int32_t id, int32_t buffer, int32_t on)
{
	struct host_heap *heap = heap_lookup(id);
	struct dmabuf_resv_info info;
	int err;

	if (!heap)
		return DMABUF_EBADF;
	if (on >= 0)
		return dmabuf_resv_set_implicit_sync(heap->resv, buffer, on != 0);
	err = dmabuf_resv_get_info(heap->resv, buffer, &info);
	return err ? err : info.implicit_sync;
}

/* ---- frame queues ---------------------------------------------------------- */

static struct dmabuf_queue *queue_lookup(struct host_heap *heap, int32_t queue)
{
	if (queue <= 0 || queue > (int32_t)DMABUF_HOST_MAX_QUEUES)
		return NULL;
	return heap->queues[queue - 1];
}

int32_t dmabuf_host_queue_create(int32_t id, int32_t mode, const int32_t *buffers, int32_t count)
{
	struct host_heap *heap = heap_lookup(id);
	uint32_t slot;
	size_t size;
	void *storage;
	int err;

	if (!heap)
		return DMABUF_EBADF;
	if (!buffers || count <= 0)
		return DMABUF_EINVAL;
	size = dmabuf_queue_storage_size((uint32_t)count);
	if (!size)
		return DMABUF_EINVAL;
	storage = aligned_alloc(8, (size + 7u) & ~(size_t)7u);
	if (!storage)
		return DMABUF_ENOMEM;

	pthread_mutex_lock(&heap->queues_lock);
	for (slot = 0; slot < DMABUF_HOST_MAX_QUEUES; slot++)
		if (!heap->queues[slot])
			break;
	if (slot == DMABUF_HOST_MAX_QUEUES) {
		err = DMABUF_ENOMEM;
		goto err_unlock;
	}
	err = dmabuf_queue_init(&heap->queues[slot], storage, size, buffers, (uint32_t)count,
				(enum dmabuf_queue_mode)mode);
	if (err) {
		heap->queues[slot] = NULL;
		goto err_unlock;
	}
	dmabuf_queue_set_report(heap->queues[slot], host_report, heap);
	heap->queue_storage[slot] = storage;
	pthread_mutex_unlock(&heap->queues_lock);
	return (int32_t)slot + 1;

err_unlock:
	pthread_mutex_unlock(&heap->queues_lock);
	free(storage);
	return err;
}

int32_t dmabuf_host_queue_destroy(int32_t id, int32_t queue)
{
	struct host_heap *heap = heap_lookup(id);
	struct dmabuf_queue *q;
	int err;

	if (!heap)
		return DMABUF_EBADF;
	pthread_mutex_lock(&heap->queues_lock);
	q = queue_lookup(heap, queue);
	err = q ? dmabuf_queue_deinit(q) : DMABUF_EBADF;
	if (!err) {
		free(heap->queue_storage[queue - 1]);
		heap->queue_storage[queue - 1] = NULL;
		heap->queues[queue - 1] = NULL;
	}
	pthread_mutex_unlock(&heap->queues_lock);
	return err;
}

int32_t dmabuf_host_live_queues(int32_t id)
{
	struct host_heap *heap = heap_lookup(id);

	return heap ? queue_count(heap) : DMABUF_EBADF;
}

/* The queue functions are thread-safe on their own; the managed FrameQueue
 * never destroys a queue while one of its calls is running. */
#define QUEUE_OR_EBADF(heap, q, id, queue)                                                         \
	struct host_heap *heap = heap_lookup(id);                                                   \
	struct dmabuf_queue *q = heap ? queue_lookup(heap, queue) : NULL;                           \
	if (!q)                                                                                     \
		return DMABUF_EBADF

int32_t dmabuf_host_queue_close(int32_t id, int32_t queue)
{
	QUEUE_OR_EBADF(heap, q, id, queue);
	return dmabuf_queue_close(q);
}

int32_t dmabuf_host_queue_dequeue(int32_t id, int32_t queue, uint32_t timeout_us)
{
	QUEUE_OR_EBADF(heap, q, id, queue);
	struct dmabuf_queue_frame frame;
	int err = dmabuf_queue_dequeue(q, timeout_us, &frame);

	return err ? err : (int32_t)frame.index;
}

int32_t dmabuf_host_queue_enqueue(int32_t id, int32_t queue, int32_t index, int64_t timestamp_us)
{
	QUEUE_OR_EBADF(heap, q, id, queue);
	if (index < 0)
		return DMABUF_EINVAL;
	return dmabuf_queue_enqueue(q, (uint32_t)index, timestamp_us < 0 ? DMABUF_QUEUE_TIME_NOW : (uint64_t)timestamp_us);
}

int32_t dmabuf_host_queue_cancel(int32_t id, int32_t queue, int32_t index)
{
	QUEUE_OR_EBADF(heap, q, id, queue);
	return index < 0 ? DMABUF_EINVAL : dmabuf_queue_cancel(q, (uint32_t)index);
}

int32_t dmabuf_host_queue_acquire(int32_t id, int32_t queue, uint32_t timeout_us, int32_t *sequence,
				  int64_t *timestamp_us)
{
	QUEUE_OR_EBADF(heap, q, id, queue);
	struct dmabuf_queue_frame frame;
	int err;

	if (!sequence || !timestamp_us)
		return DMABUF_EINVAL;
	err = dmabuf_queue_acquire(q, timeout_us, &frame);
	if (err)
		return err;
	*sequence = (int32_t)frame.sequence;
	*timestamp_us = (int64_t)frame.timestamp_us;
	return (int32_t)frame.index;
}

int32_t dmabuf_host_queue_release(int32_t id, int32_t queue, int32_t index)
{
	QUEUE_OR_EBADF(heap, q, id, queue);
	return index < 0 ? DMABUF_EINVAL : dmabuf_queue_release(q, (uint32_t)index);
}

int32_t dmabuf_host_queue_frame_state(int32_t id, int32_t queue, int32_t index)
{
	QUEUE_OR_EBADF(heap, q, id, queue);
	return index < 0 ? DMABUF_EINVAL : dmabuf_queue_frame_state(q, (uint32_t)index);
}

int32_t dmabuf_host_queue_stats(int32_t id, int32_t queue, int32_t *values, int32_t count)
{
	QUEUE_OR_EBADF(heap, q, id, queue);
	struct dmabuf_queue_stats stats;

	if (!values || count < DMABUF_VALUES_QUEUE_STATS)
		return DMABUF_EINVAL;
	dmabuf_queue_stats(q, &stats);
	dmabuf_values_from_queue_stats(values, &stats, dmabuf_queue_check(q));
	return 0;
}
