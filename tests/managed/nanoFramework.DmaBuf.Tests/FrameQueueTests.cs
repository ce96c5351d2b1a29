using System;
using System.Diagnostics;
using System.Threading;
using nanoFramework.DmaBuf;
using Xunit;

namespace nanoFramework.DmaBuf.Tests
{
    public class FrameQueueTests : HeapTest
    {
        private DmaBuffer[] ExportFrames(int count)
        {
            DmaBuffer[] buffers = new DmaBuffer[count];
            for (int i = 0; i < count; i++)
            {
                buffers[i] = Heap.Export(256, "frame" + i);
            }

            return buffers;
        }

        private static void DisposeAll(DmaBuffer[] buffers)
        {
            foreach (DmaBuffer buffer in buffers)
            {
                buffer?.Dispose();
            }
        }

        [Fact]
        public void Frames_CycleThroughTheStatesWithIncreasingSequenceNumbers()
        {
            DmaBuffer[] buffers = ExportFrames(3);
            try
            {
                using FrameQueue queue = new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty);
                Assert.Equal(3, queue.Count);
                Assert.Equal(FrameQueueMode.WhenEmpty, queue.Mode);
                Assert.False(queue.IsDisposed);

                QueueFrame produced = queue.Dequeue(0);
                Assert.Same(queue, produced.Queue);
                Assert.Same(buffers[produced.Index], produced.Buffer);
                Assert.Same(produced, queue.GetFrame(produced.Index));
                Assert.Equal(FrameState.Producing, produced.State);
                queue.Enqueue(produced, 1234);
                Assert.Equal(FrameState.Ready, produced.State);

                QueueFrame second = queue.Dequeue(0);
                queue.Enqueue(second);

                QueueFrame consumed = queue.Acquire(0);
                Assert.Same(produced, consumed);
                Assert.Equal(FrameState.Consuming, consumed.State);
                Assert.Equal(0, consumed.SequenceNumber);
                Assert.Equal(1234, consumed.TimestampMicroseconds);
                queue.Release(consumed);
                Assert.Equal(FrameState.Free, consumed.State);

                QueueFrame next = queue.Acquire(0);
                Assert.Equal(1, next.SequenceNumber);
                Assert.True(next.TimestampMicroseconds > 0);
                queue.Release(next);

                FrameQueueStatistics stats = queue.GetStatistics();
                Assert.Equal(3, stats.Count);
                Assert.Equal(2, stats.Enqueued);
                Assert.Equal(2, stats.Acquired);
                Assert.Equal(0, stats.Dropped);
                Assert.Equal(0, stats.Starved);
                Assert.True(stats.Consistent);
            }
            finally
            {
                DisposeAll(buffers);
            }
        }

