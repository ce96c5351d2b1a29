using System;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// An owner of a native reference (a <see cref="DmaBuffer"/>, a <see cref="DmaFence"/>) whose
    /// finalizer is a <see cref="FinalizerGuard"/>.
    /// </summary>
    internal interface IGuardedOwner
    {
        /// <summary>
        /// Releases the native reference of an owner that became unreachable undisposed. Called
        /// on the finalizer thread, once at most.
        /// </summary>
        void ReleaseUnreachable();
    }

    /// <summary>
    /// The finalizer of an owner, kept in an object of its own (as SafeHandle keeps FileStream's):
    /// the owner is its only referrer, so an owner dropped undisposed becomes unreachable together
    /// with its guard, whose finalizer then releases it.
    /// </summary>
    /// <remarks>
    /// Why not a finalizer in the owner: on host .NET, allocating an object that has one takes the
    /// allocator's slow path and the finalization queue, which costs about as much as the native
    /// calls of an export or a fence. An owner's Dispose gives its guard back instead
    /// (<see cref="Disarm"/>), and the next owner reuses it while it is still registered for
    /// finalization: a spare guard is reachable, so its finalizer never runs. One spare is kept,
    /// per thread on host .NET (no atomic operation needed) and per process on nanoFramework.
    /// </remarks>
    internal sealed class FinalizerGuard
    {
        private IGuardedOwner _owner;

#if NANOFRAMEWORK_1_0
        private static FinalizerGuard s_spare;
        private static readonly object s_spareLock = new object();
#else
        [ThreadStatic]
        private static FinalizerGuard s_spare;
#endif

        private FinalizerGuard(IGuardedOwner owner)
        {
            _owner = owner;
        }

        /// <summary>A guard for <paramref name="owner"/>: the spare one if there is one.</summary>
        internal static FinalizerGuard For(IGuardedOwner owner)
        {
#if NANOFRAMEWORK_1_0
            lock (s_spareLock)
#endif
            {
                FinalizerGuard spare = s_spare;
                if (spare != null)
                {
                    s_spare = null;
                    spare._owner = owner;
                    return spare;
                }
            }

            return new FinalizerGuard(owner);
        }

        /// <summary>
        /// The owner was disposed and needs its guard no more; the caller drops its reference to
        /// it. The guard becomes the spare, or is dropped if there is one.
        /// </summary>
        internal void Disarm()
        {
            _owner = null;
#if NANOFRAMEWORK_1_0
            lock (s_spareLock)
#endif
            {
                if (s_spare == null)
                {
                    s_spare = this;
                    return;
                }
            }

            // Nothing left for it to release: spare the finalizer thread the call.
            GC.SuppressFinalize(this);
        }

        ~FinalizerGuard()
        {
            IGuardedOwner owner = _owner;
            if (owner != null)
            {
                owner.ReleaseUnreachable();
            }
        }
    }
}
