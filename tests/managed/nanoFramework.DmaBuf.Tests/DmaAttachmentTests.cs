using System;
using nanoFramework.DmaBuf;
using Xunit;

namespace nanoFramework.DmaBuf.Tests
{
    public class DmaAttachmentTests : HeapTest
    {
        [Fact]
        public void Properties_DescribeThePair()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            DmaDevice device = Heap.GetDevice("dma2");
            using DmaAttachment attachment = buffer.Attach(device);
            Assert.Same(buffer, attachment.Buffer);
            Assert.Same(device, attachment.Device);
            Assert.True(attachment.Handle > 0);
            Assert.NotEqual(buffer.Handle, attachment.Handle);
            Assert.False(attachment.IsDisposed);
            Assert.Null(attachment.Mapping);
        }

        [Fact]
        public void Map_ReturnsTheCurrentMapping()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dma2"));
            using DmaMapping mapping = attachment.Map(DmaDirection.ToDevice);
            Assert.Same(mapping, attachment.Mapping);
            Assert.Same(attachment, mapping.Attachment);
            Assert.Equal(1, buffer.ReferenceCount);
        }

        [Fact]
        public void Attach_ADeviceAlreadyAttached_ThrowsInvalidOperationAsDocumented()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dma2"));
            AssertRefused<InvalidOperationException>(() => buffer.Attach(Heap.GetDevice("dma2")));
        }

        [Fact]
        public void Map_Twice_ThrowsInvalidOperation()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dma2"));
            using DmaMapping mapping = attachment.Map(DmaDirection.ToDevice);
            AssertRefused<InvalidOperationException>(() => attachment.Map(DmaDirection.ToDevice));
            Assert.True(mapping.IsMapped);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(7)]
        public void Map_UndefinedDirection_ThrowsArgumentOutOfRange(int direction)
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dma2"));
            Assert.Equal("direction", AssertRefused<ArgumentOutOfRangeException>(() => attachment.Map((DmaDirection)direction)).ParamName);
        }

        [Fact]
        public void Map_ForDeviceWriteWhileTheCpuWrites_ThrowsInvalidOperation()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dcmi"));
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            AssertRefused<InvalidOperationException>(() => attachment.Map(DmaDirection.FromDevice));
            Assert.Null(attachment.Mapping);
        }

        [Fact]
        public void Map_AfterUnmap_GivesTheSameSegments()
        {
            using DmaBuffer buffer = Heap.Export(153600, "frame");
            using DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dma2"));
            uint address;
            int count;
            using (DmaMapping first = attachment.Map(DmaDirection.ToDevice))
            {
                address = first.DmaAddress;
                count = first.SegmentCount;
            }

            Assert.Null(attachment.Mapping);
            using DmaMapping second = attachment.Map(DmaDirection.FromDevice);
            Assert.Equal(address, second.DmaAddress);
            Assert.Equal(count, second.SegmentCount);
            Assert.Equal(DmaDirection.FromDevice, second.Direction);
        }

        [Fact]
        public void Dispose_UnmapsAndDetaches()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dcmi"));
            DmaMapping mapping = attachment.Map(DmaDirection.FromDevice);
            attachment.Dispose();
            Assert.True(attachment.IsDisposed);
            Assert.False(mapping.IsMapped);
            Assert.Equal(0, Heap.GetStatistics().LiveAttachments);

            // The device no longer writes, so the CPU may read.
            using (buffer.BeginCpuAccess(DmaDirection.FromDevice))
            {
            }
        }

        [Fact]
        public void Dispose_IsIdempotentAndThreadSafe()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dma2"));
            attachment.Map(DmaDirection.ToDevice);
            RunConcurrently(8, () => attachment.Dispose());
            attachment.Dispose();
            Assert.Equal(0, Heap.GetStatistics().LiveAttachments);
        }

        [Fact]
        public void Disposed_ThrowsObjectDisposedFromEveryMember()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dma2"));
            attachment.Dispose();
            Assert.Same(buffer, attachment.Buffer);
            Assert.Equal("dma2", attachment.Device.Name);
            Assert.Throws<ObjectDisposedException>(() => attachment.Handle);
            Assert.Throws<ObjectDisposedException>(() => attachment.Mapping);
            Assert.Throws<ObjectDisposedException>(() => attachment.Map(DmaDirection.ToDevice));
        }

        [Fact]
        public void BufferDispose_DetachesTheAttachment()
        {
            DmaBuffer buffer = Heap.Export(64, "b");
            DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dma2"));
            buffer.Dispose();
            Assert.True(attachment.IsDisposed);
            Assert.Throws<ObjectDisposedException>(() => attachment.Map(DmaDirection.ToDevice));
            attachment.Dispose();
        }
    }

    /// <summary>Reachability constraints on QEMU mps2-an500: a 15 MB cached and a 1 MB uncached region;
    /// "test-dma" reaches both, "test-dma-uncached" only the uncached one, 16 segments of 4092 bytes.</summary>
    public class DmaAttachmentConstraintTests : HeapTest
    {
        public DmaAttachmentConstraintTests() : base("qemu-mps2-an500")
        {
        }

        [Fact]
        public void Attach_TooManySegments_ThrowsDmaConstraintNamingSegments()
        {
            using DmaBuffer buffer = Heap.Export(16 * 4092 + 1, "big");
            DmaConstraintException e = AssertRefused<DmaConstraintException>(() => buffer.Attach(Heap.GetDevice("test-dma-uncached")));
            Assert.Contains("segments", e.Message);
        }

        [Fact]
        public void Attach_UnreachableBeforeFirstMap_MovesTheStorageAndKeepsTheBytes()
        {
            using DmaBuffer buffer = Heap.Export(1024, "moving");
            Assert.Equal(0, buffer.Region);
            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice))
            {
                cpu.Write(0, Pattern(1024, 11));
            }

            using DmaAttachment attachment = buffer.Attach(Heap.GetDevice("test-dma-uncached"));
            Assert.Equal(1, buffer.Region);
            byte[] back = new byte[1024];
            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.FromDevice))
            {
                cpu.Read(0, back);
            }

            Assert.Equal(Pattern(1024, 11), back);
            Assert.Equal(1024, Heap.GetStatistics().InUse);
        }

        [Fact]
        public void Attach_UnreachableAfterFirstMap_ThrowsDmaConstraintNamingTheWindow()
        {
            using DmaBuffer buffer = Heap.Export(1024, "placed");
            using DmaAttachment first = buffer.Attach(Heap.GetDevice("test-dma"));
            first.Map(DmaDirection.ToDevice).Dispose();
            DmaConstraintException e = AssertRefused<DmaConstraintException>(() => buffer.Attach(Heap.GetDevice("test-dma-uncached")));
            Assert.Contains("window", e.Message);
            Assert.Contains("placed", e.Message);
            Assert.Equal(0, buffer.Region);
        }

        [Fact]
        public void DmaConstraintException_CarriesItsMessage()
        {
            DmaConstraintException e = new DmaConstraintException("alignment: 0x60000004");
            Assert.Equal("alignment: 0x60000004", e.Message);
            Assert.IsAssignableFrom<Exception>(e);
        }
    }
}
