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
