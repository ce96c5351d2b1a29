namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// A snapshot of a <see cref="FrameQueue"/>'s counters (native <c>struct dmabuf_queue_stats</c>).
    /// </summary>
    public sealed class FrameQueueStatistics
    {
        // Order of the values the native side fills (KEEP IN SYNC with the interop): the five
        // counters, the native invariant check (0 = every invariant holds), frames Free, frames Ready.
        internal const int NativeLength = 8;

        private readonly int[] _values;

        internal FrameQueueStatistics(int[] values)
        {
            _values = values;
        }

        /// <summary>Frames in the queue.</summary>
        public int Count => _values[0];

        /// <summary>Frames published since the queue was made (the next sequence number).</summary>
        public int Enqueued => _values[1];

        /// <summary>Frames taken by consumers.</summary>
        public int Acquired => _values[2];

        /// <summary>Ready frames recycled unseen by a <see cref="FrameQueueMode.Latest"/> producer.</summary>
        public int Dropped => _values[3];

        /// <summary>Dequeues that found no frame in time.</summary>
        public int Starved => _values[4];

        /// <summary>The native invariant check passed (each frame in one state, counters consistent).</summary>
        internal bool Consistent => _values[5] == 0;

        /// <summary>Frames Free now.</summary>
        internal int Free => _values[6];

        /// <summary>Frames Ready now.</summary>
        internal int Ready => _values[7];
    }
}
