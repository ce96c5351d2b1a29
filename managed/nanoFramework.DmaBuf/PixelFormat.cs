namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// How a <see cref="DmaFrame"/> stores its pixels, and what a frame peripheral (<see cref="Camera"/>,
    /// <see cref="ScanoutDisplay"/>, <see cref="SpiPanel"/>) is configured for; each device takes some of them.
    /// </summary>
    /// <remarks>
    /// The values are the native <c>enum dmabuf_pixel_format</c>
    /// (native-interop/include/dmabuf/pixel.h). KEEP IN SYNC.
    /// </remarks>
    public enum PixelFormat
    {
        /// <summary>16-bit RGB565 (5 red, 6 green, 5 blue bits), low byte first.</summary>
        Rgb565LittleEndian = 1,

        /// <summary>
        /// 16-bit RGB565, high byte first: what DVP cameras deliver and ST7789 / ILI9341 panels take.
        /// </summary>
        Rgb565BigEndian = 2,

        /// <summary>3 bytes per pixel: red, green, blue.</summary>
        Rgb888 = 3,

        /// <summary>1 byte of luma per pixel.</summary>
        Gray8 = 4,

        /// <summary>
        /// YUV 4:2:2 as a DVP camera delivers it: 4 bytes per pixel pair (Y0 U Y1 V, BT.601 limited
        /// range). Width must be even. A copy source only: drawing on it throws NotSupportedException.
        /// </summary>
        Yuyv = 5
    }
}
