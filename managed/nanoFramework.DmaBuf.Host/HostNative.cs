using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

// Every P/Invoke below is blittable (ints and pointers), so calls go straight to native code
// with no marshalling stub; strings are converted by hand off the hot path.
[assembly: DisableRuntimeMarshalling]

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// Host build only: the P/Invoke side of the "Native Calls" regions. Each method forwards to
    /// the flat C ABI of native-interop/interop/host/dmabuf_host.h and returns its int result
    /// unchanged (a handle or index, 0, or a negative native error), exactly as the
    /// nanoFramework InternalCall externs do, so the shared call sites are the same in both builds.
    /// </summary>
    internal static unsafe partial class HostNative
    {
        private const string Library = "dmabuf_host";

        // Native DMABUF_NAME_MAX.
        private const int NameMax = 16;

        // Longest UTF-8 name (with its NUL) converted on the stack rather than in a new array.
        private const int StackNameMax = 256;

        internal static int HeapOpen(string board, out int heap)
        {
            int id = 0;
            int error;
            fixed (byte* name = Utf8(board))
            {
                error = dmabuf_host_heap_open(name, &id);
            }

            heap = id;
            return error;
        }

        internal static int HeapClose(int heap) => dmabuf_host_heap_close(heap);

        internal static int LiveHeaps() => dmabuf_host_live_heaps();

        internal static int HeapStatistics(int heap, long[] values)
        {
            fixed (long* p = values)
            {
                return dmabuf_host_heap_stats(heap, p, values.Length);
            }
        }

        internal static int CacheStatistics(int heap, long[] values, bool reset)
        {
            fixed (long* p = values)
            {
                return dmabuf_host_cache_stats(heap, p, values == null ? 0 : values.Length, reset ? 1 : 0);
            }
        }

        internal static string DescribeBuffers(int heap)
        {
            int needed = dmabuf_host_bufinfo(heap, null, 0);
            if (needed < 0)
            {
                return null;
            }

            byte[] text = new byte[needed + 1];
            fixed (byte* p = text)
            {
                needed = dmabuf_host_bufinfo(heap, p, text.Length);
            }

            return needed < 0 ? null : Encoding.UTF8.GetString(text, 0, Math.Min(needed, text.Length - 1));
        }

        internal static int Check(int heap) => dmabuf_host_check(heap);

        internal static int FindDevice(int heap, string name)
        {
            fixed (byte* p = Utf8(name))
            {
                return dmabuf_host_device_find(heap, p);
            }
        }

        internal static int Export(int heap, int size, string name, int flags)
        {
            if (name == null)
            {
                return dmabuf_host_export(heap, size, null, flags);
            }

            // An export is a hot path: a name that fits goes through the stack, not a new array.
            int bytes = Encoding.UTF8.GetByteCount(name) + 1;
            if (bytes > StackNameMax)
            {
                fixed (byte* p = Utf8(name))
                {
                    return dmabuf_host_export(heap, size, p, flags);
                }
            }

            byte* text = stackalloc byte[bytes];
            text[Encoding.UTF8.GetBytes(name, new Span<byte>(text, bytes - 1))] = 0;
            return dmabuf_host_export(heap, size, text, flags);
        }

        internal static int Get(int heap, int buffer) => dmabuf_host_get(heap, buffer);

        internal static int Put(int heap, int buffer) => dmabuf_host_put(heap, buffer);

        internal static int BufferInfo(int heap, int buffer, int[] values)
        {
            fixed (int* p = values)
            {
                return dmabuf_host_buffer_info(heap, buffer, p, values.Length);
            }
        }

        internal static string BufferName(int heap, int buffer)
        {
            byte* name = stackalloc byte[NameMax];
            if (dmabuf_host_buffer_name(heap, buffer, name, NameMax) < 0)
            {
                return null;
            }

            return Marshal.PtrToStringUTF8((IntPtr)name);
        }

        internal static int Attach(int heap, int buffer, int device) => dmabuf_host_attach(heap, buffer, device);

        internal static int Detach(int heap, int attachment) => dmabuf_host_detach(heap, attachment);

        internal static int Map(int heap, int attachment, int direction, int[] mapping)
        {
            fixed (int* p = mapping)
            {
                return dmabuf_host_map(heap, attachment, direction, p, mapping.Length);
            }
        }

        internal static int Unmap(int heap, int attachment, int direction, int[] mapping)
        {
            fixed (int* p = mapping)
            {
                return dmabuf_host_unmap(heap, attachment, direction, p, mapping.Length);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static int BeginCpuAccess(int heap, int buffer, int direction, int offset, int length, out IntPtr cpu)
        {
            void* address = null;
            int error = dmabuf_host_begin_cpu_access(heap, buffer, direction, offset, length, &address);
            cpu = (IntPtr)address;
            return error;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static int EndCpuAccess(int heap, int buffer, int direction, int offset, int length)
            => dmabuf_host_end_cpu_access(heap, buffer, direction, offset, length);

        internal static string TakeLastMessage()
        {
            const int Capacity = 256;
            byte* text = stackalloc byte[Capacity];
            int length = dmabuf_host_take_last_message(text, Capacity);
            return length <= 0 ? null : Marshal.PtrToStringUTF8((IntPtr)text);
        }

        internal static int SimulatorBusRead(int heap, uint address, byte[] data)
        {
            fixed (byte* p = data)
            {
                return dmabuf_host_sim_bus_read(heap, address, p, data.Length);
            }
        }

        internal static int SimulatorBusWrite(int heap, uint address, byte[] data)
        {
            fixed (byte* p = data)
            {
                return dmabuf_host_sim_bus_write(heap, address, p, data.Length);
            }
        }

        internal static int SimulatorEvictAll(int heap) => dmabuf_host_sim_evict_all(heap);

        internal static int FenceCreate(int heap) => dmabuf_host_fence_create(heap);

        internal static int FencePut(int heap, int fence) => dmabuf_host_fence_put(heap, fence);

        internal static int FenceSignal(int heap, int fence, int error) => dmabuf_host_fence_signal(heap, fence, error);

        internal static int FenceStatus(int heap, int fence) => dmabuf_host_fence_status(heap, fence);

        internal static int FenceWait(int heap, int fence, int timeoutMicroseconds) => dmabuf_host_fence_wait(heap, fence, unchecked((uint)timeoutMicroseconds));

        internal static int FenceInfo(int heap, int fence, int[] values)
        {
            fixed (int* p = values)
            {
                return dmabuf_host_fence_info(heap, fence, p, values.Length);
            }
        }

        internal static int LiveFences(int heap) => dmabuf_host_live_fences(heap);

        internal static int ResvAttachJob(int heap, int buffer, int direction, int fence) => dmabuf_host_resv_attach_job(heap, buffer, direction, fence);

        internal static int ResvWait(int heap, int buffer, bool write, int timeoutMicroseconds)
            => dmabuf_host_resv_wait(heap, buffer, write ? 1 : 0, unchecked((uint)timeoutMicroseconds));

        internal static int ResvImplicitSync(int heap, int buffer, int on) => dmabuf_host_resv_implicit_sync(heap, buffer, on);

        internal static int QueueCreate(int heap, int mode, int[] buffers)
        {
            fixed (int* p = buffers)
            {
                return dmabuf_host_queue_create(heap, mode, p, buffers.Length);
            }
        }

        internal static int QueueDestroy(int heap, int queue) => dmabuf_host_queue_destroy(heap, queue);

        internal static int LiveQueues(int heap) => dmabuf_host_live_queues(heap);

        internal static int QueueClose(int heap, int queue) => dmabuf_host_queue_close(heap, queue);

        internal static int QueueDequeue(int heap, int queue, int timeoutMicroseconds)
            => dmabuf_host_queue_dequeue(heap, queue, unchecked((uint)timeoutMicroseconds));

        internal static int QueueEnqueue(int heap, int queue, int index, long timestampMicroseconds)
            => dmabuf_host_queue_enqueue(heap, queue, index, timestampMicroseconds);

        internal static int QueueCancel(int heap, int queue, int index) => dmabuf_host_queue_cancel(heap, queue, index);

        internal static int QueueAcquire(int heap, int queue, int timeoutMicroseconds, long[] stamp)
        {
            int sequence = 0;
            long timestamp = 0;
            int result = dmabuf_host_queue_acquire(heap, queue, unchecked((uint)timeoutMicroseconds), &sequence, &timestamp);
            stamp[0] = sequence;
            stamp[1] = timestamp;
            return result;
        }

        internal static int QueueRelease(int heap, int queue, int index) => dmabuf_host_queue_release(heap, queue, index);

        internal static int QueueFrameState(int heap, int queue, int index) => dmabuf_host_queue_frame_state(heap, queue, index);

        internal static int QueueStatistics(int heap, int queue, int[] values)
        {
            fixed (int* p = values)
            {
                return dmabuf_host_queue_stats(heap, queue, p, values.Length);
            }
        }

        // NUL-terminated UTF-8; null stays null so the native side reports the bad argument.
        internal static int PeripheralOpen(int heap, string name, int kind, int width, int height, int format)
        {
            fixed (byte* p = Utf8(name))
            {
                return dmabuf_host_peripheral_open(heap, p, kind, width, height, format);
            }
        }

        internal static int PeripheralClose(int heap, int peripheral) => dmabuf_host_peripheral_close(heap, peripheral);

        internal static int PeripheralFormats(int heap, string name)
        {
            fixed (byte* p = Utf8(name))
            {
                return dmabuf_host_peripheral_formats(heap, p, 0);
            }
        }

        internal static int PeripheralFrameSize(int heap, string name, int[] values)
        {
            fixed (byte* p = Utf8(name))
            fixed (int* v = values)
            {
                return dmabuf_host_peripheral_frame_size(heap, p, v, values.Length);
            }
        }

        internal static int PeripheralCommand(int heap, int peripheral, int command, byte[] parameters)
        {
            fixed (byte* p = parameters)
            {
                return dmabuf_host_peripheral_command(heap, peripheral, command, p, parameters == null ? 0 : parameters.Length);
            }
        }

        internal static int PeripheralInfo(int heap, int peripheral, int[] values)
        {
            fixed (int* p = values)
            {
                return dmabuf_host_peripheral_info(heap, peripheral, p, values.Length);
            }
        }

        internal static string PeripheralDevice(int heap, int peripheral)
        {
            byte* name = stackalloc byte[NameMax];
            if (dmabuf_host_peripheral_device(heap, peripheral, name, NameMax) < 0)
            {
                return null;
            }

            return Marshal.PtrToStringUTF8((IntPtr)name);
        }

        internal static int PeripheralCapture(int heap, int peripheral, int[] mapping)
        {
            fixed (int* m = mapping)
            {
                return dmabuf_host_peripheral_capture(heap, peripheral, m, mapping.Length);
            }
        }

        internal static int PeripheralPresent(int heap, int peripheral, int[] mapping)
        {
            fixed (int* m = mapping)
            {
                return dmabuf_host_peripheral_present(heap, peripheral, m, mapping.Length);
            }
        }

        internal static int PeripheralWriteRect(int heap, int peripheral, int[] mapping, int offset, int stride, int[] window)
        {
            fixed (int* m = mapping)
            fixed (int* w = window)
            {
                return dmabuf_host_peripheral_write_rect(heap, peripheral, m, mapping.Length, offset, stride, w);
            }
        }

        internal static int PeripheralCompletion(int heap, int peripheral, int fence, long[] values)
        {
            fixed (long* v = values)
            {
                return dmabuf_host_peripheral_completion(heap, peripheral, fence, v, values.Length);
            }
        }

        private static byte[] Utf8(string text)
        {
            if (text == null)
            {
                return null;
            }

            byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
            Encoding.UTF8.GetBytes(text, 0, text.Length, bytes, 0);
            return bytes;
        }

        [DllImport(Library)]
        private static extern int dmabuf_host_heap_open(byte* board, int* heap);

        [DllImport(Library)]
        private static extern int dmabuf_host_heap_close(int heap);

        [DllImport(Library)]
        private static extern int dmabuf_host_live_heaps();

        [DllImport(Library)]
        private static extern int dmabuf_host_heap_stats(int heap, long* values, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_cache_stats(int heap, long* values, int count, int reset);

        [DllImport(Library)]
        private static extern int dmabuf_host_bufinfo(int heap, byte* text, int length);

        [DllImport(Library)]
        private static extern int dmabuf_host_check(int heap);

        [DllImport(Library)]
        private static extern int dmabuf_host_device_find(int heap, byte* name);

        [DllImport(Library)]
        private static extern int dmabuf_host_export(int heap, int size, byte* name, int flags);

        [DllImport(Library)]
        private static extern int dmabuf_host_get(int heap, int buffer);

        [DllImport(Library)]
        private static extern int dmabuf_host_put(int heap, int buffer);

        [DllImport(Library)]
        private static extern int dmabuf_host_buffer_info(int heap, int buffer, int* values, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_buffer_name(int heap, int buffer, byte* name, int length);

        [DllImport(Library)]
        private static extern int dmabuf_host_attach(int heap, int buffer, int device);

        [DllImport(Library)]
        private static extern int dmabuf_host_detach(int heap, int attachment);

        [DllImport(Library)]
        private static extern int dmabuf_host_map(int heap, int attachment, int direction, int* mapping, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_unmap(int heap, int attachment, int direction, int* mapping, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_begin_cpu_access(int heap, int buffer, int direction, int offset, int length, void** cpu);

        [DllImport(Library)]
        private static extern int dmabuf_host_end_cpu_access(int heap, int buffer, int direction, int offset, int length);

        [DllImport(Library)]
        private static extern int dmabuf_host_take_last_message(byte* text, int length);

        [DllImport(Library)]
        private static extern int dmabuf_host_fence_create(int heap);

        [DllImport(Library)]
        private static extern int dmabuf_host_fence_put(int heap, int fence);

        [DllImport(Library)]
        private static extern int dmabuf_host_fence_signal(int heap, int fence, int error);

        [DllImport(Library)]
        private static extern int dmabuf_host_fence_status(int heap, int fence);

        [DllImport(Library)]
        private static extern int dmabuf_host_fence_wait(int heap, int fence, uint timeoutMicroseconds);

        [DllImport(Library)]
        private static extern int dmabuf_host_fence_info(int heap, int fence, int* values, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_live_fences(int heap);

        [DllImport(Library)]
        private static extern int dmabuf_host_resv_attach_job(int heap, int buffer, int direction, int fence);

        [DllImport(Library)]
        private static extern int dmabuf_host_resv_wait(int heap, int buffer, int write, uint timeoutMicroseconds);

        [DllImport(Library)]
        private static extern int dmabuf_host_resv_implicit_sync(int heap, int buffer, int on);

        [DllImport(Library)]
        private static extern int dmabuf_host_queue_create(int heap, int mode, int* buffers, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_queue_destroy(int heap, int queue);

        [DllImport(Library)]
        private static extern int dmabuf_host_live_queues(int heap);

        [DllImport(Library)]
        private static extern int dmabuf_host_queue_close(int heap, int queue);

        [DllImport(Library)]
        private static extern int dmabuf_host_queue_dequeue(int heap, int queue, uint timeoutMicroseconds);

        [DllImport(Library)]
        private static extern int dmabuf_host_queue_enqueue(int heap, int queue, int index, long timestampMicroseconds);

        [DllImport(Library)]
        private static extern int dmabuf_host_queue_cancel(int heap, int queue, int index);

        [DllImport(Library)]
        private static extern int dmabuf_host_queue_acquire(int heap, int queue, uint timeoutMicroseconds, int* sequence, long* timestamp);

        [DllImport(Library)]
        private static extern int dmabuf_host_queue_release(int heap, int queue, int index);

        [DllImport(Library)]
        private static extern int dmabuf_host_queue_frame_state(int heap, int queue, int index);

        [DllImport(Library)]
        private static extern int dmabuf_host_queue_stats(int heap, int queue, int* values, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_sim_bus_read(int heap, uint address, byte* data, int length);

        [DllImport(Library)]
        private static extern int dmabuf_host_sim_bus_write(int heap, uint address, byte* data, int length);

        [DllImport(Library)]
        private static extern int dmabuf_host_sim_evict_all(int heap);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripheral_open(int heap, byte* name, int kind, int width, int height, int format);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripheral_close(int heap, int peripheral);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripheral_formats(int heap, byte* name, int kind);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripheral_frame_size(int heap, byte* name, int* values, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripheral_command(int heap, int peripheral, int command, byte* parameters, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripheral_info(int heap, int peripheral, int* values, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripheral_device(int heap, int peripheral, byte* name, int length);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripheral_capture(int heap, int peripheral, int* mapping, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripheral_present(int heap, int peripheral, int* mapping, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripheral_write_rect(int heap, int peripheral, int* mapping, int count, int offset,
            int stride, int* window);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripheral_completion(int heap, int peripheral, int fence, long* values, int count);
    }
}
