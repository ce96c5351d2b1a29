using System;
using System.Collections.Generic;
using System.IO;
using nanoFramework.DmaBuf.Simulation;
using Xunit;

namespace nanoFramework.DmaBuf.PipelineDemo.Tests
{
    /// <summary>
    /// The demo's pipelines for a few frames: every picture on both panels must equal the reference
    /// (camera pattern + overlay, computed independently), unless the cache hand-overs are dropped
    /// on a board whose buffers are cached.
    /// </summary>
    public class PipelineTests
    {
        internal const long Seed = 7;

        internal static DemoOptions Options(string board, int width, int height, int frames)
        {
            return new DemoOptions
            {
                Board = BoardProfile.Find(board),
                Width = width,
                Height = height,
                Frames = frames,
                Seed = Seed,
                WritePng = false,
                ProgressEvery = 0,
                Output = Path.Combine(Path.GetTempPath(), "dmabuf-demo-tests"),
            };
        }

        /// <summary>Runs a pipeline and returns what it showed.</summary>
        private static (PipelineResult Result, List<ShownFrame> Shown) Run(Pipeline pipeline)
        {
            List<ShownFrame> shown = new List<ShownFrame>();
            using (pipeline)
            {
                return (pipeline.Run(shown.Add), shown);
            }
        }

        /// <summary>Runs both pipelines; every picture either showed must be the reference.</summary>
        private static (PipelineResult ZeroCopy, PipelineResult Baseline) RunBothShowingTheReference(DemoOptions options)
        {
            (PipelineResult zeroCopy, List<ShownFrame> shownZeroCopy) = Run(new ZeroCopyPipeline(options));
            (PipelineResult baseline, List<ShownFrame> shownBaseline) = Run(new CopyBaselinePipeline(options));
            Assert.Equal(0, WrongFrames(options, shownZeroCopy));
            Assert.Equal(0, WrongFrames(options, shownBaseline));
            Assert.Equal(options.Frames, zeroCopy.FramesAsExpected);
            Assert.Equal(options.Frames, baseline.FramesAsExpected);
            return (zeroCopy, baseline);
        }

        private static int WrongFrames(DemoOptions options, List<ShownFrame> shown)
        {
            int wrong = 0;
            foreach (ShownFrame frame in shown)
            {
                byte[] display = ReferencePictures.Display(options.Width, options.Height, options.Seed, frame.CameraFrame);
                byte[] glass = ReferencePictures.Glass(options.Width, options.Height, display);
                if (!frame.Display.AsSpan().SequenceEqual(display) || !frame.Glass.AsSpan().SequenceEqual(glass))
                {
                    wrong++;
                }
            }

            return wrong;
        }

        private static void AssertCameraFramesAdvance(List<ShownFrame> shown)
        {
            for (int i = 1; i < shown.Count; i++)
            {
                Assert.True(shown[i].CameraFrame > shown[i - 1].CameraFrame, "panels went back in time at frame " + i);
            }
        }

        [Theory]
        [InlineData("stm32f769i-disco", 320, 240)]
        [InlineData("stm32f769i-disco", 800, 480)]
        [InlineData("esp32p4", 320, 240)]
        [InlineData("esp32s3-octal-psram", 320, 240)]
        public void ZeroCopyShowsEveryFrameAsTheReference(string board, int width, int height)
        {
            DemoOptions options = Options(board, width, height, 4);
            (PipelineResult result, List<ShownFrame> shown) = Run(new ZeroCopyPipeline(options));

            Assert.Equal(4, shown.Count);
            Assert.Equal(0, WrongFrames(options, shown));
            Assert.Equal(4, result.FramesAsExpected);
            AssertCameraFramesAdvance(shown);
            Assert.Equal(0, result.BytesCopied);
            Assert.Null(result.SpiBounceReason);
            Assert.Null(result.DisplayConversionReason);
        }

