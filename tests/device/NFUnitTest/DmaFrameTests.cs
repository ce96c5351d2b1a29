using System;
using nanoFramework.DmaBuf;
using nanoFramework.TestFramework;

namespace NFUnitTest
{
    /// <summary>
    /// DmaFrame on the nanoCLR: the same native kernels the host runs, reached through the
    /// InternalCall stubs. Pixels are checked against values computed here from the documented
    /// conversions, not read back through the kernels' own code.
    /// </summary>
    [TestClass]
    public class DmaFrameTests
    {
        private static byte[] ReadAll(DmaBuffer buffer)
        {
            byte[] all = new byte[buffer.Size];
            CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.FromDevice);
            cpu.Read(0, all);
            cpu.Dispose();
            return all;
        }

        private static void Zero(DmaBuffer buffer)
        {
            CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            cpu.Fill(0);
            cpu.Dispose();
        }

        [TestMethod]
        public void FillDarkenAndText_DrawInPlaceWithoutCopies()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer buffer = heap.Export(16 * 10 * 2, "frame");
            Zero(buffer);
            DmaFrame frame = new DmaFrame(buffer, 16, 10, PixelFormat.Rgb565BigEndian);
            heap.ResetCpuCopyStatistics();

            // Clipped on the left: columns 0..3 of rows 1..2 become 0x3366CC = 0x3339 in RGB565.
            frame.FillRectangle(-2, 1, 6, 2, 0x3366CC);
            frame.FillRectangle(8, 0, 8, 10, 0xFFFFFF);
            frame.DarkenRectangle(8, 5, 8, 5);
            frame.DrawText(0, 3, "1", 0xFFFFFF, 1);

            Assert.AreEqual(0L, heap.GetCpuCopyStatistics().BytesCopied);
            byte[] all = ReadAll(buffer);
            Assert.AreEqual(0x33, (int)all[(1 * 16 + 0) * 2]);
            Assert.AreEqual(0x39, (int)all[(1 * 16 + 0) * 2 + 1]);
            Assert.AreEqual(0x33, (int)all[(2 * 16 + 3) * 2]);
            Assert.AreEqual(0, (int)all[(2 * 16 + 4) * 2]);
            Assert.AreEqual(0xFF, (int)all[(4 * 16 + 8) * 2]);
            // White halved per channel: 0xFFFF -> 0x7BEF, high byte first.
            Assert.AreEqual(0x7B, (int)all[(5 * 16 + 8) * 2]);
            Assert.AreEqual(0xEF, (int)all[(5 * 16 + 8) * 2 + 1]);
            // '1', top row 0x04: only column 2 lit.
            Assert.AreEqual(0, (int)all[(3 * 16 + 1) * 2]);
            Assert.AreEqual(0xFF, (int)all[(3 * 16 + 2) * 2]);
            buffer.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void CopyRectangleTo_ConvertsAndIsCounted()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer camera = heap.Export(8 * 4 * 2, "camera");
            DmaBuffer panel = heap.Export(8 * 4 * 2, "panel");
            // Y 81, U 90, V 240 is pure red in BT.601 limited range.
            byte[] yuyv = new byte[camera.Size];
            for (int i = 0; i < yuyv.Length; i += 4)
            {
                yuyv[i] = 81;
                yuyv[i + 1] = 90;
                yuyv[i + 2] = 81;
                yuyv[i + 3] = 240;
            }

            CpuAccess cpu = camera.BeginCpuAccess(DmaDirection.ToDevice);
            cpu.Write(0, yuyv);
            cpu.Dispose();
            Zero(panel);
            DmaFrame source = new DmaFrame(camera, 8, 4, PixelFormat.Yuyv);
            DmaFrame destination = new DmaFrame(panel, 8, 4, PixelFormat.Rgb565LittleEndian);
            heap.ResetCpuCopyStatistics();

            source.CopyRectangleTo(1, 1, 3, 2, destination, 5, 2);

