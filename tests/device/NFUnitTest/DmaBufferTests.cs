using System;
using System.Threading;
using nanoFramework.DmaBuf;
using nanoFramework.TestFramework;

namespace NFUnitTest
{
    [TestClass]
    public class DmaBufferTests
    {
        [TestMethod]
        public void FromHandle_MakesASecondOwner()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer first = heap.Export(256, "shared");
            DmaBuffer second = DmaBuffer.FromHandle(heap, first.Handle);
            Assert.AreEqual(2, second.ReferenceCount);
            Assert.AreEqual("shared", second.Name);
            first.Dispose();
            Assert.AreEqual(1, second.ReferenceCount);
            int handle = second.Handle;
            second.Dispose();
            Assert.ThrowsException(typeof(ObjectDisposedException), () => DmaBuffer.FromHandle(heap, handle));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => DmaBuffer.FromHandle(heap, 0));
            Assert.ThrowsException(typeof(ArgumentNullException), () => DmaBuffer.FromHandle(null, 1));
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void BeginCpuAccess_BadRangeOrDirection_Throws()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer buffer = heap.Export(100, "b");
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => buffer.BeginCpuAccess(DmaDirection.ToDevice, -1, 10));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => buffer.BeginCpuAccess(DmaDirection.ToDevice, 0, 0));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => buffer.BeginCpuAccess(DmaDirection.ToDevice, 90, 11));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => buffer.BeginCpuAccess((DmaDirection)0));
            CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            Assert.ThrowsException(typeof(InvalidOperationException), () => buffer.BeginCpuAccess(DmaDirection.FromDevice));
            Assert.ThrowsException(typeof(InvalidOperationException), () => buffer.EndCpuAccess(DmaDirection.FromDevice));
            Assert.IsTrue(cpu.IsOpen);
            buffer.EndCpuAccess(DmaDirection.ToDevice);
            Assert.IsFalse(cpu.IsOpen);
            buffer.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void Dispose_EndsAccessAndDetaches_IdempotentOnAnyThread()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer buffer = heap.Export(256, "b");
            DmaAttachment attachment = buffer.Attach(heap.GetDevice("ltdc"));
            DmaMapping mapping = attachment.Map(DmaDirection.ToDevice);
            CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            Thread thread = new Thread(() => buffer.Dispose());
            thread.Start();
            thread.Join();
            buffer.Dispose();
            Assert.IsFalse(cpu.IsOpen);
            Assert.IsFalse(mapping.IsMapped);
            Assert.IsTrue(attachment.IsDisposed);
            Assert.ThrowsException(typeof(ObjectDisposedException), () => buffer.BeginCpuAccess(DmaDirection.ToDevice));
            Assert.ThrowsException(typeof(ObjectDisposedException), () => { int h = buffer.Handle; });
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void Finalizer_ReleasesAnUndisposedBuffer()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            ExportAndDrop(heap);
            GC.WaitForPendingFinalizers();
            nanoFramework.Runtime.Native.GC.Run(true);
            GC.WaitForPendingFinalizers();
            TestBoard.AssertNothingLeft(heap);
        }

        private static void ExportAndDrop(DmaHeap heap)
        {
            DmaBuffer buffer = heap.Export(64, "leaked");
            buffer.BeginCpuAccess(DmaDirection.ToDevice);
        }
    }
}
