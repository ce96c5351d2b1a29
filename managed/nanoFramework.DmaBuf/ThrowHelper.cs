using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// The one place where native error codes become exceptions, identical in both builds.
    /// Callers test <c>error &lt; 0</c> and call in here, so the throwing code stays off the hot path.
    /// </summary>
    internal static class ThrowHelper
    {
        /// <summary>Throws the exception documented for a negative native <paramref name="error"/>.</summary>
        /// <param name="error">A negative dmabuf_error.</param>
        /// <param name="objectName">The public type the failing call was made on, for ObjectDisposedException.</param>
        internal static void Throw(int error, string objectName)
        {
            throw Create(error, objectName);
        }

        internal static Exception Create(int error, string objectName)
        {
            // Debug builds of the native side keep one message per failure naming the broken
            // rule; it belongs to the last failing call of this thread, which is the one being
            // reported, because nothing calls native code between the failure and here.
            string detail = NativeTakeLastMessage();

            switch (error)
            {
                case DmaError.BadHandle:
                case DmaError.Shutdown:
                    return new ObjectDisposedException(objectName);
                case DmaError.OutOfRange:
                    return new ArgumentOutOfRangeException(null, Message(detail, "the range lies outside the buffer", error));
                case DmaError.InvalidArgument:
                    return new ArgumentException(Message(detail, "invalid argument", error));
                case DmaError.NoEntry:
                    return new ArgumentException(Message(detail, "no such name on this board", error));
                case DmaError.Unreachable:
                    return new DmaConstraintException(Message(detail,
                        "the device cannot reach the buffer's storage (address window, alignment or segment limit)", error));
                case DmaError.Domain:
                    return new DmaConstraintException(Message(detail,
                        "the device cannot serve this configuration (pixel format, frame size, or a frame smaller than it moves)", error));
                case DmaError.OutOfMemory:
                    return new OutOfMemoryException(Message(detail, "no storage or no free slot left in the DMA heap", error));
                case DmaError.Busy:
                    return new InvalidOperationException(Message(detail, "the buffer is in use by the other side (the CPU or a device)", error));
                case DmaError.NotPermitted:
                    return new InvalidOperationException(Message(detail, "not permitted in the current state", error));
                case DmaError.Exists:
                    return new InvalidOperationException(Message(detail, "already attached or mapped", error));
                case DmaError.NotSupported:
                    return new NotSupportedException(Message(detail, "not supported on this target", error));
                case DmaError.TimedOut:
                    return new TimeoutException(Message(detail, "the wait timed out", error));
                case DmaError.IOError:
                    return new IOException(Message(detail, "signalled with an error", error));
                default:
                    return new InvalidOperationException(Message(detail, "native failure", error));
            }
        }

        internal static void ThrowDisposed(string objectName)
        {
            throw new ObjectDisposedException(objectName);
        }

        internal static void ThrowArgumentOutOfRange(string paramName, string message)
        {
            throw new ArgumentOutOfRangeException(paramName, message);
        }

        internal static void ThrowArgumentNull(string paramName)
        {
            throw new ArgumentNullException(paramName);
        }

        internal static void ThrowArgument(string message, string paramName)
        {
            throw new ArgumentException(message, paramName);
        }

        internal static void ThrowInvalidOperation(string message)
        {
            throw new InvalidOperationException(message);
        }

        /// <summary>Throws unless <paramref name="direction"/> is one of the three defined values.</summary>
        internal static void CheckDirection(DmaDirection direction, string paramName)
        {
            if (direction != DmaDirection.ToDevice && direction != DmaDirection.FromDevice
                && direction != DmaDirection.Bidirectional)
            {
                ThrowArgumentOutOfRange(paramName, "not a DmaDirection value");
            }
        }

        /// <summary>
        /// Throws unless [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="count"/>)
        /// lies inside [0, <paramref name="limit"/>). Written so that no sum can overflow.
        /// </summary>
        internal static void CheckRange(int offset, int count, int limit, string offsetName, string countName)
        {
            if (offset < 0 || offset > limit)
            {
                ThrowArgumentOutOfRange(offsetName, "must be between 0 and " + limit.ToString());
            }

            if (count < 0 || count > limit - offset)
            {
                ThrowArgumentOutOfRange(countName, "must be between 0 and " + (limit - offset).ToString());
            }
        }

        private static string Message(string detail, string fallback, int error)
        {
            return (detail != null && detail.Length > 0 ? detail : fallback) + " (error " + error.ToString() + ")";
        }

        #region Native Calls

#if NANOFRAMEWORK_1_0
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern string NativeTakeLastMessage();
#else
        private static string NativeTakeLastMessage() => HostNative.TakeLastMessage();
#endif

        #endregion
    }
}
