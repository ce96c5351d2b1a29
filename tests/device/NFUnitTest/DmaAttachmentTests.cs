using System;
using nanoFramework.DmaBuf;
using nanoFramework.TestFramework;

namespace NFUnitTest
{
    [TestClass]
    public class DmaAttachmentTests
    {
        [TestMethod]
        public void Map_SplitsAtTheDescriptorLimit()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer frame = heap.Export(153600, "frame");
            DmaAttachment spi = frame.Attach(heap.GetDevice("dma2"));
            DmaMapping mapping = spi.Map(DmaDirection.ToDevice);
            Assert.AreEqual(frame.DmaAddress, mapping.DmaAddress);
            Assert.AreEqual(3, mapping.SegmentCount);
            Assert.AreEqual(65535, mapping.SegmentSize);
            Assert.AreEqual(frame.DmaAddress + 131070u, mapping.GetSegmentAddress(2));
            Assert.AreEqual(153600 - 131070, mapping.GetSegmentLength(2));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => mapping.GetSegmentLength(3));
            Assert.ThrowsException(typeof(InvalidOperationException), () => spi.Map(DmaDirection.ToDevice));
            mapping.Dispose();
            mapping.Dispose();
            Assert.ThrowsException(typeof(ObjectDisposedException), () => { uint a = mapping.DmaAddress; });
            spi.Dispose();
            frame.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void MapForDeviceWrite_BlocksCpuAccessUntilUnmapped()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer buffer = heap.Export(64, "b");
            DmaAttachment camera = buffer.Attach(heap.GetDevice("dcmi"));
            DmaMapping mapping = camera.Map(DmaDirection.FromDevice);
            Assert.ThrowsException(typeof(InvalidOperationException), () => buffer.BeginCpuAccess(DmaDirection.FromDevice));
            mapping.Dispose();
            buffer.BeginCpuAccess(DmaDirection.FromDevice).Dispose();
            camera.Dispose();
            camera.Dispose();
            Assert.ThrowsException(typeof(ObjectDisposedException), () => camera.Map(DmaDirection.ToDevice));
            buffer.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void Attach_NullOrForeignDevice_Throws()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaHeap other = DmaHeap.Open(TestBoard.Name);
            DmaBuffer buffer = heap.Export(64, "b");
            Assert.ThrowsException(typeof(ArgumentNullException), () => buffer.Attach(null));
            Assert.ThrowsException(typeof(ArgumentException), () => buffer.Attach(other.GetDevice("dma2")));
            buffer.Dispose();
            other.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }
    }
}
