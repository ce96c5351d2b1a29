//
// nanoFramework.DmaBuf: DmaPeripheral natives (Camera, ScanoutDisplay, SpiPanel) over the
// firmware's peripheral registry (dmabuf_nf_peripherals: the simulator's back end on a nanoCLR
// built with the simulated board, the chip adapters on a real board), through the contract of
// dmabuf/peripheral.h. Peripheral ids are 1-based registry indexes.
//

#include "dmabuf_nf_native.h"
#include "../managed_values.h"

#include "dmabuf/peripheral.h"

typedef Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaPeripheral DmaPeripheral;

// A firmware that predates the peripheral contract (or a test nanoCLR whose glue has none)
// provides no dmabuf_nf_peripherals: it then has no frame peripherals, and the managed opens
// throw NotSupportedException, instead of the firmware failing to link.
extern "C" __attribute__((weak)) struct dmabuf_peripheral_registry *dmabuf_nf_peripherals(void)
{
    return NULL;
}

// Layout of the arrays the managed side passes (KEEP IN SYNC with DmaPeripheral.cs, DmaMapping.cs).
static const uint32_t WindowLength = 4;

// The registry behind a peripheral object's heap, or NULL (stale heap id, or no peripherals).
static struct dmabuf_peripheral_registry *registry_of(CLR_RT_HeapBlock *object)
{
    return dmabuf_nf_context_of(object, DmaPeripheral::FIELD___heap) ? dmabuf_nf_peripherals() : NULL;
}

// The peripheral an object stands for, or NULL (closed, stale heap).
static struct dmabuf_peripheral *peripheral_of(CLR_RT_HeapBlock *object)
{
    return dmabuf_peripheral_at(registry_of(object), object[DmaPeripheral::FIELD___peripheral].NumericByRef().s4);
}

// Find and configure the peripheral: its id, or an error.
static int32_t open_peripheral(CLR_RT_HeapBlock *object, const char *name, int32_t kind,
                               const struct dmabuf_frame_format *format)
{
    if (dmabuf_nf_context_of(object, DmaPeripheral::FIELD___heap) == NULL)
    {
        return DMABUF_EBADF;
    }

    struct dmabuf_peripheral_registry *registry = dmabuf_nf_peripherals();
    if (registry == NULL)
    {
        return DMABUF_ENOTSUP;
    }

    return dmabuf_peripheral_open(registry, name, (uint32_t)kind, format);
}

HRESULT DmaPeripheral::NativeOpen___I4__STRING__I4__I4__I4__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        const char *name = stack.Arg1().RecoverString();
        FAULT_ON_NULL_ARG(name);
        struct dmabuf_frame_format format;
        format.width = (uint32_t)stack.Arg3().NumericByRef().s4;
        format.height = (uint32_t)stack.Arg4().NumericByRef().s4;
        format.format = (uint32_t)stack.Arg5().NumericByRef().s4;

        stack.SetResult_I4(open_peripheral(pThis, name, stack.Arg2().NumericByRef().s4, &format));
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaPeripheral::NativeClose___I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        // The firmware's peripherals live as long as the firmware: jobs started still finish,
        // and the next open configures the same peripheral again.
        stack.SetResult_I4(peripheral_of(pThis) ? 0 : DMABUF_EBADF);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaPeripheral::NativeInfo___I4__SZARRAY_I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_peripheral *p = peripheral_of(pThis);
        int32_t *values = dmabuf_nf_int_array(stack.Arg1(), DMABUF_PERIPHERAL_INFO_VALUES);
        if (values == NULL)
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        if (p == NULL)
        {
            stack.SetResult_I4(DMABUF_EBADF);
            NANOCLR_SET_AND_LEAVE(S_OK);
        }

        dmabuf_peripheral_info(p, values);
        stack.SetResult_I4(0);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaPeripheral::NativeDevice___STRING(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_peripheral *p = peripheral_of(pThis);
        if (p != NULL)
        {
            NANOCLR_SET_AND_LEAVE(stack.SetResult_String(p->device));
        }

        stack.SetResult_Object(NULL);
    }
    NANOCLR_NOCLEANUP();
}

