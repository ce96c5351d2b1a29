//
// nanoFramework.DmaBuf: the assembly's native method table and the helpers
// shared by the stubs.
//
// method_lookup has one entry per method of the assembly, in MetadataProcessor's
// order: types sorted by full name and then by use (a type after the types its
// method calls take or return), and in each type the virtual methods, then the
// other instance methods, then the static ones, each group in declaration
// order. Non-native methods are NULL. The native checksum is MetadataProcessor's
// CRC32 over the native methods' class and signature names in the same order.
//
// Both were computed by a re-implementation of those MetadataProcessor rules and
// verified equal to the real MetadataProcessor's output (docs/
// NANOFRAMEWORK-VERIFICATION.md). They hold for the nfproj's C# 9: compiled as
// C# 11 or later, the assembly gains a first method (the compiler's
// EmbeddedAttribute) that shifts every entry while the checksum stays the same.
// Any change to a managed type's methods moves the entries: regenerate, and bump
// AssemblyNativeVersion when a native signature changes.
//

#include <string.h>

#include "dmabuf_nf_native.h"

// clang-format off

static const CLR_RT_MethodHandler method_lookup[] =
{
    NULL, // nanoFramework_DmaBuf_IGuardedOwner::ReleaseUnreachable___VOID
    NULL, // nanoFramework_DmaBuf_FinalizerGuard::Finalize___VOID
    NULL, // nanoFramework_DmaBuf_FinalizerGuard::_ctor___VOID__nanoFrameworkDmaBufIGuardedOwner
    NULL, // nanoFramework_DmaBuf_FinalizerGuard::Disarm___VOID
    NULL, // nanoFramework_DmaBuf_FinalizerGuard::For___STATIC__nanoFrameworkDmaBufFinalizerGuard__nanoFrameworkDmaBufIGuardedOwner
    NULL, // nanoFramework_DmaBuf_FinalizerGuard::_cctor___STATIC__VOID
    NULL, // nanoFramework_DmaBuf_DmaDevice::_ctor___VOID__nanoFrameworkDmaBufDmaHeap__I4__STRING
    NULL, // nanoFramework_DmaBuf_DmaDevice::get_Heap___nanoFrameworkDmaBufDmaHeap
    NULL, // nanoFramework_DmaBuf_DmaDevice::get_Name___STRING
    NULL, // nanoFramework_DmaBuf_DmaDevice::get_Index___I4
    NULL, // nanoFramework_DmaBuf_CpuAccess::Dispose___VOID
    NULL, // nanoFramework_DmaBuf_CpuAccess::_ctor___VOID__nanoFrameworkDmaBufDmaBuffer__I4__I4
    NULL, // nanoFramework_DmaBuf_CpuAccess::get_Buffer___nanoFrameworkDmaBufDmaBuffer
    NULL, // nanoFramework_DmaBuf_CpuAccess::get_IsOpen___BOOLEAN
    NULL, // nanoFramework_DmaBuf_CpuAccess::get_Direction___nanoFrameworkDmaBufDmaDirection
    NULL, // nanoFramework_DmaBuf_CpuAccess::get_Offset___I4
    NULL, // nanoFramework_DmaBuf_CpuAccess::get_Length___I4
    NULL, // nanoFramework_DmaBuf_CpuAccess::Read___VOID__I4__SZARRAY_U1
    NULL, // nanoFramework_DmaBuf_CpuAccess::Read___VOID__I4__SZARRAY_U1__I4__I4
    NULL, // nanoFramework_DmaBuf_CpuAccess::Write___VOID__I4__SZARRAY_U1
    NULL, // nanoFramework_DmaBuf_CpuAccess::Write___VOID__I4__SZARRAY_U1__I4__I4
    NULL, // nanoFramework_DmaBuf_CpuAccess::Fill___VOID__U1
    NULL, // nanoFramework_DmaBuf_CpuAccess::Fill___VOID__I4__I4__U1
    NULL, // nanoFramework_DmaBuf_CpuAccess::CopyTo___VOID__I4__nanoFrameworkDmaBufCpuAccess__I4__I4
    NULL, // nanoFramework_DmaBuf_CpuAccess::Begin___VOID__I4__I4__I4
    NULL, // nanoFramework_DmaBuf_CpuAccess::End___VOID__I4__I4__I4
    NULL, // nanoFramework_DmaBuf_CpuAccess::Release___VOID
    NULL, // nanoFramework_DmaBuf_CpuAccess::ThrowIfEnded___VOID
    NULL, // nanoFramework_DmaBuf_CpuAccess::ThrowIfNotWritable___VOID
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_CpuAccess::NativeBegin___I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_CpuAccess::NativeEnd___I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_CpuAccess::NativeRead___I4__I4__SZARRAY_U1__I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_CpuAccess::NativeWrite___I4__I4__SZARRAY_U1__I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_CpuAccess::NativeFill___I4__I4__I4__U1,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_CpuAccess::NativeCopy___I4__I4__nanoFrameworkDmaBufCpuAccess__I4__I4,
    NULL, // nanoFramework_DmaBuf_DmaFence::Dispose___VOID
    NULL, // nanoFramework_DmaBuf_DmaFence::nanoFramework_DmaBuf_IGuardedOwner_ReleaseUnreachable___VOID
    NULL, // nanoFramework_DmaBuf_DmaFence::_ctor___VOID__nanoFrameworkDmaBufDmaHeap__I4__I4
    NULL, // nanoFramework_DmaBuf_DmaFence::get_Heap___nanoFrameworkDmaBufDmaHeap
    NULL, // nanoFramework_DmaBuf_DmaFence::get_IsDisposed___BOOLEAN
    NULL, // nanoFramework_DmaBuf_DmaFence::get_Handle___I4
    NULL, // nanoFramework_DmaBuf_DmaFence::get_Context___I4
    NULL, // nanoFramework_DmaBuf_DmaFence::get_SequenceNumber___I4
    NULL, // nanoFramework_DmaBuf_DmaFence::get_IsSignalled___BOOLEAN
    NULL, // nanoFramework_DmaBuf_DmaFence::get_IsFailed___BOOLEAN
    NULL, // nanoFramework_DmaBuf_DmaFence::Signal___VOID
    NULL, // nanoFramework_DmaBuf_DmaFence::SignalFailure___VOID
    NULL, // nanoFramework_DmaBuf_DmaFence::Wait___VOID__I4
    NULL, // nanoFramework_DmaBuf_DmaFence::SignalWith___VOID__I4
    NULL, // nanoFramework_DmaBuf_DmaFence::SignalFromNativeThread___VOID__I4
    NULL, // nanoFramework_DmaBuf_DmaFence::Status___I4
    NULL, // nanoFramework_DmaBuf_DmaFence::ReadInfo___I4__I4
    NULL, // nanoFramework_DmaBuf_DmaFence::ThrowIfReleased___VOID
    NULL, // nanoFramework_DmaBuf_DmaFence::AddUse___VOID
    NULL, // nanoFramework_DmaBuf_DmaFence::DropUse___VOID
    NULL, // nanoFramework_DmaBuf_DmaFence::Release___BOOLEAN
    NULL, // nanoFramework_DmaBuf_DmaFence::Free___VOID
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFence::NativeSignal___I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFence::NativeStatus___I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFence::NativeWait___I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFence::NativeInfo___I4__SZARRAY_I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFence::NativeSignalFromNativeThread___I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFence::NativePut___I4,
    NULL, // nanoFramework_DmaBuf_DmaFence::Microseconds___STATIC__I4__I4__STRING
    NULL, // nanoFramework_DmaBuf_DmaBuffer::Dispose___VOID
    NULL, // nanoFramework_DmaBuf_DmaBuffer::nanoFramework_DmaBuf_IGuardedOwner_ReleaseUnreachable___VOID
    NULL, // nanoFramework_DmaBuf_DmaBuffer::_ctor___VOID__nanoFrameworkDmaBufDmaHeap__I4__I4__I4__STRING
    NULL, // nanoFramework_DmaBuf_DmaBuffer::get_Size___I4
    NULL, // nanoFramework_DmaBuf_DmaBuffer::get_Name___STRING
    NULL, // nanoFramework_DmaBuf_DmaBuffer::get_Heap___nanoFrameworkDmaBufDmaHeap
    NULL, // nanoFramework_DmaBuf_DmaBuffer::get_IsDisposed___BOOLEAN
    NULL, // nanoFramework_DmaBuf_DmaBuffer::get_Handle___I4
    NULL, // nanoFramework_DmaBuf_DmaBuffer::get_DmaAddress___U4
    NULL, // nanoFramework_DmaBuf_DmaBuffer::get_Region___I4
    NULL, // nanoFramework_DmaBuf_DmaBuffer::get_ReferenceCount___I4
    NULL, // nanoFramework_DmaBuf_DmaBuffer::get_CacheState___nanoFrameworkDmaBufDmaCacheState
    NULL, // nanoFramework_DmaBuf_DmaBuffer::Attach___nanoFrameworkDmaBufDmaAttachment__nanoFrameworkDmaBufDmaDevice
    NULL, // nanoFramework_DmaBuf_DmaBuffer::BeginCpuAccess___nanoFrameworkDmaBufCpuAccess__nanoFrameworkDmaBufDmaDirection
    NULL, // nanoFramework_DmaBuf_DmaBuffer::BeginCpuAccess___nanoFrameworkDmaBufCpuAccess__nanoFrameworkDmaBufDmaDirection__I4__I4
    NULL, // nanoFramework_DmaBuf_DmaBuffer::EndCpuAccess___VOID__nanoFrameworkDmaBufDmaDirection
    NULL, // nanoFramework_DmaBuf_DmaBuffer::EndCpuAccess___VOID__nanoFrameworkDmaBufDmaDirection__I4__I4
    NULL, // nanoFramework_DmaBuf_DmaBuffer::WaitForFences___VOID__BOOLEAN__I4
    NULL, // nanoFramework_DmaBuf_DmaBuffer::get_ImplicitSync___BOOLEAN
    NULL, // nanoFramework_DmaBuf_DmaBuffer::set_ImplicitSync___VOID__BOOLEAN
    NULL, // nanoFramework_DmaBuf_DmaBuffer::get_SyncRoot___OBJECT
    NULL, // nanoFramework_DmaBuf_DmaBuffer::get_LockOrder___I4
    NULL, // nanoFramework_DmaBuf_DmaBuffer::OrderLocks___VOID__nanoFrameworkDmaBufDmaBuffer__BYREF_OBJECT__BYREF_OBJECT
    NULL, // nanoFramework_DmaBuf_DmaBuffer::ThrowIfReleased___VOID
    NULL, // nanoFramework_DmaBuf_DmaBuffer::AttachFence___VOID__I4__nanoFrameworkDmaBufDmaFence
    NULL, // nanoFramework_DmaBuf_DmaBuffer::ThrowIfReleasedUnlocked___VOID
    NULL, // nanoFramework_DmaBuf_DmaBuffer::ImplicitSyncCall___I4__I4
    NULL, // nanoFramework_DmaBuf_DmaBuffer::Access___nanoFrameworkDmaBufCpuAccess
    NULL, // nanoFramework_DmaBuf_DmaBuffer::RemoveAttachment___VOID__nanoFrameworkDmaBufDmaAttachment
    NULL, // nanoFramework_DmaBuf_DmaBuffer::ReadInfo___I4__I4
    NULL, // nanoFramework_DmaBuf_DmaBuffer::Release___nanoFrameworkDmaBufFinalizerGuard__BOOLEAN
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaBuffer::NativeAttach___I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaBuffer::NativePut___I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaBuffer::NativeAttachFence___I4__I4__nanoFrameworkDmaBufDmaFence,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaBuffer::NativeWaitForFences___I4__BOOLEAN__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaBuffer::NativeImplicitSync___I4__I4,
    NULL, // nanoFramework_DmaBuf_DmaBuffer::FromHandle___STATIC__nanoFrameworkDmaBufDmaBuffer__nanoFrameworkDmaBufDmaHeap__I4
    NULL, // nanoFramework_DmaBuf_DmaHeap::Dispose___VOID
    NULL, // nanoFramework_DmaBuf_DmaHeap::Finalize___VOID
    NULL, // nanoFramework_DmaBuf_DmaHeap::_ctor___VOID__STRING
    NULL, // nanoFramework_DmaBuf_DmaHeap::get_Board___STRING
    NULL, // nanoFramework_DmaBuf_DmaHeap::get_NativeId___I4
    NULL, // nanoFramework_DmaBuf_DmaHeap::get_IsDisposed___BOOLEAN
    NULL, // nanoFramework_DmaBuf_DmaHeap::Export___nanoFrameworkDmaBufDmaBuffer__I4__STRING
    NULL, // nanoFramework_DmaBuf_DmaHeap::Export___nanoFrameworkDmaBufDmaBuffer__I4__STRING__nanoFrameworkDmaBufDmaBufferFlags
    NULL, // nanoFramework_DmaBuf_DmaHeap::Import___nanoFrameworkDmaBufDmaBuffer__I4
    NULL, // nanoFramework_DmaBuf_DmaHeap::CreateFence___nanoFrameworkDmaBufDmaFence
    NULL, // nanoFramework_DmaBuf_DmaHeap::GetDevice___nanoFrameworkDmaBufDmaDevice__STRING
    NULL, // nanoFramework_DmaBuf_DmaHeap::GetPeripheralFormats___SZARRAY_nanoFrameworkDmaBufPixelFormat__STRING
    NULL, // nanoFramework_DmaBuf_DmaHeap::GetPeripheralFrameSize___BOOLEAN__STRING__BYREF_I4__BYREF_I4
    NULL, // nanoFramework_DmaBuf_DmaHeap::OpenCamera___nanoFrameworkDmaBufCamera__STRING__I4__I4__nanoFrameworkDmaBufPixelFormat
    NULL, // nanoFramework_DmaBuf_DmaHeap::OpenDisplay___nanoFrameworkDmaBufScanoutDisplay__STRING__I4__I4__nanoFrameworkDmaBufPixelFormat
    NULL, // nanoFramework_DmaBuf_DmaHeap::OpenSpiPanel___nanoFrameworkDmaBufSpiPanel__STRING__nanoFrameworkDmaBufPixelFormat
    NULL, // nanoFramework_DmaBuf_DmaHeap::GetStatistics___nanoFrameworkDmaBufDmaHeapStatistics
    NULL, // nanoFramework_DmaBuf_DmaHeap::GetCacheStatistics___nanoFrameworkDmaBufDmaCacheStatistics
    NULL, // nanoFramework_DmaBuf_DmaHeap::ResetCacheStatistics___VOID
    NULL, // nanoFramework_DmaBuf_DmaHeap::GetCpuCopyStatistics___nanoFrameworkDmaBufDmaCpuCopyStatistics
    NULL, // nanoFramework_DmaBuf_DmaHeap::ResetCpuCopyStatistics___VOID
    NULL, // nanoFramework_DmaBuf_DmaHeap::DescribeBuffers___STRING
    NULL, // nanoFramework_DmaBuf_DmaHeap::Release___VOID
    NULL, // nanoFramework_DmaBuf_DmaHeap::AddOwner___I4
    NULL, // nanoFramework_DmaBuf_DmaHeap::ReleaseOwner___VOID
    NULL, // nanoFramework_DmaBuf_DmaHeap::TakeOwner___VOID
    NULL, // nanoFramework_DmaBuf_DmaHeap::ReleaseOwnerAndThrow___VOID__I4__STRING
    NULL, // nanoFramework_DmaBuf_DmaHeap::CloseIfUnused___VOID
    NULL, // nanoFramework_DmaBuf_DmaHeap::ThrowIfDisposed___VOID
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap::NativeOpen___I4__STRING,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap::NativeClose___I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap::NativeExport___I4__I4__STRING__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap::NativeGetReference___I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap::NativeBufferInfo___I4__I4__SZARRAY_I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap::NativeBufferName___STRING__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap::NativeFindDevice___I4__STRING,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap::NativeStatistics___I4__SZARRAY_I8,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap::NativeCacheStatistics___I4__SZARRAY_I8__BOOLEAN,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap::NativeDescribeBuffers___STRING,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap::NativeCpuCopyStatistics___I4__SZARRAY_I8__BOOLEAN,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap::NativeCreateFence___I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap::NativePeripheralFormats___I4__STRING,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap::NativePeripheralFrameSize___I4__STRING__SZARRAY_I4,
    NULL, // nanoFramework_DmaBuf_DmaHeap::Open___STATIC__nanoFrameworkDmaBufDmaHeap__STRING
    NULL, // nanoFramework_DmaBuf_DmaHeap::get_FirmwareBoard___STATIC__STRING
    NULL, // nanoFramework_DmaBuf_DmaHeap::IsKeptWhole___STATIC__BOOLEAN__STRING
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap::NativeFirmwareBoard___STATIC__STRING,
    NULL, // nanoFramework_DmaBuf_DmaMapping::Dispose___VOID
    NULL, // nanoFramework_DmaBuf_DmaMapping::_ctor___VOID__nanoFrameworkDmaBufDmaAttachment__SZARRAY_I4
    NULL, // nanoFramework_DmaBuf_DmaMapping::get_Attachment___nanoFrameworkDmaBufDmaAttachment
    NULL, // nanoFramework_DmaBuf_DmaMapping::get_IsMapped___BOOLEAN
    NULL, // nanoFramework_DmaBuf_DmaMapping::get_DmaAddress___U4
    NULL, // nanoFramework_DmaBuf_DmaMapping::get_Length___I4
    NULL, // nanoFramework_DmaBuf_DmaMapping::get_SegmentSize___I4
    NULL, // nanoFramework_DmaBuf_DmaMapping::get_SegmentCount___I4
    NULL, // nanoFramework_DmaBuf_DmaMapping::get_Direction___nanoFrameworkDmaBufDmaDirection
    NULL, // nanoFramework_DmaBuf_DmaMapping::GetSegmentAddress___U4__I4
    NULL, // nanoFramework_DmaBuf_DmaMapping::GetSegmentLength___I4__I4
    NULL, // nanoFramework_DmaBuf_DmaMapping::AttachFence___VOID__nanoFrameworkDmaBufDmaFence
    NULL, // nanoFramework_DmaBuf_DmaMapping::Release___VOID
    NULL, // nanoFramework_DmaBuf_DmaMapping::Value___I4__I4
    NULL, // nanoFramework_DmaBuf_DmaMapping::CheckSegment___VOID__I4
    NULL, // nanoFramework_DmaBuf_QueueFrame::_ctor___VOID__nanoFrameworkDmaBufFrameQueue__I4__nanoFrameworkDmaBufDmaBuffer
    NULL, // nanoFramework_DmaBuf_QueueFrame::get_Queue___nanoFrameworkDmaBufFrameQueue
    NULL, // nanoFramework_DmaBuf_QueueFrame::get_Index___I4
    NULL, // nanoFramework_DmaBuf_QueueFrame::get_Buffer___nanoFrameworkDmaBufDmaBuffer
    NULL, // nanoFramework_DmaBuf_QueueFrame::get_SequenceNumber___I4
    NULL, // nanoFramework_DmaBuf_QueueFrame::set_SequenceNumber___VOID__I4
    NULL, // nanoFramework_DmaBuf_QueueFrame::get_TimestampMicroseconds___I8
    NULL, // nanoFramework_DmaBuf_QueueFrame::set_TimestampMicroseconds___VOID__I8
    NULL, // nanoFramework_DmaBuf_QueueFrame::get_State___nanoFrameworkDmaBufFrameState
    NULL, // nanoFramework_DmaBuf_FrameQueue::Dispose___VOID
    NULL, // nanoFramework_DmaBuf_FrameQueue::Finalize___VOID
    NULL, // nanoFramework_DmaBuf_FrameQueue::_ctor___VOID__nanoFrameworkDmaBufDmaHeap__SZARRAY_nanoFrameworkDmaBufDmaBuffer__nanoFrameworkDmaBufFrameQueueMode
    NULL, // nanoFramework_DmaBuf_FrameQueue::get_Count___I4
    NULL, // nanoFramework_DmaBuf_FrameQueue::get_Mode___nanoFrameworkDmaBufFrameQueueMode
    NULL, // nanoFramework_DmaBuf_FrameQueue::get_IsDisposed___BOOLEAN
    NULL, // nanoFramework_DmaBuf_FrameQueue::GetFrame___nanoFrameworkDmaBufQueueFrame__I4
    NULL, // nanoFramework_DmaBuf_FrameQueue::Dequeue___nanoFrameworkDmaBufQueueFrame__I4
    NULL, // nanoFramework_DmaBuf_FrameQueue::Enqueue___VOID__nanoFrameworkDmaBufQueueFrame
    NULL, // nanoFramework_DmaBuf_FrameQueue::Enqueue___VOID__nanoFrameworkDmaBufQueueFrame__I8
    NULL, // nanoFramework_DmaBuf_FrameQueue::Cancel___VOID__nanoFrameworkDmaBufQueueFrame
    NULL, // nanoFramework_DmaBuf_FrameQueue::Acquire___nanoFrameworkDmaBufQueueFrame__I4
    NULL, // nanoFramework_DmaBuf_FrameQueue::Release___VOID__nanoFrameworkDmaBufQueueFrame
    NULL, // nanoFramework_DmaBuf_FrameQueue::GetStatistics___nanoFrameworkDmaBufFrameQueueStatistics
    NULL, // nanoFramework_DmaBuf_FrameQueue::GetState___nanoFrameworkDmaBufFrameState__nanoFrameworkDmaBufQueueFrame
    NULL, // nanoFramework_DmaBuf_FrameQueue::Take___I4__BOOLEAN__I4__SZARRAY_I8
    NULL, // nanoFramework_DmaBuf_FrameQueue::CheckCall___VOID__I4
    NULL, // nanoFramework_DmaBuf_FrameQueue::GiveBack___VOID__I4
    NULL, // nanoFramework_DmaBuf_FrameQueue::AddUse___VOID
    NULL, // nanoFramework_DmaBuf_FrameQueue::DropUse___VOID
    NULL, // nanoFramework_DmaBuf_FrameQueue::Release___VOID
    NULL, // nanoFramework_DmaBuf_FrameQueue::Free___VOID
    NULL, // nanoFramework_DmaBuf_FrameQueue::IndexOf___I4__nanoFrameworkDmaBufQueueFrame
    NULL, // nanoFramework_DmaBuf_FrameQueue::ThrowIfDisposed___VOID
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_FrameQueue::NativeCreate___I4__I4__SZARRAY_I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_FrameQueue::NativeDestroy___I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_FrameQueue::NativeClose___I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_FrameQueue::NativeDequeue___I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_FrameQueue::NativeEnqueue___I4__I4__I8,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_FrameQueue::NativeCancel___I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_FrameQueue::NativeAcquire___I4__I4__SZARRAY_I8,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_FrameQueue::NativeRelease___I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_FrameQueue::NativeFrameState___I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_FrameQueue::NativeStatistics___I4__SZARRAY_I4,
    NULL, // nanoFramework_DmaBuf_FrameQueue::Check___STATIC__VOID__I4
    NULL, // nanoFramework_DmaBuf_DmaAttachment::Dispose___VOID
    NULL, // nanoFramework_DmaBuf_DmaAttachment::_ctor___VOID__nanoFrameworkDmaBufDmaBuffer__I4__I4__nanoFrameworkDmaBufDmaDevice
    NULL, // nanoFramework_DmaBuf_DmaAttachment::get_Buffer___nanoFrameworkDmaBufDmaBuffer
    NULL, // nanoFramework_DmaBuf_DmaAttachment::get_Device___nanoFrameworkDmaBufDmaDevice
    NULL, // nanoFramework_DmaBuf_DmaAttachment::get_IsDisposed___BOOLEAN
    NULL, // nanoFramework_DmaBuf_DmaAttachment::get_Handle___I4
    NULL, // nanoFramework_DmaBuf_DmaAttachment::get_Mapping___nanoFrameworkDmaBufDmaMapping
    NULL, // nanoFramework_DmaBuf_DmaAttachment::Map___nanoFrameworkDmaBufDmaMapping__nanoFrameworkDmaBufDmaDirection
    NULL, // nanoFramework_DmaBuf_DmaAttachment::Unmap___VOID__nanoFrameworkDmaBufDmaMapping__SZARRAY_I4
    NULL, // nanoFramework_DmaBuf_DmaAttachment::Release___VOID
    NULL, // nanoFramework_DmaBuf_DmaAttachment::ThrowIfReleased___VOID
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaAttachment::NativeMap___I4__I4__SZARRAY_I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaAttachment::NativeUnmap___I4__I4__SZARRAY_I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaAttachment::NativeDetach___I4,
    NULL, // nanoFramework_DmaBuf_Camera::ReleaseJobs___VOID
    NULL, // nanoFramework_DmaBuf_Camera::_ctor___VOID__nanoFrameworkDmaBufDmaHeap__STRING__I4__I4__nanoFrameworkDmaBufPixelFormat
    NULL, // nanoFramework_DmaBuf_Camera::get_PendingCapture___nanoFrameworkDmaBufDmaFence
    NULL, // nanoFramework_DmaBuf_Camera::get_CapturedFrameNumber___I4
    NULL, // nanoFramework_DmaBuf_Camera::Capture___nanoFrameworkDmaBufDmaFence__nanoFrameworkDmaBufDmaMapping
    NULL, // nanoFramework_DmaBuf_Camera::BeginCapture___nanoFrameworkDmaBufQueueFrame__nanoFrameworkDmaBufFrameQueue__I4
    NULL, // nanoFramework_DmaBuf_Camera::EndCapture___nanoFrameworkDmaBufQueueFrame__I4
    NULL, // nanoFramework_DmaBuf_Camera::FinishQueueCapture___VOID
    NULL, // nanoFramework_DmaBuf_Camera::UseQueue___VOID__nanoFrameworkDmaBufFrameQueue
    NULL, // nanoFramework_DmaBuf_Camera::DetachQueue___VOID
    NULL, // nanoFramework_DmaBuf_DmaCacheStatistics::_ctor___VOID__SZARRAY_I8
    NULL, // nanoFramework_DmaBuf_DmaCacheStatistics::get_LinesCleaned___I8
    NULL, // nanoFramework_DmaBuf_DmaCacheStatistics::get_LinesInvalidated___I8
    NULL, // nanoFramework_DmaBuf_DmaCacheStatistics::get_WholeCacheOperations___I8
    NULL, // nanoFramework_DmaBuf_DmaConstraintException::_ctor___VOID__STRING
    NULL, // nanoFramework_DmaBuf_DmaCpuCopyStatistics::_ctor___VOID__SZARRAY_I8
    NULL, // nanoFramework_DmaBuf_DmaCpuCopyStatistics::get_BytesCopied___I8
    NULL, // nanoFramework_DmaBuf_DmaCpuCopyStatistics::get_Copies___I8
    NULL, // nanoFramework_DmaBuf_DmaDiagnostics::ReportLeak___STATIC__VOID__STRING__STRING
    NULL, // nanoFramework_DmaBuf_DmaDiagnostics__LeakHandler::Invoke___VOID__STRING
    NULL, // nanoFramework_DmaBuf_DmaDiagnostics__LeakHandler::BeginInvoke___SystemIAsyncResult__STRING__SystemAsyncCallback__OBJECT
    NULL, // nanoFramework_DmaBuf_DmaDiagnostics__LeakHandler::EndInvoke___VOID__SystemIAsyncResult
    NULL, // nanoFramework_DmaBuf_DmaDiagnostics__LeakHandler::_ctor___VOID__OBJECT__I4
    NULL, // nanoFramework_DmaBuf_DmaFrame::_ctor___VOID__nanoFrameworkDmaBufDmaBuffer__I4__I4__nanoFrameworkDmaBufPixelFormat
    NULL, // nanoFramework_DmaBuf_DmaFrame::_ctor___VOID__nanoFrameworkDmaBufDmaBuffer__I4__I4__I4__I4__nanoFrameworkDmaBufPixelFormat
    NULL, // nanoFramework_DmaBuf_DmaFrame::get_Buffer___nanoFrameworkDmaBufDmaBuffer
    NULL, // nanoFramework_DmaBuf_DmaFrame::get_Offset___I4
    NULL, // nanoFramework_DmaBuf_DmaFrame::get_Width___I4
    NULL, // nanoFramework_DmaBuf_DmaFrame::get_Height___I4
    NULL, // nanoFramework_DmaBuf_DmaFrame::get_Stride___I4
    NULL, // nanoFramework_DmaBuf_DmaFrame::get_Format___nanoFrameworkDmaBufPixelFormat
    NULL, // nanoFramework_DmaBuf_DmaFrame::BeginCpuAccess___nanoFrameworkDmaBufCpuAccess__nanoFrameworkDmaBufDmaDirection__I4__I4__I4__I4
    NULL, // nanoFramework_DmaBuf_DmaFrame::FillRectangle___VOID__I4__I4__I4__I4__I4
    NULL, // nanoFramework_DmaBuf_DmaFrame::DarkenRectangle___VOID__I4__I4__I4__I4
    NULL, // nanoFramework_DmaBuf_DmaFrame::BlendRectangle___VOID__I4__I4__I4__I4__I4__I4
    NULL, // nanoFramework_DmaBuf_DmaFrame::CopyRectangleTo___VOID__I4__I4__I4__I4__nanoFrameworkDmaBufDmaFrame__I4__I4
    NULL, // nanoFramework_DmaBuf_DmaFrame::DrawText___VOID__I4__I4__STRING__I4__I4
    NULL, // nanoFramework_DmaBuf_DmaFrame::DrawSprite___VOID__I4__I4__SZARRAY_U1__I4__I4__I4
    NULL, // nanoFramework_DmaBuf_DmaFrame::ReadPixel___I4__I4__I4
    NULL, // nanoFramework_DmaBuf_DmaFrame::ReadRow___VOID__I4__I4__I4__SZARRAY_U1
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFrame::NativeCheck___I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFrame::NativeFill___I4__I4__I4__I4__I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFrame::NativeDarken___I4__I4__I4__I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFrame::NativeBlend___I4__I4__I4__I4__I4__I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFrame::NativeCopy___I4__I4__I4__I4__I4__nanoFrameworkDmaBufDmaFrame__I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFrame::NativeDrawText___I4__I4__I4__STRING__I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFrame::NativeDrawSprite___I4__I4__I4__SZARRAY_U1__I4__I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFrame::NativeReadPixel___I4__I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFrame::NativeReadRow___I4__I4__I4__I4__SZARRAY_U1,
    NULL, // nanoFramework_DmaBuf_DmaFrame::BytesPerPixel___STATIC__I4__nanoFrameworkDmaBufPixelFormat
    NULL, // nanoFramework_DmaBuf_DmaFrame::CheckSize___STATIC__VOID__I4__I4
    NULL, // nanoFramework_DmaBuf_DmaFrame::Check___STATIC__VOID__I4
    NULL, // nanoFramework_DmaBuf_DmaHeapStatistics::_ctor___VOID__SZARRAY_I8
    NULL, // nanoFramework_DmaBuf_DmaHeapStatistics::get_Capacity___I4
    NULL, // nanoFramework_DmaBuf_DmaHeapStatistics::get_InUse___I4
    NULL, // nanoFramework_DmaBuf_DmaHeapStatistics::get_Peak___I4
    NULL, // nanoFramework_DmaBuf_DmaHeapStatistics::get_FailedAllocations___I8
    NULL, // nanoFramework_DmaBuf_DmaHeapStatistics::get_LargestFree___I4
    NULL, // nanoFramework_DmaBuf_DmaHeapStatistics::get_LiveBuffers___I4
    NULL, // nanoFramework_DmaBuf_DmaHeapStatistics::get_LiveAttachments___I4
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::Dispose___VOID
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::ReleaseJobs___VOID
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::_ctor___VOID__nanoFrameworkDmaBufDmaHeap__STRING__I4__I4__I4__nanoFrameworkDmaBufPixelFormat
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::get_Heap___nanoFrameworkDmaBufDmaHeap
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::get_Name___STRING
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::get_Device___nanoFrameworkDmaBufDmaDevice
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::get_Format___nanoFrameworkDmaBufPixelFormat
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::get_IsDisposed___BOOLEAN
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::get_NativeId___I4
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::get_Width___I4
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::get_Height___I4
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::get_FrameBytes___I4
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::get_MaximumWidth___I4
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::get_MaximumHeight___I4
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::GetSequenceNumber___I4__nanoFrameworkDmaBufDmaFence
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::GetTimestampMicroseconds___I8__nanoFrameworkDmaBufDmaFence
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::GetStartMicroseconds___I8__nanoFrameworkDmaBufDmaFence
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::StartJob___nanoFrameworkDmaBufDmaFence__I4__nanoFrameworkDmaBufDmaMapping__I4__I4__SZARRAY_I4
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::StartCommand___nanoFrameworkDmaBufDmaFence__I4__SZARRAY_U1
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::FenceOf___nanoFrameworkDmaBufDmaFence__I4__I4
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::ThrowIfDisposed___VOID
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::Completion___I8__nanoFrameworkDmaBufDmaFence__I4
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::Check___VOID__I4
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaPeripheral::NativeOpen___I4__STRING__I4__I4__I4__I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaPeripheral::NativeClose___I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaPeripheral::NativeInfo___I4__SZARRAY_I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaPeripheral::NativeDevice___STRING,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaPeripheral::NativeCapture___I4__SZARRAY_I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaPeripheral::NativePresent___I4__SZARRAY_I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaPeripheral::NativeWriteRectangle___I4__SZARRAY_I4__I4__I4__SZARRAY_I4,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaPeripheral::NativeCompletion___I4__I4__SZARRAY_I8,
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaPeripheral::NativeCommand___I4__I4__SZARRAY_U1,
    NULL, // nanoFramework_DmaBuf_DmaPeripheral::TypeName___STATIC__STRING__I4
    NULL, // nanoFramework_DmaBuf_FrameQueueStatistics::_ctor___VOID__SZARRAY_I4
    NULL, // nanoFramework_DmaBuf_FrameQueueStatistics::get_Count___I4
    NULL, // nanoFramework_DmaBuf_FrameQueueStatistics::get_Enqueued___I4
    NULL, // nanoFramework_DmaBuf_FrameQueueStatistics::get_Acquired___I4
    NULL, // nanoFramework_DmaBuf_FrameQueueStatistics::get_Dropped___I4
    NULL, // nanoFramework_DmaBuf_FrameQueueStatistics::get_Starved___I4
    NULL, // nanoFramework_DmaBuf_FrameQueueStatistics::get_Consistent___BOOLEAN
    NULL, // nanoFramework_DmaBuf_FrameQueueStatistics::get_Free___I4
    NULL, // nanoFramework_DmaBuf_FrameQueueStatistics::get_Ready___I4
    NULL, // nanoFramework_DmaBuf_NativeUses::IsReleased___STATIC__BOOLEAN__I4
    NULL, // nanoFramework_DmaBuf_NativeUses::Add___STATIC__VOID__BYREF_I4__STRING
    NULL, // nanoFramework_DmaBuf_NativeUses::Drop___STATIC__BOOLEAN__BYREF_I4
    NULL, // nanoFramework_DmaBuf_NativeUses::Release___STATIC__BOOLEAN__BYREF_I4
    NULL, // nanoFramework_DmaBuf_ScanoutDisplay::_ctor___VOID__nanoFrameworkDmaBufDmaHeap__STRING__I4__I4__nanoFrameworkDmaBufPixelFormat
    NULL, // nanoFramework_DmaBuf_ScanoutDisplay::Present___nanoFrameworkDmaBufDmaFence__nanoFrameworkDmaBufDmaMapping
    NULL, // nanoFramework_DmaBuf_SpiPanel::_ctor___VOID__nanoFrameworkDmaBufDmaHeap__STRING__nanoFrameworkDmaBufPixelFormat
    NULL, // nanoFramework_DmaBuf_SpiPanel::Initialize___VOID__I4__BOOLEAN
    NULL, // nanoFramework_DmaBuf_SpiPanel::SendCommand___nanoFrameworkDmaBufDmaFence__I4__SZARRAY_U1
    NULL, // nanoFramework_DmaBuf_SpiPanel::Command___VOID__I4__SZARRAY_U1
    NULL, // nanoFramework_DmaBuf_SpiPanel::WriteRectangle___nanoFrameworkDmaBufDmaFence__nanoFrameworkDmaBufDmaMapping__I4__I4__I4__I4__I4__I4
    NULL, // nanoFramework_DmaBuf_SpiPanel::AddressRange___STATIC__SZARRAY_U1__I4
    NULL, // nanoFramework_DmaBuf_SpiPanel::CheckNotNegative___STATIC__VOID__I4__STRING
    NULL, // nanoFramework_DmaBuf_ThrowHelper::Throw___STATIC__VOID__I4__STRING
    NULL, // nanoFramework_DmaBuf_ThrowHelper::Create___STATIC__SystemException__I4__STRING
    NULL, // nanoFramework_DmaBuf_ThrowHelper::ThrowDisposed___STATIC__VOID__STRING
    NULL, // nanoFramework_DmaBuf_ThrowHelper::ThrowArgumentOutOfRange___STATIC__VOID__STRING__STRING
    NULL, // nanoFramework_DmaBuf_ThrowHelper::ThrowArgumentNull___STATIC__VOID__STRING
    NULL, // nanoFramework_DmaBuf_ThrowHelper::ThrowArgument___STATIC__VOID__STRING__STRING
    NULL, // nanoFramework_DmaBuf_ThrowHelper::ThrowInvalidOperation___STATIC__VOID__STRING
    NULL, // nanoFramework_DmaBuf_ThrowHelper::CheckDirection___STATIC__VOID__nanoFrameworkDmaBufDmaDirection__STRING
    NULL, // nanoFramework_DmaBuf_ThrowHelper::CheckRange___STATIC__VOID__I4__I4__I4__STRING__STRING
    NULL, // nanoFramework_DmaBuf_ThrowHelper::Message___STATIC__STRING__STRING__STRING__I4
    Library_dmabuf_nf_native_nanoFramework_DmaBuf_ThrowHelper::NativeTakeLastMessage___STATIC__STRING,
};

