using System;
using nanoFramework.DmaBuf;
using Xunit;

namespace nanoFramework.DmaBuf.Tests
{
    /// <summary>
    /// DmaFrame on the host: each operation's pixels against a reference computed here per pixel
    /// from the documented conversions, the documented exceptions, and the CPU copy counter.
    /// </summary>
    public class DmaFrameTests : HeapTest
    {
        private const int Width = 20;
        private const int Height = 12;

        private static byte[] ReadAll(DmaBuffer buffer)
        {
            byte[] all = new byte[buffer.Size];
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.FromDevice);
            cpu.Read(0, all);
            return all;
        }

        private static void WriteAll(DmaBuffer buffer, byte[] bytes)
        {
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            cpu.Write(0, bytes);
        }

        // 0xRRGGBB to RGB565 stored high byte first: each channel truncated.
        private static (byte, byte) Rgb565BigEndian(int rgb)
        {
            int r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
            int v = (r / 8) * 2048 + (g / 4) * 32 + b / 8;
            return ((byte)(v / 256), (byte)(v % 256));
        }

        [Fact]
        public void FillRectangle_SetsTheClippedPixelsOnly()
        {
            using DmaBuffer buffer = Heap.Export(1024, "frame");
            byte[] before = Pattern(1024, 5);
            WriteAll(buffer, before);
            var frame = new DmaFrame(buffer, 8, Width, Height, Width * 2 + 6, PixelFormat.Rgb565BigEndian);

            frame.FillRectangle(-2, 9, 6, 10, 0x3366CC);

            byte[] expected = (byte[])before.Clone();
            (byte hi, byte lo) = Rgb565BigEndian(0x3366CC);
            for (int y = 9; y < Height; y++)
            {
                for (int x = 0; x < 4; x++)
                {
                    int at = 8 + y * (Width * 2 + 6) + x * 2;
                    expected[at] = hi;
                    expected[at + 1] = lo;
                }
            }

            Assert.Equal(expected, ReadAll(buffer));
        }

        [Fact]
        public void DarkenAndBlend_ChangeEveryChannelAsDocumented()
        {
            using DmaBuffer buffer = Heap.Export(Width * Height * 3, "rgb");
            byte[] before = Pattern(buffer.Size, 11);
            WriteAll(buffer, before);
            var frame = new DmaFrame(buffer, Width, Height, PixelFormat.Rgb888);

            frame.DarkenRectangle(0, 0, 3, 1);
            frame.BlendRectangle(0, 1, 2, 1, 0x204060, 100);

            byte[] after = ReadAll(buffer);
            for (int i = 0; i < 9; i++)
            {
                Assert.Equal(before[i] / 2, after[i]);
            }

            int[] colour = { 0x20, 0x40, 0x60 };
            for (int i = 0; i < 6; i++)
            {
                int at = Width * 3 + i;
                Assert.Equal((before[at] * 155 + colour[i % 3] * 100 + 127) / 255, after[at]);
            }

            Assert.Equal(before[9], after[9]);
        }

        [Fact]
        public void CopyRectangleTo_ConvertsYuyvToRgb565AndCountsTheBytes()
        {
            using DmaBuffer camera = Heap.Export(Width * Height * 2, "camera");
            using DmaBuffer panel = Heap.Export(Width * Height * 2, "panel");
            // Y = 81, U = 90, V = 240: BT.601 limited range gives R 255, G 0, B 0 (pure red).
            byte[] yuyv = new byte[camera.Size];
            for (int i = 0; i < yuyv.Length; i += 4)
            {
                yuyv[i] = 81;
                yuyv[i + 1] = 90;
                yuyv[i + 2] = 81;
                yuyv[i + 3] = 240;
            }

            WriteAll(camera, yuyv);
            var source = new DmaFrame(camera, Width, Height, PixelFormat.Yuyv);
            var destination = new DmaFrame(panel, Width, Height, PixelFormat.Rgb565LittleEndian);
            Heap.ResetCpuCopyStatistics();

            source.CopyRectangleTo(1, 0, 5, 2, destination, 0, 0);

            DmaCpuCopyStatistics copies = Heap.GetCpuCopyStatistics();
            Assert.Equal(5 * 2 * 2, copies.BytesCopied);
            Assert.Equal(1, copies.Copies);
            Assert.Equal(0xFF0000, destination.ReadPixel(4, 1));
            byte[] row = new byte[4];
            destination.ReadRow(0, 0, 2, row);
            Assert.Equal(new byte[] { 0x00, 0xF8, 0x00, 0xF8 }, row);
        }

