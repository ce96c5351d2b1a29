using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

// Every P/Invoke below is blittable (integers, doubles and pointers): no marshalling stubs.
[assembly: DisableRuntimeMarshalling]

namespace nanoFramework.DmaBuf.Simulation
{
    /// <summary>
    /// The P/Invoke side of the simulated peripherals: native-interop/interop/host/peripherals_host.h
    /// (and the heap fence calls of dmabuf_host.h), in libdmabuf_host. Each method returns the native
    /// int result unchanged: a non-negative value or id, or a negative dmabuf_error.
    /// </summary>
    internal static unsafe class SimulationNative
    {
        private const string Library = "dmabuf_host";

        // Native value counts (KEEP IN SYNC with peripherals_host.h).
        internal const int MappingValues = 5;
        internal const int CacheCountValues = 14;
        internal const int SimulatorStatisticsValues = 5;
        internal const int RequestValues = 4;

        /// <summary>The native id of a heap: DmaHeap keeps it internal, for simulator hooks like these.</summary>
        [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_NativeId")]
        internal static extern int HeapId(DmaHeap heap);

        /// <summary>The native id of a peripheral of the heap (DmaHeap.OpenCamera and the like).</summary>
        [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_NativeId")]
        internal static extern int PeripheralId(DmaPeripheral peripheral);

        /// <summary>A mapping as the five values the native side takes (dmabuf_host_map's layout).</summary>
        internal static int[] MappingValuesOf(DmaMapping mapping)
        {
            return new int[MappingValues]
            {
                unchecked((int)mapping.DmaAddress), mapping.Length, mapping.SegmentSize, mapping.SegmentCount,
                (int)mapping.Direction,
            };
        }

        internal static int Now(int heap, out long now)
        {
            long value = 0;
            int error = dmabuf_host_sim_now(heap, &value);
            now = value;
            return error;
        }

        internal static int SetEvictionRate(int heap, double rate) => dmabuf_host_sim_set_eviction_rate(heap, rate);

        internal static int Seed(int heap, long seed) => dmabuf_host_sim_seed(heap, seed);

        internal static int DropCacheOperations(int heap, bool drop) => dmabuf_host_sim_drop_cache_operations(heap, drop ? 1 : 0);

        internal static int CacheCounts(int heap, long[] values)
        {
            fixed (long* p = values)
            {
                return dmabuf_host_sim_cache_counts(heap, p, values.Length);
            }
        }

        internal static long ThreadCpuNanoseconds() => dmabuf_host_sim_thread_cpu_ns();

        internal static int SimulatorStatistics(int heap, long[] values)
        {
            fixed (long* p = values)
            {
                return dmabuf_host_sim_stats(heap, p, values.Length);
            }
        }

        internal static int CameraPattern(int width, int height, long seed, int frame, Span<byte> destination)
        {
            fixed (byte* p = destination)
            {
                return dmabuf_host_camera_pattern(width, height, seed, frame, p, destination.Length);
            }
        }

        internal static int PeripheralGlass(int heap, int peripheral, Span<byte> destination)
        {
            fixed (byte* p = destination)
            {
                return dmabuf_host_peripheral_read_glass(heap, peripheral, p, destination.Length);
            }
        }

        internal static int PeripheralCameraStatistics(int heap, int peripheral, long[] values)
        {
            fixed (long* p = values)
            {
                return dmabuf_host_peripheral_camera_stats(heap, peripheral, p, values.Length);
            }
        }

        internal static int SetScene(int peripherals, long seed) => dmabuf_host_sim_set_scene(peripherals, seed);

        internal static int SetDisplayFormats(int peripherals, int formats) => dmabuf_host_sim_set_display_formats(peripherals, formats);

        internal static int SetCameraFormats(int peripherals, int formats) => dmabuf_host_sim_set_camera_formats(peripherals, formats);

        internal static int SetCameraSize(int peripherals, int width, int height) => dmabuf_host_sim_set_camera_size(peripherals, width, height);

        internal static int PeripheralsOpen(int heap, out int peripherals)
        {
            int id = 0;
            int error = dmabuf_host_peripherals_open(heap, &id);
            peripherals = id;
            return error;
        }

        internal static int PeripheralsClose(int peripherals) => dmabuf_host_peripherals_close(peripherals);

        internal static int RunUntil(int peripherals, long when) => dmabuf_host_peripherals_run_until(peripherals, when);

        internal static int Wait(int peripherals, int[] fences, int count, long timeout)
        {
            fixed (int* p = fences)
            {
                return dmabuf_host_peripherals_wait(peripherals, p, count, timeout);
            }
        }

        internal static int Request(int peripherals, int fence, long[] values)
        {
            fixed (long* p = values)
            {
                return dmabuf_host_peripherals_request(peripherals, fence, p, values.Length);
            }
        }

        internal static int Release(int peripherals, int fence) => dmabuf_host_peripherals_release(peripherals, fence);

        internal static int CameraCreate(int peripherals, long[] config)
        {
            fixed (long* p = config)
            {
                return dmabuf_host_camera_create(peripherals, p, config.Length);
            }
        }

        internal static int CameraCapture(int peripherals, int camera, int[] mapping)
        {
            fixed (int* p = mapping)
            {
                return dmabuf_host_camera_capture(peripherals, camera, p, mapping.Length);
            }
        }

        internal static int CameraStatistics(int peripherals, int camera, long[] values)
        {
            fixed (long* p = values)
            {
                return dmabuf_host_camera_stats(peripherals, camera, p, values.Length);
            }
        }

        internal static int DisplayCreate(int peripherals, long[] config)
        {
            fixed (long* p = config)
            {
                return dmabuf_host_display_create(peripherals, p, config.Length);
            }
        }

        internal static int DisplayPresent(int peripherals, int display, int[] mapping)
        {
            fixed (int* p = mapping)
            {
                return dmabuf_host_display_present(peripherals, display, p, mapping.Length);
            }
        }

        internal static int DisplayPanel(int peripherals, int display, Span<byte> destination)
        {
            fixed (byte* p = destination)
            {
                return dmabuf_host_display_panel(peripherals, display, p, destination.Length);
            }
        }

        internal static int DisplayStatistics(int peripherals, int display, long[] values)
        {
            fixed (long* p = values)
            {
                return dmabuf_host_display_stats(peripherals, display, p, values.Length);
            }
        }

        internal static int SpiPanelCreate(int peripherals, long[] config)
        {
            fixed (long* p = config)
            {
                return dmabuf_host_spi_panel_create(peripherals, p, config.Length);
            }
        }

        internal static int SpiPanelWrite(int peripherals, int panel, int[] mapping, int offset, int stride, int[] window)
        {
            fixed (int* m = mapping)
            fixed (int* w = window)
            {
                return dmabuf_host_spi_panel_write(peripherals, panel, m, mapping.Length, offset, stride, w);
            }
        }

        internal static int SpiPanelGlass(int peripherals, int panel, Span<byte> destination)
        {
            fixed (byte* p = destination)
            {
                return dmabuf_host_spi_panel_glass(peripherals, panel, p, destination.Length);
            }
        }

        internal static int SpiPanelStatistics(int peripherals, int panel, long[] values)
        {
            fixed (long* p = values)
            {
                return dmabuf_host_spi_panel_stats(peripherals, panel, p, values.Length);
            }
        }

        [DllImport(Library)]
        private static extern int dmabuf_host_sim_now(int heap, long* now);

        [DllImport(Library)]
        private static extern int dmabuf_host_sim_set_eviction_rate(int heap, double rate);

        [DllImport(Library)]
        private static extern int dmabuf_host_sim_seed(int heap, long seed);

        [DllImport(Library)]
        private static extern int dmabuf_host_sim_drop_cache_operations(int heap, int drop);

        [DllImport(Library)]
        private static extern int dmabuf_host_sim_cache_counts(int heap, long* values, int count);

        [DllImport(Library)]
        private static extern long dmabuf_host_sim_thread_cpu_ns();

        [DllImport(Library)]
        private static extern int dmabuf_host_sim_stats(int heap, long* values, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_camera_pattern(int width, int height, long seed, int frame, byte* destination, int length);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripherals_open(int heap, int* peripherals);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripherals_close(int peripherals);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripherals_run_until(int peripherals, long when);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripherals_wait(int peripherals, int* fences, int count, long timeout);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripherals_request(int peripherals, int fence, long* values, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripherals_release(int peripherals, int fence);

        [DllImport(Library)]
        private static extern int dmabuf_host_camera_create(int peripherals, long* config, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_camera_capture(int peripherals, int camera, int* mapping, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_camera_stats(int peripherals, int camera, long* values, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_display_create(int peripherals, long* config, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_display_present(int peripherals, int display, int* mapping, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_display_panel(int peripherals, int display, byte* destination, int length);

        [DllImport(Library)]
        private static extern int dmabuf_host_display_stats(int peripherals, int display, long* values, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_spi_panel_create(int peripherals, long* config, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_spi_panel_write(int peripherals, int panel, int* mapping, int count, int offset, int stride, int* window);

        [DllImport(Library)]
        private static extern int dmabuf_host_spi_panel_glass(int peripherals, int panel, byte* destination, int length);

        [DllImport(Library)]
        private static extern int dmabuf_host_spi_panel_stats(int peripherals, int panel, long* values, int count);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripheral_read_glass(int heap, int peripheral, byte* data, int length);

        [DllImport(Library)]
        private static extern int dmabuf_host_sim_set_scene(int peripherals, long seed);

        [DllImport(Library)]
        private static extern int dmabuf_host_sim_set_display_formats(int peripherals, int formats);

        [DllImport(Library)]
        private static extern int dmabuf_host_sim_set_camera_formats(int peripherals, int formats);

        [DllImport(Library)]
        private static extern int dmabuf_host_sim_set_camera_size(int peripherals, int width, int height);

        [DllImport(Library)]
        private static extern int dmabuf_host_peripheral_camera_stats(int heap, int peripheral, long* values, int count);
    }
}
