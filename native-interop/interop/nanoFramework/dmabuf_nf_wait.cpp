//
// nanoFramework.DmaBuf: waiting the nanoCLR way.
//
// nanoCLR runs every managed thread on one native thread, so a native method
// must never block: the thread that would signal could not run. A method that
// may have to wait (a fence, implicit sync, a frame queue) instead parks its
// managed thread on a CLR event and returns CLR_E_THREAD_WAITING, as
// System.Device.Spi does for an asynchronous transfer: the engine runs the
// other managed threads and re-enters the method, from the top and with the
// same arguments, when the event is raised or the deadline passes.
//
// The event is raised by dmabuf_nf_wake, which the interop installs as the
// wake hook (dmabuf.h) of the target's fence pool and of every frame queue:
// a fence signalled from an ISR, a DMA callback, another native thread or a
// managed thread, or a frame handed over, sets it. nanoHAL has no spare event
// flag mapped to a CLR event, so DmaBuf shares SYSTEM_EVENT_FLAG_SPI_MASTER
// (Event_SpiMaster) with the SPI driver: both sides re-check their condition
// when woken, so a wake meant for the other costs one re-check, nothing more.
//
// A simulated board (a nanoCLR built with DMABUF_NF_SIMULATED_BOARD) has no
// ISR: its peripherals run on virtual time, which moves only when someone runs
// it. Its fence pool carries a wait hook (fence.h) that runs virtual time until
// a fence signals; before parking, a wait that names its fence lets that hook
// finish the wait on the managed thread (dmabuf_fence_wait_hooked), as
// dmabuf_fence_wait does on the host. Real boards install no hook.
//

#include "dmabuf_nf_native.h"

#define DMABUF_NF_SYSTEM_EVENT SYSTEM_EVENT_FLAG_SPI_MASTER
#define DMABUF_NF_CLR_EVENT Event_SpiMaster

// 100 ns ticks per microsecond (CLR timeouts are in ticks).
#define TICKS_PER_MICROSECOND 10

// ISR-safe on every nanoHAL: an atomic OR on ChibiOS / ESP32 (nanoPAL_Events.cpp),
// a mutex and a condition variable on posix (called from native threads there).
extern "C" void dmabuf_nf_wake(void *user)
{
    (void)user;
    Events_Set(DMABUF_NF_SYSTEM_EVENT);
}

void dmabuf_nf_prepare_waits(void)
{
    struct dmabuf_fence_pool *fences = dmabuf_nf_fences();
    struct dmabuf_resv_table *resv = dmabuf_nf_resv();

    if (fences != NULL)
    {
        dmabuf_fence_pool_set_wake_hook(fences, dmabuf_nf_wake, NULL);
    }

    if (resv != NULL)
    {
        dmabuf_resv_set_nonblocking(resv, true);
    }
}

uint32_t dmabuf_nf_implicit_timeout(void)
{
    struct dmabuf_resv_table *resv = dmabuf_nf_resv();

    return resv ? dmabuf_resv_implicit_timeout(resv) : 0;
}

// Whether the fence pool's wait hook finished the wait on the fence @pending
// names (signalled, failed, or timed out in the hook's time). A simulated board
// installs a hook that runs virtual time on this thread: parking instead would
// wait for a signal that only running the simulator makes. No hook (a real
// board, whose fences an ISR signals), or one that cannot make the fence
// signal: false, and the caller parks. A fence made from C# (the interop's
// timeline) is signalled by C# or a native thread, never by a peripheral:
// handed to the simulator's hook, a finite wait would run virtual time to its
// deadline and time out at once instead of parking for the other thread.
static bool hook_completed(CLR_RT_StackFrame &stack, uint32_t timeout_us, dmabuf_nf_pending_fn pending)
{
    struct dmabuf_fence_pool *fences = dmabuf_nf_fences();
    struct dmabuf_fence_info info;
    dmabuf_fence_t fence;

    if (pending == NULL || fences == NULL || timeout_us == 0)
    {
        return false;
    }

    // The attempt has just seen the fence pending: the handle is live.
    fence = pending(stack);
    if (fence == 0 || dmabuf_fence_get_info(fences, fence, &info) != 0 || info.context == dmabuf_nf_fence_timeline())
    {
        return false;
    }

    return dmabuf_fence_wait_hooked(fences, fence, timeout_us) <= 0;
}

HRESULT dmabuf_nf_wait(
    CLR_RT_StackFrame &stack,
    uint32_t timeout_us,
    int busy,
    dmabuf_nf_attempt_fn attempt,
    int &result,
    dmabuf_nf_pending_fn pending)
{
    NANOCLR_HEADER();
    {
        CLR_RT_HeapBlock timeout;
        CLR_INT64 *deadline;
        bool signalled = true;

        // Re-entered: the deadline of the first entry is still on the
        // evaluation stack (m_customState != 0); SetupTimeoutFromTicks
        // pushes it on the first entry only.
        timeout.SetInteger(
            timeout_us == UINT32_MAX ? (CLR_INT64)-1 : (CLR_INT64)timeout_us * TICKS_PER_MICROSECOND);

        while (true)
        {
            result = attempt(stack);
            if (result != busy)
            {
                break;
            }

            if (hook_completed(stack, timeout_us, pending))
            {
                // Signalled, failed or timed out in the hook's time: the
                // attempt reads which; still busy means the hook's timeout.
                result = attempt(stack);
                if (result == busy)
                {
                    result = DMABUF_ETIMEDOUT;
                }

                break;
            }

            NANOCLR_CHECK_HRESULT(stack.SetupTimeoutFromTicks(timeout, deadline));

            // Parks the thread (CLR_E_THREAD_WAITING) unless the event is already
            // raised (signalled: try again now) or the deadline has passed.
            NANOCLR_CHECK_HRESULT(
                g_CLR_RT_ExecutionEngine.WaitEvents(stack.m_owningThread, *deadline, DMABUF_NF_CLR_EVENT, signalled));
            if (!signalled)
            {
                // One last look: the signal may have come at the deadline.
                result = attempt(stack);
                if (result == busy)
                {
                    result = DMABUF_ETIMEDOUT;
                }

                break;
            }
        }

        if (stack.m_customState != 0)
        {
            // The deadline slot goes before the method's result is pushed.
            stack.PopValue();
            stack.m_customState = 0;
        }
    }
    NANOCLR_NOCLEANUP();
}
