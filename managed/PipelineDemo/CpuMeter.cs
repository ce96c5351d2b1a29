using System;
using nanoFramework.DmaBuf.Simulation;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// Adds up the CPU time of the application's CPU-side work per <see cref="CpuWork"/>, on the
    /// thread's CPU clock (CLOCK_THREAD_CPUTIME_ID, so time the thread spends descheduled is not
    /// counted), less the time the simulator spent modelling the cache inside the steps, which is
    /// kept apart in <see cref="CacheModel"/>. Both are read on the same clock (the native
    /// simulator's, <see cref="SimulatedSoc.ThreadCpuNanoseconds"/>), so the difference is exact.
    /// Only the counted steps are measured: the simulated hardware (DMA movement, peripherals) runs
    /// outside them.
    /// </summary>
    internal sealed class CpuMeter
    {
        private readonly long[] _total = new long[3];

        /// <summary>A meter that takes <paramref name="overhead"/> nanoseconds, the meter's own cost
        /// inside every step (<see cref="CalibrateOverhead"/>), out of each step it counts.</summary>
        public CpuMeter(long overhead)
        {
            Overhead = overhead;
        }

        /// <summary>The meter's own cost inside one measured step, taken out of every step.</summary>
        public long Overhead { get; }

        /// <summary>
        /// The meter's own cost inside a step: from the first clock reading to the second around an
        /// empty step. Reading the thread CPU clock is a system call, as long as several DmaBuf calls,
        /// so without this the pipeline with more (cheaper) steps would pay for being measured more
        /// often. Median of 1,001 empty steps, measured once, as benchmark harnesses do.
        /// </summary>
        public static long CalibrateOverhead()
        {
            long[] samples = new long[1001];
            Action empty = () => { };
            for (int i = 0; i < samples.Length; i++)
            {
                long start = Now();
                empty();
                samples[i] = Now() - start;
            }

            Array.Sort(samples);
            return samples[samples.Length / 2];
        }

        /// <summary>What the figures are, for the summary.</summary>
        public const string ClockName = "thread CPU time (CLOCK_THREAD_CPUTIME_ID)";

        /// <summary>A reading of the clock, in nanoseconds.</summary>
        public static long Now() => SimulatedSoc.ThreadCpuNanoseconds();

        /// <summary>
        /// Counts a step of <paramref name="work"/> that took <paramref name="elapsed"/> nanoseconds,
        /// <paramref name="cacheModel"/> of them inside the simulator's cache backend.
        /// </summary>
        /// <returns>The step's own time: <paramref name="elapsed"/> less <paramref name="cacheModel"/>
        /// and the meter's <see cref="Overhead"/>, never below zero.</returns>
        public long Count(CpuWork work, long elapsed, long cacheModel)
        {
            long own = Math.Max(0, elapsed - cacheModel - Overhead);
            _total[(int)work] += own;
            CacheModel += cacheModel;
            return own;
        }

        public long Total(CpuWork work) => _total[(int)work];

        public long Total() => _total[0] + _total[1] + _total[2];

        /// <summary>Time the simulator spent modelling the cache during the counted steps (not in any total).</summary>
        public long CacheModel { get; private set; }
    }
}
