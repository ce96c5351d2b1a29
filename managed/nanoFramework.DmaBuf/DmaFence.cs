using System;
using System.Runtime.CompilerServices;
#if NANOFRAMEWORK_1_0
using System.Threading;
#endif

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// A one-shot completion signal (dma-fence): a DMA job's "done", signalled once, from an
    /// interrupt on hardware, and waited for with a timeout. Fences of a job are attached to the
    /// buffers it moves (<see cref="DmaMapping.AttachFence(DmaFence)"/>), so the next user of a
    /// buffer can wait for it (<see cref="DmaBuffer.WaitForFences(bool, int)"/>).
    /// </summary>
    /// <remarks>
    /// Made by <see cref="DmaHeap.CreateFence"/>, unsignalled, on the heap's timeline with the next
    /// sequence number. Each DmaFence object owns one reference: dispose it when done (a buffer's
    /// reservation keeps its own reference while the job is in flight). Thread-safe.
    /// </remarks>
    public sealed class DmaFence : IDisposable
    {
        // ABI: the native side reads these fields; keep them first, in this order.
        private readonly int _heap;
        private int _fence;

        private readonly DmaHeap _owner;
        private readonly object _lock = new object();

        // Native fence info layout (KEEP IN SYNC with the interop): context, seqno, refcount.
        private const int InfoLength = 3;

        internal DmaFence(DmaHeap owner, int heap, int fence)
        {
            _owner = owner;
            _heap = heap;
            _fence = fence;
        }

        /// <summary>The heap the fence belongs to.</summary>
        public DmaHeap Heap => _owner;

        /// <summary>Whether this owner was disposed (or released by its finalizer).</summary>
        public bool IsDisposed => _fence == 0;

        /// <summary>The native fence handle (positive, generation-checked).</summary>
        /// <exception cref="ObjectDisposedException">The fence was disposed.</exception>
        public int Handle
        {
            get
            {
                int fence = _fence;
                if (fence == 0)
                {
                    ThrowHelper.ThrowDisposed("DmaFence");
                }

                return fence;
            }
        }

        /// <summary>The timeline the fence belongs to (one per heap here).</summary>
        /// <exception cref="ObjectDisposedException">The fence was disposed.</exception>
        public int Context => ReadInfo(0);

        /// <summary>The fence's sequence number on its timeline: fences of one timeline signal in this order.</summary>
        /// <exception cref="ObjectDisposedException">The fence was disposed.</exception>
        public int SequenceNumber => ReadInfo(1);

        /// <summary>Whether the fence was signalled (successfully or not).</summary>
        /// <exception cref="ObjectDisposedException">The fence was disposed.</exception>
        public bool IsSignalled => Status() != 0;

        /// <summary>Whether the fence was signalled with a failure (<see cref="SignalFailure"/>).</summary>
        /// <exception cref="ObjectDisposedException">The fence was disposed.</exception>
        public bool IsFailed => Status() < 0;

        /// <summary>
        /// Signals completion: every waiter wakes, exactly once.
        /// </summary>
        /// <exception cref="InvalidOperationException">The fence was already signalled.</exception>
        /// <exception cref="ObjectDisposedException">The fence was disposed.</exception>
        public void Signal()
        {
            SignalWith(0);
        }

        /// <summary>
        /// Signals that the job failed (an I/O error of the DMA): waiters wake and get an
        /// <see cref="System.IO.IOException"/>; readers of a buffer it was the writer of get it too
        /// until a new writer replaces the bytes.
        /// </summary>
        /// <exception cref="InvalidOperationException">The fence was already signalled.</exception>
        /// <exception cref="ObjectDisposedException">The fence was disposed.</exception>
        public void SignalFailure()
        {
            SignalWith(DmaError.IOError);
        }

        /// <summary>
        /// Waits until the fence is signalled.
        /// </summary>
        /// <param name="millisecondsTimeout">Most milliseconds to wait; 0 polls, -1 waits forever.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="millisecondsTimeout"/> is below -1.</exception>
        /// <exception cref="TimeoutException">The fence was not signalled in time (it may still be later).</exception>
        /// <exception cref="System.IO.IOException">The fence was signalled with a failure.</exception>
        /// <exception cref="ObjectDisposedException">The fence was disposed.</exception>
        public void Wait(int millisecondsTimeout)
        {
            int timeout = Microseconds(millisecondsTimeout, "millisecondsTimeout");
            ThrowIfReleased();

            // Blocks: no lock held. The native wait keeps its own reference, so a Dispose on
            // another thread meanwhile cannot free the fence under it.
            int error = NativeWait(timeout);
            if (error < 0)
            {
                ThrowHelper.Throw(error, "DmaFence");
            }
        }

        /// <summary>
        /// Drops this owner's reference. Idempotent and thread-safe; never throws.
        /// </summary>
        public void Dispose()
        {
            Release();
            GC.SuppressFinalize(this);
        }

        /// <summary>Drops the reference of a fence that was not disposed.</summary>
        ~DmaFence()
        {
            Release();
        }

        /// <summary>
        /// Converts a managed timeout to the native microseconds (UINT32_MAX = forever, passed as -1).
        /// </summary>
        internal static int Microseconds(int milliseconds, string paramName)
        {
            if (milliseconds < -1)
            {
                ThrowHelper.ThrowArgumentOutOfRange(paramName, "must be -1 (forever) or more");
            }

            // The microseconds travel as the bits of a uint32_t (-1 = UINT32_MAX = forever); past
            // about 71 minutes they no longer fit, and waiting forever is the closest.
            return milliseconds == -1 || milliseconds >= 4294967 ? -1 : unchecked(milliseconds * 1000);
        }

#if NANOFRAMEWORK_1_0
        /// <summary>The tick count at which a poll of <paramref name="timeoutMicroseconds"/> (-1 = forever) gives up, or -1.</summary>
        internal static long Deadline(int timeoutMicroseconds)
        {
            return timeoutMicroseconds == -1 ? -1 : DateTime.UtcNow.Ticks + (uint)timeoutMicroseconds * 10L;
        }

        internal static bool PastDeadline(long deadline)
        {
            return deadline != -1 && DateTime.UtcNow.Ticks >= deadline;
        }

#endif
        private void SignalWith(int error)
        {
            lock (_lock)
            {
                ThrowIfReleased();
                int result = NativeSignal(error);
                if (result < 0)
                {
                    ThrowHelper.Throw(result, "DmaFence");
                }
            }
        }

        private int Status()
        {
            lock (_lock)
            {
                ThrowIfReleased();
                int status = NativeStatus();
                if (status == DmaError.BadHandle)
                {
                    ThrowHelper.Throw(status, "DmaFence");
                }

                return status;
            }
        }

        private int ReadInfo(int index)
        {
            int[] info = new int[InfoLength];
            lock (_lock)
            {
                ThrowIfReleased();
                int error = NativeInfo(info);
                if (error < 0)
                {
                    ThrowHelper.Throw(error, "DmaFence");
                }
            }

            return info[index];
        }

        private void ThrowIfReleased()
        {
            if (_fence == 0)
            {
                ThrowHelper.ThrowDisposed("DmaFence");
            }
        }

        private void Release()
        {
            lock (_lock)
            {
                if (_fence == 0)
                {
                    return;
                }

                NativePut();
                _fence = 0;
            }

            _owner.ReleaseOwner();
        }

        #region Native Calls

#if NANOFRAMEWORK_1_0
        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeSignal(int error);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeStatus();

        // nanoCLR runs every managed thread on one native thread: a blocking native wait would
        // also stop the managed thread that is to signal. Poll the status instead.
        private int NativeWait(int timeoutMicroseconds)
        {
            long deadline = Deadline(timeoutMicroseconds);
            while (true)
            {
                int status = NativeStatus();
                if (status != 0)
                {
                    return status > 0 ? 0 : status;
                }

                if (PastDeadline(deadline))
                {
                    return DmaError.TimedOut;
                }

                Thread.Sleep(1);
            }
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeInfo(int[] info);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativePut();
#else
        private int NativeSignal(int error) => HostNative.FenceSignal(_heap, _fence, error);

        private int NativeStatus() => HostNative.FenceStatus(_heap, _fence);

        private int NativeWait(int timeoutMicroseconds) => HostNative.FenceWait(_heap, _fence, timeoutMicroseconds);

        private int NativeInfo(int[] info) => HostNative.FenceInfo(_heap, _fence, info);

        private int NativePut() => HostNative.FencePut(_heap, _fence);
#endif

        #endregion
    }
}
