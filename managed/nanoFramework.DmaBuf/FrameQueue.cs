using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// N buffers cycling from one producer to consumers (a camera ring, display triple buffering):
    /// Free → <see cref="Dequeue(int)"/> → Producing → <see cref="Enqueue(QueueFrame)"/> → Ready →
    /// <see cref="Acquire(int)"/> → Consuming → <see cref="Release(QueueFrame)"/> → Free.
    /// </summary>
    /// <remarks>
    /// <para>Every frame is in exactly one state; each hand-over is O(1) natively. Enqueued frames get
    /// increasing sequence numbers and a timestamp. The queue only carries the buffers: it neither
    /// maps nor disposes them, and they must stay undisposed for its life.</para>
    /// <para><see cref="Dispose"/> from another thread ends every wait (it throws
    /// ObjectDisposedException). All members are thread-safe.</para>
    /// </remarks>
    public sealed class FrameQueue : IDisposable
    {
        // ABI: the native side reads these fields; keep them first, in this order.
        private readonly int _heap;
        private int _queue;

        private readonly DmaHeap _owner;
        private readonly QueueFrame[] _frames;
        private readonly FrameQueueMode _mode;
        private readonly object _lock = new object();

        // Calls using the native queue outside the lock: the hand-overs and the waits (see Enter).
        private int _callers;
        private bool _disposed;

#if !NANOFRAMEWORK_1_0
        // Each thread's buffer for the sequence number and timestamp of its acquires (a thread is
        // in one acquire at a time), so that an acquire allocates nothing.
        [ThreadStatic]
        private static long[] t_stamp;
#endif

        // A consumer waits in slices of this, to see Dispose. On nanoFramework the native wait
        // parks the managed thread, not the interpreter (dmabuf_nf_wait.cpp).
        private const int SliceMicroseconds = 10000;

        // Native frame queue limit (DMABUF_QUEUE_MAX_FRAMES).
        private const int MaxFrames = 64;

        /// <summary>
        /// Makes a queue over <paramref name="buffers"/>, every frame Free; frame i carries buffers[i].
        /// </summary>
        /// <param name="heap">The heap the buffers belong to.</param>
        /// <param name="buffers">1 to 64 distinct, undisposed buffers of <paramref name="heap"/>.</param>
        /// <param name="mode">What the producer does when no frame is free.</param>
        /// <exception cref="ArgumentNullException"><paramref name="heap"/>, <paramref name="buffers"/> or one of them is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">Not 1 to 64 buffers, or <paramref name="mode"/> is not defined.</exception>
        /// <exception cref="ArgumentException">A buffer belongs to another heap or appears twice.</exception>
        /// <exception cref="OutOfMemoryException">The heap has no room for another queue.</exception>
        /// <exception cref="ObjectDisposedException">The heap or a buffer was disposed.</exception>
        public FrameQueue(DmaHeap heap, DmaBuffer[] buffers, FrameQueueMode mode)
        {
            if (heap == null)
            {
                ThrowHelper.ThrowArgumentNull("heap");
            }

            if (buffers == null)
            {
                ThrowHelper.ThrowArgumentNull("buffers");
            }

            if (buffers.Length < 1 || buffers.Length > MaxFrames)
            {
                ThrowHelper.ThrowArgumentOutOfRange("buffers", "a queue holds 1 to 64 buffers");
            }

            if (mode != FrameQueueMode.WhenEmpty && mode != FrameQueueMode.Latest)
            {
                ThrowHelper.ThrowArgumentOutOfRange("mode", "not a FrameQueueMode value");
            }

            int[] handles = new int[buffers.Length];
            _frames = new QueueFrame[buffers.Length];
            for (int i = 0; i < buffers.Length; i++)
            {
                DmaBuffer buffer = buffers[i];
                if (buffer == null)
                {
                    ThrowHelper.ThrowArgumentNull("buffers");
                }

                if (buffer.Heap != heap)
                {
                    ThrowHelper.ThrowArgument("a buffer belongs to another heap", "buffers");
                }

                handles[i] = buffer.Handle;
                _frames[i] = new QueueFrame(this, i, buffer);
            }

            _owner = heap;
            _mode = mode;
            _heap = heap.AddOwner();
            int queue = NativeCreate((int)mode, handles);
            if (queue < 0)
            {
                GC.SuppressFinalize(this);
                heap.ReleaseOwner();
                ThrowHelper.Throw(queue, "FrameQueue");
            }

            _queue = queue;
        }

        /// <summary>Frames in the queue.</summary>
        public int Count => _frames.Length;

        /// <summary>What the producer does when no frame is free.</summary>
        public FrameQueueMode Mode => _mode;

        /// <summary>Whether the queue was disposed.</summary>
        public bool IsDisposed => _disposed;

        /// <summary>Frame <paramref name="index"/> (its buffer, its state).</summary>
        /// <param name="index">0 to <see cref="Count"/> - 1.</param>
        /// <returns>The frame; the same object every time.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a frame.</exception>
        public QueueFrame GetFrame(int index)
        {
            if (index < 0 || index >= _frames.Length)
            {
                ThrowHelper.ThrowArgumentOutOfRange("index", "must be between 0 and Count - 1");
            }

            return _frames[index];
        }

        /// <summary>
        /// Producer: takes a frame to fill (Free → Producing). With none free, <see cref="FrameQueueMode.WhenEmpty"/>
        /// waits; <see cref="FrameQueueMode.Latest"/> takes the oldest Ready frame back (a drop).
        /// </summary>
        /// <param name="millisecondsTimeout">Most milliseconds to wait for a frame; 0 polls, -1 waits forever.</param>
        /// <returns>The frame, now Producing.</returns>
        /// <exception cref="TimeoutException">No frame came back in time (counted as starved).</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="millisecondsTimeout"/> is below -1.</exception>
        /// <exception cref="ObjectDisposedException">The queue was disposed (also while waiting).</exception>
        public QueueFrame Dequeue(int millisecondsTimeout)
        {
            return _frames[Take(false, DmaFence.Microseconds(millisecondsTimeout, "millisecondsTimeout"), null)];
        }

        /// <summary>
        /// Producer: publishes a filled frame (Producing → Ready) with the next sequence number,
        /// stamped now. Wakes a waiting consumer.
        /// </summary>
        /// <param name="frame">A Producing frame of this queue.</param>
        /// <exception cref="ArgumentNullException"><paramref name="frame"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="frame"/> belongs to another queue.</exception>
        /// <exception cref="InvalidOperationException">The frame is not Producing.</exception>
        /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
        public void Enqueue(QueueFrame frame)
        {
            Enqueue(frame, -1);
        }

        /// <summary>
        /// Producer: publishes a filled frame with the caller's timestamp (e.g. the capture start).
        /// </summary>
        /// <param name="frame">A Producing frame of this queue.</param>
        /// <param name="timestampMicroseconds">The frame's time in microseconds; negative stamps it now.</param>
        /// <exception cref="ArgumentNullException"><paramref name="frame"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="frame"/> belongs to another queue.</exception>
        /// <exception cref="InvalidOperationException">The frame is not Producing.</exception>
        /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
        public void Enqueue(QueueFrame frame, long timestampMicroseconds)
        {
            int index = IndexOf(frame);
            Enter();
            try
            {
                CheckCall(NativeEnqueue(index, timestampMicroseconds));
            }
            finally
            {
                Leave();
            }
        }

        /// <summary>
        /// Producer: gives a frame back unpublished (Producing → Free), e.g. after a failed capture;
        /// no sequence number is used.
        /// </summary>
        /// <param name="frame">A Producing frame of this queue.</param>
        /// <exception cref="ArgumentNullException"><paramref name="frame"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="frame"/> belongs to another queue.</exception>
        /// <exception cref="InvalidOperationException">The frame is not Producing.</exception>
        /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
        public void Cancel(QueueFrame frame)
        {
            int index = IndexOf(frame);
            Enter();
            try
            {
                CheckCall(NativeCancel(index));
            }
            finally
            {
                Leave();
            }
        }

        /// <summary>
        /// Consumer: takes the oldest Ready frame (Ready → Consuming), waiting for one.
        /// </summary>
        /// <param name="millisecondsTimeout">Most milliseconds to wait; 0 polls, -1 waits forever.</param>
        /// <returns>The frame, now Consuming, with its <see cref="QueueFrame.SequenceNumber"/> and timestamp.</returns>
        /// <exception cref="TimeoutException">Nothing was Ready in time.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="millisecondsTimeout"/> is below -1.</exception>
        /// <exception cref="ObjectDisposedException">The queue was disposed (also while waiting).</exception>
        public QueueFrame Acquire(int millisecondsTimeout)
        {
            int timeout = DmaFence.Microseconds(millisecondsTimeout, "millisecondsTimeout");
#if NANOFRAMEWORK_1_0
            long[] stamp = new long[2];
#else
            long[] stamp = t_stamp ?? (t_stamp = new long[2]);
#endif
            QueueFrame frame = _frames[Take(true, timeout, stamp)];
            frame.SequenceNumber = (int)stamp[0];
            frame.TimestampMicroseconds = stamp[1];
            return frame;
        }

        /// <summary>
        /// Consumer: gives a frame back (Consuming → Free). Wakes a waiting producer.
        /// </summary>
        /// <param name="frame">A Consuming frame of this queue.</param>
        /// <exception cref="ArgumentNullException"><paramref name="frame"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="frame"/> belongs to another queue.</exception>
        /// <exception cref="InvalidOperationException">The frame is not Consuming.</exception>
        /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
        public void Release(QueueFrame frame)
        {
            int index = IndexOf(frame);
            Enter();
            try
            {
                CheckCall(NativeRelease(index));
            }
            finally
            {
                Leave();
            }
        }

        /// <summary>Reads the queue's counters.</summary>
        /// <returns>A snapshot.</returns>
        /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
        public FrameQueueStatistics GetStatistics()
        {
            int[] values = new int[FrameQueueStatistics.NativeLength];
            lock (_lock)
            {
                ThrowIfDisposed();
                Check(NativeStatistics(values));
            }

            return new FrameQueueStatistics(values);
        }

        /// <summary>
        /// Ends every wait, gives every frame back and releases the native queue. Idempotent and
        /// thread-safe; never throws.
        /// </summary>
        public void Dispose()
        {
            Release();
            GC.SuppressFinalize(this);
        }

        /// <summary>Releases the native queue of a queue that was not disposed.</summary>
        ~FrameQueue()
        {
            Release();
        }

        internal FrameState GetState(QueueFrame frame)
        {
            lock (_lock)
            {
                ThrowIfDisposed();
                int state = NativeFrameState(frame.Index);
                Check(state);
                return (FrameState)state;
            }
        }

        // A wait must end when Dispose runs on another thread. Consumers wait in slices (the
        // native queue does not count acquire timeouts). A producer's timed-out dequeue counts as
        // starved natively, so it is not sliced: it waits for the whole timeout and Dispose wakes
        // it by giving frames back. A poll (timeout 0, a frame loop's usual call) reads no clock.
        private int Take(bool consumer, int timeout, long[] stamp)
        {
            bool poll = timeout == 0;
            long deadline = poll || timeout == -1 ? -1 : DateTime.UtcNow.Ticks + (uint)timeout * 10L;
            Enter();
            try
            {
                while (true)
                {
                    bool last = poll || (deadline != -1 && DateTime.UtcNow.Ticks >= deadline);
                    int result;
                    if (consumer)
                    {
                        result = NativeAcquire(last ? 0 : Slice(deadline), stamp);
                    }
                    else
                    {
                        result = NativeDequeue(timeout);
                        last = true;
                    }

                    if (result >= 0)
                    {
                        if (_disposed)
                        {
                            // Woken by Dispose: the frame goes straight back.
                            GiveBack(result);
                            ThrowHelper.ThrowDisposed("FrameQueue");
                        }

                        return result;
                    }

                    if (result != DmaError.TimedOut || last)
                    {
                        CheckCall(result);
                    }

                    if (_disposed)
                    {
                        ThrowHelper.ThrowDisposed("FrameQueue");
                    }
                }
            }
            finally
            {
                Leave();
            }
        }

        /// <summary>
        /// Counts a call that uses the native queue without holding the lock (a lock costs as
        /// much as a hand-over's native call), or throws ObjectDisposedException. Dispose takes
        /// the queue down only once no such call is left: the count goes up before _disposed is
        /// read, and Dispose sets _disposed (under the lock) before it reads the count (under the
        /// lock again), each side with a full fence in between, so either the call sees the queue
        /// disposed, or Dispose sees the call and waits for it.
        /// </summary>
        private void Enter()
        {
            Interlocked.Increment(ref _callers);
            if (_disposed)
            {
                Leave();
                ThrowHelper.ThrowDisposed("FrameQueue");
            }
        }

        private void Leave()
        {
            Interlocked.Decrement(ref _callers);
        }

        // A hand-over's result. Dispose gives every frame back while calls are still running, so
        // a hand-over it overlapped may fail on the frame's state: that is the queue's disposal.
        private void CheckCall(int result)
        {
            if (result < 0)
            {
                ThrowIfDisposed();
                Check(result);
            }
        }

        private static int Slice(long deadline)
        {
            int slice = SliceMicroseconds;
            if (deadline != -1)
            {
                long remaining = (deadline - DateTime.UtcNow.Ticks) / 10;
                if (remaining < slice)
                {
                    slice = remaining < 0 ? 0 : (int)remaining;
                }
            }

            return slice;
        }

        // Frames being filled or read go back (Free), waking producers that wait for one.
        private void GiveBack(int index)
        {
            int state = NativeFrameState(index);
            if (state == (int)FrameState.Producing)
            {
                NativeCancel(index);
            }
            else if (state == (int)FrameState.Consuming)
            {
                NativeRelease(index);
            }
        }

        private void Release()
        {
            lock (_lock)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;

                // A constructor that threw made no native queue (and took no heap reference).
                if (_queue == 0)
                {
                    return;
                }
            }

            // Consumers leave within a slice once they see _disposed; producers blocked for a
            // frame are woken by giving every frame back, Ready ones included; hand-overs end.
            while (true)
            {
                lock (_lock)
                {
                    if (_callers == 0)
                    {
                        break;
                    }
                }

                for (int i = 0; i < _frames.Length; i++)
                {
                    GiveBack(i);
                }

                int[] values = new int[FrameQueueStatistics.NativeLength];
                if (NativeStatistics(values) == 0 && new FrameQueueStatistics(values).Ready > 0)
                {
                    long[] stamp = new long[2];
                    int index = NativeAcquire(0, stamp);
                    if (index >= 0)
                    {
                        NativeRelease(index);
                    }
                }

                Thread.Sleep(1);
            }

            lock (_lock)
            {
                // The native queue refuses to go while a frame is being filled or read.
                for (int i = 0; i < _frames.Length; i++)
                {
                    GiveBack(i);
                }

                NativeDestroy();
                _queue = 0;
            }

            _owner.ReleaseOwner();
        }

        private int IndexOf(QueueFrame frame)
        {
            if (frame == null)
            {
                ThrowHelper.ThrowArgumentNull("frame");
            }

            if (frame.Queue != this)
            {
                ThrowHelper.ThrowArgument("the frame belongs to another queue", "frame");
            }

            return frame.Index;
        }

        private void ThrowIfDisposed()
        {
            if (_disposed)
            {
                ThrowHelper.ThrowDisposed("FrameQueue");
            }
        }

        private static void Check(int result)
        {
            if (result < 0)
            {
                ThrowHelper.Throw(result, "FrameQueue");
            }
        }

        #region Native Calls

