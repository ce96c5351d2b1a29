using System;
using System.Threading;
using nanoFramework.DmaBuf;
using nanoFramework.TestFramework;

namespace NFUnitTest
{
    /// <summary>
    /// Every wait parks its managed thread, not the interpreter: nanoCLR runs every managed
    /// thread on one native thread, so a wait that blocked natively would also stop the thread
    /// that is to signal, and would end only at its timeout. Each test has another managed
    /// thread (or, on the posix nanoCLR, a native thread) signal after <see cref="SignalDelay"/>
    /// and checks that the wait ended then: at least the delay, far below the timeout. The wake
    /// latency (signal to waiter running) is written out as "DmaBuf: wake latency".
    /// </summary>
    [TestClass]
    public class WaitTests
    {
        private const int SignalDelay = 50;
        private const int Timeout = 4000;

        // A wait that must never run to its end in these tests.
        private const int LongWait = 30000;

        // Frame queues the nanoFramework interop holds at once (MAX_QUEUES).
        private const int NativeQueueSlots = 8;

        // Set by the signalling thread right before it signals (ticks, 100 ns).
        private static long s_signalledAt;

        [TestMethod]
        public void BeginCpuAccess_ImplicitSync_EndsWhenAnotherThreadSignals()
        {
            CapturedFrame busy = new CapturedFrame();
            long started = SignalLater(busy.Capture);
            CpuAccess access = busy.Frame.BeginCpuAccess(DmaDirection.FromDevice);
            AssertWokeOnSignal("BeginCpuAccess", started);
            Assert.IsTrue(busy.Capture.IsSignalled);
            access.Dispose();
            busy.Dispose();
        }

        [TestMethod]
        public void Map_ImplicitSync_EndsWhenAnotherThreadSignals()
        {
            CapturedFrame busy = new CapturedFrame();
            DmaAttachment display = busy.Frame.Attach(busy.Heap.GetDevice("ltdc"));
            long started = SignalLater(busy.Capture);
            DmaMapping scanout = display.Map(DmaDirection.ToDevice);
            AssertWokeOnSignal("Map", started);
            scanout.Dispose();
            display.Dispose();
            busy.Dispose();
        }

        [TestMethod]
        public void FenceWait_EndsWhenAnotherThreadSignals_AndTimesOutOtherwise()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaFence fence = heap.CreateFence();

            long started = SignalLater(fence);
            fence.Wait(Timeout);
            AssertWokeOnSignal("DmaFence.Wait", started);

            DmaFence never = heap.CreateFence();
            started = DateTime.UtcNow.Ticks;
            Assert.ThrowsException(typeof(TimeoutException), () => never.Wait(SignalDelay));
            AssertAtLeast(SignalDelay, started, "DmaFence.Wait timeout");

            never.Dispose();
            fence.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void WaitForFences_EndsWhenAnotherThreadSignals_AndTimesOutOtherwise()
        {
            CapturedFrame busy = new CapturedFrame();
            long started = DateTime.UtcNow.Ticks;
            Assert.ThrowsException(typeof(TimeoutException), () => busy.Frame.WaitForFences(false, SignalDelay));
            AssertAtLeast(SignalDelay, started, "WaitForFences timeout");

            started = SignalLater(busy.Capture);
            busy.Frame.WaitForFences(false, Timeout);
            AssertWokeOnSignal("WaitForFences", started);
            busy.Dispose();
        }

        [TestMethod]
        public void FrameQueue_AcquireAndDequeue_EndWhenAnotherThreadHandsAFrameOver()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer buffer = heap.Export(64, "f");
            FrameQueue queue = new FrameQueue(heap, new DmaBuffer[] { buffer }, FrameQueueMode.WhenEmpty);

            // A consumer waits for the producer's enqueue...
            QueueFrame filling = queue.Dequeue(0);
            long started = RunLater(() => queue.Enqueue(filling));
            QueueFrame ready = queue.Acquire(Timeout);
            AssertWokeOnSignal("FrameQueue.Acquire", started);

