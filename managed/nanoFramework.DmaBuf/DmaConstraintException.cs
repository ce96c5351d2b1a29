using System;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// Thrown when a device cannot serve what it is asked: it cannot reach a buffer's storage (the
    /// storage lies outside every address window of the device, is not aligned as the device
    /// requires, or needs more segments than the device can chain), or a peripheral cannot serve a
    /// configuration (a pixel format it does not take, a frame larger than it serves, a frame
    /// smaller than the picture it moves).
    /// </summary>
    /// <remarks>
    /// The message names the constraint (for example
    /// <c>dmabuf_attach: window: device 'dma2' cannot reach 0x20000000+4096 (buffer 'frame0')</c>, or
    /// <c>dmabuf_peripheral_configure: format: camera 'camera' does not take GRAY8</c>)
    /// when the native side is built with DMABUF_DEBUG; otherwise it lists the possible constraints.
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
