using System;
using System.Runtime.CompilerServices;

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
    /// <para><see cref="Dispose"/> from another thread ends every wait at once (it throws
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

        // Uses of the native queue (NativeUses), waits included. Dispose closes the native queue,
        // which ends every wait at once (-ESHUTDOWN); whoever drops the last use frees it (Free):
        // Dispose itself, or the last call it overlapped on its way out. So no call runs on a
        // freed queue and Dispose never waits.
        private int _uses = NativeUses.Initial;

#if !NANOFRAMEWORK_1_0
        // Each thread's buffer for the sequence number and timestamp of its acquires (a thread is
        // in one acquire at a time), so that an acquire allocates nothing.
        [ThreadStatic]
        private static long[] t_stamp;
#endif

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
        public bool IsDisposed => NativeUses.IsReleased(_uses);

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
            AddUse();
            try
            {
                CheckCall(NativeEnqueue(index, timestampMicroseconds));
            }
            finally
            {
                DropUse();
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
            AddUse();
            try
            {
                CheckCall(NativeCancel(index));
            }
            finally
            {
                DropUse();
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
            AddUse();
            try
            {
                CheckCall(NativeRelease(index));
            }
            finally
            {
                DropUse();
            }
        }

        /// <summary>Reads the queue's counters.</summary>
        /// <returns>A snapshot.</returns>
        /// <exception cref="ObjectDisposedException">The queue was disposed.</exception>
        public FrameQueueStatistics GetStatistics()
        {
            int[] values = new int[FrameQueueStatistics.NativeLength];
            AddUse();
            try
            {
                Check(NativeStatistics(values));
            }
            finally
            {
                DropUse();
            }

            return new FrameQueueStatistics(values);
        }

        /// <summary>
        /// Ends every wait at once, gives every frame back and releases the native queue (now, or
        /// as the last call it overlapped returns). Idempotent and thread-safe; never blocks,
        /// never throws.
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
            int state;
            AddUse();
            try
            {
                state = NativeFrameState(frame.Index);
            }
            finally
            {
                DropUse();
            }

            Check(state);
            return (FrameState)state;
        }

        // One native call waits for the whole timeout: Dispose on another thread closes the
        // native queue, which ends the wait at once (-ESHUTDOWN), so no wait needs slicing.
        private int Take(bool consumer, int timeout, long[] stamp)
        {
            AddUse();
            try
            {
                int result = consumer ? NativeAcquire(timeout, stamp) : NativeDequeue(timeout);
                if (result >= 0 && IsDisposed)
                {
                    // Taken just before Dispose closed the queue: the frame goes straight back.
                    GiveBack(result);
                    ThrowHelper.ThrowDisposed("FrameQueue");
                }

                CheckCall(result);
                return result;
            }
            finally
            {
                DropUse();
            }
        }

        // A hand-over's result. A call that overlapped Dispose may fail on the closed queue
        // (-ESHUTDOWN) or on a frame the disposal gave back: that is the queue's disposal.
        private void CheckCall(int result)
        {
            if (result < 0)
            {
                ThrowIfDisposed();
                Check(result);
            }
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

        private void AddUse()
        {
            NativeUses.Add(ref _uses, "FrameQueue");
        }

        private void DropUse()
        {
            if (NativeUses.Drop(ref _uses))
            {
                Free();
            }
        }

        // Gives the owner's use up, once: closes the native queue while that use still keeps it
        // alive (every waiter wakes and leaves), then drops it.
        private void Release()
        {
            if (!NativeUses.Release(ref _uses))
            {
                return;
            }

            // A constructor that threw made no native queue (and took no heap reference).
            if (_queue != 0)
            {
                NativeClose();
            }

            DropUse();
        }

        // Nothing uses the native queue any more (Released, no call in progress).
        private void Free()
        {
            if (_queue == 0)
            {
                return;
            }

            // The native queue refuses to go while a frame is being filled or read.
            for (int i = 0; i < _frames.Length; i++)
            {
                GiveBack(i);
            }

            NativeDestroy();
            _queue = 0;
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
            if (IsDisposed)
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
        private extern int NativeClose();

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

        private int NativeClose() => HostNative.QueueClose(_heap, _queue);

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
