using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Text;
using nanoFramework.DmaBuf.Simulation;
using Xunit;

namespace nanoFramework.DmaBuf.PipelineDemo.Tests
{
    /// <summary>
    /// The PNG writer's output read back by a minimal decoder written here from the PNG
    /// specification: chunk layout and CRCs, IHDR, and every pixel after inflating and un-filtering.
    /// </summary>
    public class PngWriterTests
    {
        [Fact]
        public void PixelsSurviveARoundTripAndChunksCarryValidCrcs()
        {
            const int width = 37, height = 11;
            byte[] rgb565 = new byte[width * height * 2];
            new Random(3).NextBytes(rgb565);
            rgb565[0] = 0xFF; // a white and a black pixel: the extremes must stay extremes
            rgb565[1] = 0xFF;
            rgb565[2] = 0x00;
            rgb565[3] = 0x00;
            MemoryStream png = new MemoryStream();
            PngWriter.Write(png, width, height, rgb565);

            byte[] file = png.ToArray();
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, file[..8]);
            MemoryStream idat = new MemoryStream();
            int at = 8;
            string type = null;
            while (type != "IEND")
            {
                int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
                type = Encoding.ASCII.GetString(file, at + 4, 4);
                byte[] data = file[(at + 8)..(at + 8 + length)];
                uint crc = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at + 8 + length));
                Assert.Equal(BitwiseCrc(file.AsSpan(at + 4, 4 + length)), crc);
                if (type == "IHDR")
                {
                    Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(data));
                    Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4)));
                    Assert.Equal(new byte[] { 8, 2, 0, 0, 0 }, data[8..]);
                }
                else if (type == "IDAT")
                {
                    idat.Write(data);
                }

                at += 12 + length;
            }

            Assert.Equal(file.Length, at);
            byte[] rgb = Unfilter(Inflate(idat.ToArray()), width, height);
            for (int i = 0; i < width * height; i++)
            {
                // Each channel scaled to 0..255, within one step of exact.
                int pixel = (rgb565[2 * i] << 8) | rgb565[2 * i + 1];
                Assert.InRange(rgb[3 * i] - (pixel >> 11) * 255 / 31.0, -1, 1);
                Assert.InRange(rgb[3 * i + 1] - ((pixel >> 5) & 63) * 255 / 63.0, -1, 1);
                Assert.InRange(rgb[3 * i + 2] - (pixel & 31) * 255 / 31.0, -1, 1);
            }

            Assert.Equal(new byte[] { 255, 255, 255, 0, 0, 0 }, rgb[..6]);
        }

        [Fact]
        public void RefusesAPictureOfTheWrongSize()
        {
            Assert.Throws<ArgumentException>(() => PngWriter.Write(new MemoryStream(), 2, 2, new byte[7]));
            Assert.Throws<ArgumentException>(() => PngWriter.Write(new MemoryStream(), 0, 2, Array.Empty<byte>()));
        }

        private static uint BitwiseCrc(ReadOnlySpan<byte> bytes)
        {
            uint crc = 0xFFFFFFFF;
            foreach (byte b in bytes)
            {
                crc ^= b;
                for (int k = 0; k < 8; k++)
                {
                    crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
                }
            }

            return ~crc;
        }

        private static byte[] Inflate(byte[] zlib)
        {
            using (ZLibStream stream = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress))
            using (MemoryStream raw = new MemoryStream())
            {
                stream.CopyTo(raw);
                return raw.ToArray();
            }
        }

        /// <summary>PNG filter types 0 to 4 (specification section 9), three bytes per pixel.</summary>
        private static byte[] Unfilter(byte[] scanlines, int width, int height)
        {
            int stride = width * 3;
            byte[] rgb = new byte[stride * height];
            for (int y = 0; y < height; y++)
            {
                int filter = scanlines[y * (stride + 1)];
                for (int i = 0; i < stride; i++)
                {
                    int raw = scanlines[y * (stride + 1) + 1 + i];
                    int a = i >= 3 ? rgb[y * stride + i - 3] : 0;
                    int b = y > 0 ? rgb[(y - 1) * stride + i] : 0;
                    int c = i >= 3 && y > 0 ? rgb[(y - 1) * stride + i - 3] : 0;
                    int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                    int predictor = filter switch
                    {
                        0 => 0,
                        1 => a,
                        2 => b,
                        3 => (a + b) / 2,
                        4 => pa <= pb && pa <= pc ? a : pb <= pc ? b : c,
                        _ => throw new InvalidDataException("filter type " + filter),
                    };
                    rgb[y * stride + i] = (byte)(raw + predictor);
                }
            }

            return rgb;
        }
    }
}
