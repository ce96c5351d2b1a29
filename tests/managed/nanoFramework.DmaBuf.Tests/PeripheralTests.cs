using System;
using nanoFramework.DmaBuf;
using nanoFramework.DmaBuf.Simulation;
using Xunit;

namespace nanoFramework.DmaBuf.Tests
{
    /// <summary>
    /// Camera, ScanoutDisplay and SpiPanel on the simulated STM32F769I-DISCO: captured frames are
    /// the sensor's reference pictures, presented and written frames arrive on the simulated
    /// panels, a fence wait runs virtual time to the job's end, and a configuration a device
    /// cannot serve throws DmaConstraintException naming the constraint.
    /// </summary>
    public class PeripheralTests : HeapTest
    {
        private const int Width = 64;
        private const int Height = 32;
        private const int FrameBytes = Width * Height * 2;
        private const long Scene = 4242;

        private readonly SimulatedSoc _soc;

        public PeripheralTests()
        {
            _soc = SimulatedSoc.Open(Heap);
            _soc.SetCameraScene(Scene);
        }

        public override void Dispose()
        {
            _soc.Dispose();
            base.Dispose();
        }

        [Fact]
        public void Camera_CaptureFillsTheFrameWithTheSensorsPicture()
        {
            using Camera camera = Heap.OpenCamera("camera", Width, Height, PixelFormat.Rgb565BigEndian);
            Assert.Equal("dcmi", camera.Device.Name);
            Assert.Equal(FrameBytes, camera.FrameBytes);
            using DmaBuffer frame = Heap.Export(FrameBytes, "frame");
            using DmaAttachment attachment = frame.Attach(camera.Device);
            int frameNumber;
            long ended;
            using (DmaMapping mapping = attachment.Map(DmaDirection.FromDevice))
            using (DmaFence done = camera.Capture(mapping))
            {
                Assert.False(done.IsSignalled);
                Assert.Equal(0, _soc.Now);
                done.Wait(-1); // runs virtual time to the end of the frame, not a moment longer
                Assert.True(done.IsSignalled);
                Assert.True(_soc.Now > 0);
                frameNumber = camera.GetSequenceNumber(done);
                ended = camera.GetTimestampMicroseconds(done);
                Assert.Equal(FrameBytes / 30, ended - camera.GetStartMicroseconds(done)); // 30 bytes per us

            }

            Assert.Equal(_soc.Now / 1000, ended);
            Assert.Equal(Expected(frameNumber), ReadAll(frame));
        }

        [Fact]
        public void Camera_FillsTheFramesOfAQueueInSensorOrder()
        {
            DmaBuffer[] buffers = { Heap.Export(FrameBytes, "f0"), Heap.Export(FrameBytes, "f1") };
            try
            {
                using FrameQueue queue = new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty);
                using Camera camera = Heap.OpenCamera("camera", Width, Height, PixelFormat.Rgb565BigEndian);
                int previous = -1;
                for (int i = 0; i < 3; i++)
                {
                    QueueFrame filling = camera.BeginCapture(queue, 0);
                    Assert.NotNull(camera.PendingCapture);
                    Assert.Throws<InvalidOperationException>(() => camera.BeginCapture(queue, 0));
                    QueueFrame filled = camera.EndCapture(-1);
                    Assert.Same(filling, filled);
                    Assert.Null(camera.PendingCapture);
                    Assert.True(camera.CapturedFrameNumber > previous);
                    previous = camera.CapturedFrameNumber;

                    QueueFrame ready = queue.Acquire(0);
                    Assert.Same(filled, ready);
                    Assert.Equal(_soc.Now / 1000, ready.TimestampMicroseconds);
                    Assert.Equal(Expected(previous), ReadAll(ready.Buffer));
                    queue.Release(ready);
                }
            }
            finally
            {
                foreach (DmaBuffer buffer in buffers)
                {
                    buffer.Dispose();
                }
            }
        }

