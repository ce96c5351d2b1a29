using System;
using System.Collections.Generic;
using System.Globalization;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// What to tell someone whose --board and --resolution do not fit in the board's DMA memory:
    /// the library's own message (which region or device failed, and the bytes asked), the board's
    /// memory, and the largest resolution of the same shape that the board does take.
    /// </summary>
    internal static class BoardFit
    {
        /// <summary>The one line refusing <paramref name="options"/> after <paramref name="e"/>.</summary>
        public static string Refusal(DemoOptions options, Exception e, Func<DemoOptions, List<Pipeline>> create)
        {
            DmaHeapStatistics memory;
            using (DmaHeap heap = DmaHeap.Open(options.Board.Board))
            {
                memory = heap.GetStatistics();
            }

            string largest = Largest(options, create);
            return string.Format(CultureInfo.InvariantCulture,
                "--resolution {0}x{1}: does not fit in board {2}'s DMA memory ({3}; the board has {4} bytes in all regions, the largest free block of an empty heap is {5} bytes); {6}",
                options.Width, options.Height, options.Board.Board, e.Message, memory.Capacity, memory.LargestFree,
                largest == null ? "no resolution from " + DemoOptions.MinimumWidth + "x" + DemoOptions.MinimumHeight + " up fits"
                    : "the largest of this shape it takes is " + largest);
        }

        /// <summary>
        /// Finds, by bisection over the width, the largest even size of the requested aspect ratio
        /// whose pipelines set up and show a frame. Null when even the smallest does not.
        /// </summary>
        private static string Largest(DemoOptions options, Func<DemoOptions, List<Pipeline>> create)
        {
            int low = 0, high = options.Width / 2; // in units of 2 pixels; 'high' did not fit
            while (high - low > 1)
            {
                int middle = (low + high) / 2;
                if (Fits(options, 2 * middle, create))
                {
                    low = middle;
                }
                else
                {
                    high = middle;
                }
            }

            return low == 0 ? null : (2 * low).ToString(CultureInfo.InvariantCulture) + "x" + HeightFor(options, 2 * low).ToString(CultureInfo.InvariantCulture);
        }

        private static int HeightFor(DemoOptions options, int width) => (int)((long)width * options.Height / options.Width) & ~1;

        private static bool Fits(DemoOptions options, int width, Func<DemoOptions, List<Pipeline>> create)
        {
            int height = HeightFor(options, width);
            if (width < DemoOptions.MinimumWidth || height < DemoOptions.MinimumHeight)
            {
                return false;
            }

            DemoOptions probe = options.WithProbe(width, height);
            List<Pipeline> pipelines = create(probe);
            try
            {
                foreach (Pipeline pipeline in pipelines)
                {
                    pipeline.Begin();
                    pipeline.ShowNextFrame(null);
                }

                return true;
            }
            catch (OutOfMemoryException)
            {
                return false;
            }
            finally
            {
                pipelines.ForEach(p => p.Dispose());
            }
        }
    }
}
