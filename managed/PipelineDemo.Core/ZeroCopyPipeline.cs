namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// The zero-copy pipeline: each camera frame buffer is also attached to the display and the SPI
    /// master. The CPU draws the overlay into the frame itself, through <see cref="DmaFrame"/> calls
    /// whose CPU accesses cover only the rows they draw, and both panels read the same buffer; it
    /// goes back to the camera when both are done. No byte is copied by the CPU.
    /// </summary>
    internal sealed partial class ZeroCopyPipeline : Pipeline
    {
        private readonly DmaAttachment[] _displayAttachments = new DmaAttachment[FrameCount];
        private readonly DmaAttachment[] _spiAttachments = new DmaAttachment[FrameCount];
        private readonly DmaFrame[] _pictures = new DmaFrame[FrameCount];
        private QueueFrame _frame;
        private DmaMapping _spiMapping;

        // When the SPI master cannot reach the frames (e.g. PSRAM frames and an SPI DMA limited to
        // internal SRAM), the crop is copied into a buffer it reaches: what the driver would do. So
        // it is when the panel takes the other RGB565 byte order: the copy converts on the way.
        private DmaBuffer _bounce;
        private DmaAttachment _bounceAttachment;
        private DmaFrame _bouncePicture;

        public ZeroCopyPipeline(IPipelineShell shell)
            : base(shell)
        {
        }

        public override string Name => "zero-copy";

        protected override void SetUp()
        {
            ExportCameraFrames();
            for (int i = 0; i < FrameCount; i++)
            {
                // A display that takes another format gets each frame converted (Pipeline.PresentFrame).
                if (DisplayTakesFrames)
                {
                    _displayAttachments[i] = Frames[i].Attach(DisplayDevice);
                }

                _pictures[i] = new DmaFrame(Frames[i], Layout.Width, Layout.Height, FrameFormat);
            }

            if (!SpiTakesFrames)
            {
                UseBounceBuffer(SpiConversionReason);
                return;
            }

            try
            {
                for (int i = 0; i < FrameCount; i++)
                {
                    _spiAttachments[i] = Frames[i].Attach(SpiDevice);
                }
            }
            catch (DmaConstraintException e)
            {
                UseBounceBuffer(e.Message);
            }
            catch (System.OutOfMemoryException e)
            {
                UseBounceBuffer(e.Message);
            }
        }

        protected override void StartFrame(QueueFrame frame, int cameraFrame)
        {
            _frame = frame;
            DmaBuffer buffer = frame.Buffer;
            int track = frame.Index;

            // Each drawing step opens and ends its own CPU access over the rows it draws (the plate
            // only writes: ToDevice; darkening the box reads the camera's pixels: Bidirectional).
            DmaFrame picture = _pictures[frame.Index];
            Shell.Owned(track, "CPU");
            DrawOverlay(picture, cameraFrame);
            Shell.Released(track);

            int index = frame.Index;
            PresentFrame(picture, _displayAttachments[index]);
            Shell.Owned(track, "display + SPI");
            if (_bounce == null)
            {
                Shell.BeginStep();
                _spiMapping = _spiAttachments[index].Map(DmaDirection.ToDevice);
                EndSync("map SPI ToDevice");
                PixelRect window = Layout.SpiWindow;
                SpiFence = Spi.WriteRectangle(_spiMapping, Layout.SpiOffset, Layout.Stride, window.X, window.Y, window.Width, window.Height);
            }
            else
            {
                SendCropThroughBounceBuffer(buffer, picture);
            }
        }

        protected override void FinishFrame()
        {
            UnmapDisplay();
            Shell.BeginStep();
            _spiMapping.Dispose();
            EndSync("unmap SPI");
            Shell.Released(_frame.Index);
            Shell.BeginStep();
            Queue.Release(_frame);
            EndSync("release frame");
            _frame = null;
        }

        protected override void TearDown()
        {
            _bounce?.Dispose();
        }

        private void UseBounceBuffer(string reason)
        {
            SpiBounceReason = reason;
            _bounce = Heap.Export(Layout.CropBytes, "spi-bounce");
            _bounceAttachment = _bounce.Attach(SpiDevice);
            _bouncePicture = new DmaFrame(_bounce, Layout.Crop.Width, Layout.Crop.Height, Spi.Format);
        }

        private void SendCropThroughBounceBuffer(DmaBuffer frame, DmaFrame picture)
        {
            PixelRect crop = Layout.Crop;
            Layout.ByteRange(crop, out int offset, out int length);
            int row = crop.Width * FrameLayout.BytesPerPixel;
            Shell.BeginStep();
            CpuAccess source = frame.BeginCpuAccess(DmaDirection.FromDevice, offset, length);
            EndSync("begin CPU access FromDevice (crop)");
            Shell.BeginStep();
            CpuAccess destination = _bounce.BeginCpuAccess(DmaDirection.ToDevice);
            EndSync("begin CPU access ToDevice (SPI bounce)");
            // One kernel call inside both accesses (each buffer's lines maintained once): the bytes as
            // they are, or converted to the panel's byte order.
            Shell.BeginStep();
            picture.CopyRectangleTo(crop.X, crop.Y, crop.Width, crop.Height, _bouncePicture, 0, 0);
            Shell.EndStep(CpuWork.Copies, SpiTakesFrames ? "copy crop to SPI bounce buffer" : "convert crop for SPI bounce buffer");
            Shell.BeginStep();
            destination.Dispose();
            EndSync("end CPU access (SPI bounce)");
            Shell.BeginStep();
            source.Dispose();
            EndSync("end CPU access (crop)");
            Shell.BeginStep();
            _spiMapping = _bounceAttachment.Map(DmaDirection.ToDevice);
            EndSync("map SPI bounce ToDevice");
            PixelRect window = Layout.GlassWindow;
            SpiFence = Spi.WriteRectangle(_spiMapping, 0, row, window.X, window.Y, window.Width, window.Height);
        }
    }
}
