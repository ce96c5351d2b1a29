namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>What both panels showed after one frame went through the pipeline.</summary>
    internal sealed class ShownFrame
    {
        public int Index { get; set; }

        /// <summary>The camera's sensor frame number of the picture.</summary>
        public int CameraFrame { get; set; }

        /// <summary>The display panel, width x height RGB565.</summary>
        public byte[] Display { get; set; }

        /// <summary>The SPI panel's glass, 240 x 240 RGB565.</summary>
        public byte[] Glass { get; set; }
    }
}