        [Fact]
        public void OnADisplayThatTakesLowByteFirstEachFrameIsConvertedAndShownAsTheReference()
        {
            // What an STM32 LTDC takes: the frames stay high byte first (camera, SPI panel), the
            // display gets each one converted; a program that ignored the display's format would
            // fail to open it, or show every pixel with its bytes swapped.
            DemoOptions options = Options("stm32f769i-disco", 320, 240, 4);
            options.DisplayFormats = new[] { PixelFormat.Rgb565LittleEndian };
            (PipelineResult zeroCopy, PipelineResult baseline) = RunBothShowingTheReference(options);

            Assert.Contains("low byte first", zeroCopy.DisplayConversionReason);
            Assert.NotNull(baseline.DisplayConversionReason);
            // The conversion is the zero-copy pipeline's only copy, counted; the baseline's on top of its own.
            Assert.Equal(4L * 320 * 240 * 2, zeroCopy.BytesCopied);
            Assert.Equal(4L * (320 * 240 * 2 * 3 + 240 * 240 * 2), baseline.BytesCopied);
        }

        [Fact]
        public void OnTheEsp32P4WiringTheFramesAreLowByteFirstAndOnlyTheSpiPanelGetsThemConverted()
        {
            // What the ESP32-P4-Function-EV-Board states: camera (ISP) and DPI display low byte first,
            // the ST7789 high byte first. The frames are the camera's, the display is given them
            // themselves, the SPI panel the crop converted in its bounce buffer; every picture must
            // still be the reference, the right way round. At the board's 1024 x 600 (the SPI panel
            // is sent the crop row by row).
            DemoOptions options = Options("esp32p4", 1024, 600, 4);
            options.CameraFormats = new[] { PixelFormat.Rgb565LittleEndian };
            options.DisplayFormats = new[] { PixelFormat.Rgb565LittleEndian };
            (PipelineResult zeroCopy, _) = RunBothShowingTheReference(options);

            Assert.Null(zeroCopy.DisplayConversionReason);
            Assert.Equal("the SPI panel takes RGB565 high byte first, the frames are RGB565 low byte first", zeroCopy.SpiBounceReason);
            // The crop's conversion is the zero-copy pipeline's only copy, counted.
            Assert.Equal(4L * 240 * 240 * 2, zeroCopy.BytesCopied);
        }

        [Fact]
        public void TheLayoutOfABoardTakesTheCamerasSizeWhereItHasOneOnly()
        {
            using DmaHeap heap = DmaHeap.Open("esp32p4");
            using SimulatedSoc soc = SimulatedSoc.Open(heap);
            // A camera of any size up to its largest: the size asked for.
            FrameLayout layout = FrameLayout.OfBoard(heap, 320, 240, SimulatedSpiPanel.St7789GlassSize);
            Assert.Equal(320, layout.Width);
            Assert.Equal(240, layout.Height);
            Assert.Equal(new FrameLayout(320, 240).SpiWindow, layout.SpiWindow); // the ST7789's GRAM and glass, as the host's
            // The ESP32-P4-Function-EV-Board's controller: 1024 x 600 only. The crop stays on the glass.
            soc.SetCameraFixedSize(1024, 600);
            layout = FrameLayout.OfBoard(heap, 320, 240, SimulatedSpiPanel.St7789GlassSize);
            Assert.Equal(1024, layout.Width);
            Assert.Equal(600, layout.Height);
            Assert.Equal(new FrameLayout(1024, 600).GlassWindow, layout.GlassWindow);
        }

        [Fact]
        public void TheFramesTakeTheCamerasFormat_ThePanelsGetItOrTheOtherByteOrder()
        {
            PixelFormat be = PixelFormat.Rgb565BigEndian;
            PixelFormat le = PixelFormat.Rgb565LittleEndian;
            // The boards' formats (GetPeripheralFormats lists them in PixelFormat order). STM32F769I-DISCO:
            // DCMI high byte first or YUYV, LTDC low byte first, ST7789 high byte first.
            PixelFormat frames = Pipeline.ChooseFrameFormat(new[] { be, PixelFormat.Yuyv }, new[] { le });
            Assert.Equal(be, frames);
            Assert.Equal(le, Pipeline.ChoosePanelFormat(new[] { le }, frames, "display"));
            Assert.Equal(be, Pipeline.ChoosePanelFormat(new[] { be }, frames, "SPI panel"));
            // ESP32-P4-Function-EV-Board: camera and DPI display low byte first, ST7789 high byte first.
            frames = Pipeline.ChooseFrameFormat(new[] { le }, new[] { le });
            Assert.Equal(le, frames);
            Assert.Equal(le, Pipeline.ChoosePanelFormat(new[] { le }, frames, "display"));
            Assert.Equal(be, Pipeline.ChoosePanelFormat(new[] { be }, frames, "SPI panel"));
            // A camera of both orders gives the one the display takes.
            Assert.Equal(le, Pipeline.ChooseFrameFormat(new[] { le, be }, new[] { le }));
            Assert.Equal(be, Pipeline.ChooseFrameFormat(new[] { le, be }, new[] { be }));
            Assert.Throws<NotSupportedException>(() => Pipeline.ChooseFrameFormat(new[] { PixelFormat.Yuyv }, new[] { le }));
            Assert.Throws<NotSupportedException>(() => Pipeline.ChoosePanelFormat(new[] { PixelFormat.Rgb888 }, be, "display"));
        }

