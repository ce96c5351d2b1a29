using System;
using System.Threading;
using nanoFramework.DmaBuf;
using Xunit;

// The leak check counts native heaps process-wide, so tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace nanoFramework.DmaBuf.Tests
{
    /// <summary>
    /// Base of every test class: a fresh heap per test on a simulated board, and the leak check
    /// after each test: every buffer, attachment, fence and frame queue the test made must be
    /// released, and disposing the heap must then close the native heap.
    /// </summary>
    public abstract class HeapTest : IDisposable
    {
        /// <summary>Cortex-M7: SRAM1 (cacheable, 32-byte lines), SRAM2 (cacheable), SDRAM (uncached).</summary>
        protected const string Stm32 = "stm32f769i-disco";

        /// <summary>How long a test waits for its threads before it calls the wait a deadlock.</summary>
        protected static readonly TimeSpan DeadlockTimeout = TimeSpan.FromSeconds(30);

        private readonly int _heapsBefore;

        protected HeapTest() : this(Stm32)
        {
        }

        protected HeapTest(string board)
        {
            _heapsBefore = HostNative.LiveHeaps();
            Heap = DmaHeap.Open(board);
        }

        protected DmaHeap Heap { get; }

        public virtual void Dispose()
        {
            if (!Heap.IsDisposed)
            {
                DmaHeapStatistics stats = Heap.GetStatistics();
                int fences = HostNative.LiveFences(Heap.NativeId);
                int queues = HostNative.LiveQueues(Heap.NativeId);
                Assert.True(HostNative.Check(Heap.NativeId) == 0, "native invariants broken");
                Heap.Dispose();
                Assert.Equal(0, stats.LiveBuffers);
                Assert.Equal(0, stats.LiveAttachments);
                Assert.Equal(0, fences);
                Assert.Equal(0, queues);
            }

            Assert.Equal(_heapsBefore, HostNative.LiveHeaps());
        }

        /// <summary>Everything observable about the heap: counters plus the per-buffer listing.</summary>
        protected string Snapshot()
        {
            DmaHeapStatistics s = Heap.GetStatistics();
            DmaCacheStatistics c = Heap.GetCacheStatistics();
            return s.Capacity + "/" + s.InUse + "/" + s.Peak + "/" + s.LargestFree + "/" + s.LiveBuffers + "/"
                + s.LiveAttachments + "/" + c.LinesCleaned + "/" + c.LinesInvalidated + "/" + c.WholeCacheOperations
                + "\n" + Heap.DescribeBuffers();
        }

        /// <summary>Asserts <paramref name="action"/> throws exactly <typeparamref name="T"/> and changes nothing.</summary>
        protected T AssertRefused<T>(Action action) where T : Exception
        {
            string before = Snapshot();
            T exception = Assert.Throws<T>(action);
            Assert.Equal(before, Snapshot());
            return exception;
        }

        /// <summary>
        /// Runs <paramref name="action"/> on <paramref name="threads"/> threads released at once, and
        /// fails if one throws or if they have not all finished within <see cref="DeadlockTimeout"/>.
        /// </summary>
        protected static void RunConcurrently(int threads, Action action)
        {
            using Barrier barrier = new Barrier(threads);
            Exception failure = null;
            Thread[] workers = new Thread[threads];
            for (int i = 0; i < threads; i++)
            {
                workers[i] = new Thread(() =>
                {
                    barrier.SignalAndWait();
                    try
                    {
                        action();
                    }
                    catch (Exception e)
                    {
                        failure = e;
                    }
                });
                // A deadlocked worker must not keep the test process alive after the failure.
                workers[i].IsBackground = true;
                workers[i].Start();
            }

            foreach (Thread worker in workers)
            {
                JoinOrFail(worker);
            }

            Assert.Null(failure);
        }

        /// <summary>Waits for <paramref name="thread"/>; a thread still running after <see cref="DeadlockTimeout"/> fails the test.</summary>
        protected static void JoinOrFail(Thread thread)
        {
            Assert.True(thread.Join(DeadlockTimeout), "a thread did not finish within " + DeadlockTimeout + ": deadlock");
        }

        /// <summary>The native buffer's device mappings in force (dmabuf_info.device_mappings).</summary>
        protected int NativeMappings(DmaBuffer buffer)
        {
            int[] info = new int[DmaHeap.BufferInfoLength];
            Assert.Equal(0, HostNative.BufferInfo(Heap.NativeId, buffer.Handle, info));
            return info[DmaHeap.BufferInfoMappings];
        }

        protected static byte[] Pattern(int length, int seed)
        {
            byte[] bytes = new byte[length];
            uint state = (uint)seed * 2654435761u + 1u;
            for (int i = 0; i < length; i++)
            {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                bytes[i] = (byte)state;
            }

            return bytes;
        }

        /// <summary>What a DMA master sees at <paramref name="address"/> (bus memory, past the CPU cache).</summary>
        protected byte[] BusRead(uint address, int length)
        {
            byte[] data = new byte[length];
            Assert.Equal(0, HostNative.SimulatorBusRead(Heap.NativeId, address, data));
            return data;
        }

        /// <summary>A device's DMA write: straight into bus memory.</summary>
        protected void BusWrite(uint address, byte[] data)
        {
            Assert.Equal(0, HostNative.SimulatorBusWrite(Heap.NativeId, address, data));
        }
    }
}
