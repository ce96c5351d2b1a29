using nanoFramework.DmaBuf.Simulation;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>The layout on the host's simulated board, whose SPI panel is an ST7789.</summary>
    internal sealed partial class FrameLayout
    {
        public FrameLayout(int width, int height)
            : this(width, height, SimulatedSpiPanel.St7789GlassX, SimulatedSpiPanel.St7789GlassSize, SimulatedSpiPanel.St7789RamWidth)
        {
        }
    }
}
