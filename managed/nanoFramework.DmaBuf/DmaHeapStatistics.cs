namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// A snapshot of a <see cref="DmaHeap"/>'s allocator counters (native <c>struct dmabuf_heap_stats</c>).
    /// </summary>
    public sealed class DmaHeapStatistics
    {
        // Order of the values the native side fills (KEEP IN SYNC with the interop).
        internal const int NativeLength = 7;

        private readonly int[] _values;

        internal DmaHeapStatistics(int[] values)
        {
            _values = values;
        }

        /// <summary>Bytes in all regions of the board.</summary>
        public int Capacity => _values[0];

        /// <summary>Bytes in allocated blocks (line-padded).</summary>
        public int InUse => _values[1];

        /// <summary>The highest <see cref="InUse"/> since the heap was opened.</summary>
        public int Peak => _values[2];

        /// <summary>Allocations refused for lack of storage.</summary>
        public int FailedAllocations => _values[3];

        /// <summary>The largest block one allocation could get now.</summary>
        public int LargestFree => _values[4];

        /// <summary>Buffers alive in the native heap (every owner counted once per buffer).</summary>
        public int LiveBuffers => _values[5];

        /// <summary>Attachments alive in the native heap.</summary>
        public int LiveAttachments => _values[6];
    }
}
