namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// A snapshot of a <see cref="DmaHeap"/>'s allocator counters (native <c>struct dmabuf_heap_stats</c>).
    /// Byte counts fit an <see cref="int"/> (regions live in a 32-bit bus space); the event counter
    /// <see cref="FailedAllocations"/> is 64-bit, as natively.
    /// </summary>
    public sealed class DmaHeapStatistics
    {
        // Order of the values the native side fills (KEEP IN SYNC with the interop).
        internal const int NativeLength = 7;

        // 64-bit values, as the native side fills them.
        private readonly long[] _values;

        internal DmaHeapStatistics(long[] values)
        {
            _values = values;
        }

        /// <summary>Bytes in all regions of the board.</summary>
        public int Capacity => (int)_values[0];

        /// <summary>Bytes in allocated blocks (line-padded).</summary>
        public int InUse => (int)_values[1];

        /// <summary>The highest <see cref="InUse"/> since the heap was opened.</summary>
        public int Peak => (int)_values[2];

        /// <summary>Allocations refused for lack of storage.</summary>
        public long FailedAllocations => _values[3];

        /// <summary>The largest block one allocation could get now.</summary>
        public int LargestFree => (int)_values[4];

        /// <summary>Buffers alive in the native heap (every owner counted once per buffer).</summary>
        public int LiveBuffers => (int)_values[5];

        /// <summary>Attachments alive in the native heap.</summary>
        public int LiveAttachments => (int)_values[6];
    }
}
