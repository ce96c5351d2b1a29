using System.Runtime.InteropServices;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// Host build only: the P/Invoke side of <see cref="DmaFrame"/> and of the CPU copy counter,
    /// forwarding to native-interop/interop/host/frames_host.h. A frame crosses as the 6 values
    /// of its descriptor (buffer handle, offset, width, height, stride, format).
    /// </summary>
    internal static unsafe partial class HostNative
    {
        internal static int FrameCheck(int heap, int[] frame)
        {
            fixed (int* f = frame)
            {
                return dmabuf_host_frame_check(heap, f);
            }
        }

        internal static int FrameFill(int heap, int[] frame, int x, int y, int width, int height, int color)
        {
            fixed (int* f = frame)
            {
                return dmabuf_host_frame_fill(heap, f, x, y, width, height, color);
            }
        }

        internal static int FrameDarken(int heap, int[] frame, int x, int y, int width, int height)
        {
            fixed (int* f = frame)
            {
                return dmabuf_host_frame_darken(heap, f, x, y, width, height);
            }
        }

        internal static int FrameBlend(int heap, int[] frame, int x, int y, int width, int height, int color, int alpha)
        {
            fixed (int* f = frame)
            {
                return dmabuf_host_frame_blend(heap, f, x, y, width, height, color, alpha);
            }
        }

        internal static int FrameCopy(int heap, int[] source, int x, int y, int width, int height, int[] destination,
            int destinationX, int destinationY)
        {
            fixed (int* s = source)
            fixed (int* d = destination)
            {
                return dmabuf_host_frame_copy(heap, s, x, y, width, height, d, destinationX, destinationY);
            }
        }

        internal static int FrameDrawText(int heap, int[] frame, int x, int y, string text, int color, int scale)
        {
            // One byte per character; a character beyond Latin-1 becomes 0, which the native
            // side refuses as not printable, as it refuses every byte outside 0x20..0x7E.
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = text[i] > 0xFF ? (byte)0 : (byte)text[i];
            }

            fixed (int* f = frame)
            fixed (byte* t = bytes)
            {
                return dmabuf_host_frame_draw_text(heap, f, x, y, t, text.Length, color, scale);
            }
        }

        internal static int FrameDrawSprite(int heap, int[] frame, int x, int y, byte[] pixels, int width, int height,
            int transparentColor)
        {
            fixed (int* f = frame)
            fixed (byte* p = pixels)
            {
                return dmabuf_host_frame_draw_sprite(heap, f, x, y, p, pixels.Length, width, height, transparentColor);
            }
        }

        internal static int FrameReadPixel(int heap, int[] frame, int x, int y)
        {
            int color = 0;
            int error;
            fixed (int* f = frame)
            {
                error = dmabuf_host_frame_read_pixel(heap, f, x, y, &color);
            }

            return error < 0 ? error : color;
        }

        internal static int FrameReadRow(int heap, int[] frame, int x, int y, int count, byte[] destination)
        {
            fixed (int* f = frame)
            fixed (byte* d = destination)
            {
                return dmabuf_host_frame_read_row(heap, f, x, y, count, d, destination.Length);
            }
        }

        internal static int CountCpuCopy(int heap, int bytes) => dmabuf_host_cpu_copy_count(heap, bytes);

        internal static int CpuCopyStatistics(int heap, long[] values, bool reset)
        {
            fixed (long* p = values)
            {
                return dmabuf_host_cpu_copy_stats(heap, p, values == null ? 0 : values.Length, reset ? 1 : 0);
            }
        }

        [DllImport(Library)]
        private static extern int dmabuf_host_frame_check(int heap, int* frame);

        [DllImport(Library)]
        private static extern int dmabuf_host_frame_fill(int heap, int* frame, int x, int y, int width, int height, int rgb);

        [DllImport(Library)]
        private static extern int dmabuf_host_frame_darken(int heap, int* frame, int x, int y, int width, int height);

        [DllImport(Library)]
        private static extern int dmabuf_host_frame_blend(int heap, int* frame, int x, int y, int width, int height,
            int rgb, int alpha);

        [DllImport(Library)]
        private static extern int dmabuf_host_frame_copy(int heap, int* source, int x, int y, int width, int height,
            int* destination, int destX, int destY);

        [DllImport(Library)]
        private static extern int dmabuf_host_frame_draw_text(int heap, int* frame, int x, int y, byte* text, int length,
            int rgb, int scale);

        [DllImport(Library)]
        private static extern int dmabuf_host_frame_draw_sprite(int heap, int* frame, int x, int y, byte* pixels,
            int pixelsLength, int width, int height, int transparentRgb);

        [DllImport(Library)]
        private static extern int dmabuf_host_frame_read_pixel(int heap, int* frame, int x, int y, int* rgb);

        [DllImport(Library)]
        private static extern int dmabuf_host_frame_read_row(int heap, int* frame, int x, int y, int count, byte* output,
            int outputLength);

        [DllImport(Library)]
        private static extern int dmabuf_host_cpu_copy_count(int heap, int bytes);

        [DllImport(Library)]
        private static extern int dmabuf_host_cpu_copy_stats(int heap, long* values, int count, int reset);
    }
}
