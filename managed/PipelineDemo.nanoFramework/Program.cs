using System.Diagnostics;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// The pipeline demo on a nanoFramework board (or the simulated board of the posix nanoCLR):
    /// <see cref="Frames"/> frames of the zero-copy pipeline, then the copy baseline, from the same
    /// source as the host demo. Prints (Debug builds: Debug.WriteLine) the frames checked, the bytes
    /// the CPU copied (DmaHeap.GetCpuCopyStatistics) and the cache lines maintained, after the
    /// warm-up frames, then PASS, or FAIL when the zero-copy pipeline copied a byte or a frame
    /// failed its check.
    /// </summary>
    public static class Program
    {
        /// <summary>Frames each pipeline runs.</summary>
        public const int Frames = 30;

        // The frame (QVGA, as the host demo's default) and the ST7789 module both boards carry:
        // 320 x 240 GRAM, of which the middle 240 x 240 is glass (native-interop/sim/peripherals.h).
        private const string Board = "stm32f769i-disco";
        private const int Width = 320;
        private const int Height = 240;
        private const int GramWidth = 320;
        private const int Glass = 240;
        private const int GlassX = (GramWidth - Glass) / 2;

        /// <summary>Runs both pipelines.</summary>
        public static void Main()
        {
            PipelineResult zeroCopy = Run(true);
            PipelineResult baseline = Run(false);
            // A line, not an exception: the nanoCLR prints nothing for an exception Main lets out
            // and exits 0 all the same (seen on the posix nanoCLR, Release and Debug).
            bool passed = zeroCopy.BytesCopied == 0 && zeroCopy.FramesAsExpected == Frames && baseline.FramesAsExpected == Frames;
            Debug.WriteLine(passed
                ? "PipelineDemo: PASS"
                : "PipelineDemo: FAIL: the zero-copy pipeline copied bytes, or a frame failed its check");
        }

        private static PipelineResult Run(bool zeroCopy)
        {
            FrameLayout layout = new FrameLayout(Width, Height, GlassX, Glass, GramWidth);
            BoardShell shell = new BoardShell(Board, Frames, layout);
            Pipeline pipeline = zeroCopy ? new ZeroCopyPipeline(shell) : (Pipeline)new CopyBaselinePipeline(shell);
            PipelineResult result;
            try
            {
                result = pipeline.Run();
            }
            finally
            {
                pipeline.Dispose();
            }

            Debug.WriteLine("PipelineDemo " + result.Name + " on " + result.Board + ": " + result.Frames.ToString() + " frames, "
                + result.FramesAsExpected.ToString() + " checked; over the " + result.MeasuredFrames.ToString()
                + " frames after the warm-up: " + result.BytesCopied.ToString() + " bytes copied by the CPU, "
                + result.LinesCleaned.ToString() + " cache lines cleaned, " + result.LinesInvalidated.ToString()
                + " invalidated, " + result.WholeCacheOperations.ToString() + " whole-cache operations, "
                + result.FenceWaits.ToString() + " fence waits, " + result.QueueDrops.ToString() + " queue drops"
                + (result.SpiBounceReason == null ? string.Empty : "; SPI bounce buffer: " + result.SpiBounceReason)
                + (result.DisplayConversionReason == null ? string.Empty : "; converted for the display: " + result.DisplayConversionReason));
            return result;
        }
    }
}
