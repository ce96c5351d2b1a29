//
// nanoFramework.DmaBuf: FrameQueue natives. C# makes queues at run time, so
// their storage comes from the native heap here (platform_malloc); the core
// itself never allocates. A queue is named by its slot + 1 (FrameQueue._queue).
// The core's own waits are never used (always timeout 0): nanoCLR runs every
// managed thread on this native thread, so a dequeue or acquire that must wait
// parks its managed thread (dmabuf_nf_wait.cpp), woken by the queue's wake hook.
//

#include "dmabuf/queue.h"
#include "dmabuf_nf_native.h"
#include "../managed_values.h"

typedef Library_dmabuf_nf_native_nanoFramework_DmaBuf_FrameQueue FrameQueue;

#define MAX_QUEUES 8

static struct dmabuf_queue *queues[MAX_QUEUES];
static void *storages[MAX_QUEUES];

// The queue behind a FrameQueue object, or NULL (stale heap or queue id).
static struct dmabuf_queue *queue_of(CLR_RT_HeapBlock *object)
{
    int32_t id = object[FrameQueue::FIELD___queue].NumericByRef().s4;

    if (dmabuf_nf_context_of(object, FrameQueue::FIELD___heap) == NULL || id <= 0 || id > MAX_QUEUES)
    {
        return NULL;
    }

    return queues[id - 1];
}

HRESULT FrameQueue::NativeCreate___I4__I4__SZARRAY_I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        CLR_RT_HeapBlock_Array *buffers = stack.Arg2().DereferenceArray();
        FAULT_ON_NULL_ARG(buffers);

        int32_t *handles = dmabuf_nf_int_array(stack.Arg2(), buffers->m_numOfElements);
        size_t size = dmabuf_queue_storage_size(buffers->m_numOfElements);
        int slot = 0;
        int error;
        void *storage;

        if (handles == NULL)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        if (dmabuf_nf_context_of(pThis, FIELD___heap) == NULL)
        {
            stack.SetResult_I4(DMABUF_EBADF);
            NANOCLR_SET_AND_LEAVE(S_OK);
        }

        while (slot < MAX_QUEUES && queues[slot] != NULL)
        {
            slot++;
        }

        if (size == 0 || slot == MAX_QUEUES)
        {
            stack.SetResult_I4(size == 0 ? DMABUF_EINVAL : DMABUF_ENOMEM);
            NANOCLR_SET_AND_LEAVE(S_OK);
        }

        storage = platform_malloc(size);
        if (storage == NULL)
        {
            stack.SetResult_I4(DMABUF_ENOMEM);
            NANOCLR_SET_AND_LEAVE(S_OK);
        }

        error = dmabuf_queue_init(
            &queues[slot],
            storage,
            size,
            handles,
            buffers->m_numOfElements,
            (enum dmabuf_queue_mode)stack.Arg1().NumericByRef().s4);
        if (error)
        {
            queues[slot] = NULL;
            platform_free(storage);
            stack.SetResult_I4(error);
            NANOCLR_SET_AND_LEAVE(S_OK);
        }

        dmabuf_queue_set_report(queues[slot], dmabuf_nf_report, NULL);
        dmabuf_queue_set_wake_hook(queues[slot], dmabuf_nf_wake, NULL);
        storages[slot] = storage;
        stack.SetResult_I4(slot + 1);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT FrameQueue::NativeDestroy___I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_queue *queue = queue_of(pThis);
        int32_t id = pThis[FIELD___queue].NumericByRef().s4;
        int error = queue ? dmabuf_queue_deinit(queue) : DMABUF_EBADF;

        if (error == 0)
        {
            platform_free(storages[id - 1]);
            storages[id - 1] = NULL;
            queues[id - 1] = NULL;
        }

        stack.SetResult_I4(error);
    }
    NANOCLR_NOCLEANUP();
}

// Wakes every managed thread parked in this queue (the wake hook raises the
// CLR event; their re-entered attempt then sees -ESHUTDOWN).
HRESULT FrameQueue::NativeClose___I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_queue *queue = queue_of(pThis);

        stack.SetResult_I4(queue ? dmabuf_queue_close(queue) : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}

// A dequeue that would get a frame now (a FREE one, or in LATEST mode a READY
// one), else busy (-ETIMEDOUT); -ESHUTDOWN once closed. Looks first: a
// dequeue that times out counts as starved, which only the caller's final,
// timed-out one should.
static int dequeue_if_available(CLR_RT_StackFrame &stack)
{
    CLR_RT_HeapBlock *pThis = stack.This();
    struct dmabuf_queue *queue = queue_of(pThis);
    bool latest = pThis[FrameQueue::FIELD___mode].NumericByRef().s4 == DMABUF_QUEUE_LATEST;
    struct dmabuf_queue_stats stats;
    struct dmabuf_queue_frame frame;
    int error;

    if (queue == NULL)
    {
        return DMABUF_EBADF;
    }

    dmabuf_queue_stats(queue, &stats);
    if (!stats.closed && stats.in_state[DMABUF_FRAME_FREE] == 0 &&
        (!latest || stats.in_state[DMABUF_FRAME_READY] == 0))
    {
        return DMABUF_ETIMEDOUT;
    }

    error = dmabuf_queue_dequeue(queue, 0, &frame);
    return error ? error : (int32_t)frame.index;
}

