using System;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// A scan-out display controller (an STM32 LTDC on a board, the simulator's display on the
    /// host): <see cref="Present"/> flips to a new frame at the next vsync.
    /// </summary>
    /// <remarks>
    /// <para>The fence <see cref="Present"/> returns signals when scan-out no longer reads the frame
    /// the new one replaces: that buffer may then be reused (drawn into, given back to a queue). On
    /// a display that keeps the picture in its own panel memory (DSI command mode, the simulator's
    /// display) the new frame is read once at the flip, so when the fence signals the new frame's
    /// buffer is free as well; a display that keeps scanning its frame (LTDC video mode) reads the
    /// new frame until the next flip.</para>
    /// <para>One frame waits for vsync at a time. Opened by <see cref="DmaHeap.OpenDisplay"/>. Thread-safe.</para>
    /// </remarks>
    public sealed class ScanoutDisplay : DmaPeripheral
    {
        internal ScanoutDisplay(DmaHeap heap, string name, int width, int height, PixelFormat format)
            : base(heap, name, KindDisplay, width, height, format)
        {
        }

        /// <summary>Shows the frame at the start of <paramref name="frame"/> from the next vsync on (a page flip).</summary>
        /// <param name="frame">A ToDevice or Bidirectional mapping of the frame on <see cref="DmaPeripheral.Device"/>,
        /// at least <see cref="DmaPeripheral.FrameBytes"/> long; keep it mapped as long as the display reads it (see remarks).</param>
        /// <returns>The release fence of the frame replaced (see remarks); the caller's to dispose.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="frame"/> is null.</exception>
        /// <exception cref="ArgumentException">The mapping does not let the display read.</exception>
        /// <exception cref="DmaConstraintException">The display's panel is larger than the frame.</exception>
        /// <exception cref="InvalidOperationException">A frame already waits for vsync.</exception>
        /// <exception cref="OutOfMemoryException">No fence is left in the heap's pool.</exception>
        /// <exception cref="ObjectDisposedException">The display or the mapping was disposed.</exception>
        public DmaFence Present(DmaMapping frame)
        {
            return StartJob(KindDisplay, frame, 0, 0, null);
        }
    }
}
