using System;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>The host's entry points, which hand each frame both panels showed to a callback (tests).</summary>
    internal abstract partial class Pipeline
    {
        private SimulatedBoardShell Simulated => (SimulatedBoardShell)Shell;

        /// <summary>Runs the pipeline for <see cref="DemoOptions.Frames"/> frames.</summary>
        /// <param name="shown">Called with both panels after each frame (tests), or null.</param>
        public PipelineResult Run(Action<ShownFrame> shown)
        {
            Simulated.Shown = shown;
            return Run();
        }

        /// <summary>Runs until both panels have shown one more frame (<see cref="ShowNextFrame()"/>).</summary>
        /// <param name="shown">Called with both panels after the frame (tests), or null.</param>
        public bool ShowNextFrame(Action<ShownFrame> shown)
        {
            Simulated.Shown = shown;
            return ShowNextFrame();
        }
    }
}
