namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>The copy baseline on the host's simulated board.</summary>
    internal sealed partial class CopyBaselinePipeline
    {
        public CopyBaselinePipeline(DemoOptions options)
            : this(new SimulatedBoardShell(options))
        {
        }
    }
}
