using System.Threading;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// Uses of a native object (a fence reference, a frame queue), SafeHandle's scheme, kept in one
    /// int field of its owner: the owner's one use, plus one per native call in progress, plus the
    /// <see cref="Released"/> flag once the owner gave its use up (Dispose or finalizer). Whoever
    /// drops the count to zero frees the native object: the releasing thread, or the last call it
    /// overlapped on its way out. So a call never runs on a freed object, release never waits,
    /// and no call takes a lock (a lock costs as much as the native call).
    /// </summary>
    internal static class NativeUses
    {
        /// <summary>The owner's use, before anyone released it.</summary>
        internal const int Initial = 1;

        private const int Released = 0x40000000;

        internal static bool IsReleased(int uses)
        {
            return (uses & Released) != 0;
        }

        /// <summary>Takes a use for a native call, or throws ObjectDisposedException once released.</summary>
        internal static void Add(ref int uses, string objectName)
        {
            while (true)
            {
                int seen = uses;
                if ((seen & Released) != 0)
                {
                    ThrowHelper.ThrowDisposed(objectName);
                }

                if (Interlocked.CompareExchange(ref uses, seen + 1, seen) == seen)
                {
                    return;
                }
            }
        }

        /// <summary>Drops a use; true when that was the last one after release: the caller frees.</summary>
        internal static bool Drop(ref int uses)
        {
            return Interlocked.Decrement(ref uses) == Released;
        }

        /// <summary>
        /// Marks the owner's use released, keeping it: true for the one caller that did, which
        /// may still use the object (e.g. close it, waking its waiters) and then calls
        /// <see cref="Drop"/> for the owner's use.
        /// </summary>
        internal static bool Release(ref int uses)
        {
            while (true)
            {
                int seen = uses;
                if ((seen & Released) != 0)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref uses, seen | Released, seen) == seen)
                {
                    return true;
                }
            }
        }
    }
}
