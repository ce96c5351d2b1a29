using System;
using System.Runtime.InteropServices;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// Host-only: the overlay drawn the plain managed way into a picture in a managed array, for
    /// the expected pictures <see cref="FrameOutput"/> checks every shown frame against. The
    /// pipelines draw with <see cref="Overlay"/> through the native frame kernels; this is a second,
    /// independent implementation of the same specification (docs/DEMO.md), so a kernel that drew
    /// a wrong pixel would show as a frame not as expected.
    /// </summary>
    internal static class ExpectedOverlay
    {
        // 5 x 7 digits; one byte per row, bit 4 is the leftmost column.
        private static readonly byte[] Font =
        {
            0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E, // 0
            0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E, // 1
            0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F, // 2
            0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E, // 3
            0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02, // 4
            0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E, // 5
            0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E, // 6
            0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08, // 7
            0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E, // 8
            0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C, // 9
        };

        // White is 0xFFFF and black 0x0000 in either byte order.
        private const ushort White = 0xFFFF;
        private const ushort Black = 0x0000;

        /// <summary>The plate and box of camera frame <paramref name="cameraFrame"/> on <paramref name="picture"/>,
        /// a whole frame in RGB565 high byte first.</summary>
        public static void Draw(byte[] picture, FrameLayout layout, int cameraFrame)
        {
            DrawPlate(picture, layout, cameraFrame);
            DrawBox(picture, layout, cameraFrame);
        }

        private static void DrawPlate(byte[] picture, FrameLayout layout, int number)
        {
            PixelRect plate = layout.Plate;
            int[] digits = new int[Overlay.Digits];
            for (int i = Overlay.Digits - 1, n = number; i >= 0; i--, n /= 10)
            {
                digits[i] = n % 10;
            }

            for (int row = 0; row < plate.Height; row++)
            {
                Span<ushort> line = Row(picture, layout, plate.X, plate.Y + row, plate.Width);
                line.Fill(Black);
                int glyphRow = (row - Overlay.Padding) / Overlay.Scale;
                if (row < Overlay.Padding || glyphRow >= Overlay.GlyphHeight)
                {
                    continue;
                }

                for (int cell = 0; cell < Overlay.Digits; cell++)
                {
                    int bits = Font[digits[cell] * Overlay.GlyphHeight + glyphRow];
                    int x = Overlay.Padding + cell * (Overlay.GlyphWidth + 1) * Overlay.Scale;
                    for (int column = 0; column < Overlay.GlyphWidth; column++, x += Overlay.Scale)
                    {
                        if ((bits & (0x10 >> column)) != 0)
                        {
                            line.Slice(x, Overlay.Scale).Fill(White);
                        }
                    }
                }
            }
        }

        private static void DrawBox(byte[] picture, FrameLayout layout, int cameraFrame)
        {
            PixelRect box = layout.Box(cameraFrame);
            int border = Overlay.BoxBorder;
            for (int row = 0; row < box.Height; row++)
            {
                Span<ushort> line = Row(picture, layout, box.X, box.Y + row, box.Width);
                if (row < border || row >= box.Height - border)
                {
                    line.Fill(White);
                    continue;
                }

                line.Slice(0, border).Fill(White);
                line.Slice(box.Width - border).Fill(White);
                foreach (ref ushort stored in line.Slice(border, box.Width - 2 * border))
                {
                    // High byte first: halve each of the 5/6/5-bit channels of the stored value.
                    int value = ((stored & 0xFF) << 8) | (stored >> 8);
                    int r = (value >> 11) / 2, g = ((value >> 5) & 0x3F) / 2, b = (value & 0x1F) / 2;
                    value = (r << 11) | (g << 5) | b;
                    stored = (ushort)(((value & 0xFF) << 8) | (value >> 8));
                }
            }
        }

        private static Span<ushort> Row(byte[] picture, FrameLayout layout, int x, int y, int width) =>
            MemoryMarshal.Cast<byte, ushort>(picture.AsSpan(layout.ByteOffset(x, y), width * FrameLayout.BytesPerPixel));
    }
}
