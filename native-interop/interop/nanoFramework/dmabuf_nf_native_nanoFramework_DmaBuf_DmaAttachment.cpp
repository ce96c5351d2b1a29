//
// nanoFramework.DmaBuf: DmaAttachment natives. The mapping crosses as an int[5]
// (DmaMapping.Native* layout: dma_addr, length, segment_bytes, segment_count,
// direction) because managed code holds no native structs.
//

#include "dmabuf_nf_native.h"

typedef Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaAttachment DmaAttachment;

#define MAPPING_VALUES 5u

// One try at mapping (busy: -EAGAIN, the buffer's fences are pending).
static int map_now(CLR_RT_StackFrame &stack)
{
    CLR_RT_HeapBlock *pThis = stack.This();
    struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, DmaAttachment::FIELD___heap);
    int32_t *values = dmabuf_nf_int_array(stack.Arg2(), MAPPING_VALUES);
    struct dmabuf_mapping mapping;
    int error = ctx ? dmabuf_map(
                          ctx,
                          pThis[DmaAttachment::FIELD___handle].NumericByRef().s4,
                          (enum dmabuf_direction)stack.Arg1().NumericByRef().s4,
                          &mapping)
                    : DMABUF_EBADF;

    if (error == 0)
    {
        values[0] = (int32_t)mapping.dma_addr;
        values[1] = (int32_t)mapping.length;
        values[2] = (int32_t)mapping.segment_bytes;
        values[3] = (int32_t)mapping.segment_count;
        values[4] = (int32_t)mapping.direction;
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

        if (dmabuf_nf_int_array(stack.Arg2(), MAPPING_VALUES) == NULL)
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
        int32_t *values = dmabuf_nf_int_array(stack.Arg2(), MAPPING_VALUES);
        struct dmabuf_mapping mapping;

        if (values == NULL)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        mapping.dma_addr = (dmabuf_addr_t)values[0];
        mapping.length = (uint32_t)values[1];
        mapping.segment_bytes = (uint32_t)values[2];
        mapping.segment_count = (uint32_t)values[3];
        mapping.direction = (uint32_t)values[4];

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
