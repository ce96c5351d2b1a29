//
// nanoFramework.DmaBuf: DmaHeap natives. Marshalling only; the rules live in the core.
// Each body sits in a block so the early-exit macros (a goto to the cleanup label)
// never jump over an initialised declaration.
//

#include <string.h>

#include "dmabuf/cpu_copy.h"
#include "dmabuf_nf_native.h"
#include "../managed_values.h"

typedef Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap DmaHeap;

HRESULT DmaHeap::NativeOpen___I4__STRING(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        const char *board = stack.Arg1().RecoverString();
        FAULT_ON_NULL_ARG(board);

        // One context per target: the heap of any other board does not exist here.
        if (dmabuf_nf_context() == NULL || dmabuf_nf_board() == NULL)
        {
            stack.SetResult_I4(DMABUF_ENOTSUP);
        }
        else if (strcmp(board, dmabuf_nf_board()->name) != 0)
        {
            dmabuf_nf_report(NULL, "DmaHeap.Open: this firmware was built for another board");
            stack.SetResult_I4(DMABUF_ENOENT);
        }
        else
        {
            dmabuf_nf_prepare_waits();
            pThis[FIELD___heap].NumericByRef().s4 = DMABUF_NF_HEAP_ID;
            stack.SetResult_I4(0);
        }
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaHeap::NativeClose___I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        // The context belongs to the firmware and outlives every managed heap object.
        stack.SetResult_I4(0);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaHeap::NativeExport___I4__I4__STRING__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        int32_t size = stack.Arg1().NumericByRef().s4;
        const char *name = stack.Arg2().RecoverString();
        int32_t flags = stack.Arg3().NumericByRef().s4;
        dmabuf_handle_t handle = 0;
        int error;

        if (ctx == NULL)
        {
            error = DMABUF_EBADF;
        }
        else if (size <= 0 || flags < 0)
        {
            // A negative size would become a huge uint32_t.
            error = DMABUF_EINVAL;
        }
        else
        {
            error = dmabuf_export(ctx, (uint32_t)size, name, (uint32_t)flags, &handle);
        }

        stack.SetResult_I4(error ? error : handle);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaHeap::NativeGetReference___I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        stack.SetResult_I4(ctx ? dmabuf_get(ctx, stack.Arg1().NumericByRef().s4) : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaHeap::NativeBufferInfo___I4__I4__SZARRAY_I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        int32_t *values = dmabuf_nf_int_array(stack.Arg2(), DMABUF_VALUES_BUFFER_INFO);
        struct dmabuf_info info;
        int error;

        if (values == NULL)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        error = ctx ? dmabuf_get_info(ctx, stack.Arg1().NumericByRef().s4, &info) : DMABUF_EBADF;
        if (error == 0)
        {
            dmabuf_values_from_buffer_info(values, &info);
        }

        stack.SetResult_I4(error);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaHeap::NativeBufferName___STRING__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        struct dmabuf_info info;

        if (ctx != NULL && dmabuf_get_info(ctx, stack.Arg1().NumericByRef().s4, &info) == 0)
        {
            info.name[DMABUF_NAME_MAX - 1] = '\0';
            NANOCLR_SET_AND_LEAVE(stack.SetResult_String(info.name));
        }

        stack.SetResult_Object(NULL);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaHeap::NativeFindDevice___I4__STRING(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        const char *name = stack.Arg1().RecoverString();
        FAULT_ON_NULL_ARG(name);

        stack.SetResult_I4(ctx ? dmabuf_device_find(ctx, name) : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaHeap::NativeStatistics___I4__SZARRAY_I8(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        int64_t *values = dmabuf_nf_long_array(stack.Arg1(), DMABUF_VALUES_HEAP_STATS);
        struct dmabuf_heap_stats stats;

        if (values == NULL)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        if (ctx == NULL)
        {
            stack.SetResult_I4(DMABUF_EBADF);
            NANOCLR_SET_AND_LEAVE(S_OK);
        }

        dmabuf_heap_stats(ctx, &stats);
        dmabuf_values_from_heap_stats(values, &stats);
        stack.SetResult_I4(0);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaHeap::NativeCacheStatistics___I4__SZARRAY_I8__BOOLEAN(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        bool reset = stack.Arg2().NumericByRef().u1 != 0;
        struct dmabuf_cache_stats stats;

        if (ctx == NULL)
        {
            stack.SetResult_I4(DMABUF_EBADF);
            NANOCLR_SET_AND_LEAVE(S_OK);
        }

        // A null array only resets.
        if (stack.Arg1().Dereference() != NULL)
        {
            int64_t *values = dmabuf_nf_long_array(stack.Arg1(), DMABUF_VALUES_CACHE_STATS);
            if (values == NULL)
            {
                NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
            }

            dmabuf_cache_stats(ctx, &stats);
            dmabuf_values_from_cache_stats(values, &stats);
        }

        if (reset)
        {
            dmabuf_cache_stats_reset(ctx);
        }

        stack.SetResult_I4(0);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaHeap::NativeDescribeBuffers___STRING(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();

    char *text = NULL;
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        if (ctx == NULL)
        {
            stack.SetResult_Object(NULL);
            NANOCLR_SET_AND_LEAVE(S_OK);
        }

        // The first call measures, like snprintf.
        int length = dmabuf_bufinfo(ctx, NULL, 0);
        text = (char *)platform_malloc((size_t)length + 1);
        if (text == NULL)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_OUT_OF_MEMORY);
        }

        dmabuf_bufinfo(ctx, text, (size_t)length + 1);
        NANOCLR_SET_AND_LEAVE(stack.SetResult_String(text));
    }
    NANOCLR_CLEANUP();

    if (text != NULL)
    {
        platform_free(text);
    }

    NANOCLR_CLEANUP_END();
}

HRESULT DmaHeap::NativeCreateFence___I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        // Sequence numbers of the C# timeline: nanoCLR runs managed code on one native
        // thread, so a plain counter is not raced.
        static uint32_t seqno;
        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        dmabuf_fence_t fence = 0;
        int error = ctx ? dmabuf_fence_create(dmabuf_nf_fences(), dmabuf_nf_fence_timeline(), ++seqno, &fence)
                        : DMABUF_EBADF;

        stack.SetResult_I4(error ? error : fence);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaHeap::NativeCpuCopyStatistics___I4__SZARRAY_I8__BOOLEAN(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        bool reset = stack.Arg2().NumericByRef().u1 != 0;
        struct dmabuf_cpu_copy_stats stats;

        if (ctx == NULL)
        {
            stack.SetResult_I4(DMABUF_EBADF);
            NANOCLR_SET_AND_LEAVE(S_OK);
        }

        // A null array only resets.
        if (stack.Arg1().Dereference() != NULL)
        {
            CLR_RT_HeapBlock_Array *array = stack.Arg1().DereferenceArray();
            if (array == NULL || array->m_numOfElements < DMABUF_VALUES_CPU_COPY_STATS ||
                array->m_sizeOfElement != sizeof(int64_t))
            {
                NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
            }

            dmabuf_cpu_copy_stats(ctx, &stats);
            dmabuf_values_from_cpu_copy_stats((int64_t *)array->GetFirstElement(), &stats);
        }

        if (reset)
        {
            dmabuf_cpu_copy_stats_reset(ctx);
        }

        stack.SetResult_I4(0);
    }
    NANOCLR_NOCLEANUP();
}

// The board's peripheral @name for the queries made before it is opened: 0 and *out, or the
// error its open would give (a firmware without frame peripherals has none to describe).
static int32_t find_peripheral(CLR_RT_HeapBlock *pThis, const char *name, const struct dmabuf_peripheral **out)
{
    struct dmabuf_peripheral_registry *registry = dmabuf_nf_peripherals();
    *out = registry ? dmabuf_peripheral_find(registry, name, 0) : NULL;
    return dmabuf_nf_context_of(pThis, DmaHeap::FIELD___heap) == NULL ? DMABUF_EBADF
           : registry == NULL                                         ? DMABUF_ENOTSUP
           : *out == NULL                                             ? DMABUF_ENOENT
                                                                      : 0;
}

HRESULT DmaHeap::NativePeripheralFormats___I4__STRING(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        const char *name = stack.Arg1().RecoverString();
        FAULT_ON_NULL_ARG(name);

        const struct dmabuf_peripheral *p;
        int32_t error = find_peripheral(pThis, name, &p);
        stack.SetResult_I4(error ? error : (int32_t)p->constraints.formats);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaHeap::NativePeripheralFrameSize___I4__STRING__SZARRAY_I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        const char *name = stack.Arg1().RecoverString();
        FAULT_ON_NULL_ARG(name);
        int32_t *values = dmabuf_nf_int_array(stack.Arg2(), DMABUF_VALUES_FRAME_SIZE);
        if (values == NULL)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        const struct dmabuf_peripheral *p;
        int32_t error = find_peripheral(pThis, name, &p);
        if (error == 0)
        {
            dmabuf_values_from_frame_size(values, p);
        }

        stack.SetResult_I4(error);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaHeap::NativeFirmwareBoard___STATIC__STRING(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        // As NativeOpen: the context first (the simulated target makes it on first use);
        // a firmware that could not set it up has no board to open.
        const struct dmabuf_board *board = dmabuf_nf_context() != NULL ? dmabuf_nf_board() : NULL;
        if (board == NULL)
        {
            stack.SetResult_Object(NULL);
        }
        else
        {
            NANOCLR_SET_AND_LEAVE(stack.SetResult_String(board->name));
        }
    }
    NANOCLR_NOCLEANUP();
}
