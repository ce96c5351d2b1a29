using System;

namespace nanoFramework.DmaBuf.Simulation
{
    /// <summary>
    /// A camera sensor streaming RGB565 frames (high byte first) through a DMA engine of the
    /// simulated SoC, as a DCMI, LCD_CAM or MIPI-CSI receiver does: sensor frame n starts at
    /// virtual time n x <see cref="FramePeriodNanoseconds"/>, and a capture queued before a frame
    /// start receives that frame.
    /// </summary>
    /// <remarks>
    /// The picture (moving colour bands and a bouncing ball) is a pure function of the frame
    /// number, the size and the seed: <see cref="RenderFrame"/> computes it without any simulator,
    /// so tests know what every frame must contain. The camera lives as long as its
    /// <see cref="SimulatedSoc"/>.
    /// </remarks>
    public sealed class SimulatedCamera
    {
        private readonly SimulatedSoc _soc;
        private readonly int _camera;

        /// <summary>Creates a camera on the SoC with its own DMA engine.</summary>
        /// <param name="soc">The simulated SoC.</param>
        /// <param name="width">Frame width in pixels.</param>
        /// <param name="height">Frame height in pixels.</param>
        /// <param name="seed">Varies the picture; the same seed gives the same frames.</param>
        /// <param name="framePeriodNanoseconds">Sensor frame period (33 333 333 for 30 frames per second).</param>
        /// <param name="bytesPerMicrosecond">DMA rate, the sensor's pixel clock in bytes; a frame that takes
        /// longer than a period makes the next frame start find the DMA busy (a missed frame).</param>
        /// <exception cref="ArgumentNullException"><paramref name="soc"/> is null.</exception>
        /// <exception cref="ArgumentException">A size, the period or the rate is not positive.</exception>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public SimulatedCamera(SimulatedSoc soc, int width, int height, long seed, long framePeriodNanoseconds, int bytesPerMicrosecond)
        {
            if (soc == null)
            {
                throw new ArgumentNullException(nameof(soc));
            }

            if (width <= 0 || height <= 0 || framePeriodNanoseconds <= 0 || bytesPerMicrosecond <= 0)
            {
                throw new ArgumentException("sizes, period and rate must be positive");
            }

            _soc = soc;
            _camera = SimulationErrors.Check(SimulationNative.CameraCreate(soc.PeripheralsId,
                new long[] { width, height, seed, framePeriodNanoseconds, bytesPerMicrosecond }), "SimulatedCamera");
            Width = width;
            Height = height;
            Seed = seed;
            FramePeriodNanoseconds = framePeriodNanoseconds;
        }

        /// <summary>Frame width in pixels.</summary>
        public int Width { get; }

        /// <summary>Frame height in pixels.</summary>
        public int Height { get; }

        /// <summary>Bytes of one frame (2 per pixel).</summary>
        public int FrameBytes => Width * Height * 2;

        /// <summary>The picture's seed.</summary>
        public long Seed { get; }

        /// <summary>The sensor's frame period in virtual nanoseconds.</summary>
        public long FramePeriodNanoseconds { get; }

        /// <summary>
        /// Queues a capture into a mapping; the next frame start writes the frame. Captures are
        /// served in order, one frame each. <see cref="PeripheralRequest.Sequence"/> then tells the
        /// sensor frame number captured.
        /// </summary>
        /// <param name="mapping">A FromDevice or Bidirectional mapping of at least <see cref="FrameBytes"/>;
        /// keep it mapped until the request completes.</param>
        /// <returns>The request; dispose it when done.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="mapping"/> is null.</exception>
        /// <exception cref="ArgumentException">The mapping does not let the device write, or is shorter than a frame.</exception>
        /// <exception cref="InvalidOperationException">No fence or request slot is left.</exception>
        /// <exception cref="ObjectDisposedException">The SoC or the mapping was disposed.</exception>
        public PeripheralRequest Capture(DmaMapping mapping)
        {
            if (mapping == null)
            {
                throw new ArgumentNullException(nameof(mapping));
            }

            int fence = SimulationErrors.Check(SimulationNative.CameraCapture(_soc.PeripheralsId, _camera,
                SimulationNative.MappingValuesOf(mapping)), "SimulatedCamera");
            return new PeripheralRequest(_soc, fence);
        }

        /// <summary>Frames captured, missed and queued so far.</summary>
        /// <returns>A snapshot.</returns>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public SimulatedCameraStatistics GetStatistics()
        {
            long[] values = new long[3];
            SimulationErrors.Check(SimulationNative.CameraStatistics(_soc.PeripheralsId, _camera, values), "SimulatedCamera");
            return new SimulatedCameraStatistics(values);
        }

        /// <summary>
        /// Computes frame <paramref name="frame"/> of a camera of that size and seed, byte for byte as
        /// its DMA writes it, without any simulator.
        /// </summary>
        /// <param name="width">Frame width in pixels.</param>
        /// <param name="height">Frame height in pixels.</param>
        /// <param name="seed">The camera's seed.</param>
        /// <param name="frame">Sensor frame number (0 or more).</param>
        /// <param name="destination">Receives the first <c>destination.Length</c> bytes of the frame (at most a frame).</param>
        /// <exception cref="ArgumentException">A size or the frame number is out of range, or <paramref name="destination"/> is longer than a frame.</exception>
        public static void RenderFrame(int width, int height, long seed, int frame, Span<byte> destination)
        {
            SimulationErrors.Check(SimulationNative.CameraPattern(width, height, seed, frame, destination), "SimulatedCamera");
        }
    }
}
