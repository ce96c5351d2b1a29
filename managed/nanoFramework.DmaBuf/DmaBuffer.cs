using System;
using System.Collections;
using System.Runtime.CompilerServices;
using System.Threading;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// A DMA buffer (the exporter side of dma-buf): one physically contiguous, cache-line aligned
    /// block of DMA-capable memory that several devices and the CPU share without copies. Its
    /// size is invariant for life; it has a name (for diagnostics) and a <see cref="Handle"/>.
    /// </summary>
    /// <remarks>
    /// <para>The CPU may touch the bytes only between <see cref="BeginCpuAccess(DmaDirection)"/>
    /// and the end of that access (<see cref="EndCpuAccess(DmaDirection)"/> or disposing the
    /// <see cref="CpuAccess"/>); the cache maintenance of each hand-over is done there and in
    /// <see cref="DmaAttachment.Map(DmaDirection)"/>.</para>
    /// <para>Each DmaBuffer object owns one reference on the native buffer. Disposing it ends the
    /// CPU access it opened, unmaps and detaches the attachments made through it, and drops the
    /// reference; the storage returns to the heap with the last reference. A buffer that is not
    /// disposed is released by its finalizer (reported by name in debug builds).</para>
    /// <para>All members are thread-safe.</para>
    /// </remarks>
    public sealed class DmaBuffer : IDisposable, IGuardedOwner
    {
        // ABI: the native side reads these fields; keep them first, in this order.
        private readonly int _heap;
        private int _handle;

        private readonly DmaHeap _owner;
        private readonly int _size;
        private readonly string _name;

        // Guards this buffer, its CPU access, its attachments and their mappings: one lock for the
        // family, so disposing any of them from any thread cannot deadlock against another.
        private readonly object _lock = new object();

        // The buffer's one CPU window, made by the first CPU access through this owner and reused
        // by every later one, so the hot path allocates nothing (and an export that never opens
        // one, such as a frame a device fills, allocates none). Use Access() with the lock held.
        private CpuAccess _access;

        // Attachments made through this object, detached when it is released; made with the
        // first, like _access.
        private ArrayList _attachments;

        // A unique number giving the order in which two buffers' locks are taken; drawn by the
        // first copy between two buffers (LockOrder), 0 until then, so an export pays no atomic
        // operation for it.
        private static int s_lastLockOrder;
        private int _lockOrder;

        // Releases the buffer if this owner is never disposed; null once disposed.
        private FinalizerGuard _guard;

        internal DmaBuffer(DmaHeap owner, int heap, int handle, int size, string name)
        {
            _owner = owner;
            _heap = heap;
            _handle = handle;
            _size = size;
            _name = name;
            _guard = FinalizerGuard.For(this);
        }

        /// <summary>
        /// Takes a new reference on the buffer a handle stands for and returns a new owner of it,
        /// the way a dma-buf file descriptor is passed between drivers. The buffer stays alive
        /// until every owner is disposed.
        /// </summary>
        /// <param name="heap">The heap the buffer was exported from.</param>
        /// <param name="handle">A handle read from <see cref="Handle"/>.</param>
        /// <returns>A new owner; dispose it when done.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="heap"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="handle"/> is zero or negative.</exception>
        /// <exception cref="ObjectDisposedException">The handle is stale (its buffer was released), is not a
        /// buffer handle, was never issued, or the heap was disposed.</exception>
        public static DmaBuffer FromHandle(DmaHeap heap, int handle)
        {
            if (heap == null)
            {
                ThrowHelper.ThrowArgumentNull("heap");
            }

            return heap.Import(handle);
        }

        /// <summary>The size in bytes, as exported. Readable after dispose.</summary>
        public int Size => _size;

        /// <summary>The name given at export (truncated to 15 characters). Readable after dispose.</summary>
        public string Name => _name;

        /// <summary>The heap the buffer belongs to.</summary>
        public DmaHeap Heap => _owner;

        /// <summary>Whether this owner was disposed (or released by its finalizer).</summary>
        public bool IsDisposed => _handle == 0;

        /// <summary>
        /// The handle standing for the buffer: a small positive, generation-checked integer that
        /// another component can turn into its own owner with <see cref="FromHandle(DmaHeap, int)"/>.
        /// It goes stale when the last owner is released.
        /// </summary>
        /// <exception cref="ObjectDisposedException">This owner was disposed.</exception>
        public int Handle
        {
            get
            {
                int handle = _handle;
                if (handle == 0)
                {
                    ThrowHelper.ThrowDisposed("DmaBuffer");
                }

                return handle;
            }
        }

        /// <summary>
        /// The bus address devices use for the first byte, or 0 while the storage is not placed
        /// (<see cref="DmaBufferFlags.DeferPlacement"/> before the first map). The storage may
        /// still move (attach of a device that cannot reach it) until the first map.
        /// </summary>
        /// <exception cref="ObjectDisposedException">This owner was disposed.</exception>
        public uint DmaAddress => (uint)ReadInfo(DmaHeap.BufferInfoDmaAddress);

        /// <summary>
        /// Index of the board region holding the storage, or -1 while it is not placed.
        /// </summary>
        /// <exception cref="ObjectDisposedException">This owner was disposed.</exception>
        public int Region => ReadInfo(DmaHeap.BufferInfoRegion);

        /// <summary>
        /// References held on the native buffer (one per owner).
        /// </summary>
        /// <exception cref="ObjectDisposedException">This owner was disposed.</exception>
        public int ReferenceCount => ReadInfo(DmaHeap.BufferInfoReferences);

        /// <summary>
        /// What the cache hand-overs know of the buffer now (dirty lines possible, memory possibly
        /// newer than the cache, a clean owed): the facts that decide the next hand-over's cache work.
        /// <see cref="DmaCacheState.None"/> while the storage is not placed or is uncached.
        /// </summary>
        /// <exception cref="ObjectDisposedException">This owner was disposed.</exception>
        public DmaCacheState CacheState => (DmaCacheState)ReadInfo(DmaHeap.BufferInfoCacheState);

        /// <summary>
        /// Attaches a device to the buffer. If the storage is out of the device's reach and the
        /// buffer was never mapped, the storage moves (contents kept) to a region every attached
        /// device reaches.
        /// </summary>
        /// <param name="device">A device of the same heap.</param>
        /// <returns>The attachment; dispose it (or this buffer) to detach.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="device"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="device"/> belongs to another heap.</exception>
        /// <exception cref="DmaConstraintException">The device cannot reach any storage that would do; the
        /// message names the constraint (window, alignment, segments).</exception>
        /// <exception cref="OutOfMemoryException">No attachment slot, or no storage to move to.</exception>
        /// <exception cref="InvalidOperationException"><paramref name="device"/> is already attached to this
        /// buffer, or the storage would have to move while a CPU access is open.</exception>
        /// <exception cref="ObjectDisposedException">This owner was disposed.</exception>
        public DmaAttachment Attach(DmaDevice device)
        {
            if (device == null)
            {
                ThrowHelper.ThrowArgumentNull("device");
            }

            if (device.Heap != _owner)
            {
                ThrowHelper.ThrowArgument("the device belongs to another heap", "device");
            }

            lock (_lock)
            {
                ThrowIfReleased();
                int handle = NativeAttach(device.Index);
                if (handle < 0)
                {
                    ThrowHelper.Throw(handle, "DmaBuffer");
                }

                DmaAttachment attachment = new DmaAttachment(this, _heap, handle, device);
                if (_attachments == null)
                {
                    _attachments = new ArrayList();
                }

                _attachments.Add(attachment);
                return attachment;
            }
        }

        /// <summary>
        /// Opens the CPU window on the whole buffer; see <see cref="BeginCpuAccess(DmaDirection, int, int)"/>.
        /// </summary>
        /// <param name="direction">What the CPU does: <see cref="DmaDirection.FromDevice"/> reads what a device
        /// wrote, <see cref="DmaDirection.ToDevice"/> writes for a device, <see cref="DmaDirection.Bidirectional"/> both.</param>
        /// <returns>The buffer's CPU access; dispose it to end the access.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="direction"/> is not defined.</exception>
        /// <exception cref="InvalidOperationException">A CPU access of this buffer is already open, or a device
        /// holds a mapping that writes (misuse checker).</exception>
        /// <exception cref="TimeoutException">A DMA job in flight did not finish in time (implicit sync).</exception>
        /// <exception cref="System.IO.IOException">Reading: the job that wrote the buffer failed (implicit sync).</exception>
        /// <exception cref="OutOfMemoryException">The storage of a <see cref="DmaBufferFlags.DeferPlacement"/> buffer
        /// could not be placed.</exception>
        /// <exception cref="ObjectDisposedException">This owner was disposed.</exception>
        public CpuAccess BeginCpuAccess(DmaDirection direction)
        {
            return BeginCpuAccess(direction, 0, _size);
        }

        /// <summary>
        /// Opens the CPU window on [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>)
        /// and does the device-to-CPU cache hand-over for <paramref name="direction"/> (invalidates the
        /// range's lines if a device may have written it).
        /// </summary>
        /// <remarks>
        /// <para>One CPU access per buffer is open at a time. The returned object is the buffer's
        /// one <see cref="CpuAccess"/>, reused by the next BeginCpuAccess (so the hot path
        /// allocates nothing): once the access ends, do not keep using the reference.</para>
        /// <para>With <see cref="ImplicitSync"/> on, it first waits for the DMA jobs in flight on the
        /// buffer that conflict (see <see cref="WaitForFences(bool, int)"/>), holding this buffer's
        /// lock: the fence must be signalled by code that does not need the buffer.</para>
        /// <para>The access ends with <see cref="CpuAccess.Dispose"/> or
        /// <see cref="EndCpuAccess(DmaDirection, int, int)"/> with the same direction and range;
        /// the CPU-to-device hand-over (clean of the range when the CPU wrote) is done there.</para>
        /// </remarks>
        /// <param name="direction">What the CPU does: <see cref="DmaDirection.FromDevice"/> reads what a device
        /// wrote, <see cref="DmaDirection.ToDevice"/> writes for a device, <see cref="DmaDirection.Bidirectional"/> both.</param>
        /// <param name="offset">First byte of the window.</param>
        /// <param name="length">Bytes in the window, at least 1.</param>
        /// <returns>The buffer's CPU access; dispose it to end the access.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="direction"/> is not defined, or the range is
        /// empty or not inside the buffer.</exception>
        /// <exception cref="InvalidOperationException">A CPU access of this buffer is already open, or a device
        /// holds a mapping that writes (misuse checker).</exception>
        /// <exception cref="TimeoutException">With <see cref="ImplicitSync"/> on, a DMA job in flight on the buffer
        /// (its fence) did not finish within the target's implicit-sync timeout (10 s on host).</exception>
        /// <exception cref="System.IO.IOException">With <see cref="ImplicitSync"/> on, reading: the job that wrote the
        /// buffer failed (until a new writer's job replaces its bytes, or the CPU rewrites the whole buffer in a
        /// writing access, ended).</exception>
        /// <exception cref="OutOfMemoryException">The storage of a <see cref="DmaBufferFlags.DeferPlacement"/> buffer
        /// could not be placed (no region its devices reach has room).</exception>
        /// <exception cref="ObjectDisposedException">This owner was disposed.</exception>
        public CpuAccess BeginCpuAccess(DmaDirection direction, int offset, int length)
        {
            ThrowHelper.CheckDirection(direction, "direction");
            if (length <= 0)
            {
                ThrowHelper.ThrowArgumentOutOfRange("length", "must be positive");
            }

            ThrowHelper.CheckRange(offset, length, _size, "offset", "length");
            lock (_lock)
            {
                ThrowIfReleased();
                CpuAccess access = Access();
                access.Begin((int)direction, offset, length);
                return access;
            }
        }

        /// <summary>
        /// Ends the CPU access opened on the whole buffer with <paramref name="direction"/>.
        /// </summary>
        /// <param name="direction">The direction the access was opened with.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="direction"/> is not defined. Nothing changes:
        /// an open access stays open.</exception>
        /// <exception cref="InvalidOperationException">No CPU access is open through this owner, or it was opened
        /// with another direction or range. Nothing changes: an open access stays open.</exception>
        /// <exception cref="ObjectDisposedException">This owner was disposed.</exception>
        public void EndCpuAccess(DmaDirection direction)
        {
            EndCpuAccess(direction, 0, _size);
        }

        /// <summary>
        /// Ends the open CPU access and does the CPU-to-device hand-over: the range's cache lines are
        /// cleaned when the direction lets the CPU write. Views obtained from the access
        /// (<c>Span</c>) must not be used afterwards.
        /// </summary>
        /// <remarks>
        /// Arguments that no access can have been opened with are refused as
        /// <see cref="BeginCpuAccess(DmaDirection, int, int)"/> refuses them (ArgumentOutOfRangeException), checked
        /// before the state; a valid direction and range that are not the open access's are a state error
        /// (InvalidOperationException). Either way nothing changes: the open access stays open and usable, and
        /// must still be ended.
        /// </remarks>
        /// <param name="direction">The direction the access was opened with.</param>
        /// <param name="offset">The offset the access was opened with.</param>
        /// <param name="length">The length the access was opened with.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="direction"/> is not defined, or the range is
        /// empty or not inside the buffer (negative, or <paramref name="offset"/> + <paramref name="length"/> past
        /// the end, overflow included).</exception>
        /// <exception cref="InvalidOperationException">No CPU access is open through this owner, or it was opened
        /// with another direction or range.</exception>
        /// <exception cref="ObjectDisposedException">This owner was disposed.</exception>
        public void EndCpuAccess(DmaDirection direction, int offset, int length)
        {
            // The argument checks of BeginCpuAccess, in the same order. A new helper method
            // would change the interop method table and its checksum, so they are repeated.
            ThrowHelper.CheckDirection(direction, "direction");
            if (length <= 0)
            {
                ThrowHelper.ThrowArgumentOutOfRange("length", "must be positive");
            }

            ThrowHelper.CheckRange(offset, length, _size, "offset", "length");
            lock (_lock)
            {
                ThrowIfReleased();
                Access().End((int)direction, offset, length);
            }
        }

        /// <summary>
        /// Waits for the DMA jobs in flight on the buffer (the fences attached with
        /// <see cref="DmaMapping.AttachFence(DmaFence)"/>): before writing, for every job; before
        /// reading, for the job that writes it.
        /// </summary>
        /// <param name="write">True to wait as a writer (readers and the writer), false as a reader (the writer).</param>
        /// <param name="millisecondsTimeout">Most milliseconds to wait; 0 polls, -1 waits forever.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="millisecondsTimeout"/> is below -1.</exception>
        /// <exception cref="TimeoutException">A job had not finished in time.</exception>
        /// <exception cref="System.IO.IOException">Reading: the job that wrote the buffer failed, so its bytes are
        /// not to be trusted (until a new writer's job replaces them, or the CPU rewrites the whole buffer: a
        /// ToDevice or Bidirectional access over all of it, ended).</exception>
        /// <exception cref="ObjectDisposedException">This owner was disposed.</exception>
        public void WaitForFences(bool write, int millisecondsTimeout)
        {
            int timeout = DmaFence.Microseconds(millisecondsTimeout, "millisecondsTimeout");
            ThrowIfReleasedUnlocked();

            // Blocks on fences: no lock held, so a Dispose on another thread is not held up.
            int error = NativeWaitForFences(write, timeout);
            if (error < 0)
            {
                ThrowHelper.Throw(error, "DmaBuffer");
            }
        }

        /// <summary>
        /// Whether mapping the buffer and beginning a CPU access wait by themselves for the jobs in
        /// flight on it (implicit sync; on by default). Off, the owner syncs explicitly with
        /// <see cref="WaitForFences(bool, int)"/> or <see cref="DmaFence.Wait(int)"/>; fences are
        /// still recorded.
        /// </summary>
        /// <exception cref="ObjectDisposedException">This owner was disposed.</exception>
        public bool ImplicitSync
        {
            get => ImplicitSyncCall(-1) != 0;
            set => ImplicitSyncCall(value ? 1 : 0);
        }

        /// <summary>
        /// Ends the CPU access opened through this owner, unmaps and detaches its attachments and
        /// drops its reference. Idempotent and thread-safe.
        /// </summary>
        public void Dispose()
        {
            FinalizerGuard guard = Release(false);
            if (guard != null)
            {
                guard.Disarm();
            }
        }

        /// <summary>
        /// Releases a buffer that was not disposed, and reports it by name in debug builds.
        /// </summary>
        void IGuardedOwner.ReleaseUnreachable()
        {
            Release(true);
        }

        internal object SyncRoot => _lock;

        internal int LockOrder
        {
            get
            {
                if (_lockOrder == 0)
                {
                    // Two threads may draw at once: the first number stored stays.
                    Interlocked.CompareExchange(ref _lockOrder, Interlocked.Increment(ref s_lastLockOrder), 0);
                }

                return _lockOrder;
            }
        }

        /// <summary>
        /// The locks of this buffer and <paramref name="other"/> in the order to take them: two
        /// buffers' locks are always taken in the same order, so operations on the same pair in
        /// opposite directions on two threads cannot deadlock.
        /// </summary>
        internal void OrderLocks(DmaBuffer other, out object first, out object second)
        {
            first = _lock;
            second = other._lock;
            if (other.LockOrder < LockOrder)
            {
                first = other._lock;
                second = _lock;
            }
        }

        /// <summary>Throws ObjectDisposedException once released. Call with the lock held.</summary>
        internal void ThrowIfReleased()
        {
            if (_handle == 0)
            {
                ThrowHelper.ThrowDisposed("DmaBuffer");
            }
        }

        /// <summary>Records <paramref name="fence"/> as the completion of a job moving the buffer in <paramref name="direction"/>.</summary>
        internal void AttachFence(int direction, DmaFence fence)
        {
            lock (_lock)
            {
                ThrowIfReleased();
                int error = NativeAttachFence(direction, fence);
                if (error < 0)
                {
                    ThrowHelper.Throw(error, "DmaFence");
                }
            }
        }

        private void ThrowIfReleasedUnlocked()
        {
            if (_handle == 0)
            {
                ThrowHelper.ThrowDisposed("DmaBuffer");
            }
        }

        private int ImplicitSyncCall(int on)
        {
            lock (_lock)
            {
                ThrowIfReleased();
                int result = NativeImplicitSync(on);
                if (result < 0)
                {
                    ThrowHelper.Throw(result, "DmaBuffer");
                }

                return result;
            }
        }

        /// <summary>The buffer's CPU access object, made on first use. Call with the lock held.</summary>
        private CpuAccess Access()
        {
            if (_access == null)
            {
                _access = new CpuAccess(this, _heap, _handle);
            }

            return _access;
        }

        /// <summary>Forgets a detached attachment. Call with the lock held.</summary>
        internal void RemoveAttachment(DmaAttachment attachment)
        {
            // From the newest, by reference: attachments usually go in reverse order, and
            // ArrayList.Remove would call Equals on each element.
            for (int i = _attachments.Count - 1; i >= 0; i--)
            {
                if (_attachments[i] == attachment)
                {
                    _attachments.RemoveAt(i);
                    return;
                }
            }
        }

        private int ReadInfo(int index)
        {
            int[] info = new int[DmaHeap.BufferInfoLength];
            lock (_lock)
            {
                ThrowIfReleased();
                int error = _owner.NativeBufferInfo(_handle, info);
                if (error < 0)
                {
                    ThrowHelper.Throw(error, "DmaBuffer");
                }
            }

            return info[index];
        }

        // The guard of the one call that released (null if already released).
        private FinalizerGuard Release(bool finalizing)
        {
            FinalizerGuard guard;
            lock (_lock)
            {
                if (_handle == 0)
                {
                    return null;
                }

                if (finalizing)
                {
                    DmaDiagnostics.ReportLeak("buffer", _name);
                }

                // The native put of a last reference is refused while a CPU access or an
                // attachment exists, so take them down first, newest first.
                if (_access != null)
                {
                    _access.Release();
                }

                if (_attachments != null)
                {
                    for (int i = _attachments.Count - 1; i >= 0; i--)
                    {
                        ((DmaAttachment)_attachments[i]).Release();
                    }

                    _attachments.Clear();
                }

                NativePut();
                _handle = 0;
                guard = _guard;
                _guard = null;
            }

            _owner.ReleaseOwner();
            return guard;
        }

        #region Native Calls

#if NANOFRAMEWORK_1_0
        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeAttach(int device);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativePut();

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeAttachFence(int direction, DmaFence fence);

        // Parks this managed thread, not the interpreter (dmabuf_nf_wait.cpp).
        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeWaitForFences(bool write, int timeoutMicroseconds);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeImplicitSync(int on);
#else
        private int NativeAttach(int device) => HostNative.Attach(_heap, _handle, device);

        private int NativePut() => HostNative.Put(_heap, _handle);

        private int NativeAttachFence(int direction, DmaFence fence) => HostNative.ResvAttachJob(_heap, _handle, direction, fence.Handle);

        private int NativeWaitForFences(bool write, int timeoutMicroseconds) => HostNative.ResvWait(_heap, _handle, write, timeoutMicroseconds);

        private int NativeImplicitSync(int on) => HostNative.ResvImplicitSync(_heap, _handle, on);
#endif

        #endregion
    }
}
