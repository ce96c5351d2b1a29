namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>The zero-copy pipeline on the host's simulated board.</summary>
    internal sealed partial class ZeroCopyPipeline
    {
        public ZeroCopyPipeline(DemoOptions options)
            : this(new SimulatedBoardShell(options))
        {
        }
    }
}