        [Fact]
        public void OnADisplayThatTakesBothByteOrdersTheFramesThemselvesAreShown()
        {
            DemoOptions options = Options("stm32f769i-disco", 320, 240, 4);
            options.DisplayFormats = new[] { PixelFormat.Rgb565LittleEndian, PixelFormat.Rgb565BigEndian };
            (PipelineResult result, List<ShownFrame> shown) = Run(new ZeroCopyPipeline(options));

            Assert.Equal(0, WrongFrames(options, shown));
            Assert.Null(result.DisplayConversionReason);
            Assert.Equal(0, result.BytesCopied);
        }

        [Fact]
        public void CopyBaselineShowsTheSamePicturesAsZeroCopy()
        {
            DemoOptions options = Options("stm32f769i-disco", 320, 240, 4);
            (_, List<ShownFrame> zeroCopy) = Run(new ZeroCopyPipeline(options));
            (PipelineResult result, List<ShownFrame> baseline) = Run(new CopyBaselinePipeline(options));

            Assert.Equal(0, WrongFrames(options, baseline));
            for (int i = 0; i < baseline.Count; i++)
            {
                Assert.Equal(zeroCopy[i].CameraFrame, baseline[i].CameraFrame);
                Assert.True(zeroCopy[i].Display.AsSpan().SequenceEqual(baseline[i].Display));
                Assert.True(zeroCopy[i].Glass.AsSpan().SequenceEqual(baseline[i].Glass));
            }

            // Frame to array, array to framebuffer, crop to the SPI buffer.
            Assert.Equal(4L * (320 * 240 * 2 * 2 + 240 * 240 * 2), result.BytesCopied);
        }

        [Fact]
        public void WithoutCacheHandOversFramesOnACachedBoardAreCorrupted()
        {
            // The STM32F769I's frames sit in SRAM1 behind the write-back D-cache.
            DemoOptions options = Options("stm32f769i-disco", 320, 240, 4);
            options.NoSync = true;
            (PipelineResult zeroCopy, List<ShownFrame> shownZeroCopy) = Run(new ZeroCopyPipeline(options));
            (PipelineResult baseline, List<ShownFrame> shownBaseline) = Run(new CopyBaselinePipeline(options));

            Assert.Equal(4, WrongFrames(options, shownZeroCopy));
            Assert.Equal(4, WrongFrames(options, shownBaseline));
            Assert.Equal(0, zeroCopy.FramesAsExpected);
            Assert.Equal(0, baseline.FramesAsExpected);
        }

        [Fact]
        public void WithoutCacheHandOversFramesOnAnUncachedBoardStayCorrect()
        {
            // Classic ESP32: DMA-capable SRAM is not cached, so there is nothing to hand over.
            DemoOptions options = Options("esp32", 160, 120, 4);
            options.NoSync = true;
            (PipelineResult zeroCopy, List<ShownFrame> shownZeroCopy) = Run(new ZeroCopyPipeline(options));
            (_, List<ShownFrame> shownBaseline) = Run(new CopyBaselinePipeline(options));

            Assert.Equal(0, WrongFrames(options, shownZeroCopy));
            Assert.Equal(0, WrongFrames(options, shownBaseline));
            Assert.Equal(0, zeroCopy.LinesCleaned + zeroCopy.LinesInvalidated + zeroCopy.WholeCacheOperations);
        }

        [Fact]
        public void SpiMasterThatCannotReachTheFramesGetsTheCropThroughABounceBuffer()
        {
            // ESP32-P4 at 800x480: the frames only fit PSRAM, which the SPI's AHB-GDMA does not reach.
            DemoOptions options = Options("esp32p4", 800, 480, 3);
            (PipelineResult result, List<ShownFrame> shown) = Run(new ZeroCopyPipeline(options));

            Assert.NotNull(result.SpiBounceReason);
            Assert.Contains("spi2", result.SpiBounceReason);
            Assert.Equal(0, WrongFrames(options, shown));
            Assert.Equal(3, result.FramesAsExpected);
        }

