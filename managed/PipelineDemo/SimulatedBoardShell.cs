using System;
using System.Globalization;
using System.IO;
using nanoFramework.DmaBuf.Simulation;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// The host shell around a <see cref="Pipeline"/>: the simulated board (virtual time, eviction,
    /// the camera's scene, --no-sync), the CPU meter, the trace, the pictures checked and written,
    /// the progress lines, all from the command line's <see cref="DemoOptions"/>.
    /// </summary>
    internal sealed class SimulatedBoardShell : IPipelineShell
    {
        private readonly DemoOptions _options;
        private readonly CpuMeter _meter = new CpuMeter(CpuMeter.CalibrateOverhead());
        private string _name;
        private SimulatedSoc _soc;
        private DemoTrace _trace;
        private Camera _camera;
        private ScanoutDisplay _display;
        private SpiPanel _spi;
        private FrameOutput _output;
        private Counters _measuredFrom;
        private long _stepStart;
        private long _stepModelled;

        public SimulatedBoardShell(DemoOptions options)
        {
            _options = options;
            Layout = new FrameLayout(options.Width, options.Height);
        }

        public string Board => _options.Board.Board;

        public int Frames => _options.Frames;

        public FrameLayout Layout { get; }

        /// <summary>Called with both panels after each frame (tests), or null.</summary>
        public Action<ShownFrame> Shown { get; set; }

        public void Open(string pipeline, DmaHeap heap)
        {
            _name = pipeline;
            _soc = SimulatedSoc.Open(heap);
            _soc.EvictionRate = _options.EvictionRate;
            _soc.SeedEvictions(_options.Seed);
            string outputDirectory = Path.Combine(_options.Output, pipeline);
            if (_options.WritePng || _options.Trace)
            {
                Directory.CreateDirectory(outputDirectory);
            }

            if (_options.Trace)
            {
                _trace = new DemoTrace(Path.Combine(outputDirectory, "trace.json"), heap, pipeline);
            }

            // The simulated camera looks at the scene of the demo's seed.
            _soc.SetCameraScene(_options.Seed);
            if (_options.DisplayFormats != null)
            {
                _soc.SetDisplayFormats(_options.DisplayFormats);
            }

            if (_options.CameraFormats != null)
            {
                _soc.SetCameraFormats(_options.CameraFormats);
            }

            int glass = SimulatedSpiPanel.St7789GlassSize;
            _output = new FrameOutput(Layout, _options.Seed, new PixelRect(SimulatedSpiPanel.St7789GlassX, 0, glass, glass),
                _options.WritePng ? outputDirectory : null, _options.OutputBatchFrames, _options.Frames);
        }

        public void Opened(Camera camera, ScanoutDisplay display, SpiPanel spi)
        {
            _camera = camera;
            _display = display;
            _spi = spi;
            if (_options.NoSync)
            {
                _soc.CacheOperationsDropped = true;
            }
        }

        public void MeasureFrom() => _measuredFrom = TakeCounters();

        public void Finish(PipelineResult result)
        {
            Counters end = TakeCounters();
            _output.Flush();
            result.NoSync = _options.NoSync;
            result.FramesAsExpected = _output.FramesAsExpected;
            result.CacheOperationsDropped = end.CacheOperationsDropped - _measuredFrom.CacheOperationsDropped;
            result.CameraMissed = end.CameraMissed - _measuredFrom.CameraMissed;
            result.OverlayNanoseconds = end.Overlay - _measuredFrom.Overlay;
            result.CopyNanoseconds = end.Copies - _measuredFrom.Copies;
            result.DmaBufCallNanoseconds = end.DmaBufCalls - _measuredFrom.DmaBufCalls;
            result.CacheModelNanoseconds = end.CacheModel - _measuredFrom.CacheModel;
            result.VirtualNanoseconds = _soc.Now;
        }

        /// <summary>
        /// A step runs on the CPU meter. The simulator's cache-model time during the step is read
        /// outside the measured interval and taken out of it (<see cref="EndStep"/>): it is the host
        /// modelling cache hardware, not the application's work (the cache work is counted as line
        /// operations instead).
        /// </summary>
        public void BeginStep()
        {
            _trace?.BeforeStep();
            _stepModelled = _soc.GetCacheCounters().ModelNanoseconds;
            // The simulated DMA between steps evicts the meter's own path (a system call) from the
            // host's caches: one reading first makes the readings around the step cost what
            // CpuMeter.CalibrateOverhead measured, so only the step's own time is left.
            CpuMeter.Now();
            _stepStart = CpuMeter.Now();
        }

        public void EndStep(CpuWork work, string label)
        {
            long elapsed = CpuMeter.Now() - _stepStart;
            long modelled = _soc.GetCacheCounters().ModelNanoseconds - _stepModelled;
            long own = _meter.Count(work, elapsed, modelled);
            _trace?.Step(label, own, modelled, _soc.Now);
        }

        public void NameBuffer(int buffer, string name) => _trace?.NameBuffer(DemoTrace.FirstBufferTrack + buffer, name);

        public void Owned(int buffer, string owner) => _trace?.Owned(DemoTrace.FirstBufferTrack + buffer, owner, _soc.Now);

        public void Released(int buffer) => _trace?.Released(DemoTrace.FirstBufferTrack + buffer, _soc.Now);

        public void JobDone(DmaPeripheral peripheral, string label, DmaFence job)
        {
            int track = peripheral == _camera ? DemoTrace.CameraTrack : peripheral == _display ? DemoTrace.DisplayTrack : DemoTrace.SpiTrack;
            _trace?.Dma(track, label, peripheral, job);
        }

        /// <summary>Runs virtual time until one of the jobs finishes.</summary>
        public bool WaitAny(DmaFence[] pending)
        {
            long from = _soc.Now;
            if (_soc.WaitAny(pending, -1) < 0)
            {
                return false;
            }

            _trace?.Wait(from, _soc.Now);
            return true;
        }

        public void FrameShown(PipelineResult result, int cameraFrame)
        {
            ShownFrame frame = _output.Add(result.Frames - 1, cameraFrame, Shown != null, ReadPanels);
            Shown?.Invoke(frame);
            Progress(result, cameraFrame);
        }

        public void Close()
        {
            _soc?.Dispose();
            _trace?.Dispose();
        }

        /// <summary>The shell's running totals, at one moment.</summary>
        private struct Counters
        {
            public long CacheOperationsDropped;
            public int CameraMissed;
            public long Overlay, Copies, DmaBufCalls, CacheModel;
        }

        private Counters TakeCounters()
        {
            return new Counters
            {
                CacheOperationsDropped = _soc.GetCacheCounters().Dropped,
                CameraMissed = _soc.GetCameraStatistics(_camera).Missed,
                Overlay = _meter.Total(CpuWork.Overlay),
                Copies = _meter.Total(CpuWork.Copies),
                DmaBufCalls = _meter.Total(CpuWork.DmaBufCalls),
                CacheModel = _meter.CacheModel,
            };
        }

        /// <summary>What both panels show now (the next scanout overwrites it).</summary>
        private void ReadPanels(ShownFrame frame)
        {
            _soc.ReadGlass(_display, frame.Display);
            _soc.ReadGlass(_spi, frame.Glass);
        }

        private void Progress(PipelineResult result, int cameraFrame)
        {
            int every = _options.ProgressEvery;
            if (every == 0 || (result.Frames % every != 0 && result.Frames != _options.Frames))
            {
                return;
            }

            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "[{0}] frame {1}/{2}  camera frame {3}  virtual {4:F1} ms  CPU {5:F3} ms/frame",
                _name, result.Frames, _options.Frames, cameraFrame, _soc.Now / 1e6, _meter.Total() / 1e6 / result.Frames));
        }
    }
}
