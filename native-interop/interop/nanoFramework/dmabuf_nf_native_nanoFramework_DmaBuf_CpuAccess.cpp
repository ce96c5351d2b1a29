//
// nanoFramework.DmaBuf: CpuAccess natives. On nanoFramework 1.x a managed byte[]
// lives in the managed heap and may move, so the CPU reaches DMA memory only
// through these copies, done while the access is open, each counted in the
// heap's CPU copy counter (dmabuf/cpu_copy.h). The window offsets come
// from the managed fields; the core checks again that an access covering the
// range is open before handing out its address (dmabuf_cpu_pointer).
//

#include <string.h>

#include "dmabuf/cpu_copy.h"
#include "dmabuf_nf_native.h"

typedef Library_dmabuf_nf_native_nanoFramework_DmaBuf_CpuAccess CpuAccess;

// The CPU address of window bytes [offset, offset + count) of the access `object`.
static int window_pointer(CLR_RT_HeapBlock *object, int32_t offset, int32_t count, uint8_t **cpu)
{
    struct dmabuf_ctx *ctx = dmabuf_nf_context_of(object, CpuAccess::FIELD___heap);
    int32_t start = object[CpuAccess::FIELD___offset].NumericByRef().s4;
    int32_t length = object[CpuAccess::FIELD___length].NumericByRef().s4;
    void *address;
    int error;

    if (ctx == NULL)
    {
        return DMABUF_EBADF;
    }

    // Written so that no sum can overflow.
    if (offset < 0 || count < 0 || offset > length || count > length - offset)
    {
        return DMABUF_ERANGE;
    }

    error = dmabuf_cpu_pointer(
        ctx,
        object[CpuAccess::FIELD___handle].NumericByRef().s4,
        (uint32_t)(start + offset),
        (uint32_t)count,
        &address);
    *cpu = (uint8_t *)address;
    return error;
}

// The bytes [index, index + count) of a byte[] argument, or NULL if outside it.
static uint8_t *array_range(CLR_RT_HeapBlock &argument, int32_t index, int32_t count)
{
    CLR_RT_HeapBlock_Array *array = argument.DereferenceArray();

    if (array == NULL || index < 0 || count < 0 || (uint32_t)index > array->m_numOfElements ||
        (uint32_t)count > array->m_numOfElements - (uint32_t)index)
    {
        return NULL;
    }

    return array->GetFirstElement() + index;
}

static int open_range(CLR_RT_HeapBlock *object, int writes)
{
    int32_t direction = object[CpuAccess::FIELD___direction].NumericByRef().s4;

    // A write in a FROM_DEVICE access would never be cleaned (managed refuses it first).
    return (writes && direction == DMABUF_FROM_DEVICE) ? DMABUF_EPERM : 0;
}

// One try at opening the access (busy: -EAGAIN, the buffer's fences are pending).
static int begin_now(CLR_RT_StackFrame &stack)
{
    CLR_RT_HeapBlock *pThis = stack.This();
    struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, CpuAccess::FIELD___heap);
    int32_t offset = pThis[CpuAccess::FIELD___offset].NumericByRef().s4;
    int32_t length = pThis[CpuAccess::FIELD___length].NumericByRef().s4;
    void *cpu;

    if (ctx == NULL)
    {
        return DMABUF_EBADF;
    }

    if (offset < 0 || length < 0)
    {
        return DMABUF_ERANGE;
    }

    // The address is not kept: each copy asks the core again, so a stale
    // managed object can never reach memory the access no longer covers.
    return dmabuf_begin_cpu_access(
        ctx,
        pThis[CpuAccess::FIELD___handle].NumericByRef().s4,
        (enum dmabuf_direction)pThis[CpuAccess::FIELD___direction].NumericByRef().s4,
        (uint32_t)offset,
        (uint32_t)length,
        &cpu);
}

