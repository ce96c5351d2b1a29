using System;
using System.Runtime.CompilerServices;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// An open CPU window on a <see cref="DmaBuffer"/>: the only time the CPU may touch its bytes.
    /// Obtained from <see cref="DmaBuffer.BeginCpuAccess(DmaDirection, int, int)"/>; disposing it
    /// ends the access (the CPU-to-device cache hand-over).
    /// </summary>
    /// <remarks>
    /// <para>Offsets given to the members are relative to the window: offset 0 is byte
    /// <see cref="Offset"/> of the buffer.</para>
    /// <para>On nanoFramework 1.x the bytes are reached by explicit copies (<see cref="Read(int, byte[], int, int)"/>,
    /// <see cref="Write(int, byte[], int, int)"/>, <see cref="Fill(int, int, byte)"/>,
    /// <see cref="CopyTo(int, CpuAccess, int, int)"/>) done natively, because managed arrays live in the
    /// managed heap and can move. On host .NET, <c>Span</c> and <c>ReadOnlySpan</c> view the
    /// buffer's memory without copying.</para>
    /// <para>A buffer has one CpuAccess object, reused by each BeginCpuAccess, so a reference kept
    /// after the access ended would see the next access of the buffer: do not keep it. After the
    /// access ends, every member except <see cref="Dispose"/> and <see cref="IsOpen"/> throws
    /// ObjectDisposedException. All members are thread-safe.</para>
    /// </remarks>
    public sealed class CpuAccess : IDisposable
    {
        // ABI: the native side reads these fields; keep them first, in this order.
        private readonly int _heap;
        private readonly int _handle;
        private int _direction;
        private int _offset;
        private int _length;

        private readonly DmaBuffer _buffer;
        private bool _open;
#if !NANOFRAMEWORK_1_0
        // Host: the CPU address of byte _offset while open, as the native begin returned it.
        private IntPtr _cpu;
#endif

        internal CpuAccess(DmaBuffer buffer, int heap, int handle)
        {
            _buffer = buffer;
            _heap = heap;
            _handle = handle;
        }

        /// <summary>The buffer the window belongs to.</summary>
        public DmaBuffer Buffer => _buffer;

        /// <summary>Whether the access is still open. Never throws.</summary>
        public bool IsOpen => _open;

        /// <summary>The direction the access was opened with.</summary>
        /// <exception cref="ObjectDisposedException">The access has ended.</exception>
        public DmaDirection Direction
        {
            get
            {
                ThrowIfEnded();
                return (DmaDirection)_direction;
            }
        }

        /// <summary>The buffer offset of the window's first byte.</summary>
        /// <exception cref="ObjectDisposedException">The access has ended.</exception>
        public int Offset
        {
            get
            {
                ThrowIfEnded();
                return _offset;
            }
        }

        /// <summary>Bytes in the window.</summary>
        /// <exception cref="ObjectDisposedException">The access has ended.</exception>
        public int Length
        {
            get
            {
                ThrowIfEnded();
                return _length;
            }
        }

        /// <summary>Copies the window's bytes from <paramref name="offset"/> into all of <paramref name="destination"/>.</summary>
        /// <param name="offset">Window offset of the first byte to read.</param>
        /// <param name="destination">Receives <c>destination.Length</c> bytes.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The bytes would come from outside the window.</exception>
        /// <exception cref="ObjectDisposedException">The access has ended.</exception>
        public void Read(int offset, byte[] destination)
        {
            if (destination == null)
            {
                ThrowHelper.ThrowArgumentNull("destination");
            }

            Read(offset, destination, 0, destination.Length);
        }

        /// <summary>Copies <paramref name="count"/> bytes of the window from <paramref name="offset"/> into an array.</summary>
        /// <remarks>Any direction may read. In a <see cref="DmaDirection.ToDevice"/> access the CPU sees what it
        /// wrote itself, not what a device wrote: open the access FromDevice or Bidirectional for that.</remarks>
        /// <param name="offset">Window offset of the first byte to read.</param>
        /// <param name="destination">The array receiving the bytes.</param>
        /// <param name="destinationIndex">Index in <paramref name="destination"/> of the first byte written.</param>
        /// <param name="count">Bytes to copy.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">A range lies outside the window or the array.</exception>
        /// <exception cref="ObjectDisposedException">The access has ended.</exception>
        public void Read(int offset, byte[] destination, int destinationIndex, int count)
        {
            if (destination == null)
            {
                ThrowHelper.ThrowArgumentNull("destination");
            }

            ThrowHelper.CheckRange(destinationIndex, count, destination.Length, "destinationIndex", "count");
            lock (_buffer.SyncRoot)
            {
                ThrowIfEnded();
                ThrowHelper.CheckRange(offset, count, _length, "offset", "count");
                int error = NativeRead(offset, destination, destinationIndex, count);
                if (error < 0)
                {
                    ThrowHelper.Throw(error, "CpuAccess");
                }
            }
        }

        /// <summary>Copies all of <paramref name="source"/> into the window at <paramref name="offset"/>.</summary>
        /// <param name="offset">Window offset of the first byte written.</param>
        /// <param name="source">The bytes to write.</param>
        /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The bytes would land outside the window.</exception>
        /// <exception cref="InvalidOperationException">The access was opened <see cref="DmaDirection.FromDevice"/>.</exception>
        /// <exception cref="ObjectDisposedException">The access has ended.</exception>
        public void Write(int offset, byte[] source)
        {
            if (source == null)
            {
                ThrowHelper.ThrowArgumentNull("source");
            }

            Write(offset, source, 0, source.Length);
        }

        /// <summary>Copies <paramref name="count"/> bytes of an array into the window at <paramref name="offset"/>.</summary>
        /// <remarks>Only accesses opened <see cref="DmaDirection.ToDevice"/> or <see cref="DmaDirection.Bidirectional"/>
        /// may write: the end of a FromDevice access does not clean the lines, so CPU writes would not reach the
        /// device and a dirty line could later be evicted over data a device wrote.</remarks>
        /// <param name="offset">Window offset of the first byte written.</param>
        /// <param name="source">The array holding the bytes.</param>
        /// <param name="sourceIndex">Index in <paramref name="source"/> of the first byte read.</param>
        /// <param name="count">Bytes to copy.</param>
        /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">A range lies outside the window or the array.</exception>
        /// <exception cref="InvalidOperationException">The access was opened <see cref="DmaDirection.FromDevice"/>.</exception>
        /// <exception cref="ObjectDisposedException">The access has ended.</exception>
        public void Write(int offset, byte[] source, int sourceIndex, int count)
        {
            if (source == null)
            {
                ThrowHelper.ThrowArgumentNull("source");
            }

            ThrowHelper.CheckRange(sourceIndex, count, source.Length, "sourceIndex", "count");
            lock (_buffer.SyncRoot)
            {
                ThrowIfNotWritable();
                ThrowHelper.CheckRange(offset, count, _length, "offset", "count");
                int error = NativeWrite(offset, source, sourceIndex, count);
                if (error < 0)
                {
                    ThrowHelper.Throw(error, "CpuAccess");
                }
            }
        }

        /// <summary>Sets every byte of the window to <paramref name="value"/>.</summary>
        /// <param name="value">The byte to store.</param>
        /// <exception cref="InvalidOperationException">The access was opened <see cref="DmaDirection.FromDevice"/>.</exception>
        /// <exception cref="ObjectDisposedException">The access has ended.</exception>
        public void Fill(byte value)
        {
            lock (_buffer.SyncRoot)
            {
                ThrowIfNotWritable();
                Fill(0, _length, value);
            }
        }

        /// <summary>Sets <paramref name="count"/> bytes of the window from <paramref name="offset"/> to <paramref name="value"/>.</summary>
        /// <param name="offset">Window offset of the first byte set.</param>
        /// <param name="count">Bytes to set.</param>
        /// <param name="value">The byte to store.</param>
        /// <exception cref="ArgumentOutOfRangeException">The range lies outside the window.</exception>
        /// <exception cref="InvalidOperationException">The access was opened <see cref="DmaDirection.FromDevice"/>.</exception>
        /// <exception cref="ObjectDisposedException">The access has ended.</exception>
        public void Fill(int offset, int count, byte value)
        {
            lock (_buffer.SyncRoot)
            {
                ThrowIfNotWritable();
                ThrowHelper.CheckRange(offset, count, _length, "offset", "count");
                int error = NativeFill(offset, count, value);
                if (error < 0)
                {
                    ThrowHelper.Throw(error, "CpuAccess");
                }
            }
        }

        /// <summary>
        /// Copies <paramref name="count"/> bytes from this window into another open window (of this or
        /// another buffer) without passing through a managed array. Overlapping ranges of the same
        /// window are copied as if through a temporary.
        /// </summary>
        /// <param name="offset">Offset in this window of the first byte read.</param>
        /// <param name="destination">An open access that may write (ToDevice or Bidirectional).</param>
        /// <param name="destinationOffset">Offset in the destination window of the first byte written.</param>
        /// <param name="count">Bytes to copy.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">A range lies outside its window.</exception>
        /// <exception cref="InvalidOperationException">The destination was opened <see cref="DmaDirection.FromDevice"/>.</exception>
        /// <exception cref="ObjectDisposedException">This access or the destination has ended.</exception>
        public void CopyTo(int offset, CpuAccess destination, int destinationOffset, int count)
        {
            if (destination == null)
            {
                ThrowHelper.ThrowArgumentNull("destination");
            }

            object first;
            object second;
            _buffer.OrderLocks(destination._buffer, out first, out second);

            lock (first)
            {
                lock (second)
                {
                    ThrowIfEnded();
                    destination.ThrowIfNotWritable();
                    ThrowHelper.CheckRange(offset, count, _length, "offset", "count");
                    ThrowHelper.CheckRange(destinationOffset, count, destination._length, "destinationOffset", "count");
                    int error = NativeCopy(offset, destination, destinationOffset, count);
                    if (error < 0)
                    {
                        ThrowHelper.Throw(error, "CpuAccess");
                    }
                }
            }
        }

#if !NANOFRAMEWORK_1_0
        /// <summary>
        /// The window's bytes, writable, without a copy (host .NET).
        /// </summary>
        /// <remarks>
        /// The span points into the buffer's memory and is valid only until the access ends
        /// (<see cref="Dispose"/>, <see cref="DmaBuffer.EndCpuAccess(DmaDirection, int, int)"/> or disposing the buffer):
        /// it must not be accessed afterwards, and the CpuAccess must stay reachable while the span is used.
        /// </remarks>
        /// <exception cref="InvalidOperationException">The access was opened <see cref="DmaDirection.FromDevice"/>;
        /// use <see cref="ReadOnlySpan"/>.</exception>
        /// <exception cref="ObjectDisposedException">The access has ended.</exception>
        public unsafe Span<byte> Span
        {
            get
            {
                lock (_buffer.SyncRoot)
                {
                    ThrowIfNotWritable();
                    return new Span<byte>((void*)_cpu, _length);
                }
            }
        }

        /// <summary>
        /// The window's bytes, read-only, without a copy (host .NET); available in every direction.
        /// </summary>
        /// <remarks>
        /// Valid only until the access ends; it must not be accessed afterwards.
        /// </remarks>
        /// <exception cref="ObjectDisposedException">The access has ended.</exception>
        public unsafe ReadOnlySpan<byte> ReadOnlySpan
        {
            get
            {
                lock (_buffer.SyncRoot)
                {
                    ThrowIfEnded();
                    return new ReadOnlySpan<byte>((void*)_cpu, _length);
                }
            }
        }
#endif

        /// <summary>
        /// Ends the access (see <see cref="DmaBuffer.EndCpuAccess(DmaDirection, int, int)"/>). Idempotent and
        /// thread-safe; never throws.
        /// </summary>
        public void Dispose()
        {
            lock (_buffer.SyncRoot)
            {
                Release();
            }
        }

        /// <summary>Opens the window. Call with the buffer lock held.</summary>
        internal void Begin(int direction, int offset, int length)
        {
            if (_open)
            {
                ThrowHelper.ThrowInvalidOperation("a CPU access of this buffer is already open through this owner");
            }

            _direction = direction;
            _offset = offset;
            _length = length;
            int error = NativeBegin();
            if (error < 0)
            {
                ThrowHelper.Throw(error, "DmaBuffer");
            }

            _open = true;
        }

        /// <summary>Ends the window, which must match. Call with the buffer lock held.</summary>
        internal void End(int direction, int offset, int length)
        {
            if (!_open)
            {
                ThrowHelper.ThrowInvalidOperation("no CPU access of this buffer is open through this owner");
            }

            if (direction != _direction || offset != _offset || length != _length)
            {
                ThrowHelper.ThrowInvalidOperation("the open CPU access has direction " + _direction.ToString()
                    + ", offset " + _offset.ToString() + ", length " + _length.ToString() + ": end it with the same");
            }

            // Native end leaves the access open when it fails (a cache backend error): so does this.
            int error = NativeEnd();
            if (error < 0)
            {
                ThrowHelper.Throw(error, "DmaBuffer");
            }

            _open = false;
        }

        /// <summary>Ends the window if open, ignoring failures. Call with the buffer lock held.</summary>
        internal void Release()
        {
            if (_open)
            {
                _open = false;
                NativeEnd();
            }
        }

        private void ThrowIfEnded()
        {
            if (!_open)
            {
                ThrowHelper.ThrowDisposed("CpuAccess");
            }
        }

        private void ThrowIfNotWritable()
        {
            ThrowIfEnded();
            if (_direction == (int)DmaDirection.FromDevice)
            {
                ThrowHelper.ThrowInvalidOperation("the CPU access was opened FromDevice and may only read");
            }
        }

        #region Native Calls

#if NANOFRAMEWORK_1_0
        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeBegin();

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeEnd();

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeRead(int offset, byte[] destination, int destinationIndex, int count);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeWrite(int offset, byte[] source, int sourceIndex, int count);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeFill(int offset, int count, byte value);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeCopy(int offset, CpuAccess destination, int destinationOffset, int count);
#else
        private int NativeBegin() => HostNative.BeginCpuAccess(_heap, _handle, _direction, _offset, _length, out _cpu);

        private int NativeEnd() => HostNative.EndCpuAccess(_heap, _handle, _direction, _offset, _length);

        // Host: the range checks are done above, so the copies are plain memory moves on the
        // pointer the native begin returned, counted in the heap's CPU copy counter as the
        // nanoFramework stubs count theirs.
        private unsafe int NativeRead(int offset, byte[] destination, int destinationIndex, int count)
        {
            new ReadOnlySpan<byte>((byte*)_cpu + offset, count).CopyTo(new Span<byte>(destination, destinationIndex, count));
            return HostNative.CountCpuCopy(_heap, count);
        }

        private unsafe int NativeWrite(int offset, byte[] source, int sourceIndex, int count)
        {
            new ReadOnlySpan<byte>(source, sourceIndex, count).CopyTo(new Span<byte>((byte*)_cpu + offset, count));
            return HostNative.CountCpuCopy(_heap, count);
        }

        private unsafe int NativeFill(int offset, int count, byte value)
        {
            new Span<byte>((byte*)_cpu + offset, count).Fill(value);
            return 0;
        }

        private unsafe int NativeCopy(int offset, CpuAccess destination, int destinationOffset, int count)
        {
            new ReadOnlySpan<byte>((byte*)_cpu + offset, count).CopyTo(new Span<byte>((byte*)destination._cpu + destinationOffset, count));
            return HostNative.CountCpuCopy(_heap, count);
        }
#endif

        #endregion
    }
}
