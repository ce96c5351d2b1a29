namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>What one pipeline run did and cost.</summary>
    internal sealed class PipelineResult
    {
        public string Name { get; set; }

        public string Board { get; set; }

        public int Width { get; set; }

        public int Height { get; set; }

        public bool NoSync { get; set; }

        /// <summary>Frames shown on both panels.</summary>
        public int Frames { get; set; }

        /// <summary>The first frames, left out of every figure below except <see cref="FramesAsExpected"/>.</summary>
        public int WarmupFrames { get; set; }

        /// <summary>Frames the figures are for.</summary>
        public int MeasuredFrames => Frames - WarmupFrames;

        /// <summary>Over the measured frames: pixel bytes the CPU copied (frame to array, array to buffers, crops).</summary>
        public long BytesCopied { get; set; }

        /// <summary>Cache lines the DmaBuf core cleaned / invalidated (whole-cache operations apart).</summary>
        public long LinesCleaned { get; set; }

        public long LinesInvalidated { get; set; }

        public long WholeCacheOperations { get; set; }

        /// <summary>Cache operations the backend skipped on purpose (--no-sync).</summary>
        public long CacheOperationsDropped { get; set; }

        /// <summary>Times the CPU had to wait for a fence (virtual time ran until a DMA job finished).</summary>
        public int FenceWaits { get; set; }

        /// <summary>Frames the queue recycled unseen (the camera was faster than the consumer).</summary>
        public int QueueDrops { get; set; }

        /// <summary>Sensor frames the camera missed (its DMA was still busy).</summary>
        public int CameraMissed { get; set; }

        public long OverlayNanoseconds { get; set; }

        public long CopyNanoseconds { get; set; }

        /// <summary>The DmaBuf calls' thread CPU time, less <see cref="CacheModelNanoseconds"/>.</summary>
        public long DmaBufCallNanoseconds { get; set; }

        /// <summary>The application's CPU time: the simulator's cache modelling excluded.</summary>
        public long CpuNanoseconds => OverlayNanoseconds + CopyNanoseconds + DmaBufCallNanoseconds;

        /// <summary>
        /// Thread CPU time the simulator spent modelling cache hardware inside the DmaBuf calls, taken
        /// out of <see cref="DmaBufCallNanoseconds"/>: the cache work is counted as line and
        /// whole-cache operations instead.
        /// </summary>
        public long CacheModelNanoseconds { get; set; }

        /// <summary>Frames whose display and SPI pictures equal camera frame + overlay.</summary>
        public int FramesAsExpected { get; set; }

        /// <summary>Virtual time the run took.</summary>
        public long VirtualNanoseconds { get; set; }

        /// <summary>Set when the crop was copied into a bounce buffer for the SPI panel (its master could not
        /// reach the shared frames, or it takes the other RGB565 byte order and the copy converted): why.</summary>
        public string SpiBounceReason { get; set; }

        /// <summary>Set when the display does not take the frames' format and each frame was converted for it: why.</summary>
        public string DisplayConversionReason { get; set; }

        public double PerFrame(long total) => MeasuredFrames == 0 ? 0 : (double)total / MeasuredFrames;
    }
}
