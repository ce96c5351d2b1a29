using System;
using nanoFramework.DmaBuf;
using nanoFramework.TestFramework;

namespace NFUnitTest
{
    /// <summary>
    /// Camera, ScanoutDisplay and SpiPanel on a nanoCLR whose board is the simulator: the same
    /// back end host .NET uses (interop/nanoFramework/dmabuf_nf_target_sim.c), its fences completed
    /// by the fence pool's wait hook, which the nF wait calls before parking the thread (virtual
    /// time runs on the waiting thread). Captured pixels are checked against the sensor's picture
    /// computed here from its formula (native-interop/sim/camera.c), not read through the simulator.
    /// </summary>
    /// <remarks>
    /// The firmware's peripherals live as long as the nanoCLR, and a configured model cannot be
    /// rebuilt (another frame size throws InvalidOperationException), so every test uses one size.
    /// </remarks>
    [TestClass]
    public class PeripheralTests
    {
        private const int Width = 64;
        private const int Height = 32;
        private const int FrameBytes = Width * Height * 2;
        // The scene the simulated target's camera sees (dmabuf_nf_target_sim.c: the host's default).
        private const ulong Scene = 1;
        private const int Frames = 4;
        private const int Overlay = 0x202020;
        // Overlay in RGB565 (4, 8, 4), widened back by repeating the top bits.
        private const int OverlayRead = 0x212021;

        [TestMethod]
        public void Camera_CapturesIntoAQueueFrame_WithTheSensorsPicture()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer[] buffers = new DmaBuffer[] { heap.Export(FrameBytes, "f0"), heap.Export(FrameBytes, "f1") };
            FrameQueue queue = new FrameQueue(heap, buffers, FrameQueueMode.WhenEmpty);
            Camera camera = heap.OpenCamera("camera", Width, Height, PixelFormat.Rgb565BigEndian);
            Assert.AreEqual("dcmi", camera.Device.Name);
            int previous = -1;
            for (int i = 0; i < 2; i++)
            {
                QueueFrame filling = camera.BeginCapture(queue, 0);
                Assert.IsFalse(camera.PendingCapture.IsSignalled, "a capture ends with the sensor frame");
                QueueFrame filled = camera.EndCapture(-1);
                Assert.IsTrue(filled == filling, "the frame being filled");
                Assert.IsTrue(camera.CapturedFrameNumber > previous, "sensor order");
                previous = camera.CapturedFrameNumber;

                QueueFrame ready = queue.Acquire(0);
                Assert.IsTrue(ready == filled, "the filled frame is ready");
                AssertSensorPicture(new DmaFrame(ready.Buffer, Width, Height, PixelFormat.Rgb565BigEndian), previous, 0);
                queue.Release(ready);
            }

            camera.Dispose();
            queue.Dispose();
            buffers[0].Dispose();
            buffers[1].Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void DisplayPresent_AndSpiPanelWrite_ReturnFencesThatSignal()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            ScanoutDisplay display = heap.OpenDisplay("display", Width, Height, PixelFormat.Rgb565BigEndian);
            SpiPanel panel = heap.OpenSpiPanel("spi-panel", PixelFormat.Rgb565BigEndian);
            panel.Initialize(SpiPanel.LandscapeMemoryAccess, true);
            Assert.AreEqual("ltdc", display.Device.Name);
            Assert.AreEqual("dma2", panel.Device.Name);
            DmaBuffer buffer = heap.Export(FrameBytes, "shown");
            new DmaFrame(buffer, Width, Height, PixelFormat.Rgb565BigEndian).FillRectangle(0, 0, Width, Height, Overlay);
            DmaAttachment toDisplay = buffer.Attach(display.Device);
            DmaAttachment toPanel = buffer.Attach(panel.Device);

            DmaMapping shown = toDisplay.Map(DmaDirection.ToDevice);
            DmaFence released = display.Present(shown);
            Assert.IsFalse(released.IsSignalled, "the flip waits for vsync");
            released.Wait(-1);
            Assert.IsTrue(released.IsSignalled);
            Assert.IsTrue(display.GetSequenceNumber(released) >= 0, "the flip's vsync");
            released.Dispose();
            shown.Dispose();

            DmaMapping sent = toPanel.Map(DmaDirection.ToDevice);
            DmaFence done = panel.WriteRectangle(sent, (3 * Width + 7) * 2, Width * 2, 0, 0, 10, 4);
            Assert.IsFalse(done.IsSignalled, "the transfer takes SPI time");
            done.Wait(-1);
            Assert.IsTrue(done.IsSignalled);
            Assert.IsTrue(panel.GetTimestampMicroseconds(done) > panel.GetStartMicroseconds(done), "ended after it started");
            done.Dispose();
            sent.Dispose();

