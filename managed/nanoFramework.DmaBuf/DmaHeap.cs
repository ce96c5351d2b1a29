using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// The allocator of DMA buffers over one board's memory regions: every buffer it exports is
    /// physically contiguous, cache-line aligned and padded to whole cache lines, so no two
    /// buffers share a line.
    /// </summary>
    /// <remarks>
    /// <para>On nanoFramework the heap is the firmware's DMA context for its board; on host .NET,
    /// <see cref="Open(string)"/> creates a simulated SoC for the named board (regions, a
    /// write-back cache model and the board's devices), so the same code runs in tests.</para>
    /// <para>Disposing the heap refuses new exports; the native heap is released once the last
    /// <see cref="DmaBuffer"/> exported from it (or imported into it) and the last
    /// <see cref="DmaFence"/> made by it are released.</para>
    /// <para>All members are thread-safe.</para>
    /// </remarks>
    public sealed class DmaHeap : IDisposable
    {
        // ABI: the native side reads this field; keep it first.
        private int _heap;

        private readonly string _board;
        private readonly object _lock = new object();

        // DmaBuffer, DmaFence and FrameQueue objects of this heap not yet released: the native
        // heap must outlive them, whatever order Dispose calls and finalizers come in. Both
        // fields change only through Interlocked (see TakeOwner), so that making and releasing
        // a buffer or a fence takes no lock; _lock orders the native close against the calls
        // that need the heap open without owning anything.
        private int _owners;
        private int _disposed;

        private DmaHeap(string board)
        {
            _board = board;
        }

        /// <summary>
        /// Opens the DMA heap of a board.
        /// </summary>
        /// <param name="board">The board name (for example <c>"stm32f769i-disco"</c>). On
        /// nanoFramework it must name the board the firmware was built for.</param>
        /// <returns>The heap; dispose it when done.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="board"/> is null.</exception>
        /// <exception cref="ArgumentException">No board of that name exists in this build.</exception>
        /// <exception cref="NotSupportedException">The firmware has no DMA buffer support.</exception>
        /// <exception cref="OutOfMemoryException">The host could not allocate the simulated SoC.</exception>
        public static DmaHeap Open(string board)
        {
            if (board == null)
            {
                ThrowHelper.ThrowArgumentNull("board");
            }

            DmaHeap heap = new DmaHeap(board);
            int error = heap.NativeOpen(board);
            if (error < 0)
            {
                GC.SuppressFinalize(heap);
                ThrowHelper.Throw(error, "DmaHeap");
            }

            return heap;
        }

        /// <summary>
        /// The board the firmware was built for: the name <see cref="Open(string)"/> takes on this
        /// device, so that one program runs on whichever board it is deployed to
        /// (<c>DmaHeap.Open(DmaHeap.FirmwareBoard)</c>).
        /// </summary>
        /// <value>On nanoFramework, the firmware's board (for example <c>"stm32f769i-disco"</c>),
        /// or null when the firmware has no DMA buffer support (then <see cref="Open(string)"/>
        /// throws <see cref="NotSupportedException"/>). On host .NET, null: the host simulates every
        /// board, so the program names the one it wants.</value>
        /// <remarks>Throws nothing. Reading it on nanoFramework sets the firmware's DMA context up
        /// if that has not happened yet, as the first <see cref="Open(string)"/> would.</remarks>
        public static string FirmwareBoard => NativeFirmwareBoard();

        /// <summary>
        /// The board name given to <see cref="Open(string)"/>. Readable after dispose.
        /// </summary>
        public string Board => _board;

        /// <summary>The native heap id (0 once closed), for the tests' simulator hooks.</summary>
        internal int NativeId => _heap;

        /// <summary>
        /// Whether <see cref="Dispose"/> was called (or the finalizer ran).
        /// </summary>
        public bool IsDisposed => _disposed != 0;

        /// <summary>
        /// Exports a buffer of <paramref name="size"/> bytes placed now in the first region of the board that has room.
        /// </summary>
        /// <param name="size">Bytes; invariant for the life of the buffer (storage is rounded up to whole cache lines).</param>
        /// <param name="name">A name for diagnostics and leak reports (truncated to 15 characters).</param>
        /// <returns>The buffer; its owner must dispose it.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is zero or negative.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
        /// <exception cref="OutOfMemoryException">No region has a free block that large, or every buffer slot is in use.</exception>
        /// <exception cref="ObjectDisposedException">The heap was disposed.</exception>
        public DmaBuffer Export(int size, string name)
        {
            return Export(size, name, DmaBufferFlags.None);
        }

        /// <summary>
        /// Exports a buffer of <paramref name="size"/> bytes with placement options.
        /// </summary>
        /// <param name="size">Bytes; invariant for the life of the buffer (storage is rounded up to whole cache lines).</param>
        /// <param name="name">A name for diagnostics and leak reports (truncated to 15 characters).</param>
        /// <param name="flags">Placement options.</param>
        /// <returns>The buffer; its owner must dispose it.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is zero or negative.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="flags"/> has undefined bits.</exception>
        /// <exception cref="OutOfMemoryException">No region has a free block that large, or every buffer slot is in use.</exception>
        /// <exception cref="ObjectDisposedException">The heap was disposed.</exception>
        public DmaBuffer Export(int size, string name, DmaBufferFlags flags)
        {
            if (size <= 0)
            {
                ThrowHelper.ThrowArgumentOutOfRange("size", "must be positive");
            }

            if (name == null)
            {
                ThrowHelper.ThrowArgumentNull("name");
            }

            if (((int)flags & ~(int)(DmaBufferFlags.PreferUncached | DmaBufferFlags.DeferPlacement)) != 0)
            {
                ThrowHelper.ThrowArgument("undefined DmaBufferFlags bits", "flags");
            }

            TakeOwner();
            int handle = NativeExport(size, name, (int)flags);
            if (handle < 0)
            {
                ReleaseOwnerAndThrow(handle, "DmaHeap");
            }

            // The native side may keep the name truncated; report the name it keeps, read back
            // only when it can differ (a second native call and a string per export otherwise).
            return new DmaBuffer(this, _heap, handle, size, IsKeptWhole(name) ? name : NativeBufferName(handle));
        }

        /// <summary>
        /// Takes a new reference on the buffer behind <paramref name="handle"/>, as a second owner
        /// (the way a dma-buf file descriptor is passed between drivers).
        /// </summary>
        internal DmaBuffer Import(int handle)
        {
            if (handle <= 0)
            {
                ThrowHelper.ThrowArgumentOutOfRange("handle", "buffer handles are positive");
            }

            TakeOwner();
            int[] info = new int[BufferInfoLength];
            int error = NativeBufferInfo(handle, info);
            if (error < 0)
            {
                ReleaseOwnerAndThrow(error, "DmaBuffer");
            }

            string name = NativeBufferName(handle);
            error = NativeGetReference(handle);
            if (error < 0)
            {
                ReleaseOwnerAndThrow(error, "DmaBuffer");
            }

            return new DmaBuffer(this, _heap, handle, info[BufferInfoSize], name);
        }

        /// <summary>
        /// Creates an unsignalled fence on the heap's timeline, with the next sequence number: the
        /// completion signal of a DMA job about to be started.
        /// </summary>
        /// <returns>The fence; dispose it when done.</returns>
        /// <exception cref="OutOfMemoryException">Every fence of the heap's pool is in use.</exception>
        /// <exception cref="ObjectDisposedException">The heap was disposed.</exception>
        public DmaFence CreateFence()
        {
            TakeOwner();
            int fence = NativeCreateFence();
            if (fence < 0)
            {
                ReleaseOwnerAndThrow(fence, "DmaHeap");
            }

            return new DmaFence(this, _heap, fence);
        }

        /// <summary>
        /// Finds a DMA master (device) of the board by name.
        /// </summary>
        /// <param name="name">The device name in the board description (for example <c>"dma2"</c>).</param>
        /// <returns>The device; it owns nothing and needs no disposal.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
        /// <exception cref="ArgumentException">The board has no device of that name.</exception>
        /// <exception cref="ObjectDisposedException">The heap was disposed.</exception>
        public DmaDevice GetDevice(string name)
        {
            if (name == null)
            {
                ThrowHelper.ThrowArgumentNull("name");
            }

            lock (_lock)
            {
                ThrowIfDisposed();
                int index = NativeFindDevice(name);
                if (index < 0)
                {
                    ThrowHelper.Throw(index, "DmaHeap");
                }

                return new DmaDevice(this, index, name);
            }
        }

        /// <summary>
        /// The pixel formats a frame peripheral of the board (camera, display or SPI panel) takes,
        /// without opening it: what a program chooses its frames' format from before it opens the
        /// peripheral (an STM32 LTDC scans RGB565 low byte first, a DVP camera delivers it high byte
        /// first).
        /// </summary>
        /// <param name="name">The peripheral's name on the board (for example <c>"display"</c>).</param>
        /// <returns>The formats, in the order of <see cref="PixelFormat"/>'s values; at least one.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
        /// <exception cref="ArgumentException">The board has no peripheral of that name.</exception>
        /// <exception cref="NotSupportedException">The firmware has no frame peripherals.</exception>
        /// <exception cref="ObjectDisposedException">The heap was disposed.</exception>
        public PixelFormat[] GetPeripheralFormats(string name)
        {
            if (name == null)
            {
                ThrowHelper.ThrowArgumentNull("name");
            }

            int formats;
            lock (_lock)
            {
                ThrowIfDisposed();
                formats = NativePeripheralFormats(name);
            }

            if (formats < 0)
            {
                ThrowHelper.Throw(formats, "DmaHeap");
            }

            int count = 0;
            for (int bits = formats; bits != 0; bits &= bits - 1)
            {
                count++;
            }

            PixelFormat[] result = new PixelFormat[count];
            for (int format = 0, i = 0; i < count; format++)
            {
                if ((formats & (1 << format)) != 0)
                {
                    result[i++] = (PixelFormat)format;
                }
            }

            return result;
        }

        /// <summary>
        /// The largest frame a camera or display of the board serves, without opening it (an SPI
        /// panel: its controller's frame memory, GRAM, which every window lies in), and whether
        /// that is the only size it serves: what a program sizes its frames from before it opens
        /// the peripheral. An ESP32 camera controller delivers frames of the size the board
        /// created it with only (1024 x 600 on the ESP32-P4-Function-EV-Board); a DCMI camera or
        /// the host's simulated one, any size up to its largest.
        /// </summary>
        /// <param name="name">The peripheral's name on the board (for example <c>"camera"</c>).</param>
        /// <param name="width">The largest frame's width in pixels.</param>
        /// <param name="height">The largest frame's height in pixels.</param>
        /// <returns>True when the peripheral takes frames of exactly <paramref name="width"/> x
        /// <paramref name="height"/> only (any other size is a <see cref="DmaConstraintException"/> at
        /// open); false when it takes any size up to that.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
        /// <exception cref="ArgumentException">The board has no peripheral of that name.</exception>
        /// <exception cref="NotSupportedException">The firmware has no frame peripherals.</exception>
        /// <exception cref="ObjectDisposedException">The heap was disposed.</exception>
        public bool GetPeripheralFrameSize(string name, out int width, out int height)
        {
            if (name == null)
            {
                ThrowHelper.ThrowArgumentNull("name");
            }

            int[] values = new int[FrameSizeLength];
            int error;
            lock (_lock)
            {
                ThrowIfDisposed();
                error = NativePeripheralFrameSize(name, values);
            }

            if (error < 0)
            {
                ThrowHelper.Throw(error, "DmaHeap");
            }

            width = values[FrameSizeWidth];
            height = values[FrameSizeHeight];
            return values[FrameSizeFixed] != 0;
        }

        /// <summary>
        /// Opens a camera of the board by name, configured for frames of
        /// <paramref name="width"/> x <paramref name="height"/> pixels of <paramref name="format"/>.
        /// </summary>
        /// <param name="name">The peripheral's name on the board (for example <c>"camera"</c>).</param>
        /// <param name="width">Frame width in pixels.</param>
        /// <param name="height">Frame height in pixels.</param>
        /// <param name="format">The pixel format of the frames.</param>
        /// <returns>The camera; dispose it when done.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is negative.</exception>
        /// <exception cref="ArgumentException">The board has no camera of that name, or a size is zero.</exception>
        /// <exception cref="DmaConstraintException">The camera does not take <paramref name="format"/>, or not a frame that large.</exception>
        /// <exception cref="InvalidOperationException">The camera is configured for another frame already.</exception>
        /// <exception cref="NotSupportedException">The firmware has no frame peripherals.</exception>
        /// <exception cref="ObjectDisposedException">The heap was disposed.</exception>
        public Camera OpenCamera(string name, int width, int height, PixelFormat format)
        {
            return new Camera(this, name, width, height, format);
        }

        /// <summary>
        /// Opens a scan-out display of the board by name, configured for frames of
        /// <paramref name="width"/> x <paramref name="height"/> pixels of <paramref name="format"/>.
        /// </summary>
        /// <param name="name">The peripheral's name on the board (for example <c>"display"</c>).</param>
        /// <param name="width">Frame width in pixels.</param>
        /// <param name="height">Frame height in pixels.</param>
        /// <param name="format">The pixel format of the frames.</param>
        /// <returns>The display; dispose it when done.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is negative.</exception>
        /// <exception cref="ArgumentException">The board has no display of that name, or a size is zero.</exception>
        /// <exception cref="DmaConstraintException">The display does not take <paramref name="format"/>, or not a frame that large.</exception>
        /// <exception cref="InvalidOperationException">The display is configured for another frame already.</exception>
        /// <exception cref="NotSupportedException">The firmware has no frame peripherals.</exception>
        /// <exception cref="ObjectDisposedException">The heap was disposed.</exception>
        public ScanoutDisplay OpenDisplay(string name, int width, int height, PixelFormat format)
        {
            return new ScanoutDisplay(this, name, width, height, format);
        }

        /// <summary>Opens an SPI panel of the board by name, configured for pixels of <paramref name="format"/>.</summary>
        /// <param name="name">The peripheral's name on the board (for example <c>"spi-panel"</c>).</param>
        /// <param name="format">The pixel format the controller is set to.</param>
        /// <returns>The panel; dispose it when done.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
        /// <exception cref="ArgumentException">The board has no SPI panel of that name.</exception>
        /// <exception cref="DmaConstraintException">The panel does not take <paramref name="format"/>.</exception>
        /// <exception cref="InvalidOperationException">The panel is configured for another format already.</exception>
        /// <exception cref="NotSupportedException">The firmware has no frame peripherals.</exception>
        /// <exception cref="ObjectDisposedException">The heap was disposed.</exception>
        public SpiPanel OpenSpiPanel(string name, PixelFormat format)
        {
            return new SpiPanel(this, name, format);
        }

        /// <summary>
        /// Reads the allocator's counters.
        /// </summary>
        /// <returns>A snapshot; it does not change afterwards.</returns>
        /// <exception cref="ObjectDisposedException">The heap was disposed.</exception>
        public DmaHeapStatistics GetStatistics()
        {
            long[] values = new long[DmaHeapStatistics.NativeLength];
            lock (_lock)
            {
                ThrowIfDisposed();
                int error = NativeStatistics(values);
                if (error < 0)
                {
                    ThrowHelper.Throw(error, "DmaHeap");
                }
            }

            return new DmaHeapStatistics(values);
        }

        /// <summary>
        /// Reads how many cache lines the hand-overs cleaned and invalidated since the heap was
        /// opened or since <see cref="ResetCacheStatistics"/>.
        /// </summary>
        /// <returns>A snapshot; it does not change afterwards.</returns>
        /// <exception cref="ObjectDisposedException">The heap was disposed.</exception>
        public DmaCacheStatistics GetCacheStatistics()
        {
            long[] values = new long[DmaCacheStatistics.NativeLength];
            lock (_lock)
            {
                ThrowIfDisposed();
                int error = NativeCacheStatistics(values, false);
                if (error < 0)
                {
                    ThrowHelper.Throw(error, "DmaHeap");
                }
            }

            return new DmaCacheStatistics(values);
        }

        /// <summary>
        /// Sets the cache counters read by <see cref="GetCacheStatistics"/> back to zero.
        /// </summary>
        /// <exception cref="ObjectDisposedException">The heap was disposed.</exception>
        public void ResetCacheStatistics()
        {
            lock (_lock)
            {
                ThrowIfDisposed();
                int error = NativeCacheStatistics(null, true);
                if (error < 0)
                {
                    ThrowHelper.Throw(error, "DmaHeap");
                }
            }
        }

        /// <summary>
        /// Reads how many bytes the CPU copied for the DmaBuf API since the heap was opened or since
        /// <see cref="ResetCpuCopyStatistics"/> (see <see cref="DmaCpuCopyStatistics"/>).
        /// </summary>
        /// <returns>A snapshot; it does not change afterwards.</returns>
        /// <exception cref="ObjectDisposedException">The heap was disposed.</exception>
        public DmaCpuCopyStatistics GetCpuCopyStatistics()
        {
            long[] values = new long[DmaCpuCopyStatistics.NativeLength];
            lock (_lock)
            {
                ThrowIfDisposed();
                int error = NativeCpuCopyStatistics(values, false);
                if (error < 0)
                {
                    ThrowHelper.Throw(error, "DmaHeap");
                }
            }

            return new DmaCpuCopyStatistics(values);
        }

        /// <summary>
        /// Sets the counters read by <see cref="GetCpuCopyStatistics"/> back to zero.
        /// </summary>
        /// <exception cref="ObjectDisposedException">The heap was disposed.</exception>
        public void ResetCpuCopyStatistics()
        {
            lock (_lock)
            {
                ThrowIfDisposed();
                int error = NativeCpuCopyStatistics(null, true);
                if (error < 0)
                {
                    ThrowHelper.Throw(error, "DmaHeap");
                }
            }
        }

        /// <summary>
        /// A text listing of every live buffer of the heap (name, size, region, DMA address,
        /// references, attachments, state), like dma-buf's debugfs <c>bufinfo</c>.
        /// </summary>
        /// <returns>The listing, one line per buffer.</returns>
        /// <exception cref="ObjectDisposedException">The heap was disposed.</exception>
        public string DescribeBuffers()
        {
            lock (_lock)
            {
                ThrowIfDisposed();
                return NativeDescribeBuffers();
            }
        }

        /// <summary>
        /// Refuses further exports and device look-ups. Buffers already exported stay valid; the
        /// native heap is released with the last of them. Idempotent and thread-safe.
        /// </summary>
        public void Dispose()
        {
            Release();
            GC.SuppressFinalize(this);
        }

        /// <summary>
        /// Releases the native heap if <see cref="Dispose"/> was never called and no buffer of
        /// it is left.
        /// </summary>
        ~DmaHeap()
        {
            Release();
        }

        private void Release()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                CloseIfUnused();
            }
        }

        /// <summary>
        /// Registers one more object that needs the native heap (a FrameQueue) and returns the
        /// native heap id it calls with.
        /// </summary>
        internal int AddOwner()
        {
            TakeOwner();
            return _heap;
        }

        /// <summary>Called once by each DmaBuffer, DmaFence and FrameQueue of this heap when it is released.</summary>
        internal void ReleaseOwner()
        {
            if (Interlocked.Decrement(ref _owners) == 0 && _disposed != 0)
            {
                CloseIfUnused();
            }
        }

        /// <summary>
        /// Counts one more owner, or throws ObjectDisposedException. The count changes before
        /// _disposed is read (here and in ReleaseOwner), and Release sets _disposed before
        /// CloseIfUnused reads the count, each write a full fence (Interlocked): so either this
        /// sees the heap disposed (and takes nothing), or the close sees this owner (and leaves
        /// the heap open for it); and of the last ReleaseOwner and Release, at least one closes.
        /// </summary>
        private void TakeOwner()
        {
            Interlocked.Increment(ref _owners);
            if (_disposed != 0)
            {
                ReleaseOwner();
                ThrowHelper.ThrowDisposed("DmaHeap");
            }
        }

        /// <summary>Gives back an owner taken for a native call that failed, and throws its error.</summary>
        private void ReleaseOwnerAndThrow(int error, string objectName)
        {
            // Made first: the exception reads this thread's last native message, which a close of
            // the heap by ReleaseOwner would replace.
            Exception exception = ThrowHelper.Create(error, objectName);
            ReleaseOwner();
            throw exception;
        }

        private void CloseIfUnused()
        {
            lock (_lock)
            {
                // Both Release and the last ReleaseOwner may get here; the first closes.
                if (_disposed != 0 && _owners == 0 && _heap != 0)
                {
                    // Nothing is left that could fail: every buffer was put, so the native heap
                    // has no live object and the close cannot be refused.
                    NativeClose();
                    _heap = 0;
                }
            }
        }

        /// <summary>
        /// Whether the native side keeps <paramref name="name"/> unchanged: it copies at most
        /// <see cref="NameMax"/> UTF-8 bytes, up to the first NUL. True for up to that many ASCII
        /// characters other than NUL, each one byte; other names are read back.
        /// </summary>
        private static bool IsKeptWhole(string name)
        {
            if (name.Length > NameMax)
            {
                return false;
            }

            for (int i = 0; i < name.Length; i++)
            {
                if (name[i] == '\0' || name[i] > '\x7F')
                {
                    return false;
                }
            }

            return true;
        }

        private void ThrowIfDisposed()
        {
            if (_disposed != 0)
            {
                ThrowHelper.ThrowDisposed("DmaHeap");
            }
        }

        // Bytes of a buffer name the native side keeps: DMABUF_NAME_MAX - 1 (KEEP IN SYNC with dmabuf.h).
        private const int NameMax = 15;

        // Layout of the int[] filled by NativeBufferInfo (KEEP IN SYNC with the interop).
        internal const int BufferInfoSize = 0;
        internal const int BufferInfoRegion = 1;
        internal const int BufferInfoDmaAddress = 2;
        internal const int BufferInfoReferences = 3;
        internal const int BufferInfoAttachments = 4;
        internal const int BufferInfoMappings = 5;
        internal const int BufferInfoCpuAccess = 6;
        internal const int BufferInfoCacheState = 7;
        internal const int BufferInfoLength = 8;

        // Layout of the int[] filled by NativePeripheralFrameSize (KEEP IN SYNC with managed_values.h).
        private const int FrameSizeWidth = 0;
        private const int FrameSizeHeight = 1;
        private const int FrameSizeFixed = 2;
        private const int FrameSizeLength = 3;

        #region Native Calls

