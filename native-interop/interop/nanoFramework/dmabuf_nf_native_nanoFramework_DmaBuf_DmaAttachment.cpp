//
// nanoFramework.DmaBuf: DmaAttachment natives. The mapping crosses as an int[5]
// (DmaMapping.Native* layout: dma_addr, length, segment_bytes, segment_count,
// direction) because managed code holds no native structs.
//

#include "dmabuf_nf_native.h"
#include "../managed_values.h"

typedef Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaAttachment DmaAttachment;


// One try at mapping (busy: -EAGAIN, the buffer's fences are pending).
static int map_now(CLR_RT_StackFrame &stack)
{
    CLR_RT_HeapBlock *pThis = stack.This();
    struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, DmaAttachment::FIELD___heap);
    int32_t *values = dmabuf_nf_int_array(stack.Arg2(), DMABUF_VALUES_MAPPING);
    struct dmabuf_mapping mapping;
    int error = ctx ? dmabuf_map(
                          ctx,
                          pThis[DmaAttachment::FIELD___handle].NumericByRef().s4,
                          (enum dmabuf_direction)stack.Arg1().NumericByRef().s4,
                          &mapping)
                    : DMABUF_EBADF;

    if (error == 0)
    {
        dmabuf_values_from_mapping(values, &mapping);
    }

    return error;
}

HRESULT DmaAttachment::NativeMap___I4__I4__SZARRAY_I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        int error;

        if (dmabuf_nf_int_array(stack.Arg2(), DMABUF_VALUES_MAPPING) == NULL)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        // Implicit sync without blocking the interpreter, as CpuAccess.NativeBegin.
        NANOCLR_CHECK_HRESULT(dmabuf_nf_wait(stack, dmabuf_nf_implicit_timeout(), DMABUF_EAGAIN, map_now, error));
        stack.SetResult_I4(error);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaAttachment::NativeUnmap___I4__I4__SZARRAY_I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        int32_t *values = dmabuf_nf_int_array(stack.Arg2(), DMABUF_VALUES_MAPPING);
        struct dmabuf_mapping mapping;

        if (values == NULL)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        dmabuf_values_to_mapping(values, &mapping);

        stack.SetResult_I4(
            ctx ? dmabuf_unmap(
                      ctx,
                      pThis[FIELD___handle].NumericByRef().s4,
                      &mapping,
                      (enum dmabuf_direction)stack.Arg1().NumericByRef().s4)
                : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaAttachment::NativeDetach___I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        stack.SetResult_I4(ctx ? dmabuf_detach(ctx, pThis[FIELD___handle].NumericByRef().s4) : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}
