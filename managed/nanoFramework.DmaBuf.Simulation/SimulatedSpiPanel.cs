using System;

namespace nanoFramework.DmaBuf.Simulation
{
    /// <summary>
    /// An SPI panel controller (ST7789) with its own frame memory (GRAM), fed by the SPI's DMA in
    /// the segments the DMA engine allows. A write sets a GRAM window and streams its pixels; the
    /// glass shows a rectangle of GRAM.
    /// </summary>
    /// <remarks>
    /// Rows that are contiguous in the buffer go as one DMA job; rows of a crop of a wider frame go
    /// one job per row, each started when the previous completes, as a driver re-arms the DMA from
    /// its transfer-complete interrupt. One write runs at a time. Pixels are RGB565, high byte
    /// first, as the controller receives them. The panel lives as long as its <see cref="SimulatedSoc"/>.
    /// </remarks>
    public sealed class SimulatedSpiPanel
    {
        /// <summary>GRAM width of an ST7789 in landscape (240 x 320 GRAM, rows and columns exchanged).</summary>
        public const int St7789RamWidth = 320;

        /// <summary>GRAM height of an ST7789 in landscape.</summary>
        public const int St7789RamHeight = 240;

        /// <summary>Side of the square glass of a 240 x 240 ST7789 module.</summary>
        public const int St7789GlassSize = 240;

        /// <summary>GRAM column where the 240-pixel glass starts (centred in the 320 columns).</summary>
        public const int St7789GlassX = (St7789RamWidth - St7789GlassSize) / 2;

        private readonly SimulatedSoc _soc;
        private readonly int _panel;

        /// <summary>Creates a 240 x 240 ST7789 module (320 x 240 GRAM, glass centred) on the SoC.</summary>
        /// <param name="soc">The simulated SoC.</param>
        /// <param name="bytesPerMicrosecond">SPI clock / 8 (5 for 40 MHz).</param>
        /// <returns>The panel.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="soc"/> is null.</exception>
        /// <exception cref="ArgumentException">The rate is not positive.</exception>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public static SimulatedSpiPanel St7789(SimulatedSoc soc, int bytesPerMicrosecond)
        {
            return new SimulatedSpiPanel(soc, St7789RamWidth, St7789RamHeight, St7789GlassX, 0, St7789GlassSize, St7789GlassSize,
                bytesPerMicrosecond);
        }

        /// <summary>Creates an SPI panel on the SoC with its own DMA engine; GRAM starts black.</summary>
        /// <param name="soc">The simulated SoC.</param>
        /// <param name="ramWidth">GRAM width in pixels.</param>
        /// <param name="ramHeight">GRAM height in pixels.</param>
        /// <param name="glassX">GRAM column of the glass's first pixel.</param>
        /// <param name="glassY">GRAM row of the glass's first pixel.</param>
        /// <param name="glassWidth">Glass width in pixels.</param>
        /// <param name="glassHeight">Glass height in pixels.</param>
        /// <param name="bytesPerMicrosecond">SPI clock / 8.</param>
        /// <exception cref="ArgumentNullException"><paramref name="soc"/> is null.</exception>
        /// <exception cref="ArgumentException">A size or the rate is not positive, or the glass is not inside GRAM.</exception>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public SimulatedSpiPanel(SimulatedSoc soc, int ramWidth, int ramHeight, int glassX, int glassY, int glassWidth, int glassHeight,
            int bytesPerMicrosecond)
        {
            if (soc == null)
            {
                throw new ArgumentNullException(nameof(soc));
            }

            _soc = soc;
            _panel = SimulationErrors.Check(SimulationNative.SpiPanelCreate(soc.PeripheralsId,
                new long[] { ramWidth, ramHeight, glassX, glassY, glassWidth, glassHeight, bytesPerMicrosecond }), "SimulatedSpiPanel");
            RamWidth = ramWidth;
            RamHeight = ramHeight;
            GlassX = glassX;
            GlassY = glassY;
            GlassWidth = glassWidth;
            GlassHeight = glassHeight;
        }

        /// <summary>GRAM width in pixels.</summary>
        public int RamWidth { get; }

        /// <summary>GRAM height in pixels.</summary>
        public int RamHeight { get; }

        /// <summary>GRAM column of the glass's first pixel.</summary>
        public int GlassX { get; }

        /// <summary>GRAM row of the glass's first pixel.</summary>
        public int GlassY { get; }

        /// <summary>Glass width in pixels.</summary>
        public int GlassWidth { get; }

        /// <summary>Glass height in pixels.</summary>
        public int GlassHeight { get; }

        /// <summary>Bytes the glass shows (2 per pixel).</summary>
        public int GlassBytes => GlassWidth * GlassHeight * 2;

        /// <summary>
        /// Streams a <paramref name="width"/> x <paramref name="height"/> window of pixels into GRAM at
        /// (<paramref name="x"/>, <paramref name="y"/>): row r of the window is the width x 2 bytes at
        /// <paramref name="offset"/> + r x <paramref name="stride"/> of the mapping.
        /// </summary>
        /// <param name="mapping">A ToDevice or Bidirectional mapping; keep it mapped until the request completes.</param>
        /// <param name="offset">Byte offset of the window's first pixel in the mapping.</param>
        /// <param name="stride">Bytes from one row to the next (the row's length when the rows are contiguous).</param>
        /// <param name="x">GRAM column of the window.</param>
        /// <param name="y">GRAM row of the window.</param>
        /// <param name="width">Window width in pixels.</param>
        /// <param name="height">Window height in pixels.</param>
        /// <returns>The request; dispose it when done.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="mapping"/> is null.</exception>
        /// <exception cref="ArgumentException">The window is empty or outside GRAM, the rows run past the mapping,
        /// the stride is shorter than a row, or the mapping does not let the device read.</exception>
        /// <exception cref="InvalidOperationException">A write is running, or no fence or request slot is left.</exception>
        /// <exception cref="ObjectDisposedException">The SoC or the mapping was disposed.</exception>
        public PeripheralRequest Write(DmaMapping mapping, int offset, int stride, int x, int y, int width, int height)
        {
            if (mapping == null)
            {
                throw new ArgumentNullException(nameof(mapping));
            }

            int fence = SimulationErrors.Check(SimulationNative.SpiPanelWrite(_soc.PeripheralsId, _panel,
                SimulationNative.MappingValuesOf(mapping), offset, stride, new[] { x, y, width, height }), "SimulatedSpiPanel");
            return new PeripheralRequest(_soc, fence);
        }

        /// <summary>Copies what the glass shows into <paramref name="destination"/>.</summary>
        /// <param name="destination">Exactly <see cref="GlassBytes"/> bytes.</param>
        /// <exception cref="ArgumentException"><paramref name="destination"/> has another length.</exception>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public void ReadGlass(Span<byte> destination)
        {
            SimulationErrors.Check(SimulationNative.SpiPanelGlass(_soc.PeripheralsId, _panel, destination), "SimulatedSpiPanel");
        }

        /// <summary>Writes completed, DMA jobs they took, bytes received.</summary>
        /// <returns>A snapshot.</returns>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public SimulatedSpiPanelStatistics GetStatistics()
        {
            long[] values = new long[3];
            SimulationErrors.Check(SimulationNative.SpiPanelStatistics(_soc.PeripheralsId, _panel, values), "SimulatedSpiPanel");
            return new SimulatedSpiPanelStatistics(values);
        }
    }
}
