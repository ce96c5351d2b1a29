/*
 * The flat C ABI the managed host build (managed/nanoFramework.DmaBuf.Host)
 * calls through P/Invoke. Host only: each heap is a simulated SoC
 * (native-interop/sim) for a compiled-in board with a DmaBuf context over it.
 *
 * Shape, so that every call is a direct blittable P/Invoke:
 *   - every function returns an int32_t: 0 (or a non-negative value where
 *     said) on success, a negative dmabuf_error on failure;
 *   - arguments are integers, UTF-8 NUL-terminated strings and pointers to
 *     caller arrays; no struct crosses the boundary by value;
 *   - a heap is named by a generation-checked id, never a pointer.
 *
 * Threading: any thread may call, as the core takes its context lock. The
 * caller (the managed DmaHeap) guarantees that dmabuf_host_heap_close is not
 * racing with other calls on the same heap: a closed id is rejected with
 * -EBADF, but only a call that starts after the close returned.
 *
 * Diagnostics: in DMABUF_DEBUG builds the core reports one message per
 * failure; the last one of the calling thread is kept until
 * dmabuf_host_take_last_message reads it or the thread's next call starts.
 */
#ifndef DMABUF_HOST_H
#define DMABUF_HOST_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DMABUF_HOST_API __attribute__((visibility("default")))

/* Buffer and attachment slots of every host heap. */
#define DMABUF_HOST_MAX_BUFFERS 64u
#define DMABUF_HOST_MAX_ATTACHMENTS 128u
/* Fences of every host heap, and how long an implicit wait (map, begin CPU
 * access) waits for a buffer's fences before failing with -ETIMEDOUT. */
#define DMABUF_HOST_MAX_FENCES 64u
#define DMABUF_HOST_IMPLICIT_TIMEOUT_US 10000000u
/* Frame queues one host heap can hold. */
#define DMABUF_HOST_MAX_QUEUES 8u

/* ---- heaps ------------------------------------------------------------ */

/* Open a heap for the compiled-in board @board (simulated SoC + context,
 * misuse checker on). @retval 0 and *heap set; -EINVAL NULL argument;
 * -ENOENT no such board; -ENOMEM no heap slot or no host memory. */
DMABUF_HOST_API int32_t dmabuf_host_heap_open(const char *board, int32_t *heap);

/* Close a heap. @retval 0; -EBADF; -EBUSY buffers still alive (the heap
 * stays open and usable). */
DMABUF_HOST_API int32_t dmabuf_host_heap_close(int32_t heap);

/* Heaps open in the process (the managed tests' leak check). */
DMABUF_HOST_API int32_t dmabuf_host_live_heaps(void);

/* struct dmabuf_heap_stats as 7 64-bit values in member order: capacity,
 * in_use, peak, failed, largest_free, live_buffers, live_attachments.
 * @retval 0; -EBADF; -EINVAL @values NULL or @count < 7. */
DMABUF_HOST_API int32_t dmabuf_host_heap_stats(int32_t heap, int64_t *values, int32_t count);

/* struct dmabuf_cache_stats as 3 64-bit values (lines_cleaned,
 * lines_invalidated, whole_cache_ops), then zeroed if @reset. @values may be
 * NULL when only resetting. @retval 0; -EBADF; -EINVAL short array. */
DMABUF_HOST_API int32_t dmabuf_host_cache_stats(int32_t heap, int64_t *values, int32_t count, int32_t reset);

/* dmabuf_bufinfo into @text (at most @len bytes with the NUL).
 * @retval bytes the full text needs (without the NUL); -EBADF; -EINVAL. */
DMABUF_HOST_API int32_t dmabuf_host_bufinfo(int32_t heap, char *text, int32_t len);

/* Verify the context's invariants (dmabuf_check). @retval 0; -EIO; -EBADF. */
DMABUF_HOST_API int32_t dmabuf_host_check(int32_t heap);

/* Index of the board device @name. @retval index >= 0; -ENOENT; -EBADF; -EINVAL. */
DMABUF_HOST_API int32_t dmabuf_host_device_find(int32_t heap, const char *name);

/* ---- buffers ---------------------------------------------------------- */

