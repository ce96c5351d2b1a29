namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// The copy-everything pipeline applications write today: the camera driver's frame is copied
    /// into a managed array, the overlay is drawn there, and the array is copied into the display
    /// driver's framebuffer and (the crop) into the SPI driver's buffer. The same DmaBuf buffers and
    /// hand-overs carry the DMA, so the only difference from <see cref="ZeroCopyPipeline"/> is the copying.
    /// </summary>
    internal sealed class CopyBaselinePipeline : Pipeline
    {
        private byte[] _picture;
        private DmaBuffer _framebuffer;
        private DmaBuffer _spiBuffer;
        private DmaAttachment _displayAttachment;
        private DmaAttachment _spiAttachment;
        private DmaMapping _displayMapping;
        private DmaMapping _spiMapping;

        public CopyBaselinePipeline(DemoOptions options)
            : base(options)
        {
        }

        public override string Name => "copy-baseline";

        protected override void SetUp()
        {
            // The SPI buffer first: on boards whose SPI DMA reaches only internal SRAM it must get
            // a place there before the frames fill it.
            _spiBuffer = Heap.Export(Layout.CropBytes, "spi-buffer");
            _spiAttachment = _spiBuffer.Attach(SpiDevice);
            _framebuffer = Heap.Export(Layout.FrameBytes, "framebuffer");
            _displayAttachment = _framebuffer.Attach(DisplayDevice);
            ExportCameraFrames();
            _picture = new byte[Layout.FrameBytes];
            Trace?.NameBuffer(BufferTrack(FrameCount), _framebuffer.Name);
            Trace?.NameBuffer(BufferTrack(FrameCount + 1), _spiBuffer.Name);
        }

        protected override void StartFrame(QueueFrame frame, int cameraFrame)
        {
            // Copy the frame out and hand the buffer straight back to the camera driver.
            DmaBuffer buffer = frame.Buffer;
            int track = BufferTrack(frame.Index);
            CpuAccess access = Sync("begin CPU access FromDevice (frame)", () => buffer.BeginCpuAccess(DmaDirection.FromDevice));
            Trace?.Owned(track, "CPU", Soc.Now);
            Copy("copy frame to array", Layout.FrameBytes, () => access.Read(0, _picture));
            Sync("end CPU access (frame)", () => access.Dispose());
            Trace?.Released(track, Soc.Now);
            Sync("release frame", () => Queue.Release(frame));

            Measure(CpuWork.Overlay, "draw plate", () => Overlay.DrawPlate(_picture, 0, Layout, cameraFrame));
            Measure(CpuWork.Overlay, "draw box", () => Overlay.DrawBox(_picture, 0, Layout, cameraFrame));

            track = BufferTrack(FrameCount);
            access = Sync("begin CPU access ToDevice (framebuffer)", () => _framebuffer.BeginCpuAccess(DmaDirection.ToDevice));
            Trace?.Owned(track, "CPU", Soc.Now);
            Copy("copy array to framebuffer", Layout.FrameBytes, () => access.Write(0, _picture));
            Sync("end CPU access (framebuffer)", () => access.Dispose());
            Trace?.Released(track, Soc.Now);
            _displayMapping = Sync("map display ToDevice", () => _displayAttachment.Map(DmaDirection.ToDevice));
            DisplayFence = Display.Present(_displayMapping);
            Trace?.Owned(track, "display", Soc.Now);

            track = BufferTrack(FrameCount + 1);
            PixelRect crop = Layout.Crop;
            int row = crop.Width * FrameLayout.BytesPerPixel;
            access = Sync("begin CPU access ToDevice (SPI buffer)", () => _spiBuffer.BeginCpuAccess(DmaDirection.ToDevice));
            Trace?.Owned(track, "CPU", Soc.Now);
            Copy("copy crop to SPI buffer", Layout.CropBytes, () =>
            {
                for (int y = 0; y < crop.Height; y++)
                {
                    access.Write(y * row, _picture, Layout.ByteOffset(crop.X, crop.Y + y), row);
                }
            });
            Sync("end CPU access (SPI buffer)", () => access.Dispose());
            Trace?.Released(track, Soc.Now);
            _spiMapping = Sync("map SPI ToDevice", () => _spiAttachment.Map(DmaDirection.ToDevice));
            PixelRect window = Layout.GlassWindow;
            SpiFence = Spi.WriteRectangle(_spiMapping, 0, row, window.X, window.Y, window.Width, window.Height);
            Trace?.Owned(track, "SPI", Soc.Now);
        }

        protected override void FinishFrame()
        {
            Sync("unmap display", () => _displayMapping.Dispose());
            Trace?.Released(BufferTrack(FrameCount), Soc.Now);
            Sync("unmap SPI", () => _spiMapping.Dispose());
            Trace?.Released(BufferTrack(FrameCount + 1), Soc.Now);
        }

        protected override void TearDown()
        {
            _framebuffer?.Dispose();
            _spiBuffer?.Dispose();
        }

        private void Copy(string label, int bytes, System.Action copy)
        {
            Measure(CpuWork.Copies, label, copy);
            BytesCopied += bytes;
        }
    }
}
