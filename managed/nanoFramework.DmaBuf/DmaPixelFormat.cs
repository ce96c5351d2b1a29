namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// The pixel formats a frame peripheral (<see cref="Camera"/>, <see cref="ScanoutDisplay"/>,
    /// <see cref="SpiPanel"/>) can be configured for; each device takes some of them.
    /// KEEP IN SYNC with enum dmabuf_pixel_format (native-interop/include/dmabuf/peripheral.h).
    /// </summary>
    public enum DmaPixelFormat
    {
        /// <summary>RGB565, high byte first: what a DVP sensor puts on its bus and an ST7789 takes on SPI. 2 bytes.</summary>
        Rgb565BigEndian = 0,

        /// <summary>RGB565, low byte first: the CPU's own 16-bit value, what LTDC reads. 2 bytes.</summary>
        Rgb565LittleEndian = 1,

        /// <summary>8 bits each of red, green, blue. 3 bytes.</summary>
        Rgb888 = 2,

        /// <summary>8-bit luminance. 1 byte.</summary>
        Gray8 = 3,

        /// <summary>YUV 4:2:2 (YUYV), what a DVP camera delivers. 2 bytes per pixel.</summary>
        Yuv422 = 4
    }
}
