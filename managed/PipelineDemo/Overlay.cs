using System;
using System.Buffers.Binary;

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

        /// <summary>Halves each channel: the box's shade.</summary>
        public static ushort Darken(ushort pixel) => (ushort)((pixel >> 1) & 0x7BEF);

        /// <summary>
        /// Draws the plate with <paramref name="number"/> (last <see cref="Digits"/> digits, zero-padded).
        /// <paramref name="window"/> holds the frame's bytes from <paramref name="windowOffset"/> on and
        /// must cover the plate.
        /// </summary>
        public static void DrawPlate(Span<byte> window, int windowOffset, FrameLayout layout, int number)
        {
            PixelRect plate = layout.Plate;
            Span<int> digits = stackalloc int[Digits];
            for (int i = Digits - 1, n = number; i >= 0; i--, n /= 10)
            {
                digits[i] = n % 10;
            }

            for (int row = 0; row < plate.Height; row++)
            {
                Span<byte> line = window.Slice(layout.ByteOffset(plate.X, plate.Y + row) - windowOffset, plate.Width * 2);
                int glyphRow = (row - Padding) / Scale;
                bool textRow = row >= Padding && glyphRow < GlyphHeight;
                for (int column = 0; column < plate.Width; column++)
                {
                    bool lit = false;
                    int inText = column - Padding;
                    if (textRow && inText >= 0)
                    {
                        int cell = inText / ((GlyphWidth + 1) * Scale);
                        int glyphColumn = inText % ((GlyphWidth + 1) * Scale) / Scale;
                        lit = cell < Digits && glyphColumn < GlyphWidth
                            && (Font[digits[cell] * GlyphHeight + glyphRow] & (0x10 >> glyphColumn)) != 0;
                    }

                    BinaryPrimitives.WriteUInt16BigEndian(line.Slice(column * 2), lit ? White : Black);
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
                Span<byte> line = window.Slice(layout.ByteOffset(box.X, box.Y + row) - windowOffset, box.Width * 2);
                bool edgeRow = row < BoxBorder || row >= box.Height - BoxBorder;
                for (int column = 0; column < box.Width; column++)
                {
                    Span<byte> pixel = line.Slice(column * 2, 2);
                    bool edge = edgeRow || column < BoxBorder || column >= box.Width - BoxBorder;
                    BinaryPrimitives.WriteUInt16BigEndian(pixel, edge ? White : Darken(BinaryPrimitives.ReadUInt16BigEndian(pixel)));
                }
            }
        }
    }
}
