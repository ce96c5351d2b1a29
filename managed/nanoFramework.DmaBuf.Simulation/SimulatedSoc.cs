using System;

namespace nanoFramework.DmaBuf.Simulation
{
    /// <summary>
    /// The simulated SoC behind a host <see cref="DmaHeap"/>: its virtual time, its write-back
    /// cache model and the peripherals (<see cref="SimulatedCamera"/>, <see cref="SimulatedDisplay"/>,
    /// <see cref="SimulatedSpiPanel"/>) that move frames with its DMA engines.
    /// </summary>
    /// <remarks>
    /// <para>Virtual time only moves when <see cref="RunUntil"/> or a wait runs it: the CPU's own
    /// work takes no virtual time. Waiting for a peripheral is <see cref="WaitAny(PeripheralRequest[], long)"/>, which runs
    /// virtual time up to the moment a fence is signalled (a thread blocking on the fence would
    /// never see virtual time move).</para>
    /// <para>Dispose the SoC before the heap's last buffer: its peripherals run on the heap's
    /// simulator. Dispose runs virtual time until every pending request has finished. Not
    /// thread-safe: one thread drives a simulator.</para>
    /// </remarks>
    public sealed class SimulatedSoc : IDisposable
    {
        private readonly DmaHeap _heap;
        private readonly int _heapId;
        private int _peripherals;
        private double _evictionRate;
        private bool _cacheOperationsDropped;
        private int[] _fences = new int[4];

        private SimulatedSoc(DmaHeap heap, int heapId, int peripherals)
        {
            _heap = heap;
            _heapId = heapId;
            _peripherals = peripherals;
        }

        /// <summary>Opens the simulated SoC of a host heap.</summary>
        /// <param name="heap">A heap opened on host .NET (<see cref="DmaHeap.Open(string)"/>).</param>
        /// <returns>The SoC; dispose it before the heap.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="heap"/> is null.</exception>
        /// <exception cref="ObjectDisposedException">The heap is closed.</exception>
        public static SimulatedSoc Open(DmaHeap heap)
        {
            if (heap == null)
            {
                throw new ArgumentNullException(nameof(heap));
            }

            int heapId = SimulationNative.HeapId(heap);
            SimulationErrors.Check(SimulationNative.PeripheralsOpen(heapId, out int peripherals), "DmaHeap");
            return new SimulatedSoc(heap, heapId, peripherals);
        }

        /// <summary>
        /// The calling thread's CPU time in nanoseconds (CLOCK_THREAD_CPUTIME_ID, read by the native
        /// simulator): the clock <see cref="SimulatedCacheCounters.ModelNanoseconds"/> is measured on.
        /// Measure CPU work with it to subtract the cache model's share on the same clock.
        /// </summary>
        /// <returns>Nanoseconds of CPU time the thread has used.</returns>
        public static long ThreadCpuNanoseconds() => SimulationNative.ThreadCpuNanoseconds();

        /// <summary>The heap this SoC belongs to.</summary>
        public DmaHeap Heap => _heap;

        /// <summary>Whether <see cref="Dispose"/> was called.</summary>
        public bool IsDisposed => _peripherals == 0;

        internal int PeripheralsId
        {
            get
            {
                ThrowIfDisposed();
                return _peripherals;
            }
        }

        /// <summary>Virtual time in nanoseconds since the SoC was created.</summary>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public long Now
        {
            get
            {
                ThrowIfDisposed();
                SimulationErrors.Check(SimulationNative.Now(_heapId, out long now), "SimulatedSoc");
                return now;
            }
        }

        /// <summary>
        /// Probability (0 to 1) that the cache model evicts a given line in each random round; a
        /// round follows every DMA segment. Evictions write dirty lines back and refill clean ones,
        /// at seeded-random moments, as cache pressure does on hardware. Starts at 0.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The value is outside 0..1.</exception>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public double EvictionRate
        {
            get => _evictionRate;
            set
            {
                if (!(value >= 0.0 && value <= 1.0))
                {
                    throw new ArgumentOutOfRangeException(nameof(value), "an eviction rate is between 0 and 1");
                }

                ThrowIfDisposed();
                SimulationErrors.Check(SimulationNative.SetEvictionRate(_heapId, value), "SimulatedSoc");
                _evictionRate = value;
            }
        }

