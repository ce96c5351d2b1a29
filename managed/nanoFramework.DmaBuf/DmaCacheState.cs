using System;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// The cache facts of a buffer that the hand-over rules decide on (<see cref="DmaBuffer.CacheState"/>).
    /// </summary>
    /// <remarks>
    /// The values are the native <c>DMABUF_CACHE_*</c> bits of <c>dmabuf_info.cache_state</c>
    /// (native-interop/include/dmabuf/dmabuf.h; the rules: native-interop/core/sync.c). KEEP IN SYNC.
    /// </remarks>
    [Flags]
    public enum DmaCacheState
    {
        /// <summary>Nothing pending: no dirty line, nothing stale, no clean owed.</summary>
        None = 0,

        /// <summary>
        /// The CPU cache may hold dirty lines of the buffer (fresh storage may carry a previous
        /// owner's): the next map in which a device writes invalidates them first.
        /// </summary>
        MayBeDirty = 0x1,

        /// <summary>
        /// A device may have written memory since the CPU last invalidated: the next CPU access
        /// invalidates the lines of its range first.
        /// </summary>
        MayBeStale = 0x2,

        /// <summary>
        /// The CPU wrote while only coherent devices were attached, so its clean was deferred: the
        /// next non-coherent device to attach (or a CPU access to a stale range) pays it.
        /// </summary>
        CleanDeferred = 0x4
    }
}
