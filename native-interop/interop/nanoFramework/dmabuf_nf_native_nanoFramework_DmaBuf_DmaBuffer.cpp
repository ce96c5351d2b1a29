//
// nanoFramework.DmaBuf: DmaBuffer natives.
//

#include "dmabuf_nf_native.h"

typedef Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaBuffer DmaBuffer;

HRESULT DmaBuffer::NativeAttach___I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        dmabuf_handle_t attachment = 0;
        int error = ctx ? dmabuf_attach(
                              ctx,
                              pThis[FIELD___handle].NumericByRef().s4,
                              stack.Arg1().NumericByRef().s4,
                              &attachment)
                        : DMABUF_EBADF;

        stack.SetResult_I4(error ? error : attachment);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaBuffer::NativePut___I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        stack.SetResult_I4(ctx ? dmabuf_put(ctx, pThis[FIELD___handle].NumericByRef().s4) : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaBuffer::NativeAttachFence___I4__I4__nanoFrameworkDmaBufDmaFence(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        CLR_RT_HeapBlock *fence = stack.Arg2().Dereference();
        FAULT_ON_NULL_ARG(fence);

        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        stack.SetResult_I4(
            ctx ? dmabuf_resv_attach_job(
                      dmabuf_nf_resv(),
                      pThis[FIELD___handle].NumericByRef().s4,
                      (enum dmabuf_direction)stack.Arg1().NumericByRef().s4,
                      fence[Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFence::FIELD___fence].NumericByRef().s4)
                : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}

// One poll of the buffer's fences (busy: -ETIMEDOUT).
static int poll_fences(CLR_RT_StackFrame &stack)
{
    CLR_RT_HeapBlock *pThis = stack.This();

    return dmabuf_nf_context_of(pThis, DmaBuffer::FIELD___heap) ? dmabuf_resv_wait(
                                                                     dmabuf_nf_resv(),
                                                                     pThis[DmaBuffer::FIELD___handle].NumericByRef().s4,
                                                                     stack.Arg1().NumericByRef().u1 != 0,
                                                                     0)
                                                               : DMABUF_EBADF;
}

HRESULT DmaBuffer::NativeWaitForFences___I4__BOOLEAN__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        int result;

        // The microseconds travel as the bits of a uint32_t (-1: forever).
        NANOCLR_CHECK_HRESULT(
            dmabuf_nf_wait(stack, stack.Arg2().NumericByRef().u4, DMABUF_ETIMEDOUT, poll_fences, result));
        stack.SetResult_I4(result);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaBuffer::NativeImplicitSync___I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        dmabuf_handle_t buffer = pThis[FIELD___handle].NumericByRef().s4;
        int32_t on = stack.Arg1().NumericByRef().s4;
        struct dmabuf_resv_info info;
        int result;

        if (ctx == NULL)
        {
            result = DMABUF_EBADF;
        }
        else if (on >= 0)
        {
            result = dmabuf_resv_set_implicit_sync(dmabuf_nf_resv(), buffer, on != 0);
        }
        else
        {
            result = dmabuf_resv_get_info(dmabuf_nf_resv(), buffer, &info);
            if (result == 0)
            {
                result = info.implicit_sync ? 1 : 0;
            }
        }

        stack.SetResult_I4(result);
    }
    NANOCLR_NOCLEANUP();
}
