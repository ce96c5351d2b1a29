//
// nanoFramework.DmaBuf: DmaFrame natives. Marshalling only: the frame
// descriptor comes from the managed ABI fields, every rule is checked (and
// reported) by the frames layer (dmabuf/frame.h), which opens and ends the
// CPU access of each operation itself. Each body sits in a block so the
// early-exit macros never jump over an initialised declaration.
//

#include "dmabuf/frame.h"
#include "dmabuf_nf_native.h"

typedef Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFrame DmaFrame;

// The context and descriptor of the managed frame `object`; NULL if its heap
// is gone. Negative managed values become huge ones the core refuses.
static struct dmabuf_ctx *frame_of(CLR_RT_HeapBlock *object, struct dmabuf_frame *frame)
{
    frame->buffer = object[DmaFrame::FIELD___handle].NumericByRef().s4;
    frame->offset = object[DmaFrame::FIELD___offset].NumericByRef().u4;
    frame->width = object[DmaFrame::FIELD___width].NumericByRef().u4;
    frame->height = object[DmaFrame::FIELD___height].NumericByRef().u4;
    frame->stride = object[DmaFrame::FIELD___stride].NumericByRef().u4;
    frame->format = object[DmaFrame::FIELD___format].NumericByRef().u4;
    return dmabuf_nf_context_of(object, DmaFrame::FIELD___heap);
}

static int32_t arg_i4(CLR_RT_StackFrame &stack, int index)
{
    return stack.ArgN(index).NumericByRef().s4;
}

HRESULT DmaFrame::NativeCheck___I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_frame frame;
        struct dmabuf_ctx *ctx = frame_of(pThis, &frame);
        stack.SetResult_I4(ctx ? dmabuf_frame_check(ctx, &frame) : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaFrame::NativeFill___I4__I4__I4__I4__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_frame frame;
        struct dmabuf_ctx *ctx = frame_of(pThis, &frame);
        stack.SetResult_I4(ctx ? dmabuf_frame_fill(ctx, &frame, arg_i4(stack, 1), arg_i4(stack, 2), arg_i4(stack, 3),
                                                   arg_i4(stack, 4), (uint32_t)arg_i4(stack, 5))
                               : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaFrame::NativeDarken___I4__I4__I4__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_frame frame;
        struct dmabuf_ctx *ctx = frame_of(pThis, &frame);
        stack.SetResult_I4(ctx ? dmabuf_frame_darken(ctx, &frame, arg_i4(stack, 1), arg_i4(stack, 2), arg_i4(stack, 3),
                                                     arg_i4(stack, 4))
                               : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaFrame::NativeBlend___I4__I4__I4__I4__I4__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_frame frame;
        struct dmabuf_ctx *ctx = frame_of(pThis, &frame);
        stack.SetResult_I4(ctx ? dmabuf_frame_blend(ctx, &frame, arg_i4(stack, 1), arg_i4(stack, 2), arg_i4(stack, 3),
                                                    arg_i4(stack, 4), (uint32_t)arg_i4(stack, 5),
                                                    (uint32_t)arg_i4(stack, 6))
                               : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaFrame::NativeCopy___I4__I4__I4__I4__I4__nanoFrameworkDmaBufDmaFrame__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        CLR_RT_HeapBlock *other = stack.Arg5().Dereference();
        FAULT_ON_NULL_ARG(other);

        // Managed checked that both frames belong to one heap.
        struct dmabuf_frame source, destination;
        struct dmabuf_ctx *ctx = frame_of(pThis, &source);
        frame_of(other, &destination);
        stack.SetResult_I4(ctx ? dmabuf_frame_copy(ctx, &source, arg_i4(stack, 1), arg_i4(stack, 2), arg_i4(stack, 3),
                                                   arg_i4(stack, 4), &destination, arg_i4(stack, 6),
                                                   arg_i4(stack, 7))
                               : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaFrame::NativeDrawText___I4__I4__I4__STRING__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        // The CLR keeps strings as UTF-8: a non-ASCII character arrives as
        // bytes >= 0x80, which the frames layer refuses as not printable.
        const char *text = stack.Arg3().RecoverString();
        FAULT_ON_NULL_ARG(text);

        struct dmabuf_frame frame;
        struct dmabuf_ctx *ctx = frame_of(pThis, &frame);
        stack.SetResult_I4(ctx ? dmabuf_frame_draw_text(ctx, &frame, arg_i4(stack, 1), arg_i4(stack, 2), text,
                                                        (uint32_t)hal_strlen_s(text), (uint32_t)arg_i4(stack, 4),
                                                        (uint32_t)arg_i4(stack, 5))
                               : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaFrame::NativeDrawSprite___I4__I4__I4__SZARRAY_U1__I4__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        CLR_RT_HeapBlock_Array *pixels = stack.Arg3().DereferenceArray();
        FAULT_ON_NULL_ARG(pixels);

        struct dmabuf_frame frame;
        struct dmabuf_ctx *ctx = frame_of(pThis, &frame);
        stack.SetResult_I4(ctx ? dmabuf_frame_draw_sprite(ctx, &frame, arg_i4(stack, 1), arg_i4(stack, 2),
                                                          pixels->GetFirstElement(), pixels->m_numOfElements,
                                                          arg_i4(stack, 4), arg_i4(stack, 5),
                                                          (uint32_t)arg_i4(stack, 6))
                               : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaFrame::NativeReadPixel___I4__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_frame frame;
        struct dmabuf_ctx *ctx = frame_of(pThis, &frame);
        uint32_t rgb = 0;
        int error = ctx ? dmabuf_frame_read_pixel(ctx, &frame, arg_i4(stack, 1), arg_i4(stack, 2), &rgb)
                        : DMABUF_EBADF;

        // 0xRRGGBB is never negative: one result carries the colour or the error.
        stack.SetResult_I4(error ? error : (int32_t)rgb);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaFrame::NativeReadRow___I4__I4__I4__I4__SZARRAY_U1(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        CLR_RT_HeapBlock_Array *destination = stack.Arg4().DereferenceArray();
        FAULT_ON_NULL_ARG(destination);

        struct dmabuf_frame frame;
        struct dmabuf_ctx *ctx = frame_of(pThis, &frame);
        stack.SetResult_I4(ctx ? dmabuf_frame_read_row(ctx, &frame, arg_i4(stack, 1), arg_i4(stack, 2),
                                                       arg_i4(stack, 3), destination->GetFirstElement(),
                                                       destination->m_numOfElements)
                               : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}
