namespace nanoFramework.DmaBuf.Simulation
{
    /// <summary>What a <see cref="SimulatedDisplay"/> did. A snapshot.</summary>
    public sealed class SimulatedDisplayStatistics
    {
        private readonly long[] _values;

        internal SimulatedDisplayStatistics(long[] values)
        {
            _values = values;
        }

        /// <summary>Frames read into the panel.</summary>
        public int Scanouts => (int)_values[0];

        /// <summary>Vsyncs that passed with a frame waiting while the previous scanout still ran.</summary>
        public int LateVsyncs => (int)_values[1];
    }
}
