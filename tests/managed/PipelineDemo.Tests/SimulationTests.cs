using System;
using nanoFramework.DmaBuf.Simulation;
using Xunit;

namespace nanoFramework.DmaBuf.PipelineDemo.Tests
{
    /// <summary>
    /// The managed face of the simulated peripherals, through the real DmaBuf API: a capture lands
    /// in the buffer the CPU then reads, a presentation reaches the panel at vsync, waits run
    /// virtual time to the completion, and misuse is refused without side effects.
    /// </summary>
    public sealed class SimulationTests : IDisposable
    {
        private const int Width = 32;
        private const int Height = 16;
        private const int Bytes = Width * Height * 2;
        private const long Period = 1000000; // 1 ms frames

        private readonly DmaHeap _heap = DmaHeap.Open("esp32p4");
        private readonly SimulatedSoc _soc;
        private readonly DmaBuffer _buffer;

        public SimulationTests()
        {
            _soc = SimulatedSoc.Open(_heap);
            _buffer = _heap.Export(Bytes, "frame");
        }

        public void Dispose()
        {
            _soc.Dispose();
            _buffer.Dispose();
            _heap.Dispose();
        }

        [Fact]
        public void CaptureLandsInTheBufferAtTheNextFrameStartAndTheCpuReadsIt()
        {
            SimulatedCamera camera = new SimulatedCamera(_soc, Width, Height, 3, Period, 100);
            DmaAttachment attachment = _buffer.Attach(_heap.GetDevice("mipi-csi"));
            _soc.RunUntil(Period / 2);
            DmaMapping mapping = attachment.Map(DmaDirection.FromDevice);
            using (PeripheralRequest capture = camera.Capture(mapping))
            {
                Assert.False(capture.IsComplete);
                Assert.True(_soc.Wait(capture, -1));
                Assert.Equal(1, capture.Sequence);                      // frame 1 started after the queueing
                Assert.Equal(Period, capture.StartNanoseconds);
                Assert.Equal(Period + Bytes * 10, capture.EndNanoseconds); // 100 bytes per us
                Assert.Equal(capture.EndNanoseconds, _soc.Now);          // the wait stopped there
            }

            mapping.Dispose();
            byte[] expected = new byte[Bytes];
            SimulatedCamera.RenderFrame(Width, Height, 3, 1, expected);
            using (CpuAccess access = _buffer.BeginCpuAccess(DmaDirection.FromDevice))
            {
                Assert.True(access.ReadOnlySpan.SequenceEqual(expected));
            }
        }

        [Fact]
        public void PresentedFrameReachesThePanelAtVsync()
        {
            SimulatedDisplay display = new SimulatedDisplay(_soc, Width, Height, Period, 200);
            DmaAttachment attachment = _buffer.Attach(_heap.GetDevice("mipi-dsi"));
            byte[] picture = new byte[Bytes];
            new Random(5).NextBytes(picture);
            using (CpuAccess access = _buffer.BeginCpuAccess(DmaDirection.ToDevice))
            {
                access.Write(0, picture);
            }

            byte[] panel = new byte[Bytes];
            _soc.RunUntil(10);
            using (DmaMapping mapping = attachment.Map(DmaDirection.ToDevice))
            using (PeripheralRequest scanout = display.Present(mapping))
            {
                Assert.Throws<InvalidOperationException>(() => display.Present(mapping)); // one waits for vsync
                _soc.RunUntil(Period - 1);
                display.ReadPanel(panel);
                Assert.All(panel, b => Assert.Equal(0, b));                          // black until vsync 1
                Assert.True(_soc.Wait(scanout, -1));
                Assert.Equal(1, scanout.Sequence);
            }

            display.ReadPanel(panel);
            Assert.Equal(picture, panel);
            Assert.Equal(1, display.GetStatistics().Scanouts);
        }

        [Fact]
        public void SpiPanelShowsTheWindowOnItsGlass()
        {
            SimulatedSpiPanel panel = new SimulatedSpiPanel(_soc, 40, 20, 4, 2, Width, Height, 10);
            DmaAttachment attachment = _buffer.Attach(_heap.GetDevice("spi2"));
            byte[] picture = new byte[Bytes];
            new Random(6).NextBytes(picture);
            using (CpuAccess access = _buffer.BeginCpuAccess(DmaDirection.ToDevice))
            {
                access.Write(0, picture);
            }

            using (DmaMapping mapping = attachment.Map(DmaDirection.ToDevice))
            {
                Assert.Equal(4092, mapping.SegmentSize); // GDMA descriptors, word-aligned
                Assert.Equal(1, mapping.SegmentCount);   // one holds the frame
                Assert.Equal(Bytes, mapping.GetSegmentLength(0));
                using (PeripheralRequest transfer = panel.Write(mapping, 0, Width * 2, 4, 2, Width, Height))
                {
                    Assert.True(_soc.Wait(transfer, -1));
                    Assert.Equal(Bytes * 100L, transfer.EndNanoseconds - transfer.StartNanoseconds); // 10 bytes per us
                }
            }

            byte[] glass = new byte[panel.GlassBytes];
            panel.ReadGlass(glass);
            Assert.Equal(picture, glass);
            Assert.Equal(1, panel.GetStatistics().DmaJobs);
        }

