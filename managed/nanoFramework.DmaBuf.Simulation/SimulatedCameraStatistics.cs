namespace nanoFramework.DmaBuf.Simulation
{
    /// <summary>What a <see cref="SimulatedCamera"/> did. A snapshot.</summary>
    public sealed class SimulatedCameraStatistics
    {
        private readonly long[] _values;

        internal SimulatedCameraStatistics(long[] values)
        {
            _values = values;
        }

        /// <summary>Frames written to memory.</summary>
        public int Captured => (int)_values[0];

        /// <summary>Frame starts that found a capture queued but the DMA still writing the previous frame.</summary>
        public int Missed => (int)_values[1];

        /// <summary>Captures waiting for their frame start.</summary>
        public int Queued => (int)_values[2];
    }
}
