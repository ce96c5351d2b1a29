using System;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// Which DMA master of a board plays each part of the demo, and how fast the simulated
    /// peripherals move bytes. The regions, caches and device limits come from the board
    /// description itself (boards/, through <see cref="DmaHeap.Open(string)"/>); only the
    /// application's choice of peripherals is made here, as a real application makes it.
    /// </summary>
    internal sealed class BoardProfile
    {
        private BoardProfile(string board, string camera, string display, string spi, int cameraRate, int displayRate, int spiRate)
        {
            Board = board;
            CameraDevice = camera;
            DisplayDevice = display;
            SpiDevice = spi;
            CameraBytesPerMicrosecond = cameraRate;
            DisplayBytesPerMicrosecond = displayRate;
            SpiBytesPerMicrosecond = spiRate;
        }

        /// <summary>The board name given to DmaHeap.Open.</summary>
        public string Board { get; }

        /// <summary>The camera interface's DMA master.</summary>
        public string CameraDevice { get; }

        /// <summary>The display controller's DMA master.</summary>
        public string DisplayDevice { get; }

        /// <summary>The DMA master feeding the SPI panel.</summary>
        public string SpiDevice { get; }

        /// <summary>Camera pixel clock in bytes per microsecond.</summary>
        public int CameraBytesPerMicrosecond { get; }

        /// <summary>Display scanout rate in bytes per microsecond.</summary>
        public int DisplayBytesPerMicrosecond { get; }

        /// <summary>SPI clock / 8.</summary>
        public int SpiBytesPerMicrosecond { get; }

        /// <summary>The boards the demo knows, default first.</summary>
        public static readonly BoardProfile[] All =
        {
            // DCMI at a 30 MHz pixel clock, LTDC through the 2-lane DSI host, SPI at 40 MHz on DMA2.
            new BoardProfile("stm32f769i-disco", "dcmi", "ltdc", "dma2", 30, 100, 5),
            // LCD_CAM camera and RGB LCD halves through GDMA; GPSPI2 at 80 MHz.
            new BoardProfile("esp32s3-octal-psram", "lcd-cam-camera", "lcd-cam-lcd", "spi2", 30, 40, 10),
            // MIPI-CSI and MIPI-DSI through the DW-GDMA; GPSPI2 at 80 MHz.
            new BoardProfile("esp32p4", "mipi-csi", "mipi-dsi", "spi2", 100, 200, 10),
            // Classic ESP32: I2S0 in camera mode, a second SPI LCD as the display, SPI2 for the panel.
            new BoardProfile("esp32", "i2s0", "spi3", "spi2", 20, 10, 10),
        };

        /// <summary>The profile of <paramref name="board"/>, or null.</summary>
        public static BoardProfile Find(string board)
        {
            foreach (BoardProfile profile in All)
            {
                if (string.Equals(profile.Board, board, StringComparison.Ordinal))
                {
                    return profile;
                }
            }

            return null;
        }
    }
}
