using System;

namespace nanoFramework.DmaBuf.Simulation
{
    /// <summary>
    /// A display with its own panel memory (a DSI command-mode or GRAM panel): at the first vsync
    /// after <see cref="Present"/>, a DMA engine of the simulated SoC reads the frame once into the
    /// panel, which keeps showing it. Vsync n is at virtual time n x the refresh period.
    /// </summary>
    /// <remarks>
    /// The request of a presentation completes when the scanout has read the whole frame: the
    /// buffer is the application's again. One presentation waits for vsync at a time. Frames are
    /// RGB565, high byte first. The display lives as long as its <see cref="SimulatedSoc"/>.
    /// </remarks>
    public sealed class SimulatedDisplay
    {
        private readonly SimulatedSoc _soc;
        private readonly int _display;

        /// <summary>Creates a display on the SoC with its own DMA engine; the panel starts black.</summary>
        /// <param name="soc">The simulated SoC.</param>
        /// <param name="width">Panel width in pixels.</param>
        /// <param name="height">Panel height in pixels.</param>
        /// <param name="refreshPeriodNanoseconds">Time between vsyncs (16 666 667 for 60 Hz).</param>
        /// <param name="bytesPerMicrosecond">Scanout DMA rate.</param>
        /// <exception cref="ArgumentNullException"><paramref name="soc"/> is null.</exception>
        /// <exception cref="ArgumentException">A size, the period or the rate is not positive.</exception>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public SimulatedDisplay(SimulatedSoc soc, int width, int height, long refreshPeriodNanoseconds, int bytesPerMicrosecond)
        {
            if (soc == null)
            {
                throw new ArgumentNullException(nameof(soc));
            }

            if (width <= 0 || height <= 0 || refreshPeriodNanoseconds <= 0 || bytesPerMicrosecond <= 0)
            {
                throw new ArgumentException("sizes, period and rate must be positive");
            }

            _soc = soc;
            _display = SimulationErrors.Check(SimulationNative.DisplayCreate(soc.PeripheralsId,
                new long[] { width, height, refreshPeriodNanoseconds, bytesPerMicrosecond }), "SimulatedDisplay");
            Width = width;
            Height = height;
        }

        /// <summary>Panel width in pixels.</summary>
        public int Width { get; }

        /// <summary>Panel height in pixels.</summary>
        public int Height { get; }

        /// <summary>Bytes of one frame (2 per pixel).</summary>
        public int FrameBytes => Width * Height * 2;

        /// <summary>Presents the frame at the start of a mapping at the next vsync.</summary>
        /// <param name="mapping">A ToDevice or Bidirectional mapping of at least <see cref="FrameBytes"/>;
        /// keep it mapped until the request completes.</param>
        /// <returns>The request; dispose it when done.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="mapping"/> is null.</exception>
        /// <exception cref="ArgumentException">The mapping does not let the device read, or is shorter than a frame.</exception>
        /// <exception cref="InvalidOperationException">A frame already waits for vsync, or no fence or request slot is left.</exception>
        /// <exception cref="ObjectDisposedException">The SoC or the mapping was disposed.</exception>
        public PeripheralRequest Present(DmaMapping mapping)
        {
            if (mapping == null)
            {
                throw new ArgumentNullException(nameof(mapping));
            }

            int fence = SimulationErrors.Check(SimulationNative.DisplayPresent(_soc.PeripheralsId, _display,
                SimulationNative.MappingValuesOf(mapping)), "SimulatedDisplay");
            return new PeripheralRequest(_soc, fence);
        }

        /// <summary>Copies what the panel shows into <paramref name="destination"/>.</summary>
        /// <param name="destination">Exactly <see cref="FrameBytes"/> bytes.</param>
        /// <exception cref="ArgumentException"><paramref name="destination"/> has another length.</exception>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public void ReadPanel(Span<byte> destination)
        {
            SimulationErrors.Check(SimulationNative.DisplayPanel(_soc.PeripheralsId, _display, destination), "SimulatedDisplay");
        }

        /// <summary>Scanouts done, and vsyncs a frame had to skip because the previous scanout still ran.</summary>
        /// <returns>A snapshot.</returns>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public SimulatedDisplayStatistics GetStatistics()
        {
            long[] values = new long[2];
            SimulationErrors.Check(SimulationNative.DisplayStatistics(_soc.PeripheralsId, _display, values), "SimulatedDisplay");
            return new SimulatedDisplayStatistics(values);
        }
    }
}