            toDisplay.Dispose();
            toPanel.Dispose();
            buffer.Dispose();
            display.Dispose();
            panel.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void Configurations_TheDeviceCannotServe_ThrowDmaConstraintException()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            Assert.ThrowsException(typeof(DmaConstraintException), () => heap.OpenCamera("camera", Width, Height, PixelFormat.Gray8));
            Assert.ThrowsException(typeof(DmaConstraintException), () => heap.OpenSpiPanel("spi-panel", PixelFormat.Yuyv));

            ScanoutDisplay display = heap.OpenDisplay("display", Width, Height, PixelFormat.Rgb565BigEndian);
            SpiPanel panel = heap.OpenSpiPanel("spi-panel", PixelFormat.Rgb565BigEndian);
            panel.Initialize(SpiPanel.LandscapeMemoryAccess, true);
            DmaBuffer small = heap.Export(FrameBytes / 2, "small");
            DmaAttachment toDisplay = small.Attach(display.Device);
            DmaAttachment toPanel = small.Attach(panel.Device);
            DmaMapping shown = toDisplay.Map(DmaDirection.ToDevice);
            DmaMapping sent = toPanel.Map(DmaDirection.ToDevice);
            string message = null;
            try
            {
                display.Present(shown);
            }
            catch (DmaConstraintException e)
            {
                message = e.Message;
            }

            Assert.IsNotNull(message, "a panel larger than the frame");
            Assert.IsTrue(message.IndexOf("frame") >= 0, message);
            Assert.ThrowsException(typeof(DmaConstraintException), () => panel.WriteRectangle(sent, 0, Width * 2, 0, 0, Width, Height));

            shown.Dispose();
            sent.Dispose();
            toDisplay.Dispose();
            toPanel.Dispose();
            small.Dispose();
            display.Dispose();
            panel.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void Pipeline_CaptureOverlayPresentAndSpi_CopiesNothing()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer[] buffers = new DmaBuffer[] { heap.Export(FrameBytes, "f0"), heap.Export(FrameBytes, "f1") };
            FrameQueue queue = new FrameQueue(heap, buffers, FrameQueueMode.WhenEmpty);
            Camera camera = heap.OpenCamera("camera", Width, Height, PixelFormat.Rgb565BigEndian);
            ScanoutDisplay display = heap.OpenDisplay("display", Width, Height, PixelFormat.Rgb565BigEndian);
            SpiPanel panel = heap.OpenSpiPanel("spi-panel", PixelFormat.Rgb565BigEndian);
            panel.Initialize(SpiPanel.LandscapeMemoryAccess, true);
            DmaAttachment[] toDisplay = new DmaAttachment[buffers.Length];
            DmaAttachment[] toPanel = new DmaAttachment[buffers.Length];
            for (int i = 0; i < buffers.Length; i++)
            {
                toDisplay[i] = buffers[i].Attach(display.Device);
                toPanel[i] = buffers[i].Attach(panel.Device);
            }

            heap.ResetCpuCopyStatistics();
            heap.ResetCacheStatistics();
            QueueFrame last = null;
            int lastNumber = -1;
            for (int n = 0; n < Frames; n++)
            {
                camera.BeginCapture(queue, -1);
                camera.EndCapture(-1);
                QueueFrame ready = queue.Acquire(0);
                Assert.IsTrue(camera.CapturedFrameNumber > lastNumber, "a new sensor frame");
                lastNumber = camera.CapturedFrameNumber;

                DmaFrame frame = new DmaFrame(ready.Buffer, Width, Height, PixelFormat.Rgb565BigEndian);
                frame.FillRectangle(0, 0, Width, 10, Overlay);
                frame.DrawText(1, 1, "F" + n.ToString(), 0xFFFFFF, 1);

                DmaMapping shown = toDisplay[ready.Index].Map(DmaDirection.ToDevice);
                DmaMapping sent = toPanel[ready.Index].Map(DmaDirection.ToDevice);
                DmaFence released = display.Present(shown);
                DmaFence done = panel.WriteRectangle(sent, 0, Width * 2, 0, 0, Width, Height);
                released.Wait(-1);
                done.Wait(-1);
                Assert.IsTrue(released.IsSignalled && done.IsSignalled, "both jobs ended");
                released.Dispose();
                done.Dispose();
                shown.Dispose();
                sent.Dispose();
                queue.Release(ready);
                last = ready;
            }

