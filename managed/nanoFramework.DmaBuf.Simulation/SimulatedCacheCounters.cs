namespace nanoFramework.DmaBuf.Simulation
{
    /// <summary>
    /// What the simulated cache backend did: the operations the DmaBuf core asked for, the cache
    /// lines they covered, and the ones skipped because <see cref="SimulatedSoc.CacheOperationsDropped"/>
    /// was set. A snapshot from <see cref="SimulatedSoc.GetCacheCounters"/>.
    /// </summary>
    public sealed class SimulatedCacheCounters
    {
        // Layout of dmabuf_host_sim_cache_counts (KEEP IN SYNC): per kind (clean_range,
        // invalidate_range, clean_all, clean_invalidate_all) calls, lines, dropped; then violations;
        // then the backend's thread CPU time in nanoseconds.
        private const int Clean = 0;
        private const int Invalidate = 3;
        private const int CleanAll = 6;
        private const int CleanInvalidateAll = 9;
        private readonly long[] _values;

        internal SimulatedCacheCounters(long[] values)
        {
            _values = values;
        }

        /// <summary>Clean-range calls performed.</summary>
        public long CleanCalls => _values[Clean];

        /// <summary>Lines the performed clean-range calls covered.</summary>
        public long LinesCleaned => _values[Clean + 1];

        /// <summary>Invalidate-range calls performed.</summary>
        public long InvalidateCalls => _values[Invalidate];

        /// <summary>Lines the performed invalidate-range calls covered.</summary>
        public long LinesInvalidated => _values[Invalidate + 1];

        /// <summary>Whole-cache operations performed (clean all, clean and invalidate all).</summary>
        public long WholeCacheOperations => _values[CleanAll] + _values[CleanInvalidateAll];

        /// <summary>Operations of any kind skipped on purpose (<see cref="SimulatedSoc.CacheOperationsDropped"/>).</summary>
        public long Dropped => _values[Clean + 2] + _values[Invalidate + 2] + _values[CleanAll + 2] + _values[CleanInvalidateAll + 2];

        /// <summary>Calls that broke the backend contract (misaligned, outside a cacheable region): 0 for a correct core.</summary>
        public long Violations => _values[12];

        /// <summary>
        /// Thread CPU time, in nanoseconds, the simulator spent inside the cache backend's calls:
        /// its cost of modelling the cache (a whole-cache clean compares every modelled line here,
        /// where a Cortex-M7 issues 512 set/way writes). On the clock of
        /// <see cref="SimulatedSoc.ThreadCpuNanoseconds"/>, so a caller can subtract it from its own
        /// measurement of the DmaBuf calls that caused it.
        /// </summary>
        public long ModelNanoseconds => _values[13];
    }
}
