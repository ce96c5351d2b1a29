using System;
using System.Runtime.CompilerServices;

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
    /// reservation keeps its own reference while the job is in flight). Thread-safe; a call that
    /// overlaps <see cref="Dispose"/> on another thread either completes or throws
    /// ObjectDisposedException.
    /// </remarks>
    public sealed class DmaFence : IDisposable, IGuardedOwner
    {
        // ABI: the native side reads these fields; keep them first, in this order.
        private readonly int _heap;
        private int _fence;

        private readonly DmaHeap _owner;

        // Uses of the native reference (NativeUses): whoever drops the last one puts the
        // reference and lets the heap go (Free), so a call never runs on a fence or a heap freed
        // under it.
        private int _uses = NativeUses.Initial;

        // Releases the reference if this owner is never disposed; null once disposed.
        private FinalizerGuard _guard;

        // Native fence info layout (KEEP IN SYNC with the interop): context, seqno, refcount.
        private const int InfoLength = 3;

        internal DmaFence(DmaHeap owner, int heap, int fence)
        {
            _owner = owner;
            _heap = heap;
            _fence = fence;
            _guard = FinalizerGuard.For(this);
        }

        /// <summary>The heap the fence belongs to.</summary>
        public DmaHeap Heap => _owner;

        /// <summary>Whether this owner was disposed (or released by its finalizer).</summary>
        public bool IsDisposed => NativeUses.IsReleased(_uses);

        /// <summary>The native fence handle (positive, generation-checked).</summary>
        /// <exception cref="ObjectDisposedException">The fence was disposed.</exception>
        public int Handle
        {
            get
            {
                ThrowIfReleased();
                return _fence;
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
        /// <exception cref="OutOfMemoryException">The target could not create the event a blocking wait needs.</exception>
        /// <exception cref="ObjectDisposedException">The fence was disposed.</exception>
        public void Wait(int millisecondsTimeout)
        {
            int timeout = Microseconds(millisecondsTimeout, "millisecondsTimeout");

            // Blocks, holding a use: a Dispose on another thread meanwhile returns at once, and
            // the reference is put when the wait ends.
            int error;
            AddUse();
            try
            {
                error = NativeWait(timeout);
            }
            finally
            {
                DropUse();
            }

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
            if (Release())
            {
                FinalizerGuard guard = _guard;
                _guard = null;
                guard.Disarm();
            }
        }

        void IGuardedOwner.ReleaseUnreachable()
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

        private void SignalWith(int error)
        {
            int result;
            AddUse();
            try
            {
                result = NativeSignal(error);
            }
            finally
            {
                DropUse();
            }

            if (result < 0)
            {
                ThrowHelper.Throw(result, "DmaFence");
            }
        }

        /// <summary>
        /// Test hook: the firmware signals this fence from a native thread of its own after
        /// <paramref name="delayMilliseconds"/>, as a DMA-complete interrupt would, so a device
        /// test can check that a signal made outside the interpreter wakes a waiting managed
        /// thread. Only the posix nanoCLR (built with DmaBuf's host OS port) has such a thread.
        /// </summary>
        /// <exception cref="NotSupportedException">Any other target, and the host build.</exception>
        /// <exception cref="ArgumentException"><paramref name="delayMilliseconds"/> is negative.</exception>
        /// <exception cref="ObjectDisposedException">The fence was disposed.</exception>
        internal void SignalFromNativeThread(int delayMilliseconds)
        {
            int result;
            AddUse();
            try
            {
                result = NativeSignalFromNativeThread(delayMilliseconds);
            }
            finally
            {
                DropUse();
            }

            if (result < 0)
            {
                ThrowHelper.Throw(result, "DmaFence");
            }
        }

        private int Status()
        {
            int status;
            AddUse();
            try
            {
                status = NativeStatus();
            }
            finally
            {
                DropUse();
            }

            if (status == DmaError.BadHandle)
            {
                ThrowHelper.Throw(status, "DmaFence");
            }

            return status;
        }

        private int ReadInfo(int index)
        {
            int[] info = new int[InfoLength];
            int error;
            AddUse();
            try
            {
                error = NativeInfo(info);
            }
            finally
            {
                DropUse();
            }

            if (error < 0)
            {
                ThrowHelper.Throw(error, "DmaFence");
            }

            return info[index];
        }

        private void ThrowIfReleased()
        {
            if (IsDisposed)
            {
                ThrowHelper.ThrowDisposed("DmaFence");
            }
        }

        private void AddUse()
        {
            NativeUses.Add(ref _uses, "DmaFence");
        }

        private void DropUse()
        {
            if (NativeUses.Drop(ref _uses))
            {
                Free();
            }
        }

        /// <summary>
        /// Gives the owner's use up. True for the one call that did (Dispose, or the finalizer
        /// guard); the reference goes now, or when the last call in progress ends.
        /// </summary>
        private bool Release()
        {
            if (!NativeUses.Release(ref _uses))
            {
                return false;
            }

            DropUse();
            return true;
        }

        private void Free()
        {
            NativePut();
            _fence = 0;
            _owner.ReleaseOwner();
        }

        #region Native Calls

#if NANOFRAMEWORK_1_0
        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeSignal(int error);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeStatus();

        // Parks this managed thread, not the interpreter: the native side returns
        // CLR_E_THREAD_WAITING and is re-entered when a fence signals (dmabuf_nf_wait.cpp).
        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeWait(int timeoutMicroseconds);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeInfo(int[] info);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeSignalFromNativeThread(int delayMilliseconds);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativePut();
#else
        private int NativeSignal(int error) => HostNative.FenceSignal(_heap, _fence, error);

        private int NativeStatus() => HostNative.FenceStatus(_heap, _fence);

        private int NativeWait(int timeoutMicroseconds) => HostNative.FenceWait(_heap, _fence, timeoutMicroseconds);

        private int NativeInfo(int[] info) => HostNative.FenceInfo(_heap, _fence, info);

        // The host build signals from threads of its own (any .NET thread is a native one).
        private int NativeSignalFromNativeThread(int delayMilliseconds) => DmaError.NotSupported;

        private int NativePut() => HostNative.FencePut(_heap, _fence);
#endif

        #endregion
    }
}
