using System;
using System.Runtime.CompilerServices;
using System.Threading;
using nanoFramework.DmaBuf;
using Xunit;

namespace nanoFramework.DmaBuf.Tests
{
    public class DmaBufferTests : HeapTest
    {
        [Fact]
        public void Properties_DescribeTheExportedBuffer()
        {
            using DmaBuffer buffer = Heap.Export(4000, "frame0");
            Assert.Equal(4000, buffer.Size);
            Assert.Equal("frame0", buffer.Name);
            Assert.Same(Heap, buffer.Heap);
            Assert.False(buffer.IsDisposed);
            Assert.True(buffer.Handle > 0);
            Assert.Equal(0, buffer.Region); // SRAM1, first region
            Assert.InRange(buffer.DmaAddress, 0x20020000u, 0x2007BFFFu);
            Assert.Equal(1, buffer.ReferenceCount);
        }

        [Fact]
        public void Properties_AfterDispose_SizeAndNameStayReadableTheRestThrow()
        {
            DmaBuffer buffer = Heap.Export(64, "gone");
            buffer.Dispose();
            Assert.True(buffer.IsDisposed);
            Assert.Equal(64, buffer.Size);
            Assert.Equal("gone", buffer.Name);
            Assert.Throws<ObjectDisposedException>(() => buffer.Handle);
            Assert.Throws<ObjectDisposedException>(() => buffer.DmaAddress);
            Assert.Throws<ObjectDisposedException>(() => buffer.Region);
            Assert.Throws<ObjectDisposedException>(() => buffer.ReferenceCount);
            Assert.Throws<ObjectDisposedException>(() => buffer.Attach(Heap.GetDevice("dma2")));
            Assert.Throws<ObjectDisposedException>(() => buffer.BeginCpuAccess(DmaDirection.ToDevice));
            Assert.Throws<ObjectDisposedException>(() => buffer.EndCpuAccess(DmaDirection.ToDevice));
        }

        [Fact]
        public void FromHandle_MakesASecondOwnerThatKeepsTheBufferAlive()
        {
            DmaBuffer first = Heap.Export(256, "shared");
            using (CpuAccess cpu = first.BeginCpuAccess(DmaDirection.ToDevice))
            {
                cpu.Write(0, Pattern(256, 1));
            }

            using DmaBuffer second = DmaBuffer.FromHandle(Heap, first.Handle);
            Assert.NotSame(first, second);
            Assert.Equal(first.Handle, second.Handle);
            Assert.Equal(256, second.Size);
            Assert.Equal("shared", second.Name);
            Assert.Equal(2, second.ReferenceCount);

            first.Dispose();
            Assert.Equal(1, second.ReferenceCount);
            Assert.Equal(1, Heap.GetStatistics().LiveBuffers);
            using (CpuAccess cpu = second.BeginCpuAccess(DmaDirection.FromDevice))
            {
                byte[] bytes = new byte[256];
                cpu.Read(0, bytes);
                Assert.Equal(Pattern(256, 1), bytes);
            }
        }

        [Fact]
        public void FromHandle_StaleHandle_ThrowsObjectDisposed()
        {
            DmaBuffer buffer = Heap.Export(64, "old");
            int handle = buffer.Handle;
            buffer.Dispose();
            using DmaBuffer reuse = Heap.Export(64, "new");
            AssertRefused<ObjectDisposedException>(() => DmaBuffer.FromHandle(Heap, handle));
        }

