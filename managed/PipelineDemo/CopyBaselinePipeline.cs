namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// The copy-everything pipeline applications write today: the camera driver's frame is copied
    /// into a managed array and the array into the display driver's framebuffer, the overlay is
    /// drawn there (with the same <see cref="Overlay"/> calls as <see cref="ZeroCopyPipeline"/>, so
    /// the drawing costs the same in both), and the crop is copied into the SPI driver's buffer. The
    /// same DmaBuf buffers and hand-overs carry the DMA, so the only difference from
    /// <see cref="ZeroCopyPipeline"/> is the copying.
    /// </summary>
    internal sealed class CopyBaselinePipeline : Pipeline
    {
        private byte[] _picture;
        private DmaBuffer _framebuffer;
        private DmaBuffer _spiBuffer;
        private DmaFrame _framebufferPicture;
        private DmaFrame _spiPicture;
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
            _framebufferPicture = new DmaFrame(_framebuffer, Layout.Width, Layout.Height, Overlay.Format);
            _spiPicture = new DmaFrame(_spiBuffer, Layout.Crop.Width, Layout.Crop.Height, Overlay.Format);
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
            Copy("copy frame to array", () => access.Read(0, _picture));
            Sync("end CPU access (frame)", () => access.Dispose());
            Trace?.Released(track, Soc.Now);
            Sync("release frame", () => Queue.Release(frame));

            track = BufferTrack(FrameCount);
            access = Sync("begin CPU access ToDevice (framebuffer)", () => _framebuffer.BeginCpuAccess(DmaDirection.ToDevice));
            Trace?.Owned(track, "CPU", Soc.Now);
            Copy("copy array to framebuffer", () => access.Write(0, _picture));
            Sync("end CPU access (framebuffer)", () => access.Dispose());
            Measure(CpuWork.Overlay, "draw plate", () => Overlay.DrawPlate(_framebufferPicture, Layout, cameraFrame));
            Measure(CpuWork.Overlay, "draw box", () => Overlay.DrawBox(_framebufferPicture, Layout, cameraFrame));

            // The crop, overlay included, from the framebuffer into the SPI driver's buffer.
            PixelRect crop = Layout.Crop;
            int spiTrack = BufferTrack(FrameCount + 1);
            Trace?.Owned(spiTrack, "CPU", Soc.Now);
            Copy("copy crop to SPI buffer", () => _framebufferPicture.CopyRectangleTo(crop.X, crop.Y, crop.Width, crop.Height, _spiPicture, 0, 0));
            Trace?.Released(track, Soc.Now);
            _displayMapping = Sync("map display ToDevice", () => _displayAttachment.Map(DmaDirection.ToDevice));
            DisplayFence = Display.Present(_displayMapping);
            Trace?.Owned(track, "display", Soc.Now);

            Trace?.Released(spiTrack, Soc.Now);
            _spiMapping = Sync("map SPI ToDevice", () => _spiAttachment.Map(DmaDirection.ToDevice));
            PixelRect window = Layout.GlassWindow;
            SpiFence = Spi.WriteRectangle(_spiMapping, 0, crop.Width * FrameLayout.BytesPerPixel, window.X, window.Y, window.Width, window.Height);
            Trace?.Owned(spiTrack, "SPI", Soc.Now);
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

        // The bytes are counted natively (DmaHeap.GetCpuCopyStatistics), by the copy itself.
        private void Copy(string label, System.Action copy) => Measure(CpuWork.Copies, label, copy);
    }
}
