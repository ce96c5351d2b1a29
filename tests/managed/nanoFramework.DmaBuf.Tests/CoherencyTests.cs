using System;
using nanoFramework.DmaBuf;
using Xunit;

namespace nanoFramework.DmaBuf.Tests
{
    /// <summary>
    /// The managed hand-overs against the simulated write-back cache: what the CPU writes reaches
    /// the bus only through the end of a writing access, what a device writes reaches the CPU only
    /// through the beginning of a reading access.
    /// </summary>
    public class CoherencyTests : HeapTest
    {
        [Fact]
        public void CpuWrite_ReachesTheDeviceOnlyAfterEndCpuAccess()
        {
            using DmaBuffer buffer = Heap.Export(512, "tx");
            using DmaAttachment spi = buffer.Attach(Heap.GetDevice("dma2"));
            byte[] frame = Pattern(512, 21);
            CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            cpu.Write(0, frame);
            Assert.NotEqual(frame, BusRead(buffer.DmaAddress, 512)); // still in the CPU cache
            cpu.Dispose();

            using DmaMapping mapping = spi.Map(DmaDirection.ToDevice);
            Assert.Equal(frame, BusRead(mapping.DmaAddress, 512));
        }

        [Fact]
        public void DeviceWrite_ReachesTheCpuThroughTheNextAccess()
        {
            using DmaBuffer buffer = Heap.Export(512, "rx");
            using DmaAttachment camera = buffer.Attach(Heap.GetDevice("dcmi"));
            byte[] old = Pattern(512, 1);
            byte[] fresh = Pattern(512, 2);
            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice))
            {
                cpu.Write(0, old);
            }

            using (DmaMapping mapping = camera.Map(DmaDirection.FromDevice))
            {
                BusWrite(mapping.DmaAddress, fresh);
            }

