namespace nanoFramework.DmaBuf.Simulation
{
    /// <summary>What a <see cref="SimulatedSpiPanel"/> did. A snapshot.</summary>
    public sealed class SimulatedSpiPanelStatistics
    {
        private readonly long[] _values;

        internal SimulatedSpiPanelStatistics(long[] values)
        {
            _values = values;
        }

        /// <summary>Writes completed.</summary>
        public int Transfers => (int)_values[0];

        /// <summary>DMA jobs the writes took: one per write of contiguous rows, one per row of a crop.</summary>
        public int DmaJobs => (int)_values[1];

        /// <summary>Pixel bytes received.</summary>
        public long Bytes => _values[2];
    }
}