        [Fact]
        public void DrawText_LightsTheGlyphPixelsOfTheDigitFont()
        {
            using DmaBuffer buffer = Heap.Export(Width * Height, "gray");
            WriteAll(buffer, new byte[buffer.Size]);
            var frame = new DmaFrame(buffer, Width, Height, PixelFormat.Gray8);

            frame.DrawText(1, 1, "1", 0xFFFFFF, 1);

            // '1' rows: 0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E (bit 4 leftmost).
            int[] glyph = { 0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E };
            byte[] all = ReadAll(buffer);
            for (int y = 0; y < Height; y++)
            {
                for (int x = 0; x < Width; x++)
                {
                    bool lit = y >= 1 && y < 8 && x >= 1 && x < 6 && (glyph[y - 1] & (0x10 >> (x - 1))) != 0;
                    Assert.True((lit ? 255 : 0) == all[y * Width + x], $"pixel ({x}, {y})");
                }
            }
        }

        [Fact]
        public void DrawSprite_SkipsTheTransparentColour()
        {
            using DmaBuffer buffer = Heap.Export(Width * Height, "gray");
            WriteAll(buffer, new byte[buffer.Size]);
            var frame = new DmaFrame(buffer, Width, Height, PixelFormat.Gray8);

            frame.DrawSprite(Width - 1, 0, new byte[] { 7, 255, 255, 9 }, 2, 2, 0xFFFFFF);

            byte[] all = ReadAll(buffer);
            Assert.Equal(7, all[Width - 1]);
            Assert.Equal(0, all[2 * Width - 1]); // transparent pixel left as it was
        }