        [Fact]
        public void FromHandle_ForgedOrWrongTypeHandle_ThrowsObjectDisposed()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dma2"));
            AssertRefused<ObjectDisposedException>(() => DmaBuffer.FromHandle(Heap, attachment.Handle));
            AssertRefused<ObjectDisposedException>(() => DmaBuffer.FromHandle(Heap, buffer.Handle ^ 0x7000));
            AssertRefused<ObjectDisposedException>(() => DmaBuffer.FromHandle(Heap, int.MaxValue));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-5)]
        public void FromHandle_NonPositiveHandle_ThrowsArgumentOutOfRange(int handle)
        {
            Assert.Equal("handle", AssertRefused<ArgumentOutOfRangeException>(() => DmaBuffer.FromHandle(Heap, handle)).ParamName);
        }

        [Fact]
        public void FromHandle_NullHeap_ThrowsArgumentNull()
        {
            Assert.Equal("heap", Assert.Throws<ArgumentNullException>(() => DmaBuffer.FromHandle(null, 1)).ParamName);
        }

        [Fact]
        public void FromHandle_DisposedHeap_ThrowsObjectDisposed()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            Heap.Dispose();
            Assert.Throws<ObjectDisposedException>(() => DmaBuffer.FromHandle(Heap, buffer.Handle));
        }

        [Fact]
        public void Attach_ReachableDevice_ReturnsAttachment()
        {
            using DmaBuffer buffer = Heap.Export(1024, "b");
            using DmaAttachment attachment = buffer.Attach(Heap.GetDevice("dcmi"));
            Assert.Same(buffer, attachment.Buffer);
            Assert.Equal("dcmi", attachment.Device.Name);
            Assert.Equal(1, Heap.GetStatistics().LiveAttachments);
        }

        [Fact]
        public void Attach_NullDevice_ThrowsArgumentNull()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            Assert.Equal("device", AssertRefused<ArgumentNullException>(() => buffer.Attach(null)).ParamName);
        }

        [Fact]
        public void Attach_DeviceOfAnotherHeap_ThrowsArgument()
        {
            using DmaHeap other = DmaHeap.Open(Stm32);
            using DmaBuffer buffer = Heap.Export(64, "b");
            Assert.Equal("device", AssertRefused<ArgumentException>(() => buffer.Attach(other.GetDevice("dma2"))).ParamName);
        }

        [Fact]
        public void BeginCpuAccess_WholeBuffer_OpensTheWindow()
        {
            using DmaBuffer buffer = Heap.Export(100, "b");
            CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.Bidirectional);
            Assert.True(cpu.IsOpen);
            Assert.Same(buffer, cpu.Buffer);
            Assert.Equal(DmaDirection.Bidirectional, cpu.Direction);
            Assert.Equal(0, cpu.Offset);
            Assert.Equal(100, cpu.Length);
            buffer.EndCpuAccess(DmaDirection.Bidirectional);
            Assert.False(cpu.IsOpen);
        }

        [Fact]
        public void BeginCpuAccess_Range_OpensThatRange()
        {
            using DmaBuffer buffer = Heap.Export(100, "b");
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice, 10, 20);
            Assert.Equal(10, cpu.Offset);
            Assert.Equal(20, cpu.Length);
        }

        [Theory]
        [InlineData(-1, 10, "offset")]
        [InlineData(0, 0, "length")]
        [InlineData(0, -1, "length")]
        [InlineData(0, 101, "length")]
        [InlineData(100, 1, "length")]
        [InlineData(101, 1, "offset")]
        [InlineData(90, int.MaxValue, "length")]
        [InlineData(int.MaxValue, int.MaxValue, "offset")]
        public void BeginCpuAccess_RangeOutsideBuffer_ThrowsArgumentOutOfRange(int offset, int length, string parameter)
        {
            using DmaBuffer buffer = Heap.Export(100, "b");
            ArgumentOutOfRangeException e = AssertRefused<ArgumentOutOfRangeException>(
                () => buffer.BeginCpuAccess(DmaDirection.ToDevice, offset, length));
            Assert.Equal(parameter, e.ParamName);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(4)]
        [InlineData(-1)]
        public void BeginCpuAccess_UndefinedDirection_ThrowsArgumentOutOfRange(int direction)
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            Assert.Equal("direction", AssertRefused<ArgumentOutOfRangeException>(
                () => buffer.BeginCpuAccess((DmaDirection)direction)).ParamName);
        }

        [Fact]
        public void BeginCpuAccess_WhileOpen_ThrowsInvalidOperation()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            AssertRefused<InvalidOperationException>(() => buffer.BeginCpuAccess(DmaDirection.FromDevice));
            Assert.True(cpu.IsOpen);
            Assert.Equal(DmaDirection.ToDevice, cpu.Direction);
        }

        [Fact]
        public void BeginCpuAccess_WhileAnotherOwnerHasOne_ThrowsInvalidOperation()
        {
            using DmaBuffer first = Heap.Export(64, "b");
            using DmaBuffer second = DmaBuffer.FromHandle(Heap, first.Handle);
            using CpuAccess cpu = first.BeginCpuAccess(DmaDirection.ToDevice);
            AssertRefused<InvalidOperationException>(() => second.BeginCpuAccess(DmaDirection.ToDevice));
        }

        [Fact]
        public void BeginCpuAccess_WhileADeviceWrites_ThrowsInvalidOperation()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            using DmaAttachment camera = buffer.Attach(Heap.GetDevice("dcmi"));
            using DmaMapping mapping = camera.Map(DmaDirection.FromDevice);
            InvalidOperationException e = AssertRefused<InvalidOperationException>(() => buffer.BeginCpuAccess(DmaDirection.FromDevice));
            Assert.Contains("-16", e.Message);
            // The README's example error (its C program prints the same rule for 'frame0').
            Assert.Contains("dmabuf_begin_cpu_access: device-owns: device 'dcmi' holds a from-device mapping of buffer 'b'; unmap it first", e.Message);
        }

        [Fact]
        public void BeginCpuAccess_ReusesTheOneCpuAccessObject()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            CpuAccess first = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            first.Dispose();
            CpuAccess second = buffer.BeginCpuAccess(DmaDirection.FromDevice);
            Assert.Same(first, second);
            second.Dispose();
        }

        [Fact]
        public void BeginAndEnd_AllocateNothingOnTheManagedHeap()
        {
            using DmaBuffer buffer = Heap.Export(4096, "hot");
            buffer.BeginCpuAccess(DmaDirection.Bidirectional).Dispose(); // warm up (JIT, first-call stubs)
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                buffer.BeginCpuAccess(DmaDirection.Bidirectional);
                buffer.EndCpuAccess(DmaDirection.Bidirectional);
            }

            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }

        [Fact]
        public void EndCpuAccess_NothingOpen_ThrowsInvalidOperation()
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            AssertRefused<InvalidOperationException>(() => buffer.EndCpuAccess(DmaDirection.ToDevice));
        }

        [Theory]
        [InlineData(DmaDirection.FromDevice, 0, 64)]
        [InlineData(DmaDirection.Bidirectional, 0, 64)]
        [InlineData(DmaDirection.ToDevice, 0, 32)]
        [InlineData(DmaDirection.ToDevice, 32, 32)]
        public void EndCpuAccess_OtherDirectionOrRange_ThrowsInvalidOperationAndKeepsTheAccess(DmaDirection direction, int offset, int length)
        {
            // A defined direction and a range inside the buffer that are not the open access's: a
            // state error, not a bad argument.
            using DmaBuffer buffer = Heap.Export(64, "b");
            CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            AssertRefused<InvalidOperationException>(() => buffer.EndCpuAccess(direction, offset, length));
            AssertAccessStillOpenAndEndsProperly(buffer, cpu);
        }

        [Fact]
        public void EndCpuAccess_Range_ClosesTheRangeItOpened()
        {
            using DmaBuffer buffer = Heap.Export(256, "b");
            CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice, 64, 64);
            buffer.EndCpuAccess(DmaDirection.ToDevice, 64, 64);
            Assert.False(cpu.IsOpen);
            using (buffer.BeginCpuAccess(DmaDirection.ToDevice))
            {
            }
        }

        // Arguments no CPU access can have been opened with: an undefined direction, a negative
        // offset or length, an empty range, a range past the end, and offset + length past
        // int.MaxValue (which wraps negative, so a check written as offset + length > size passes).
        [Theory]
        [InlineData(7, 0, 64, "direction")]
        [InlineData(-1, 0, 64, "direction")]
        [InlineData(0, 0, 64, "direction")]
        [InlineData(1, -1, 64, "offset")]
        [InlineData(1, int.MinValue, 64, "offset")]
        [InlineData(1, int.MaxValue, 1, "offset")]
        [InlineData(1, int.MaxValue, int.MaxValue, "offset")]
        [InlineData(1, 0, -1, "length")]
        [InlineData(1, 0, int.MinValue, "length")]
        [InlineData(1, 0, 0, "length")]
        [InlineData(1, 0, 65, "length")]
        [InlineData(1, 64, 1, "length")]
        [InlineData(1, 1, int.MaxValue, "length")]
        [InlineData(1, 32, int.MaxValue, "length")]
        public void EndCpuAccess_ImpossibleDirectionOrRange_ThrowsArgumentOutOfRangeAndKeepsTheAccessUsable(
            int direction, int offset, int length, string parameter)
        {
            using DmaBuffer buffer = Heap.Export(64, "b");

            // Arguments are checked before the state: the same refusal with nothing open.
            Assert.Equal(parameter, AssertRefused<ArgumentOutOfRangeException>(
                () => buffer.EndCpuAccess((DmaDirection)direction, offset, length)).ParamName);

            CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            Assert.Equal(parameter, AssertRefused<ArgumentOutOfRangeException>(
                () => buffer.EndCpuAccess((DmaDirection)direction, offset, length)).ParamName);
            AssertAccessStillOpenAndEndsProperly(buffer, cpu);
        }

        [Theory]
        [InlineData(7)]
        [InlineData(-1)]
        [InlineData(0)]
        [InlineData(int.MinValue)]
        public void EndCpuAccess_WholeBufferWithUndefinedDirection_ThrowsArgumentOutOfRangeAndKeepsTheAccessUsable(int direction)
        {
            using DmaBuffer buffer = Heap.Export(64, "b");
            CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);
            Assert.Equal("direction", AssertRefused<ArgumentOutOfRangeException>(
                () => buffer.EndCpuAccess((DmaDirection)direction)).ParamName);
            AssertAccessStillOpenAndEndsProperly(buffer, cpu);
        }

        /// <summary>
        /// The whole-buffer ToDevice access <paramref name="cpu"/> is still open as it was opened,
        /// takes writes, and its proper end does the hand-over: the bytes reach bus memory.
        /// </summary>
        private void AssertAccessStillOpenAndEndsProperly(DmaBuffer buffer, CpuAccess cpu)
        {
            Assert.True(cpu.IsOpen);
            Assert.Equal(DmaDirection.ToDevice, cpu.Direction);
            Assert.Equal(0, cpu.Offset);
            Assert.Equal(64, cpu.Length);
            byte[] data = Pattern(64, 21);
            cpu.Write(0, data);
            buffer.EndCpuAccess(DmaDirection.ToDevice, 0, 64);
            Assert.False(cpu.IsOpen);
            Assert.Equal(data, BusRead(buffer.DmaAddress, 64));
        }

        [Fact]
        public void Dispose_EndsTheAccessAndDetachesEverything()
        {
            DmaBuffer buffer = Heap.Export(256, "b");
            DmaAttachment a = buffer.Attach(Heap.GetDevice("dma2"));
            DmaAttachment b = buffer.Attach(Heap.GetDevice("ltdc"));
            DmaMapping mapping = b.Map(DmaDirection.ToDevice);
            CpuAccess cpu = buffer.BeginCpuAccess(DmaDirection.ToDevice);

            buffer.Dispose();
            Assert.False(cpu.IsOpen);
            Assert.False(mapping.IsMapped);
            Assert.True(a.IsDisposed);
            Assert.True(b.IsDisposed);
            DmaHeapStatistics stats = Heap.GetStatistics();
            Assert.Equal(0, stats.LiveBuffers);
            Assert.Equal(0, stats.LiveAttachments);
            Assert.Equal(0, stats.InUse);
        }

        [Fact]
        public void Dispose_IsIdempotent()
        {
            DmaBuffer buffer = Heap.Export(64, "b");
            buffer.Dispose();
            buffer.Dispose();
            Assert.Equal(0, Heap.GetStatistics().LiveBuffers);
        }

        [Fact]
        public void Dispose_OnAnotherThread_Releases()
        {
            DmaBuffer buffer = Heap.Export(64, "b");
            Thread thread = new Thread(() => buffer.Dispose());
            thread.Start();
            thread.Join();
            Assert.True(buffer.IsDisposed);
            Assert.Equal(0, Heap.GetStatistics().LiveBuffers);
        }

        [Fact]
        public void Dispose_FromManyThreadsAtOnce_ReleasesOnce()
        {
            DmaBuffer buffer = Heap.Export(64, "b");
            DmaBuffer other = DmaBuffer.FromHandle(Heap, buffer.Handle);
            RunConcurrently(8, () => buffer.Dispose());
            Assert.Equal(1, other.ReferenceCount);
            other.Dispose();
            Assert.Equal(0, Heap.GetStatistics().LiveBuffers);
        }

        [Fact]
        public void Finalizer_ReleasesAnUndisposedBuffer()
        {
            ExportAndDrop(Heap, "leaked");
            GC.Collect();
            GC.WaitForPendingFinalizers();
            DmaHeapStatistics stats = Heap.GetStatistics();
            Assert.Equal(0, stats.LiveBuffers);
            Assert.Equal(0, stats.LiveAttachments);
        }

#if DEBUG
        [Fact]
        public void Finalizer_ReportsTheLeakedBufferByName()
        {
            string report = null;
            DmaDiagnostics.LeakHandler handler = message => report = message;
            DmaDiagnostics.LeakReported += handler;
            try
            {
                ExportAndDrop(Heap, "forgotten");
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            finally
            {
                DmaDiagnostics.LeakReported -= handler;
            }

            Assert.NotNull(report);
            Assert.Contains("'forgotten'", report);
        }
#endif

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ExportAndDrop(DmaHeap heap, string name)
        {
            DmaBuffer buffer = heap.Export(64, name);
            buffer.Attach(heap.GetDevice("dma2")).Map(DmaDirection.ToDevice);
            buffer.BeginCpuAccess(DmaDirection.ToDevice);
        }
    }
}
