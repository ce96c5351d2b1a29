using System;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using nanoFramework.DmaBuf;

namespace DmaBuf.Benchmarks
{
    /// <summary>
    /// Each operation twice, in one category: through the C# API (managed) and as the bare native
    /// calls (the baseline, <see cref="NativeBaseline"/>), on the same simulated board and the same
    /// native library. BenchmarkDotNet's Ratio column is managed / native per category.
    /// KEEP IN SYNC with the host/* benchmarks of tests/bench/native/bench_time.cpp (board, sizes).
    /// </summary>
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    [CategoriesColumn]
    [MemoryDiagnoser]
    public unsafe class ApiBenchmarks
    {
        private const string Board = "stm32f769i-disco";
        private const string DeviceName = "dma2";
        private const int BufferBytes = 4096;
        private const int RangeBytes = 64;
        private const int ToDevice = 1;
        private const int QueueLatest = 2;

        private DmaHeap _heap;
        private DmaDevice _device;
        private DmaBuffer _attachBuffer;
        private DmaBuffer _mapBuffer;
        private DmaAttachment _mapAttachment;
        private DmaBuffer _cpuBuffer;
        private DmaBuffer[] _queueBuffers;
        private FrameQueue _queue;

        private int _nativeHeap;
        private int _nativeDevice;
        private int _nativeAttachBuffer;
        private int _nativeMapBuffer;
        private int _nativeMapAttachment;
        private int _nativeCpuBuffer;
        private int[] _nativeQueueBuffers;
        private int _nativeQueue;
        private byte* _name;
        private int* _mapping;

        [GlobalSetup]
        public void Setup()
        {
            _heap = DmaHeap.Open(Board);
            _device = _heap.GetDevice(DeviceName);
            _attachBuffer = _heap.Export(BufferBytes, "attach");
            _mapBuffer = _heap.Export(BufferBytes, "map");
            _mapAttachment = _mapBuffer.Attach(_device);
            _cpuBuffer = _heap.Export(BufferBytes, "cpu");
            _queueBuffers = new DmaBuffer[3];
            for (int i = 0; i < _queueBuffers.Length; i++)
            {
                _queueBuffers[i] = _heap.Export(BufferBytes, "frame");
            }

            _queue = new FrameQueue(_heap, _queueBuffers, FrameQueueMode.Latest);

            _name = (byte*)NativeMemory.AllocZeroed(32);
            Encoding.UTF8.GetBytes("bench", new Span<byte>(_name, 31));
            _mapping = (int*)NativeMemory.AllocZeroed(5 * sizeof(int));
            byte* text = (byte*)NativeMemory.AllocZeroed(64);
            try
            {
                int heap;
                Encoding.UTF8.GetBytes(Board, new Span<byte>(text, 63));
                NativeBaseline.Check(NativeBaseline.dmabuf_host_heap_open(text, &heap));
                _nativeHeap = heap;
                new Span<byte>(text, 64).Clear();
                Encoding.UTF8.GetBytes(DeviceName, new Span<byte>(text, 63));
                _nativeDevice = NativeBaseline.Check(NativeBaseline.dmabuf_host_device_find(_nativeHeap, text));
            }
            finally
            {
                NativeMemory.Free(text);
            }

            _nativeAttachBuffer = NativeExport();
            _nativeMapBuffer = NativeExport();
            _nativeMapAttachment = NativeBaseline.Check(
                NativeBaseline.dmabuf_host_attach(_nativeHeap, _nativeMapBuffer, _nativeDevice));
            _nativeCpuBuffer = NativeExport();
            _nativeQueueBuffers = new int[] { NativeExport(), NativeExport(), NativeExport() };
            fixed (int* buffers = _nativeQueueBuffers)
            {
                _nativeQueue = NativeBaseline.Check(
                    NativeBaseline.dmabuf_host_queue_create(_nativeHeap, QueueLatest, buffers, 3));
            }
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _queue.Dispose();
            foreach (DmaBuffer buffer in _queueBuffers)
            {
                buffer.Dispose();
            }

            _mapAttachment.Dispose();
            _mapBuffer.Dispose();
            _attachBuffer.Dispose();
            _cpuBuffer.Dispose();
            _heap.Dispose();

            NativeBaseline.Check(NativeBaseline.dmabuf_host_queue_destroy(_nativeHeap, _nativeQueue));
            foreach (int buffer in _nativeQueueBuffers)
            {
                NativeBaseline.Check(NativeBaseline.dmabuf_host_put(_nativeHeap, buffer));
            }

            NativeBaseline.Check(NativeBaseline.dmabuf_host_detach(_nativeHeap, _nativeMapAttachment));
            NativeBaseline.Check(NativeBaseline.dmabuf_host_put(_nativeHeap, _nativeMapBuffer));
            NativeBaseline.Check(NativeBaseline.dmabuf_host_put(_nativeHeap, _nativeAttachBuffer));
            NativeBaseline.Check(NativeBaseline.dmabuf_host_put(_nativeHeap, _nativeCpuBuffer));
            NativeBaseline.Check(NativeBaseline.dmabuf_host_heap_close(_nativeHeap));
            NativeMemory.Free(_name);
            NativeMemory.Free(_mapping);
        }

