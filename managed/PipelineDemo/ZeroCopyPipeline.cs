namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// The zero-copy pipeline: each camera frame buffer is also attached to the display and the SPI
    /// master. The CPU draws the overlay into the frame itself, through <see cref="DmaFrame"/> calls
    /// whose CPU accesses cover only the rows they draw, and both panels read the same buffer; it
    /// goes back to the camera when both are done. No byte is copied by the CPU.
    /// </summary>
    internal sealed class ZeroCopyPipeline : Pipeline
    {
        private readonly DmaAttachment[] _displayAttachments = new DmaAttachment[FrameCount];
        private readonly DmaAttachment[] _spiAttachments = new DmaAttachment[FrameCount];
        private readonly DmaFrame[] _pictures = new DmaFrame[FrameCount];
        private QueueFrame _frame;
        private DmaMapping _displayMapping;
        private DmaMapping _spiMapping;

        // When the SPI master cannot reach the frames (e.g. PSRAM frames and an SPI DMA limited to
        // internal SRAM), the crop is copied into a buffer it reaches: what the driver would do.
        private DmaBuffer _bounce;
        private DmaAttachment _bounceAttachment;

        public ZeroCopyPipeline(DemoOptions options)
            : base(options)
        {
        }

        public override string Name => "zero-copy";

        protected override void SetUp()
        {
            ExportCameraFrames();
            for (int i = 0; i < FrameCount; i++)
            {
                _displayAttachments[i] = Frames[i].Attach(DisplayDevice);
                _pictures[i] = new DmaFrame(Frames[i], Layout.Width, Layout.Height, Overlay.Format);
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
            int track = BufferTrack(frame.Index);

            // Each drawing step opens and ends its own CPU access over the rows it draws (the plate
            // only writes: ToDevice; darkening the box reads the camera's pixels: Bidirectional).
            DmaFrame picture = _pictures[frame.Index];
            Trace?.Owned(track, "CPU", Soc.Now);
            Measure(CpuWork.Overlay, "draw plate", () => Overlay.DrawPlate(picture, Layout, cameraFrame));
            Measure(CpuWork.Overlay, "draw box", () => Overlay.DrawBox(picture, Layout, cameraFrame));
            Trace?.Released(track, Soc.Now);

            int index = frame.Index;
            _displayMapping = Sync("map display ToDevice", () => _displayAttachments[index].Map(DmaDirection.ToDevice));
            DisplayFence = Display.Present(_displayMapping);
            Trace?.Owned(track, "display + SPI", Soc.Now);
            if (_bounce == null)
            {
                _spiMapping = Sync("map SPI ToDevice", () => _spiAttachments[index].Map(DmaDirection.ToDevice));
                PixelRect window = Layout.SpiWindow;
                SpiFence = Spi.WriteRectangle(_spiMapping, Layout.SpiOffset, Layout.Stride, window.X, window.Y, window.Width, window.Height);
            }
            else
            {
                SendCropThroughBounceBuffer(buffer);
            }
        }

        protected override void FinishFrame()
        {
            Sync("unmap display", () => _displayMapping.Dispose());
            Sync("unmap SPI", () => _spiMapping.Dispose());
            Trace?.Released(BufferTrack(_frame.Index), Soc.Now);
            Sync("release frame", () => Queue.Release(_frame));
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
        }

        private void SendCropThroughBounceBuffer(DmaBuffer frame)
        {
            PixelRect crop = Layout.Crop;
            (int offset, int length) = Layout.ByteRange(crop);
            int row = crop.Width * FrameLayout.BytesPerPixel;
            CpuAccess source = Sync("begin CPU access FromDevice (crop)", () => frame.BeginCpuAccess(DmaDirection.FromDevice, offset, length));
            CpuAccess destination = Sync("begin CPU access ToDevice (SPI bounce)", () => _bounce.BeginCpuAccess(DmaDirection.ToDevice));
            Measure(CpuWork.Copies, "copy crop to SPI bounce buffer", () =>
            {
                for (int y = 0; y < crop.Height; y++)
                {
                    source.CopyTo(y * Layout.Stride, destination, y * row, row);
                }
            });
            Sync("end CPU access (SPI bounce)", () => destination.Dispose());
            Sync("end CPU access (crop)", () => source.Dispose());
            _spiMapping = Sync("map SPI bounce ToDevice", () => _bounceAttachment.Map(DmaDirection.ToDevice));
            PixelRect window = Layout.GlassWindow;
            SpiFence = Spi.WriteRectangle(_spiMapping, 0, row, window.X, window.Y, window.Width, window.Height);
        }
    }
}
