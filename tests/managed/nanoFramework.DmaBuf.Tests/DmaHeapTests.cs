using System;
using System.Runtime.CompilerServices;
using nanoFramework.DmaBuf;
using Xunit;

namespace nanoFramework.DmaBuf.Tests
{
    public class DmaHeapTests : HeapTest
    {
        [Fact]
        public void Open_KnownBoard_ReportsItsRegionsAsCapacity()
        {
            // SRAM1 368 KB + SRAM2 16 KB + SDRAM 16 MB (boards/stm32f769i_disco.c).
            Assert.Equal(368 * 1024 + 16 * 1024 + 16 * 1024 * 1024, Heap.GetStatistics().Capacity);
            Assert.Equal(Stm32, Heap.Board);
            Assert.False(Heap.IsDisposed);
        }

        [Fact]
        public void Open_NullBoard_ThrowsArgumentNull()
        {
            int before = HostNative.LiveHeaps();
            Assert.Equal("board", Assert.Throws<ArgumentNullException>(() => DmaHeap.Open(null)).ParamName);
            Assert.Equal(before, HostNative.LiveHeaps());
        }

        [Fact]
        public void Open_UnknownBoard_ThrowsArgumentAndOpensNothing()
        {
            int before = HostNative.LiveHeaps();
            ArgumentException e = Assert.Throws<ArgumentException>(() => DmaHeap.Open("no-such-board"));
            Assert.Contains("board", e.Message);
            Assert.Equal(before, HostNative.LiveHeaps());
        }

        [Fact]
        public void Open_TwoHeaps_AreIndependent()
        {
            using DmaHeap other = DmaHeap.Open("qemu-mps2-an500");
            using DmaBuffer buffer = other.Export(64, "other");
            Assert.Equal(0, Heap.GetStatistics().LiveBuffers);
            Assert.Equal(1, other.GetStatistics().LiveBuffers);
        }

        [Fact]
        public void Export_PlacesLineAlignedPaddedBlock()
        {
            using DmaBuffer buffer = Heap.Export(100, "frame");
            Assert.Equal(100, buffer.Size);
            Assert.Equal("frame", buffer.Name);
            Assert.Same(Heap, buffer.Heap);
            Assert.Equal(0u, buffer.DmaAddress % 32u);
            DmaHeapStatistics stats = Heap.GetStatistics();
            Assert.Equal(128, stats.InUse);
            Assert.Equal(1, stats.LiveBuffers);
        }

        [Fact]
        public void Export_LongName_IsTruncatedTo15Characters()
        {
            using DmaBuffer buffer = Heap.Export(32, "a-very-long-buffer-name");
            Assert.Equal("a-very-long-buf", buffer.Name);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(int.MinValue)]
        public void Export_NonPositiveSize_ThrowsArgumentOutOfRange(int size)
        {
            Assert.Equal("size", AssertRefused<ArgumentOutOfRangeException>(() => Heap.Export(size, "x")).ParamName);
        }

        [Fact]
        public void Export_NullName_ThrowsArgumentNull()
        {
            Assert.Equal("name", AssertRefused<ArgumentNullException>(() => Heap.Export(32, null)).ParamName);
        }

        [Fact]
        public void Export_UndefinedFlags_ThrowsArgument()
        {
            Assert.Equal("flags", AssertRefused<ArgumentException>(() => Heap.Export(32, "x", (DmaBufferFlags)0x4)).ParamName);
        }

        [Fact]
        public void Export_HugeSize_ThrowsOutOfMemoryAndCountsTheFailure()
        {
            long failedBefore = Heap.GetStatistics().FailedAllocations;
            Assert.Throws<OutOfMemoryException>(() => Heap.Export(int.MaxValue, "huge"));
            DmaHeapStatistics stats = Heap.GetStatistics();
            Assert.Equal(failedBefore + 1, stats.FailedAllocations);
            Assert.Equal(0, stats.LiveBuffers);
            Assert.Equal(0, stats.InUse);
        }

        [Fact]
        public void Export_AllSlotsTaken_ThrowsOutOfMemory()
        {
            DmaBuffer[] buffers = new DmaBuffer[64];
            try
            {
                for (int i = 0; i < buffers.Length; i++)
                {
                    buffers[i] = Heap.Export(32, "slot" + i);
                }

                AssertRefused<OutOfMemoryException>(() => Heap.Export(32, "one-more"));
            }
            finally
            {
                foreach (DmaBuffer buffer in buffers)
                {
                    buffer?.Dispose();
                }
            }
        }

        [Fact]
        public void Export_PreferUncached_LandsInTheUncachedRegion()
        {
            using DmaBuffer buffer = Heap.Export(64, "ctrl", DmaBufferFlags.PreferUncached);
            Assert.Equal(2, buffer.Region); // SDRAM: the nf firmware maps it non-cacheable
            Assert.InRange(buffer.DmaAddress, 0xC0000000u, 0xC0FFFFFFu);
        }

