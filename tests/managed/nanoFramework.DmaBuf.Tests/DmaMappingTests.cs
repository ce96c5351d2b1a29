using System;
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
