//
// nanoFramework.DmaBuf: DmaFence natives over the firmware's fence pool.
//

#include "dmabuf_nf_native.h"
#include "../managed_values.h"

typedef Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFence DmaFence;

// The pool behind a fence object, or NULL for a stale heap id.
static struct dmabuf_fence_pool *pool_of(CLR_RT_HeapBlock *fence)
{
    return dmabuf_nf_context_of(fence, DmaFence::FIELD___heap) ? dmabuf_nf_fences() : NULL;
}

// One look at the fence: 0 pending (busy), 1 signalled, or its error.
static int fence_status(CLR_RT_StackFrame &stack)
{
    CLR_RT_HeapBlock *pThis = stack.This();
    struct dmabuf_fence_pool *pool = pool_of(pThis);

    return pool ? dmabuf_fence_status(pool, pThis[DmaFence::FIELD___fence].NumericByRef().s4) : DMABUF_EBADF;
}

// The fence a wait on this object waits for (the wait hook's part, dmabuf_nf_wait).
static dmabuf_fence_t this_fence(CLR_RT_StackFrame &stack)
{
    return stack.This()[DmaFence::FIELD___fence].NumericByRef().s4;
}

HRESULT DmaFence::NativeSignal___I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_fence_pool *pool = pool_of(pThis);
        dmabuf_fence_t fence = pThis[FIELD___fence].NumericByRef().s4;
        int32_t error = stack.Arg1().NumericByRef().s4;

        if (pool == NULL)
        {
            stack.SetResult_I4(DMABUF_EBADF);
        }
        else
        {
            stack.SetResult_I4(error ? dmabuf_fence_signal_error(pool, fence, error) : dmabuf_fence_signal(pool, fence));
        }
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaFence::NativeStatus___I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        stack.SetResult_I4(fence_status(stack));
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaFence::NativeWait___I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        int status;

        // The microseconds travel as the bits of a uint32_t (-1: forever).
        NANOCLR_CHECK_HRESULT(dmabuf_nf_wait(stack, stack.Arg1().NumericByRef().u4, 0, fence_status, status, this_fence));
        // As dmabuf_fence_wait: 0 signalled, else the error it was signalled with.
        stack.SetResult_I4(status == 1 ? 0 : status);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaFence::NativeInfo___I4__SZARRAY_I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_fence_pool *pool = pool_of(pThis);
        int32_t *values = dmabuf_nf_int_array(stack.Arg1(), DMABUF_VALUES_FENCE_INFO);
        struct dmabuf_fence_info info;
        int error;

        if (values == NULL)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        error = pool ? dmabuf_fence_get_info(pool, pThis[FIELD___fence].NumericByRef().s4, &info) : DMABUF_EBADF;
        if (error == 0)
        {
            dmabuf_values_from_fence_info(values, &info);
        }

        stack.SetResult_I4(error);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaFence::NativePut___I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_fence_pool *pool = pool_of(pThis);
        stack.SetResult_I4(pool ? dmabuf_fence_put(pool, pThis[FIELD___fence].NumericByRef().s4) : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaFence::NativeSignalFromNativeThread___I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_fence_pool *pool = pool_of(pThis);
        int32_t delay_ms = stack.Arg1().NumericByRef().s4;

        stack.SetResult_I4(
            pool == NULL ? DMABUF_EBADF
            : delay_ms < 0
                ? DMABUF_EINVAL
                : dmabuf_nf_signal_from_native_thread(pool, pThis[FIELD___fence].NumericByRef().s4, (uint32_t)delay_ms));
    }
    NANOCLR_NOCLEANUP();
}
