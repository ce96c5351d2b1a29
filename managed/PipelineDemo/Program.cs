using System;
using System.Collections.Generic;
using System.Globalization;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// The pipeline demo: a simulated camera's frames get an overlay drawn by the CPU and go to a
    /// display and an SPI panel, zero-copy through shared DMA buffers or copied as applications do
    /// today (--copy-baseline); --compare runs both and compares their CPU time. See docs/DEMO.md.
    /// </summary>
    internal static class Program
    {
        public static int Main(string[] args)
        {
            DemoOptions options;
            try
            {
                options = DemoOptions.Parse(args);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine("PipelineDemo: " + e.Message);
                Console.Error.Write(DemoOptions.Usage());
                return 2;
            }

            if (options.Help)
            {
                Console.Write(DemoOptions.Usage());
                return 0;
            }

            List<Pipeline> pipelines = new List<Pipeline>();
            if (options.Compare || !options.CopyBaseline)
            {
                pipelines.Add(new ZeroCopyPipeline(options));
            }

            if (options.Compare || options.CopyBaseline)
            {
                pipelines.Add(new CopyBaselinePipeline(options));
            }

            List<PipelineResult> results = Run(pipelines);

            Console.WriteLine();
            Console.Write(Summary.Format(results));
            if (options.Compare)
            {
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                    "copy-baseline / zero-copy CPU time per frame (cache modelling excluded): {0:F1}x",
                    results[1].PerFrame(results[1].CpuNanoseconds) / results[0].PerFrame(results[0].CpuNanoseconds)));
            }

            if (options.WritePng || options.Trace)
            {
                Console.WriteLine("output: " + System.IO.Path.GetFullPath(options.Output));
            }

            return 0;
        }

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
