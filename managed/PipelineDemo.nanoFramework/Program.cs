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
    /// warm-up frames, then PASS, or FAIL when the zero-copy pipeline copied more than the copies
    /// it names (conversions, a bounce buffer: none on the simulated board) or a frame failed its check.
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
            bool passed = zeroCopy.BytesCopied == NamedCopies(zeroCopy, layout)
                && zeroCopy.FramesAsExpected == Frames && baseline.FramesAsExpected == Frames;
            Debug.WriteLine(passed
                ? "PipelineDemo: PASS"
                : "PipelineDemo: FAIL: the zero-copy pipeline copied more than the copies it names, or a frame failed its check");
        }

        /// <summary>
        /// What the zero-copy pipeline may copy over its measured frames: nothing where the panels take
        /// the frames as they are; a whole frame each for a display that takes the other byte order,
        /// and the crop each for an SPI panel given it through the bounce buffer, both named in its line.
        /// </summary>
        private static long NamedCopies(PipelineResult zeroCopy, FrameLayout layout)
        {
            int perFrame = (zeroCopy.DisplayConversionReason == null ? 0 : layout.FrameBytes)
                + (zeroCopy.SpiBounceReason == null ? 0 : layout.CropBytes);
            return (long)zeroCopy.MeasuredFrames * perFrame;
        }

        private static FrameLayout ChooseLayout(string board)
        {
            using (DmaHeap heap = DmaHeap.Open(board))
            {
                return FrameLayout.OfBoard(heap, QvgaWidth, QvgaHeight, Glass);
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
