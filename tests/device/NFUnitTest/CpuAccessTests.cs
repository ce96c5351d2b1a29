using System;
using nanoFramework.DmaBuf;
using nanoFramework.TestFramework;

namespace NFUnitTest
{
    [TestClass]
    public class CpuAccessTests
    {
        [TestMethod]
        public void WriteThenRead_RoundTrips()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer buffer = heap.Export(1000, "b");
            byte[] data = TestBoard.Pattern(1000, 3);
            CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            cpu.Write(0, data);
            cpu.Dispose();
            byte[] back = new byte[1000];
            cpu = buffer.BeginCpuAccess(DmaDirection.FromDevice);
            cpu.Read(0, back);
            cpu.Dispose();
            TestBoard.AssertBytes(data, back);
            buffer.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void FillAndCopyTo_WorkInsideTheWindow()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer a = heap.Export(64, "a");
            DmaBuffer b = heap.Export(64, "b");
            CpuAccess from = a.BeginCpuAccess(DmaDirection.Bidirectional);
            CpuAccess to = b.BeginCpuAccess(DmaDirection.ToDevice, 16, 32);
            from.Fill(7);
            from.Fill(0, 4, 9);
            to.Fill(0);
            from.CopyTo(2, to, 10, 4);
            byte[] back = new byte[32];
            to.Read(0, back);
            Assert.AreEqual(9, (int)back[10]);
            Assert.AreEqual(9, (int)back[11]);
            Assert.AreEqual(7, (int)back[12]);
            Assert.AreEqual(0, (int)back[14]);
            from.Dispose();
            to.Dispose();
            a.Dispose();
            b.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }

        [TestMethod]
        public void BadRangesAndDirections_Throw()
        {
            DmaHeap heap = DmaHeap.Open(TestBoard.Name);
            DmaBuffer buffer = heap.Export(64, "b");
            CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.FromDevice);
            byte[] target = new byte[8];
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => cpu.Read(61, target, 0, 4));
            Assert.ThrowsException(typeof(ArgumentOutOfRangeException), () => cpu.Read(0, target, 7, 4));
            Assert.ThrowsException(typeof(ArgumentNullException), () => cpu.Read(0, null));
            Assert.ThrowsException(typeof(InvalidOperationException), () => cpu.Write(0, target));
            Assert.ThrowsException(typeof(InvalidOperationException), () => cpu.Fill(1));
            cpu.Dispose();
            cpu.Dispose();
            Assert.ThrowsException(typeof(ObjectDisposedException), () => cpu.Read(0, target));
            Assert.ThrowsException(typeof(ObjectDisposedException), () => { int l = cpu.Length; });
            buffer.Dispose();
            TestBoard.AssertNothingLeft(heap);
        }
    }
}
