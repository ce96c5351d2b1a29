using System;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// The overlay the CPU draws on every frame: the camera frame number on a black plate, and a
    /// box that darkens the picture under it (so drawing it reads the camera's pixels, not only
    /// writes). Pixels are RGB565, high byte first.
    /// </summary>
    internal static class Overlay
    {
        public const int Digits = 6;
        public const int Scale = 2;
        public const int Padding = 3;
        public const int GlyphWidth = 5;
        public const int GlyphHeight = 7;
        public const int PlateWidth = 2 * Padding + Digits * GlyphWidth * Scale + (Digits - 1) * Scale;
        public const int PlateHeight = 2 * Padding + GlyphHeight * Scale;
        public const ushort White = 0xFFFF;
        public const ushort Black = 0x0000;
        public const int BoxBorder = 2;

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

        // Keeps each channel's bits after a shift right by one: none crosses into its neighbour.
        private const ushort DarkenMask = 0x7BEF;

        /// <summary>Halves each channel: the box's shade.</summary>
        public static ushort Darken(ushort pixel) => (ushort)((pixel >> 1) & DarkenMask);

        /// <summary>
        /// Draws the plate with <paramref name="number"/> (last <see cref="Digits"/> digits, zero-padded).
        /// <paramref name="window"/> holds the frame's bytes from <paramref name="windowOffset"/> on and
        /// must cover the plate.
        /// </summary>
        public static void DrawPlate(Span<byte> window, int windowOffset, FrameLayout layout, int number)
        {
            // Black is 0x0000 and white 0xFFFF in either byte order: fill each row black, then set
            // the lit pixels of the glyph row it shows, two pixels (one Scale step) at a time.
            PixelRect plate = layout.Plate;
            Span<int> digits = stackalloc int[Digits];
            for (int i = Digits - 1, n = number; i >= 0; i--, n /= 10)
            {
                digits[i] = n % 10;
            }

            for (int row = 0; row < plate.Height; row++)
            {
                Span<ushort> line = MemoryMarshal.Cast<byte, ushort>(
                    window.Slice(layout.ByteOffset(plate.X, plate.Y + row) - windowOffset, plate.Width * 2));
                line.Fill(Black);
                int glyphRow = (row - Padding) / Scale;
                if (row < Padding || glyphRow >= GlyphHeight)
                {
                    continue;
                }

                for (int cell = 0; cell < Digits; cell++)
                {
                    int bits = Font[digits[cell] * GlyphHeight + glyphRow];
                    int x = Padding + cell * (GlyphWidth + 1) * Scale;
                    for (int column = 0; column < GlyphWidth; column++, x += Scale)
                    {
                        if ((bits & (0x10 >> column)) != 0)
                        {
                            line.Slice(x, Scale).Fill(White);
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Draws the box of frame <paramref name="frame"/>: a white border around the camera's pixels,
        /// darkened. <paramref name="window"/> holds the frame's bytes from <paramref name="windowOffset"/>
        /// on and must cover the box.
        /// </summary>
        public static void DrawBox(Span<byte> window, int windowOffset, FrameLayout layout, int frame)
        {
            PixelRect box = layout.Box(frame);
            for (int row = 0; row < box.Height; row++)
            {
                Span<ushort> line = MemoryMarshal.Cast<byte, ushort>(
                    window.Slice(layout.ByteOffset(box.X, box.Y + row) - windowOffset, box.Width * 2));
                if (row < BoxBorder || row >= box.Height - BoxBorder)
                {
                    line.Fill(White);
                    continue;
                }

                line.Slice(0, BoxBorder).Fill(White);
                line.Slice(box.Width - BoxBorder).Fill(White);
                DarkenStored(line.Slice(BoxBorder, box.Width - 2 * BoxBorder));
            }
        }

        /// <summary>
        /// <see cref="Darken"/> on pixels stored high byte first. On a little-endian host a whole
        /// vector of pixels at a time (byte swap, darken, swap back), the rest one by one: the box
        /// is drawn in every frame of both pipelines, and pixel by pixel it was the largest part of
        /// the overlay's time (docs/DEMO.md).
        /// </summary>
        private static void DarkenStored(Span<ushort> pixels)
        {
            int done = 0;
            if (BitConverter.IsLittleEndian)
            {
                Vector<ushort> mask = new Vector<ushort>(DarkenMask);
                Span<Vector<ushort>> vectors = MemoryMarshal.Cast<ushort, Vector<ushort>>(pixels);
                foreach (ref Vector<ushort> stored in vectors)
                {
                    Vector<ushort> pixel = Vector.ShiftLeft(stored, 8) | Vector.ShiftRightLogical(stored, 8);
                    pixel = Vector.ShiftRightLogical(pixel, 1) & mask;
                    stored = Vector.ShiftLeft(pixel, 8) | Vector.ShiftRightLogical(pixel, 8);
                }

                done = vectors.Length * Vector<ushort>.Count;
            }

            foreach (ref ushort stored in pixels.Slice(done))
            {
                stored = FromBigEndian(Darken(FromBigEndian(stored)));
            }
        }

        // Big-endian storage to host order and back (the same swap both ways).
        private static ushort FromBigEndian(ushort stored) =>
            BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(stored) : stored;
    }
}
