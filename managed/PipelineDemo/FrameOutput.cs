using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using nanoFramework.DmaBuf.Simulation;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// What happens to a frame once both panels showed it: it is compared with the pictures
    /// computed independently of the pipeline (<see cref="ExpectedPictures"/>) and written as PNG.
    /// This is the demo's bookkeeping, not the pipeline's work, and it runs on worker threads a few
    /// frames behind the pipeline: rendering and comparing walk about half a megabyte per frame at
    /// 320x240 (PNG encoding more), which on the pipeline's own thread left the host caches cold
    /// for the measured DmaBuf calls after it (docs/DEMO.md has the figures). Only reading the
    /// panels stays on the pipeline's thread, since the next scanout overwrites them. The frames'
    /// arrays are recycled: allocated per frame, they made the runtime collect its large object
    /// heap every few frames (25 full collections in a 150-frame --compare run; 1 now), each one
    /// leaving the host caches cold for the measured work after it.
    /// </summary>
    internal sealed class FrameOutput
    {
        // Frames in flight at most: bounds the memory held when the workers fall behind (PNGs).
        private const int MaxPending = 4;

        private readonly Queue<Slot> _pending = new Queue<Slot>();
        private readonly Stack<Slot> _free = new Stack<Slot>();
        private readonly FrameLayout _layout;
        private readonly long _seed;
        private readonly PixelRect _glass; // the glass within the SPI panel's GRAM
        private readonly string _pngDirectory;
        private int _asExpected;
        private int _checked;

        /// <param name="layout">The frame and where the overlay and the SPI crop are.</param>
        /// <param name="seed">The camera's seed.</param>
        /// <param name="glass">The SPI panel's glass: its position in GRAM and its size.</param>
        /// <param name="pngDirectory">Where the PNGs go, or null for none.</param>
        public FrameOutput(FrameLayout layout, long seed, PixelRect glass, string pngDirectory)
        {
            _layout = layout;
            _seed = seed;
            _glass = glass;
            _pngDirectory = pngDirectory;
        }

        /// <summary>Frames checked so far that were as expected.</summary>
        public int FramesAsExpected => Volatile.Read(ref _asExpected);

        /// <summary>Frames checked so far.</summary>
        public int FramesChecked => Volatile.Read(ref _checked);

        /// <summary>
        /// The frame shown as <paramref name="index"/>: <paramref name="readPanels"/> fills its
        /// pictures, then it is checked (and its PNGs written) on a worker thread. Waits first for
        /// the oldest frame if <see cref="MaxPending"/> are in flight.
        /// </summary>
        /// <param name="keep">The caller keeps the frame: its pictures get arrays of their own
        /// instead of recycled ones.</param>
        /// <returns>The frame; unless <paramref name="keep"/>, valid only until the next call.</returns>
        public ShownFrame Add(int index, int cameraFrame, bool keep, Action<ShownFrame> readPanels)
        {
            Slot slot = FreeSlot();
            slot.Frame = new ShownFrame
            {
                Index = index,
                CameraFrame = cameraFrame,
                Display = keep ? new byte[slot.Display.Length] : slot.Display,
                Glass = keep ? new byte[slot.Glass.Length] : slot.Glass,
            };
            readPanels(slot.Frame);
            slot.Check = Task.Run(() => Check(slot));
            _pending.Enqueue(slot);
            return slot.Frame;
        }

        /// <summary>Waits for every frame added; rethrows the first failure (a PNG that could not be written).</summary>
        public void Finish()
        {
            while (_pending.Count > 0)
            {
                Slot slot = _pending.Dequeue();
                Complete(slot);
                _free.Push(slot);
            }
        }

        private Slot FreeSlot()
        {
            if (_free.Count > 0)
            {
                return _free.Pop();
            }

            if (_pending.Count < MaxPending)
            {
                int frameBytes = _layout.FrameBytes, glassBytes = _glass.Width * _glass.Height * FrameLayout.BytesPerPixel;
                return new Slot(frameBytes, glassBytes);
            }

            Slot oldest = _pending.Dequeue();
            Complete(oldest);
            return oldest;
        }

        // GetResult rethrows the task's own exception, not an AggregateException around it.
        private void Complete(Slot slot)
        {
            slot.Check.GetAwaiter().GetResult();
            slot.Check = null;
            slot.Frame = null;
        }

        /// <summary>The expected pictures of camera frame <paramref name="cameraFrame"/>: the camera's
        /// pattern with the overlay, on the display and cropped on the glass.</summary>
        private void ExpectedPictures(int cameraFrame, byte[] display, byte[] glass)
        {
            SimulatedCamera.RenderFrame(_layout.Width, _layout.Height, _seed, cameraFrame, display);
            Overlay.DrawPlate(display, 0, _layout, cameraFrame);
            Overlay.DrawBox(display, 0, _layout, cameraFrame);
            Array.Clear(glass);
            PixelRect crop = _layout.Crop, window = _layout.GlassWindow;
            int glassStride = _glass.Width * FrameLayout.BytesPerPixel;
            for (int row = 0; row < crop.Height; row++)
            {
                display.AsSpan(_layout.ByteOffset(crop.X, crop.Y + row), crop.Width * FrameLayout.BytesPerPixel)
                    .CopyTo(glass.AsSpan((window.Y - _glass.Y + row) * glassStride + (window.X - _glass.X) * FrameLayout.BytesPerPixel));
            }
        }

        private void Check(Slot slot)
        {
            ShownFrame frame = slot.Frame;
            ExpectedPictures(frame.CameraFrame, slot.ExpectedDisplay, slot.ExpectedGlass);
            if (frame.Display.AsSpan().SequenceEqual(slot.ExpectedDisplay) && frame.Glass.AsSpan().SequenceEqual(slot.ExpectedGlass))
            {
                Interlocked.Increment(ref _asExpected);
            }

            Interlocked.Increment(ref _checked);
            if (_pngDirectory != null)
            {
                string number = frame.Index.ToString("D4", CultureInfo.InvariantCulture);
                PngWriter.Write(Path.Combine(_pngDirectory, "display-" + number + ".png"), _layout.Width, _layout.Height, frame.Display);
                PngWriter.Write(Path.Combine(_pngDirectory, "spi-" + number + ".png"), _glass.Width, _glass.Height, frame.Glass);
            }
        }

        /// <summary>The arrays of one frame in flight: its pictures and the expected ones.</summary>
        private sealed class Slot
        {
            public Slot(int frameBytes, int glassBytes)
            {
                Display = new byte[frameBytes];
                Glass = new byte[glassBytes];
                ExpectedDisplay = new byte[frameBytes];
                ExpectedGlass = new byte[glassBytes];
            }

            public byte[] Display { get; }

            public byte[] Glass { get; }

            public byte[] ExpectedDisplay { get; }

            public byte[] ExpectedGlass { get; }

            public ShownFrame Frame { get; set; }

            public Task Check { get; set; }
        }
    }
}
