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
    internal sealed partial class CopyBaselinePipeline : Pipeline
    {
        private byte[] _picture;
        private DmaBuffer _framebuffer;
        private DmaBuffer _spiBuffer;
        private DmaFrame _framebufferPicture;
        private DmaFrame _spiPicture;
        private DmaAttachment _displayAttachment;
        private DmaAttachment _spiAttachment;
        private DmaMapping _spiMapping;

        public CopyBaselinePipeline(IPipelineShell shell)
            : base(shell)
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
            // A display that takes another format gets the framebuffer converted (Pipeline.PresentFrame).
            if (DisplayTakesFrames)
            {
                _displayAttachment = _framebuffer.Attach(DisplayDevice);
            }

            ExportCameraFrames();
            _picture = new byte[Layout.FrameBytes];
            _framebufferPicture = new DmaFrame(_framebuffer, Layout.Width, Layout.Height, FrameFormat);
            // In the format the SPI panel takes: the crop's copy converts it on the way if need be.
            _spiPicture = new DmaFrame(_spiBuffer, Layout.Crop.Width, Layout.Crop.Height, Spi.Format);
            Shell.NameBuffer(FrameCount, _framebuffer.Name);
            Shell.NameBuffer(FrameCount + 1, _spiBuffer.Name);
        }

        protected override void StartFrame(QueueFrame frame, int cameraFrame)
        {
            // Copy the frame out and hand the buffer straight back to the camera driver.
            DmaBuffer buffer = frame.Buffer;
            int track = frame.Index;
            Shell.BeginStep();
            CpuAccess access = buffer.BeginCpuAccess(DmaDirection.FromDevice);
            EndSync("begin CPU access FromDevice (frame)");
            Shell.Owned(track, "CPU");
            Shell.BeginStep();
            access.Read(0, _picture);
            Shell.EndStep(CpuWork.Copies, "copy frame to array");
            Shell.BeginStep();
            access.Dispose();
            EndSync("end CPU access (frame)");
            Shell.Released(track);
            Shell.BeginStep();
            Queue.Release(frame);
            EndSync("release frame");

            track = FrameCount;
            Shell.BeginStep();
            access = _framebuffer.BeginCpuAccess(DmaDirection.ToDevice);
            EndSync("begin CPU access ToDevice (framebuffer)");
            Shell.Owned(track, "CPU");
            Shell.BeginStep();
            access.Write(0, _picture);
            Shell.EndStep(CpuWork.Copies, "copy array to framebuffer");
            Shell.BeginStep();
            access.Dispose();
            EndSync("end CPU access (framebuffer)");
            DrawOverlay(_framebufferPicture, cameraFrame);

            // The crop, overlay included, from the framebuffer into the SPI driver's buffer.
            PixelRect crop = Layout.Crop;
            int spiTrack = FrameCount + 1;
            Shell.Owned(spiTrack, "CPU");
            Shell.BeginStep();
            _framebufferPicture.CopyRectangleTo(crop.X, crop.Y, crop.Width, crop.Height, _spiPicture, 0, 0);
            Shell.EndStep(CpuWork.Copies, "copy crop to SPI buffer");
            Shell.Released(track);
            PresentFrame(_framebufferPicture, _displayAttachment);
            Shell.Owned(track, "display");

            Shell.Released(spiTrack);
            Shell.BeginStep();
            _spiMapping = _spiAttachment.Map(DmaDirection.ToDevice);
            EndSync("map SPI ToDevice");
            PixelRect window = Layout.GlassWindow;
            SpiFence = Spi.WriteRectangle(_spiMapping, 0, crop.Width * FrameLayout.BytesPerPixel, window.X, window.Y, window.Width, window.Height);
            Shell.Owned(spiTrack, "SPI");
        }

        protected override void FinishFrame()
        {
            UnmapDisplay();
            Shell.Released(FrameCount);
            Shell.BeginStep();
            _spiMapping.Dispose();
            EndSync("unmap SPI");
            Shell.Released(FrameCount + 1);
        }

        protected override void TearDown()
        {
            _framebuffer?.Dispose();
            _spiBuffer?.Dispose();
        }
    }
}
