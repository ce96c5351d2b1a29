namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// What runs around a <see cref="Pipeline"/> and differs between the host and the board: the
    /// settings, the simulator or the real peripherals' extras, the CPU meter, the trace and the
    /// output. The pipeline logic calls only these and the DmaBuf API, so one source compiles for
    /// host .NET and for nanoFramework 1.17 (no delegates over generic types, which mscorlib 1.17
    /// lacks: a measured step is <see cref="BeginStep"/>, the plain calls, <see cref="EndStep"/>).
    /// </summary>
    internal interface IPipelineShell
    {
        /// <summary>The board the heap is opened on (<see cref="DmaHeap.Open"/>).</summary>
        string Board { get; }

        /// <summary>Frames to show on both panels.</summary>
        int Frames { get; }

        /// <summary>Where the frame's parts sit (camera, display and SPI panel geometry).</summary>
        FrameLayout Layout { get; }

        /// <summary>The heap is open, the peripherals are not yet: set up what they depend on.</summary>
        void Open(string pipeline, DmaHeap heap);

        /// <summary>The peripherals are open and the pipeline's buffers set up; the first capture is next.</summary>
        void Opened(Camera camera, ScanoutDisplay display, SpiPanel spi);

        /// <summary>The figures count from here (after the warm-up frames).</summary>
        void MeasureFrom();

        /// <summary>Fills in the shell's own figures of <paramref name="result"/> (since <see cref="MeasureFrom"/>).</summary>
        void Finish(PipelineResult result);

        /// <summary>A measured step of CPU work starts; <see cref="EndStep"/> follows before the next.</summary>
        void BeginStep();

        /// <summary>The step started by <see cref="BeginStep"/> ended: it was <paramref name="work"/>, called <paramref name="label"/>.</summary>
        void EndStep(CpuWork work, string label);

        /// <summary>Buffer <paramref name="buffer"/> (0 to <see cref="Pipeline.FrameCount"/> + 1) is called <paramref name="name"/>.</summary>
        void NameBuffer(int buffer, string name);

        /// <summary>Buffer <paramref name="buffer"/> is now used by <paramref name="owner"/>.</summary>
        void Owned(int buffer, string owner);

        /// <summary>Buffer <paramref name="buffer"/> is no longer used by its owner.</summary>
        void Released(int buffer);

        /// <summary>The peripheral's DMA job <paramref name="job"/>, called <paramref name="label"/>, has finished.</summary>
        void JobDone(DmaPeripheral peripheral, string label, DmaFence job);

        /// <summary>Waits until one of <paramref name="pending"/> (null entries ignored) is signalled.</summary>
        /// <returns>False when none can ever be (the jobs stalled).</returns>
        bool WaitAny(DmaFence[] pending);

        /// <summary>Both panels show one more frame: <paramref name="result"/>'s <see cref="PipelineResult.Frames"/>th, camera frame <paramref name="cameraFrame"/>.</summary>
        void FrameShown(PipelineResult result, int cameraFrame);

        /// <summary>The peripherals are closed; the buffers and the heap are next.</summary>
        void Close();
    }
}