/* dmabuf_export. @retval handle > 0; negative error. */
DMABUF_HOST_API int32_t dmabuf_host_export(int32_t heap, int32_t size, const char *name, int32_t flags);

DMABUF_HOST_API int32_t dmabuf_host_get(int32_t heap, int32_t buffer);
DMABUF_HOST_API int32_t dmabuf_host_put(int32_t heap, int32_t buffer);

/* struct dmabuf_info as 8 values: size, region, dma_addr, refcount,
 * attachments, device_mappings, cpu_access, cache_state (DMABUF_CACHE_*
 * bits). @retval 0; -EBADF; -EINVAL @values NULL or @count < 8. */
DMABUF_HOST_API int32_t dmabuf_host_buffer_info(int32_t heap, int32_t buffer, int32_t *values, int32_t count);

/* The buffer's name into @name (NUL-terminated, at most @len bytes).
 * @retval 0; -EBADF; -EINVAL @len < DMABUF_NAME_MAX. */
DMABUF_HOST_API int32_t dmabuf_host_buffer_name(int32_t heap, int32_t buffer, char *name, int32_t len);

/* ---- attachments and mappings ------------------------------------------ */

/* dmabuf_attach. @retval attachment handle > 0; negative error. */
DMABUF_HOST_API int32_t dmabuf_host_attach(int32_t heap, int32_t buffer, int32_t device);
DMABUF_HOST_API int32_t dmabuf_host_detach(int32_t heap, int32_t attachment);

/* dmabuf_map; struct dmabuf_mapping as 5 values: dma_addr, length,
 * segment_bytes, segment_count, direction. */
DMABUF_HOST_API int32_t dmabuf_host_map(int32_t heap, int32_t attachment, int32_t direction,
					int32_t *mapping, int32_t count);
/* dmabuf_unmap of the 5 values dmabuf_host_map returned. */
DMABUF_HOST_API int32_t dmabuf_host_unmap(int32_t heap, int32_t attachment, int32_t direction,
					  const int32_t *mapping, int32_t count);

/* ---- CPU access ---------------------------------------------------------- */

DMABUF_HOST_API int32_t dmabuf_host_begin_cpu_access(int32_t heap, int32_t buffer, int32_t direction,
						     int32_t offset, int32_t length, void **cpu);
DMABUF_HOST_API int32_t dmabuf_host_end_cpu_access(int32_t heap, int32_t buffer, int32_t direction,
						   int32_t offset, int32_t length);

/* ---- diagnostics ----------------------------------------------------------- */

/* Copy the calling thread's last failure message into @text (at most @len
 * bytes with the NUL) and forget it. @retval its length; 0 if none. */
DMABUF_HOST_API int32_t dmabuf_host_take_last_message(char *text, int32_t len);

/* ---- fences and reservations (fence.h, resv.h) -------------------------- */

/* A new unsignalled fence on the heap's timeline (next sequence number).
 * @retval fence handle > 0; -ENOMEM pool exhausted; -EBADF. */
DMABUF_HOST_API int32_t dmabuf_host_fence_create(int32_t heap);
DMABUF_HOST_API int32_t dmabuf_host_fence_put(int32_t heap, int32_t fence);
/* Signal; with @error (negative) as dmabuf_fence_signal_error. */
DMABUF_HOST_API int32_t dmabuf_host_fence_signal(int32_t heap, int32_t fence, int32_t error);
/* dmabuf_fence_status: 0 pending, 1 signalled, negative: its error or -EBADF. */
DMABUF_HOST_API int32_t dmabuf_host_fence_status(int32_t heap, int32_t fence);
DMABUF_HOST_API int32_t dmabuf_host_fence_wait(int32_t heap, int32_t fence, uint32_t timeout_us);
/* context, seqno, refcount. */
DMABUF_HOST_API int32_t dmabuf_host_fence_info(int32_t heap, int32_t fence, int32_t *values, int32_t count);
/* Fences alive that the caller holds (the reservation table's own
 * references excluded): the managed tests' leak check. */
DMABUF_HOST_API int32_t dmabuf_host_live_fences(int32_t heap);

/* dmabuf_resv_attach_job: @fence completes a DMA job that moves @buffer in
 * @direction (as mapped). */