        [Fact]
        public void Camera_DisposedDuringAQueueCapture_LetsItFinishAndGivesTheFrameBack()
        {
            DmaBuffer[] buffers = { Heap.Export(FrameBytes, "f0") };
            try
            {
                using FrameQueue queue = new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty);
                Camera camera = Heap.OpenCamera("camera", Width, Height, PixelFormat.Rgb565BigEndian);
                QueueFrame filling = camera.BeginCapture(queue, 0);
                Assert.Equal(FrameState.Producing, filling.State);
                camera.Dispose(); // waits for the frame (virtual time runs), unmaps, detaches
                Assert.True(_soc.Now > 0);
                Assert.Equal(FrameState.Free, filling.State);
                Assert.Equal(0, queue.GetStatistics().Enqueued);
                Assert.Throws<ObjectDisposedException>(() => camera.BeginCapture(queue, 0));
            }
            finally
            {
                buffers[0].Dispose();
            }
        }

        [Fact]
        public void Camera_EndCaptureWhoseWaitCannotBlock_KeepsTheCaptureInProgress()
        {
            DmaBuffer[] buffers = { Heap.Export(FrameBytes, "f0") };
            try
            {
                using FrameQueue queue = new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty);
                using Camera camera = Heap.OpenCamera("camera", Width, Height, PixelFormat.Rgb565BigEndian);
                QueueFrame filling = camera.BeginCapture(queue, 0);
                FaultShim.Arm("dmabuf_host_fence_wait", DmaError.OutOfMemory);
                Assert.Throws<OutOfMemoryException>(() => camera.EndCapture(-1));
                Assert.True(FaultShim.Disarm());

                // The camera may still be writing the frame: it stays mapped and Producing, and
                // the next EndCapture finishes the capture.
                Assert.NotNull(camera.PendingCapture);
                Assert.Equal(FrameState.Producing, filling.State);
                Assert.Same(filling, camera.EndCapture(-1));
                Assert.Equal(FrameState.Ready, filling.State);
            }
            finally
            {
                buffers[0].Dispose();
            }
        }

        [Fact]
        public void Display_ShowsThePresentedFrameAfterItsFenceSignals()
        {
            using ScanoutDisplay display = Heap.OpenDisplay("display", Width, Height, PixelFormat.Rgb565BigEndian);
            Assert.Equal("ltdc", display.Device.Name);
            byte[] picture = Pattern(FrameBytes, 3);
            using DmaBuffer frame = Heap.Export(FrameBytes, "shown");
            WriteAll(frame, picture);
            using DmaAttachment attachment = frame.Attach(display.Device);
            byte[] panel = new byte[FrameBytes];
            using (DmaMapping mapping = attachment.Map(DmaDirection.ToDevice))
            using (DmaFence released = display.Present(mapping))
            {
                _soc.ReadGlass(display, panel);
                Assert.NotEqual(picture, panel); // not before the vsync
                released.Wait(-1);
                Assert.True(display.GetSequenceNumber(released) >= 0);
            }

            _soc.ReadGlass(display, panel);
            Assert.Equal(picture, panel);
        }

        [Fact]
        public void SpiPanel_WritesACropOfAWiderFrameIntoItsWindow()
        {
            using SpiPanel panel = Heap.OpenSpiPanel("spi-panel", PixelFormat.Rgb565BigEndian);
            Assert.Equal("dma2", panel.Device.Name);
            Assert.Equal(SimulatedSpiPanel.St7789RamWidth, panel.MaximumWidth);
            panel.Initialize(SpiPanel.LandscapeMemoryAccess, true);
            byte[] picture = Pattern(FrameBytes, 5);
            using DmaBuffer frame = Heap.Export(FrameBytes, "spi");
            WriteAll(frame, picture);
            using DmaAttachment attachment = frame.Attach(panel.Device);
            // A 10 x 4 crop at (7, 3) of the 64-pixel-wide frame, to the glass's top-left corner.
            int offset = (3 * Width + 7) * 2;
            using (DmaMapping mapping = attachment.Map(DmaDirection.ToDevice))
            using (DmaFence done = panel.WriteRectangle(mapping, offset, Width * 2, SimulatedSpiPanel.St7789GlassX, 0, 10, 4))
            {
                done.Wait(-1);
            }

            int glassRow = SimulatedSpiPanel.St7789GlassSize * 2;
            byte[] glass = new byte[glassRow * SimulatedSpiPanel.St7789GlassSize];
            _soc.ReadGlass(panel, glass);
            for (int row = 0; row < 4; row++)
            {
                Assert.Equal(picture.AsSpan(offset + row * Width * 2, 20).ToArray(), glass.AsSpan(row * glassRow, 20).ToArray());
            }

            Assert.Equal(new byte[glassRow - 20], glass.AsSpan(20, glassRow - 20).ToArray()); // right of the window: black
        }

        [Fact]
        public void SpiPanel_TakesPixelsOnlyOnceInitialised()
        {
            using SpiPanel panel = Heap.OpenSpiPanel("spi-panel", PixelFormat.Rgb565BigEndian);
            using DmaBuffer frame = Heap.Export(FrameBytes, "spi");
            WriteAll(frame, Pattern(FrameBytes, 9));
            using DmaAttachment attachment = frame.Attach(panel.Device);
            using DmaMapping mapping = attachment.Map(DmaDirection.ToDevice);

            // After power-on the controller sleeps with its display off.
            InvalidOperationException asleep = Assert.Throws<InvalidOperationException>(
                () => panel.WriteRectangle(mapping, 0, Width * 2, 0, 0, Width, Height));
            Assert.Contains("not permitted", asleep.Message);

            // Awake but still dark: no DISPON.
            foreach (int command in new[] { 0x01, 0x11 })
            {
                using DmaFence sent = panel.SendCommand(command, null);
                Assert.True(sent.IsSignalled);
            }

            panel.SendCommand(0x3A, new byte[] { 0x55 }).Dispose();
            panel.SendCommand(0x36, new byte[] { SpiPanel.LandscapeMemoryAccess }).Dispose();
            Assert.Throws<InvalidOperationException>(() => panel.WriteRectangle(mapping, 0, Width * 2, 0, 0, Width, Height));

            panel.Initialize(SpiPanel.LandscapeMemoryAccess, true);
            using (DmaFence done = panel.WriteRectangle(mapping, 0, Width * 2, 0, 0, Width, Height))
            {
                done.Wait(-1);
            }

            Assert.Throws<ArgumentOutOfRangeException>(() => panel.SendCommand(0x100, null));
            Assert.Throws<ArgumentException>(() => panel.SendCommand(0x2A, new byte[SpiPanel.MaximumCommandParameters + 1]));
        }

        [Fact]
        public void GetPeripheralFormats_ListsWhatEachDeviceTakes()
        {
            Assert.Equal(new[] { PixelFormat.Rgb565BigEndian }, Heap.GetPeripheralFormats("display"));
            Assert.Equal(new[] { PixelFormat.Rgb565BigEndian }, Heap.GetPeripheralFormats("spi-panel"));
            _soc.SetDisplayFormats(new[] { PixelFormat.Rgb565LittleEndian, PixelFormat.Rgb565BigEndian });
            Assert.Equal(new[] { PixelFormat.Rgb565LittleEndian, PixelFormat.Rgb565BigEndian }, Heap.GetPeripheralFormats("display"));
            Assert.Throws<ArgumentException>(() => Heap.GetPeripheralFormats("periscope"));
            Assert.Throws<ArgumentNullException>(() => Heap.GetPeripheralFormats(null));
            Assert.Throws<ArgumentException>(() => _soc.SetDisplayFormats(new[] { PixelFormat.Rgb888 }));
            Assert.Equal(new[] { PixelFormat.Rgb565BigEndian }, Heap.GetPeripheralFormats("camera"));
            _soc.SetCameraFormats(new[] { PixelFormat.Rgb565LittleEndian });
            Assert.Equal(new[] { PixelFormat.Rgb565LittleEndian }, Heap.GetPeripheralFormats("camera"));
            Assert.Throws<ArgumentException>(() => _soc.SetCameraFormats(new[] { PixelFormat.Yuyv }));
            Assert.Throws<ArgumentNullException>(() => _soc.SetCameraFormats(null));
        }

        [Fact]
        public void GetPeripheralFrameSize_GivesEachDevicesLargestFrame_AnyUpToItOnTheSimulatedBoard()
        {
            // The simulated camera serves any size up to its models' largest; the panel's is its GRAM.
            Assert.False(Heap.GetPeripheralFrameSize("camera", out int width, out int height));
            Assert.Equal(4096, width);
            Assert.Equal(4096, height);
            Assert.False(Heap.GetPeripheralFrameSize("spi-panel", out width, out height));
            Assert.Equal(320, width);
            Assert.Equal(240, height);
            Assert.Throws<ArgumentException>(() => Heap.GetPeripheralFrameSize("periscope", out width, out height));
            Assert.Throws<ArgumentNullException>(() => Heap.GetPeripheralFrameSize(null, out width, out height));
            Heap.Dispose();
            Assert.Throws<ObjectDisposedException>(() => Heap.GetPeripheralFrameSize("camera", out width, out height));
        }

        [Fact]
        public void GetPeripheralFrameSize_OfACameraOfOneSize_SaysSo_AndAnotherSizeIsRefused()
        {
            // What an ESP32 camera controller states (its size is fixed when the board creates it).
            _soc.SetCameraFixedSize(Width * 2, Height * 2);
            Assert.True(Heap.GetPeripheralFrameSize("camera", out int width, out int height));
            Assert.Equal(Width * 2, width);
            Assert.Equal(Height * 2, height);
            Assert.Throws<DmaConstraintException>(() => Heap.OpenCamera("camera", Width, Height, PixelFormat.Rgb565BigEndian));
            using (Camera camera = Heap.OpenCamera("camera", width, height, PixelFormat.Rgb565BigEndian))
            {
                Assert.Equal(width * height * 2, camera.FrameBytes);
                Assert.Throws<InvalidOperationException>(() => _soc.SetCameraFixedSize(Width, Height));
            }

            Assert.Throws<ArgumentException>(() => _soc.SetCameraFixedSize(0, Height));
        }

        [Fact]
        public void FirmwareBoard_IsNullOnTheHost_WhichSimulatesEveryBoard()
        {
            Assert.Null(DmaHeap.FirmwareBoard);
        }

        [Fact]
        public void Display_TakingLowByteFirst_ShowsALowByteFirstFrameTheRightWayRound()
        {
            _soc.SetDisplayFormats(new[] { PixelFormat.Rgb565LittleEndian });
            Assert.Throws<DmaConstraintException>(() => Heap.OpenDisplay("display", Width, Height, PixelFormat.Rgb565BigEndian));
            using ScanoutDisplay display = Heap.OpenDisplay("display", Width, Height, PixelFormat.Rgb565LittleEndian);
            byte[] picture = Pattern(FrameBytes, 3);
            using DmaBuffer frame = Heap.Export(FrameBytes, "le");
            WriteAll(frame, picture);
            using DmaAttachment attachment = frame.Attach(display.Device);
            using (DmaMapping mapping = attachment.Map(DmaDirection.ToDevice))
            using (DmaFence released = display.Present(mapping))
            {
                released.Wait(-1);
            }

            byte[] shown = new byte[FrameBytes];
            _soc.ReadGlass(display, shown);
            for (int i = 0; i < FrameBytes; i += 2)
            {
                Assert.Equal(picture[i + 1], shown[i]);
                Assert.Equal(picture[i], shown[i + 1]);
            }
        }

        [Fact]
        public void Configurations_TheDeviceCannotServe_ThrowDmaConstraintExceptionNamingTheConstraint()
        {
            DmaConstraintException format = Assert.Throws<DmaConstraintException>(
                () => Heap.OpenCamera("camera", Width, Height, PixelFormat.Gray8));
            Assert.Contains("format", format.Message);
            Assert.Contains("GRAY8", format.Message);
            DmaConstraintException width = Assert.Throws<DmaConstraintException>(
                () => Heap.OpenDisplay("display", 5000, Height, PixelFormat.Rgb565BigEndian));
            Assert.Contains("width", width.Message);
            Assert.Throws<DmaConstraintException>(() => Heap.OpenSpiPanel("spi-panel", PixelFormat.Yuyv));
            Assert.Throws<ArgumentException>(() => Heap.OpenCamera("periscope", Width, Height, PixelFormat.Rgb565BigEndian));
            Assert.Throws<ArgumentException>(() => Heap.OpenCamera("display", Width, Height, PixelFormat.Rgb565BigEndian));

            // The display's panel is larger than the frame it is given.
            using ScanoutDisplay display = Heap.OpenDisplay("display", Width, Height, PixelFormat.Rgb565BigEndian);
            using DmaBuffer small = Heap.Export(FrameBytes / 2, "small");
            using DmaAttachment attachment = small.Attach(display.Device);
            using DmaMapping mapping = attachment.Map(DmaDirection.ToDevice);
            DmaConstraintException frame = Assert.Throws<DmaConstraintException>(() => display.Present(mapping));
            Assert.Contains("frame", frame.Message);

            // The SPI rectangle runs past the frame; a window outside GRAM is out of range.
            using SpiPanel panel = Heap.OpenSpiPanel("spi-panel", PixelFormat.Rgb565BigEndian);
            panel.Initialize(SpiPanel.LandscapeMemoryAccess, true);
            using DmaAttachment spi = small.Attach(panel.Device);
            using DmaMapping spiMapping = spi.Map(DmaDirection.ToDevice);
            Assert.Throws<DmaConstraintException>(() => panel.WriteRectangle(spiMapping, 0, Width * 2, 0, 0, Width, Height));
            Assert.Throws<ArgumentOutOfRangeException>(() => panel.WriteRectangle(spiMapping, 0, 40, 310, 0, 20, 1));
            Assert.Throws<ArgumentException>(() => panel.WriteRectangle(spiMapping, 0, 2, 0, 0, 20, 1)); // stride < row
        }

        [Fact]
        public void Camera_RefusesAMappingItCannotWrite_AndThrowsAfterDispose()
        {
            Camera camera = Heap.OpenCamera("camera", Width, Height, PixelFormat.Rgb565BigEndian);
            using DmaBuffer frame = Heap.Export(FrameBytes, "frame");
            using DmaAttachment attachment = frame.Attach(camera.Device);
            using (DmaMapping toDevice = attachment.Map(DmaDirection.ToDevice))
            {
                Assert.Throws<ArgumentException>(() => camera.Capture(toDevice));
            }

            // Another frame size while the camera model lives: refused.
            Assert.Throws<InvalidOperationException>(() => Heap.OpenCamera("camera", Width * 2, Height, PixelFormat.Rgb565BigEndian));
            camera.Dispose();
            camera.Dispose();
            Assert.True(camera.IsDisposed);
            using DmaMapping fromDevice = attachment.Map(DmaDirection.FromDevice);
            Assert.Throws<ObjectDisposedException>(() => camera.Capture(fromDevice));
        }

        [Fact]
        public void AFiniteWaitOnAPeripheralFence_TimesOutInVirtualTime()
        {
            using Camera camera = Heap.OpenCamera("camera", Width, Height, PixelFormat.Rgb565BigEndian);
            using DmaBuffer frame = Heap.Export(FrameBytes, "frame");
            using DmaAttachment attachment = frame.Attach(camera.Device);
            using DmaMapping mapping = attachment.Map(DmaDirection.FromDevice);
            // Queued just after frame 0 started: the capture gets frame 1, at 33.3 ms.
            _soc.RunUntil(1000);
            using DmaFence done = camera.Capture(mapping);
            Assert.Throws<TimeoutException>(() => done.Wait(1)); // 1 ms of virtual time
            Assert.Equal(1001000, _soc.Now);
            Assert.False(done.IsSignalled);
            done.Wait(100);
            Assert.True(done.IsSignalled);
        }

        private static byte[] Expected(int frame)
        {
            byte[] expected = new byte[FrameBytes];
            SimulatedCamera.RenderFrame(Width, Height, Scene, frame, expected);
            return expected;
        }

        private static byte[] ReadAll(DmaBuffer buffer)
        {
            byte[] bytes = new byte[buffer.Size];
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.FromDevice);
            cpu.Read(0, bytes);
            return bytes;
        }

        private static void WriteAll(DmaBuffer buffer, byte[] bytes)
        {
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            cpu.Write(0, bytes);
        }
    }
}
