using System;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// A camera interface (an STM32 DCMI on a board, the simulator's sensor on the host) that
    /// writes whole frames into DMA buffers: one sensor frame per capture, in the order captures
    /// were started, the fence signalled when the frame's last byte is in memory.
    /// </summary>
    /// <remarks>
    /// <para>Two ways to use it. <see cref="Capture"/> fills one mapping (FromDevice) the caller
    /// made. <see cref="BeginCapture"/> / <see cref="EndCapture"/> fill the frames of a
    /// <see cref="FrameQueue"/>: begin dequeues an empty frame, maps it FromDevice through an
    /// attachment the camera keeps per frame, and starts the capture; end waits for the capture's
    /// fence, unmaps (the cache work that makes the frame visible to the CPU) and enqueues the frame
    /// as filled, stamped with the end of the frame.</para>
    /// <para>Opened by <see cref="DmaHeap.OpenCamera"/>. Thread-safe; one capture of a queue at a time.
    /// Dispose lets a queue capture in progress finish and gives its frame back unfilled.</para>
    /// </remarks>
    public sealed class Camera : DmaPeripheral
    {
        private readonly object _queueLock = new object();
        private FrameQueue _queue;
        private DmaAttachment[] _attachments;
        private QueueFrame _capturing;
        private DmaMapping _captureMapping;
        private DmaFence _capture;
        private int _capturedFrameNumber = -1;

        internal Camera(DmaHeap heap, string name, int width, int height, PixelFormat format)
            : base(heap, name, KindCamera, width, height, format)
        {
        }

        /// <summary>
        /// The fence of the queue capture in progress (<see cref="BeginCapture"/>), or null. The
        /// camera owns it: do not dispose it; it is valid until <see cref="EndCapture"/>.
        /// </summary>
        public DmaFence PendingCapture => _capture;

        /// <summary>The sensor frame number of the last frame <see cref="EndCapture"/> enqueued; -1 before the first.</summary>
        public int CapturedFrameNumber => _capturedFrameNumber;

        /// <summary>
        /// Starts the capture of the next sensor frame into <paramref name="frame"/>. Captures are
        /// served in order, one frame each.
        /// </summary>
        /// <param name="frame">A FromDevice or Bidirectional mapping of the frame on <see cref="DmaPeripheral.Device"/>,
        /// at least <see cref="DmaPeripheral.FrameBytes"/> long; keep it mapped until the fence signals.</param>
        /// <returns>The capture's fence, signalled when the whole frame is in memory; the caller's to dispose.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="frame"/> is null.</exception>
        /// <exception cref="ArgumentException">The mapping does not let the camera write.</exception>
        /// <exception cref="DmaConstraintException">The frame is smaller than the camera's frame.</exception>
        /// <exception cref="InvalidOperationException">The camera cannot queue another capture now.</exception>
        /// <exception cref="OutOfMemoryException">No fence is left in the heap's pool.</exception>
        /// <exception cref="ObjectDisposedException">The camera or the mapping was disposed.</exception>
        public DmaFence Capture(DmaMapping frame)
        {
            return StartJob(KindCamera, frame, 0, 0, null);
        }

        /// <summary>
        /// Starts filling the next empty frame of <paramref name="queue"/>: dequeues it, maps it
        /// FromDevice and starts its capture (<see cref="PendingCapture"/>).
        /// </summary>
        /// <param name="queue">The queue whose frames the camera fills (the camera attaches each of its buffers once).</param>
        /// <param name="millisecondsTimeout">Most milliseconds to wait for an empty frame; 0 polls, -1 waits forever.</param>
        /// <returns>The frame being filled (Producing).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="queue"/> is null.</exception>
        /// <exception cref="InvalidOperationException">A queue capture is already in progress.</exception>
        /// <exception cref="TimeoutException">No frame became free in time.</exception>
        /// <exception cref="DmaConstraintException">The camera's DMA master cannot reach a frame, or a frame is smaller than the camera's.</exception>
        /// <exception cref="OutOfMemoryException">No attachment slot or fence is left, or the storage of a
        /// <see cref="DmaBufferFlags.DeferPlacement"/> frame could not be placed.</exception>
        /// <exception cref="ObjectDisposedException">The camera or the queue was disposed.</exception>
        public QueueFrame BeginCapture(FrameQueue queue, int millisecondsTimeout)
        {
            if (queue == null)
            {
                ThrowHelper.ThrowArgumentNull("queue");
            }

            lock (_queueLock)
            {
                ThrowIfDisposed();
                if (_capture != null)
                {
                    ThrowHelper.ThrowInvalidOperation("a queue capture is already in progress: EndCapture first");
                }

                UseQueue(queue);
                QueueFrame frame = queue.Dequeue(millisecondsTimeout);
                DmaMapping mapping = null;
                try
                {
                    if (_attachments[frame.Index] == null)
                    {
                        _attachments[frame.Index] = frame.Buffer.Attach(Device);
                    }

                    mapping = _attachments[frame.Index].Map(DmaDirection.FromDevice);
                    _capture = Capture(mapping);
                }
                catch (Exception)
                {
                    if (mapping != null)
                    {
                        mapping.Dispose();
                    }

                    queue.Cancel(frame);
                    throw;
                }

                _capturing = frame;
                _captureMapping = mapping;
                return frame;
            }
        }

        /// <summary>
        /// Finishes the queue capture in progress: waits for its fence, unmaps the frame and
        /// enqueues it as filled, stamped with the time the frame ended.
        /// </summary>
        /// <param name="millisecondsTimeout">Most milliseconds to wait for the frame; 0 polls, -1 waits forever.</param>
        /// <returns>The frame, now Ready in its queue.</returns>
        /// <exception cref="InvalidOperationException">No queue capture is in progress.</exception>
        /// <exception cref="TimeoutException">The frame did not end in time; the capture stays in progress.</exception>
        /// <exception cref="System.IO.IOException">The capture failed; the frame went back to the queue unfilled.</exception>
        /// <exception cref="OutOfMemoryException">The target could not create the event a blocking wait needs; the
        /// capture stays in progress.</exception>
        /// <exception cref="ObjectDisposedException">The camera or the queue was disposed.</exception>
        public QueueFrame EndCapture(int millisecondsTimeout)
        {
            lock (_queueLock)
            {
                ThrowIfDisposed();
                if (_capture == null)
                {
                    ThrowHelper.ThrowInvalidOperation("no queue capture in progress: BeginCapture first");
                }

                DmaFence capture = _capture;
                QueueFrame frame = _capturing;
                try
                {
                    capture.Wait(millisecondsTimeout);
                }
                catch (System.IO.IOException)
                {
                    // Only a failed fence means the capture has ended; a wait that timed out or
                    // could not block leaves the camera writing the frame, so it stays mapped.
                    FinishQueueCapture();
                    _queue.Cancel(frame);
                    throw;
                }

                _capturedFrameNumber = GetSequenceNumber(capture);
                long timestamp = GetTimestampMicroseconds(capture);
                FinishQueueCapture();
                _queue.Enqueue(frame, timestamp);
                return frame;
            }
        }

        /// <summary>Unmaps the captured frame and lets its fence go (the capture has ended).</summary>
        private void FinishQueueCapture()
        {
            _captureMapping.Dispose();
            _capture.Dispose();
            _captureMapping = null;
            _capture = null;
            _capturing = null;
        }

        /// <summary>Keeps one attachment per frame of <paramref name="queue"/>; a new queue replaces the old one's.</summary>
        private void UseQueue(FrameQueue queue)
        {
            if (_queue == queue)
            {
                return;
            }

            DetachQueue();
            _queue = queue;
            _attachments = new DmaAttachment[queue.Count];
        }

        private void DetachQueue()
        {
            if (_attachments != null)
            {
                foreach (DmaAttachment attachment in _attachments)
                {
                    if (attachment != null)
                    {
                        attachment.Dispose();
                    }
                }
            }

            _attachments = null;
            _queue = null;
        }

        /// <summary>
        /// A queue capture in progress is left to finish (its fence is waited for, the frame given
        /// back to its queue unfilled); the camera's attachments go.
        /// </summary>
        internal override void ReleaseJobs()
        {
            lock (_queueLock)
            {
                if (_capture != null)
                {
                    QueueFrame frame = _capturing;
                    try
                    {
                        _capture.Wait(-1);
                    }
                    catch (Exception)
                    {
                        // A failed capture is given back like a finished one.
                    }

                    FinishQueueCapture();
                    try
                    {
                        _queue.Cancel(frame);
                    }
                    catch (ObjectDisposedException)
                    {
                        // The queue went first: nothing to give back.
                    }
                }

                DetachQueue();
            }
        }
    }
}