        [Fact]
        public void ZeroCopyCleansAndInvalidatesOnlyTheOverlayLines()
        {
            // After the warm-up, each frame hands over exactly the lines of the overlay's two CPU
            // accesses, each from its first touched byte to its last: the plate (ToDevice; its fill and
            // digits run inside it) and the box (Bidirectional; its darkened inside and four border
            // strips run inside it). Invalidate at begin (the camera wrote the frame), clean at end,
            // each line once though the steps' windows overlap; no whole-cache operation.
            DemoOptions options = Options("esp32p4", 320, 240, 10);
            (PipelineResult result, List<ShownFrame> shown) = Run(new ZeroCopyPipeline(options));

            FrameLayout layout = new FrameLayout(320, 240);
            const int line = 64; // ESP32-P4 L1 line over L2MEM; buffers start on a line
            long expected = 0;
            foreach (ShownFrame frame in shown.GetRange(result.WarmupFrames, result.MeasuredFrames))
            {
                foreach (PixelRect rect in new[] { layout.Plate, layout.Box(frame.CameraFrame) })
                {
                    layout.ByteRange(rect, out int offset, out int length);
                    expected += (offset + length + line - 1) / line - offset / line;
                }
            }

            Assert.Equal(0, result.WholeCacheOperations);
            Assert.Equal(expected, result.LinesCleaned);
            Assert.Equal(expected, result.LinesInvalidated);
        }

        [Fact]
        public void CpuTimeLeavesTheSimulatorsCacheModelOut()
        {
            // On the STM32 at 320x240 the baseline's hand-overs are whole-cache operations, which the
            // simulator models by walking all 384 KB of cacheable memory: far more host time than
            // the DmaBuf calls themselves. That time must be reported apart, not in the CPU time, and
            // what is left must be a real (non-negative) measurement; zero-copy copies no byte.
            DemoOptions options = Options("stm32f769i-disco", 320, 240, 10);
            PipelineResult zeroCopy = Run(new ZeroCopyPipeline(options)).Result;
            PipelineResult baseline = Run(new CopyBaselinePipeline(options)).Result;

            Assert.Equal(0, zeroCopy.BytesCopied);
            Assert.True(baseline.BytesCopied > 0);
            Assert.True(baseline.WholeCacheOperations > 0);
            foreach (PipelineResult result in new[] { zeroCopy, baseline })
            {
                Assert.True(result.CacheModelNanoseconds > 0, result.Name + ": its hand-overs were modelled");
                Assert.True(result.DmaBufCallNanoseconds >= 0, result.Name + ": DmaBuf calls less cache model went negative");
                Assert.True(result.OverlayNanoseconds > 0, result.Name + ": overlay");
                Assert.Equal(result.OverlayNanoseconds + result.CopyNanoseconds + result.DmaBufCallNanoseconds, result.CpuNanoseconds);
            }

            Assert.True(baseline.CacheModelNanoseconds > baseline.DmaBufCallNanoseconds,
                "the whole-cache model time " + baseline.CacheModelNanoseconds + " ns did not come out of the DmaBuf calls' "
                + baseline.DmaBufCallNanoseconds + " ns");
        }

        [Fact]
        public void MeterTakesTheCacheModelOutOfTheStepAndKeepsItApart()
        {
            CpuMeter meter = new CpuMeter(0);
            Assert.Equal(700, meter.Count(CpuWork.DmaBufCalls, 1000, 300));
            Assert.Equal(50, meter.Count(CpuWork.Overlay, 50, 0));
            Assert.Equal(700, meter.Total(CpuWork.DmaBufCalls));
            Assert.Equal(750, meter.Total());
            Assert.Equal(300, meter.CacheModel);
        }

        [Fact]
        public void MeterTakesItsOwnOverheadOutOfEveryStepButNeverGoesNegative()
        {
            CpuMeter meter = new CpuMeter(100);
            Assert.Equal(600, meter.Count(CpuWork.DmaBufCalls, 1000, 300));
            Assert.Equal(0, meter.Count(CpuWork.Overlay, 80, 0));
            Assert.Equal(600, meter.Total());
            Assert.Equal(300, meter.CacheModel);
            Assert.InRange(CpuMeter.CalibrateOverhead(), 0, 1_000_000);
        }

