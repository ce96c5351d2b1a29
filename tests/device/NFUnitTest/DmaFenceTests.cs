using System;
using System.IO;
using System.Threading;
using nanoFramework.DmaBuf;
using nanoFramework.TestFramework;

namespace NFUnitTest
{
    [TestClass]
    public class DmaFenceTests
    {
        [TestMethod]
        public void Signal_WakesAWaiterOnAnotherThread()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaFence fence = heap.CreateFence();
            DmaFence next = heap.CreateFence();
            Assert.AreEqual(fence.SequenceNumber + 1, next.SequenceNumber);
            Assert.IsFalse(fence.IsSignalled);
            Thread signaller = new Thread(() =>
            {
                Thread.Sleep(20);
                fence.Signal();
            });
            signaller.Start();
            fence.Wait(5000);
            Assert.IsTrue(fence.IsSignalled);
            Assert.ThrowsException(typeof(InvalidOperationException), () => fence.Signal());
            Assert.ThrowsException(typeof(TimeoutException), () => next.Wait(20));
            next.SignalFailure();
            Assert.ThrowsException(typeof(IOException), () => next.Wait(0));
            fence.Dispose();
            next.Dispose();
            next.Dispose();
            Assert.ThrowsException(typeof(ObjectDisposedException), () => next.Wait(0));
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void Reservation_ReaderWaitsForTheWriterOnly()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer frame = heap.Export(1024, "frame");
            DmaAttachment camera = frame.Attach(heap.GetDevice("dcmi"));
            DmaFence capture = heap.CreateFence();
            DmaMapping mapping = camera.Map(DmaDirection.FromDevice);
            mapping.AttachFence(capture);
            mapping.Dispose();
            Assert.ThrowsException(typeof(TimeoutException), () => frame.WaitForFences(false, 0));
            capture.Signal();
            frame.WaitForFences(false, 0);
            Assert.IsTrue(frame.ImplicitSync);
            capture.Dispose();
            camera.Dispose();
            frame.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }
    }
}
