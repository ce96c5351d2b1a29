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
    /// Runs <see cref="ApiBenchmarks"/> in process (no generated project to restore and build) and
    /// ends with the managed / native ratio per operation against the 2x target of issues 4 and 7.
    ///   dotnet run -c Release --project tests/bench/managed -- [artifacts directory] [--quick]
    /// </summary>
    public static class Program
    {
        private const double TargetRatio = 2.0;

        public static int Main(string[] args)
        {
            string artifacts = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal))
                               ?? "BenchmarkDotNet.Artifacts";
            bool quick = args.Contains("--quick");
            Job job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance);
            job = quick ? job.WithWarmupCount(1).WithIterationCount(3).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(100))
                        : job.WithWarmupCount(3).WithIterationCount(15).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250));
            IConfig config = DefaultConfig.Instance
                .AddJob(job)
                .WithArtifactsPath(artifacts)
                .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value))
                .WithOptions(ConfigOptions.DisableLogFile);
            Summary summary = BenchmarkRunner.Run<ApiBenchmarks>(config);
            return PrintRatios(summary);
        }

        /// <summary>
        /// Managed median / native median per category, from the same run (the median resists the
        /// other processes of a shared machine better than the mean).
        /// </summary>
        private static int PrintRatios(Summary summary)
        {
            Console.WriteLine();
            Console.WriteLine($"managed / native (same run, median time; target <= {TargetRatio:0.0}):");
            int missed = 0;
            foreach (var category in summary.Reports.GroupBy(r => r.BenchmarkCase.Descriptor.Categories.First()))
            {
                BenchmarkReport native = category.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline);
                BenchmarkReport managed = category.FirstOrDefault(r => !r.BenchmarkCase.Descriptor.Baseline);
                if (native?.ResultStatistics == null || managed?.ResultStatistics == null)
                {
                    Console.WriteLine($"  {category.Key,-22} no result");
                    missed++;
                    continue;
                }

                double nativeNs = native.ResultStatistics.Median;
                double managedNs = managed.ResultStatistics.Median;
                double ratio = managedNs / nativeNs;
                long allocated = managed.GcStats.GetBytesAllocatedPerOperation(managed.BenchmarkCase) ?? -1;
                bool met = ratio <= TargetRatio;
                missed += met ? 0 : 1;
                Console.WriteLine($"  {category.Key,-22} native {nativeNs,8:0.0} ns  managed {managedNs,8:0.0} ns  " +
                                  $"ratio {ratio,5:0.00}  managed allocates {allocated} B/op  {(met ? "met" : "NOT MET")}");
            }

            return missed == 0 ? 0 : 1;
        }
    }
}
