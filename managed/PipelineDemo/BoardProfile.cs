using System;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// The boards the demo runs on. Everything else comes from the board itself: the regions,
    /// caches and device limits from its description (boards/, through
    /// <see cref="DmaHeap.Open(string)"/>), and its camera, display and SPI panel, with the DMA
    /// masters they use, from its peripherals (<see cref="DmaHeap.OpenCamera"/> and the like).
    /// </summary>
    internal sealed class BoardProfile
    {
        private BoardProfile(string board)
        {
            Board = board;
        }

        /// <summary>The board name given to DmaHeap.Open.</summary>
        public string Board { get; }

        /// <summary>The boards the demo knows, default first.</summary>
        public static readonly BoardProfile[] All =
        {
            new BoardProfile("stm32f769i-disco"),
            new BoardProfile("esp32s3-octal-psram"),
            new BoardProfile("esp32p4"),
            new BoardProfile("esp32"),
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
