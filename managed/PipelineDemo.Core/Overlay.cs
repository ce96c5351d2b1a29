namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// The overlay the CPU draws on every frame: the camera frame number on a black plate, and a
    /// box that darkens the picture under it (so drawing it reads the camera's pixels, not only
    /// writes). Drawn where the frame lies, through <see cref="DmaFrame"/>: each step is one native
    /// call, so no pixel is copied and the same code runs on nanoFramework 1.17, which has no Span
    /// over DMA memory. The plate's steps run inside one ToDevice access over the plate, the box's
    /// inside one Bidirectional access over the box (<see cref="DmaFrame.BeginCpuAccess"/>): their
    /// windows overlap, and so each cache line is maintained once per frame, not once per step.
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
        public const int BoxBorder = 2;

        private const int White = 0xFFFFFF;
        private const int Black = 0x000000;

        /// <summary>Draws the plate with <paramref name="number"/> (last <see cref="Digits"/> digits, zero-padded):
        /// two native calls inside one ToDevice access (both only write), the black plate, then the
        /// digits in the built-in font (whose digits are the glyphs this demo always drew).</summary>
        public static void DrawPlate(DmaFrame frame, FrameLayout layout, int number)
        {
            PixelRect plate = layout.Plate;
            using (frame.BeginCpuAccess(DmaDirection.ToDevice, plate.X, plate.Y, plate.Width, plate.Height))
            {
                frame.FillRectangle(plate.X, plate.Y, plate.Width, plate.Height, Black);
                frame.DrawText(plate.X + Padding, plate.Y + Padding, Number(number), White, Scale);
            }
        }

        /// <summary>Draws the box of camera frame <paramref name="cameraFrame"/>: the camera's pixels inside
        /// darkened, in a white border. Five native calls inside one Bidirectional access over the box
        /// (darkening reads the camera's pixels): the inside, then the four border strips.</summary>
        public static void DrawBox(DmaFrame frame, FrameLayout layout, int cameraFrame)
        {
            PixelRect box = layout.Box(cameraFrame);
            int inner = box.Height - 2 * BoxBorder;
            using (frame.BeginCpuAccess(DmaDirection.Bidirectional, box.X, box.Y, box.Width, box.Height))
            {
                frame.DarkenRectangle(box.X + BoxBorder, box.Y + BoxBorder, box.Width - 2 * BoxBorder, inner);
                frame.FillRectangle(box.X, box.Y, box.Width, BoxBorder, White);
                frame.FillRectangle(box.X, box.Y + BoxBorder, BoxBorder, inner, White);
                frame.FillRectangle(box.X + box.Width - BoxBorder, box.Y + BoxBorder, BoxBorder, inner, White);
                frame.FillRectangle(box.X, box.Y + box.Height - BoxBorder, box.Width, BoxBorder, White);
            }
        }

        // The last Digits digits of number, zero-padded (no format strings: nanoFramework 1.17's are few).
        private static string Number(int number)
        {
            char[] digits = new char[Digits];
            for (int i = Digits - 1; i >= 0; i--, number /= 10)
            {
                digits[i] = (char)('0' + number % 10);
            }

            return new string(digits);
        }
    }
}