HRESULT CpuAccess::NativeBegin___I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        int error;

        // Implicit sync (resv.h) without blocking the interpreter: the table is
        // non-blocking (dmabuf_nf_prepare_waits), so a busy buffer answers
        // -EAGAIN and this thread is parked until a fence signals.
        NANOCLR_CHECK_HRESULT(dmabuf_nf_wait(stack, dmabuf_nf_implicit_timeout(), DMABUF_EAGAIN, begin_now, error));
        stack.SetResult_I4(error);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT CpuAccess::NativeEnd___I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_ctx *ctx = dmabuf_nf_context_of(pThis, FIELD___heap);
        int32_t offset = pThis[FIELD___offset].NumericByRef().s4;
        int32_t length = pThis[FIELD___length].NumericByRef().s4;
        int error;

        if (ctx == NULL)
        {
            error = DMABUF_EBADF;
        }
        else if (offset < 0 || length < 0)
        {
            error = DMABUF_ERANGE;
        }
        else
        {
            error = dmabuf_end_cpu_access(
                ctx,
                pThis[FIELD___handle].NumericByRef().s4,
                (enum dmabuf_direction)pThis[FIELD___direction].NumericByRef().s4,
                (uint32_t)offset,
                (uint32_t)length);
        }

        stack.SetResult_I4(error);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT CpuAccess::NativeRead___I4__I4__SZARRAY_U1__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        int32_t count = stack.Arg4().NumericByRef().s4;
        uint8_t *destination = array_range(stack.Arg2(), stack.Arg3().NumericByRef().s4, count);
        uint8_t *cpu = NULL;
        int error;

        if (destination == NULL)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
        }

        error = window_pointer(pThis, stack.Arg1().NumericByRef().s4, count, &cpu);
        if (error == 0)
        {
            memcpy(destination, cpu, (size_t)count);
            dmabuf_cpu_copy_count(dmabuf_nf_context_of(pThis, FIELD___heap), (uint32_t)count);
        }

        stack.SetResult_I4(error);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT CpuAccess::NativeWrite___I4__I4__SZARRAY_U1__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        int32_t count = stack.Arg4().NumericByRef().s4;
        uint8_t *source = array_range(stack.Arg2(), stack.Arg3().NumericByRef().s4, count);
        uint8_t *cpu = NULL;
        int error;

        if (source == NULL)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INDEX_OUT_OF_RANGE);
        }

        error = open_range(pThis, 1);
        if (error == 0)
        {
            error = window_pointer(pThis, stack.Arg1().NumericByRef().s4, count, &cpu);
        }

        if (error == 0)
        {
            memcpy(cpu, source, (size_t)count);
            dmabuf_cpu_copy_count(dmabuf_nf_context_of(pThis, FIELD___heap), (uint32_t)count);
        }

        stack.SetResult_I4(error);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT CpuAccess::NativeFill___I4__I4__I4__U1(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        int32_t count = stack.Arg2().NumericByRef().s4;
        uint8_t value = stack.Arg3().NumericByRef().u1;
        uint8_t *cpu = NULL;
        int error = open_range(pThis, 1);

        if (error == 0)
        {
            error = window_pointer(pThis, stack.Arg1().NumericByRef().s4, count, &cpu);
        }

        if (error == 0)
        {
            memset(cpu, value, (size_t)count);
        }

        stack.SetResult_I4(error);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT CpuAccess::NativeCopy___I4__I4__nanoFrameworkDmaBufCpuAccess__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        CLR_RT_HeapBlock *destination = stack.Arg2().Dereference();
        FAULT_ON_NULL_ARG(destination);

        int32_t count = stack.Arg4().NumericByRef().s4;
        uint8_t *from = NULL;
        uint8_t *to = NULL;
        int error = open_range(destination, 1);

        if (error == 0)
        {
            error = window_pointer(pThis, stack.Arg1().NumericByRef().s4, count, &from);
        }

        if (error == 0)
        {
            error = window_pointer(destination, stack.Arg3().NumericByRef().s4, count, &to);
        }

        if (error == 0)
        {
            // Both windows may be the same access: overlapping ranges.
            memmove(to, from, (size_t)count);
            dmabuf_cpu_copy_count(dmabuf_nf_context_of(pThis, FIELD___heap), (uint32_t)count);
        }

        stack.SetResult_I4(error);
    }
    NANOCLR_NOCLEANUP();
}
