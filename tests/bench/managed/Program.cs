using System;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace DmaBuf.Benchmarks
{
    /// <summary>
    /// Runs <see cref="ApiBenchmarks"/> in process (no generated project to restore and build) for
    /// the absolute times and the allocations, then the same operations interleaved
    /// (<see cref="InterleavedRatios"/>) for the managed / native ratio per operation, which is
    /// checked against the 2x target of issues 4 and 7.
    ///   dotnet run -c Release --project tests/bench/managed -- [artifacts directory] [--quick] [--ratios-only]
    /// --ratios-only skips BenchmarkDotNet (about 20 s instead of 3 minutes).
    /// </summary>
    public static class Program
    {
        private const double TargetRatio = 2.0;

        public static int Main(string[] args)
        {
            string artifacts = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal))
                               ?? "BenchmarkDotNet.Artifacts";
            bool quick = args.Contains("--quick");
            if (args.Contains("--ratios-only"))
            {
                return PrintInterleavedRatios(quick);
            }

            Job job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance);
            job = quick ? job.WithWarmupCount(1).WithIterationCount(3).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(100))
                        : job.WithWarmupCount(3).WithIterationCount(15).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250));
            IConfig config = DefaultConfig.Instance
                .AddJob(job)
                .WithArtifactsPath(artifacts)
                .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value))
                .WithOptions(ConfigOptions.DisableLogFile);
            Summary summary = BenchmarkRunner.Run<ApiBenchmarks>(config);
            return PrintRatios(summary, quick);
        }

        /// <summary>
        /// Per operation: BenchmarkDotNet's medians and the managed allocation per call (each form
        /// in its own time slot: on a shared machine the ratio of these two swings), then the
        /// interleaved ratio, which the target is checked on.
        /// </summary>
        private static int PrintRatios(Summary summary, bool quick)
        {
            Console.WriteLine();
            Console.WriteLine("BenchmarkDotNet (median time of each form in its own time slot):");
            foreach (var category in summary.Reports.GroupBy(r => r.BenchmarkCase.Descriptor.Categories.First()))
            {
                BenchmarkReport native = category.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline);
                BenchmarkReport managed = category.FirstOrDefault(r => !r.BenchmarkCase.Descriptor.Baseline);
                if (native?.ResultStatistics == null || managed?.ResultStatistics == null)
                {
                    Console.WriteLine($"  {category.Key,-22} no result");
                    continue;
                }

                double nativeNs = native.ResultStatistics.Median;
                double managedNs = managed.ResultStatistics.Median;
                long allocated = managed.GcStats.GetBytesAllocatedPerOperation(managed.BenchmarkCase) ?? -1;
                Console.WriteLine($"  {category.Key,-22} native {nativeNs,8:0.0} ns  managed {managedNs,8:0.0} ns  " +
                                  $"ratio {managedNs / nativeNs,5:0.00}  managed allocates {allocated} B/op");
            }

            return PrintInterleavedRatios(quick);
        }

        private static int PrintInterleavedRatios(bool quick)
        {
            var benchmarks = new ApiBenchmarks();
            benchmarks.Setup();
            InterleavedRatios.Result[] results;
            try
            {
                results = InterleavedRatios.Run(benchmarks, quick);
            }
            finally
            {
                benchmarks.Cleanup();
            }

            Console.WriteLine();
            Console.WriteLine($"managed / native (interleaved batches, median of the per-round ratios; target <= {TargetRatio:0.0}):");
            int missed = 0;
            foreach (InterleavedRatios.Result result in results)
            {
                bool met = result.Ratio <= TargetRatio;
                missed += met ? 0 : 1;
                Console.WriteLine($"  {result.Category,-22} native {result.NativeNs,8:0.0} ns  managed {result.ManagedNs,8:0.0} ns  " +
                                  $"ratio {result.Ratio,5:0.00}  {(met ? "met" : "NOT MET")}");
            }

            return missed == 0 ? 0 : 1;
        }
    }
}
