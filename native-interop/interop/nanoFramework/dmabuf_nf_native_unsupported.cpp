//
// nanoFramework.DmaBuf natives for a target built without the DmaBuf core (no
// OS port or cache backend for it): every method reports DMABUF_ENOTSUP, which
// managed code turns into NotSupportedException at DmaHeap.Open, so nothing
// else is reachable. Used instead of the per-class stub files by
// FindINTEROP-nanoFramework.DmaBuf.cmake; the method table is shared.
//

#include "dmabuf_nf_native.h"

#define DMABUF_NF_NOT_SUPPORTED_I4(type, method)                                                  \
    HRESULT Library_dmabuf_nf_native_nanoFramework_DmaBuf_##type::method(CLR_RT_StackFrame &stack) \
    {                                                                                              \
        stack.SetResult_I4(DMABUF_ENOTSUP);                                                        \
        return S_OK;                                                                               \
    }

#define DMABUF_NF_NOT_SUPPORTED_STRING(type, method)                                              \
    HRESULT Library_dmabuf_nf_native_nanoFramework_DmaBuf_##type::method(CLR_RT_StackFrame &stack) \
    {                                                                                              \
        stack.SetResult_Object(NULL);                                                              \
        return S_OK;                                                                               \
    }

DMABUF_NF_NOT_SUPPORTED_I4(CpuAccess, NativeBegin___I4)
DMABUF_NF_NOT_SUPPORTED_I4(CpuAccess, NativeEnd___I4)
DMABUF_NF_NOT_SUPPORTED_I4(CpuAccess, NativeRead___I4__I4__SZARRAY_U1__I4__I4)
DMABUF_NF_NOT_SUPPORTED_I4(CpuAccess, NativeWrite___I4__I4__SZARRAY_U1__I4__I4)
DMABUF_NF_NOT_SUPPORTED_I4(CpuAccess, NativeFill___I4__I4__I4__U1)
DMABUF_NF_NOT_SUPPORTED_I4(CpuAccess, NativeCopy___I4__I4__nanoFrameworkDmaBufCpuAccess__I4__I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaAttachment, NativeMap___I4__I4__SZARRAY_I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaAttachment, NativeUnmap___I4__I4__SZARRAY_I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaAttachment, NativeDetach___I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaBuffer, NativeAttach___I4__I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaBuffer, NativePut___I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaBuffer, NativeAttachFence___I4__I4__nanoFrameworkDmaBufDmaFence)
DMABUF_NF_NOT_SUPPORTED_I4(DmaBuffer, NativeWaitForFences___I4__BOOLEAN__I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaBuffer, NativeImplicitSync___I4__I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaFence, NativeSignal___I4__I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaFence, NativeStatus___I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaFence, NativeWait___I4__I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaFence, NativeInfo___I4__SZARRAY_I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaFence, NativeSignalFromNativeThread___I4__I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaFence, NativePut___I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaPeripheral, NativeOpen___I4__STRING__I4__I4__I4__I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaPeripheral, NativeClose___I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaPeripheral, NativeInfo___I4__SZARRAY_I4)
DMABUF_NF_NOT_SUPPORTED_STRING(DmaPeripheral, NativeDevice___STRING)
DMABUF_NF_NOT_SUPPORTED_I4(DmaPeripheral, NativeCapture___I4__SZARRAY_I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaPeripheral, NativePresent___I4__SZARRAY_I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaPeripheral, NativeWriteRectangle___I4__SZARRAY_I4__I4__I4__SZARRAY_I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaPeripheral, NativeCompletion___I4__I4__SZARRAY_I8)
DMABUF_NF_NOT_SUPPORTED_I4(DmaPeripheral, NativeCommand___I4__I4__SZARRAY_U1)
DMABUF_NF_NOT_SUPPORTED_I4(DmaHeap, NativeOpen___I4__STRING)
DMABUF_NF_NOT_SUPPORTED_I4(DmaHeap, NativeClose___I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaHeap, NativeExport___I4__I4__STRING__I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaHeap, NativeGetReference___I4__I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaHeap, NativeBufferInfo___I4__I4__SZARRAY_I4)
DMABUF_NF_NOT_SUPPORTED_STRING(DmaHeap, NativeBufferName___STRING__I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaHeap, NativeFindDevice___I4__STRING)
DMABUF_NF_NOT_SUPPORTED_I4(DmaHeap, NativeStatistics___I4__SZARRAY_I8)
DMABUF_NF_NOT_SUPPORTED_I4(DmaHeap, NativeCacheStatistics___I4__SZARRAY_I8__BOOLEAN)
DMABUF_NF_NOT_SUPPORTED_STRING(DmaHeap, NativeDescribeBuffers___STRING)
DMABUF_NF_NOT_SUPPORTED_I4(DmaHeap, NativeCreateFence___I4)
DMABUF_NF_NOT_SUPPORTED_I4(DmaHeap, NativePeripheralFormats___I4__STRING)
DMABUF_NF_NOT_SUPPORTED_I4(DmaHeap, NativePeripheralFrameSize___I4__STRING__SZARRAY_I4)
// No DmaBuf core: no board (DmaHeap.FirmwareBoard is null).
DMABUF_NF_NOT_SUPPORTED_STRING(DmaHeap, NativeFirmwareBoard___STATIC__STRING)
DMABUF_NF_NOT_SUPPORTED_I4(FrameQueue, NativeCreate___I4__I4__SZARRAY_I4)
DMABUF_NF_NOT_SUPPORTED_I4(FrameQueue, NativeDestroy___I4)
DMABUF_NF_NOT_SUPPORTED_I4(FrameQueue, NativeDequeue___I4__I4)
DMABUF_NF_NOT_SUPPORTED_I4(FrameQueue, NativeEnqueue___I4__I4__I8)
DMABUF_NF_NOT_SUPPORTED_I4(FrameQueue, NativeCancel___I4__I4)
DMABUF_NF_NOT_SUPPORTED_I4(FrameQueue, NativeAcquire___I4__I4__SZARRAY_I8)
DMABUF_NF_NOT_SUPPORTED_I4(FrameQueue, NativeRelease___I4__I4)
DMABUF_NF_NOT_SUPPORTED_I4(FrameQueue, NativeFrameState___I4__I4)
DMABUF_NF_NOT_SUPPORTED_I4(FrameQueue, NativeStatistics___I4__SZARRAY_I4)
DMABUF_NF_NOT_SUPPORTED_STRING(ThrowHelper, NativeTakeLastMessage___STATIC__STRING)
