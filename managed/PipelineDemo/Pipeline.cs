using System;
using System.Globalization;
using System.IO;
using nanoFramework.DmaBuf.Simulation;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>What both panels showed after one frame went through the pipeline.</summary>
    internal sealed class ShownFrame
    {
        public int Index { get; set; }

        /// <summary>The camera's sensor frame number of the picture.</summary>
        public int CameraFrame { get; set; }

        /// <summary>The display panel, width x height RGB565.</summary>
        public byte[] Display { get; set; }

        /// <summary>The SPI panel's glass, 240 x 240 RGB565.</summary>
        public byte[] Glass { get; set; }
    }

    /// <summary>
    /// The part both pipelines share: a heap on the simulated board, the camera feeding a frame
    /// queue of <see cref="FrameCount"/> buffers (a capture always queued, the newest frames kept),
    /// the display and the SPI panel, the event loop on virtual time, the measurements and the
    /// output. A subclass decides how a captured frame reaches the panels.
    /// </summary>
    internal abstract class Pipeline : IDisposable
    {
        public const int FrameCount = 3;
        public const int WarmupFrames = 3;

        private readonly DmaAttachment[] _cameraAttachments = new DmaAttachment[FrameCount];
        private readonly int[] _cameraFrameOf = new int[FrameCount];
        private QueueFrame _capturing;
        private DmaMapping _captureMapping;
        private DmaFence _capture;
        private int _fenceWaits;
        private string _outputDirectory;
        private PipelineResult _result;
        private Counters _measuredFrom;
        private int _cameraFrame;
        private FrameOutput _output;

        protected Pipeline(DemoOptions options)
        {
            Options = options;
            Layout = new FrameLayout(options.Width, options.Height);
        }

        /// <summary>"zero-copy" or "copy-baseline": the output folder and the summary column.</summary>
        public abstract string Name { get; }

        protected DemoOptions Options { get; }

        protected FrameLayout Layout { get; }

        protected CpuMeter Meter { get; } = new CpuMeter(CpuMeter.CalibrateOverhead());

        protected DemoTrace Trace { get; private set; }

        protected DmaHeap Heap { get; private set; }

        protected SimulatedSoc Soc { get; private set; }

        private Camera Camera { get; set; }

        protected ScanoutDisplay Display { get; private set; }

        protected SpiPanel Spi { get; private set; }

        protected DmaDevice DisplayDevice { get; private set; }

        protected DmaDevice SpiDevice { get; private set; }

        protected DmaBuffer[] Frames { get; } = new DmaBuffer[FrameCount];

        protected FrameQueue Queue { get; private set; }

        /// <summary>The fences of the consumer's display and SPI jobs of the frame in flight (null when idle).</summary>
        protected DmaFence DisplayFence { get; set; }

        protected DmaFence SpiFence { get; set; }

        /// <summary>Why the SPI master could not share the frames, when it could not.</summary>
        protected string SpiBounceReason { get; set; }

        /// <summary>Runs the pipeline for <see cref="DemoOptions.Frames"/> frames.</summary>
        /// <param name="shown">Called with both panels after each frame (tests), or null.</param>
        public PipelineResult Run(Action<ShownFrame> shown)
        {
            Begin();
            while (ShowNextFrame(shown))
            {
            }

            return End();
        }

        /// <summary>Sets the board up and starts the first capture (<see cref="Run"/>'s first part).</summary>
        public void Begin()
        {
            Open();
            SetUp();
            if (Options.NoSync)
            {
                Soc.CacheOperationsDropped = true;
            }

            _result = new PipelineResult
            {
                Name = Name,
                Board = Options.Board.Board,
                Width = Options.Width,
                Height = Options.Height,
                NoSync = Options.NoSync,
                // The first frames pay for JIT compilation and for first-use cache work (a new
                // buffer may hold dirty lines): the figures are for the frames after them.
                WarmupFrames = Options.Frames > 2 * WarmupFrames ? WarmupFrames : 0,
            };

            _measuredFrom = TakeCounters();
            StartCapture();
            int glass = SimulatedSpiPanel.St7789GlassSize;
            _output = new FrameOutput(Layout, Options.Seed, new PixelRect(SimulatedSpiPanel.St7789GlassX, 0, glass, glass),
                Options.WritePng ? _outputDirectory : null, Options.OutputBatchFrames, Options.Frames);
        }

        /// <summary>
        /// Runs until both panels have shown one more frame, or returns false at once when all
        /// <see cref="DemoOptions.Frames"/> were shown. Two pipelines can take turns frame by frame
        /// (--compare), so a change in the host's load while they run affects both alike.
        /// </summary>
        /// <param name="shown">Called with both panels after the frame (tests), or null.</param>
        public bool ShowNextFrame(Action<ShownFrame> shown)
        {
            PipelineResult result = _result;
            if (result.Frames == Options.Frames)
            {
                return false;
            }

            while (true)
            {
                if (DisplayFence == null && ReadyFrames() > 0)
                {
                    QueueFrame frame = Sync("acquire frame", () => Queue.Acquire(0));
                    _cameraFrame = _cameraFrameOf[frame.Index];
                    StartFrame(frame, _cameraFrame);
                }

                WaitForAny();
                if (_capture.IsSignalled)
                {
                    FinishCapture();
                    StartCapture();
                }

                if (DisplayFence != null && DisplayFence.IsSignalled && SpiFence.IsSignalled)
                {
                    Trace?.Dma(DemoTrace.DisplayTrack, "scanout at vsync " + Display.GetSequenceNumber(DisplayFence), Display, DisplayFence);
                    Trace?.Dma(DemoTrace.SpiTrack, "SPI transfer " + Spi.GetSequenceNumber(SpiFence), Spi, SpiFence);
                    FinishFrame();
                    DisplayFence.Dispose();
                    SpiFence.Dispose();
                    DisplayFence = null;
                    SpiFence = null;
                    ShownFrame frame = _output.Add(result.Frames, _cameraFrame, shown != null, ReadPanels);
                    result.Frames++;
                    if (result.Frames == result.WarmupFrames)
                    {
                        _measuredFrom = TakeCounters();
                    }

                    shown?.Invoke(frame);
                    Progress(result, _cameraFrame);
                    return true;
                }
            }
        }

        /// <summary>The figures of the frames after the warm-up (<see cref="Run"/>'s last part).</summary>
        public PipelineResult End()
        {
            PipelineResult result = _result;
            Counters measuredFrom = _measuredFrom;
            Counters end = TakeCounters();
            _output.Flush();
            result.FramesAsExpected = _output.FramesAsExpected;
            result.BytesCopied = end.BytesCopied - measuredFrom.BytesCopied;
            result.LinesCleaned = end.LinesCleaned - measuredFrom.LinesCleaned;
            result.LinesInvalidated = end.LinesInvalidated - measuredFrom.LinesInvalidated;
            result.WholeCacheOperations = end.WholeCacheOperations - measuredFrom.WholeCacheOperations;
            result.CacheOperationsDropped = end.CacheOperationsDropped - measuredFrom.CacheOperationsDropped;
            result.FenceWaits = end.FenceWaits - measuredFrom.FenceWaits;
            result.QueueDrops = end.QueueDrops - measuredFrom.QueueDrops;
            result.CameraMissed = end.CameraMissed - measuredFrom.CameraMissed;
            result.OverlayNanoseconds = end.Overlay - measuredFrom.Overlay;
            result.CopyNanoseconds = end.Copies - measuredFrom.Copies;
            result.DmaBufCallNanoseconds = end.DmaBufCalls - measuredFrom.DmaBufCalls;
            result.CacheModelNanoseconds = end.CacheModel - measuredFrom.CacheModel;
            result.VirtualNanoseconds = Soc.Now;
            result.SpiBounceReason = SpiBounceReason;
            return result;
        }

        /// <summary>The subclass's own buffers and attachments for the display and the SPI panel.</summary>
        protected abstract void SetUp();

        /// <summary>Take the acquired camera frame to both panels: set <see cref="DisplayFence"/> and <see cref="SpiFence"/>.</summary>
        protected abstract void StartFrame(QueueFrame frame, int cameraFrame);

        /// <summary>Both panels have finished with the frame: unmap, give buffers back.</summary>
        protected abstract void FinishFrame();

        /// <summary>Frees the subclass's buffers (before the heap).</summary>
        protected abstract void TearDown();

        /// <summary>Runs <paramref name="call"/> as measured DmaBuf work, traced as <paramref name="label"/>.</summary>
        protected T Sync<T>(string label, Func<T> call)
        {
            T value = default;
            Measure(CpuWork.DmaBufCalls, label, () => value = call());
            return value;
        }

        /// <summary>Runs <paramref name="call"/> as measured DmaBuf work, traced as <paramref name="label"/>.</summary>
        protected void Sync(string label, Action call) => Measure(CpuWork.DmaBufCalls, label, call);

        /// <summary>
        /// Runs <paramref name="step"/> on the CPU meter as <paramref name="work"/>, traced as
        /// <paramref name="label"/>. The simulator's cache-model time during the step is read outside
        /// the measured interval and taken out of it: it is the host modelling cache hardware, not
        /// the application's work (the cache work is counted as line operations instead).
        /// </summary>
        protected void Measure(CpuWork work, string label, Action step)
        {
            Trace?.BeforeStep();
            long modelled = Soc.GetCacheCounters().ModelNanoseconds;
            // The simulated DMA between steps evicts the meter's own path (a system call) from the
            // host's caches: one reading first makes the readings around the step cost what
            // CpuMeter.CalibrateOverhead measured, so only the step's own time is left.
            CpuMeter.Now();
            long start = CpuMeter.Now();
            step();
            long elapsed = CpuMeter.Now() - start;
            modelled = Soc.GetCacheCounters().ModelNanoseconds - modelled;
            long own = Meter.Count(work, elapsed, modelled);
            Trace?.Step(label, own, modelled, Soc.Now);
        }

        protected static int BufferTrack(int index) => DemoTrace.FirstBufferTrack + index;

        private void Open()
        {
            Heap = DmaHeap.Open(Options.Board.Board);
            Soc = SimulatedSoc.Open(Heap);
            Soc.EvictionRate = Options.EvictionRate;
            Soc.SeedEvictions(Options.Seed);
            _outputDirectory = Path.Combine(Options.Output, Name);
            if (Options.WritePng || Options.Trace)
            {
                Directory.CreateDirectory(_outputDirectory);
            }

            if (Options.Trace)
            {
                Trace = new DemoTrace(Path.Combine(_outputDirectory, "trace.json"), Heap, Name);
            }

            // The board's peripherals, which pick their DMA masters and rates; the simulated
            // camera looks at the scene of the demo's seed.
            Soc.SetCameraScene(Options.Seed);
            Camera = Heap.OpenCamera("camera", Layout.Width, Layout.Height, PixelFormat.Rgb565BigEndian);
            Display = Heap.OpenDisplay("display", Layout.Width, Layout.Height, PixelFormat.Rgb565BigEndian);
            Spi = Heap.OpenSpiPanel("spi-panel", PixelFormat.Rgb565BigEndian);
            DisplayDevice = Display.Device;
            SpiDevice = Spi.Device;
        }

        /// <summary>Exports the camera frames (the subclass calls this when its buffer order allows) and the queue over them.</summary>
        protected void ExportCameraFrames()
        {
            DmaDevice cameraDevice = Camera.Device;
            for (int i = 0; i < FrameCount; i++)
            {
                Frames[i] = Heap.Export(Layout.FrameBytes, "frame" + i.ToString(CultureInfo.InvariantCulture));
                _cameraAttachments[i] = Frames[i].Attach(cameraDevice);
                Trace?.NameBuffer(BufferTrack(i), Frames[i].Name);
            }

            Queue = new FrameQueue(Heap, Frames, FrameQueueMode.Latest);
        }

        /// <summary>Every running total the result is made of, at one moment.</summary>
        private struct Counters
        {
            public long BytesCopied, LinesCleaned, LinesInvalidated, WholeCacheOperations, CacheOperationsDropped;
            public int FenceWaits, QueueDrops, CameraMissed;
            public long Overlay, Copies, DmaBufCalls, CacheModel;
        }

        private Counters TakeCounters()
        {
            DmaCacheStatistics cache = Heap.GetCacheStatistics();
            return new Counters
            {
                // Counted natively by every CPU copy of the DmaBuf API (CpuAccess, DmaFrame), not by the demo.
                BytesCopied = Heap.GetCpuCopyStatistics().BytesCopied,
                LinesCleaned = cache.LinesCleaned,
                LinesInvalidated = cache.LinesInvalidated,
                WholeCacheOperations = cache.WholeCacheOperations,
                CacheOperationsDropped = Soc.GetCacheCounters().Dropped,
                FenceWaits = _fenceWaits,
                QueueDrops = Queue.GetStatistics().Dropped,
                CameraMissed = Soc.GetCameraStatistics(Camera).Missed,
                Overlay = Meter.Total(CpuWork.Overlay),
                Copies = Meter.Total(CpuWork.Copies),
                DmaBufCalls = Meter.Total(CpuWork.DmaBufCalls),
                CacheModel = Meter.CacheModel,
            };
        }

        private int ReadyFrames()
        {
            FrameQueueStatistics statistics = Queue.GetStatistics();
            return statistics.Enqueued - statistics.Acquired - statistics.Dropped;
        }

        /// <summary>Keeps a capture queued: the next buffer (the oldest unseen one if none is free).</summary>
        private void StartCapture()
        {
            _capturing = Sync("dequeue frame", () => Queue.Dequeue(0));
            int index = _capturing.Index;
            _captureMapping = Sync("map camera FromDevice", () => _cameraAttachments[index].Map(DmaDirection.FromDevice));
            Trace?.Owned(BufferTrack(index), "camera", Soc.Now);
            _capture = Camera.Capture(_captureMapping);
        }

        private void FinishCapture()
        {
            int index = _capturing.Index;
            _cameraFrameOf[index] = Camera.GetSequenceNumber(_capture);
            Trace?.Dma(DemoTrace.CameraTrack, "capture frame " + _cameraFrameOf[index], Camera, _capture);
            Sync("unmap camera", () => _captureMapping.Dispose());
            Trace?.Released(BufferTrack(index), Soc.Now);
            long timestamp = Camera.GetTimestampMicroseconds(_capture);
            Sync("enqueue frame", () => Queue.Enqueue(_capturing, timestamp));
            _capture.Dispose();
            _capture = null;
        }

        /// <summary>
        /// Runs virtual time until there is something to do: the capture finished, or both panels
        /// finished the frame in flight. A job that finished already is not waited for again.
        /// </summary>
        private void WaitForAny()
        {
            bool frameInFlight = DisplayFence != null;
            if (_capture.IsSignalled || (frameInFlight && DisplayFence.IsSignalled && SpiFence.IsSignalled))
            {
                return;
            }

            DmaFence[] pending =
            {
                _capture,
                frameInFlight && !DisplayFence.IsSignalled ? DisplayFence : null,
                frameInFlight && !SpiFence.IsSignalled ? SpiFence : null,
            };
            long from = Soc.Now;
            if (Soc.WaitAny(pending, -1) < 0)
            {
                throw new InvalidOperationException("the simulation stalled: nothing scheduled can finish the pending jobs");
            }

            _fenceWaits++;
            Trace?.Wait(from, Soc.Now);
        }

        /// <summary>What both panels show now (the next scanout overwrites it).</summary>
        private void ReadPanels(ShownFrame frame)
        {
            Soc.ReadGlass(Display, frame.Display);
            Soc.ReadGlass(Spi, frame.Glass);
        }

        private void Progress(PipelineResult result, int cameraFrame)
        {
            int every = Options.ProgressEvery;
            if (every == 0 || (result.Frames % every != 0 && result.Frames != Options.Frames))
            {
                return;
            }

            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "[{0}] frame {1}/{2}  camera frame {3}  virtual {4:F1} ms  CPU {5:F3} ms/frame",
                Name, result.Frames, Options.Frames, cameraFrame, Soc.Now / 1e6, Meter.Total() / 1e6 / result.Frames));
        }

        public void Dispose()
        {
            // The peripherals finish their jobs before the buffers they use go away: a wait on
            // each job's fence runs virtual time to its end.
            foreach (DmaFence job in new[] { _capture, DisplayFence, SpiFence })
            {
                if (job != null && !job.IsDisposed)
                {
                    job.Wait(-1);
                    job.Dispose();
                }
            }

            Camera?.Dispose();
            Display?.Dispose();
            Spi?.Dispose();
            Soc?.Dispose();
            Trace?.Dispose();
            Queue?.Dispose();
            TearDown();
            foreach (DmaBuffer frame in Frames)
            {
                frame?.Dispose();
            }

            Heap?.Dispose();
        }
    }
}
