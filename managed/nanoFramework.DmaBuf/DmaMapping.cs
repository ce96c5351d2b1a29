using System;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// The segment list a device programs for one mapping: the buffer's one physically contiguous
    /// block, split at the device's descriptor limit into <see cref="SegmentCount"/> pieces of
    /// <see cref="SegmentSize"/> bytes (the last may be shorter).
    /// </summary>
    /// <remarks>
    /// Made by <see cref="DmaAttachment.Map(DmaDirection)"/>. Dispose it once the device's DMA is
    /// done: that unmaps (the device no longer owns the buffer). After that every member except
    /// <see cref="Dispose"/> and <see cref="IsMapped"/> throws ObjectDisposedException, and the
    /// addresses must not be programmed any more. Thread-safe.
    /// </remarks>
    public sealed class DmaMapping : IDisposable
    {
        // Layout of the int[] the native map fills (native struct dmabuf_mapping; KEEP IN SYNC with the interop).
        internal const int NativeDmaAddress = 0;
        internal const int NativeLengthIndex = 1;
        internal const int NativeSegmentBytes = 2;
        internal const int NativeSegmentCount = 3;
        internal const int NativeDirection = 4;
        internal const int NativeLength = 5;

        private readonly DmaAttachment _attachment;
        private readonly int[] _values;
        private bool _mapped = true;

        internal DmaMapping(DmaAttachment attachment, int[] values)
        {
            _attachment = attachment;
            _values = values;
        }

        /// <summary>The attachment the mapping belongs to.</summary>
        public DmaAttachment Attachment => _attachment;

        /// <summary>Whether the mapping is still in force. Never throws.</summary>
        public bool IsMapped => _mapped;

        /// <summary>The bus address of the first byte.</summary>
        /// <exception cref="ObjectDisposedException">The mapping was unmapped.</exception>
        public uint DmaAddress => (uint)Value(NativeDmaAddress);

        /// <summary>Bytes mapped (the buffer's size).</summary>
        /// <exception cref="ObjectDisposedException">The mapping was unmapped.</exception>
        public int Length => Value(NativeLengthIndex);

        /// <summary>Bytes in every segment but the last: the device's descriptor limit rounded down to its alignment.</summary>
        /// <exception cref="ObjectDisposedException">The mapping was unmapped.</exception>
        public int SegmentSize => Value(NativeSegmentBytes);

        /// <summary>Number of segments (descriptors) to program.</summary>
        /// <exception cref="ObjectDisposedException">The mapping was unmapped.</exception>
        public int SegmentCount => Value(NativeSegmentCount);

        /// <summary>The direction the buffer was mapped in.</summary>
        /// <exception cref="ObjectDisposedException">The mapping was unmapped.</exception>
        public DmaDirection Direction => (DmaDirection)Value(NativeDirection);

        /// <summary>The bus address of segment <paramref name="index"/>.</summary>
        /// <param name="index">0 to <see cref="SegmentCount"/> - 1.</param>
        /// <returns>The address to program in the segment's descriptor.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a segment.</exception>
        /// <exception cref="ObjectDisposedException">The mapping was unmapped.</exception>
        public uint GetSegmentAddress(int index)
        {
            CheckSegment(index);
            return (uint)_values[NativeDmaAddress] + (uint)index * (uint)_values[NativeSegmentBytes];
        }

        /// <summary>The byte count of segment <paramref name="index"/>.</summary>
        /// <param name="index">0 to <see cref="SegmentCount"/> - 1.</param>
        /// <returns><see cref="SegmentSize"/>, or the remainder for the last segment.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a segment.</exception>
        /// <exception cref="ObjectDisposedException">The mapping was unmapped.</exception>
        public int GetSegmentLength(int index)
        {
            // The arithmetic of dmabuf_mapping_segment() in dmabuf.h.
            CheckSegment(index);
            int remaining = _values[NativeLengthIndex] - index * _values[NativeSegmentBytes];
            return remaining < _values[NativeSegmentBytes] ? remaining : _values[NativeSegmentBytes];
        }

        /// <summary>
        /// Records <paramref name="fence"/> as the completion signal of the DMA job programmed from
        /// this mapping, in the buffer's reservation: the job writes the buffer (FromDevice,
        /// Bidirectional: the fence becomes its exclusive fence) or reads it (ToDevice: a shared
        /// fence). Later users wait for it (<see cref="DmaBuffer.WaitForFences(bool, int)"/>).
        /// </summary>
        /// <param name="fence">The job's fence, of the same heap; the reservation keeps its own reference.</param>
        /// <exception cref="ArgumentNullException"><paramref name="fence"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="fence"/> belongs to another heap.</exception>
        /// <exception cref="InvalidOperationException">The fence is already attached as a reader of the buffer.</exception>
        /// <exception cref="OutOfMemoryException">The buffer already has the most reader jobs in flight.</exception>
        /// <exception cref="ObjectDisposedException">The mapping was unmapped or the fence disposed.</exception>
        public void AttachFence(DmaFence fence)
        {
            if (fence == null)
            {
                ThrowHelper.ThrowArgumentNull("fence");
            }

            if (fence.Heap != _attachment.Buffer.Heap)
            {
                ThrowHelper.ThrowArgument("the fence belongs to another heap", "fence");
            }

            int direction = Value(NativeDirection);
            _attachment.Buffer.AttachFence(direction, fence);
        }

        /// <summary>
        /// Unmaps: the device must have finished its DMA. Idempotent and thread-safe; never throws.
        /// </summary>
        public void Dispose()
        {
            lock (_attachment.Buffer.SyncRoot)
            {
                Release();
            }
        }

        /// <summary>Unmaps if mapped. Call with the buffer lock held.</summary>
        internal void Release()
        {
            if (_mapped)
            {
                _mapped = false;
                _attachment.Unmap(this, _values);
            }
        }

        private int Value(int index)
        {
            if (!_mapped)
            {
                ThrowHelper.ThrowDisposed("DmaMapping");
            }

            return _values[index];
        }

        private void CheckSegment(int index)
        {
            if (!_mapped)
            {
                ThrowHelper.ThrowDisposed("DmaMapping");
            }

            if (index < 0 || index >= _values[NativeSegmentCount])
            {
                ThrowHelper.ThrowArgumentOutOfRange("index", "must be between 0 and SegmentCount - 1");
            }
        }
    }
}
