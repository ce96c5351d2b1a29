using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using nanoFramework.DmaBuf;
using Xunit;

namespace nanoFramework.DmaBuf.Tests
{
    public class DmaFenceTests : HeapTest
    {
        [Fact]
        public void CreateFence_IsUnsignalledWithIncreasingSequenceNumbers()
        {
            using DmaFence first = Heap.CreateFence();
            using DmaFence second = Heap.CreateFence();
            Assert.Same(Heap, first.Heap);
            Assert.True(first.Handle > 0);
            Assert.False(first.IsDisposed);
            Assert.False(first.IsSignalled);
            Assert.False(first.IsFailed);
            Assert.Equal(first.Context, second.Context);
            Assert.NotEqual(0, first.Context);
            Assert.Equal(first.SequenceNumber + 1, second.SequenceNumber);
        }

        [Fact]
        public void Signal_WakesAWaiterOnAnotherThread()
        {
            using DmaFence fence = Heap.CreateFence();
            Thread signaller = new Thread(() =>
            {
                Thread.Sleep(20);
                fence.Signal();
            });
            signaller.Start();
            fence.Wait(5000);
            signaller.Join();
            Assert.True(fence.IsSignalled);
            Assert.False(fence.IsFailed);
        }

        [Fact]
        public void Signal_Twice_ThrowsInvalidOperation()
        {
            using DmaFence fence = Heap.CreateFence();
            fence.Signal();
            Assert.Throws<InvalidOperationException>(() => fence.Signal());
            Assert.Throws<InvalidOperationException>(() => fence.SignalFailure());
            Assert.False(fence.IsFailed);
        }

        [Fact]
        public void SignalFailure_MakesWaitersThrowIOException()
        {
            using DmaFence fence = Heap.CreateFence();
            fence.SignalFailure();
            Assert.True(fence.IsSignalled);
            Assert.True(fence.IsFailed);
            Assert.Throws<IOException>(() => fence.Wait(0));
        }

        [Fact]
        public void Wait_Unsignalled_TimesOutWithinBounds()
        {
            using DmaFence fence = Heap.CreateFence();
            Stopwatch watch = Stopwatch.StartNew();
            Assert.Throws<TimeoutException>(() => fence.Wait(50));
            watch.Stop();
            Assert.InRange(watch.ElapsedMilliseconds, 40, 2000);
            Assert.Throws<TimeoutException>(() => fence.Wait(0));
            Assert.False(fence.IsSignalled);
        }

