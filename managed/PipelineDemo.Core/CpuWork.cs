namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>What a measured piece of CPU work was.</summary>
    internal enum CpuWork
    {
        /// <summary>Drawing the overlay.</summary>
        Overlay,

        /// <summary>Copying pixels between buffers and managed arrays.</summary>
        Copies,

        /// <summary>DmaBuf calls: map, unmap, CPU access begin and end (the cache hand-overs), frame queue.</summary>
        DmaBufCalls,
    }
}
