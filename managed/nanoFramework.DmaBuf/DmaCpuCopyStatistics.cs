namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// A snapshot of the bytes the CPU copied on behalf of the DmaBuf API (native
    /// <c>struct dmabuf_cpu_copy_stats</c>): <see cref="CpuAccess"/> Read, Write and CopyTo, and the
    /// <see cref="DmaFrame"/> copy, sprite and row reads. Drawing in place (fill, darken, blend, text)
    /// copies nothing. Read it next to <see cref="DmaCacheStatistics"/> to see what a hand-over cost.
    /// </summary>
    public sealed class DmaCpuCopyStatistics
    {
        // Order of the values the native side fills (KEEP IN SYNC with the interop).
        internal const int NativeLength = 2;

        private readonly long[] _values;

        internal DmaCpuCopyStatistics(long[] values)
        {
            _values = values;
        }

        /// <summary>Bytes written to destinations by CPU copies.</summary>
        public long BytesCopied => _values[0];

        /// <summary>Copy operations counted.</summary>
        public long Copies => _values[1];
    }
}
