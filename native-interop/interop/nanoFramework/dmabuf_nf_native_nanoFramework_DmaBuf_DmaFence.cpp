//
// nanoFramework.DmaBuf: DmaFence natives over the firmware's fence pool.
//

#include "dmabuf_nf_native.h"

typedef Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFence DmaFence;

// The pool behind a fence object, or NULL for a stale heap id.
static struct dmabuf_fence_pool *pool_of(CLR_RT_HeapBlock *fence)
{
    return dmabuf_nf_context_of(fence, DmaFence::FIELD___heap) ? dmabuf_nf_fences() : NULL;
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

        struct dmabuf_fence_pool *pool = pool_of(pThis);
        stack.SetResult_I4(pool ? dmabuf_fence_status(pool, pThis[FIELD___fence].NumericByRef().s4) : DMABUF_EBADF);
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
        int32_t *values = dmabuf_nf_int_array(stack.Arg1(), 3);
        struct dmabuf_fence_info info;
        int error;

        if (values == NULL)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        error = pool ? dmabuf_fence_get_info(pool, pThis[FIELD___fence].NumericByRef().s4, &info) : DMABUF_EBADF;
        if (error == 0)
        {
            values[0] = (int32_t)info.context;
            values[1] = (int32_t)info.seqno;
            values[2] = (int32_t)info.refcount;
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
