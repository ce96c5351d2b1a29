namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// One slot of a <see cref="FrameQueue"/>: a fixed index and the buffer that cycles through it.
    /// The queue hands out the same QueueFrame object for an index every time.
    /// </summary>
    public sealed class QueueFrame
    {
        private readonly FrameQueue _queue;
        private readonly int _index;
        private readonly DmaBuffer _buffer;

        internal QueueFrame(FrameQueue queue, int index, DmaBuffer buffer)
        {
            _queue = queue;
            _index = index;
            _buffer = buffer;
        }

        /// <summary>The queue the frame belongs to.</summary>
        public FrameQueue Queue => _queue;

        /// <summary>The frame's index, 0 to <see cref="FrameQueue.Count"/> - 1.</summary>
        public int Index => _index;

        /// <summary>The buffer of this frame.</summary>
        public DmaBuffer Buffer => _buffer;

        /// <summary>
        /// The sequence number given when the frame was last enqueued (enqueues counted from 0),
        /// as seen by the last <see cref="FrameQueue.Acquire(int)"/>; a gap of k between two
        /// acquired frames means k frames were dropped.
        /// </summary>
        public int SequenceNumber { get; internal set; }

        /// <summary>The timestamp given when the frame was last enqueued, in microseconds, as seen by the last acquire.</summary>
        public long TimestampMicroseconds { get; internal set; }

        /// <summary>The frame's state now.</summary>
        /// <exception cref="System.ObjectDisposedException">The queue was disposed.</exception>
        public FrameState State => _queue.GetState(this);
    }
}
