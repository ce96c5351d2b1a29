namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// A snapshot of the cache maintenance the hand-overs asked for (native <c>struct dmabuf_cache_stats</c>).
    /// Uncached regions and coherent devices cost zero operations. The counters are 64-bit: at
    /// 4,800 lines a frame and 30 frames a second a 32-bit counter would wrap in about 8 hours.
    /// </summary>
    public sealed class DmaCacheStatistics
    {
        // Order of the values the native side fills (KEEP IN SYNC with the interop).
        internal const int NativeLength = 3;

        private readonly long[] _values;

        internal DmaCacheStatistics(long[] values)
        {
            _values = values;
        }

        /// <summary>Cache lines cleaned (written back to memory).</summary>
        public long LinesCleaned => _values[0];

        /// <summary>Cache lines invalidated (discarded, refilled from memory on the next read).</summary>
        public long LinesInvalidated => _values[1];

        /// <summary>Whole-cache operations used instead of a line loop above the board's threshold.</summary>
        public long WholeCacheOperations => _values[2];
    }
}
