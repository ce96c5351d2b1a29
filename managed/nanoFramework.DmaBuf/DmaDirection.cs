namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// Direction of a hand-over between the CPU and a device, named after the data flow.
    /// </summary>
    /// <remarks>
    /// The values are the native <c>enum dmabuf_direction</c>
    /// (native-interop/include/dmabuf/dmabuf.h). KEEP IN SYNC.
    /// </remarks>
    public enum DmaDirection
    {
        /// <summary>
        /// The CPU wrote, a device reads. Ending a CPU access in this direction cleans
        /// (writes back) the cache lines of the range.
        /// </summary>
        ToDevice = 1,

        /// <summary>
        /// A device writes, the CPU reads. Beginning a CPU access in this direction invalidates
        /// the cache lines of the range after a device wrote, so the CPU sees the device's bytes.
        /// </summary>
        FromDevice = 2,

        /// <summary>
        /// Both: the CPU reads what a device wrote and writes what a device will read.
        /// </summary>
        Bidirectional = 3
    }
}