        [Fact]
        public void Wait_NegativeTimeout_ThrowsArgumentOutOfRange()
        {
            using DmaFence fence = Heap.CreateFence();
            Assert.Equal("millisecondsTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => fence.Wait(-2)).ParamName);
        }

        [Fact]
        public void SignalFromNativeThread_IsNotSupportedOnTheHost_AndLeavesTheFenceAlone()
        {
            // The test hook exists for the posix nanoCLR only (device tests).
            using DmaFence fence = Heap.CreateFence();
            Assert.Throws<NotSupportedException>(() => fence.SignalFromNativeThread(1));
            Assert.False(fence.IsSignalled);
            fence.Dispose();
            Assert.Throws<ObjectDisposedException>(() => fence.SignalFromNativeThread(1));
        }

        [Fact]
        public void Microseconds_ConvertTheManagedTimeout()
        {
            Assert.Equal(-1, DmaFence.Microseconds(-1, "t"));
            Assert.Equal(0, DmaFence.Microseconds(0, "t"));
            Assert.Equal(5000, DmaFence.Microseconds(5, "t"));
            Assert.Equal(unchecked((int)4294966000u), DmaFence.Microseconds(4294966, "t"));
            Assert.Equal(-1, DmaFence.Microseconds(4294967, "t"));
            Assert.Equal(-1, DmaFence.Microseconds(int.MaxValue, "t"));
        }

        [Fact]
        public void CreateFence_PoolExhausted_ThrowsOutOfMemory()
        {
            DmaFence[] fences = new DmaFence[64];
            try
            {
                for (int i = 0; i < fences.Length; i++)
                {
                    fences[i] = Heap.CreateFence();
                }

                Assert.Throws<OutOfMemoryException>(() => Heap.CreateFence());
            }
            finally
            {
                foreach (DmaFence fence in fences)
                {
                    fence?.Dispose();
                }
            }

            using (Heap.CreateFence())
            {
            }
        }

        [Fact]
        public void Disposed_ThrowsObjectDisposedAndIsIdempotent()
        {
            DmaFence fence = Heap.CreateFence();
            RunConcurrently(4, () => fence.Dispose());
            fence.Dispose();
            Assert.True(fence.IsDisposed);
            Assert.Throws<ObjectDisposedException>(() => fence.Handle);
            Assert.Throws<ObjectDisposedException>(() => fence.Context);
            Assert.Throws<ObjectDisposedException>(() => fence.SequenceNumber);
            Assert.Throws<ObjectDisposedException>(() => fence.IsSignalled);
            Assert.Throws<ObjectDisposedException>(() => fence.IsFailed);
            Assert.Throws<ObjectDisposedException>(() => fence.Signal());
            Assert.Throws<ObjectDisposedException>(() => fence.SignalFailure());
            Assert.Throws<ObjectDisposedException>(() => fence.Wait(0));
        }

        [Fact]
        public void Finalizer_ReleasesAnUndisposedFence_AlsoWithTheGuardOfADisposedOne()
        {
            // The first fence's finalizer guard is given back at Dispose and guards the second.
            Heap.CreateFence().Dispose();
            CreateAndDrop(Heap);
            CreateAndDrop(Heap);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Assert.Equal(0, HostNative.LiveFences(Heap.NativeId));
        }

        [Fact]
        public void Finalizer_OfAnUndisposedFence_LetsTheDisposedHeapClose()
        {
            int before = HostNative.LiveHeaps();
            CreateAndDrop(Heap);
            Heap.Dispose();
            Assert.Equal(before, HostNative.LiveHeaps());
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Assert.Equal(before - 1, HostNative.LiveHeaps());
        }

        [Fact]
        public void Dispose_DuringAWait_PutsTheReferenceWhenTheWaitEnds()
        {
            DmaFence fence = Heap.CreateFence();
            int before = HostNative.LiveFences(Heap.NativeId);
            Exception waitError = null;
            using var waiting = new ManualResetEventSlim();
            var waiter = new Thread(() =>
            {
                try
                {
                    waiting.Set();
                    fence.Wait(1000);
                }
                catch (Exception e)
                {
                    waitError = e;
                }
            });
            waiter.Start();
            waiting.Wait();
            Thread.Sleep(100);
            fence.Dispose();
            Assert.True(fence.IsDisposed);
            Assert.Throws<ObjectDisposedException>(() => fence.Signal());

            // The waiter still uses the native fence, so its reference is still there.
            Assert.Equal(before, HostNative.LiveFences(Heap.NativeId));
            Assert.True(waiter.Join(10000));
            Assert.IsType<TimeoutException>(waitError);
            Assert.Equal(before - 1, HostNative.LiveFences(Heap.NativeId));
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void CreateAndDrop(DmaHeap heap)
        {
            heap.CreateFence();
        }

        [Fact]
        public void CreateFence_AfterHeapDispose_ThrowsAndALiveFenceKeepsTheHeap()
        {
            int before = HostNative.LiveHeaps();
            DmaFence fence = Heap.CreateFence();
            Heap.Dispose();
            Assert.Throws<ObjectDisposedException>(() => Heap.CreateFence());
            Assert.Equal(before, HostNative.LiveHeaps());
            fence.Signal();
            fence.Dispose();
            Assert.Equal(before - 1, HostNative.LiveHeaps());
        }
    }

    public class ReservationTests : HeapTest
    {
        [Fact]
        public void ReaderWaitsForTheWritingJobOnly()
        {
            using DmaBuffer frame = Heap.Export(1024, "frame");
            using DmaAttachment camera = frame.Attach(Heap.GetDevice("dcmi"));
            using DmaAttachment display = frame.Attach(Heap.GetDevice("ltdc"));
            using DmaFence capture = Heap.CreateFence();
            using DmaFence scanout = Heap.CreateFence();
            using (DmaMapping mapping = camera.Map(DmaDirection.FromDevice))
            {
                mapping.AttachFence(capture);
            }

            Assert.Throws<TimeoutException>(() => frame.WaitForFences(false, 0));
            capture.Signal();
            frame.WaitForFences(false, 0);

            using (DmaMapping mapping = display.Map(DmaDirection.ToDevice))
            {
                mapping.AttachFence(scanout);
            }

            frame.WaitForFences(false, 0); // a reader does not wait for other readers
            Assert.Throws<TimeoutException>(() => frame.WaitForFences(true, 10));
            scanout.Signal();
            frame.WaitForFences(true, 0);
        }

        [Fact]
        public void FailedWriter_MakesReadersThrowIOExceptionUntilANewWriter()
        {
            using DmaBuffer frame = Heap.Export(256, "frame");
            using DmaAttachment camera = frame.Attach(Heap.GetDevice("dcmi"));
            using DmaFence bad = Heap.CreateFence();
            using DmaFence good = Heap.CreateFence();
            using (DmaMapping mapping = camera.Map(DmaDirection.FromDevice))
            {
                mapping.AttachFence(bad);
            }

            bad.SignalFailure();
            Assert.Throws<IOException>(() => frame.WaitForFences(false, 0));
            frame.WaitForFences(true, 0); // a writer replaces the bytes

            using (DmaMapping mapping = camera.Map(DmaDirection.FromDevice))
            {
                mapping.AttachFence(good);
            }

            good.Signal();
            frame.WaitForFences(false, 0);
        }

        [Fact]
        public void FailedWriter_IsClearedByACpuWriteOverTheWholeBuffer()
        {
            using DmaBuffer frame = Heap.Export(256, "frame");
            using DmaAttachment camera = frame.Attach(Heap.GetDevice("dcmi"));
            using DmaFence bad = Heap.CreateFence();
            using (DmaMapping mapping = camera.Map(DmaDirection.FromDevice))
            {
                mapping.AttachFence(bad);
            }

            bad.SignalFailure();
            using (CpuAccess part = frame.BeginCpuAccess(DmaDirection.ToDevice, 0, 128))
            {
                part.Fill(0x11);
            }

            Assert.Throws<IOException>(() => frame.BeginCpuAccess(DmaDirection.FromDevice));
            using (CpuAccess all = frame.BeginCpuAccess(DmaDirection.ToDevice))
            {
                all.Fill(0x22);
            }

            frame.WaitForFences(false, 0);
            byte[] seen = new byte[256];
            using (CpuAccess read = frame.BeginCpuAccess(DmaDirection.FromDevice))
            {
                read.Read(0, seen);
            }

            Assert.All(seen, b => Assert.Equal(0x22, b));
        }

        [Fact]
        public void AttachFence_BadArguments_Throw()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using DmaAttachment display = buffer.Attach(Heap.GetDevice("ltdc"));
            using DmaHeap other = DmaHeap.Open(Stm32);
            using DmaFence foreign = other.CreateFence();
            using DmaFence fence = Heap.CreateFence();
            DmaMapping mapping = display.Map(DmaDirection.ToDevice);
            Assert.Equal("fence", Assert.Throws<ArgumentNullException>(() => mapping.AttachFence(null)).ParamName);
            Assert.Equal("fence", Assert.Throws<ArgumentException>(() => mapping.AttachFence(foreign)).ParamName);
            mapping.AttachFence(fence);
            Assert.Throws<InvalidOperationException>(() => mapping.AttachFence(fence));
            DmaFence disposed = Heap.CreateFence();
            disposed.Dispose();
            Assert.Throws<ObjectDisposedException>(() => mapping.AttachFence(disposed));
            mapping.Dispose();
            Assert.Throws<ObjectDisposedException>(() => mapping.AttachFence(fence));
            fence.Signal();
            foreign.Signal();
        }

        [Fact]
        public void BeginCpuAccess_WaitsImplicitlyForTheWritingJob()
        {
            using DmaBuffer frame = Heap.Export(256, "frame");
            using DmaAttachment camera = frame.Attach(Heap.GetDevice("dcmi"));
            using DmaFence capture = Heap.CreateFence();
            using (DmaMapping mapping = camera.Map(DmaDirection.FromDevice))
            {
                mapping.AttachFence(capture);
            }

            Thread interrupt = new Thread(() =>
            {
                Thread.Sleep(100);
                capture.Signal();
            });
            Stopwatch watch = Stopwatch.StartNew();
            interrupt.Start();
            using (frame.BeginCpuAccess(DmaDirection.FromDevice))
            {
                Assert.True(capture.IsSignalled);
            }

            interrupt.Join();
            Assert.InRange(watch.ElapsedMilliseconds, 80, 5000);
        }

        [Fact]
        public void BeginCpuAccess_AfterAFailedWritingJob_ThrowsIOException()
        {
            using DmaBuffer frame = Heap.Export(256, "frame");
            using DmaAttachment camera = frame.Attach(Heap.GetDevice("dcmi"));
            using DmaFence capture = Heap.CreateFence();
            using (DmaMapping mapping = camera.Map(DmaDirection.FromDevice))
            {
                mapping.AttachFence(capture);
            }

            capture.SignalFailure();
            AssertRefused<IOException>(() => frame.BeginCpuAccess(DmaDirection.FromDevice));
        }

        [Fact]
        public void ImplicitSyncOff_BeginCpuAccessDoesNotWait()
        {
            using DmaBuffer frame = Heap.Export(256, "frame");
            using DmaAttachment camera = frame.Attach(Heap.GetDevice("dcmi"));
            using DmaFence capture = Heap.CreateFence();
            using (DmaMapping mapping = camera.Map(DmaDirection.FromDevice))
            {
                mapping.AttachFence(capture);
            }

            frame.ImplicitSync = false;
            Stopwatch watch = Stopwatch.StartNew();
            using (frame.BeginCpuAccess(DmaDirection.FromDevice))
            {
                Assert.False(capture.IsSignalled);
            }

            Assert.True(watch.ElapsedMilliseconds < 1000);
            capture.Signal();
        }

        [Fact]
        public void ImplicitSync_IsOnByDefaultAndSwitchable()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            Assert.True(buffer.ImplicitSync);
            buffer.ImplicitSync = false;
            Assert.False(buffer.ImplicitSync);
            buffer.ImplicitSync = true;
            Assert.True(buffer.ImplicitSync);
        }

        [Fact]
        public void Reservation_KeepsItsOwnReferenceOnTheFence()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using DmaAttachment camera = buffer.Attach(Heap.GetDevice("dcmi"));
            DmaFence fence = Heap.CreateFence();
            int handle = fence.Handle;
            using (DmaMapping mapping = camera.Map(DmaDirection.FromDevice))
            {
                mapping.AttachFence(fence);
            }

            fence.Dispose();
            Assert.Throws<TimeoutException>(() => buffer.WaitForFences(false, 0));
            Assert.Equal(0, HostNative.FenceSignal(Heap.NativeId, handle, 0));
            buffer.WaitForFences(false, 0);
        }

        [Fact]
        public void WaitForFences_DisposedOrBadTimeout_Throws()
        {
            DmaBuffer buffer = Heap.Export(64, "b");
            Assert.Throws<ArgumentOutOfRangeException>(() => buffer.WaitForFences(true, -5));
            buffer.Dispose();
            Assert.Throws<ObjectDisposedException>(() => buffer.WaitForFences(true, 0));
            Assert.Throws<ObjectDisposedException>(() => buffer.ImplicitSync);
            Assert.Throws<ObjectDisposedException>(() => buffer.ImplicitSync = false);
        }
    }
}