            // ...and a producer for the consumer's release.
            started = RunLater(() => queue.Release(ready));
            QueueFrame free = queue.Dequeue(Timeout);
            AssertWokeOnSignal("FrameQueue.Dequeue", started);
            Assert.AreEqual(0, queue.GetStatistics().Starved);

            started = DateTime.UtcNow.Ticks;
            Assert.ThrowsException(typeof(TimeoutException), () => queue.Acquire(SignalDelay));
            AssertAtLeast(SignalDelay, started, "FrameQueue.Acquire timeout");

            queue.Cancel(free);
            queue.Dispose();
            buffer.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void FrameQueue_LongWaitsEndWhenAnotherThreadDisposesTheQueue()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer buffer = heap.Export(64, "f");
            FrameQueue queue = new FrameQueue(heap, new DmaBuffer[] { buffer }, FrameQueueMode.WhenEmpty);
            queue.Dequeue(0); // nothing Free, nothing Ready: both sides must wait

            // A producer on another thread and a consumer here wait 30 s each; Dispose closes
            // the native queue, which must end both at once (nothing polls for it).
            Exception producerSaw = null;
            long producerWaited = -1;
            Thread producer = new Thread(() =>
            {
                long from = DateTime.UtcNow.Ticks;
                try
                {
                    queue.Dequeue(LongWait);
                }
                catch (Exception e)
                {
                    producerSaw = e;
                }

                producerWaited = DateTime.UtcNow.Ticks - from;
            });
            producer.Start();
            long started = RunLater(() => queue.Dispose());
            Assert.ThrowsException(typeof(ObjectDisposedException), () => queue.Acquire(LongWait));
            AssertWokeOnSignal("FrameQueue.Acquire on Dispose", started);
            producer.Join();
            Assert.IsTrue(producerSaw is ObjectDisposedException, "the producer's wait did not end in ObjectDisposedException");
            AssertWellBeforeTimeout(producerWaited, "FrameQueue.Dequeue on Dispose");

            // The last waiter to leave freed the native queue: every queue slot is free again.
            FrameQueue[] all = new FrameQueue[NativeQueueSlots];
            for (int i = 0; i < all.Length; i++)
            {
                all[i] = new FrameQueue(heap, new DmaBuffer[] { buffer }, FrameQueueMode.Latest);
            }

            for (int i = 0; i < all.Length; i++)
            {
                all[i].Dispose();
            }

            buffer.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void SignalFromANativeThread_WakesAManagedWaiter()
        {
            CapturedFrame busy = new CapturedFrame();
            DmaFence fence = busy.Heap.CreateFence();

            // No managed thread signals: a native one does, as a DMA interrupt would.
            long started = DateTime.UtcNow.Ticks;
            fence.SignalFromNativeThread(SignalDelay);
            fence.Wait(Timeout);
            AssertWokeAfterNativeSignal("DmaFence.Wait", started);

            started = DateTime.UtcNow.Ticks;
            busy.Capture.SignalFromNativeThread(SignalDelay);
            CpuAccess access = busy.Frame.BeginCpuAccess(DmaDirection.FromDevice);
            AssertWokeAfterNativeSignal("BeginCpuAccess", started);
            access.Dispose();
            fence.Dispose();
            busy.Dispose();
        }

        [TestMethod]
        public void BeginCpuAccess_ImplicitSync_TimesOutWithTimeoutException()
        {
            // The target's implicit-sync timeout: 10 s on the posix nanoCLR's glue, 1 s by
            // default in a firmware. Nothing may change: the access stays closed.
            CapturedFrame busy = new CapturedFrame();
            int ticks = 0;
            bool stop = false;
            Thread counter = new Thread(() =>
            {
                while (!stop)
                {
                    ticks++;
                    Thread.Sleep(10);
                }
            });
            counter.Start();

            Assert.ThrowsException(typeof(TimeoutException), () => busy.Frame.BeginCpuAccess(DmaDirection.FromDevice));
            stop = true;
            counter.Join();
            // The interpreter ran the other thread all along (a native wait would have stopped it).
            Assert.IsTrue(ticks > 20, "other managed threads ran during the wait: " + ticks.ToString());
            busy.Capture.Signal();
            busy.Frame.BeginCpuAccess(DmaDirection.FromDevice).Dispose();
            busy.Dispose();
        }