DMABUF_HOST_API int32_t dmabuf_host_resv_attach_job(int32_t heap, int32_t buffer, int32_t direction,
						    int32_t fence);
DMABUF_HOST_API int32_t dmabuf_host_resv_wait(int32_t heap, int32_t buffer, int32_t write,
					      uint32_t timeout_us);
/* @on 0/1 switches implicit sync; @on < 0 reads it: @retval 0/1. */
DMABUF_HOST_API int32_t dmabuf_host_resv_implicit_sync(int32_t heap, int32_t buffer, int32_t on);

/* ---- frame queues (queue.h) ---------------------------------------------- */

/* A queue over the @count buffer handles (all FREE) in @mode (enum
 * dmabuf_queue_mode). @retval queue id > 0; -EINVAL; -ENOMEM no queue slot. */
DMABUF_HOST_API int32_t dmabuf_host_queue_create(int32_t heap, int32_t mode, const int32_t *buffers,
						 int32_t count);
/* @retval 0; -EBUSY frames PRODUCING/CONSUMING or a waiter; -EBADF. */
DMABUF_HOST_API int32_t dmabuf_host_queue_destroy(int32_t heap, int32_t queue);
/* dmabuf_queue_close: waiters wake, later takes and enqueues get -ESHUTDOWN.
 * @retval 0; -EBADF. */
DMABUF_HOST_API int32_t dmabuf_host_queue_close(int32_t heap, int32_t queue);
/* Frame queues of the heap created and not yet destroyed: the managed tests'
 * leak check, as dmabuf_host_live_fences is for fences. @retval the count;
 * -EBADF. */
DMABUF_HOST_API int32_t dmabuf_host_live_queues(int32_t heap);
/* @retval the frame index dequeued; -ETIMEDOUT; -ESHUTDOWN; -EBADF. */
DMABUF_HOST_API int32_t dmabuf_host_queue_dequeue(int32_t heap, int32_t queue, uint32_t timeout_us);
/* @timestamp_us < 0: now (DMABUF_QUEUE_TIME_NOW). */
DMABUF_HOST_API int32_t dmabuf_host_queue_enqueue(int32_t heap, int32_t queue, int32_t index,
						  int64_t timestamp_us);
DMABUF_HOST_API int32_t dmabuf_host_queue_cancel(int32_t heap, int32_t queue, int32_t index);
/* @retval the frame index acquired, its sequence and timestamp stored;
 * -ETIMEDOUT; -ESHUTDOWN; -EBADF; -EINVAL. */
DMABUF_HOST_API int32_t dmabuf_host_queue_acquire(int32_t heap, int32_t queue, uint32_t timeout_us,
						  int32_t *sequence, int64_t *timestamp_us);
DMABUF_HOST_API int32_t dmabuf_host_queue_release(int32_t heap, int32_t queue, int32_t index);
/* @retval enum dmabuf_frame_state; -EINVAL; -EBADF. */
DMABUF_HOST_API int32_t dmabuf_host_queue_frame_state(int32_t heap, int32_t queue, int32_t index);
/* count, enqueued, acquired, dropped, starved, dmabuf_queue_check result,
 * frames FREE, frames READY. */
DMABUF_HOST_API int32_t dmabuf_host_queue_stats(int32_t heap, int32_t queue, int32_t *values, int32_t count);

/* ---- the simulated SoC (tests and demos play the devices) ----------------- */

/* Copy bus memory (what a DMA master sees) at @addr out to / in from @data,
 * as a device's DMA would. @retval 0; -EBADF; -EFAULT the range is not inside
 * one region; -EINVAL. Not synchronised with the core: call while no other
 * thread uses the heap. */
DMABUF_HOST_API int32_t dmabuf_host_sim_bus_read(int32_t heap, uint32_t addr, uint8_t *data, int32_t length);
DMABUF_HOST_API int32_t dmabuf_host_sim_bus_write(int32_t heap, uint32_t addr, const uint8_t *data,
						  int32_t length);

/* Evict every cacheable line (dirty ones written back), as a cache under
 * pressure would. @retval 0; -EBADF. */
DMABUF_HOST_API int32_t dmabuf_host_sim_evict_all(int32_t heap);

#ifdef __cplusplus
}
#endif

#endif /* DMABUF_HOST_H */