        /// <summary>Restarts the eviction schedule from <paramref name="seed"/>: the same seed, the same evictions.</summary>
        /// <param name="seed">Any value.</param>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public void SeedEvictions(long seed)
        {
            ThrowIfDisposed();
            SimulationErrors.Check(SimulationNative.Seed(_heapId, seed), "SimulatedSoc");
        }

        /// <summary>
        /// When true, the cache backend silently skips every clean and invalidate the DmaBuf core
        /// asks for, as if each hand-over had been forgotten: on a cached board, frames then show
        /// what goes wrong without cache maintenance. False by default.
        /// </summary>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public bool CacheOperationsDropped
        {
            get => _cacheOperationsDropped;
            set
            {
                ThrowIfDisposed();
                SimulationErrors.Check(SimulationNative.DropCacheOperations(_heapId, value), "SimulatedSoc");
                _cacheOperationsDropped = value;
            }
        }

        /// <summary>What the cache backend did since the heap was opened.</summary>
        /// <returns>A snapshot.</returns>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public SimulatedCacheCounters GetCacheCounters()
        {
            ThrowIfDisposed();
            long[] values = new long[SimulationNative.CacheCountValues];
            SimulationErrors.Check(SimulationNative.CacheCounts(_heapId, values), "SimulatedSoc");
            return new SimulatedCacheCounters(values);
        }

        /// <summary>What the cache model and the DMA engines did since the heap was opened.</summary>
        /// <returns>A snapshot.</returns>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public SimulatorStatistics GetStatistics()
        {
            ThrowIfDisposed();
            long[] values = new long[SimulationNative.SimulatorStatisticsValues];
            SimulationErrors.Check(SimulationNative.SimulatorStatistics(_heapId, values), "SimulatedSoc");
            return new SimulatorStatistics(values);
        }

        /// <summary>
        /// Runs virtual time up to <paramref name="nanoseconds"/>: every DMA segment and peripheral
        /// event (frame start, vsync) due by then happens, in time order. Nothing if it is in the past.
        /// </summary>
        /// <param name="nanoseconds">Absolute virtual time.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="nanoseconds"/> is negative.</exception>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public void RunUntil(long nanoseconds)
        {
            if (nanoseconds < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(nanoseconds), "virtual time starts at 0");
            }

            SimulationErrors.Check(SimulationNative.RunUntil(PeripheralsId, nanoseconds), "SimulatedSoc");
        }

        /// <summary>
        /// Runs virtual time until one of <paramref name="requests"/> has completed, stopping at that
        /// moment, or until <paramref name="timeoutNanoseconds"/> of virtual time have passed.
        /// Returns at once if one has completed already.
        /// </summary>
        /// <param name="requests">The requests to wait for; null entries are skipped.</param>
        /// <param name="timeoutNanoseconds">Most virtual time to run; -1: no limit.</param>
        /// <returns>The index of a completed request, or -1 when the time ran out or nothing
        /// scheduled in the simulator could ever complete them.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="requests"/> is null.</exception>
        /// <exception cref="ArgumentException">No request given.</exception>
        /// <exception cref="ObjectDisposedException">The SoC or a request was disposed.</exception>
        public int WaitAny(PeripheralRequest[] requests, long timeoutNanoseconds)
        {
            if (requests == null)
            {
                throw new ArgumentNullException(nameof(requests));
            }

            int[] handles = new int[requests.Length];
            for (int i = 0; i < requests.Length; i++)
            {
                handles[i] = requests[i] == null ? 0 : requests[i].Fence;
            }

            return WaitAnyHandle(handles, timeoutNanoseconds);
        }

        /// <summary>The wait of both WaitAny overloads, over heap fence handles (0: none).</summary>
        private int WaitAnyHandle(int[] handles, long timeoutNanoseconds)
        {
            if (_fences.Length < handles.Length)
            {
                _fences = new int[handles.Length];
            }

            int count = 0;
            int[] origin = new int[handles.Length];
            for (int i = 0; i < handles.Length; i++)
            {
                if (handles[i] != 0)
                {
                    origin[count] = i;
                    _fences[count++] = handles[i];
                }
            }

            if (count == 0)
            {
                throw new ArgumentException("nothing to wait for");
            }

            int result = SimulationNative.Wait(PeripheralsId, _fences, count, timeoutNanoseconds < 0 ? -1 : timeoutNanoseconds);
            if (result == SimulationErrors.TimedOut)
            {
                return -1;
            }

            return origin[SimulationErrors.Check(result, "SimulatedSoc")];
        }

