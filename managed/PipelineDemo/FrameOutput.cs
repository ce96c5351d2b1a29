using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using nanoFramework.DmaBuf.Simulation;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// What happens to a frame once both panels showed it: it is compared with the pictures
    /// computed independently of the pipeline (<see cref="ExpectedPictures"/>) and written as PNG.
    /// This is the demo's bookkeeping, not the pipeline's work, and none of it runs while the
    /// pipeline does: the frames' pictures are kept until a batch is full (<see cref="BatchBytes"/>)
    /// or the run ends, then checked and written on every core while the pipeline waits. Virtual
    /// time stands still meanwhile, so the simulation does not notice. Done by worker threads
    /// alongside the pipeline, the PNG encoding on the host's other core made zero-copy's measured
    /// CPU time per frame three to five times higher; done on the pipeline's own thread between
    /// frames, the checking left the host caches cold for the DmaBuf calls after it (docs/DEMO.md
    /// has the figures). Only reading the panels is done at once, since the next scanout
    /// overwrites them, into arrays allocated with the output, before the first frame, and
    /// reused from batch to batch: allocated per frame, they made the runtime collect its large
    /// object heap three times during a 150-frame --compare run, and the baseline's copies came
    /// out about 15 % slower (docs/DEMO.md).
    /// </summary>
    internal sealed class FrameOutput
    {
        /// <summary>Panel pictures kept for one batch: the 150 frames of a 320x240 benchmark run, or
        /// the 60 of an 800x480 one, fit in one, so their figures never share the host with this work.</summary>
        public const long BatchBytes = 64L << 20;

        private readonly List<ShownFrame> _batch = new List<ShownFrame>();
        private readonly HashSet<ShownFrame> _kept = new HashSet<ShownFrame>();
        private readonly Stack<ShownFrame> _free = new Stack<ShownFrame>();
        private readonly FrameLayout _layout;
        private readonly long _seed;
        private readonly PixelRect _glass; // the glass within the SPI panel's GRAM
        private readonly string _pngDirectory;
        private readonly int _batchFrames;
        private int _asExpected;

        /// <param name="layout">The frame and where the overlay and the SPI crop are.</param>
        /// <param name="seed">The camera's seed.</param>
        /// <param name="glass">The SPI panel's glass: its position in GRAM and its size.</param>
        /// <param name="pngDirectory">Where the PNGs go, or null for none.</param>
        /// <param name="batchFrames">Frames per batch; 0 for as many as <see cref="BatchBytes"/> holds.</param>
        /// <param name="frames">Frames the run will show: arrays for a batch of them are allocated now.</param>
        public FrameOutput(FrameLayout layout, long seed, PixelRect glass, string pngDirectory, int batchFrames, int frames)
        {
            _layout = layout;
            _seed = seed;
            _glass = glass;
            _pngDirectory = pngDirectory;
            _batchFrames = batchFrames > 0 ? batchFrames : (int)Math.Max(1, BatchBytes / (layout.FrameBytes + GlassBytes));
            for (int i = Math.Min(frames, _batchFrames); i > 0; i--)
            {
                _free.Push(NewFrame());
            }
        }

        /// <summary>Frames checked so far that were as expected.</summary>
        public int FramesAsExpected => _asExpected;

        private int GlassBytes => _glass.Width * _glass.Height * FrameLayout.BytesPerPixel;

        private ShownFrame NewFrame() => new ShownFrame { Display = new byte[_layout.FrameBytes], Glass = new byte[GlassBytes] };

        /// <summary>
        /// The frame shown as <paramref name="index"/>: <paramref name="readPanels"/> fills its
        /// pictures, and it joins the batch; a full batch is checked and written first.
        /// </summary>
        /// <param name="keep">The caller keeps the frame: its pictures get arrays of their own
        /// instead of recycled ones.</param>
        /// <returns>The frame; unless <paramref name="keep"/>, valid only until the next call.</returns>
        public ShownFrame Add(int index, int cameraFrame, bool keep, Action<ShownFrame> readPanels)
        {
            if (_batch.Count == _batchFrames)
            {
                Flush();
            }

            ShownFrame frame = keep || _free.Count == 0 ? NewFrame() : _free.Pop();
            frame.Index = index;
            frame.CameraFrame = cameraFrame;
            readPanels(frame);
            _batch.Add(frame);
            if (keep)
            {
                _kept.Add(frame);
            }

            return frame;
        }

        /// <summary>Checks and writes the frames of the batch; rethrows the first failure (a PNG that
        /// could not be written).</summary>
        public void Flush()
        {
            if (_batch.Count == 0)
            {
                return;
            }

            try
            {
                Parallel.For(0, _batch.Count, () => new Expected(_layout.FrameBytes, GlassBytes),
                    (i, _, expected) => Check(_batch[i], expected), _ => { });
            }
            catch (AggregateException e)
            {
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
            finally
            {
                // A kept frame's arrays are the caller's: only the recycled ones return.
                foreach (ShownFrame frame in _batch)
                {
                    if (!_kept.Contains(frame))
                    {
                        _free.Push(frame);
                    }
                }

                _batch.Clear();
                _kept.Clear();
            }
        }

        /// <summary>The expected pictures of camera frame <paramref name="cameraFrame"/>: the camera's
        /// pattern with the overlay, on the display and cropped on the glass.</summary>
        private void ExpectedPictures(int cameraFrame, byte[] display, byte[] glass)
        {
            SimulatedCamera.RenderFrame(_layout.Width, _layout.Height, _seed, cameraFrame, display);
            ExpectedOverlay.Draw(display, _layout, cameraFrame);
            Array.Clear(glass);
            PixelRect crop = _layout.Crop, window = _layout.GlassWindow;
            int glassStride = _glass.Width * FrameLayout.BytesPerPixel;
            for (int row = 0; row < crop.Height; row++)
            {
                display.AsSpan(_layout.ByteOffset(crop.X, crop.Y + row), crop.Width * FrameLayout.BytesPerPixel)
                    .CopyTo(glass.AsSpan((window.Y - _glass.Y + row) * glassStride + (window.X - _glass.X) * FrameLayout.BytesPerPixel));
            }
        }

        private Expected Check(ShownFrame frame, Expected expected)
        {
            ExpectedPictures(frame.CameraFrame, expected.Display, expected.Glass);
            if (frame.Display.AsSpan().SequenceEqual(expected.Display) && frame.Glass.AsSpan().SequenceEqual(expected.Glass))
            {
                Interlocked.Increment(ref _asExpected);
            }

            if (_pngDirectory != null)
            {
                string number = frame.Index.ToString("D4", CultureInfo.InvariantCulture);
                PngWriter.Write(Path.Combine(_pngDirectory, "display-" + number + ".png"), _layout.Width, _layout.Height, frame.Display);
                PngWriter.Write(Path.Combine(_pngDirectory, "spi-" + number + ".png"), _glass.Width, _glass.Height, frame.Glass);
            }

            return expected;
        }

        /// <summary>One worker's arrays for the expected pictures.</summary>
        private sealed class Expected
        {
            public Expected(int frameBytes, int glassBytes)
            {
                Display = new byte[frameBytes];
                Glass = new byte[glassBytes];
            }

            public byte[] Display { get; }

            public byte[] Glass { get; }
        }
    }
}