        [Fact]
        public void Export_DeferPlacement_LeavesStorageUnplacedUntilFirstMap()
        {
            using DmaBuffer buffer = Heap.Export(4096, "deferred", DmaBufferFlags.DeferPlacement);
            Assert.Equal(-1, buffer.Region);
            Assert.Equal(0u, buffer.DmaAddress);
            using DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dma2"));
            using (DmaMapping mapping = attachment.Map(DmaDirection.ToDevice))
            {
                Assert.NotEqual(-1, buffer.Region);
                Assert.Equal(buffer.DmaAddress, mapping.DmaAddress);
            }
        }

        [Fact]
        public void Export_AfterDispose_ThrowsObjectDisposed()
        {
            Heap.Dispose();
            Assert.Throws<ObjectDisposedException>(() => Heap.Export(32, "late"));
        }

        [Fact]
        public void GetDevice_KnownName_ReturnsItsIndex()
        {
            DmaDevice ltdc = Heap.GetDevice("ltdc");
            Assert.Equal("ltdc", ltdc.Name);
            Assert.Equal(2, ltdc.Index);
            Assert.Same(Heap, ltdc.Heap);
        }

        [Fact]
        public void GetDevice_UnknownName_ThrowsArgument()
        {
            AssertRefused<ArgumentException>(() => Heap.GetDevice("no-such-device"));
        }

        [Fact]
        public void GetDevice_NullName_ThrowsArgumentNull()
        {
            Assert.Equal("name", AssertRefused<ArgumentNullException>(() => Heap.GetDevice(null)).ParamName);
        }

        [Fact]
        public void GetDevice_AfterDispose_ThrowsObjectDisposed()
        {
            Heap.Dispose();
            Assert.Throws<ObjectDisposedException>(() => Heap.GetDevice("dma2"));
        }

        [Fact]
        public void GetStatistics_TracksUsePeakAndLiveObjects()
        {
            DmaHeapStatistics empty = Heap.GetStatistics();
            Assert.Equal(0, empty.InUse);
            Assert.Equal(0, empty.LiveBuffers);
            Assert.Equal(0, empty.LiveAttachments);
            Assert.Equal(16 * 1024 * 1024, empty.LargestFree);

            DmaBuffer a = Heap.Export(1000, "a");
            DmaBuffer b = Heap.Export(64, "b");
            DmaAttachment attachment = a.Attach(Heap.GetDevice("dma2"));
            DmaHeapStatistics busy = Heap.GetStatistics();
            Assert.Equal(1024 + 64, busy.InUse);
            Assert.Equal(2, busy.LiveBuffers);
            Assert.Equal(1, busy.LiveAttachments);

            attachment.Dispose();
            a.Dispose();
            b.Dispose();
            DmaHeapStatistics after = Heap.GetStatistics();
            Assert.Equal(0, after.InUse);
            Assert.Equal(1024 + 64, after.Peak);
            Assert.Equal(0, after.LiveBuffers);
            Assert.Equal(0, after.LiveAttachments);
            Assert.Equal(0, after.FailedAllocations);
        }

        [Fact]
        public void GetStatistics_AfterDispose_ThrowsObjectDisposed()
        {
            Heap.Dispose();
            Assert.Throws<ObjectDisposedException>(() => Heap.GetStatistics());
        }

        [Fact]
        public void CacheStatistics_CpuWriteUpToTheThreshold_CleansEveryLine()
        {
            // 139 KiB in cacheable SRAM1 with 32-byte lines: exactly the board's whole-cache
            // threshold (docs/CACHE-RULES.md derives it), still a line loop.
            using DmaBuffer frame = Heap.Export(139 * 1024, "frame");
            using DmaAttachment display = frame.Attach(Heap.GetDevice("ltdc"));
            Heap.ResetCacheStatistics();
            using (CpuAccess cpu = frame.BeginCpuAccess(DmaDirection.ToDevice))
            {
                cpu.Fill(0x5A);
            }

            DmaCacheStatistics stats = Heap.GetCacheStatistics();
            Assert.Equal(139 * 1024 / 32, stats.LinesCleaned);
            Assert.Equal(0, stats.LinesInvalidated);
            Assert.Equal(0, stats.WholeCacheOperations);
        }

        [Fact]
        public void CacheStatistics_CpuWriteAboveTheThreshold_IsOneWholeCacheOperation()
        {
            // 320 x 240 RGB565: 4,800 lines, above the threshold: one set/way pass over the 16 KB cache.
            using DmaBuffer frame = Heap.Export(153600, "frame");
            using DmaAttachment display = frame.Attach(Heap.GetDevice("ltdc"));
            Heap.ResetCacheStatistics();
            using (CpuAccess cpu = frame.BeginCpuAccess(DmaDirection.ToDevice))
            {
                cpu.Fill(0x5A);
            }

            DmaCacheStatistics stats = Heap.GetCacheStatistics();
            Assert.Equal(1, stats.WholeCacheOperations);
            Assert.Equal(0, stats.LinesCleaned);
        }

