//
// nanoFramework.DmaBuf: the test hook DmaFence.SignalFromNativeThread
// (dmabuf_nf_native.h). On a board a fence is signalled by a DMA-complete
// interrupt, never by the CLR's thread; the posix nanoCLR has no such
// interrupt, so a native thread plays it there, letting the device tests check
// that a signal from outside the interpreter wakes a parked managed thread.
// Compiled everywhere (the method table names the stub); the thread only
// where FindINTEROP-nanoFramework.DmaBuf.cmake defines
// DMABUF_NF_NATIVE_TEST_THREADS (the posix nanoCLR, OS port host).
//

#include "dmabuf_nf_native.h"

#if defined(DMABUF_NF_NATIVE_TEST_THREADS)

#include <chrono>
#include <thread>

int dmabuf_nf_signal_from_native_thread(struct dmabuf_fence_pool *pool, dmabuf_fence_t fence, uint32_t delay_ms)
{
    // paired with the put in the thread: the fence outlives its managed owner
    // if that is disposed meanwhile. The pool must outlive the delay (no soft
    // reboot in between: a test hook).
    int error = dmabuf_fence_get(pool, fence);

    if (error)
    {
        return error;
    }

    try
    {
        std::thread([pool, fence, delay_ms]() {
            std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
            dmabuf_fence_signal(pool, fence);
            dmabuf_fence_put(pool, fence);
        }).detach();
    }
    catch (...)
    {
        dmabuf_fence_put(pool, fence);
        return DMABUF_ENOMEM;
    }

    return 0;
}

#else

int dmabuf_nf_signal_from_native_thread(struct dmabuf_fence_pool *pool, dmabuf_fence_t fence, uint32_t delay_ms)
{
    (void)pool;
    (void)fence;
    (void)delay_ms;
    return DMABUF_ENOTSUP;
}

#endif