            byte[] seen = new byte[512];
            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.FromDevice))
            {
                cpu.Read(0, seen);
            }

            Assert.Equal(fresh, seen);
        }

        [Fact]
        public void OverlayDrawnIntoADeviceFrame_KeepsTheDeviceBytesAroundIt()
        {
            // A writing access after a device wrote must invalidate too: the overlay dirties
            // whole lines, and their clean would otherwise write stale bytes around it.
            using DmaBuffer buffer = Heap.Export(512, "frame");
            using DmaAttachment camera = buffer.Attach(Heap.GetDevice("dcmi"));
            using DmaAttachment display = buffer.Attach(Heap.GetDevice("ltdc"));
            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice))
            {
                cpu.Write(0, Pattern(512, 1));
            }

            byte[] image = Pattern(512, 2);
            using (DmaMapping mapping = camera.Map(DmaDirection.FromDevice))
            {
                BusWrite(mapping.DmaAddress, image);
            }

            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice, 100, 8))
            {
                cpu.Fill(0xFF);
            }

            using DmaMapping scanout = display.Map(DmaDirection.ToDevice);
            byte[] expected = (byte[])image.Clone();
            Array.Fill(expected, (byte)0xFF, 100, 8);
            Assert.Equal(expected, BusRead(scanout.DmaAddress, 512));
        }

        [Fact]
        public void SubRangeAccess_HandsOverOnlyItsLines()
        {
            using DmaBuffer buffer = Heap.Export(1024, "part");
            using DmaAttachment spi = buffer.Attach(Heap.GetDevice("dma2"));
            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice))
            {
                cpu.Fill(0);
            }

            Heap.ResetCacheStatistics();
            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice, 40, 100))
            {
                cpu.Fill(0xEE);
            }

            // Bytes 40..139 touch lines 1..4 (32-byte lines).
            Assert.Equal(4, Heap.GetCacheStatistics().LinesCleaned);
            using DmaMapping mapping = spi.Map(DmaDirection.ToDevice);
            byte[] bus = BusRead(mapping.DmaAddress, 1024);
            for (int i = 0; i < 1024; i++)
            {
                Assert.Equal(i >= 40 && i < 140 ? 0xEE : 0, bus[i]);
            }
        }

        [Fact]
        public void CacheState_FollowsEachHandOver()
        {
            using DmaBuffer buffer = Heap.Export(512, "state");
            Assert.Equal(DmaCacheState.MayBeDirty, buffer.CacheState); // fresh storage
            using DmaAttachment camera = buffer.Attach(Heap.GetDevice("dcmi"));
            using (camera.Map(DmaDirection.FromDevice))
            {
            }

            Assert.Equal(DmaCacheState.MayBeStale, buffer.CacheState);
            using (buffer.BeginCpuAccess(DmaDirection.FromDevice))
            {
            }

            Assert.Equal(DmaCacheState.None, buffer.CacheState);
            using DmaBuffer uncached = Heap.Export(512, "sdram", DmaBufferFlags.PreferUncached);
            Assert.Equal(DmaCacheState.None, uncached.CacheState);
            buffer.Dispose();
            Assert.Throws<ObjectDisposedException>(() => buffer.CacheState);
        }

        [Fact]
        public void CameraToDisplay_PassesTheFrameWithoutTheCpu()
        {
            using DmaBuffer frame = Heap.Export(2048, "frame");
            using DmaAttachment camera = frame.Attach(Heap.GetDevice("dcmi"));
            using DmaAttachment display = frame.Attach(Heap.GetDevice("ltdc"));
            byte[] image = Pattern(2048, 77);
            Heap.ResetCacheStatistics();
            using (DmaMapping write = camera.Map(DmaDirection.FromDevice))
            {
                BusWrite(write.DmaAddress, image);
            }

            Assert.Equal(0, HostNative.SimulatorEvictAll(Heap.NativeId));
            using (DmaMapping read = display.Map(DmaDirection.ToDevice))
            {
                Assert.Equal(image, BusRead(read.DmaAddress, 2048));
            }

            DmaCacheStatistics stats = Heap.GetCacheStatistics();
            Assert.Equal(0, stats.LinesCleaned);
        }
    }

    public class ErrorMappingTests
    {
        [Theory]
        [InlineData(-1, typeof(InvalidOperationException))]
        [InlineData(-2, typeof(ArgumentException))]
        [InlineData(-5, typeof(System.IO.IOException))]
        [InlineData(-9, typeof(ObjectDisposedException))]
        [InlineData(-12, typeof(OutOfMemoryException))]
        [InlineData(-14, typeof(DmaConstraintException))]
        [InlineData(-16, typeof(InvalidOperationException))]
        [InlineData(-17, typeof(InvalidOperationException))]
        [InlineData(-22, typeof(ArgumentException))]
        [InlineData(-34, typeof(ArgumentOutOfRangeException))]
        [InlineData(-95, typeof(NotSupportedException))]
        [InlineData(-110, typeof(TimeoutException))]
        [InlineData(-1000, typeof(InvalidOperationException))]
        public void EachNativeError_BecomesItsDocumentedException(int error, Type expected)
        {
            Exception e = ThrowHelper.Create(error, "DmaBuffer");
            Assert.Equal(expected, e.GetType());
            if (!(e is ObjectDisposedException))
            {
                Assert.Contains("(error " + error + ")", e.Message);
            }
        }

        [Fact]
        public void Throw_ThrowsTheMappedException()
        {
            Assert.Throws<TimeoutException>(() => ThrowHelper.Throw(-110, "DmaFence"));
        }

        [Fact]
        public void ManagedEnums_MatchTheNativeValues()
        {
            // enum dmabuf_direction and DMABUF_EXPORT_* in native-interop/include/dmabuf/dmabuf.h.
            Assert.Equal(1, (int)DmaDirection.ToDevice);
            Assert.Equal(2, (int)DmaDirection.FromDevice);
            Assert.Equal(3, (int)DmaDirection.Bidirectional);
            Assert.Equal(0, (int)DmaBufferFlags.None);
            Assert.Equal(1, (int)DmaBufferFlags.PreferUncached);
            Assert.Equal(2, (int)DmaBufferFlags.DeferPlacement);
        }
    }
}
