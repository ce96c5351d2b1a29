using System;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// The part both pipelines share: a heap on the board, the camera feeding a frame queue of
    /// <see cref="FrameCount"/> buffers (a capture always queued, the newest frames kept), the
    /// display and the SPI panel, the event loop and the DmaBuf figures. A subclass decides how a
    /// captured frame reaches the panels; the <see cref="IPipelineShell"/> around it (the host's
    /// simulator, meter, trace and pictures, or the board's program) does the rest. Compiles for
    /// host .NET and for nanoFramework 1.17 alike.
    /// </summary>
    internal abstract partial class Pipeline : IDisposable
    {
        public const int FrameCount = 3;
        public const int WarmupFrames = 3;

        private readonly DmaAttachment[] _cameraAttachments = new DmaAttachment[FrameCount];
        private readonly int[] _cameraFrameOf = new int[FrameCount];
        private QueueFrame _capturing;
        private DmaMapping _captureMapping;
        private DmaFence _capture;
        private int _fenceWaits;
        private PipelineResult _result;
        private Counters _measuredFrom;
        private int _cameraFrame;
        private Camera _camera;

        // When the display does not take the frames' format: the two buffers each frame is converted
        // into in turn (one is scanned while the next is drawn), and the one presented next.
        private readonly DmaBuffer[] _displayBuffers = new DmaBuffer[2];
        private readonly DmaAttachment[] _displayBufferAttachments = new DmaAttachment[2];
        private readonly DmaFrame[] _displayPictures = new DmaFrame[2];
        private int _nextDisplayBuffer;
        private DmaMapping _displayMapping;

        protected Pipeline(IPipelineShell shell)
        {
            Shell = shell;
            Layout = shell.Layout;
        }

        /// <summary>"zero-copy" or "copy-baseline": the output folder and the summary column.</summary>
        public abstract string Name { get; }

        protected IPipelineShell Shell { get; }

        protected FrameLayout Layout { get; }

        protected DmaHeap Heap { get; private set; }

        protected ScanoutDisplay Display { get; private set; }

        protected SpiPanel Spi { get; private set; }

        protected DmaDevice DisplayDevice { get; private set; }

        /// <summary>
        /// The frames' pixel format: an RGB565 byte order the camera delivers, the one the display
        /// takes too where there is one (<see cref="ChooseFrameFormat"/>). The overlay is drawn in it.
        /// </summary>
        protected PixelFormat FrameFormat { get; private set; }

        /// <summary>
        /// Whether the display takes the frames' own format (<see cref="FrameFormat"/>) and is given
        /// the frames themselves; otherwise each frame is converted into a display buffer of the
        /// format it takes (<see cref="PresentFrame"/>).
        /// </summary>
        protected bool DisplayTakesFrames => Display.Format == FrameFormat;

        /// <summary>
        /// Whether the SPI panel takes the frames' own format; otherwise what it is sent is converted
        /// on the way (<see cref="SpiConversionReason"/>).
        /// </summary>
        protected bool SpiTakesFrames => Spi.Format == FrameFormat;

        protected DmaDevice SpiDevice { get; private set; }

        protected DmaBuffer[] Frames { get; } = new DmaBuffer[FrameCount];

        protected FrameQueue Queue { get; private set; }

        /// <summary>The fences of the consumer's display and SPI jobs of the frame in flight (null when idle).</summary>
        protected DmaFence DisplayFence { get; set; }

        protected DmaFence SpiFence { get; set; }

        /// <summary>Why the SPI panel is sent the crop through a bounce buffer, when it is (the master cannot
        /// reach the frames, or <see cref="SpiConversionReason"/>).</summary>
        protected string SpiBounceReason { get; set; }

        /// <summary>Why each frame is converted for the display, when it is.</summary>
        private string DisplayConversionReason => DisplayTakesFrames ? null : ConversionReason("display", Display.Format);

        /// <summary>Why what the SPI panel is sent is converted, when it is.</summary>
        protected string SpiConversionReason => SpiTakesFrames ? null : ConversionReason("SPI panel", Spi.Format);

        /// <summary>Runs the pipeline for the shell's <see cref="IPipelineShell.Frames"/> frames.</summary>
        public PipelineResult Run()
        {
            Begin();
            while (ShowNextFrame())
            {
            }

            return End();
        }

        /// <summary>Sets the board up and starts the first capture (<see cref="Run()"/>'s first part).</summary>
        public void Begin()
        {
            Open();
            SetUp();
            if (!DisplayTakesFrames)
            {
                SetUpDisplayConversion();
            }

            Shell.Opened(_camera, Display, Spi);
            PipelineResult result = new PipelineResult();
            result.Name = Name;
            result.Board = Shell.Board;
            result.Width = Layout.Width;
            result.Height = Layout.Height;
            // The first frames pay for JIT compilation and for first-use cache work (a new
            // buffer may hold dirty lines): the figures are for the frames after them.
            result.WarmupFrames = Shell.Frames > 2 * WarmupFrames ? WarmupFrames : 0;
            _result = result;
            MeasureFrom();
            StartCapture();
        }

        /// <summary>
        /// Runs until both panels have shown one more frame, or returns false at once when all
        /// <see cref="IPipelineShell.Frames"/> were shown. Two pipelines can take turns frame by
        /// frame (--compare), so a change in the host's load while they run affects both alike.
        /// </summary>
        public bool ShowNextFrame()
        {
            PipelineResult result = _result;
            if (result.Frames == Shell.Frames)
            {
                return false;
            }

            while (true)
            {
                if (DisplayFence == null && ReadyFrames() > 0)
                {
                    Shell.BeginStep();
                    QueueFrame frame = Queue.Acquire(0);
                    EndSync("acquire frame");
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
                    Shell.JobDone(Display, "scanout at vsync " + Display.GetSequenceNumber(DisplayFence), DisplayFence);
                    Shell.JobDone(Spi, "SPI transfer " + Spi.GetSequenceNumber(SpiFence), SpiFence);
                    FinishFrame();
                    DisplayFence.Dispose();
                    SpiFence.Dispose();
                    DisplayFence = null;
                    SpiFence = null;
                    result.Frames++;
                    if (result.Frames == result.WarmupFrames)
                    {
                        MeasureFrom();
                    }

                    Shell.FrameShown(result, _cameraFrame);
                    return true;
                }
            }
        }

        /// <summary>The figures of the frames after the warm-up (<see cref="Run()"/>'s last part).</summary>
        public PipelineResult End()
        {
            PipelineResult result = _result;
            Counters measuredFrom = _measuredFrom;
            Counters end = TakeCounters();
            result.BytesCopied = end.BytesCopied - measuredFrom.BytesCopied;
            result.LinesCleaned = end.LinesCleaned - measuredFrom.LinesCleaned;
            result.LinesInvalidated = end.LinesInvalidated - measuredFrom.LinesInvalidated;
            result.WholeCacheOperations = end.WholeCacheOperations - measuredFrom.WholeCacheOperations;
            result.FenceWaits = end.FenceWaits - measuredFrom.FenceWaits;
            result.QueueDrops = end.QueueDrops - measuredFrom.QueueDrops;
            result.SpiBounceReason = SpiBounceReason;
            result.DisplayConversionReason = DisplayConversionReason;
            Shell.Finish(result);
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

        /// <summary>Ends the measured step the caller began (<see cref="IPipelineShell.BeginStep"/>) as DmaBuf work called <paramref name="label"/>.</summary>
        protected void EndSync(string label) => Shell.EndStep(CpuWork.DmaBufCalls, label);

        /// <summary>Draws the overlay of camera frame <paramref name="cameraFrame"/> into <paramref name="picture"/>, plate then box, each a measured step.</summary>
        protected void DrawOverlay(DmaFrame picture, int cameraFrame)
        {
            Shell.BeginStep();
            Overlay.DrawPlate(picture, Layout, cameraFrame);
            Shell.EndStep(CpuWork.Overlay, "draw plate");
            Shell.BeginStep();
            Overlay.DrawBox(picture, Layout, cameraFrame);
            Shell.EndStep(CpuWork.Overlay, "draw box");
        }

        /// <summary>
        /// Shows <paramref name="picture"/> from the next vsync on: its own buffer, mapped through
        /// <paramref name="attachment"/> (its attachment to the display), when the display takes the
        /// frames' format; otherwise the picture converted into the next display buffer, a CPU copy
        /// that is counted. Sets <see cref="DisplayFence"/>; <see cref="UnmapDisplay"/> follows.
        /// </summary>
        protected void PresentFrame(DmaFrame picture, DmaAttachment attachment)
        {
            if (!DisplayTakesFrames)
            {
                DmaFrame converted = _displayPictures[_nextDisplayBuffer];
                Shell.BeginStep();
                picture.CopyRectangleTo(0, 0, Layout.Width, Layout.Height, converted, 0, 0);
                Shell.EndStep(CpuWork.Copies, "convert frame for display");
                attachment = _displayBufferAttachments[_nextDisplayBuffer];
                _nextDisplayBuffer = 1 - _nextDisplayBuffer;
            }

            Shell.BeginStep();
            _displayMapping = attachment.Map(DmaDirection.ToDevice);
            EndSync("map display ToDevice");
            DisplayFence = Display.Present(_displayMapping);
        }

        /// <summary>The display has finished with the frame <see cref="PresentFrame"/> gave it.</summary>
        protected void UnmapDisplay()
        {
            Shell.BeginStep();
            _displayMapping.Dispose();
            EndSync("unmap display");
            _displayMapping = null;
        }

        private void Open()
        {
            Heap = DmaHeap.Open(Shell.Board);
            Shell.Open(Name, Heap);
            // The board's peripherals, which pick their DMA masters and rates. The frames are in the
            // format the camera delivers; the display and the SPI panel get it if they take it, else
            // the other RGB565 byte order (an STM32 LTDC reads low byte first, an ST7789 high byte
            // first), into which what they are given is converted.
            PixelFormat[] displayFormats = Heap.GetPeripheralFormats("display");
            FrameFormat = ChooseFrameFormat(Heap.GetPeripheralFormats("camera"), displayFormats);
            _camera = Heap.OpenCamera("camera", Layout.Width, Layout.Height, FrameFormat);
            Display = Heap.OpenDisplay("display", Layout.Width, Layout.Height, ChoosePanelFormat(displayFormats, FrameFormat, "display"));
            Spi = Heap.OpenSpiPanel("spi-panel", ChoosePanelFormat(Heap.GetPeripheralFormats("spi-panel"), FrameFormat, "SPI panel"));
            // An ST7789 module shows nothing until initialised; it is used 320 x 240, colours inverted (IPS).
            Spi.Initialize(SpiPanel.LandscapeMemoryAccess, true);
            DisplayDevice = Display.Device;
            SpiDevice = Spi.Device;
        }

        /// <summary>
        /// The frames' format, from what the camera delivers (<paramref name="cameraFormats"/>): an
        /// RGB565 byte order (the overlay's kernels draw on it, and every panel takes one or the
        /// other), the one the display takes if the camera delivers it, so that the display is given
        /// the frames themselves.
        /// </summary>
        internal static PixelFormat ChooseFrameFormat(PixelFormat[] cameraFormats, PixelFormat[] displayFormats)
        {
            bool delivers = false;
            PixelFormat chosen = PixelFormat.Rgb565BigEndian;
            foreach (PixelFormat format in cameraFormats)
            {
                if (format != PixelFormat.Rgb565BigEndian && format != PixelFormat.Rgb565LittleEndian)
                {
                    continue;
                }

                if (Contains(displayFormats, format))
                {
                    return format;
                }

                if (!delivers)
                {
                    delivers = true;
                    chosen = format;
                }
            }

            if (!delivers)
            {
                throw new NotSupportedException("the camera delivers neither RGB565 byte order");
            }

            return chosen;
        }

        /// <summary>
        /// What a panel that takes <paramref name="formats"/> is set to: the frames' format
        /// <paramref name="frameFormat"/>, else the other RGB565 byte order.
        /// </summary>
        internal static PixelFormat ChoosePanelFormat(PixelFormat[] formats, PixelFormat frameFormat, string panel)
        {
            if (Contains(formats, frameFormat))
            {
                return frameFormat;
            }

            PixelFormat converted = frameFormat == PixelFormat.Rgb565BigEndian
                ? PixelFormat.Rgb565LittleEndian : PixelFormat.Rgb565BigEndian;
            if (!Contains(formats, converted))
            {
                throw new NotSupportedException("the " + panel + " takes neither RGB565 byte order");
            }

            return converted;
        }

        private static bool Contains(PixelFormat[] formats, PixelFormat wanted)
        {
            foreach (PixelFormat format in formats)
            {
                if (format == wanted)
                {
                    return true;
                }
            }

            return false;
        }

        private string ConversionReason(string panel, PixelFormat taken)
        {
            return "the " + panel + " takes " + FormatName(taken) + ", the frames are " + FormatName(FrameFormat);
        }

        private static string FormatName(PixelFormat format)
        {
            return format == PixelFormat.Rgb565BigEndian ? "RGB565 high byte first" : "RGB565 low byte first";
        }

        /// <summary>The display buffers each frame is converted into, attached to the display.</summary>
        private void SetUpDisplayConversion()
        {
            for (int i = 0; i < _displayBuffers.Length; i++)
            {
                _displayBuffers[i] = Heap.Export(Layout.FrameBytes, "display" + i.ToString());
                _displayBufferAttachments[i] = _displayBuffers[i].Attach(DisplayDevice);
                _displayPictures[i] = new DmaFrame(_displayBuffers[i], Layout.Width, Layout.Height, Display.Format);
            }
        }

        /// <summary>Exports the camera frames (the subclass calls this when its buffer order allows) and the queue over them.</summary>
        protected void ExportCameraFrames()
        {
            DmaDevice cameraDevice = _camera.Device;
            for (int i = 0; i < FrameCount; i++)
            {
                Frames[i] = Heap.Export(Layout.FrameBytes, "frame" + i.ToString());
                _cameraAttachments[i] = Frames[i].Attach(cameraDevice);
                Shell.NameBuffer(i, Frames[i].Name);
            }

            Queue = new FrameQueue(Heap, Frames, FrameQueueMode.Latest);
        }

        /// <summary>Every running total of the DmaBuf figures, at one moment.</summary>
        private struct Counters
        {
            public long BytesCopied, LinesCleaned, LinesInvalidated, WholeCacheOperations;
            public int FenceWaits, QueueDrops;
        }

        private void MeasureFrom()
        {
            _measuredFrom = TakeCounters();
            Shell.MeasureFrom();
        }

        private Counters TakeCounters()
        {
            DmaCacheStatistics cache = Heap.GetCacheStatistics();
            Counters counters = new Counters();
            // Counted natively by every CPU copy of the DmaBuf API (CpuAccess, DmaFrame), not by the demo.
            counters.BytesCopied = Heap.GetCpuCopyStatistics().BytesCopied;
            counters.LinesCleaned = cache.LinesCleaned;
            counters.LinesInvalidated = cache.LinesInvalidated;
            counters.WholeCacheOperations = cache.WholeCacheOperations;
            counters.FenceWaits = _fenceWaits;
            counters.QueueDrops = Queue.GetStatistics().Dropped;
            return counters;
        }

        private int ReadyFrames()
        {
            FrameQueueStatistics statistics = Queue.GetStatistics();
            return statistics.Enqueued - statistics.Acquired - statistics.Dropped;
        }

        /// <summary>Keeps a capture queued: the next buffer (the oldest unseen one if none is free).</summary>
        private void StartCapture()
        {
            Shell.BeginStep();
            _capturing = Queue.Dequeue(0);
            EndSync("dequeue frame");
            int index = _capturing.Index;
            Shell.BeginStep();
            _captureMapping = _cameraAttachments[index].Map(DmaDirection.FromDevice);
            EndSync("map camera FromDevice");
            Shell.Owned(index, "camera");
            _capture = _camera.Capture(_captureMapping);
        }

        private void FinishCapture()
        {
            int index = _capturing.Index;
            _cameraFrameOf[index] = _camera.GetSequenceNumber(_capture);
            Shell.JobDone(_camera, "capture frame " + _cameraFrameOf[index].ToString(), _capture);
            Shell.BeginStep();
            _captureMapping.Dispose();
            EndSync("unmap camera");
            Shell.Released(index);
            long timestamp = _camera.GetTimestampMicroseconds(_capture);
            Shell.BeginStep();
            Queue.Enqueue(_capturing, timestamp);
            EndSync("enqueue frame");
            _capture.Dispose();
            _capture = null;
        }

        /// <summary>
        /// Waits until there is something to do: the capture finished, or both panels finished the
        /// frame in flight. A job that finished already is not waited for again.
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
            if (!Shell.WaitAny(pending))
            {
                throw new InvalidOperationException("the simulation stalled: nothing scheduled can finish the pending jobs");
            }

            _fenceWaits++;
        }

        public void Dispose()
        {
            // The peripherals finish their jobs before the buffers they use go away: a wait on
            // each job's fence runs them to their end.
            foreach (DmaFence job in new DmaFence[] { _capture, DisplayFence, SpiFence })
            {
                if (job != null && !job.IsDisposed)
                {
                    job.Wait(-1);
                    job.Dispose();
                }
            }

            _camera?.Dispose();
            Display?.Dispose();
            Spi?.Dispose();
            Shell.Close();
            Queue?.Dispose();
            TearDown();
            foreach (DmaBuffer buffer in _displayBuffers)
            {
                buffer?.Dispose();
            }

            foreach (DmaBuffer frame in Frames)
            {
                frame?.Dispose();
            }

            Heap?.Dispose();
        }
    }
}
