using System;
using nanoFramework.DmaBuf.Simulation;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// The demo's trace: CPU steps, buffer ownership (which device or the CPU holds each buffer),
    /// DMA jobs, fence signals and waits, and cache line operations, as Chrome trace events.
    /// </summary>
    /// <remarks>
    /// Times are virtual time, except that CPU work takes no virtual time in the simulator: each CPU
    /// step is drawn with its measured CPU duration, laid end to end from the virtual time at which
    /// it ran, so the CPU row shows how long the work took next to the DMA it overlaps.
    /// </remarks>
    internal sealed class DemoTrace : IDisposable
    {
        public const int CpuTrack = 1;
        public const int CameraTrack = 2;
        public const int DisplayTrack = 3;
        public const int SpiTrack = 4;
        public const int WaitTrack = 5;
        public const int CacheTrack = 6;
        public const int FirstBufferTrack = 10;

        private readonly TraceWriter _writer;
        private readonly DmaHeap _heap;
        private double _cursor;
        private DmaCacheStatistics _before;
        private long _cleaned, _invalidated;
        private readonly double[] _ownedSince = new double[64];
        private readonly string[] _ownedBy = new string[64];

        public DemoTrace(string path, DmaHeap heap, string pipeline)
        {
            _writer = new TraceWriter(path, "DmaBuf pipeline demo: " + pipeline);
            _heap = heap;
            _writer.NameTrack(CpuTrack, "CPU (measured durations)");
            _writer.NameTrack(CameraTrack, "camera DMA");
            _writer.NameTrack(DisplayTrack, "display DMA");
            _writer.NameTrack(SpiTrack, "SPI DMA");
            _writer.NameTrack(WaitTrack, "fence waits");
            _writer.NameTrack(CacheTrack, "cache operations");
        }

        public void NameBuffer(int track, string name) => _writer.NameTrack(track, "buffer " + name);

        /// <summary>Before a measured step: the cache counters to compare with afterwards.</summary>
        public void BeforeStep() => _before = _heap.GetCacheStatistics();

        /// <summary>
        /// After a measured step: its span on the CPU row (its own CPU time, the simulator's cache
        /// modelling excluded and given as an argument), and the cache lines it cost.
        /// </summary>
        public void Step(string label, long cpuNanoseconds, long cacheModelNanoseconds, long virtualNanoseconds)
        {
            double start = Math.Max(_cursor, virtualNanoseconds / 1000.0);
            double duration = cpuNanoseconds / 1000.0;
            _cursor = start + duration;
            DmaCacheStatistics after = _heap.GetCacheStatistics();
            long cleaned = after.LinesCleaned - _before.LinesCleaned;
            long invalidated = after.LinesInvalidated - _before.LinesInvalidated;
            long whole = after.WholeCacheOperations - _before.WholeCacheOperations;
            _writer.Span(CpuTrack, label, "cpu", start, duration,
                TraceArgument.Of("cache model excluded (ns)", cacheModelNanoseconds), TraceArgument.Of("lines cleaned", cleaned), TraceArgument.Of("lines invalidated", invalidated),
                TraceArgument.Of("whole-cache operations", whole));
            if (cleaned + invalidated + whole == 0)
            {
                return;
            }

            string what = (cleaned > 0 ? "clean " + cleaned + " lines " : string.Empty)
                + (invalidated > 0 ? "invalidate " + invalidated + " lines " : string.Empty)
                + (whole > 0 ? whole + " whole-cache op(s)" : string.Empty);
            _writer.Span(CacheTrack, what.Trim(), "cache", start, duration,
                TraceArgument.Of("during", label), TraceArgument.Of("lines cleaned", cleaned),
                TraceArgument.Of("lines invalidated", invalidated), TraceArgument.Of("whole-cache operations", whole));
            _cleaned += cleaned;
            _invalidated += invalidated;
            _writer.Counter("cache lines (total)", start + duration, "cleaned", _cleaned);
            _writer.Counter("cache lines (total)", start + duration, "invalidated", _invalidated);
        }

        /// <summary>A buffer passes to <paramref name="owner"/> (a device's mapping, or the CPU) now.</summary>
        public void Owned(int track, string owner, long virtualNanoseconds)
        {
            _ownedSince[track] = owner == "CPU" ? Math.Max(_cursor, virtualNanoseconds / 1000.0) : virtualNanoseconds / 1000.0;
            _ownedBy[track] = owner;
        }

        /// <summary>The buffer's current owner lets go of it now.</summary>
        public void Released(int track, long virtualNanoseconds)
        {
            double end = _ownedBy[track] == "CPU" ? _cursor : virtualNanoseconds / 1000.0;
            _writer.Span(track, _ownedBy[track], "ownership", _ownedSince[track], end - _ownedSince[track]);
        }

        /// <summary>A finished DMA job on its device row, and its fence's signal.</summary>
        public void Dma(int track, string name, DmaPeripheral peripheral, DmaFence job)
        {
            double start = peripheral.GetStartMicroseconds(job);
            double end = peripheral.GetTimestampMicroseconds(job);
            _writer.Span(track, name, "dma", start, end - start, TraceArgument.Of("fence", job.Handle));
            _writer.Instant(track, "fence signalled", "fence", end, TraceArgument.Of("fence", job.Handle));
        }

        /// <summary>The CPU waited from <paramref name="from"/> to <paramref name="to"/> (virtual ns) for a fence.</summary>
        public void Wait(long from, long to)
        {
            _writer.Span(WaitTrack, "wait for fence", "fence", from / 1000.0, (to - from) / 1000.0);
        }

        public void Dispose() => _writer.Dispose();
    }
}