HRESULT FrameQueue::NativeDequeue___I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_queue *queue;
        struct dmabuf_queue_frame frame;
        int result;

        // The microseconds travel as the bits of a uint32_t (-1: forever).
        NANOCLR_CHECK_HRESULT(
            dmabuf_nf_wait(stack, stack.Arg1().NumericByRef().u4, DMABUF_ETIMEDOUT, dequeue_if_available, result));

        queue = queue_of(pThis);
        if (result == DMABUF_ETIMEDOUT && queue != NULL)
        {
            // Timed out: the one real try, counted as starved if it fails too.
            result = dmabuf_queue_dequeue(queue, 0, &frame);
            result = result ? result : (int32_t)frame.index;
        }

        stack.SetResult_I4(result);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT FrameQueue::NativeEnqueue___I4__I4__I8(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_queue *queue = queue_of(pThis);
        int32_t index = stack.Arg1().NumericByRef().s4;
        int64_t timestamp = stack.Arg2().NumericByRef().s8;

        if (queue == NULL)
        {
            stack.SetResult_I4(DMABUF_EBADF);
        }
        else if (index < 0)
        {
            stack.SetResult_I4(DMABUF_EINVAL);
        }
        else
        {
            stack.SetResult_I4(dmabuf_queue_enqueue(
                queue,
                (uint32_t)index,
                timestamp < 0 ? DMABUF_QUEUE_TIME_NOW : (uint64_t)timestamp));
        }
    }
    NANOCLR_NOCLEANUP();
}

HRESULT FrameQueue::NativeCancel___I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_queue *queue = queue_of(pThis);
        int32_t index = stack.Arg1().NumericByRef().s4;

        stack.SetResult_I4(queue == NULL ? DMABUF_EBADF : index < 0 ? DMABUF_EINVAL : dmabuf_queue_cancel(queue, (uint32_t)index));
    }
    NANOCLR_NOCLEANUP();
}

// The stamp argument (long[2]: sequence, timestamp), or NULL.
static int64_t *stamp_of(CLR_RT_StackFrame &stack)
{
    CLR_RT_HeapBlock_Array *stamp = stack.Arg2().DereferenceArray();

    if (stamp == NULL || stamp->m_numOfElements < 2 || stamp->m_sizeOfElement != sizeof(int64_t))
    {
        return NULL;
    }

    return (int64_t *)stamp->GetFirstElement();
}

// One acquire without waiting (busy: -ETIMEDOUT).
static int acquire_now(CLR_RT_StackFrame &stack)
{
    struct dmabuf_queue *queue = queue_of(stack.This());
    int64_t *stamp = stamp_of(stack);
    struct dmabuf_queue_frame frame;
    int error = queue ? dmabuf_queue_acquire(queue, 0, &frame) : DMABUF_EBADF;

    if (error)
    {
        return error;
    }

    stamp[0] = frame.sequence;
    stamp[1] = (int64_t)frame.timestamp_us;
    return (int32_t)frame.index;
}

HRESULT FrameQueue::NativeAcquire___I4__I4__SZARRAY_I8(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        int result;

        if (stamp_of(stack) == NULL)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        // The microseconds travel as the bits of a uint32_t (-1: forever).
        NANOCLR_CHECK_HRESULT(
            dmabuf_nf_wait(stack, stack.Arg1().NumericByRef().u4, DMABUF_ETIMEDOUT, acquire_now, result));
        stack.SetResult_I4(result);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT FrameQueue::NativeRelease___I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_queue *queue = queue_of(pThis);
        int32_t index = stack.Arg1().NumericByRef().s4;

        stack.SetResult_I4(queue == NULL ? DMABUF_EBADF : index < 0 ? DMABUF_EINVAL : dmabuf_queue_release(queue, (uint32_t)index));
    }
    NANOCLR_NOCLEANUP();
}

HRESULT FrameQueue::NativeFrameState___I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_queue *queue = queue_of(pThis);
        int32_t index = stack.Arg1().NumericByRef().s4;

        stack.SetResult_I4(queue == NULL ? DMABUF_EBADF : index < 0 ? DMABUF_EINVAL : dmabuf_queue_frame_state(queue, (uint32_t)index));
    }
    NANOCLR_NOCLEANUP();
}

HRESULT FrameQueue::NativeStatistics___I4__SZARRAY_I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_queue *queue = queue_of(pThis);
        int32_t *values = dmabuf_nf_int_array(stack.Arg1(), DMABUF_VALUES_QUEUE_STATS);
        struct dmabuf_queue_stats stats;

        if (values == NULL)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        if (queue == NULL)
        {
            stack.SetResult_I4(DMABUF_EBADF);
            NANOCLR_SET_AND_LEAVE(S_OK);
        }

        dmabuf_queue_stats(queue, &stats);
        dmabuf_values_from_queue_stats(values, &stats, dmabuf_queue_check(queue));
        stack.SetResult_I4(0);
    }
    NANOCLR_NOCLEANUP();
}
