/*
 * The value arrays the managed API exchanges with the native side: one layout
 * per core struct, used by both interop layers (host P/Invoke in host/ and
 * the nanoFramework stubs in nanoFramework/), so the two cannot drift apart.
 *
 * DOC: managed value arrays
 *
 * The managed side reads and writes the same indices; each layout names the
 * C# member that owns it. Narrowing is deliberate: 32-bit fields travel as
 * Int32 (nanoFramework's native integer), counters that can pass 2^31 as
 * Int64. Values coming back from managed code (a mapping) are only copied
 * into the struct here: the core checks them as it checks any caller's.
 *
 * C and C++ (the nanoFramework stubs are C++): no designated initialisers.
 */
#ifndef DMABUF_MANAGED_VALUES_H
#define DMABUF_MANAGED_VALUES_H

#include <stdint.h>

#include "dmabuf/dmabuf.h"
#include "dmabuf/cpu_copy.h"
#include "dmabuf/fence.h"
#include "dmabuf/peripheral.h"
#include "dmabuf/queue.h"

/* A mapping (DmaMapping): DmaAttachment.NativeMap / NativeUnmap and the
 * peripherals' mapping argument. Int32[5]. */
#define DMABUF_VALUES_MAPPING 5

static inline void dmabuf_values_from_mapping(int32_t *values, const struct dmabuf_mapping *mapping)
{
	values[0] = (int32_t)mapping->dma_addr;
	values[1] = (int32_t)mapping->length;
	values[2] = (int32_t)mapping->segment_bytes;
	values[3] = (int32_t)mapping->segment_count;
	values[4] = (int32_t)mapping->direction;
}

static inline void dmabuf_values_to_mapping(const int32_t *values, struct dmabuf_mapping *mapping)
{
	mapping->dma_addr = (dmabuf_addr_t)(uint32_t)values[0];
	mapping->length = (uint32_t)values[1];
	mapping->segment_bytes = (uint32_t)values[2];
	mapping->segment_count = (uint32_t)values[3];
	mapping->direction = (uint32_t)values[4];
}

/* DmaHeapStatistics: DmaHeap.NativeStatistics. Int64[7]. */
#define DMABUF_VALUES_HEAP_STATS 7

static inline void dmabuf_values_from_heap_stats(int64_t *values, const struct dmabuf_heap_stats *stats)
{
	values[0] = stats->capacity;
	values[1] = stats->in_use;
	values[2] = stats->peak;
	values[3] = (int64_t)stats->failed;
	values[4] = stats->largest_free;
	values[5] = stats->live_buffers;
	values[6] = stats->live_attachments;
}

/* DmaCacheStatistics: DmaHeap.NativeCacheStatistics. Int64[3]. */
#define DMABUF_VALUES_CACHE_STATS 3

static inline void dmabuf_values_from_cache_stats(int64_t *values, const struct dmabuf_cache_stats *stats)
{
	values[0] = (int64_t)stats->lines_cleaned;
	values[1] = (int64_t)stats->lines_invalidated;
	values[2] = (int64_t)stats->whole_cache_ops;
}

/* DmaCpuCopyStatistics: DmaHeap.NativeCpuCopyStatistics. Int64[2]. */
#define DMABUF_VALUES_CPU_COPY_STATS 2

static inline void dmabuf_values_from_cpu_copy_stats(int64_t *values, const struct dmabuf_cpu_copy_stats *stats)
{
	values[0] = (int64_t)stats->bytes;
	values[1] = (int64_t)stats->copies;
}

/* A buffer's info: DmaHeap.NativeBufferInfo, indices the DmaHeap.BufferInfo* constants. Int32[8]. */
#define DMABUF_VALUES_BUFFER_INFO 8

static inline void dmabuf_values_from_buffer_info(int32_t *values, const struct dmabuf_info *info)
{
	values[0] = (int32_t)info->size;
	values[1] = info->region;
	values[2] = (int32_t)info->dma_addr;
	values[3] = (int32_t)info->refcount;
	values[4] = (int32_t)info->attachments;
	values[5] = (int32_t)info->device_mappings;
	values[6] = info->cpu_access;
	values[7] = info->cache_state;
}

/* A fence's info: DmaFence.NativeInfo. Int32[3]. */
#define DMABUF_VALUES_FENCE_INFO 3

static inline void dmabuf_values_from_fence_info(int32_t *values, const struct dmabuf_fence_info *info)
{
	values[0] = (int32_t)info->context;
	values[1] = (int32_t)info->seqno;
	values[2] = (int32_t)info->refcount;
}

/* FrameQueueStatistics: FrameQueue.NativeStatistics. Int32[8]; @check is
 * dmabuf_queue_check's result, which the statistics carry. */
#define DMABUF_VALUES_QUEUE_STATS 8

static inline void dmabuf_values_from_queue_stats(int32_t *values, const struct dmabuf_queue_stats *stats, int check)
{
	values[0] = (int32_t)stats->count;
	values[1] = (int32_t)stats->enqueued;
	values[2] = (int32_t)stats->acquired;
	values[3] = (int32_t)stats->dropped;
	values[4] = (int32_t)stats->starved;
	values[5] = check;
	values[6] = (int32_t)stats->in_state[DMABUF_FRAME_FREE];
	values[7] = (int32_t)stats->in_state[DMABUF_FRAME_READY];
}

/* A peripheral job's completion: DmaPeripheral.NativeCompletion. Int64[3]. */
#define DMABUF_VALUES_COMPLETION 3

static inline void dmabuf_values_from_completion(int64_t *values, const struct dmabuf_completion *completion)
{
	values[0] = (int64_t)completion->sequence;
	values[1] = (int64_t)completion->start_us;
	values[2] = (int64_t)completion->timestamp_us;
}

/* A peripheral's largest frame, before it is opened: DmaHeap.NativePeripheralFrameSize.
 * Int32[3]: max_width, max_height, 1 if that is its only size. */
#define DMABUF_VALUES_FRAME_SIZE 3

static inline void dmabuf_values_from_frame_size(int32_t *values, const struct dmabuf_peripheral *peripheral)
{
	values[0] = (int32_t)peripheral->constraints.max_width;
	values[1] = (int32_t)peripheral->constraints.max_height;
	values[2] = peripheral->fixed_size ? 1 : 0;
}

#endif /* DMABUF_MANAGED_VALUES_H */
