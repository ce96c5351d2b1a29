using System.Diagnostics;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// The pipeline demo on a nanoFramework board (or the simulated board of the posix nanoCLR):
    /// <see cref="Frames"/> frames of the zero-copy pipeline, then the copy baseline, from the same
    /// source as the host demo. One program for every board: the board is the firmware's
    /// (<see cref="DmaHeap.FirmwareBoard"/>), the frame size the camera's (its only size where it has
    /// one, an ESP32 camera controller's; else QVGA, as the host demo's default), the frames' pixel
    /// format what the camera delivers (the pipeline converts for a panel that takes the other RGB565
    /// byte order, and names the conversion). Prints (Debug builds: Debug.WriteLine) the frames checked, the bytes
    /// the CPU copied (DmaHeap.GetCpuCopyStatistics) and the cache lines maintained, after the
    /// warm-up frames, then PASS, or FAIL when the zero-copy pipeline copied a byte or a frame
    /// failed its check.
    /// </summary>
    public static class Program
    {
        /// <summary>Frames each pipeline runs.</summary>
        public const int Frames = 30;

        // The frame of a camera that serves any size up to its largest: QVGA, as the host demo's default.
        private const int QvgaWidth = 320;
        private const int QvgaHeight = 240;

        // The ST7789 module every board carries shows the middle 240 x 240 of its GRAM (the GRAM's
        // size the panel reports; the glass is the module's, which no controller knows of).
        private const int Glass = 240;

        /// <summary>Runs both pipelines.</summary>
        public static void Main()
        {
            string board = DmaHeap.FirmwareBoard;
            if (board == null)
            {
                Debug.WriteLine("PipelineDemo: FAIL: this firmware has no DMA buffer support");
                return;
            }

            FrameLayout layout = ChooseLayout(board);
            PipelineResult zeroCopy = Run(board, layout, true);
            PipelineResult baseline = Run(board, layout, false);
            // A line, not an exception: the nanoCLR prints nothing for an exception Main lets out
            // and exits 0 all the same (seen on the posix nanoCLR, Release and Debug).
            bool passed = zeroCopy.BytesCopied == 0 && zeroCopy.FramesAsExpected == Frames && baseline.FramesAsExpected == Frames;
            Debug.WriteLine(passed
                ? "PipelineDemo: PASS"
                : "PipelineDemo: FAIL: the zero-copy pipeline copied bytes, or a frame failed its check");
        }

        /// <summary>
        /// The frames' size from the camera, and the SPI panel's GRAM: asked of the board before
        /// either is opened (a camera that serves one size only refuses any other).
        /// </summary>
        private static FrameLayout ChooseLayout(string board)
        {
            using (DmaHeap heap = DmaHeap.Open(board))
            {
                int width;
                int height;
                if (!heap.GetPeripheralFrameSize("camera", out width, out height))
                {
                    width = width < QvgaWidth ? width : QvgaWidth;
                    height = height < QvgaHeight ? height : QvgaHeight;
                }

                int gramWidth;
                int gramHeight;
                heap.GetPeripheralFrameSize("spi-panel", out gramWidth, out gramHeight);
                return new FrameLayout(width, height, (gramWidth - Glass) / 2, Glass, gramWidth);
            }
        }

        private static PipelineResult Run(string board, FrameLayout layout, bool zeroCopy)
        {
            BoardShell shell = new BoardShell(board, Frames, layout);
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

            Debug.WriteLine("PipelineDemo " + result.Name + " on " + result.Board + ", " + result.Width.ToString() + " x "
                + result.Height.ToString() + ": " + result.Frames.ToString() + " frames, "
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
