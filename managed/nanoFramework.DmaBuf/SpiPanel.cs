using System;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// An SPI panel controller with its own frame memory (GRAM), ST7789 or ILI9341, fed by the SPI's
    /// DMA: <see cref="WriteRectangle"/> sets a window of GRAM (CASET, RASET), starts a memory write
    /// (RAMWR) and streams a rectangle of a mapped frame into it.
    /// </summary>
    /// <remarks>
    /// <para>The rectangle may be a crop of a wider frame: its rows are <c>stride</c> bytes apart
    /// in the frame and are sent one after the other, as the controller expects them. GRAM is
    /// <see cref="DmaPeripheral.MaximumWidth"/> x <see cref="DmaPeripheral.MaximumHeight"/> pixels
    /// (320 x 240 in landscape on an ST7789); a module's glass shows part of it.</para>
    /// <para>One transfer runs at a time. Opened by <see cref="DmaHeap.OpenSpiPanel"/>. Thread-safe.</para>
    /// </remarks>
    public sealed class SpiPanel : DmaPeripheral
    {
        internal SpiPanel(DmaHeap heap, string name, PixelFormat format)
            : base(heap, name, KindSpiPanel, 0, 0, format)
        {
        }

        /// <summary>
        /// Writes a <paramref name="width"/> x <paramref name="height"/> rectangle of
        /// <paramref name="frame"/> into GRAM at (<paramref name="x"/>, <paramref name="y"/>): row r
        /// of the rectangle is the <paramref name="width"/> pixels at byte <paramref name="offset"/>
        /// + r x <paramref name="stride"/> of the frame.
        /// </summary>
        /// <param name="frame">A ToDevice or Bidirectional mapping on <see cref="DmaPeripheral.Device"/>; keep it mapped until the fence signals.</param>
        /// <param name="offset">Byte offset of the rectangle's first pixel in the frame.</param>
        /// <param name="stride">Bytes from one row of the frame to the next (at least a row of the rectangle).</param>
        /// <param name="x">GRAM column of the window.</param>
        /// <param name="y">GRAM row of the window.</param>
        /// <param name="width">Window width in pixels.</param>
        /// <param name="height">Window height in pixels.</param>
        /// <returns>The transfer's fence, signalled when the last byte has left; the caller's to dispose.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="frame"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">A coordinate, size, offset or stride is negative, or the window is not inside GRAM.</exception>
        /// <exception cref="ArgumentException">The window is empty, the stride is shorter than a row, or the mapping does not let the panel's DMA read.</exception>
        /// <exception cref="DmaConstraintException">The rectangle's rows run past the end of the frame.</exception>
        /// <exception cref="InvalidOperationException">A transfer is running.</exception>
        /// <exception cref="OutOfMemoryException">No fence is left in the heap's pool.</exception>
        /// <exception cref="ObjectDisposedException">The panel or the mapping was disposed.</exception>
        public DmaFence WriteRectangle(DmaMapping frame, int offset, int stride, int x, int y, int width, int height)
        {
            CheckNotNegative(offset, "offset");
            CheckNotNegative(stride, "stride");
            CheckNotNegative(x, "x");
            CheckNotNegative(y, "y");
            CheckNotNegative(width, "width");
            CheckNotNegative(height, "height");
            return StartJob(KindSpiPanel, frame, offset, stride, new int[] { x, y, width, height });
        }

        private static void CheckNotNegative(int value, string paramName)
        {
            if (value < 0)
            {
                ThrowHelper.ThrowArgumentOutOfRange(paramName, "must not be negative");
            }
        }
    }
}
