using System;
using System.Threading;
using nanoFramework.DmaBuf;
using Xunit;

namespace nanoFramework.DmaBuf.Tests
{
    public class DmaMappingTests : HeapTest
    {
        [Fact]
        public void Segments_SplitAtTheDeviceDescriptorLimit()
        {
            // DMA2 with byte items: 65535 bytes per transfer.
            using DmaBuffer frame = Heap.Export(153600, "frame");
            using DmaAttachment attachment = frame.Attach(Heap.GetDevice("dma2"));
            using DmaMapping mapping = attachment.Map(DmaDirection.ToDevice);
            Assert.True(mapping.IsMapped);
            Assert.Equal(frame.DmaAddress, mapping.DmaAddress);
            Assert.Equal(153600, mapping.Length);
            Assert.Equal(65535, mapping.SegmentSize);
            Assert.Equal(3, mapping.SegmentCount);
            Assert.Equal(DmaDirection.ToDevice, mapping.Direction);
            Assert.Equal(frame.DmaAddress, mapping.GetSegmentAddress(0));
            Assert.Equal(frame.DmaAddress + 65535u, mapping.GetSegmentAddress(1));
            Assert.Equal(frame.DmaAddress + 131070u, mapping.GetSegmentAddress(2));
            Assert.Equal(65535, mapping.GetSegmentLength(0));
            Assert.Equal(65535, mapping.GetSegmentLength(1));
            Assert.Equal(153600 - 131070, mapping.GetSegmentLength(2));
        }

        [Fact]
        public void Segments_OneForADeviceThatTakesTheWholeFrame()
        {
            using DmaBuffer frame = Heap.Export(153600, "frame");
            using DmaAttachment attachment = frame.Attach(Heap.GetDevice("ltdc"));
            using DmaMapping mapping = attachment.Map(DmaDirection.ToDevice);
            Assert.Equal(1, mapping.SegmentCount);
            Assert.Equal(153600, mapping.GetSegmentLength(0));
        }

        [Theory]
        [InlineData(-1)]
        [InlineData(3)]
        [InlineData(int.MaxValue)]
        public void GetSegment_IndexOutsideTheList_ThrowsArgumentOutOfRange(int index)
        {
            using DmaBuffer frame = Heap.Export(153600, "frame");
            using DmaAttachment attachment = frame.Attach(Heap.GetDevice("dma2"));
            using DmaMapping mapping = attachment.Map(DmaDirection.ToDevice);
            Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => mapping.GetSegmentAddress(index)).ParamName);
            Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => mapping.GetSegmentLength(index)).ParamName);
        }

        [Fact]
        public void Dispose_UnmapsIdempotently()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dcmi"));
            DmaMapping mapping = attachment.Map(DmaDirection.FromDevice);
            RunConcurrently(4, () => mapping.Dispose());
            mapping.Dispose();
            Assert.False(mapping.IsMapped);
            Assert.Null(attachment.Mapping);
            using (buffer.BeginCpuAccess(DmaDirection.FromDevice))
            {
            }
        }

        [Fact]
        public void Dispose_OnAnotherThread_UnmapsAndTheAttachmentMapsAgain()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dcmi"));
            DmaMapping mapping = attachment.Map(DmaDirection.FromDevice);
            RunConcurrently(1, () => mapping.Dispose());
            Assert.False(mapping.IsMapped);
            Assert.Null(attachment.Mapping);
            Assert.Equal(0, NativeMappings(buffer));
            using DmaMapping again = attachment.Map(DmaDirection.FromDevice);
            Assert.Equal(1, NativeMappings(buffer));
        }

        [Fact]
        public void Dispose_FromManyThreadsAtOnce_UnmapsOnceAndTheAttachmentMapsAgain()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dcmi"));
            for (int round = 0; round < 200; round++)
            {
                DmaMapping mapping = attachment.Map(DmaDirection.FromDevice);
                DmaMapping next = null;
                int remapper = 0;

                // One thread maps again as soon as its own Dispose returned, while the others may
                // still be in theirs: a second unmap would take the new mapping down with it.
                RunConcurrently(8, () =>
                {
                    mapping.Dispose();
                    if (Interlocked.Increment(ref remapper) == 1)
                    {
                        next = attachment.Map(DmaDirection.FromDevice);
                    }
                });

                Assert.False(mapping.IsMapped);
                Assert.NotNull(next);
                Assert.True(next.IsMapped);
                Assert.Same(next, attachment.Mapping);
                Assert.Equal(1, NativeMappings(buffer));
                next.Dispose();
                Assert.Equal(0, NativeMappings(buffer));
            }

            Assert.Equal(0, HostNative.Check(Heap.NativeId));
        }

        [Fact]
        public void Dispose_RacingTheAttachmentAndBufferDispose_ReleasesEachOnce()
        {
            for (int round = 0; round < 200; round++)
            {
                DmaBuffer buffer = Heap.Export(64, "b");
                DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dcmi"));
                DmaMapping mapping = attachment.Map(DmaDirection.FromDevice);
                int turn = 0;
                RunConcurrently(8, () =>
                {
                    switch (Interlocked.Increment(ref turn) % 3)
                    {
                        case 0:
                            buffer.Dispose();
                            break;
                        case 1:
                            attachment.Dispose();
                            break;
                        default:
                            mapping.Dispose();
                            break;
                    }
                });

                Assert.False(mapping.IsMapped);
                Assert.True(attachment.IsDisposed);
                Assert.True(buffer.IsDisposed);
                DmaHeapStatistics stats = Heap.GetStatistics();
                Assert.Equal(0, stats.LiveBuffers);
                Assert.Equal(0, stats.LiveAttachments);
            }

            Assert.Equal(0, HostNative.Check(Heap.NativeId));
        }

        [Fact]
        public void Unmapped_ThrowsObjectDisposedFromEveryMember()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dma2"));
            DmaMapping mapping = attachment.Map(DmaDirection.ToDevice);
            mapping.Dispose();
            Assert.Same(attachment, mapping.Attachment);
            Assert.Throws<ObjectDisposedException>(() => mapping.DmaAddress);
            Assert.Throws<ObjectDisposedException>(() => mapping.Length);
            Assert.Throws<ObjectDisposedException>(() => mapping.SegmentSize);
            Assert.Throws<ObjectDisposedException>(() => mapping.SegmentCount);
            Assert.Throws<ObjectDisposedException>(() => mapping.Direction);
            Assert.Throws<ObjectDisposedException>(() => mapping.GetSegmentAddress(0));
            Assert.Throws<ObjectDisposedException>(() => mapping.GetSegmentLength(0));
        }

        [Fact]
        public void StaleMapping_DoesNotUnmapALaterOne()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dma2"));
            DmaMapping first = attachment.Map(DmaDirection.ToDevice);
            first.Dispose();
            DmaMapping second = attachment.Map(DmaDirection.ToDevice);
            first.Dispose();
            Assert.True(second.IsMapped);
            Assert.Same(second, attachment.Mapping);
            second.Dispose();
        }
    }

    public class DmaDeviceTests : HeapTest
    {
        [Fact]
        public void Properties_NameTheBoardDevice()
        {
            DmaDevice dma2 = Heap.GetDevice("dma2");
            DmaDevice dcmi = Heap.GetDevice("dcmi");
            Assert.Equal("dma2", dma2.Name);
            Assert.Equal(0, dma2.Index);
            Assert.Equal(1, dcmi.Index);
            Assert.Same(Heap, dcmi.Heap);
        }
    }
}
