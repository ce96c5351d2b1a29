namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// The board's shell around a <see cref="Pipeline"/>: no simulator extras, meter or trace (the
    /// board has none), only the checks a board can make of each frame: both panels' DMA jobs
    /// succeeded, and the picture is a newer camera frame than the one before.
    /// </summary>
    internal sealed class BoardShell : IPipelineShell
    {
        private int _lastCameraFrame = -1;
        private bool _jobsSucceeded = true;

        /// <param name="board">The board name (<see cref="DmaHeap.Open"/>).</param>
        /// <param name="frames">Frames to show.</param>
        /// <param name="layout">The frame and SPI panel geometry.</param>
        public BoardShell(string board, int frames, FrameLayout layout)
        {
            Board = board;
            Frames = frames;
            Layout = layout;
        }

        public string Board { get; }

        public int Frames { get; }

        public FrameLayout Layout { get; }

        /// <summary>Frames that passed the checks.</summary>
        public int FramesChecked { get; private set; }

        public void Open(string pipeline, DmaHeap heap)
        {
        }

        public void Opened(Camera camera, ScanoutDisplay display, SpiPanel spi)
        {
        }

        public void MeasureFrom()
        {
        }

        public void Finish(PipelineResult result) => result.FramesAsExpected = FramesChecked;

        public void BeginStep()
        {
        }

        public void EndStep(CpuWork work, string label)
        {
        }

        public void NameBuffer(int buffer, string name)
        {
        }

        public void Owned(int buffer, string owner)
        {
        }

        public void Released(int buffer)
        {
        }

        public void JobDone(DmaPeripheral peripheral, string label, DmaFence job)
        {
            if (job.IsFailed)
            {
                _jobsSucceeded = false;
            }
        }

        /// <summary>Waits for the first pending job: the pipeline looks at all of them again after it.</summary>
        public bool WaitAny(DmaFence[] pending)
        {
            foreach (DmaFence job in pending)
            {
                if (job != null)
                {
                    job.Wait(-1);
                    return true;
                }
            }

            return false;
        }

        public void FrameShown(PipelineResult result, int cameraFrame)
        {
            if (_jobsSucceeded && cameraFrame > _lastCameraFrame)
            {
                FramesChecked++;
            }

            _jobsSucceeded = true;
            _lastCameraFrame = cameraFrame;
        }

        public void Close()
        {
        }
    }
}
