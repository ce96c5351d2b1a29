using System;
using System.Runtime.CompilerServices;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// A frame peripheral of the board (<see cref="Camera"/>, <see cref="ScanoutDisplay"/>,
    /// <see cref="SpiPanel"/>): a device that moves whole frames, or rectangles of them, by DMA
    /// between <see cref="DmaBuffer"/>s and the outside world, and signals a <see cref="DmaFence"/>
    /// when each job is done.
    /// </summary>
    /// <remarks>
    /// <para>Opened from the heap by name (<see cref="DmaHeap.OpenCamera"/>, <see cref="DmaHeap.OpenDisplay"/>,
    /// <see cref="DmaHeap.OpenSpiPanel"/>) and configured there for a frame format; a configuration
    /// the device cannot serve throws <see cref="DmaConstraintException"/> naming the constraint.
    /// The frames it moves are attached to <see cref="Device"/>, its DMA master, and mapped in the
    /// direction of the data; attach refuses a frame the master cannot reach.</para>
    /// <para>Back ends: on host .NET and on a nanoCLR built with the simulated board, the
    /// simulator's peripherals, which run on virtual time: waiting on one of their fences
    /// (<see cref="DmaFence.Wait"/>, or a wait of implicit sync) runs virtual time until the fence
    /// signals. On a real board, the chip adapters its firmware registers (STM32 DCMI, LTDC, SPI);
    /// a firmware that registers none throws NotSupportedException on open.</para>
    /// <para>A job's mapping must stay mapped until the job's fence has signalled. Each fence
    /// returned is the caller's: dispose it when done. Thread-safe; dispose the peripheral when
    /// done with it (an undisposed one stays open until the process ends, and keeps its heap's
    /// native side alive).</para>
    /// </remarks>
    public abstract class DmaPeripheral : IDisposable
    {
        // ABI: the native side reads these fields; keep them first, in this order.
        private readonly int _heap;
        private int _peripheral;

        private readonly DmaHeap _owner;
        private readonly object _lock = new object();
        private readonly int _kind;
        private readonly string _name;
        private readonly DmaDevice _device;
        private readonly int _width;
        private readonly int _height;
        private readonly PixelFormat _format;
        private readonly int _frameBytes;
        private readonly int _maximumWidth;
        private readonly int _maximumHeight;

        // KEEP IN SYNC with enum dmabuf_peripheral_kind (native-interop/include/dmabuf/peripheral.h).
        internal const int KindCamera = 1;
        internal const int KindDisplay = 2;
        internal const int KindSpiPanel = 3;

        // Layout of the int[] NativeInfo fills (KEEP IN SYNC with dmabuf_peripheral_info, peripheral.h).
        private const int InfoMaximumWidth = 2;
        private const int InfoMaximumHeight = 3;
        private const int InfoFrameBytes = 7;
        private const int InfoLength = 8;

        // Layout of the long[] NativeCompletion fills: sequence, start and end in microseconds.
        private const int CompletionLength = 3;

        internal DmaPeripheral(DmaHeap heap, string name, int kind, int width, int height, PixelFormat format)
        {
            if (heap == null)
            {
                ThrowHelper.ThrowArgumentNull("heap");
            }

            if (name == null)
            {
                ThrowHelper.ThrowArgumentNull("name");
            }

            if (width < 0 || height < 0)
            {
                ThrowHelper.ThrowArgumentOutOfRange(width < 0 ? "width" : "height", "must not be negative");
            }

            _owner = heap;
            _kind = kind;
            _name = name;
            _width = width;
            _height = height;
            _format = format;

            // The peripheral is an owner of the native heap, like a buffer: the heap's native side
            // stays until it is disposed. Paired with the ReleaseOwner in Dispose (or below).
            _heap = heap.AddOwner();
            int id = NativeOpen(name, kind, width, height, (int)format);
            if (id < 0)
            {
                Exception failure = ThrowHelper.Create(id, TypeName(kind));
                heap.ReleaseOwner();
                throw failure;
            }

            _peripheral = id;
            try
            {
                int[] info = new int[InfoLength];
                Check(NativeInfo(info));
                _maximumWidth = info[InfoMaximumWidth];
                _maximumHeight = info[InfoMaximumHeight];
                _frameBytes = info[InfoFrameBytes];
                _device = heap.GetDevice(NativeDevice());
            }
            catch (Exception)
            {
                Dispose();
                throw;
            }
        }

        /// <summary>The heap (board) the peripheral belongs to.</summary>
        public DmaHeap Heap => _owner;

        /// <summary>The name it was opened by.</summary>
        public string Name => _name;

        /// <summary>The DMA master it moves frames with: attach its frames to this device.</summary>
        public DmaDevice Device => _device;

        /// <summary>The pixel format it is configured for.</summary>
        public PixelFormat Format => _format;

        /// <summary>Whether <see cref="Dispose"/> was called.</summary>
        public bool IsDisposed => _peripheral == 0;

        /// <summary>The native peripheral id (0 once disposed), for the simulator's hooks.</summary>
        internal int NativeId => _peripheral;

        /// <summary>The configured frame width in pixels (0 for an SPI panel, whose window comes with each write).</summary>
        public int Width => _width;

        /// <summary>The configured frame height in pixels (0 for an SPI panel).</summary>
        public int Height => _height;

        /// <summary>Bytes of one configured frame, rows packed (0 for an SPI panel).</summary>
        public int FrameBytes => _frameBytes;

        /// <summary>The widest frame the device serves (SPI panel: its frame memory's width).</summary>
        public int MaximumWidth => _maximumWidth;

        /// <summary>The tallest frame the device serves (SPI panel: its frame memory's height).</summary>
        public int MaximumHeight => _maximumHeight;

        /// <summary>
        /// The sequence number a finished job reported: for a <see cref="Camera"/> the sensor frame
        /// number captured, for a <see cref="ScanoutDisplay"/> the vsync it was scanned at, for an
        /// <see cref="SpiPanel"/> the number of transfers before it.
        /// </summary>
        /// <param name="job">A fence this peripheral returned, signalled.</param>
        /// <returns>The sequence number.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="job"/> is null.</exception>
        /// <exception cref="ArgumentException">Not a recent finished job of this peripheral (the
        /// peripheral remembers its last few jobs).</exception>
        /// <exception cref="NotSupportedException">The back end does not report it.</exception>
        /// <exception cref="ObjectDisposedException">The peripheral or the fence was disposed.</exception>
        public int GetSequenceNumber(DmaFence job)
        {
            return (int)Completion(job, 0);
        }

        /// <summary>When a finished job's fence was signalled, in microseconds of the back end's clock (virtual time in the simulator).</summary>
        /// <param name="job">A fence this peripheral returned, signalled.</param>
        /// <returns>The time in microseconds.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="job"/> is null.</exception>
        /// <exception cref="ArgumentException">Not a recent finished job of this peripheral.</exception>
        /// <exception cref="NotSupportedException">The back end does not report it.</exception>
        /// <exception cref="ObjectDisposedException">The peripheral or the fence was disposed.</exception>
        public long GetTimestampMicroseconds(DmaFence job)
        {
            return Completion(job, 2);
        }

        /// <summary>When a finished job's DMA started, in microseconds of the back end's clock (virtual time in the simulator).</summary>
        /// <param name="job">A fence this peripheral returned, signalled.</param>
        /// <returns>The time in microseconds.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="job"/> is null.</exception>
        /// <exception cref="ArgumentException">Not a recent finished job of this peripheral.</exception>
        /// <exception cref="NotSupportedException">The back end does not report it.</exception>
        /// <exception cref="ObjectDisposedException">The peripheral or the fence was disposed.</exception>
        public long GetStartMicroseconds(DmaFence job)
        {
            return Completion(job, 1);
        }

        /// <summary>
        /// Closes the peripheral: jobs already started still finish (and signal their fences).
        /// Idempotent and thread-safe; never throws.
        /// </summary>
        public void Dispose()
        {
            if (_peripheral == 0)
            {
                return;
            }

            ReleaseJobs();
            lock (_lock)
            {
                if (_peripheral == 0)
                {
                    return;
                }

                NativeClose();
                _peripheral = 0;
            }

            _owner.ReleaseOwner();
        }

        /// <summary>What a subclass holds of its jobs goes, before the peripheral closes. Never throws.</summary>
        internal virtual void ReleaseJobs()
        {
        }

        /// <summary>Starts a job on the mapping and wraps its fence.</summary>
        /// <param name="job">Which native job: <see cref="KindCamera"/> capture, <see cref="KindDisplay"/>
        /// present, <see cref="KindSpiPanel"/> rectangle write.</param>
        /// <param name="mapping">The frame's mapping.</param>
        /// <param name="offset">Rectangle write: byte offset of the first pixel.</param>
        /// <param name="stride">Rectangle write: bytes from row to row.</param>
        /// <param name="window">Rectangle write: x, y, width, height.</param>
        internal DmaFence StartJob(int job, DmaMapping mapping, int offset, int stride, int[] window)
        {
            if (mapping == null)
            {
                ThrowHelper.ThrowArgumentNull("mapping");
            }

            // The direction the device needs, checked here as well as by the native job: it is the
            // caller's argument, and a member that maps the frame itself can never get it wrong.
            bool deviceWrites = job == KindCamera;
            if (mapping.Direction != DmaDirection.Bidirectional
                && mapping.Direction != (deviceWrites ? DmaDirection.FromDevice : DmaDirection.ToDevice))
            {
                ThrowHelper.ThrowArgument(deviceWrites ? "the mapping does not let the camera write"
                    : "the mapping does not let the device read", "frame");
            }

            int[] values = new int[DmaMapping.NativeLength];
            values[DmaMapping.NativeDmaAddress] = unchecked((int)mapping.DmaAddress);
            values[DmaMapping.NativeLengthIndex] = mapping.Length;
            values[DmaMapping.NativeSegmentBytes] = mapping.SegmentSize;
            values[DmaMapping.NativeSegmentCount] = mapping.SegmentCount;
            values[DmaMapping.NativeDirection] = (int)mapping.Direction;

            int fence;
            lock (_lock)
            {
                ThrowIfDisposed();

                // The fence will own a use of the heap: taken before the job so that a failure
                // gives it back and a success cannot find the heap closed. Paired with DmaFence's release.
                _owner.AddOwner();
                fence = job == KindCamera ? NativeCapture(values)
                    : job == KindDisplay ? NativePresent(values)
                    : NativeWriteRectangle(values, offset, stride, window);
            }

            return FenceOf(fence, job);
        }

        /// <summary>Sends an SPI panel's controller command and wraps its fence.</summary>
        /// <param name="command">The command byte.</param>
        /// <param name="parameters">Its parameter bytes, or null for none.</param>
        internal DmaFence StartCommand(int command, byte[] parameters)
        {
            int fence;
            lock (_lock)
            {
                ThrowIfDisposed();

                // As in StartJob: the fence's use of the heap, taken first. Paired with DmaFence's release.
                _owner.AddOwner();
                fence = NativeCommand(command, parameters);
            }

            return FenceOf(fence, KindSpiPanel);
        }

        /// <summary>The fence a job returned (the heap use taken for it), or the job's error thrown (the use given back).</summary>
        private DmaFence FenceOf(int fence, int job)
        {
            if (fence < 0)
            {
                Exception failure = ThrowHelper.Create(fence, TypeName(job));
                _owner.ReleaseOwner();
                throw failure;
            }

            return new DmaFence(_owner, _heap, fence);
        }

        internal void ThrowIfDisposed()
        {
            if (_peripheral == 0)
            {
                ThrowHelper.ThrowDisposed(TypeName(_kind));
            }
        }

        private long Completion(DmaFence job, int index)
        {
            if (job == null)
            {
                ThrowHelper.ThrowArgumentNull("job");
            }

            long[] values = new long[CompletionLength];
            int error;
            lock (_lock)
            {
                ThrowIfDisposed();
                error = NativeCompletion(job.Handle, values);
            }

            if (error == DmaError.NoEntry)
            {
                ThrowHelper.ThrowArgument("not a recent finished job of this peripheral", "job");
            }

            Check(error);
            return values[index];
        }

        private void Check(int error)
        {
            if (error < 0)
            {
                ThrowHelper.Throw(error, TypeName(_kind));
            }
        }

        private static string TypeName(int kind)
        {
            return kind == KindCamera ? "Camera" : kind == KindDisplay ? "ScanoutDisplay" : "SpiPanel";
        }

        #region Native Calls

#if NANOFRAMEWORK_1_0
        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeOpen(string name, int kind, int width, int height, int format);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeClose();

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeInfo(int[] values);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern string NativeDevice();

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeCapture(int[] mapping);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativePresent(int[] mapping);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeWriteRectangle(int[] mapping, int offset, int stride, int[] window);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeCompletion(int fence, long[] values);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private extern int NativeCommand(int command, byte[] parameters);
#else
        private int NativeOpen(string name, int kind, int width, int height, int format) =>
            HostNative.PeripheralOpen(_heap, name, kind, width, height, format);

        private int NativeClose() => HostNative.PeripheralClose(_heap, _peripheral);

        private int NativeInfo(int[] values) => HostNative.PeripheralInfo(_heap, _peripheral, values);

        private string NativeDevice() => HostNative.PeripheralDevice(_heap, _peripheral);

        private int NativeCapture(int[] mapping) => HostNative.PeripheralCapture(_heap, _peripheral, mapping);

        private int NativePresent(int[] mapping) => HostNative.PeripheralPresent(_heap, _peripheral, mapping);

        private int NativeWriteRectangle(int[] mapping, int offset, int stride, int[] window) =>
            HostNative.PeripheralWriteRect(_heap, _peripheral, mapping, offset, stride, window);

        private int NativeCompletion(int fence, long[] values) => HostNative.PeripheralCompletion(_heap, _peripheral, fence, values);

        private int NativeCommand(int command, byte[] parameters) => HostNative.PeripheralCommand(_heap, _peripheral, command, parameters);
#endif

        #endregion
    }
}
