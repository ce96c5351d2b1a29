using System;
using System.Threading;

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
    /// <para>A controller shows nothing after power-on or reset until it is initialised: call
    /// <see cref="Initialize"/> once after opening (the simulated board's panel refuses pixels until
    /// then, as a real one would leave its glass dark).</para>
    /// <para>One transfer runs at a time. Opened by <see cref="DmaHeap.OpenSpiPanel"/>. Thread-safe.</para>
    /// </remarks>
    public sealed class SpiPanel : DmaPeripheral
    {
        /// <summary>Parameter bytes one <see cref="SendCommand"/> carries at most.</summary>
        public const int MaximumCommandParameters = 16;

        /// <summary>
        /// MADCTL for the landscape GRAM an ST7789 module is used with (320 x 240): MX | MV, rows and
        /// columns exchanged, RGB order.
        /// </summary>
        public const int LandscapeMemoryAccess = 0x60;

        // ST7789 / ILI9341 commands (Sitronix ST7789V datasheet, "System Function Command Table 1").
        private const int SoftwareReset = 0x01;
        private const int SleepOut = 0x11;
        private const int InversionOn = 0x21;
        private const int DisplayOn = 0x29;
        private const int ColumnAddressSet = 0x2A;
        private const int RowAddressSet = 0x2B;
        private const int MemoryAccessControl = 0x36;
        private const int PixelFormatSet = 0x3A;
        private const int Pixels16Bits = 0x55; // COLMOD: 65K colours, 16 bits per pixel on the interface

        // The datasheet's waits: 5 ms after SWRESET before any command and 120 ms before SLPOUT;
        // 120 ms after SLPOUT for the supply and clocks to settle.
        private const int ResetMilliseconds = 120;
        private const int SleepOutMilliseconds = 120;

        internal SpiPanel(DmaHeap heap, string name, PixelFormat format)
            : base(heap, name, KindSpiPanel, 0, 0, format)
        {
        }

        /// <summary>
        /// Initialises the controller for the panel's pixel format: SWRESET, SLPOUT, COLMOD 0x55 (16
        /// bits per pixel), MADCTL <paramref name="memoryAccess"/>, INVON if
        /// <paramref name="invertColors"/>, CASET / RASET over all of GRAM, DISPON.
        /// </summary>
        /// <remarks>
        /// Sleeps the calling thread for the waits the datasheet asks after SWRESET and SLPOUT (about a
        /// quarter of a second; other threads run meanwhile, and no native call blocks). Each command
        /// goes through <see cref="SendCommand"/>, whose fence is waited for.
        /// </remarks>
        /// <param name="memoryAccess">MADCTL: <see cref="LandscapeMemoryAccess"/> for an ST7789 module used
        /// 320 x 240; ILI9341 modules often need BGR order (bit 3) as well.</param>
        /// <param name="invertColors">Send INVON: IPS ST7789 modules show true colours only inverted;
        /// ILI9341 modules do not want it.</param>
        /// <exception cref="NotSupportedException">The panel is not configured for RGB565, or its back end sends no commands.</exception>
        /// <exception cref="InvalidOperationException">A transfer is running.</exception>
        /// <exception cref="OutOfMemoryException">No fence is left in the heap's pool.</exception>
        /// <exception cref="TimeoutException">A command's fence was never signalled (nothing could send it).</exception>
        /// <exception cref="System.IO.IOException">A command's fence was signalled with a failure (its SPI transfer failed).</exception>
        /// <exception cref="ObjectDisposedException">The panel was disposed.</exception>
        public void Initialize(int memoryAccess, bool invertColors)
        {
            if (Format != PixelFormat.Rgb565BigEndian && Format != PixelFormat.Rgb565LittleEndian)
            {
                throw new NotSupportedException("the panel is initialised for RGB565 only");
            }

            Command(SoftwareReset, null);
            Thread.Sleep(ResetMilliseconds);
            Command(SleepOut, null);
            Thread.Sleep(SleepOutMilliseconds);
            Command(PixelFormatSet, new byte[] { Pixels16Bits });
            Command(MemoryAccessControl, new byte[] { (byte)memoryAccess });
            if (invertColors)
            {
                Command(InversionOn, null);
            }

            Command(ColumnAddressSet, AddressRange(MaximumWidth));
            Command(RowAddressSet, AddressRange(MaximumHeight));
            Command(DisplayOn, null);
        }

        /// <summary>
        /// Sends a controller command with its parameter bytes (the data/command line low for the
        /// command byte only), as the pixel writes' CASET / RASET / RAMWR are sent.
        /// </summary>
        /// <param name="command">The command byte, 0 to 255.</param>
        /// <param name="parameters">Its parameter bytes (at most <see cref="MaximumCommandParameters"/>), or null for none.</param>
        /// <returns>The command's fence, signalled when the last byte has left; the caller's to dispose.
        /// The waits a command needs after it are the caller's.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="command"/> is not a byte.</exception>
        /// <exception cref="ArgumentException">More than <see cref="MaximumCommandParameters"/> parameters.</exception>
        /// <exception cref="NotSupportedException">The panel's back end sends no commands.</exception>
        /// <exception cref="InvalidOperationException">A transfer is running.</exception>
        /// <exception cref="OutOfMemoryException">No fence is left in the heap's pool.</exception>
        /// <exception cref="ObjectDisposedException">The panel was disposed.</exception>
        public DmaFence SendCommand(int command, byte[] parameters)
        {
            if (command < 0 || command > 0xFF)
            {
                ThrowHelper.ThrowArgumentOutOfRange("command", "must be a byte");
            }

            if (parameters != null && parameters.Length > MaximumCommandParameters)
            {
                ThrowHelper.ThrowArgument("more parameters than a command carries", "parameters");
            }

            return StartCommand(command, parameters);
        }

        private void Command(int command, byte[] parameters)
        {
            DmaFence sent = SendCommand(command, parameters);
            try
            {
                sent.Wait(-1);
            }
            finally
            {
                sent.Dispose();
            }
        }

        // CASET / RASET parameters for addresses 0 .. count - 1: first and last, high byte first.
        private static byte[] AddressRange(int count)
        {
            int last = count - 1;
            return new byte[] { 0, 0, (byte)(last >> 8), (byte)last };
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
        /// <exception cref="InvalidOperationException">A transfer is running, or the controller is not initialised
        /// (the simulated board's panel refuses pixels until <see cref="Initialize"/>).</exception>
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
