namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>A rectangle of pixels.</summary>
    internal readonly struct PixelRect
    {
        public PixelRect(int x, int y, int width, int height)
        {
            X = x;
            Y = y;
            Width = width;
            Height = height;
        }

        public int X { get; }

        public int Y { get; }

        public int Width { get; }

        public int Height { get; }

        public bool Contains(int x, int y) => x >= X && x < X + Width && y >= Y && y < Y + Height;
    }

    /// <summary>
    /// Where everything sits in a frame: the crop the SPI panel shows, where that crop lands in
    /// the panel's GRAM, and the overlay (kept inside the crop, so both panels show it). The SPI
    /// panel's geometry comes from the shell (the host's simulator, or the board).
    /// </summary>
    internal sealed partial class FrameLayout
    {
        public const int BytesPerPixel = 2;
        public const int BoxWidth = 64;
        public const int BoxHeight = 16;
        public const int Margin = 8;

        private readonly int _gramWidth;

        /// <param name="width">Frame width, pixels.</param>
        /// <param name="height">Frame height, pixels.</param>
        /// <param name="glassX">The SPI panel's first visible GRAM column.</param>
        /// <param name="glass">The SPI panel's visible square, pixels a side (from GRAM row 0).</param>
        /// <param name="gramWidth">The SPI panel's GRAM width, pixels.</param>
        public FrameLayout(int width, int height, int glassX, int glass, int gramWidth)
        {
            Width = width;
            Height = height;
            _gramWidth = gramWidth;
            int cropWidth = width < glass ? width : glass;
            int cropHeight = height < glass ? height : glass;
            // An even column keeps every cropped row 4-byte aligned for the SPI DMA.
            Crop = new PixelRect(((width - cropWidth) / 2) & ~1, (height - cropHeight) / 2, cropWidth, cropHeight);
            GlassWindow = new PixelRect(glassX + (glass - cropWidth) / 2, (glass - cropHeight) / 2,
                cropWidth, cropHeight);
            Plate = new PixelRect(Crop.X + Margin, Crop.Y + Margin, Overlay.PlateWidth, Overlay.PlateHeight);
        }

        /// <summary>
        /// The layout for the board of <paramref name="heap"/>, asked of its peripherals before they
        /// are opened: frames of the camera's size where it serves one size only (an ESP32 camera
        /// controller; any other would be refused), else <paramref name="width"/> x
        /// <paramref name="height"/> within its largest; the SPI panel's GRAM as it reports it, of
        /// which the middle <paramref name="glass"/> pixels a side are glass (the module's, which no
        /// controller knows of).
        /// </summary>
        public static FrameLayout OfBoard(DmaHeap heap, int width, int height, int glass)
        {
            int cameraWidth;
            int cameraHeight;
            if (heap.GetPeripheralFrameSize("camera", out cameraWidth, out cameraHeight))
            {
                width = cameraWidth;
                height = cameraHeight;
            }
            else
            {
                width = width < cameraWidth ? width : cameraWidth;
                height = height < cameraHeight ? height : cameraHeight;
            }

            int gramWidth;
            int gramHeight;
            heap.GetPeripheralFrameSize("spi-panel", out gramWidth, out gramHeight);
            return new FrameLayout(width, height, (gramWidth - glass) / 2, glass, gramWidth);
        }

        public int Width { get; }

        public int Height { get; }

        public int Stride => Width * BytesPerPixel;

        public int FrameBytes => Width * Height * BytesPerPixel;

        /// <summary>The centre of the frame the SPI panel shows (at most its 240 x 240 glass).</summary>
        public PixelRect Crop { get; }

        /// <summary>Where the crop lands in the panel's GRAM: centred on the glass.</summary>
        public PixelRect GlassWindow { get; }

        /// <summary>Bytes of the crop alone (what the copy baseline sends to the SPI panel).</summary>
        public int CropBytes => Crop.Width * Crop.Height * BytesPerPixel;

        /// <summary>
        /// Whether the SPI panel can take whole frame rows: a frame no wider than the GRAM goes as
        /// one contiguous DMA job, the hidden columns landing in GRAM beside the glass. A wider
        /// frame is sent as the crop, one DMA job per row.
        /// </summary>
        public bool SpiTakesWholeRows => Width <= _gramWidth;

        /// <summary>The SPI write of the shared frame: mapping offset, stride and GRAM window.</summary>
        public int SpiOffset => SpiTakesWholeRows ? Crop.Y * Stride : ByteOffset(Crop.X, Crop.Y);

        public PixelRect SpiWindow => SpiTakesWholeRows
            ? new PixelRect(GlassWindow.X - Crop.X, GlassWindow.Y, Width, Crop.Height)
            : GlassWindow;

        /// <summary>The frame counter's plate.</summary>
        public PixelRect Plate { get; }

        /// <summary>The box of frame <paramref name="frame"/>: it slides across the crop as frames go by.</summary>
        public PixelRect Box(int frame)
        {
            int travel = Crop.Width - 2 * Margin - BoxWidth + 1;
            return new PixelRect(Crop.X + Margin + (int)((long)frame * 4 % travel), Plate.Y + Plate.Height + 4, BoxWidth, BoxHeight);
        }

        public int ByteOffset(int x, int y) => (y * Width + x) * BytesPerPixel;

        /// <summary>The bytes from the rectangle's first pixel to its last: the smallest CPU window holding it.</summary>
        public void ByteRange(PixelRect rect, out int offset, out int length)
        {
            offset = ByteOffset(rect.X, rect.Y);
            length = ByteOffset(rect.X + rect.Width, rect.Y + rect.Height - 1) - offset;
        }
    }
}