            Assert.AreEqual(0xFF0000, destination.ReadPixel(7, 3));
            Assert.AreEqual(0, destination.ReadPixel(4, 3));
            byte[] row = new byte[4];
            destination.ReadRow(6, 2, 2, row);
            Assert.AreEqual(0x00, (int)row[0]);
            Assert.AreEqual(0xF8, (int)row[1]);
            DmaCpuCopyStatistics stats = heap.GetCpuCopyStatistics();
            Assert.AreEqual((long)(3 * 2 * 2 + 4), stats.BytesCopied);
            Assert.AreEqual(2L, stats.Copies);
            camera.Dispose();
            panel.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void OperationsInsideAFrameAccess_MaintainEachLineOnce_AndMisuseThrows()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer buffer = heap.Export(1024, "batched");
            DmaAttachment camera = buffer.Attach(heap.GetDevice("dcmi"));
            camera.Map(DmaDirection.FromDevice).Dispose(); // the camera wrote it: a begin invalidates
            DmaFrame frame = new DmaFrame(buffer, 20, 12, PixelFormat.Rgb565BigEndian);
            heap.ResetCacheStatistics();

            // Rows 3..7, columns 2..11: bytes 3 x 40 + 4 = 124 to 7 x 40 + 24 - 1 = 303, 32-byte lines 3..9.
            CpuAccess access = frame.BeginCpuAccess(DmaDirection.Bidirectional, 2, 3, 10, 5);
            Assert.AreEqual(124, access.Offset);
            Assert.AreEqual(180, access.Length);
            frame.FillRectangle(2, 3, 10, 5, 0xFFFFFF);
            frame.DarkenRectangle(3, 4, 4, 2);
            Assert.AreEqual(0x7B7D7B, frame.ReadPixel(3, 4));
            Assert.AreEqual(0x7B7D7B, frame.ReadPixel(6, 5));
            Assert.AreEqual(0xFFFFFF, frame.ReadPixel(7, 5));
            // Row 2 is outside the access: refused, not maintained twice.
            Assert.ThrowsException(typeof(InvalidOperationException), () => frame.FillRectangle(2, 2, 4, 2, 0));
            Assert.AreEqual(7L, heap.GetCacheStatistics().LinesInvalidated);
            Assert.AreEqual(0L, heap.GetCacheStatistics().LinesCleaned);
            access.Dispose();
            Assert.AreEqual(7L, heap.GetCacheStatistics().LinesCleaned);

            // A write-only access: darkening reads, so it is refused.
            access = frame.BeginCpuAccess(DmaDirection.ToDevice, 0, 0, 20, 12);
            Assert.ThrowsException(typeof(InvalidOperationException), () => frame.DarkenRectangle(3, 4, 4, 2));
            access.Dispose();
            Assert.AreEqual(0x7B7D7B, frame.ReadPixel(3, 4));
            Assert.AreEqual(0xFFFFFF, frame.ReadPixel(2, 3));
            camera.Dispose();
            buffer.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void BadArguments_ThrowTheDocumentedExceptions()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer buffer = heap.Export(256, "frame");
            Assert.ThrowsException(typeof(ArgumentException), () => new DmaFrame(buffer, 0, 10, 10, 19, PixelFormat.Rgb565BigEndian));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => new DmaFrame(buffer, 0, 10, 30, 20, PixelFormat.Rgb565BigEndian));
            DmaFrame frame = new DmaFrame(buffer, 10, 10, PixelFormat.Rgb565BigEndian);
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => frame.DrawText(0, 0, "x", 0, 5));
            Assert.ThrowsException(typeof(ArgumentException), () => frame.DrawText(0, 0, "\u00e9", 0, 1));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => frame.ReadPixel(10, 0));
            DmaFrame gray = new DmaFrame(buffer, 0, 10, 10, 10, PixelFormat.Gray8);
            Assert.ThrowsException(typeof(NotSupportedException), () => gray.CopyRectangleTo(0, 0, 2, 2, frame, 0, 0));
            buffer.Dispose();
            Assert.ThrowsException(typeof(ObjectDisposedException), () => frame.FillRectangle(0, 0, 2, 2, 0));
            TestBoard.AssertNothingLeft(heap);
        }
    }
}
