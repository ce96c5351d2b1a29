using System;
using System.Runtime.CompilerServices;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// A picture inside a <see cref="DmaBuffer"/> (offset, width, height, stride, pixel format) and the
    /// drawing operations that work on it where it lies, without copying it into managed memory.
    /// </summary>
    /// <remarks>
    /// <para>Each operation is one native call that opens a CPU access covering only the rows it
    /// touches (from the first touched byte to the last), runs a native kernel and ends the access, so
    /// the cache hand-over is exactly that of those rows (docs/CACHE-RULES.md, "Frames"). This is the
    /// zero-copy way to draw on nanoFramework 1.x, where C# has no view of native memory; the host
    /// runs the same native kernels.</para>
    /// <para>Batching: several operations whose windows overlap maintain each cache line once when
    /// they run inside one access the caller holds (<see cref="BeginCpuAccess"/>, or
    /// <see cref="DmaBuffer.BeginCpuAccess(DmaDirection, int, int)"/>): while an access of the buffer
    /// is open, an operation opens none of its own and runs inside it. That access must cover the
    /// operation's window and permit its direction (writes: ToDevice or Bidirectional; reads:
    /// FromDevice or Bidirectional; darken and blend: Bidirectional); otherwise the operation throws
    /// <see cref="InvalidOperationException"/> and changes nothing.</para>
    /// <para>A frame is a view: it does not own the buffer and does not keep it alive. Disposing the
    /// buffer makes every operation throw <see cref="ObjectDisposedException"/>. No device mapping
    /// that writes the buffer may be open during an operation (InvalidOperationException).</para>
    /// <para>Rectangles are clipped to the frame: the part outside is ignored, and a rectangle entirely
    /// outside does nothing. Colours are 0xRRGGBB, converted to the frame's format (RGB565: each
    /// channel truncated to its bits; Gray8: (77 R + 150 G + 29 B + 128) / 256).
    /// All members are thread-safe.</para>
    /// </remarks>
    public sealed class DmaFrame
    {
        /// <summary>Largest text scale of <see cref="DrawText"/>.</summary>
        public const int MaxTextScale = 4;

        /// <summary>Width of a character cell of <see cref="DrawText"/> at scale 1 (5-pixel glyph and a space).</summary>
        public const int CharacterWidth = 6;

        /// <summary>Height of a glyph of <see cref="DrawText"/> at scale 1.</summary>
        public const int CharacterHeight = 7;

        // ABI: the native side reads these fields; keep them first, in this order (the heap,
        // then the members of native struct dmabuf_frame).
        private readonly int _heap;
        private readonly int _handle;
        private readonly int _offset;
        private readonly int _width;
        private readonly int _height;
        private readonly int _stride;
        private readonly int _format;

        private readonly DmaBuffer _buffer;
#if !NANOFRAMEWORK_1_0
        // Host: the descriptor as the P/Invoke takes it (the ABI fields after _heap).
        private readonly int[] _descriptor;
#endif

        /// <summary>
        /// A frame of <paramref name="width"/> x <paramref name="height"/> pixels at the start of
        /// <paramref name="buffer"/>, rows packed (stride = width x bytes per pixel).
        /// </summary>
        /// <param name="buffer">The buffer holding the pixels.</param>
        /// <param name="width">Pixels per row.</param>
        /// <param name="height">Rows.</param>
        /// <param name="format">How the pixels are stored.</param>
        /// <exception cref="ArgumentNullException"><paramref name="buffer"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the frame does not fit in the buffer.</exception>
        /// <exception cref="ArgumentException">The format is unknown, or a YUYV width is odd.</exception>
        /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
        public DmaFrame(DmaBuffer buffer, int width, int height, PixelFormat format)
            : this(buffer, 0, width, height, width * BytesPerPixel(format), format)
        {
        }

        /// <summary>A frame at <paramref name="offset"/> of <paramref name="buffer"/> with rows <paramref name="stride"/> bytes apart.</summary>
        /// <param name="buffer">The buffer holding the pixels.</param>
        /// <param name="offset">Byte of the buffer holding pixel (0, 0).</param>
        /// <param name="width">Pixels per row.</param>
        /// <param name="height">Rows.</param>
        /// <param name="stride">Bytes from one row to the next; at least width x bytes per pixel.</param>
        /// <param name="format">How the pixels are stored.</param>
        /// <exception cref="ArgumentNullException"><paramref name="buffer"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">A size or the offset is negative or zero where it must not
        /// be, or the frame does not fit in the buffer.</exception>
        /// <exception cref="ArgumentException">The stride is less than width x bytes per pixel, the format is unknown,
        /// or a YUYV width is odd.</exception>
        /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
        public DmaFrame(DmaBuffer buffer, int offset, int width, int height, int stride, PixelFormat format)
        {
            if (buffer == null)
            {
                ThrowHelper.ThrowArgumentNull("buffer");
            }

            if (offset < 0 || width <= 0 || height <= 0 || stride <= 0)
            {
                ThrowHelper.ThrowArgumentOutOfRange(offset < 0 ? "offset" : width <= 0 ? "width" : height <= 0 ? "height" : "stride",
                    "offset must be >= 0 and width, height and stride > 0");
            }

            _buffer = buffer;
            _heap = buffer.Heap.NativeId;
            _handle = buffer.Handle;
            _offset = offset;
            _width = width;
            _height = height;
            _stride = stride;
            _format = (int)format;
#if !NANOFRAMEWORK_1_0
            _descriptor = new int[] { _handle, offset, width, height, stride, _format };
#endif
            lock (_buffer.SyncRoot)
            {
                _buffer.ThrowIfReleased();
                Check(NativeCheck());
            }
        }

        /// <summary>The buffer holding the pixels (not owned by the frame).</summary>
        public DmaBuffer Buffer => _buffer;

        /// <summary>Byte of the buffer holding pixel (0, 0).</summary>
        public int Offset => _offset;

        /// <summary>Pixels per row.</summary>
        public int Width => _width;

        /// <summary>Rows.</summary>
        public int Height => _height;

        /// <summary>Bytes from one row to the next.</summary>
        public int Stride => _stride;

        /// <summary>How the pixels are stored.</summary>
        public PixelFormat Format => (PixelFormat)_format;

        /// <summary>Bytes one pixel takes in <paramref name="format"/> (YUYV: 2, a pair takes 4).</summary>
        /// <param name="format">A pixel format.</param>
        /// <returns>1, 2 or 3.</returns>
        /// <exception cref="ArgumentException"><paramref name="format"/> is not a PixelFormat value.</exception>
        public static int BytesPerPixel(PixelFormat format)
        {
            switch (format)
            {
                case PixelFormat.Rgb565LittleEndian:
                case PixelFormat.Rgb565BigEndian:
                case PixelFormat.Yuyv:
                    return 2;
                case PixelFormat.Rgb888:
                    return 3;
                case PixelFormat.Gray8:
                    return 1;
                default:
                    ThrowHelper.ThrowArgument("not a PixelFormat value", "format");
                    return 0;
            }
        }

        /// <summary>
        /// Opens a CPU access of the buffer over the window of a rectangle (clipped to the frame): from its
        /// first touched byte to its last, the window an operation on that rectangle would open itself
        /// (native-interop/include/dmabuf/frame.h). Operations on the rectangle's pixels then run inside
        /// it, and each cache line is maintained once, when it begins and when it is disposed.
        /// </summary>
        /// <param name="direction">What the operations inside do: <see cref="DmaDirection.ToDevice"/> only write
        /// (fill, text, sprite), <see cref="DmaDirection.Bidirectional"/> also read (darken, blend, read).</param>
        /// <param name="x">Left column (clipped).</param>
        /// <param name="y">Top row.</param>
        /// <param name="width">Columns.</param>
        /// <param name="height">Rows.</param>
        /// <returns>The open access; dispose it to end it.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is not
        /// positive, the rectangle has no pixel inside the frame, or <paramref name="direction"/> is not defined.</exception>
        /// <exception cref="InvalidOperationException">A CPU access of the buffer is already open, or a device holds a
        /// mapping that writes it.</exception>
        /// <exception cref="TimeoutException">Implicit sync: a DMA job in flight did not finish in time.</exception>
        /// <exception cref="System.IO.IOException">Implicit sync, reading: the job that wrote the buffer failed.</exception>
        /// <exception cref="OutOfMemoryException">Deferred storage could not be placed.</exception>
        /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
        public CpuAccess BeginCpuAccess(DmaDirection direction, int x, int y, int width, int height)
        {
            if (width <= 0 || height <= 0)
            {
                ThrowHelper.ThrowArgumentOutOfRange(width <= 0 ? "width" : "height", "must be positive");
            }

            // Clipped as the native operations clip (64-bit: x + width may pass int.MaxValue).
            long x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
            long x1 = (long)x + width, y1 = (long)y + height;
            x1 = x1 > _width ? _width : x1;
            y1 = y1 > _height ? _height : y1;
            if (x0 >= x1 || y0 >= y1)
            {
                ThrowHelper.ThrowArgumentOutOfRange("x", "the rectangle has no pixel inside the frame");
            }

            if (_format == (int)PixelFormat.Yuyv)
            {
                // YUYV windows hold whole pixel pairs.
                x0 &= ~1L;
                x1 = (x1 + 1) & ~1L;
            }

            int bpp = BytesPerPixel(Format);
            long first = _offset + y0 * _stride + x0 * bpp;
            long length = (y1 - y0 - 1) * _stride + (x1 - x0) * bpp;
            return _buffer.BeginCpuAccess(direction, (int)first, (int)length);
        }

        /// <summary>Sets every pixel of a rectangle to <paramref name="color"/>.</summary>
        /// <param name="x">Left column (may lie outside the frame: clipped).</param>
        /// <param name="y">Top row.</param>
        /// <param name="width">Columns; 0 does nothing.</param>
        /// <param name="height">Rows; 0 does nothing.</param>
        /// <param name="color">0xRRGGBB.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is negative.</exception>
        /// <exception cref="NotSupportedException">The frame is <see cref="PixelFormat.Yuyv"/>.</exception>
        /// <exception cref="InvalidOperationException">A CPU access of the buffer is open that does not cover the touched
        /// rows or does not permit the operation's direction, or a device mapping that writes it is open.</exception>
        /// <exception cref="TimeoutException">With the buffer's <see cref="DmaBuffer.ImplicitSync"/> on, a DMA job in
        /// flight on it did not finish within the implicit-sync timeout.</exception>
        /// <exception cref="OutOfMemoryException">The storage of a <see cref="DmaBufferFlags.DeferPlacement"/> buffer
        /// could not be placed.</exception>
        /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
        public void FillRectangle(int x, int y, int width, int height, int color)
        {
            CheckSize(width, height);
            lock (_buffer.SyncRoot)
            {
                _buffer.ThrowIfReleased();
                Check(NativeFill(x, y, width, height, color));
            }
        }

        /// <summary>Halves every colour channel of a rectangle's pixels (a shade).</summary>
        /// <param name="x">Left column (clipped).</param>
        /// <param name="y">Top row.</param>
        /// <param name="width">Columns.</param>
        /// <param name="height">Rows.</param>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is negative.</exception>
        /// <exception cref="NotSupportedException">The frame is <see cref="PixelFormat.Yuyv"/>.</exception>
        /// <exception cref="InvalidOperationException">A CPU access of the buffer is open that does not cover the touched
        /// rows or does not permit the operation's direction, or a device mapping that writes it is open.</exception>
        /// <exception cref="TimeoutException">With the buffer's <see cref="DmaBuffer.ImplicitSync"/> on, a DMA job in
        /// flight on it did not finish within the implicit-sync timeout.</exception>
        /// <exception cref="System.IO.IOException">With the buffer's <see cref="DmaBuffer.ImplicitSync"/> on, the DMA job
        /// that wrote the pixels read failed.</exception>
        /// <exception cref="OutOfMemoryException">The storage of a <see cref="DmaBufferFlags.DeferPlacement"/> buffer
        /// could not be placed.</exception>
        /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
        public void DarkenRectangle(int x, int y, int width, int height)
        {
            CheckSize(width, height);
            lock (_buffer.SyncRoot)
            {
                _buffer.ThrowIfReleased();
                Check(NativeDarken(x, y, width, height));
            }
        }

        /// <summary>
        /// Blends <paramref name="color"/> over a rectangle: per channel, in the format's precision,
        /// (pixel x (255 - alpha) + colour x alpha + 127) / 255.
        /// </summary>
        /// <param name="x">Left column (clipped).</param>
        /// <param name="y">Top row.</param>
        /// <param name="width">Columns.</param>
        /// <param name="height">Rows.</param>
        /// <param name="color">0xRRGGBB.</param>
        /// <param name="alpha">0 (pixels kept) to 255 (a fill).</param>
        /// <exception cref="ArgumentOutOfRangeException">A negative size, or <paramref name="alpha"/> outside 0..255.</exception>
        /// <exception cref="NotSupportedException">The frame is <see cref="PixelFormat.Yuyv"/>.</exception>
        /// <exception cref="InvalidOperationException">A CPU access of the buffer is open that does not cover the touched
        /// rows or does not permit the operation's direction, or a device mapping that writes it is open.</exception>
        /// <exception cref="TimeoutException">With the buffer's <see cref="DmaBuffer.ImplicitSync"/> on, a DMA job in
        /// flight on it did not finish within the implicit-sync timeout.</exception>
        /// <exception cref="System.IO.IOException">With the buffer's <see cref="DmaBuffer.ImplicitSync"/> on, the DMA job
        /// that wrote the pixels read failed.</exception>
        /// <exception cref="OutOfMemoryException">The storage of a <see cref="DmaBufferFlags.DeferPlacement"/> buffer
        /// could not be placed.</exception>
        /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
        public void BlendRectangle(int x, int y, int width, int height, int color, int alpha)
        {
            CheckSize(width, height);
            if (alpha < 0 || alpha > 255)
            {
                ThrowHelper.ThrowArgumentOutOfRange("alpha", "must be between 0 and 255");
            }

            lock (_buffer.SyncRoot)
            {
                _buffer.ThrowIfReleased();
                Check(NativeBlend(x, y, width, height, color, alpha));
            }
        }

        /// <summary>
        /// Copies a rectangle of this frame to (<paramref name="destinationX"/>, <paramref name="destinationY"/>)
        /// of <paramref name="destination"/>, converting the pixels. Clipped to both frames. Counted as a
        /// CPU copy (<see cref="DmaHeap.GetCpuCopyStatistics"/>).
        /// </summary>
        /// <remarks>
        /// Conversions: the same format (YUYV: x, destination x and width even); RGB565 either byte order to
        /// the other; RGB888 to RGB565; YUYV to RGB565 (BT.601 limited range); RGB565, RGB888 and YUYV to Gray8.
        /// Both frames may be in one buffer; overlapping rectangles are copied as through a temporary when
        /// both frames have the same format and stride, and refused otherwise.
        /// </remarks>
        /// <param name="x">Left column of the source rectangle.</param>
        /// <param name="y">Top row of the source rectangle.</param>
        /// <param name="width">Columns.</param>
        /// <param name="height">Rows.</param>
        /// <param name="destination">The frame written (this one or another, in this buffer or another).</param>
        /// <param name="destinationX">Column the rectangle's left edge lands on.</param>
        /// <param name="destinationY">Row the rectangle's top edge lands on.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is negative.</exception>
        /// <exception cref="ArgumentException">The destination's buffer belongs to another heap; the rectangles
        /// overlap in one buffer with a conversion or different strides; or a YUYV copy does not move whole
        /// pixel pairs.</exception>
        /// <exception cref="NotSupportedException">The conversion is not one of the above.</exception>
        /// <exception cref="InvalidOperationException">A CPU access of a buffer is open that does not cover the touched
        /// rows or does not permit the direction (reading the source, writing the destination; both, within one
        /// buffer), or a device mapping that writes it is open.</exception>
        /// <exception cref="TimeoutException">With the buffer's <see cref="DmaBuffer.ImplicitSync"/> on, a DMA job in
        /// flight on it did not finish within the implicit-sync timeout.</exception>
        /// <exception cref="System.IO.IOException">With the buffer's <see cref="DmaBuffer.ImplicitSync"/> on, the DMA job
        /// that wrote the pixels read failed.</exception>
        /// <exception cref="OutOfMemoryException">The storage of a <see cref="DmaBufferFlags.DeferPlacement"/> buffer
        /// could not be placed.</exception>
        /// <exception cref="ObjectDisposedException">A buffer was disposed.</exception>
        public void CopyRectangleTo(int x, int y, int width, int height, DmaFrame destination, int destinationX, int destinationY)
        {
            if (destination == null)
            {
                ThrowHelper.ThrowArgumentNull("destination");
            }

            CheckSize(width, height);
            if (destination._heap != _heap)
            {
                ThrowHelper.ThrowArgument("the destination frame's buffer belongs to another DmaHeap", "destination");
            }

            object first;
            object second;
            _buffer.OrderLocks(destination._buffer, out first, out second);

            lock (first)
            {
                lock (second)
                {
                    _buffer.ThrowIfReleased();
                    destination._buffer.ThrowIfReleased();
                    Check(NativeCopy(x, y, width, height, destination, destinationX, destinationY));
                }
            }
        }

        /// <summary>
        /// Draws <paramref name="text"/> in the built-in 5 x 7 font: each character takes a cell of
        /// <see cref="CharacterWidth"/> x 8 pixels times <paramref name="scale"/>; lit pixels get
        /// <paramref name="color"/>, the others are left as they are.
        /// </summary>
        /// <param name="x">Left column of the first cell (clipped).</param>
        /// <param name="y">Top row of the cells.</param>
        /// <param name="text">Printable ASCII (' ' to '~').</param>
        /// <param name="color">0xRRGGBB.</param>
        /// <param name="scale">1 to <see cref="MaxTextScale"/>: each font pixel becomes scale x scale pixels.</param>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is outside 1..4.</exception>
        /// <exception cref="ArgumentException"><paramref name="text"/> holds a character that is not printable ASCII.</exception>
        /// <exception cref="NotSupportedException">The frame is <see cref="PixelFormat.Yuyv"/>.</exception>
        /// <exception cref="InvalidOperationException">A CPU access of the buffer is open that does not cover the touched
        /// rows or does not permit the operation's direction, or a device mapping that writes it is open.</exception>
        /// <exception cref="TimeoutException">With the buffer's <see cref="DmaBuffer.ImplicitSync"/> on, a DMA job in
        /// flight on it did not finish within the implicit-sync timeout.</exception>
        /// <exception cref="OutOfMemoryException">The storage of a <see cref="DmaBufferFlags.DeferPlacement"/> buffer
        /// could not be placed.</exception>
        /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
        public void DrawText(int x, int y, string text, int color, int scale)
        {
            if (text == null)
            {
                ThrowHelper.ThrowArgumentNull("text");
            }

            if (scale < 1 || scale > MaxTextScale)
            {
                ThrowHelper.ThrowArgumentOutOfRange("scale", "must be between 1 and 4");
            }

            lock (_buffer.SyncRoot)
            {
                _buffer.ThrowIfReleased();
                Check(NativeDrawText(x, y, text, color, scale));
            }
        }

        /// <summary>
        /// Draws a sprite: <paramref name="width"/> x <paramref name="height"/> pixels in the frame's format,
        /// rows packed, skipping pixels equal to <paramref name="transparentColor"/> in that format.
        /// Counted as a CPU copy.
        /// </summary>
        /// <param name="x">Left column (clipped).</param>
        /// <param name="y">Top row.</param>
        /// <param name="pixels">At least width x height x bytes per pixel bytes.</param>
        /// <param name="width">Sprite columns.</param>
        /// <param name="height">Sprite rows.</param>
        /// <param name="transparentColor">0xRRGGBB of the colour not drawn.</param>
        /// <exception cref="ArgumentNullException"><paramref name="pixels"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is negative.</exception>
        /// <exception cref="ArgumentException"><paramref name="pixels"/> is too short.</exception>
        /// <exception cref="NotSupportedException">The frame is <see cref="PixelFormat.Yuyv"/>.</exception>
        /// <exception cref="InvalidOperationException">A CPU access of the buffer is open that does not cover the touched
        /// rows or does not permit the operation's direction, or a device mapping that writes it is open.</exception>
        /// <exception cref="TimeoutException">With the buffer's <see cref="DmaBuffer.ImplicitSync"/> on, a DMA job in
        /// flight on it did not finish within the implicit-sync timeout.</exception>
        /// <exception cref="OutOfMemoryException">The storage of a <see cref="DmaBufferFlags.DeferPlacement"/> buffer
        /// could not be placed.</exception>
        /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
        public void DrawSprite(int x, int y, byte[] pixels, int width, int height, int transparentColor)
        {
            if (pixels == null)
            {
                ThrowHelper.ThrowArgumentNull("pixels");
            }

            CheckSize(width, height);
            lock (_buffer.SyncRoot)
            {
                _buffer.ThrowIfReleased();
                Check(NativeDrawSprite(x, y, pixels, width, height, transparentColor));
            }
        }

        /// <summary>
        /// The colour of pixel (<paramref name="x"/>, <paramref name="y"/>) as 0xRRGGBB (RGB565 channels
        /// widened by repeating their top bits; Gray8 g as 0xgggggg; YUYV converted as by
        /// <see cref="CopyRectangleTo"/>).
        /// </summary>
        /// <param name="x">Column.</param>
        /// <param name="y">Row.</param>
        /// <returns>0xRRGGBB.</returns>
        /// <exception cref="ArgumentOutOfRangeException">The pixel lies outside the frame.</exception>
        /// <exception cref="InvalidOperationException">A CPU access of the buffer is open that does not cover the touched
        /// rows or does not permit the operation's direction, or a device mapping that writes it is open.</exception>
        /// <exception cref="TimeoutException">With the buffer's <see cref="DmaBuffer.ImplicitSync"/> on, a DMA job in
        /// flight on it did not finish within the implicit-sync timeout.</exception>
        /// <exception cref="System.IO.IOException">With the buffer's <see cref="DmaBuffer.ImplicitSync"/> on, the DMA job
        /// that wrote the pixels read failed.</exception>
        /// <exception cref="OutOfMemoryException">The storage of a <see cref="DmaBufferFlags.DeferPlacement"/> buffer
        /// could not be placed.</exception>
        /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
        public int ReadPixel(int x, int y)
        {
            lock (_buffer.SyncRoot)
            {
                _buffer.ThrowIfReleased();
                int color = NativeReadPixel(x, y);
                Check(color);
                return color;
            }
        }

        /// <summary>
        /// Copies the stored bytes of <paramref name="count"/> pixels of row <paramref name="y"/> from
        /// column <paramref name="x"/> into <paramref name="destination"/> (small data: a frame is drawn
        /// where it lies, not read out). Not clipped. Counted as a CPU copy.
        /// </summary>
        /// <param name="x">First column (YUYV: even).</param>
        /// <param name="y">Row.</param>
        /// <param name="count">Pixels (YUYV: even).</param>
        /// <param name="destination">At least count x bytes per pixel bytes, from index 0.</param>
        /// <exception cref="ArgumentNullException"><paramref name="destination"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The span lies outside the frame.</exception>
        /// <exception cref="ArgumentException"><paramref name="destination"/> is too short, or a YUYV span is not whole pairs.</exception>
        /// <exception cref="InvalidOperationException">A CPU access of the buffer is open that does not cover the touched
        /// rows or does not permit the operation's direction, or a device mapping that writes it is open.</exception>
        /// <exception cref="TimeoutException">With the buffer's <see cref="DmaBuffer.ImplicitSync"/> on, a DMA job in
        /// flight on it did not finish within the implicit-sync timeout.</exception>
        /// <exception cref="System.IO.IOException">With the buffer's <see cref="DmaBuffer.ImplicitSync"/> on, the DMA job
        /// that wrote the pixels read failed.</exception>
        /// <exception cref="OutOfMemoryException">The storage of a <see cref="DmaBufferFlags.DeferPlacement"/> buffer
        /// could not be placed.</exception>
        /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
        public void ReadRow(int x, int y, int count, byte[] destination)
        {
            if (destination == null)
            {
                ThrowHelper.ThrowArgumentNull("destination");
            }

            lock (_buffer.SyncRoot)
            {
                _buffer.ThrowIfReleased();
                Check(NativeReadRow(x, y, count, destination));
            }
        }

        private static void CheckSize(int width, int height)
        {
            if (width < 0 || height < 0)
            {
                ThrowHelper.ThrowArgumentOutOfRange(width < 0 ? "width" : "height", "must not be negative");
            }
        }

        private static void Check(int error)
        {
            if (error < 0)
            {
                ThrowHelper.Throw(error, "DmaBuffer");
            }
        }

        #region Native Calls

#if NANOFRAMEWORK_1_0
        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeCheck();

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeFill(int x, int y, int width, int height, int color);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeDarken(int x, int y, int width, int height);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeBlend(int x, int y, int width, int height, int color, int alpha);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeCopy(int x, int y, int width, int height, DmaFrame destination, int destinationX, int destinationY);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeDrawText(int x, int y, string text, int color, int scale);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeDrawSprite(int x, int y, byte[] pixels, int width, int height, int transparentColor);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeReadPixel(int x, int y);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeReadRow(int x, int y, int count, byte[] destination);
#else
        private int NativeCheck() => HostNative.FrameCheck(_heap, _descriptor);

        private int NativeFill(int x, int y, int width, int height, int color) =>
            HostNative.FrameFill(_heap, _descriptor, x, y, width, height, color);

        private int NativeDarken(int x, int y, int width, int height) =>
            HostNative.FrameDarken(_heap, _descriptor, x, y, width, height);

        private int NativeBlend(int x, int y, int width, int height, int color, int alpha) =>
            HostNative.FrameBlend(_heap, _descriptor, x, y, width, height, color, alpha);

        private int NativeCopy(int x, int y, int width, int height, DmaFrame destination, int destinationX, int destinationY) =>
            HostNative.FrameCopy(_heap, _descriptor, x, y, width, height, destination._descriptor, destinationX, destinationY);

        private int NativeDrawText(int x, int y, string text, int color, int scale) =>
            HostNative.FrameDrawText(_heap, _descriptor, x, y, text, color, scale);

        private int NativeDrawSprite(int x, int y, byte[] pixels, int width, int height, int transparentColor) =>
            HostNative.FrameDrawSprite(_heap, _descriptor, x, y, pixels, width, height, transparentColor);

        private int NativeReadPixel(int x, int y) => HostNative.FrameReadPixel(_heap, _descriptor, x, y);

        private int NativeReadRow(int x, int y, int count, byte[] destination) =>
            HostNative.FrameReadRow(_heap, _descriptor, x, y, count, destination);
#endif

        #endregion
    }
}