            DmaCpuCopyStatistics copies = heap.GetCpuCopyStatistics();
            DmaCacheStatistics cache = heap.GetCacheStatistics();
            Assert.AreEqual(0L, copies.BytesCopied, "bytes copied by the CPU");
            Assert.IsTrue(cache.LinesCleaned > 0, "lines cleaned for the display and the panel");
            Assert.IsTrue(cache.LinesInvalidated > 0, "lines invalidated for the camera");
            OutputHelper.WriteLine("pipeline: " + Frames.ToString() + " frames, " + copies.BytesCopied.ToString() +
                                   " bytes copied, " + cache.LinesCleaned.ToString() + " lines cleaned, " +
                                   cache.LinesInvalidated.ToString() + " invalidated");

            // The last frame: the overlay on its top rows, the sensor's picture below them.
            DmaFrame result = new DmaFrame(last.Buffer, Width, Height, PixelFormat.Rgb565BigEndian);
            Assert.AreEqual(OverlayRead, result.ReadPixel(Width - 1, 9), "overlay");
            AssertSensorPicture(result, lastNumber, 10);

            for (int i = 0; i < buffers.Length; i++)
            {
                toDisplay[i].Dispose();
                toPanel[i].Dispose();
            }

            camera.Dispose();
            display.Dispose();
            panel.Dispose();
            queue.Dispose();
            buffers[0].Dispose();
            buffers[1].Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        /// <summary>Every third pixel of rows from <paramref name="firstRow"/> on is the sensor's.</summary>
        private static void AssertSensorPicture(DmaFrame frame, int frameNumber, int firstRow)
        {
            for (int y = firstRow; y < Height; y += 3)
            {
                for (int x = 0; x < Width; x += 3)
                {
                    int expected = Widen(SensorPixel((uint)frameNumber, (uint)x, (uint)y));
                    int actual = frame.ReadPixel(x, y);
                    if (expected != actual)
                    {
                        Assert.AreEqual(expected, actual, "pixel (" + x.ToString() + ", " + y.ToString() + ")");
                    }
                }
            }
        }

        /// <summary>RGB565 as ReadPixel reports it: 0xRRGGBB, each channel's top bits repeated below.</summary>
        private static int Widen(int rgb565)
        {
            int r = (rgb565 >> 11) & 31, g = (rgb565 >> 5) & 63, b = rgb565 & 31;
            return (((r << 3) | (r >> 2)) << 16) | (((g << 2) | (g >> 4)) << 8) | ((b << 3) | (b >> 2));
        }

        private static uint Triangle(ulong phase)
        {
            uint p = (uint)(phase & 255);
            return p < 128 ? p * 2 : (255 - p) * 2;
        }

        private static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>
        /// The simulated sensor's RGB565 pixel (x, y) of frame <paramref name="frame"/>, written out
        /// again from the model's definition (native-interop/sim/camera.c): colour ramps, a bouncing
        /// ball with a dark rim, and a low-bit noise pattern.
        /// </summary>
        private static int SensorPixel(uint frame, uint x, uint y)
        {
            ulong width = Width, height = Height;
            ulong u = (ulong)x * 256 / width, v = (ulong)y * 256 / height;
            ulong phaseR = Scene & 255, phaseG = (Scene >> 8) & 255, phaseB = (Scene >> 16) & 255, phaseBall = (Scene >> 24) & 255;
            uint r = Triangle(u + 3UL * frame + phaseR) >> 3;
            uint g = Triangle(v + 2UL * frame + phaseG) >> 2;
            uint b = Triangle((u + v) / 2 + 5UL * frame + phaseB) >> 3;

            ulong radius = (width < height ? width : height) / 8 + 2;
            if (width <= 2 * radius || height <= 2 * radius)
            {
                return (int)(((r << 11) | (g << 5) | b) ^ (uint)(Mix(Scene ^ ((ulong)frame << 40) ^ ((ulong)y << 20) ^ x) & 0x0821));
            }

            long cx = (long)(radius + Triangle(7UL * frame + phaseBall) * (width - 2 * radius) / 254);
            long cy = (long)(radius + Triangle(5UL * frame + 3 * phaseBall + 64) * (height - 2 * radius) / 254);
            long dx = (long)x - cx, dy = (long)y - cy;
            ulong d2 = (ulong)(dx * dx + dy * dy);
            if (d2 <= radius * radius)
            {
                bool rim = d2 > (radius - 2) * (radius - 2);
                r = rim ? 2u : 31u;
                g = rim ? 4u : 40u + (uint)(d2 * 23 / (radius * radius));
                b = rim ? 2u : 6u;
            }

            ulong noise = Mix(Scene ^ ((ulong)frame << 40) ^ ((ulong)y << 20) ^ x);
            return (int)(((r << 11) | (g << 5) | b) ^ (uint)(noise & 0x0821));
        }
    }
}