#if NANOFRAMEWORK_1_0
        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeCreate(int mode, int[] buffers);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeDestroy();

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeDequeue(int timeoutMicroseconds);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeEnqueue(int index, long timestampMicroseconds);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeCancel(int index);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeAcquire(int timeoutMicroseconds, long[] stamp);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeRelease(int index);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeFrameState(int index);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeStatistics(int[] values);
#else
        private int NativeCreate(int mode, int[] buffers) => HostNative.QueueCreate(_heap, mode, buffers);

        private int NativeDestroy() => HostNative.QueueDestroy(_heap, _queue);

        private int NativeDequeue(int timeoutMicroseconds) => HostNative.QueueDequeue(_heap, _queue, timeoutMicroseconds);

        private int NativeEnqueue(int index, long timestampMicroseconds) => HostNative.QueueEnqueue(_heap, _queue, index, timestampMicroseconds);

        private int NativeCancel(int index) => HostNative.QueueCancel(_heap, _queue, index);

        private int NativeAcquire(int timeoutMicroseconds, long[] stamp) => HostNative.QueueAcquire(_heap, _queue, timeoutMicroseconds, stamp);

        private int NativeRelease(int index) => HostNative.QueueRelease(_heap, _queue, index);

        private int NativeFrameState(int index) => HostNative.QueueFrameState(_heap, _queue, index);

        private int NativeStatistics(int[] values) => HostNative.QueueStatistics(_heap, _queue, values);
#endif

        #endregion
    }
}
