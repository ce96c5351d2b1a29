namespace nanoFramework.DmaBuf.Simulation
{
    /// <summary>
    /// What the cache model and the DMA engines of a simulated SoC did. A snapshot from
    /// <see cref="SimulatedSoc.GetStatistics"/>.
    /// </summary>
    public sealed class SimulatorStatistics
    {
        // Layout of dmabuf_host_sim_stats (KEEP IN SYNC with struct sim_stats).
        private readonly long[] _values;

        internal SimulatorStatistics(long[] values)
        {
            _values = values;
        }

        /// <summary>Lines evicted (randomly, by capacity, or all at once).</summary>
        public long EvictedLines => _values[0];

        /// <summary>Dirty lines written to memory by an eviction or a clean.</summary>
        public long WrittenBackLines => _values[1];

        /// <summary>Evictions forced because more dirty lines than the cache holds existed.</summary>
        public long CapacityEvictions => _values[2];

        /// <summary>Dirty lines destroyed by an invalidate: CPU writes lost.</summary>
        public long DiscardedDirtyLines => _values[3];

        /// <summary>DMA segments the engines moved.</summary>
        public long DmaSegments => _values[4];
    }
}
