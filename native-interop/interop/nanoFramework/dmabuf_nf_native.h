/*
 * nanoFramework.DmaBuf native stubs (core-library flavour: each method gets
 * the CLR stack frame and reads `this` itself). Written for this project in
 * the layout MetadataProcessor uses, so its generated stubs can be compared
 * line by line.
 *
 * Field indices: instance fields in declaration order, from 1. The managed
 * classes keep the fields read here first and mark them "ABI"; KEEP IN SYNC.
 *
 * Error convention: every native method returns the dmabuf_error as its I4
 * result (0, a handle, or a negative code) and managed ThrowHelper maps it to
 * the documented exception, the same table as the host build. An HRESULT
 * failure is returned only for what the CLR itself must report (null `this`,
 * wrong argument types, out of memory for a result string).
 */
#ifndef DMABUF_NF_NATIVE_H
#define DMABUF_NF_NATIVE_H

#include <nanoCLR_Interop.h>
#include <nanoCLR_Runtime.h>
#include <nanoPackStruct.h>
#include <corlib_native.h>

#include "dmabuf/dmabuf.h"
#include "dmabuf_nf_target.h"

/* The only heap id on a target: its one context (DmaHeap._heap). */
#define DMABUF_NF_HEAP_ID 1

struct Library_dmabuf_nf_native_nanoFramework_DmaBuf_CpuAccess
{
    static const int FIELD___heap = 1;
    static const int FIELD___handle = 2;
    static const int FIELD___direction = 3;
    static const int FIELD___offset = 4;
    static const int FIELD___length = 5;
    static const int FIELD___buffer = 6;
    static const int FIELD___open = 7;

    NANOCLR_NATIVE_DECLARE(NativeBegin___I4);
    NANOCLR_NATIVE_DECLARE(NativeEnd___I4);
    NANOCLR_NATIVE_DECLARE(NativeRead___I4__I4__SZARRAY_U1__I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeWrite___I4__I4__SZARRAY_U1__I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeFill___I4__I4__I4__U1);
    NANOCLR_NATIVE_DECLARE(NativeCopy___I4__I4__nanoFrameworkDmaBufCpuAccess__I4__I4);

    //--//
};

struct Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaAttachment
{
    static const int FIELD___heap = 1;
    static const int FIELD___handle = 2;
    static const int FIELD___buffer = 3;
    static const int FIELD___device = 4;
    static const int FIELD___mapping = 5;

    NANOCLR_NATIVE_DECLARE(NativeMap___I4__I4__SZARRAY_I4);
    NANOCLR_NATIVE_DECLARE(NativeUnmap___I4__I4__SZARRAY_I4);
    NANOCLR_NATIVE_DECLARE(NativeDetach___I4);

    //--//
};

struct Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaBuffer
{
    static const int FIELD___heap = 1;
    static const int FIELD___handle = 2;
    static const int FIELD___owner = 3;
    static const int FIELD___size = 4;
    static const int FIELD___name = 5;
    static const int FIELD___lock = 6;
    static const int FIELD___access = 7;
    static const int FIELD___attachments = 8;
    static const int FIELD___lockOrder = 9;
    static const int FIELD___guard = 10;

    NANOCLR_NATIVE_DECLARE(NativeAttach___I4__I4);
    NANOCLR_NATIVE_DECLARE(NativePut___I4);
    NANOCLR_NATIVE_DECLARE(NativeAttachFence___I4__I4__nanoFrameworkDmaBufDmaFence);
    NANOCLR_NATIVE_DECLARE(NativeWaitForFences___I4__BOOLEAN__I4);
    NANOCLR_NATIVE_DECLARE(NativeImplicitSync___I4__I4);

    //--//
};

struct Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFence
{
    static const int FIELD___heap = 1;
    static const int FIELD___fence = 2;
    static const int FIELD___owner = 3;
    static const int FIELD___uses = 4;
    static const int FIELD___guard = 5;

    NANOCLR_NATIVE_DECLARE(NativeSignal___I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeStatus___I4);
    NANOCLR_NATIVE_DECLARE(NativeWait___I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeInfo___I4__SZARRAY_I4);
    NANOCLR_NATIVE_DECLARE(NativeSignalFromNativeThread___I4__I4);
    NANOCLR_NATIVE_DECLARE(NativePut___I4);

    //--//
};

struct Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaPeripheral
{
    static const int FIELD___heap = 1;
    static const int FIELD___peripheral = 2;
    static const int FIELD___owner = 3;
    static const int FIELD___lock = 4;
    static const int FIELD___kind = 5;
    static const int FIELD___name = 6;
    static const int FIELD___device = 7;
    static const int FIELD___width = 8;
    static const int FIELD___height = 9;
    static const int FIELD___format = 10;
    static const int FIELD___frameBytes = 11;
    static const int FIELD___maximumWidth = 12;
    static const int FIELD___maximumHeight = 13;