        [Fact]
        public void WaitReturnsMinusOneWhenNothingCanFinishAndRefusesNothingToWaitFor()
        {
            SimulatedCamera camera = new SimulatedCamera(_soc, Width, Height, 3, Period, 100);
            DmaAttachment attachment = _buffer.Attach(_heap.GetDevice("mipi-csi"));
            using (DmaMapping mapping = attachment.Map(DmaDirection.FromDevice))
            using (PeripheralRequest capture = camera.Capture(mapping))
            {
                Assert.Equal(-1, _soc.WaitAny(new[] { capture }, 100));   // not within 100 ns
                Assert.Equal(100, _soc.Now);
                Assert.Equal(1, _soc.WaitAny(new[] { null, capture }, -1)); // indexes count the null entries
                Assert.True(capture.IsComplete);
                Assert.Throws<ArgumentException>(() => _soc.WaitAny(new PeripheralRequest[] { null }, -1));
            }
        }

        [Fact]
        public void PeripheralsRefuseMappingsInTheWrongDirection()
        {
            SimulatedCamera camera = new SimulatedCamera(_soc, Width, Height, 3, Period, 100);
            SimulatedDisplay display = new SimulatedDisplay(_soc, Width, Height, Period, 100);
            DmaAttachment attachment = _buffer.Attach(_heap.GetDevice("mipi-csi"));
            using (DmaMapping toDevice = attachment.Map(DmaDirection.ToDevice))
            {
                Assert.Throws<ArgumentException>(() => camera.Capture(toDevice));
            }

            using (DmaMapping fromDevice = attachment.Map(DmaDirection.FromDevice))
            {
                Assert.Throws<ArgumentException>(() => display.Present(fromDevice));
            }

            Assert.Equal(0, camera.GetStatistics().Queued);
            Assert.Throws<ArgumentException>(() => new SimulatedCamera(_soc, 0, Height, 3, Period, 100));
        }

        [Fact]
        public void DroppedCacheOperationsAreCountedAndLeaveTheCpuWithStaleBytes()
        {
            // l2mem is cached on the ESP32-P4: with the hand-overs dropped, the CPU keeps seeing
            // what its cache held before the camera wrote.
            SimulatedCamera camera = new SimulatedCamera(_soc, Width, Height, 3, Period, 100);
            DmaAttachment attachment = _buffer.Attach(_heap.GetDevice("mipi-csi"));
            byte[] before;
            using (CpuAccess access = _buffer.BeginCpuAccess(DmaDirection.FromDevice))
            {
                before = access.ReadOnlySpan.ToArray();
            }

            _soc.CacheOperationsDropped = true;
            using (DmaMapping mapping = attachment.Map(DmaDirection.FromDevice))
            using (PeripheralRequest capture = camera.Capture(mapping))
            {
                Assert.True(_soc.Wait(capture, -1));
            }

            using (CpuAccess access = _buffer.BeginCpuAccess(DmaDirection.FromDevice))
            {
                Assert.True(access.ReadOnlySpan.SequenceEqual(before));
            }

            Assert.True(_soc.GetCacheCounters().Dropped > 0);
            Assert.Equal(0, _soc.GetCacheCounters().Violations);
        }

        [Fact]
        public void CacheModelTimeGrowsOnlyInsideCacheOperationsOnTheThreadClock()
        {
            // The backend's model time is thread CPU time spent inside its calls: a hand-over that
            // makes cache operations adds some, bounded by the thread CPU time around it; CPU work
            // that calls no cache operation adds none.
            long idle = _soc.GetCacheCounters().ModelNanoseconds;
            long spin = SimulatedSoc.ThreadCpuNanoseconds();
            while (SimulatedSoc.ThreadCpuNanoseconds() - spin < 1000000)
            {
            }

            Assert.Equal(idle, _soc.GetCacheCounters().ModelNanoseconds);

            SimulatedCacheCounters before = _soc.GetCacheCounters();
            long start = SimulatedSoc.ThreadCpuNanoseconds();
            using (CpuAccess access = _buffer.BeginCpuAccess(DmaDirection.Bidirectional))
            {
                access.Span.Fill(0x5A);
            }

            long elapsed = SimulatedSoc.ThreadCpuNanoseconds() - start;
            SimulatedCacheCounters after = _soc.GetCacheCounters();
            Assert.True(after.LinesCleaned > before.LinesCleaned, "the CPU's writes were not cleaned");
            long modelled = after.ModelNanoseconds - before.ModelNanoseconds;
            Assert.InRange(modelled, 1, elapsed);
        }

        [Fact]
        public void DisposedRequestsAndSocThrow()
        {
            SimulatedCamera camera = new SimulatedCamera(_soc, Width, Height, 3, Period, 100);
            DmaAttachment attachment = _buffer.Attach(_heap.GetDevice("mipi-csi"));
            DmaMapping mapping = attachment.Map(DmaDirection.FromDevice);
            PeripheralRequest capture = camera.Capture(mapping);
            capture.Dispose();
            capture.Dispose();
            Assert.Throws<ObjectDisposedException>(() => capture.IsComplete);

            _soc.Dispose(); // lets the capture finish first
            Assert.Throws<ObjectDisposedException>(() => _soc.Now);
            Assert.Throws<ObjectDisposedException>(() => camera.Capture(mapping));
            mapping.Dispose();
        }
    }
}