// Capture, present, write: the mapping comes first, the result is a fence or an error.
static HRESULT start_job(CLR_RT_StackFrame &stack, int32_t kind)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_peripheral *p = peripheral_of(pThis);
        int32_t *values = dmabuf_nf_int_array(stack.Arg1(), DMABUF_VALUES_MAPPING);
        int32_t *window = kind == DMABUF_PERIPHERAL_SPI_PANEL ? dmabuf_nf_int_array(stack.Arg4(), WindowLength) : NULL;
        if (values == NULL || (kind == DMABUF_PERIPHERAL_SPI_PANEL && window == NULL))
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        struct dmabuf_mapping mapping;
        dmabuf_values_to_mapping(values, &mapping);
        dmabuf_fence_t fence = 0;
        int error;
        if (p == NULL)
        {
            error = DMABUF_EBADF;
        }
        else if (kind == DMABUF_PERIPHERAL_CAMERA)
        {
            error = dmabuf_camera_capture(p, &mapping, &fence);
        }
        else if (kind == DMABUF_PERIPHERAL_DISPLAY)
        {
            error = dmabuf_display_present(p, &mapping, &fence);
        }
        else
        {
            int32_t offset = stack.Arg2().NumericByRef().s4;
            int32_t stride = stack.Arg3().NumericByRef().s4;
            struct dmabuf_rect rect;
            rect.x = (uint32_t)window[0];
            rect.y = (uint32_t)window[1];
            rect.width = (uint32_t)window[2];
            rect.height = (uint32_t)window[3];
            bool negative = offset < 0 || stride < 0 || window[0] < 0 || window[1] < 0 || window[2] < 0 || window[3] < 0;
            error = negative ? DMABUF_EINVAL
                             : dmabuf_spi_panel_write(p, &mapping, (uint32_t)offset, (uint32_t)stride, &rect, &fence);
        }

        stack.SetResult_I4(error != 0 ? error : fence);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaPeripheral::NativeCapture___I4__SZARRAY_I4(CLR_RT_StackFrame &stack)
{
    return start_job(stack, DMABUF_PERIPHERAL_CAMERA);
}

HRESULT DmaPeripheral::NativePresent___I4__SZARRAY_I4(CLR_RT_StackFrame &stack)
{
    return start_job(stack, DMABUF_PERIPHERAL_DISPLAY);
}

HRESULT DmaPeripheral::NativeWriteRectangle___I4__SZARRAY_I4__I4__I4__SZARRAY_I4(CLR_RT_StackFrame &stack)
{
    return start_job(stack, DMABUF_PERIPHERAL_SPI_PANEL);
}

HRESULT DmaPeripheral::NativeCompletion___I4__I4__SZARRAY_I8(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_peripheral *p = peripheral_of(pThis);
        CLR_RT_HeapBlock_Array *array = stack.Arg2().DereferenceArray();
        struct dmabuf_completion completion;

        if (array == NULL || array->m_numOfElements < DMABUF_VALUES_COMPLETION || array->m_sizeOfElement != sizeof(int64_t))
        {
            NANOCLR_SET_AND_LEAVE(CLR_E_INVALID_PARAMETER);
        }

        int error = p ? dmabuf_peripheral_completion(p, stack.Arg1().NumericByRef().s4, &completion) : DMABUF_EBADF;
        if (error == 0)
        {
            dmabuf_values_from_completion((int64_t *)array->GetFirstElement(), &completion);
        }

        stack.SetResult_I4(error);
    }
    NANOCLR_NOCLEANUP();
}

HRESULT DmaPeripheral::NativeCommand___I4__I4__SZARRAY_U1(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock *pThis = stack.This();
        FAULT_ON_NULL(pThis);

        struct dmabuf_peripheral *p = peripheral_of(pThis);
        int32_t command = stack.Arg1().NumericByRef().s4;
        // null: no parameters.
        CLR_RT_HeapBlock_Array *array = stack.Arg2().DereferenceArray();
        const uint8_t *parameters = array ? (const uint8_t *)array->GetFirstElement() : NULL;
        uint32_t count = array ? array->m_numOfElements : 0u;

        dmabuf_fence_t fence = 0;
        int error = p == NULL ? DMABUF_EBADF
                    : command < 0 ? DMABUF_EINVAL
                                  : dmabuf_spi_panel_command(p, (uint32_t)command, parameters, count, &fence);
        stack.SetResult_I4(error != 0 ? error : fence);
    }
    NANOCLR_NOCLEANUP();
}