const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_nanoFramework_DmaBuf =
{
    "nanoFramework.DmaBuf",
    0x07E9508A,
    method_lookup,
    { 1, 0, 0, 1 }
};

// clang-format on

struct dmabuf_ctx *dmabuf_nf_context_of(CLR_RT_HeapBlock *object, int heapField)
{
    // Managed objects carry the heap id, never a pointer: an id other than the
    // target's one context is stale or forged.
    if (object[heapField].NumericByRef().s4 != DMABUF_NF_HEAP_ID)
    {
        return NULL;
    }

    return dmabuf_nf_context();
}

int32_t *dmabuf_nf_int_array(CLR_RT_HeapBlock &argument, uint32_t count)
{
    CLR_RT_HeapBlock_Array *array = argument.DereferenceArray();

    if (array == NULL || array->m_numOfElements < count || array->m_sizeOfElement != sizeof(int32_t))
    {
        return NULL;
    }

    return (int32_t *)array->GetFirstElement();
}

int64_t *dmabuf_nf_long_array(CLR_RT_HeapBlock &argument, uint32_t count)
{
    CLR_RT_HeapBlock_Array *array = argument.DereferenceArray();

    if (array == NULL || array->m_numOfElements < count || array->m_sizeOfElement != sizeof(int64_t))
    {
        return NULL;
    }

    return (int64_t *)array->GetFirstElement();
}

// The last failure message, and the copy handed to the managed side.
static char last_message[128];
static char taken_message[128];

extern "C" void dmabuf_nf_report(void *user, const char *message)
{
    (void)user;
    hal_strncpy_s(last_message, sizeof(last_message), message, sizeof(last_message) - 1);
}

const char *dmabuf_nf_take_last_message(void)
{
    memcpy(taken_message, last_message, sizeof(taken_message));
    last_message[0] = '\0';
    return taken_message;
}

// Targets whose firmware sets no DmaBuf context up: DmaHeap.Open reports
// NotSupportedException. A firmware with DMA buffers defines these.
__attribute__((weak)) struct dmabuf_ctx *dmabuf_nf_context(void)
{
    return NULL;
}

__attribute__((weak)) const struct dmabuf_board *dmabuf_nf_board(void)
{
    return NULL;
}
