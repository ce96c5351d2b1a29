namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// The native error codes (negative Linux errno values).
    /// KEEP IN SYNC with native-interop/include/dmabuf/errors.h.
    /// </summary>
    internal static class DmaError
    {
        internal const int NotPermitted = -1;       // EPERM: operation not permitted in the current state
        internal const int NoEntry = -2;            // ENOENT: no such name (device, board)
        internal const int IOError = -5;            // EIO: a fence was signalled with an error
        internal const int BadHandle = -9;          // EBADF: stale, forged or wrong-type handle
        internal const int WouldWait = -11;         // EAGAIN: would wait; the nF interop waits and retries, never returns it
        internal const int OutOfMemory = -12;       // ENOMEM: heap or a metadata pool exhausted
        internal const int Unreachable = -14;       // EFAULT: the device cannot reach the storage
        internal const int Busy = -16;              // EBUSY: in use by the other side (CPU or device)
        internal const int Exists = -17;            // EEXIST: already attached / already mapped
        internal const int InvalidArgument = -22;   // EINVAL: bad argument
        internal const int Domain = -33;            // EDOM: a peripheral cannot serve this configuration
        internal const int OutOfRange = -34;        // ERANGE: offset/length outside the buffer
        internal const int NotSupported = -95;      // ENOTSUP: the target does not support the operation
        internal const int Shutdown = -108;         // ESHUTDOWN: the object was closed (a disposed FrameQueue)
        internal const int TimedOut = -110;         // ETIMEDOUT: a wait ran out of time
    }
}
