namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// A DMA master of the board (camera interface, display controller, SPI DMA, ...), as described
    /// by the board: the address windows it reaches, its alignment, its descriptor limits.
    /// Obtained from <see cref="DmaHeap.GetDevice(string)"/>; it owns nothing and needs no disposal.
    /// </summary>
    public sealed class DmaDevice
    {
        private readonly DmaHeap _heap;
        private readonly int _index;
        private readonly string _name;

        internal DmaDevice(DmaHeap heap, int index, string name)
        {
            _heap = heap;
            _index = index;
            _name = name;
        }

        /// <summary>The heap (board) the device belongs to.</summary>
        public DmaHeap Heap => _heap;

        /// <summary>The device's name in the board description.</summary>
        public string Name => _name;

        /// <summary>The device's index in the board description.</summary>
        public int Index => _index;
    }
}
