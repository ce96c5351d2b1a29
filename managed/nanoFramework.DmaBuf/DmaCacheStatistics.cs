namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// A snapshot of the cache maintenance the hand-overs asked for (native <c>struct dmabuf_cache_stats</c>).
    /// Uncached regions and coherent devices cost zero operations.
    /// </summary>
    public sealed class DmaCacheStatistics
    {
        // Order of the values the native side fills (KEEP IN SYNC with the interop).
        internal const int NativeLength = 3;

        private readonly int[] _values;

        internal DmaCacheStatistics(int[] values)
        {
            _values = values;
        }

        /// <summary>Cache lines cleaned (written back to memory).</summary>
        public int LinesCleaned => _values[0];

        /// <summary>Cache lines invalidated (discarded, refilled from memory on the next read).</summary>
        public int LinesInvalidated => _values[1];

        /// <summary>Whole-cache operations used instead of a line loop above the board's threshold.</summary>
        public int WholeCacheOperations => _values[2];
    }
}