#if NANOFRAMEWORK_1_0
        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeOpen(string board);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeClose();

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeExport(int size, string name, int flags);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeGetReference(int handle);

        [MethodImpl(MethodImplOptions.InternalCall)]
        internal extern int NativeBufferInfo(int handle, int[] info);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern string NativeBufferName(int handle);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeFindDevice(string name);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeStatistics(long[] values);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeCacheStatistics(long[] values, bool reset);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern string NativeDescribeBuffers();

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeCpuCopyStatistics(long[] values, bool reset);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeCreateFence();

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativePeripheralFormats(string name);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativePeripheralFrameSize(string name, int[] values);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern string NativeFirmwareBoard();
#else
        private int NativeOpen(string board) => HostNative.HeapOpen(board, out _heap);

        private int NativeClose() => HostNative.HeapClose(_heap);

        private int NativeExport(int size, string name, int flags) => HostNative.Export(_heap, size, name, flags);

        private int NativeGetReference(int handle) => HostNative.Get(_heap, handle);

        internal int NativeBufferInfo(int handle, int[] info) => HostNative.BufferInfo(_heap, handle, info);

        private string NativeBufferName(int handle) => HostNative.BufferName(_heap, handle);

        private int NativeFindDevice(string name) => HostNative.FindDevice(_heap, name);

        private int NativeStatistics(long[] values) => HostNative.HeapStatistics(_heap, values);

        private int NativeCacheStatistics(long[] values, bool reset) => HostNative.CacheStatistics(_heap, values, reset);

        private string NativeDescribeBuffers() => HostNative.DescribeBuffers(_heap);

        private int NativeCpuCopyStatistics(long[] values, bool reset) => HostNative.CpuCopyStatistics(_heap, values, reset);

        private int NativeCreateFence() => HostNative.FenceCreate(_heap);

        private int NativePeripheralFormats(string name) => HostNative.PeripheralFormats(_heap, name);

        private int NativePeripheralFrameSize(string name, int[] values) => HostNative.PeripheralFrameSize(_heap, name, values);

        // The host simulates every board: there is no firmware board.
        private static string NativeFirmwareBoard() => null;
#endif

        #endregion
    }
}