        [Fact]
        public void WhenEmpty_ProducerTimesOutAndCountsStarved()
        {
            DmaBuffer[] buffers = ExportFrames(1);
            try
            {
                using FrameQueue queue = new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty);
                queue.Enqueue(queue.Dequeue(0));
                Assert.Throws<TimeoutException>(() => queue.Dequeue(20));
                Assert.Equal(1, queue.GetStatistics().Starved);
                Assert.Throws<TimeoutException>(() => { queue.Release(queue.Acquire(0)); queue.Acquire(0); });
            }
            finally
            {
                DisposeAll(buffers);
            }
        }

        [Fact]
        public void Latest_RecyclesTheOldestReadyFrameAsADrop()
        {
            DmaBuffer[] buffers = ExportFrames(2);
            try
            {
                using FrameQueue queue = new FrameQueue(Heap, buffers, FrameQueueMode.Latest);
                for (int i = 0; i < 5; i++)
                {
                    queue.Enqueue(queue.Dequeue(0));
                }

                FrameQueueStatistics stats = queue.GetStatistics();
                Assert.Equal(5, stats.Enqueued);
                Assert.Equal(3, stats.Dropped);
                QueueFrame oldest = queue.Acquire(0);
                QueueFrame newest = queue.Acquire(0);
                Assert.Equal(3, oldest.SequenceNumber);
                Assert.Equal(4, newest.SequenceNumber);
                queue.Release(oldest);
                queue.Release(newest);
                Assert.True(queue.GetStatistics().Consistent);
            }
            finally
            {
                DisposeAll(buffers);
            }
        }

        [Fact]
        public void ProducerAndConsumerThreads_PassEveryFrameInOrder()
        {
            DmaBuffer[] buffers = ExportFrames(3);
            try
            {
                using FrameQueue queue = new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty);
                const int Frames = 200;
                Thread producer = new Thread(() =>
                {
                    for (int i = 0; i < Frames; i++)
                    {
                        QueueFrame frame = queue.Dequeue(5000);
                        using (CpuAccess cpu = frame.Buffer.BeginCpuAccess(DmaDirection.ToDevice))
                        {
                            cpu.Fill((byte)i);
                        }

                        queue.Enqueue(frame);
                    }
                });
                producer.Start();
                for (int i = 0; i < Frames; i++)
                {
                    QueueFrame frame = queue.Acquire(5000);
                    Assert.Equal(i, frame.SequenceNumber);
                    byte[] first = new byte[1];
                    using (CpuAccess cpu = frame.Buffer.BeginCpuAccess(DmaDirection.FromDevice))
                    {
                        cpu.Read(0, first);
                    }

                    Assert.Equal((byte)i, first[0]);
                    queue.Release(frame);
                }

                producer.Join();
                Assert.True(queue.GetStatistics().Consistent);
            }
            finally
            {
                DisposeAll(buffers);
            }
        }

        [Fact]
        public void WrongState_ThrowsInvalidOperationAndChangesNothing()
        {
            DmaBuffer[] buffers = ExportFrames(2);
            try
            {
                using FrameQueue queue = new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty);
                QueueFrame free = queue.GetFrame(0);
                Assert.Throws<InvalidOperationException>(() => queue.Enqueue(free));
                Assert.Throws<InvalidOperationException>(() => queue.Cancel(free));
                Assert.Throws<InvalidOperationException>(() => queue.Release(free));
                Assert.Equal(FrameState.Free, free.State);

                QueueFrame producing = queue.Dequeue(0);
                Assert.Throws<InvalidOperationException>(() => queue.Release(producing));
                queue.Cancel(producing);
                Assert.Equal(FrameState.Free, producing.State);
                Assert.Equal(0, queue.GetStatistics().Enqueued);
            }
            finally
            {
                DisposeAll(buffers);
            }
        }

        [Fact]
        public void BadArguments_Throw()
        {
            DmaBuffer[] buffers = ExportFrames(2);
            DmaBuffer[] other = new DmaBuffer[1];
            try
            {
                Assert.Equal("heap", Assert.Throws<ArgumentNullException>(() => new FrameQueue(null, buffers, FrameQueueMode.Latest)).ParamName);
                Assert.Equal("buffers", Assert.Throws<ArgumentNullException>(() => new FrameQueue(Heap, null, FrameQueueMode.Latest)).ParamName);
                Assert.Equal("buffers", Assert.Throws<ArgumentNullException>(() => new FrameQueue(Heap, new DmaBuffer[] { buffers[0], null }, FrameQueueMode.Latest)).ParamName);
                Assert.Equal("buffers", Assert.Throws<ArgumentOutOfRangeException>(() => new FrameQueue(Heap, new DmaBuffer[0], FrameQueueMode.Latest)).ParamName);
                Assert.Equal("buffers", Assert.Throws<ArgumentOutOfRangeException>(() => new FrameQueue(Heap, new DmaBuffer[65], FrameQueueMode.Latest)).ParamName);
                Assert.Equal("mode", Assert.Throws<ArgumentOutOfRangeException>(() => new FrameQueue(Heap, buffers, (FrameQueueMode)0)).ParamName);
                Assert.Throws<ArgumentException>(() => new FrameQueue(Heap, new DmaBuffer[] { buffers[0], buffers[0] }, FrameQueueMode.Latest));
                using (DmaHeap second = DmaHeap.Open(Stm32))
                {
                    other[0] = second.Export(64, "elsewhere");
                    Assert.Equal("buffers", Assert.Throws<ArgumentException>(() => new FrameQueue(Heap, other, FrameQueueMode.Latest)).ParamName);
                    other[0].Dispose();
                }

                using FrameQueue queue = new FrameQueue(Heap, buffers, FrameQueueMode.Latest);
                using FrameQueue another = new FrameQueue(Heap, buffers, FrameQueueMode.Latest);
                Assert.Equal("frame", Assert.Throws<ArgumentNullException>(() => queue.Enqueue(null)).ParamName);
                Assert.Equal("frame", Assert.Throws<ArgumentException>(() => queue.Release(another.GetFrame(0))).ParamName);
                Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => queue.GetFrame(2)).ParamName);
                Assert.Throws<ArgumentOutOfRangeException>(() => queue.Dequeue(-2));
                buffers[1].Dispose();
                Assert.Throws<ObjectDisposedException>(() => new FrameQueue(Heap, buffers, FrameQueueMode.Latest));
            }
            finally
            {
                DisposeAll(buffers);
            }
        }

        [Fact]
        public void Dispose_EndsAWaitOnAnotherThreadAndGivesFramesBack()
        {
            DmaBuffer[] buffers = ExportFrames(2);
            try
            {
                FrameQueue queue = new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty);
                queue.Dequeue(0);
                Exception seen = null;
                Thread consumer = new Thread(() =>
                {
                    try
                    {
                        queue.Acquire(-1);
                    }
                    catch (Exception e)
                    {
                        seen = e;
                    }
                });
                consumer.Start();
                Thread.Sleep(50);
                queue.Dispose();
                consumer.Join();
                Assert.IsType<ObjectDisposedException>(seen);
                queue.Dispose();
                Assert.True(queue.IsDisposed);
                Assert.Throws<ObjectDisposedException>(() => queue.Dequeue(0));
                Assert.Throws<ObjectDisposedException>(() => queue.Acquire(0));
                Assert.Throws<ObjectDisposedException>(() => queue.GetStatistics());
                Assert.Throws<ObjectDisposedException>(() => queue.GetFrame(0).State);
                Assert.Throws<ObjectDisposedException>(() => queue.Enqueue(queue.GetFrame(0)));
                Assert.Throws<ObjectDisposedException>(() => queue.Cancel(queue.GetFrame(0)));
                Assert.Throws<ObjectDisposedException>(() => queue.Release(queue.GetFrame(0)));
            }
            finally
            {
                DisposeAll(buffers);
            }
        }

        [Fact]
        public void Dispose_WakesAProducerBlockedForAFrame()
        {
            DmaBuffer[] buffers = ExportFrames(2);
            try
            {
                FrameQueue queue = new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty);
                queue.Enqueue(queue.Dequeue(0));
                queue.Enqueue(queue.Dequeue(0));
                Exception seen = null;
                Thread producer = new Thread(() =>
                {
                    try
                    {
                        queue.Dequeue(-1);
                    }
                    catch (Exception e)
                    {
                        seen = e;
                    }
                });
                producer.Start();
                Thread.Sleep(50);
                queue.Dispose();
                producer.Join();
                Assert.IsType<ObjectDisposedException>(seen);
            }
            finally
            {
                DisposeAll(buffers);
            }
        }

        [Fact]
        public void Dispose_EndsLongWaitsAtOnce_AndTheLastCallerFreesTheNativeQueue()
        {
            // A consumer and a producer each wait 30 s on a queue with nothing Ready and nothing
            // Free. Dispose must end both waits at once (the native queue is closed, not polled),
            // return without waiting for them, and the native queue goes when the last one leaves.
            DmaBuffer[] buffers = ExportFrames(1);
            try
            {
                FrameQueue queue = new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty);
                queue.Dequeue(0);
                TimedCall consumer = new TimedCall(() => queue.Acquire(30000));
                TimedCall producer = new TimedCall(() => queue.Dequeue(30000));
                Thread.Sleep(200);

                Stopwatch disposing = Stopwatch.StartNew();
                queue.Dispose();
                long disposeTook = disposing.ElapsedMilliseconds;
                JoinOrFail(consumer.Thread);
                JoinOrFail(producer.Thread);

                Assert.IsType<ObjectDisposedException>(consumer.Saw);
                Assert.IsType<ObjectDisposedException>(producer.Saw);
                Assert.True(consumer.Milliseconds < 5000, "the consumer waited " + consumer.Milliseconds + " ms of its 30 s");
                Assert.True(producer.Milliseconds < 5000, "the producer waited " + producer.Milliseconds + " ms of its 30 s");
                Assert.True(disposeTook < 1000, "Dispose took " + disposeTook + " ms");
                Assert.Equal(0, HostNative.LiveQueues(Heap.NativeId));
            }
            finally
            {
                DisposeAll(buffers);
            }
        }

        [Fact]
        public void LiveQueues_CountsEveryOpenQueueUntilDisposed()
        {
            // The leak check of HeapTest.Dispose reads this count: it must see a queue left open.
            DmaBuffer[] buffers = ExportFrames(2);
            FrameQueue[] queues = new FrameQueue[8];
            try
            {
                Assert.Equal(0, HostNative.LiveQueues(Heap.NativeId));
                for (int i = 0; i < queues.Length; i++)
                {
                    queues[i] = new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty);
                    Assert.Equal(i + 1, HostNative.LiveQueues(Heap.NativeId));
                }

                // The heap has no ninth queue slot: the refused constructor leaves no queue behind.
                AssertRefused<OutOfMemoryException>(() => new FrameQueue(Heap, buffers, FrameQueueMode.Latest));
                Assert.Equal(8, HostNative.LiveQueues(Heap.NativeId));

                queues[3].Dispose();
                Assert.Equal(7, HostNative.LiveQueues(Heap.NativeId));
                queues[3].Dispose();
                Assert.Equal(7, HostNative.LiveQueues(Heap.NativeId));
            }
            finally
            {
                foreach (FrameQueue queue in queues)
                {
                    queue?.Dispose();
                }

                DisposeAll(buffers);
            }

            Assert.Equal(0, HostNative.LiveQueues(Heap.NativeId));
        }

        [Fact]
        public void Dispose_OnAnotherThread_ReleasesTheNativeQueue()
        {
            DmaBuffer[] buffers = ExportFrames(2);
            try
            {
                FrameQueue queue = new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty);
                queue.Dequeue(0);
                RunConcurrently(1, () => queue.Dispose());
                Assert.True(queue.IsDisposed);
                Assert.Equal(0, HostNative.LiveQueues(Heap.NativeId));
            }
            finally
            {
                DisposeAll(buffers);
            }
        }

        [Fact]
        public void Dispose_FromManyThreadsAtOnce_ReleasesTheNativeQueueOnceAndEndsEveryWait()
        {
            DmaBuffer[] buffers = ExportFrames(2);
            try
            {
                for (int round = 0; round < 200; round++)
                {
                    // One frame being filled, one being read, none free or ready: a producer and a
                    // consumer wait, so the disposal has frames to give back and waits to end, and
                    // the native queue is freed by whichever thread leaves it last.
                    FrameQueue queue = new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty);
                    queue.Enqueue(queue.Dequeue(0));
                    queue.Acquire(0);
                    queue.Dequeue(0);
                    Assert.Equal(1, HostNative.LiveQueues(Heap.NativeId));
                    Exception producerSaw = null;
                    Exception consumerSaw = null;
                    Thread producer = new Thread(() =>
                    {
                        try
                        {
                            queue.Dequeue(-1);
                        }
                        catch (Exception e)
                        {
                            producerSaw = e;
                        }
                    });
                    Thread consumer = new Thread(() =>
                    {
                        try
                        {
                            queue.Acquire(-1);
                        }
                        catch (Exception e)
                        {
                            consumerSaw = e;
                        }
                    });
                    producer.IsBackground = true;
                    consumer.IsBackground = true;
                    producer.Start();
                    consumer.Start();
                    Thread.Sleep(2);

                    RunConcurrently(8, () => queue.Dispose());

                    JoinOrFail(producer);
                    JoinOrFail(consumer);
                    Assert.IsType<ObjectDisposedException>(producerSaw);
                    Assert.IsType<ObjectDisposedException>(consumerSaw);
                    Assert.True(queue.IsDisposed);
                    Assert.Equal(0, HostNative.LiveQueues(Heap.NativeId));
                }

                // Every frame came back Free. The heap reference each queue took was given back
                // exactly once: one too many or too few and the heap would not close at the end of
                // the test (HeapTest).
                using FrameQueue last = new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty);
                last.Dequeue(0);
                last.Dequeue(0);
            }
            finally
            {
                DisposeAll(buffers);
            }
        }

        [Theory]
        [InlineData(-1L)]
        [InlineData(-1000000L)]
        [InlineData(long.MinValue)]
        public void Enqueue_NegativeTimestamp_StampsTheFrameNow(long timestamp)
        {
            DmaBuffer[] buffers = ExportFrames(2);
            try
            {
                using FrameQueue queue = new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty);
                Stopwatch clock = Stopwatch.StartNew();

                // The reference: Enqueue(frame) is documented to stamp now.
                QueueFrame reference = queue.Dequeue(0);
                long referenceStart = Microseconds(clock);
                queue.Enqueue(reference);
                long referenceEnd = Microseconds(clock);

                Thread.Sleep(20);
                QueueFrame stamped = queue.Dequeue(0);
                long stampedStart = Microseconds(clock);
                queue.Enqueue(stamped, timestamp);
                long stampedEnd = Microseconds(clock);

                Assert.Same(reference, queue.Acquire(0));
                Assert.Same(stamped, queue.Acquire(0));
                Assert.True(stamped.TimestampMicroseconds > 0, "stamped " + stamped.TimestampMicroseconds);

                // Stamped by the same clock as the reference, at a time between the calls: the
                // gap between the two stamps is what the stopwatch saw between the calls (1 ms slack).
                long gap = stamped.TimestampMicroseconds - reference.TimestampMicroseconds;
                Assert.InRange(gap, stampedStart - referenceEnd - 1000, stampedEnd - referenceStart + 1000);
                queue.Release(reference);
                queue.Release(stamped);
            }
            finally
            {
                DisposeAll(buffers);
            }
        }

        // A call on a thread of its own: what it threw and how long it took.
        private sealed class TimedCall
        {
            internal readonly Thread Thread;
            internal Exception Saw;
            internal long Milliseconds = -1;

            internal TimedCall(Action call)
            {
                Thread = new Thread(() =>
                {
                    Stopwatch clock = Stopwatch.StartNew();
                    try
                    {
                        call();
                    }
                    catch (Exception e)
                    {
                        Saw = e;
                    }

                    Milliseconds = clock.ElapsedMilliseconds;
                });
                Thread.IsBackground = true;
                Thread.Start();
            }
        }

        private static long Microseconds(Stopwatch clock) => clock.ElapsedTicks * 1000000L / Stopwatch.Frequency;

        [Fact]
        public void LiveQueue_KeepsTheNativeHeapUntilDisposed()
        {
            int before = HostNative.LiveHeaps();
            DmaBuffer[] buffers = ExportFrames(1);
            FrameQueue queue = new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty);
            DisposeAll(buffers);
            Heap.Dispose();
            Assert.Equal(before, HostNative.LiveHeaps());
            Assert.Throws<ObjectDisposedException>(() => new FrameQueue(Heap, buffers, FrameQueueMode.WhenEmpty));
            queue.Dispose();
            Assert.Equal(before - 1, HostNative.LiveHeaps());
        }
    }
}
