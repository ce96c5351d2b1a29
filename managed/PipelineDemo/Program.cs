using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// The pipeline demo: a simulated camera's frames get an overlay drawn by the CPU and go to a
    /// display and an SPI panel, zero-copy through shared DMA buffers or copied as applications do
    /// today (--copy-baseline); --compare runs both and compares their CPU time. See docs/DEMO.md.
    /// </summary>
    internal static class Program
    {
        /// <summary>The exit code of a refused command line (bad option, board too small, unwritable --output).</summary>
        public const int Refused = 2;

        public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

        /// <summary>Runs the demo with <paramref name="args"/>; the summary goes to <paramref name="output"/>, a refusal to <paramref name="error"/>.</summary>
        internal static int Run(string[] args, TextWriter output, TextWriter error)
        {
            DemoOptions options;
            List<Pipeline> pipelines;
            try
            {
                options = DemoOptions.Parse(args);
                if (options.Help)
                {
                    output.Write(DemoOptions.Usage());
                    return 0;
                }

                options.Output = OutputFolder.Root(options);
                pipelines = Create(options);
                if (options.WritePng || options.Trace)
                {
                    pipelines.ForEach(p => OutputFolder.Prepare(Folder(options, p)));
                }
            }
            catch (ArgumentException e)
            {
                return Refuse(error, e.Message);
            }

            List<PipelineResult> results;
            try
            {
                results = Run(pipelines);
            }
            catch (OutOfMemoryException e)
            {
                return Refuse(error, BoardFit.Refusal(options, e, Create));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return Refuse(error, OutputFolder.Refusal(options.Output, e));
            }

            output.WriteLine();
            if (options.ProgressEvery != 0 && results[0].WarmupFrames != 0)
            {
                output.WriteLine(string.Format(CultureInfo.InvariantCulture,
                    "(progress lines: CPU time averaged over all frames so far; below: over the frames after the first {0}, which pay for JIT compilation and first-use cache work)",
                    results[0].WarmupFrames));
            }

            output.Write(Summary.Format(results));
            if (options.Compare)
            {
                output.WriteLine(string.Format(CultureInfo.InvariantCulture,
                    "copy-baseline / zero-copy CPU time per frame (cache modelling excluded): {0:F1}x",
                    results[1].PerFrame(results[1].CpuNanoseconds) / results[0].PerFrame(results[0].CpuNanoseconds)));
            }

            foreach (Pipeline pipeline in pipelines)
            {
                string folder = Path.GetFullPath(Folder(options, pipeline));
                if (options.WritePng)
                {
                    output.WriteLine("pictures: " + folder);
                }

                if (options.Trace)
                {
                    output.WriteLine("trace: " + Path.Combine(folder, "trace.json"));
                }
            }

            return 0;
        }

        private static int Refuse(TextWriter error, string reason)
        {
            error.WriteLine("PipelineDemo: " + reason);
            error.WriteLine(DemoOptions.UsageHint);
            return Refused;
        }

        private static List<Pipeline> Create(DemoOptions options)
        {
            List<Pipeline> pipelines = new List<Pipeline>();
            if (options.Compare || !options.CopyBaseline)
            {
                pipelines.Add(new ZeroCopyPipeline(options));
            }

            if (options.Compare || options.CopyBaseline)
            {
                pipelines.Add(new CopyBaselinePipeline(options));
            }

            return pipelines;
        }

        /// <summary>Where <paramref name="pipeline"/> writes (the folder <see cref="Pipeline"/> picks).</summary>
        private static string Folder(DemoOptions options, Pipeline pipeline) => Path.Combine(options.Output, pipeline.Name);

        /// <summary>
        /// Runs the pipelines taking turns frame by frame, so that whatever else the host does
        /// meanwhile weighs on each alike (the ratio is measured in one run, not in two).
        /// </summary>
        private static List<PipelineResult> Run(List<Pipeline> pipelines)
        {
            try
            {
                foreach (Pipeline pipeline in pipelines)
                {
                    pipeline.Begin();
                }

                bool more = true;
                while (more)
                {
                    more = false;
                    foreach (Pipeline pipeline in pipelines)
                    {
                        more |= pipeline.ShowNextFrame(null);
                    }
                }

                return pipelines.ConvertAll(p => p.End());
            }
            finally
            {
                pipelines.ForEach(p => p.Dispose());
            }
        }
    }
}
