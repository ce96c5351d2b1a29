using System;
using System.Diagnostics;
using System.Threading;
using nanoFramework.DmaBuf;
using Xunit;

namespace nanoFramework.DmaBuf.Tests
{
    /// <summary>
    /// The frame queues worked hard from several threads for a bounded time: producers dequeue and
    /// enqueue or cancel, consumers acquire and release, and another thread disposes the queue while
    /// they run. Only the outcomes the docs name may happen (a timeout, ObjectDisposedException once
    /// the queue is gone), and at the end no native object is left alive.
    /// </summary>
    public class FrameQueueStressTests : HeapTest
    {
        private const int Frames = 4;
        private const int Producers = 2;
        private const int Consumers = 2;

        // Well below the CI limit of 10 s for the whole test, with the rounds' joins included.
        private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

        [Fact]
        public void ProducersConsumersAndADisposerOnOtherThreads_LeaveNoNativeObjectAlive()
        {
            Stopwatch clock = Stopwatch.StartNew();
            long handedOver = 0;
            int rounds = 0;
            while (clock.Elapsed < Budget || rounds < 8)
            {
                handedOver += Round(rounds, rounds % 2 == 0 ? FrameQueueMode.WhenEmpty : FrameQueueMode.Latest);
                rounds++;
                Assert.Equal(0, HostNative.LiveQueues(Heap.NativeId));
            }

            // The rounds did work: frames really went from producers to consumers.
            Assert.True(handedOver > rounds, "only " + handedOver + " frames consumed in " + rounds + " rounds");
            DmaHeapStatistics stats = Heap.GetStatistics();
            Assert.Equal(0, stats.LiveBuffers);
            Assert.Equal(0, stats.LiveAttachments);
            Assert.Equal(0, HostNative.LiveFences(Heap.NativeId));
            Assert.Equal(0, HostNative.LiveQueues(Heap.NativeId));
        }

        /// <summary>One queue's life: workers on it until a disposer thread ends it. Returns frames consumed.</summary>
        private long Round(int round, FrameQueueMode mode)
        {
            DmaBuffer[] buffers = new DmaBuffer[Frames];
            for (int i = 0; i < Frames; i++)
            {
                buffers[i] = Heap.Export(128, "stress" + i);
            }

            FrameQueue queue = new FrameQueue(Heap, buffers, mode);
            Exception failure = null;
            long consumed = 0;
            Thread[] threads = new Thread[Producers + Consumers + 1];
            for (int t = 0; t < Producers + Consumers; t++)
            {
                bool producer = t < Producers;
                Random random = new Random(round * 31 + t);
                threads[t] = new Thread(() =>
                {
                    try
                    {
                        long done = producer ? Produce(queue, random) : Consume(queue, random);
                        Interlocked.Add(ref consumed, done);
                    }
                    catch (Exception e)
                    {
                        failure = e;
                    }
                });
            }

            // Disposes the queue while the workers are in the middle of it.
            Random disposerRandom = new Random(round);
            threads[Producers + Consumers] = new Thread(() =>
            {
                Thread.Sleep(20 + disposerRandom.Next(40));
                queue.Dispose();
            });
            foreach (Thread thread in threads)
            {
                thread.IsBackground = true;
                thread.Start();
            }

            foreach (Thread thread in threads)
            {
                JoinOrFail(thread);
            }

            Assert.Null(failure);
            Assert.True(queue.IsDisposed);
            foreach (DmaBuffer buffer in buffers)
            {
                buffer.Dispose();
            }

            return consumed;
        }

        /// <summary>Dequeues until the queue is disposed; publishes most frames, cancels some.</summary>
        private static long Produce(FrameQueue queue, Random random)
        {
            for (;;)
            {
                QueueFrame frame;
                try
                {
                    frame = queue.Dequeue(random.Next(3));
                }
                catch (TimeoutException)
                {
                    continue;
                }
                catch (ObjectDisposedException)
                {
                    return 0;
                }

                try
                {
                    if (random.Next(5) == 0)
                    {
                        queue.Cancel(frame);
                    }
                    else
                    {
                        queue.Enqueue(frame);
                    }
                }
                catch (ObjectDisposedException)
                {
                    return 0;
                }
            }
        }

        /// <summary>Acquires and releases until the queue is disposed; returns the frames it consumed.</summary>
        private static long Consume(FrameQueue queue, Random random)
        {
            long consumed = 0;
            for (;;)
            {
                QueueFrame frame;
                try
                {
                    frame = queue.Acquire(random.Next(3));
                }
                catch (TimeoutException)
                {
                    continue;
                }
                catch (ObjectDisposedException)
                {
                    return consumed;
                }

                if (random.Next(4) == 0)
                {
                    Thread.Yield();
                }

                try
                {
                    queue.Release(frame);
                    consumed++;
                }
                catch (ObjectDisposedException)
                {
                    return consumed;
                }
            }
        }
    }
}