        [Fact]
        public void TraceHasOwnershipFencesAndCacheOperations()
        {
            DemoOptions options = Options("stm32f769i-disco", 320, 240, 3);
            options.Trace = true;
            options.Output = Path.Combine(Path.GetTempPath(), "dmabuf-demo-trace-" + Guid.NewGuid().ToString("N"));
            try
            {
                Run(new ZeroCopyPipeline(options));
                string path = Path.Combine(options.Output, "zero-copy", "trace.json");
                using (System.Text.Json.JsonDocument trace = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path)))
                {
                    HashSet<string> categories = new HashSet<string>();
                    HashSet<string> names = new HashSet<string>();
                    foreach (System.Text.Json.JsonElement e in trace.RootElement.GetProperty("traceEvents").EnumerateArray())
                    {
                        names.Add(e.GetProperty("name").GetString());
                        if (e.TryGetProperty("cat", out System.Text.Json.JsonElement category))
                        {
                            categories.Add(category.GetString());
                        }
                    }

                    Assert.Superset(new HashSet<string> { "cpu", "ownership", "dma", "fence", "cache" }, categories);
                    Assert.Contains("fence signalled", names);
                    Assert.Contains("camera", names);
                    Assert.Contains("draw plate", names);
                }
            }
            finally
            {
                Directory.Delete(options.Output, true);
            }
        }

        [Fact]
        public void ThePngsOfEveryFrameAreWhatThePanelsShowed()
        {
            // Batches of 3 frames: three full batches are checked and written while the pipeline runs,
            // the 10th frame at the end. The first run keeps its frames (their arrays must not be
            // reused); the second does not (the arrays of earlier batches are).
            const int frames = 10;
            DemoOptions options = Options("stm32f769i-disco", 320, 240, frames);
            options.OutputBatchFrames = 3;
            (_, List<ShownFrame> shown) = Run(new ZeroCopyPipeline(options));
            options.WritePng = true;
            options.Output = Path.Combine(Path.GetTempPath(), "dmabuf-demo-png-" + Guid.NewGuid().ToString("N"));
            try
            {
                PipelineResult result;
                using (ZeroCopyPipeline pipeline = new ZeroCopyPipeline(options))
                {
                    result = pipeline.Run(null); // nobody keeps the frames: the recycling path
                }

                Assert.Equal(frames, result.FramesAsExpected);
                Assert.Equal(frames, shown.Count);
                foreach (ShownFrame frame in shown)
                {
                    string number = frame.Index.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
                    string folder = Path.Combine(options.Output, "zero-copy");
                    Assert.Equal(Png(320, 240, frame.Display), File.ReadAllBytes(Path.Combine(folder, "display-" + number + ".png")));
                    Assert.Equal(Png(240, 240, frame.Glass), File.ReadAllBytes(Path.Combine(folder, "spi-" + number + ".png")));
                }
            }
            finally
            {
                Directory.Delete(options.Output, true);
            }
        }

        [Fact]
        public void AFrameTheCallerKeepsIsNeverRecycled()
        {
            // Batches of 2: the kept frame's batch is checked when the third frame comes, and the
            // frames after it take recycled arrays; none may be the kept frame's.
            FrameOutput output = new FrameOutput(new FrameLayout(320, 240), 1,
                new PixelRect(SimulatedSpiPanel.St7789GlassX, 0, SimulatedSpiPanel.St7789GlassSize, SimulatedSpiPanel.St7789GlassSize), null, 2, 6);
            ShownFrame kept = output.Add(0, 0, true, frame => Array.Fill(frame.Display, (byte)1));
            output.Add(1, 1, false, frame => Array.Fill(frame.Display, (byte)2));
            for (int i = 2; i < 6; i++)
            {
                output.Add(i, i, false, frame => Array.Fill(frame.Display, (byte)3));
            }

            output.Flush();
            Assert.All(kept.Display, value => Assert.Equal(1, value));
            Assert.Equal(0, output.FramesAsExpected); // uniform pictures are not the camera's
        }

        private static byte[] Png(int width, int height, byte[] rgb565)
        {
            MemoryStream png = new MemoryStream();
            PngWriter.Write(png, width, height, rgb565);
            return png.ToArray();
        }
    }
}