        /// <summary>
        /// Runs virtual time until one of <paramref name="fences"/> has signalled (the board's
        /// peripherals' jobs, <see cref="DmaHeap.OpenCamera"/> and the like), stopping at that moment,
        /// or until <paramref name="timeoutNanoseconds"/> of virtual time have passed. Returns at once
        /// if one has signalled already. <see cref="DmaFence.Wait"/> runs virtual time for one fence
        /// the same way; this waits for the first of several.
        /// </summary>
        /// <param name="fences">The fences to wait for, of this SoC's heap; null entries are skipped.</param>
        /// <param name="timeoutNanoseconds">Most virtual time to run; -1: no limit.</param>
        /// <returns>The index of a signalled fence, or -1 when the time ran out or nothing scheduled
        /// in the simulator could ever signal them.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="fences"/> is null.</exception>
        /// <exception cref="ArgumentException">No fence given.</exception>
        /// <exception cref="ObjectDisposedException">The SoC or a fence was disposed.</exception>
        public int WaitAny(DmaFence[] fences, long timeoutNanoseconds)
        {
            if (fences == null)
            {
                throw new ArgumentNullException(nameof(fences));
            }

            int[] handles = new int[fences.Length];
            for (int i = 0; i < fences.Length; i++)
            {
                handles[i] = fences[i] == null ? 0 : fences[i].Handle;
            }

            return WaitAnyHandle(handles, timeoutNanoseconds);
        }

        /// <summary>
        /// The seed of the scene the board's camera (<see cref="DmaHeap.OpenCamera"/>) sees, from its
        /// opening on: the same seed, the same frames (<see cref="SimulatedCamera.RenderFrame"/>
        /// computes them). 1 until set.
        /// </summary>
        /// <param name="seed">Any value.</param>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public void SetCameraScene(long seed)
        {
            SimulationErrors.Check(SimulationNative.SetScene(PeripheralsId, seed), "SimulatedSoc");
        }

        /// <summary>
        /// The pixel formats the board's display (<see cref="DmaHeap.OpenDisplay"/>) takes from now on,
        /// instead of RGB565 high byte first only: a display that scans RGB565 low byte first (as an
        /// STM32 LTDC does) swaps each pixel's bytes into its panel, so it shows a low-byte-first frame
        /// the right way round and a high-byte-first one garbled. Call before the display is opened.
        /// </summary>
        /// <param name="formats">Either RGB565 byte order or both.</param>
        /// <exception cref="ArgumentNullException"><paramref name="formats"/> is null.</exception>
        /// <exception cref="ArgumentException">No format, another than RGB565, or a board without a display.</exception>
        /// <exception cref="InvalidOperationException">The display is open already.</exception>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public void SetDisplayFormats(PixelFormat[] formats)
        {
            SimulationErrors.Check(SimulationNative.SetDisplayFormats(PeripheralsId, FormatBits(formats)), "SimulatedSoc");
        }

        /// <summary>
        /// The pixel formats the board's camera (<see cref="DmaHeap.OpenCamera"/>) delivers from now on,
        /// instead of RGB565 high byte first only: opened for RGB565 low byte first, it writes each
        /// pixel that way, as the ISP of an ESP32-P4 board does. Call before the camera is opened.
        /// </summary>
        /// <param name="formats">Either RGB565 byte order or both.</param>
        /// <exception cref="ArgumentNullException"><paramref name="formats"/> is null.</exception>
        /// <exception cref="ArgumentException">No format, another than RGB565, or a board without a camera.</exception>
        /// <exception cref="InvalidOperationException">The camera is open already.</exception>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public void SetCameraFormats(PixelFormat[] formats)
        {
            SimulationErrors.Check(SimulationNative.SetCameraFormats(PeripheralsId, FormatBits(formats)), "SimulatedSoc");
        }