        /// <summary>
        /// A frame the camera is writing: mapped FromDevice by "dcmi", whose job's fence
        /// (<see cref="Capture"/>, unsignalled) is in the buffer's reservation.
        /// </summary>
        private sealed class CapturedFrame
        {
            internal readonly DmaHeap Heap;
            internal readonly DmaBuffer Frame;
            internal readonly DmaFence Capture;
            private readonly DmaAttachment _camera;

            internal CapturedFrame()
            {
                Heap = DmaHeap.Open(TestBoard.Name);
                Frame = Heap.Export(256, "frame");
                _camera = Frame.Attach(Heap.GetDevice("dcmi"));
                Capture = Heap.CreateFence();
                DmaMapping mapping = _camera.Map(DmaDirection.FromDevice);
                mapping.AttachFence(Capture);
                mapping.Dispose();
            }

            // With the leak check.
            internal void Dispose()
            {
                Capture.Dispose();
                _camera.Dispose();
                Frame.Dispose();
                TestBoard.AssertNothingLeft(Heap);
            }
        }

        private static long SignalLater(DmaFence fence)
        {
            return RunLater(() => fence.Signal());
        }

        // Starts a managed thread that runs @action after SignalDelay; returns the start ticks.
        private static long RunLater(ThreadStart action)
        {
            s_signalledAt = 0;
            long started = DateTime.UtcNow.Ticks;
            new Thread(() =>
            {
                Thread.Sleep(SignalDelay);
                s_signalledAt = DateTime.UtcNow.Ticks;
                action();
            }).Start();
            return started;
        }

        private static void AssertWokeOnSignal(string what, long started)
        {
            long woke = DateTime.UtcNow.Ticks;
            Assert.IsTrue(s_signalledAt != 0, what + ": returned before the signal");
            AssertAtLeast(SignalDelay, started, what);
            AssertWellBeforeTimeout(woke - started, what);
            OutputHelper.WriteLine("DmaBuf: wake latency " + what + ": " + ((woke - s_signalledAt) / 10).ToString() +
                                   " us (managed signaller)");
        }

        // The native thread's signal time is not visible here: the latency is the elapsed time
        // beyond the delay.
        private static void AssertWokeAfterNativeSignal(string what, long started)
        {
            long elapsed = DateTime.UtcNow.Ticks - started;
            AssertAtLeast(SignalDelay, started, what);
            AssertWellBeforeTimeout(elapsed, what);
            OutputHelper.WriteLine("DmaBuf: wake latency " + what + ": " + ((elapsed / 10) - SignalDelay * 1000).ToString() +
                                   " us beyond the " + SignalDelay.ToString() + " ms delay (native signaller)");
        }

        private static void AssertAtLeast(int milliseconds, long started, string what)
        {
            // One millisecond of slack for the clocks' granularity.
            long elapsed = DateTime.UtcNow.Ticks - started;
            Assert.IsTrue(elapsed >= (milliseconds - 1) * 10000L,
                what + ": ended after " + (elapsed / 10000).ToString() + " ms, before " + milliseconds.ToString() + " ms");
        }

        private static void AssertWellBeforeTimeout(long elapsed, string what)
        {
            Assert.IsTrue(elapsed < Timeout / 4 * 10000L,
                what + ": ended after " + (elapsed / 10000).ToString() + " ms: woken by its timeout, not the signal");
        }
    }
}
