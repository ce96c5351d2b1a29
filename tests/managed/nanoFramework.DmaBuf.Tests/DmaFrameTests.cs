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
