using System;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// Placement options for <see cref="DmaHeap.Export(int, string, DmaBufferFlags)"/>.
    /// </summary>
    /// <remarks>
    /// The values are the native <c>DMABUF_EXPORT_*</c> flags
    /// (native-interop/include/dmabuf/dmabuf.h). KEEP IN SYNC.
    /// </remarks>
    [Flags]
    public enum DmaBufferFlags
    {
        /// <summary>
        /// Place the storage now, in the first region of the board that has room.
        /// </summary>
        None = 0,

        /// <summary>
        /// Place the storage in an uncached region if one has room: hand-overs then cost no
        /// cache maintenance, but every CPU access goes to memory.
        /// </summary>
        PreferUncached = 0x1,

        /// <summary>
        /// Leave the storage unplaced until the first map, then choose a region that every
        /// attached device can reach.
        /// </summary>
        DeferPlacement = 0x2
    }
}