        [Fact]
        public void BadArguments_ThrowTheDocumentedExceptionsAndChangeNothing()
        {
            using DmaBuffer buffer = Heap.Export(512, "frame");
            byte[] before = Pattern(512, 3);
            WriteAll(buffer, before);

            Assert.Throws<ArgumentException>(() => new DmaFrame(buffer, 0, 10, 10, 19, PixelFormat.Rgb565BigEndian));
            Assert.Throws<ArgumentException>(() => new DmaFrame(buffer, 0, 10, 10, 40, (PixelFormat)9));
            Assert.Throws<ArgumentOutOfRangeException>(() => new DmaFrame(buffer, 0, 10, 30, 20, PixelFormat.Rgb565BigEndian));
            Assert.Throws<ArgumentOutOfRangeException>(() => new DmaFrame(buffer, -1, 10, 10, 20, PixelFormat.Rgb565BigEndian));

            var frame = new DmaFrame(buffer, 10, 10, PixelFormat.Rgb565BigEndian);
            Assert.Throws<ArgumentOutOfRangeException>(() => frame.FillRectangle(0, 0, -1, 2, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => frame.DrawText(0, 0, "x", 0, 5));
            Assert.Throws<ArgumentOutOfRangeException>(() => frame.BlendRectangle(0, 0, 2, 2, 0, 256));
            Assert.Throws<ArgumentOutOfRangeException>(() => frame.ReadPixel(10, 0));
            Assert.Throws<ArgumentException>(() => frame.DrawText(0, 0, "é", 0, 1));
            Assert.Throws<ArgumentException>(() => frame.DrawSprite(0, 0, new byte[3], 2, 1, 0));
            var gray = new DmaFrame(buffer, 300, 10, 10, 10, PixelFormat.Gray8);
            Assert.Throws<NotSupportedException>(() => gray.CopyRectangleTo(0, 0, 2, 2, frame, 0, 0));
            var yuyv = new DmaFrame(buffer, 0, 10, 10, 20, PixelFormat.Yuyv);
            Assert.Throws<NotSupportedException>(() => yuyv.FillRectangle(0, 0, 2, 2, 0));
            using (buffer.BeginCpuAccess(DmaDirection.FromDevice))
            {
                Assert.Throws<InvalidOperationException>(() => frame.FillRectangle(0, 0, 2, 2, 0));
            }

            Assert.Equal(before, ReadAll(buffer));
            buffer.Dispose();
            Assert.Throws<ObjectDisposedException>(() => frame.FillRectangle(0, 0, 2, 2, 0));
        }

        [Fact]
        public void OperationsInsideAFrameAccess_MaintainEachLineOnce()
        {
            using DmaBuffer buffer = Heap.Export(1024, "batched");
            using DmaAttachment camera = buffer.Attach(Heap.GetDevice("dcmi"));
            camera.Map(DmaDirection.FromDevice).Dispose(); // the camera wrote it: a begin invalidates
            var frame = new DmaFrame(buffer, Width, Height, PixelFormat.Rgb565BigEndian);
            Heap.ResetCacheStatistics();

            // Rows 3..7, columns 2..11: bytes 3 x 40 + 4 = 124 to 7 x 40 + 24 - 1 = 303, 32-byte lines 3..9.
            using (CpuAccess access = frame.BeginCpuAccess(DmaDirection.Bidirectional, 2, 3, 10, 5))
            {
                Assert.Equal(124, access.Offset);
                Assert.Equal(180, access.Length);
                frame.FillRectangle(2, 3, 10, 5, 0xFFFFFF);
                frame.DarkenRectangle(3, 4, 4, 2);
                frame.FillRectangle(11, 3, 1, 5, 0x000000);
                Assert.Equal(0x7B7D7B, frame.ReadPixel(3, 4));
                DmaCacheStatistics inside = Heap.GetCacheStatistics();
                Assert.Equal(7, inside.LinesInvalidated); // the access's begin, nothing of the operations
                Assert.Equal(0, inside.LinesCleaned);
            }

            DmaCacheStatistics after = Heap.GetCacheStatistics();
            Assert.Equal(7, after.LinesInvalidated);
            Assert.Equal(7, after.LinesCleaned); // the access's end, once
            for (int y = 3; y < 8; y++)
            {
                for (int x = 2; x < 12; x++)
                {
                    bool dark = x >= 3 && x < 7 && y >= 4 && y < 6;
                    Assert.Equal(x == 11 ? 0 : dark ? 0x7B7D7B : 0xFFFFFF, frame.ReadPixel(x, y));
                }
            }
        }

        [Fact]
        public void AFrameAccessThatDoesNotServeTheOperation_Throws_AndChangesNothing()
        {
            using DmaBuffer buffer = Heap.Export(1024, "misused");
            var frame = new DmaFrame(buffer, Width, Height, PixelFormat.Rgb565LittleEndian);
            byte[] before = new byte[1024];
            new Random(7).NextBytes(before);
            WriteAll(buffer, before);

            Assert.Throws<ArgumentOutOfRangeException>(() => frame.BeginCpuAccess(DmaDirection.ToDevice, 0, 0, 0, 4));
            Assert.Throws<ArgumentOutOfRangeException>(() => frame.BeginCpuAccess(DmaDirection.ToDevice, Width, 0, 4, 4));
            using (frame.BeginCpuAccess(DmaDirection.ToDevice, 0, 2, Width, 4))
            {
                // Write-only: a read or a read-modify-write would see stale lines.
                Assert.Throws<InvalidOperationException>(() => frame.DarkenRectangle(0, 2, 4, 4));
                Assert.Throws<InvalidOperationException>(() => frame.ReadPixel(0, 2));
                // Rows 2..5 only: row 1 and row 6 are outside it.
                Assert.Throws<InvalidOperationException>(() => frame.FillRectangle(0, 1, 4, 2, 0));
                Assert.Throws<InvalidOperationException>(() => frame.FillRectangle(0, 5, 4, 2, 0));
            }

            using (frame.BeginCpuAccess(DmaDirection.FromDevice, 0, 0, Width, Height))
            {
                Assert.Throws<InvalidOperationException>(() => frame.DrawText(0, 0, "x", 0, 1));
            }

            // A YUYV window holds whole pixel pairs: pixels 3..4 of row 1 are pairs 1..2, bytes
            // 1 x 40 + 4 to 1 x 40 + 12; a read of pixel 5 (pair 2) runs inside it.
            var yuyv = new DmaFrame(buffer, 0, Width, Height, Width * 2, PixelFormat.Yuyv);
            using (CpuAccess access = yuyv.BeginCpuAccess(DmaDirection.FromDevice, 3, 1, 2, 1))
            {
                Assert.Equal(44, access.Offset);
                Assert.Equal(8, access.Length);
                yuyv.ReadPixel(5, 1);
                Assert.Throws<InvalidOperationException>(() => yuyv.ReadPixel(6, 1));
            }

            Assert.Equal(before, ReadAll(buffer));
        }

        [Fact]
        public void CpuAccessCopies_AreCountedAndDrawingIsNot()
        {
            using DmaBuffer buffer = Heap.Export(256, "b");
            Heap.ResetCpuCopyStatistics();
            var frame = new DmaFrame(buffer, 16, 8, PixelFormat.Rgb565LittleEndian);
            frame.FillRectangle(0, 0, 16, 8, 0xFFFFFF);
            frame.DarkenRectangle(0, 0, 16, 8);
            frame.DrawText(0, 0, "ok", 0, 1);
            Assert.Equal(0, Heap.GetCpuCopyStatistics().BytesCopied);

            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.Bidirectional))
            {
                cpu.Write(0, new byte[10]);
                cpu.Read(100, new byte[7]);
                cpu.CopyTo(0, cpu, 50, 5);
            }

            DmaCpuCopyStatistics stats = Heap.GetCpuCopyStatistics();
            Assert.Equal(22, stats.BytesCopied);
            Assert.Equal(3, stats.Copies);
        }
    }
}
