using System;
using System.Runtime.CompilerServices;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// A (buffer, device) pair: the device's right to map the buffer for its DMA. Made by
    /// <see cref="DmaBuffer.Attach(DmaDevice)"/>; disposing it (or the buffer it was made through)
    /// unmaps it and detaches.
    /// </summary>
    /// <remarks>
    /// One mapping at a time per attachment. The segment list is computed at the first map and
    /// reused by every later map (the hand-over's cache work is the only cost). All members are
    /// thread-safe.
    /// </remarks>
    public sealed class DmaAttachment : IDisposable
    {
        // ABI: the native side reads these fields; keep them first, in this order.
        private readonly int _heap;
        private int _handle;

        private readonly DmaBuffer _buffer;
        private readonly DmaDevice _device;
        private DmaMapping _mapping;

        internal DmaAttachment(DmaBuffer buffer, int heap, int handle, DmaDevice device)
        {
            _buffer = buffer;
            _heap = heap;
            _handle = handle;
            _device = device;
        }

        /// <summary>The buffer the device is attached to.</summary>
        public DmaBuffer Buffer => _buffer;

        /// <summary>The attached device.</summary>
        public DmaDevice Device => _device;

        /// <summary>Whether the attachment was disposed (or its buffer released).</summary>
        public bool IsDisposed => _handle == 0;

        /// <summary>The native attachment handle (positive, generation-checked).</summary>
        /// <exception cref="ObjectDisposedException">The attachment was disposed.</exception>
        public int Handle
        {
            get
            {
                int handle = _handle;
                if (handle == 0)
                {
                    ThrowHelper.ThrowDisposed("DmaAttachment");
                }

                return handle;
            }
        }

        /// <summary>The current mapping, or null when not mapped.</summary>
        /// <exception cref="ObjectDisposedException">The attachment was disposed.</exception>
        public DmaMapping Mapping
        {
            get
            {
                lock (_buffer.SyncRoot)
                {
                    ThrowIfReleased();
                    return _mapping;
                }
            }
        }

        /// <summary>
        /// Maps the buffer for the device's DMA in <paramref name="direction"/> and does the
        /// CPU-to-device cache hand-over (before a device writes, lines the CPU may hold dirty are
        /// invalidated so none is evicted over the DMA data). Places deferred storage first.
        /// </summary>
        /// <param name="direction">ToDevice: the device reads; FromDevice: it writes; Bidirectional: both.</param>
        /// <returns>The segment list to program; dispose it to unmap once the device is done.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="direction"/> is not defined.</exception>
        /// <exception cref="InvalidOperationException">The attachment is already mapped, or the CPU holds an access
        /// that conflicts (misuse checker): one that writes, or any access if the device would write
        /// (FromDevice, Bidirectional).</exception>
        /// <exception cref="OutOfMemoryException">Deferred storage found no free block.</exception>
        /// <exception cref="TimeoutException">With the buffer's <see cref="DmaBuffer.ImplicitSync"/> on, a DMA job in
        /// flight on it that conflicts did not finish within the implicit-sync timeout (10 s on host).</exception>
        /// <exception cref="System.IO.IOException">Mapping for the device to read while the job that wrote the buffer
        /// failed (implicit sync).</exception>
        /// <exception cref="ObjectDisposedException">The attachment was disposed.</exception>
        public DmaMapping Map(DmaDirection direction)
        {
            ThrowHelper.CheckDirection(direction, "direction");
            int[] values = new int[DmaMapping.NativeLength];
            lock (_buffer.SyncRoot)
            {
                ThrowIfReleased();
                if (_mapping != null)
                {
                    ThrowHelper.ThrowInvalidOperation("the attachment is already mapped; dispose the mapping first");
                }

                int error = NativeMap((int)direction, values);
                if (error < 0)
                {
                    ThrowHelper.Throw(error, "DmaAttachment");
                }

                _mapping = new DmaMapping(this, values);
                return _mapping;
            }
        }

        /// <summary>
        /// Unmaps (if mapped) and detaches. Idempotent and thread-safe; never throws.
        /// </summary>
        public void Dispose()
        {
            lock (_buffer.SyncRoot)
            {
                if (_handle != 0)
                {
                    Release();
                    _buffer.RemoveAttachment(this);
                }
            }
        }

        /// <summary>Unmaps a mapping of this attachment. Call with the buffer lock held.</summary>
        internal void Unmap(DmaMapping mapping, int[] values)
        {
            if (_mapping == mapping)
            {
                _mapping = null;
                NativeUnmap(values[DmaMapping.NativeDirection], values);
            }
        }

        /// <summary>Unmaps and detaches, ignoring failures. Call with the buffer lock held.</summary>
        internal void Release()
        {
            if (_handle == 0)
            {
                return;
            }

            if (_mapping != null)
            {
                _mapping.Release();
            }

            NativeDetach();
            _handle = 0;
        }

        private void ThrowIfReleased()
        {
            if (_handle == 0)
            {
                ThrowHelper.ThrowDisposed("DmaAttachment");
            }
        }

        #region Native Calls

#if NANOFRAMEWORK_1_0
        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeMap(int direction, int[] mapping);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeUnmap(int direction, int[] mapping);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeDetach();
#else
        private int NativeMap(int direction, int[] mapping) => HostNative.Map(_heap, _handle, direction, mapping);

        private int NativeUnmap(int direction, int[] mapping) => HostNative.Unmap(_heap, _handle, direction, mapping);

        private int NativeDetach() => HostNative.Detach(_heap, _handle);
#endif

        #endregion
    }
}