    NANOCLR_NATIVE_DECLARE(NativeOpen___I4__STRING__I4__I4__I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeClose___I4);
    NANOCLR_NATIVE_DECLARE(NativeInfo___I4__SZARRAY_I4);
    NANOCLR_NATIVE_DECLARE(NativeDevice___STRING);
    NANOCLR_NATIVE_DECLARE(NativeCapture___I4__SZARRAY_I4);
    NANOCLR_NATIVE_DECLARE(NativePresent___I4__SZARRAY_I4);
    NANOCLR_NATIVE_DECLARE(NativeWriteRectangle___I4__SZARRAY_I4__I4__I4__SZARRAY_I4);
    NANOCLR_NATIVE_DECLARE(NativeCompletion___I4__I4__SZARRAY_I8);
    NANOCLR_NATIVE_DECLARE(NativeCommand___I4__I4__SZARRAY_U1);

    //--//
};

struct Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaHeap
{
    static const int FIELD___heap = 1;
    static const int FIELD___board = 2;
    static const int FIELD___lock = 3;
    static const int FIELD___owners = 4;
    static const int FIELD___disposed = 5;

    NANOCLR_NATIVE_DECLARE(NativeOpen___I4__STRING);
    NANOCLR_NATIVE_DECLARE(NativeClose___I4);
    NANOCLR_NATIVE_DECLARE(NativeExport___I4__I4__STRING__I4);
    NANOCLR_NATIVE_DECLARE(NativeGetReference___I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeBufferInfo___I4__I4__SZARRAY_I4);
    NANOCLR_NATIVE_DECLARE(NativeBufferName___STRING__I4);
    NANOCLR_NATIVE_DECLARE(NativeFindDevice___I4__STRING);
    NANOCLR_NATIVE_DECLARE(NativeStatistics___I4__SZARRAY_I8);
    NANOCLR_NATIVE_DECLARE(NativeCacheStatistics___I4__SZARRAY_I8__BOOLEAN);
    NANOCLR_NATIVE_DECLARE(NativeDescribeBuffers___STRING);
    NANOCLR_NATIVE_DECLARE(NativeCreateFence___I4);
    NANOCLR_NATIVE_DECLARE(NativeCpuCopyStatistics___I4__SZARRAY_I8__BOOLEAN);
    NANOCLR_NATIVE_DECLARE(NativePeripheralFormats___I4__STRING);
    NANOCLR_NATIVE_DECLARE(NativePeripheralFrameSize___I4__STRING__SZARRAY_I4);
    NANOCLR_NATIVE_DECLARE(NativeFirmwareBoard___STATIC__STRING);

    //--//
};

struct Library_dmabuf_nf_native_nanoFramework_DmaBuf_DmaFrame
{
    static const int FIELD___heap = 1;
    static const int FIELD___handle = 2;
    static const int FIELD___offset = 3;
    static const int FIELD___width = 4;
    static const int FIELD___height = 5;
    static const int FIELD___stride = 6;
    static const int FIELD___format = 7;
    static const int FIELD___buffer = 8;

    NANOCLR_NATIVE_DECLARE(NativeCheck___I4);
    NANOCLR_NATIVE_DECLARE(NativeFill___I4__I4__I4__I4__I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeDarken___I4__I4__I4__I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeBlend___I4__I4__I4__I4__I4__I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeCopy___I4__I4__I4__I4__I4__nanoFrameworkDmaBufDmaFrame__I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeDrawText___I4__I4__I4__STRING__I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeDrawSprite___I4__I4__I4__SZARRAY_U1__I4__I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeReadPixel___I4__I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeReadRow___I4__I4__I4__I4__SZARRAY_U1);

    //--//
};

struct Library_dmabuf_nf_native_nanoFramework_DmaBuf_FrameQueue
{
    static const int FIELD___heap = 1;
    static const int FIELD___queue = 2;
    static const int FIELD___owner = 3;
    static const int FIELD___frames = 4;
    static const int FIELD___mode = 5;
    static const int FIELD___uses = 6;

    NANOCLR_NATIVE_DECLARE(NativeCreate___I4__I4__SZARRAY_I4);
    NANOCLR_NATIVE_DECLARE(NativeDestroy___I4);
    NANOCLR_NATIVE_DECLARE(NativeClose___I4);
    NANOCLR_NATIVE_DECLARE(NativeDequeue___I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeEnqueue___I4__I4__I8);
    NANOCLR_NATIVE_DECLARE(NativeCancel___I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeAcquire___I4__I4__SZARRAY_I8);
    NANOCLR_NATIVE_DECLARE(NativeRelease___I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeFrameState___I4__I4);
    NANOCLR_NATIVE_DECLARE(NativeStatistics___I4__SZARRAY_I4);

