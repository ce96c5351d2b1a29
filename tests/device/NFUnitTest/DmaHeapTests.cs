using System;
using nanoFramework.DmaBuf;
using nanoFramework.TestFramework;

namespace NFUnitTest
{
    [TestClass]
    public class DmaHeapTests
    {
        [TestMethod]
        public void Open_TheFirmwareBoard_ReportsItsCapacity()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            Assert.AreEqual(TestBoard.Name, heap.Board);
            Assert.IsFalse(heap.IsDisposed);
            Assert.IsTrue(heap.GetStatistics().Capacity > 0);
            TestBoard.AssertNothingLeft(heap);
            Assert.IsTrue(heap.IsDisposed);
        }

        [TestMethod]
        public void FirmwareBoard_NamesTheBoardOpenTakes()
        {
            // The simulated target's firmware is built for the STM32F769I-DISCO (dmabuf_nf_target_sim.c).
            Assert.AreEqual(TestBoard.Name, DmaHeap.FirmwareBoard);
            DmaHeap heap = DmaHeap.Open(DmaHeap.FirmwareBoard);
            Assert.AreEqual(TestBoard.Name, heap.Board);
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void GetPeripheralFrameSize_GivesEachDevicesLargestFrame_WithoutOpeningIt()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            int width;
            int height;
            // The simulated camera serves any size up to its models' largest; the panel's is its GRAM.
            Assert.IsFalse(heap.GetPeripheralFrameSize("camera", out width, out height), "any size up to it");
            Assert.AreEqual(4096, width);
            Assert.AreEqual(4096, height);
            Assert.IsFalse(heap.GetPeripheralFrameSize("spi-panel", out width, out height), "any window in GRAM");
            Assert.AreEqual(320, width);
            Assert.AreEqual(240, height);
            Assert.ThrowsException(typeof(ArgumentException), () => heap.GetPeripheralFrameSize("periscope", out width, out height));
            Assert.ThrowsException(typeof(ArgumentNullException), () => heap.GetPeripheralFrameSize(null, out width, out height));
            TestBoard.AssertNothingLeft(heap);
            Assert.ThrowsException(typeof(ObjectDisposedException), () => heap.GetPeripheralFrameSize("camera", out width, out height));
        }

        [TestMethod]
        public void Open_NullOrOtherBoard_Throws()
        {
            Assert.ThrowsException(typeof(ArgumentNullException), () => DmaHeap.Open(null));
            Assert.ThrowsException(typeof(ArgumentException), () => DmaHeap.Open("no-such-board"));
        }

        [TestMethod]
        public void Export_PlacesALineAlignedBlock()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer buffer = heap.Export(100, "frame");
            Assert.AreEqual(100, buffer.Size);
            Assert.AreEqual("frame", buffer.Name);
            Assert.AreEqual(0u, buffer.DmaAddress % 32u);
            Assert.AreEqual(128, heap.GetStatistics().InUse);
            buffer.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void Export_BadArguments_ThrowAndChangeNothing()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => heap.Export(0, "x"));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => heap.Export(-1, "x"));
            Assert.ThrowsException(typeof(ArgumentNullException), () => heap.Export(32, null));
            Assert.ThrowsException(typeof(ArgumentException), () => heap.Export(32, "x", (DmaBufferFlags)4));
            Assert.ThrowsException(typeof(OutOfMemoryException), () => heap.Export(int.MaxValue, "huge"));
            Assert.AreEqual(0, heap.GetStatistics().InUse);
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void GetDevice_FindsBoardDevicesByName()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaDevice ltdc = heap.GetDevice("ltdc");
            Assert.AreEqual("ltdc", ltdc.Name);
            Assert.AreSame(heap, ltdc.Heap);
            Assert.ThrowsException(typeof(ArgumentException), () => heap.GetDevice("no-such-device"));
            Assert.ThrowsException(typeof(ArgumentNullException), () => heap.GetDevice(null));
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void CacheStatistics_CountTheHandOvers()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer frame = heap.Export(32768, "frame");
            DmaAttachment display = frame.Attach(heap.GetDevice("ltdc"));
            heap.ResetCacheStatistics();
            CpuAccess cpu = frame.BeginCpuAccess(DmaDirection.ToDevice);
            cpu.Fill(0x5A);
            cpu.Dispose();
            Assert.AreEqual(1024, heap.GetCacheStatistics().LinesCleaned);
            display.Dispose();
            frame.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void Disposed_ThrowsObjectDisposed()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            heap.Dispose();
            heap.Dispose();
            Assert.ThrowsException(typeof(ObjectDisposedException), () => heap.Export(32, "late"));
            Assert.ThrowsException(typeof(ObjectDisposedException), () => heap.GetDevice("dma2"));
            Assert.ThrowsException(typeof(ObjectDisposedException), () => heap.GetStatistics());
            Assert.ThrowsException(typeof(ObjectDisposedException), () => heap.DescribeBuffers());
        }
    }
}
