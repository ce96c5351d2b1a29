using System;
using nanoFramework.DmaBuf;
using nanoFramework.TestFramework;

namespace NFUnitTest
{
    [TestClass]
    public class FrameQueueTests
    {
        [TestMethod]
        public void Frames_CycleAndLatestDropsTheOldest()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer[] buffers = new DmaBuffer[] { heap.Export(256, "f0"), heap.Export(256, "f1") };
            FrameQueue queue = new FrameQueue(heap, buffers, FrameQueueMode.Latest);
            for (int i = 0; i < 5; i++)
            {
                QueueFrame frame = queue.Dequeue(0);
                Assert.AreEqual((int)FrameState.Producing, (int)frame.State);
                queue.Enqueue(frame, i);
            }

            QueueFrame oldest = queue.Acquire(0);
            Assert.AreEqual(3, oldest.SequenceNumber);
            Assert.AreEqual(3L, oldest.TimestampMicroseconds);
            Assert.ThrowsException(typeof(InvalidOperationException), () => queue.Enqueue(oldest));
            queue.Release(oldest);
            FrameQueueStatistics stats = queue.GetStatistics();
            Assert.AreEqual(5, stats.Enqueued);
            Assert.AreEqual(3, stats.Dropped);
            Assert.ThrowsException(typeof(ArgumentNullException), () => queue.Release(null));
            queue.Dispose();
            queue.Dispose();
            Assert.ThrowsException(typeof(ObjectDisposedException), () => queue.Dequeue(0));
            buffers[0].Dispose();
            buffers[1].Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void WhenEmpty_DequeueTimesOut()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer buffer = heap.Export(64, "f");
            FrameQueue queue = new FrameQueue(heap, new DmaBuffer[] { buffer }, FrameQueueMode.WhenEmpty);
            queue.Enqueue(queue.Dequeue(0));
            Assert.ThrowsException(typeof(TimeoutException), () => queue.Dequeue(20));
            Assert.AreEqual(1, queue.GetStatistics().Starved);
            queue.Dispose();
            buffer.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }
    }
}
