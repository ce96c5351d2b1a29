using System;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// Thrown when a device cannot reach a buffer's storage: the storage lies outside every
    /// address window of the device, is not aligned as the device requires, or needs more
    /// segments than the device can chain.
    /// </summary>
    /// <remarks>
    /// The message names the constraint (for example
    /// <c>dmabuf_attach: window: device 'dma2' cannot reach 0x20000000+4096 (buffer 'frame0')</c>)
    /// when the native side is built with DMABUF_DEBUG; otherwise it lists the three constraints.
    /// </remarks>
    public class DmaConstraintException : Exception
    {
        /// <summary>
        /// Creates the exception with a message naming the broken constraint.
        /// </summary>
        /// <param name="message">What the device cannot meet.</param>
        public DmaConstraintException(string message) : base(message)
        {
        }
    }
}