        private int NativeExport()
        {
            return NativeBaseline.Check(NativeBaseline.dmabuf_host_export(_nativeHeap, BufferBytes, _name, 0));
        }

        // ---- alloc/free: export + put ------------------------------------------------

        [Benchmark(Baseline = true), BenchmarkCategory("alloc-free")]
        public void NativeExportPut()
        {
            NativeBaseline.Check(NativeBaseline.dmabuf_host_put(_nativeHeap, NativeExport()));
        }

        [Benchmark, BenchmarkCategory("alloc-free")]
        public void ManagedExportDispose()
        {
            _heap.Export(BufferBytes, "bench").Dispose();
        }

        // ---- attach + detach ---------------------------------------------------------

        [Benchmark(Baseline = true), BenchmarkCategory("attach-detach")]
        public void NativeAttachDetach()
        {
            int attachment = NativeBaseline.Check(
                NativeBaseline.dmabuf_host_attach(_nativeHeap, _nativeAttachBuffer, _nativeDevice));
            NativeBaseline.Check(NativeBaseline.dmabuf_host_detach(_nativeHeap, attachment));
        }

        [Benchmark, BenchmarkCategory("attach-detach")]
        public void ManagedAttachDispose()
        {
            _attachBuffer.Attach(_device).Dispose();
        }

        // ---- memoised map + unmap ------------------------------------------------------

        [Benchmark(Baseline = true), BenchmarkCategory("map-unmap")]
        public void NativeMapUnmap()
        {
            NativeBaseline.Check(NativeBaseline.dmabuf_host_map(_nativeHeap, _nativeMapAttachment, ToDevice, _mapping, 5));
            NativeBaseline.Check(NativeBaseline.dmabuf_host_unmap(_nativeHeap, _nativeMapAttachment, ToDevice, _mapping, 5));
        }

        [Benchmark, BenchmarkCategory("map-unmap")]
        public void ManagedMapDispose()
        {
            _mapAttachment.Map(DmaDirection.ToDevice).Dispose();
        }

        // ---- begin/end CPU access (issue 4: round trip <= 2x the native call pair) -------

        [Benchmark(Baseline = true), BenchmarkCategory("begin-end-cpu-access")]
        public void NativeBeginEnd()
        {
            void* cpu;
            NativeBaseline.Check(NativeBaseline.dmabuf_host_begin_cpu_access(_nativeHeap, _nativeCpuBuffer, ToDevice, 0,
                                                                             RangeBytes, &cpu));
            NativeBaseline.Check(NativeBaseline.dmabuf_host_end_cpu_access(_nativeHeap, _nativeCpuBuffer, ToDevice, 0,
                                                                           RangeBytes));
        }

        [Benchmark, BenchmarkCategory("begin-end-cpu-access")]
        public void ManagedBeginEnd()
        {
            _cpuBuffer.BeginCpuAccess(DmaDirection.ToDevice, 0, RangeBytes);
            _cpuBuffer.EndCpuAccess(DmaDirection.ToDevice, 0, RangeBytes);
        }

        // ---- fence: create + signal + release --------------------------------------------

        [Benchmark(Baseline = true), BenchmarkCategory("fence")]
        public void NativeFence()
        {
            int fence = NativeBaseline.Check(NativeBaseline.dmabuf_host_fence_create(_nativeHeap));
            NativeBaseline.Check(NativeBaseline.dmabuf_host_fence_signal(_nativeHeap, fence, 0));
            NativeBaseline.Check(NativeBaseline.dmabuf_host_fence_put(_nativeHeap, fence));
        }

        [Benchmark, BenchmarkCategory("fence")]
        public void ManagedFence()
        {
            DmaFence fence = _heap.CreateFence();
            fence.Signal();
            fence.Dispose();
        }

        // ---- frame queue: one frame around the ring ------------------------------------------

        [Benchmark(Baseline = true), BenchmarkCategory("queue-cycle")]
        public void NativeQueueCycle()
        {
            int sequence;
            long timestamp;
            int index = NativeBaseline.Check(NativeBaseline.dmabuf_host_queue_dequeue(_nativeHeap, _nativeQueue, 0));
            NativeBaseline.Check(NativeBaseline.dmabuf_host_queue_enqueue(_nativeHeap, _nativeQueue, index, 0));
            index = NativeBaseline.Check(
                NativeBaseline.dmabuf_host_queue_acquire(_nativeHeap, _nativeQueue, 0, &sequence, &timestamp));
            NativeBaseline.Check(NativeBaseline.dmabuf_host_queue_release(_nativeHeap, _nativeQueue, index));
        }

        [Benchmark, BenchmarkCategory("queue-cycle")]
        public void ManagedQueueCycle()
        {
            QueueFrame frame = _queue.Dequeue(0);
            _queue.Enqueue(frame, 0);
            _queue.Release(_queue.Acquire(0));
        }
    }
}