    //--//
};

struct Library_dmabuf_nf_native_nanoFramework_DmaBuf_ThrowHelper
{
    NANOCLR_NATIVE_DECLARE(NativeTakeLastMessage___STATIC__STRING);

    //--//
};

/* ---- shared by the stubs (dmabuf_nf_native.cpp) ------------------------- */

/* The context behind a managed _heap field, or NULL (stale id, or a target
 * without DMA buffer support). */
struct dmabuf_ctx *dmabuf_nf_context_of(CLR_RT_HeapBlock *object, int heapField);

/* An int[] / long[] argument with at least @count elements, or NULL. */
int32_t *dmabuf_nf_int_array(CLR_RT_HeapBlock &argument, uint32_t count);
int64_t *dmabuf_nf_long_array(CLR_RT_HeapBlock &argument, uint32_t count);

/* Take (read and clear) the last failure message; "" if none. */
const char *dmabuf_nf_take_last_message(void);

/* ---- waiting the nanoCLR way (dmabuf_nf_wait.cpp) ----------------------- */

/* One non-blocking try of a method that may have to wait: reads its own
 * arguments from @stack, writes its outputs only when it succeeds, and
 * returns a dmabuf_error (or a count), or the "busy" value its caller names. */
typedef int (*dmabuf_nf_attempt_fn)(CLR_RT_StackFrame &stack);

/* The fence an attempt waits for (read from @stack), for the fence pool's
 * wait hook (dmabuf_fence_wait_hooked); 0 when it waits for none now. */
typedef dmabuf_fence_t (*dmabuf_nf_pending_fn)(CLR_RT_StackFrame &stack);

/*
 * Runs @attempt until it returns something other than @busy, at most
 * @timeout_us (UINT32_MAX = forever; 0 = never parks) from the method's first
 * entry, then stores that in @result (-ETIMEDOUT if still @busy at the
 * deadline). In between it parks the managed thread: it returns
 * CLR_E_THREAD_WAITING, which the method must return as is (NANOCLR_CHECK_HRESULT),
 * and the engine calls the method again from the top when a fence signals,
 * a frame is handed over, or the deadline passes. Keeps the deadline in
 * stack.m_customState and evaluation stack slot 0 across entries (the method
 * must use neither) and pops it before returning S_OK, so the method then
 * pushes its result as usual.
 * With @pending, before each park the fence pool's wait hook may complete the
 * wait on the fence @pending names (dmabuf_fence_wait_hooked, given the whole
 * @timeout_us in the hook's own time): a simulated board runs virtual time
 * there instead of parking; without a hook (real boards) nothing changes.
 */
HRESULT dmabuf_nf_wait(
    CLR_RT_StackFrame &stack,
    uint32_t timeout_us,
    int busy,
    dmabuf_nf_attempt_fn attempt,
    int &result,
    dmabuf_nf_pending_fn pending = NULL);

/* How long implicit sync may wait in all (the reservation table's
 * implicit timeout; 0 without a table: nothing ever answers -EAGAIN then). */
uint32_t dmabuf_nf_implicit_timeout(void);

/* The wake hook (dmabuf.h) that raises the CLR event dmabuf_nf_wait parks
 * on. ISR-safe; runs with dmabuf_irq_lock held. */
extern "C" void dmabuf_nf_wake(void *user);

/* Make the target's fence pool wake parked threads and its reservation table
 * non-blocking (implicit sync answers -EAGAIN, dmabuf_nf_wait waits). Called
 * on DmaHeap.Open, after the firmware made (or after a soft reboot, remade)
 * the pool and table; idempotent. */
void dmabuf_nf_prepare_waits(void);

/*
 * Test hook (dmabuf_nf_test_signal.cpp): signal @fence of @pool after
 * @delay_ms from a native thread that is not the CLR's, as a DMA-complete
 * interrupt would, so a device test can check that such a signal wakes a
 * parked managed thread. Takes its own reference for the delay. Only the
 * posix nanoCLR (OS port "host") has native threads to spare: elsewhere
 * -ENOTSUP. @retval 0 started; -EBADF; -ENOMEM no thread; -ENOTSUP.
 */
int dmabuf_nf_signal_from_native_thread(struct dmabuf_fence_pool *pool, dmabuf_fence_t fence, uint32_t delay_ms);

extern const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_nanoFramework_DmaBuf;

#endif // DMABUF_NF_NATIVE_H
