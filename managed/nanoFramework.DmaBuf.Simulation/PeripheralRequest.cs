using System;

namespace nanoFramework.DmaBuf.Simulation
{
    /// <summary>
    /// A job given to a simulated peripheral (a capture, a presentation, an SPI transfer): its
    /// completion fence, signalled when the peripheral's DMA has finished with the buffer, and
    /// the virtual times it ran at.
    /// </summary>
    /// <remarks>
    /// The buffer's mapping must stay mapped until <see cref="IsComplete"/>. Dispose the request
    /// once done with it: it holds a fence of the heap's pool, which is small. Not thread-safe,
    /// like the simulator.
    /// </remarks>
    public sealed class PeripheralRequest : IDisposable
    {
        private readonly SimulatedSoc _soc;
        private readonly long[] _values = new long[SimulationNative.RequestValues];
        private int _fence;

        internal PeripheralRequest(SimulatedSoc soc, int fence)
        {
            _soc = soc;
            _fence = fence;
        }

        /// <summary>The heap fence handle signalled at completion (usable with the heap's fence calls).</summary>
        /// <exception cref="ObjectDisposedException">The request was disposed.</exception>
        public int Fence
        {
            get
            {
                ThrowIfDisposed();
                return _fence;
            }
        }

        /// <summary>Whether the peripheral has finished (successfully or not).</summary>
        /// <exception cref="ObjectDisposedException">The request was disposed.</exception>
        public bool IsComplete => Read(3) != 0;

        /// <summary>Whether the peripheral could not run the job (its fence was signalled with an error).</summary>
        /// <exception cref="ObjectDisposedException">The request was disposed.</exception>
        public bool IsFailed => Read(3) < 0;

        /// <summary>
        /// Camera: the sensor frame number captured. Display: the vsync number it was scanned at.
        /// SPI panel: the number of transfers accepted before this one.
        /// </summary>
        /// <exception cref="ObjectDisposedException">The request was disposed.</exception>
        public int Sequence => (int)Read(0);

        /// <summary>Virtual time (ns) at which the DMA started; 0 until then.</summary>
        /// <exception cref="ObjectDisposedException">The request was disposed.</exception>
        public long StartNanoseconds => Read(1);

        /// <summary>Virtual time (ns) at which the fence was signalled; 0 until then.</summary>
        /// <exception cref="ObjectDisposedException">The request was disposed.</exception>
        public long EndNanoseconds => Read(2);

        /// <summary>Whether <see cref="Dispose"/> was called.</summary>
        public bool IsDisposed => _fence == 0;

        /// <summary>Releases the request's fence. Idempotent; the peripheral finishes a pending job regardless.</summary>
        public void Dispose()
        {
            if (_fence != 0 && !_soc.IsDisposed)
            {
                SimulationNative.Release(_soc.PeripheralsId, _fence);
            }

            _fence = 0;
        }

        private long Read(int index)
        {
            ThrowIfDisposed();
            SimulationErrors.Check(SimulationNative.Request(_soc.PeripheralsId, _fence, _values), "PeripheralRequest");
            return _values[index];
        }

        private void ThrowIfDisposed()
        {
            if (_fence == 0)
            {
                throw new ObjectDisposedException("PeripheralRequest");
            }
        }
    }
}