        [Fact]
        public void CacheStatistics_CpuReadAfterDeviceWrite_InvalidatesEveryLine()
        {
            using DmaBuffer frame = Heap.Export(32768, "frame");
            using DmaAttachment camera = frame.Attach(Heap.GetDevice("dcmi"));
            camera.Map(DmaDirection.FromDevice).Dispose();
            Heap.ResetCacheStatistics();
            using (frame.BeginCpuAccess(DmaDirection.FromDevice))
            {
            }

            DmaCacheStatistics stats = Heap.GetCacheStatistics();
            Assert.Equal(1024, stats.LinesInvalidated);
            Assert.Equal(0, stats.LinesCleaned);
        }

        [Fact]
        public void CacheStatistics_UncachedRegion_CostsNothing()
        {
            using DmaBuffer buffer = Heap.Export(1024, "ctrl", DmaBufferFlags.PreferUncached);
            using DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dma2"));
            Heap.ResetCacheStatistics();
            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.Bidirectional))
            {
                cpu.Fill(1);
            }

            attachment.Map(DmaDirection.Bidirectional).Dispose();
            using (buffer.BeginCpuAccess(DmaDirection.FromDevice))
            {
            }

            DmaCacheStatistics stats = Heap.GetCacheStatistics();
            Assert.Equal(0, stats.LinesCleaned);
            Assert.Equal(0, stats.LinesInvalidated);
            Assert.Equal(0, stats.WholeCacheOperations);
        }

        [Fact]
        public void ResetCacheStatistics_ZeroesTheCounters()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice))
            {
                cpu.Fill(7);
            }

            Assert.NotEqual(0, Heap.GetCacheStatistics().LinesCleaned);
            Heap.ResetCacheStatistics();
            DmaCacheStatistics stats = Heap.GetCacheStatistics();
            Assert.Equal(0, stats.LinesCleaned);
            Assert.Equal(0, stats.LinesInvalidated);
            Assert.Equal(0, stats.WholeCacheOperations);
        }

        [Fact]
        public void CacheStatistics_AfterDispose_ThrowObjectDisposed()
        {
            Heap.Dispose();
            Assert.Throws<ObjectDisposedException>(() => Heap.GetCacheStatistics());
            Assert.Throws<ObjectDisposedException>(() => Heap.ResetCacheStatistics());
        }

        [Fact]
        public void DescribeBuffers_ListsEveryLiveBufferByName()
        {
            using DmaBuffer a = Heap.Export(64, "camera0");
            using DmaBuffer b = Heap.Export(64, "display1");
            string text = Heap.DescribeBuffers();
            Assert.Contains("camera0", text);
            Assert.Contains("display1", text);
            b.Dispose();
            Assert.DoesNotContain("display1", Heap.DescribeBuffers());
        }

        [Fact]
        public void DescribeBuffers_AfterDispose_ThrowsObjectDisposed()
        {
            Heap.Dispose();
            Assert.Throws<ObjectDisposedException>(() => Heap.DescribeBuffers());
        }

        [Fact]
        public void Dispose_IsIdempotent()
        {
            int before = HostNative.LiveHeaps();
            Heap.Dispose();
            Heap.Dispose();
            Assert.True(Heap.IsDisposed);
            Assert.Equal(before - 1, HostNative.LiveHeaps());
        }

        [Fact]
        public void Dispose_WithLiveBuffer_KeepsNativeHeapUntilTheLastBufferGoes()
        {
            int before = HostNative.LiveHeaps();
            DmaBuffer buffer = Heap.Export(64, "survivor");
            Heap.Dispose();
            Assert.Equal(before, HostNative.LiveHeaps());

            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice))
            {
                cpu.Fill(3);
            }

            buffer.Dispose();
            Assert.Equal(before - 1, HostNative.LiveHeaps());
        }

        [Fact]
        public void Dispose_FromManyThreadsAtOnce_ClosesOnce()
        {
            int before = HostNative.LiveHeaps();
            RunConcurrently(8, () => Heap.Dispose());
            Assert.Equal(before - 1, HostNative.LiveHeaps());
        }

        [Fact]
        public void Finalizer_OfUnreachableHeap_ClosesTheNativeHeap()
        {
            int before = HostNative.LiveHeaps();
            OpenAndDrop();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Assert.Equal(before, HostNative.LiveHeaps());
        }

        [Fact]
        public void Finalizers_OfUnreachableHeapAndBuffers_CloseTheNativeHeapInAnyOrder()
        {
            int before = HostNative.LiveHeaps();
            OpenExportAndDrop();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Assert.Equal(before, HostNative.LiveHeaps());
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void OpenAndDrop()
        {
            DmaHeap.Open(Stm32);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void OpenExportAndDrop()
        {
            DmaHeap heap = DmaHeap.Open(Stm32);
            DmaBuffer buffer = heap.Export(128, "dropped");
            buffer.Attach(heap.GetDevice("dma2")).Map(DmaDirection.ToDevice);
            buffer.BeginCpuAccess(DmaDirection.ToDevice);
        }
    }
}
