using System;
using System.Diagnostics;

namespace DmaBuf.Benchmarks
{
    /// <summary>
    /// The managed / native ratio of each operation, measured so that the load of a shared
    /// machine cancels out: the native and the managed form run in alternating batches of the
    /// same number of calls (which goes first swaps every round), and each round's managed time
    /// over its native time is one sample. The ratio is the median sample. A disturbance longer
    /// than a batch (another process, a frequency change) slows both halves of a round alike;
    /// BenchmarkDotNet measures each form in its own time slot, where it does not, so on a busy
    /// machine its ratios swing by 2x and more between runs. The managed batches include their
    /// garbage collections: allocation is part of the managed cost.
    /// </summary>
    internal static class InterleavedRatios
    {
        private const int BatchCalls = 4000;
        private const int WarmupMilliseconds = 2000;

        internal sealed class Result
        {
            internal string Category;
            internal double NativeNs;   // median ns per call over the rounds
            internal double ManagedNs;
            internal double Ratio;      // median of the per-round ratios
        }

        internal static Result[] Run(ApiBenchmarks benchmarks, bool quick)
        {
            int rounds = quick ? 20 : 100;
            var pairs = new (string Category, Action Native, Action Managed)[]
            {
                ("alloc-free", benchmarks.NativeExportPut, benchmarks.ManagedExportDispose),
                ("attach-detach", benchmarks.NativeAttachDetach, benchmarks.ManagedAttachDispose),
                ("begin-end-cpu-access", benchmarks.NativeBeginEnd, benchmarks.ManagedBeginEnd),
                ("fence", benchmarks.NativeFence, benchmarks.ManagedFence),
                ("map-unmap", benchmarks.NativeMapUnmap, benchmarks.ManagedMapDispose),
                ("queue-cycle", benchmarks.NativeQueueCycle, benchmarks.ManagedQueueCycle),
            };
            // Tiered compilation promotes a method to optimised code only once calls to it have
            // gone on for a while (call counting starts 100 ms after the last new method was
            // compiled): run everything until that is surely done, or the first categories
            // measure unoptimised code.
            var warmup = Stopwatch.StartNew();
            while (warmup.ElapsedMilliseconds < WarmupMilliseconds)
            {
                foreach (var pair in pairs)
                {
                    Batch(pair.Native);
                    Batch(pair.Managed);
                }
            }

            var results = new Result[pairs.Length];
            for (int p = 0; p < pairs.Length; p++)
            {
                results[p] = Measure(pairs[p].Category, pairs[p].Native, pairs[p].Managed, rounds);
            }

            return results;
        }

        private static Result Measure(string category, Action native, Action managed, int rounds)
        {
            // A few rounds settle the caches and the allocator; they are measured and dropped.
            const int WarmupRounds = 5;
            var nativeNs = new double[rounds];
            var managedNs = new double[rounds];
            var ratios = new double[rounds];
            GC.Collect();
            GC.WaitForPendingFinalizers();
            for (int round = -WarmupRounds; round < rounds; round++)
            {
                double n, m;
                if ((round & 1) == 0)
                {
                    n = Batch(native);
                    m = Batch(managed);
                }
                else
                {
                    m = Batch(managed);
                    n = Batch(native);
                }

                if (round >= 0)
                {
                    nativeNs[round] = n;
                    managedNs[round] = m;
                    ratios[round] = m / n;
                }
            }

            return new Result
            {
                Category = category,
                NativeNs = Median(nativeNs),
                ManagedNs = Median(managedNs),
                Ratio = Median(ratios),
            };
        }

        // Nanoseconds per call over one batch.
        private static double Batch(Action operation)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < BatchCalls; i++)
            {
                operation();
            }

            long ticks = Stopwatch.GetTimestamp() - start;
            return ticks * 1e9 / Stopwatch.Frequency / BatchCalls;
        }

        private static double Median(double[] values)
        {
            var sorted = (double[])values.Clone();
            Array.Sort(sorted);
            int middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }
}
