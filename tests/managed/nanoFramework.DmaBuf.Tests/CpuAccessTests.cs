using System;
using nanoFramework.DmaBuf;
using Xunit;

namespace nanoFramework.DmaBuf.Tests
{
    public class CpuAccessTests : HeapTest
    {
        [Fact]
        public void WriteThenRead_RoundTripsThroughTheBuffer()
        {
            using DmaBuffer buffer = Heap.Export(1000, "b");
            byte[] data = Pattern(1000, 3);
            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice))
            {
                cpu.Write(0, data);
            }

            byte[] back = new byte[1000];
            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.FromDevice))
            {
                cpu.Read(0, back);
            }

            Assert.Equal(data, back);
        }

        [Fact]
        public void Offsets_AreRelativeToTheWindow()
        {
            using DmaBuffer buffer = Heap.Export(256, "b");
            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice))
            {
                cpu.Fill(0);
            }

            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice, 100, 50))
            {
                cpu.Write(10, new byte[] { 1, 2, 3 }, 1, 2);
            }

            byte[] all = new byte[256];
            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.FromDevice))
            {
                cpu.Read(0, all);
            }

            Assert.Equal(2, all[110]);
            Assert.Equal(3, all[111]);
            Assert.Equal(0, all[109]);
            Assert.Equal(0, all[112]);
        }

        [Fact]
        public void Read_IntoPartOfAnArray()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.Bidirectional);
            cpu.Write(0, Pattern(64, 9));
            byte[] target = new byte[10];
            cpu.Read(5, target, 2, 6);
            Assert.Equal(new byte[] { 0, 0 }, target[..2]);
            Assert.Equal(Pattern(64, 9)[5..11], target[2..8]);
            Assert.Equal(new byte[] { 0, 0 }, target[8..]);
        }

        [Fact]
        public void Read_InAToDeviceAccess_SeesWhatTheCpuWrote()
        {
            using DmaBuffer buffer = Heap.Export(32, "b");
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            cpu.Fill(0x42);
            byte[] back = new byte[32];
            cpu.Read(0, back);
            Assert.All(back, b => Assert.Equal(0x42, b));
        }

        [Theory]
        [InlineData(-1, 0, 4)]
        [InlineData(61, 0, 4)]
        [InlineData(0, -1, 4)]
        [InlineData(0, 7, 4)]
        [InlineData(0, 0, 9)]
        [InlineData(0, 0, -1)]
        [InlineData(int.MaxValue, 0, 8)]
        public void Read_OutsideTheWindowOrArray_ThrowsArgumentOutOfRange(int offset, int index, int count)
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.FromDevice);
            byte[] target = Pattern(8, 1);
            AssertRefused<ArgumentOutOfRangeException>(() => cpu.Read(offset, target, index, count));
            Assert.Equal(Pattern(8, 1), target);
        }

        [Fact]
        public void Read_NullArray_ThrowsArgumentNull()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.FromDevice);
            Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => cpu.Read(0, null)).ParamName);
            Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => cpu.Read(0, null, 0, 1)).ParamName);
        }

        [Theory]
        [InlineData(-1, 0, 4)]
        [InlineData(61, 0, 4)]
        [InlineData(0, 5, 4)]
        [InlineData(0, 0, -2)]
        public void Write_OutsideTheWindowOrArray_ThrowsArgumentOutOfRangeAndWritesNothing(int offset, int index, int count)
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.Bidirectional);
            cpu.Fill(0);
            AssertRefused<ArgumentOutOfRangeException>(() => cpu.Write(offset, new byte[8], index, count));
            byte[] back = new byte[64];
            cpu.Read(0, back);
            Assert.All(back, b => Assert.Equal(0, b));
        }

        [Fact]
        public void Write_NullArray_ThrowsArgumentNull()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            Assert.Equal("source", Assert.Throws<ArgumentNullException>(() => cpu.Write(0, null)).ParamName);
            Assert.Equal("source", Assert.Throws<ArgumentNullException>(() => cpu.Write(0, null, 0, 1)).ParamName);
        }

        [Fact]
        public void Writes_InAFromDeviceAccess_ThrowInvalidOperation()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using DmaBuffer other = Heap.Export(64, "o");
            using CpuAccess source = other.BeginCpuAccess(DmaDirection.FromDevice);
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.FromDevice);
            AssertRefused<InvalidOperationException>(() => cpu.Write(0, new byte[1]));
            AssertRefused<InvalidOperationException>(() => cpu.Fill(1));
            AssertRefused<InvalidOperationException>(() => cpu.Fill(0, 1, 1));
            AssertRefused<InvalidOperationException>(() => source.CopyTo(0, cpu, 0, 1));
            Assert.Throws<InvalidOperationException>(() => cpu.Span.Length);
        }

        [Fact]
        public void Fill_Range_SetsOnlyThatRange()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.Bidirectional);
            cpu.Fill(1);
            cpu.Fill(10, 5, 9);
            byte[] back = new byte[64];
            cpu.Read(0, back);
            for (int i = 0; i < 64; i++)
            {
                Assert.Equal(i >= 10 && i < 15 ? 9 : 1, back[i]);
            }
        }

        [Theory]
        [InlineData(-1, 1)]
        [InlineData(0, 65)]
        [InlineData(64, 1)]
        [InlineData(1, -1)]
        public void Fill_OutsideTheWindow_ThrowsArgumentOutOfRange(int offset, int count)
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            AssertRefused<ArgumentOutOfRangeException>(() => cpu.Fill(offset, count, 1));
        }

        [Fact]
        public void CopyTo_AnotherBuffer_CopiesWithoutAManagedArray()
        {
            using DmaBuffer source = Heap.Export(300, "src");
            using DmaBuffer target = Heap.Export(300, "dst");
            using (CpuAccess cpu = source.BeginCpuAccess(DmaDirection.ToDevice))
            {
                cpu.Write(0, Pattern(300, 5));
            }

            using (CpuAccess from = source.BeginCpuAccess(DmaDirection.FromDevice))
            using (CpuAccess to = target.BeginCpuAccess(DmaDirection.ToDevice))
            {
                to.Fill(0);
                from.CopyTo(100, to, 10, 200);
            }

            byte[] back = new byte[300];
            using (CpuAccess cpu = target.BeginCpuAccess(DmaDirection.FromDevice))
            {
                cpu.Read(0, back);
            }

            Assert.Equal(Pattern(300, 5)[100..300], back[10..210]);
            Assert.All(back[..10], b => Assert.Equal(0, b));
            Assert.All(back[210..], b => Assert.Equal(0, b));
        }

        [Fact]
        public void CopyTo_OverlappingRangesOfOneWindow_CopyAsThroughATemporary()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.Bidirectional);
            byte[] data = Pattern(64, 2);
            cpu.Write(0, data);
            cpu.CopyTo(0, cpu, 8, 40);
            byte[] back = new byte[64];
            cpu.Read(0, back);
            Assert.Equal(data[..8], back[..8]);
            Assert.Equal(data[..40], back[8..48]);
        }

        [Theory]
        [InlineData(-1, 0, 1)]
        [InlineData(0, -1, 1)]
        [InlineData(60, 0, 8)]
        [InlineData(0, 60, 8)]
        [InlineData(0, 0, -1)]
        public void CopyTo_OutsideAWindow_ThrowsArgumentOutOfRange(int offset, int destinationOffset, int count)
        {
            using DmaBuffer a = Heap.Export(64, "a");
            using DmaBuffer b = Heap.Export(64, "b");
            using CpuAccess from = a.BeginCpuAccess(DmaDirection.FromDevice);
            using CpuAccess to = b.BeginCpuAccess(DmaDirection.ToDevice);
            AssertRefused<ArgumentOutOfRangeException>(() => from.CopyTo(offset, to, destinationOffset, count));
        }

        [Fact]
        public void CopyTo_NullOrEndedDestination_Throws()
        {
            using DmaBuffer a = Heap.Export(64, "a");
            using DmaBuffer b = Heap.Export(64, "b");
            using CpuAccess from = a.BeginCpuAccess(DmaDirection.FromDevice);
            CpuAccess to = b.BeginCpuAccess(DmaDirection.ToDevice);
            to.Dispose();
            Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => from.CopyTo(0, null, 0, 1)).ParamName);
            AssertRefused<ObjectDisposedException>(() => from.CopyTo(0, to, 0, 1));
            AssertRefused<ObjectDisposedException>(() => to.CopyTo(0, from, 0, 1));
        }

        [Fact]
        public void Span_ViewsTheBufferWithoutACopy()
        {
            using DmaBuffer buffer = Heap.Export(128, "b");
            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice, 32, 64))
            {
                Span<byte> span = cpu.Span;
                Assert.Equal(64, span.Length);
                span.Fill(0x11);
                span[0] = 0x22;
                byte[] back = new byte[2];
                cpu.Read(0, back);
                Assert.Equal(new byte[] { 0x22, 0x11 }, back);
            }

            using (CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.FromDevice))
            {
                ReadOnlySpan<byte> all = cpu.ReadOnlySpan;
                Assert.Equal(128, all.Length);
                Assert.Equal(0x22, all[32]);
                Assert.Equal(0x11, all[95]);
            }
        }

        [Fact]
        public void EndedAccess_ThrowsObjectDisposedFromEveryMember()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.Bidirectional);
            cpu.Dispose();
            Assert.False(cpu.IsOpen);
            Assert.Same(buffer, cpu.Buffer);
            Assert.Throws<ObjectDisposedException>(() => cpu.Direction);
            Assert.Throws<ObjectDisposedException>(() => cpu.Offset);
            Assert.Throws<ObjectDisposedException>(() => cpu.Length);
            Assert.Throws<ObjectDisposedException>(() => cpu.Read(0, new byte[1]));
            Assert.Throws<ObjectDisposedException>(() => cpu.Write(0, new byte[1]));
            Assert.Throws<ObjectDisposedException>(() => cpu.Fill(1));
            Assert.Throws<ObjectDisposedException>(() => cpu.Fill(0, 1, 1));
            Assert.Throws<ObjectDisposedException>(() => cpu.CopyTo(0, cpu, 0, 1));
            Assert.Throws<ObjectDisposedException>(() => cpu.Span.Length);
            Assert.Throws<ObjectDisposedException>(() => cpu.ReadOnlySpan.Length);
        }

        [Fact]
        public void Dispose_IsIdempotentAndDoesNotEndALaterAccessTwice()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            cpu.Dispose();
            cpu.Dispose();
            Assert.False(cpu.IsOpen);
            using (buffer.BeginCpuAccess(DmaDirection.ToDevice))
            {
            }
        }

        [Fact]
        public void Dispose_OnAnotherThread_EndsTheAccess()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            RunConcurrently(4, () => cpu.Dispose());
            Assert.False(cpu.IsOpen);
            using (buffer.BeginCpuAccess(DmaDirection.FromDevice))
            {
            }
        }

        [Fact]
        public void CopiesInOppositeDirectionsOnTwoThreads_DoNotDeadlock()
        {
            using DmaBuffer a = Heap.Export(256, "a");
            using DmaBuffer b = Heap.Export(256, "b");
            using CpuAccess ca = a.BeginCpuAccess(DmaDirection.Bidirectional);
            using CpuAccess cb = b.BeginCpuAccess(DmaDirection.Bidirectional);
            int turn = 0;
            RunConcurrently(2, () =>
            {
                bool forward = System.Threading.Interlocked.Increment(ref turn) == 1;
                for (int i = 0; i < 2000; i++)
                {
                    if (forward)
                    {
                        ca.CopyTo(0, cb, 0, 256);
                    }
                    else
                    {
                        cb.CopyTo(0, ca, 0, 256);
                    }
                }
            });
        }
    }
}
