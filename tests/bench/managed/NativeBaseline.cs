using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

// The same call style as the library's HostNative: blittable arguments only, so each call goes
// straight to native code; the baseline is the cheapest way managed code can reach the library.
[assembly: DisableRuntimeMarshalling]

namespace DmaBuf.Benchmarks
{
    /// <summary>
    /// The baseline of every ratio: the native entry points (native-interop/interop/host/dmabuf_host.h)
    /// called directly, with no managed object, check or lock around them.
    /// </summary>
    internal static unsafe class NativeBaseline
    {
        private const string Library = "dmabuf_host";

        [DllImport(Library)]
        internal static extern int dmabuf_host_heap_open(byte* board, int* heap);

        [DllImport(Library)]
        internal static extern int dmabuf_host_heap_close(int heap);

        [DllImport(Library)]
        internal static extern int dmabuf_host_device_find(int heap, byte* name);

        [DllImport(Library)]
        internal static extern int dmabuf_host_export(int heap, int size, byte* name, int flags);

        [DllImport(Library)]
        internal static extern int dmabuf_host_put(int heap, int buffer);

        [DllImport(Library)]
        internal static extern int dmabuf_host_attach(int heap, int buffer, int device);

        [DllImport(Library)]
        internal static extern int dmabuf_host_detach(int heap, int attachment);

        [DllImport(Library)]
        internal static extern int dmabuf_host_map(int heap, int attachment, int direction, int* mapping, int count);

        [DllImport(Library)]
        internal static extern int dmabuf_host_unmap(int heap, int attachment, int direction, int* mapping, int count);

        [DllImport(Library)]
        internal static extern int dmabuf_host_begin_cpu_access(int heap, int buffer, int direction, int offset,
                                                                int length, void** cpu);

        [DllImport(Library)]
        internal static extern int dmabuf_host_end_cpu_access(int heap, int buffer, int direction, int offset,
                                                              int length);

        [DllImport(Library)]
        internal static extern int dmabuf_host_fence_create(int heap);

        [DllImport(Library)]
        internal static extern int dmabuf_host_fence_signal(int heap, int fence, int error);

        [DllImport(Library)]
        internal static extern int dmabuf_host_fence_put(int heap, int fence);

        [DllImport(Library)]
        internal static extern int dmabuf_host_queue_create(int heap, int mode, int* buffers, int count);

        [DllImport(Library)]
        internal static extern int dmabuf_host_queue_destroy(int heap, int queue);

        [DllImport(Library)]
        internal static extern int dmabuf_host_queue_dequeue(int heap, int queue, uint timeoutMicroseconds);

        [DllImport(Library)]
        internal static extern int dmabuf_host_queue_enqueue(int heap, int queue, int index, long timestamp);

        [DllImport(Library)]
        internal static extern int dmabuf_host_queue_acquire(int heap, int queue, uint timeoutMicroseconds,
                                                             int* sequence, long* timestamp);

        [DllImport(Library)]
        internal static extern int dmabuf_host_queue_release(int heap, int queue, int index);

        /// <summary>A native result that must not be an error (a broken setup is never a data point).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static int Check(int result)
        {
            if (result < 0)
            {
                Fail(result);
            }

            return result;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Fail(int result)
        {
            throw new System.InvalidOperationException("native call failed: " + result);
        }
    }
}
