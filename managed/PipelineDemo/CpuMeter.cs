using System;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>What a measured piece of CPU work was.</summary>
    internal enum CpuWork
    {
        /// <summary>Drawing the overlay.</summary>
        Overlay,

        /// <summary>Copying pixels between buffers and managed arrays.</summary>
        Copies,

        /// <summary>DmaBuf calls: map, unmap, CPU access begin and end (the cache hand-overs), frame queue.</summary>
        DmaBufCalls,
    }

    /// <summary>
    /// Adds up the CPU time of the application's CPU-side work per <see cref="CpuWork"/>, read from
    /// the thread's CPU clock (Linux CLOCK_THREAD_CPUTIME_ID; elsewhere a Stopwatch), so time the
    /// thread spends descheduled is not counted. Only what runs between <see cref="Start"/> and
    /// <see cref="Stop"/> is counted: the simulated hardware (DMA movement, peripherals) runs outside.
    /// </summary>
    internal sealed class CpuMeter
    {
        private const int ClockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID, Linux <time.h>
        private static readonly bool ThreadClock = OperatingSystem.IsLinux();
        private readonly long[] _total = new long[3];

        /// <summary>Whether the thread CPU clock is used (else wall time).</summary>
        public static string ClockName => ThreadClock ? "thread CPU time" : "Stopwatch wall time";

        /// <summary>A reading of the clock, in nanoseconds.</summary>
        public static long Now()
        {
            if (ThreadClock)
            {
                Timespec time;
                if (clock_gettime(ClockThreadCpuTime, out time) == 0)
                {
                    return time.Seconds * 1000000000L + time.Nanoseconds;
                }
            }

            return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
        }

        public long Start() => Now();

        /// <summary>Counts the time since <paramref name="start"/> as <paramref name="work"/>; returns it.</summary>
        public long Stop(CpuWork work, long start)
        {
            long elapsed = Now() - start;
            _total[(int)work] += elapsed;
            return elapsed;
        }

        public long Total(CpuWork work) => _total[(int)work];

        public long Total() => _total[0] + _total[1] + _total[2];

        [StructLayout(LayoutKind.Sequential)]
        private struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", SetLastError = false)]
        private static extern int clock_gettime(int clock, out Timespec time);
    }
}