        /// <summary>
        /// From now on the board's camera delivers frames of <paramref name="width"/> x
        /// <paramref name="height"/> only, as an ESP32 camera controller does
        /// (<see cref="DmaHeap.GetPeripheralFrameSize"/> says so; opening it for another size throws
        /// <see cref="DmaConstraintException"/>). Call before the camera is opened.
        /// </summary>
        /// <param name="width">Frame width in pixels, 1 to 4096.</param>
        /// <param name="height">Frame height in pixels, 1 to 4096.</param>
        /// <exception cref="ArgumentException">A size outside 1 to 4096, or a board without a camera.</exception>
        /// <exception cref="InvalidOperationException">The camera is open already.</exception>
        /// <exception cref="ObjectDisposedException">The SoC was disposed.</exception>
        public void SetCameraFixedSize(int width, int height)
        {
            SimulationErrors.Check(SimulationNative.SetCameraSize(PeripheralsId, width, height), "SimulatedSoc");
        }

        // 1 << format for each of formats, as the peripheral contract states them.
        private static int FormatBits(PixelFormat[] formats)
        {
            if (formats == null)
            {
                throw new ArgumentNullException(nameof(formats));
            }

            int mask = 0;
            foreach (PixelFormat format in formats)
            {
                mask |= 1 << (int)format;
            }

            return mask;
        }

        /// <summary>
        /// Copies what a <see cref="ScanoutDisplay"/>'s panel (its width x height) or an
        /// <see cref="SpiPanel"/>'s glass (240 x 240 of an ST7789 module's GRAM, from column
        /// <see cref="SimulatedSpiPanel.St7789GlassX"/>) shows, RGB565 high byte first.
        /// </summary>
        /// <param name="peripheral">A display or SPI panel of this SoC's heap.</param>
        /// <param name="destination">Exactly the panel's or glass's bytes.</param>
        /// <exception cref="ArgumentNullException"><paramref name="peripheral"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="destination"/> has another length, or the peripheral is a camera.</exception>
        /// <exception cref="ObjectDisposedException">The SoC or the peripheral was disposed.</exception>
        public void ReadGlass(DmaPeripheral peripheral, Span<byte> destination)
        {
            if (peripheral == null)
            {
                throw new ArgumentNullException(nameof(peripheral));
            }

            ThrowIfDisposed();
            SimulationErrors.Check(SimulationNative.PeripheralGlass(_heapId, SimulationNative.PeripheralId(peripheral), destination),
                "SimulatedSoc");
        }

        /// <summary>Frames the board's camera (<see cref="DmaHeap.OpenCamera"/>) captured, missed and has queued so far.</summary>
        /// <param name="camera">A camera of this SoC's heap.</param>
        /// <returns>A snapshot.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="camera"/> is null.</exception>
        /// <exception cref="ObjectDisposedException">The SoC or the camera was disposed.</exception>
        public SimulatedCameraStatistics GetCameraStatistics(Camera camera)
        {
            if (camera == null)
            {
                throw new ArgumentNullException(nameof(camera));
            }

            ThrowIfDisposed();
            long[] values = new long[3];
            SimulationErrors.Check(SimulationNative.PeripheralCameraStatistics(_heapId, SimulationNative.PeripheralId(camera), values),
                "SimulatedSoc");
            return new SimulatedCameraStatistics(values);
        }

        /// <summary>Runs virtual time until <paramref name="request"/> has completed (see <see cref="WaitAny(PeripheralRequest[], long)"/>).</summary>
        /// <param name="request">The request.</param>
        /// <param name="timeoutNanoseconds">Most virtual time to run; -1: no limit.</param>
        /// <returns>False when the time ran out or nothing could complete it.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
        /// <exception cref="ObjectDisposedException">The SoC or the request was disposed.</exception>
        public bool Wait(PeripheralRequest request, long timeoutNanoseconds)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            return WaitAny(new[] { request }, timeoutNanoseconds) == 0;
        }

        /// <summary>
        /// Lets every pending request finish (virtual time runs), releases the peripherals.
        /// Idempotent; never throws.
        /// </summary>
        public void Dispose()
        {
            if (_peripherals != 0)
            {
                SimulationNative.PeripheralsClose(_peripherals);
                _peripherals = 0;
            }
        }

        internal void ThrowIfDisposed()
        {
            if (_peripherals == 0)
            {
                throw new ObjectDisposedException("SimulatedSoc");
            }
        }
    }
}
