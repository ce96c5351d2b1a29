using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace nanoFramework.DmaBuf.Simulation
{
    /// <summary>
    /// Writes RGB565 pictures (high byte first, as the simulated panels hold them) as 8-bit RGB PNG
    /// files: signature, IHDR, one zlib-compressed IDAT, IEND (PNG specification, ISO/IEC 15948).
    /// </summary>
    public static class PngWriter
    {
        private static readonly byte[] Signature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };
        private static readonly uint[] CrcTable = BuildCrcTable();

        /// <summary>Writes the picture to a file, replacing it.</summary>
        /// <param name="path">The file.</param>
        /// <param name="width">Width in pixels.</param>
        /// <param name="height">Height in pixels.</param>
        /// <param name="rgb565">width x height pixels, 2 bytes each, high byte first, row after row.</param>
        /// <exception cref="ArgumentException">A size is not positive or <paramref name="rgb565"/> is not width x height x 2 bytes.</exception>
        /// <exception cref="IOException">The file cannot be written.</exception>
        public static void Write(string path, int width, int height, ReadOnlySpan<byte> rgb565)
        {
            using (FileStream file = new FileStream(path, FileMode.Create, FileAccess.Write))
            {
                Write(file, width, height, rgb565);
            }
        }

        /// <summary>Writes the picture to a stream.</summary>
        /// <param name="stream">Where the PNG goes.</param>
        /// <param name="width">Width in pixels.</param>
        /// <param name="height">Height in pixels.</param>
        /// <param name="rgb565">width x height pixels, 2 bytes each, high byte first, row after row.</param>
        /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
        /// <exception cref="ArgumentException">A size is not positive or <paramref name="rgb565"/> is not width x height x 2 bytes.</exception>
        public static void Write(Stream stream, int width, int height, ReadOnlySpan<byte> rgb565)
        {
            if (stream == null)
            {
                throw new ArgumentNullException(nameof(stream));
            }

            if (width <= 0 || height <= 0 || rgb565.Length != width * height * 2)
            {
                throw new ArgumentException("the picture must be width x height RGB565 pixels");
            }

            stream.Write(Signature, 0, Signature.Length);

            byte[] header = new byte[13];
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), width);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
            header[8] = 8;  // bits per channel
            header[9] = 2;  // colour type: RGB
            // compression 0 (deflate), filter method 0, interlace 0: already zero
            WriteChunk(stream, "IHDR", header);

            WriteChunk(stream, "IDAT", Compress(width, height, rgb565));
            WriteChunk(stream, "IEND", Array.Empty<byte>());
        }

        /// <summary>
        /// RGB565 to RGB888 with the top bits repeated into the low ones, so 0x1F becomes 0xFF (full
        /// white stays white) and 0 stays 0.
        /// </summary>
        private static void Expand(ushort pixel, Span<byte> rgb)
        {
            int r = (pixel >> 11) & 0x1F, g = (pixel >> 5) & 0x3F, b = pixel & 0x1F;
            rgb[0] = (byte)((r << 3) | (r >> 2));
            rgb[1] = (byte)((g << 2) | (g >> 4));
            rgb[2] = (byte)((b << 3) | (b >> 2));
        }

        private static byte[] Compress(int width, int height, ReadOnlySpan<byte> rgb565)
        {
            // Each scanline is a filter-type byte and the filtered RGB bytes. Paeth (type 4)
            // predicts each byte from its left, upper and upper-left neighbours, which turns the
            // camera's smooth gradients into near-zero bytes that deflate well.
            int rowBytes = width * 3;
            byte[] previous = new byte[rowBytes];
            byte[] current = new byte[rowBytes];
            byte[] line = new byte[1 + rowBytes];
            line[0] = 4;
            using (MemoryStream compressed = new MemoryStream())
            {
                using (ZLibStream zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
                {
                    for (int y = 0; y < height; y++)
                    {
                        ReadOnlySpan<byte> source = rgb565.Slice(y * width * 2, width * 2);
                        for (int x = 0; x < width; x++)
                        {
                            Expand(BinaryPrimitives.ReadUInt16BigEndian(source.Slice(x * 2)), current.AsSpan(x * 3));
                        }

                        for (int i = 0; i < rowBytes; i++)
                        {
                            int left = i >= 3 ? current[i - 3] : 0;
                            int upLeft = i >= 3 ? previous[i - 3] : 0;
                            line[1 + i] = (byte)(current[i] - Paeth(left, previous[i], upLeft));
                        }

                        zlib.Write(line, 0, line.Length);
                        (previous, current) = (current, previous);
                    }
                }

                return compressed.ToArray();
            }
        }

        /// <summary>The PNG Paeth predictor: whichever neighbour is closest to left + up - upLeft.</summary>
        private static int Paeth(int left, int up, int upLeft)
        {
            int estimate = left + up - upLeft;
            int toLeft = Math.Abs(estimate - left), toUp = Math.Abs(estimate - up), toUpLeft = Math.Abs(estimate - upLeft);
            if (toLeft <= toUp && toLeft <= toUpLeft)
            {
                return left;
            }

            return toUp <= toUpLeft ? up : upLeft;
        }

        private static void WriteChunk(Stream stream, string type, byte[] data)
        {
            Span<byte> word = stackalloc byte[4];
            byte[] typeBytes = Encoding.ASCII.GetBytes(type);
            BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
            stream.Write(word);
            stream.Write(typeBytes, 0, 4);
            stream.Write(data, 0, data.Length);

            // The CRC covers the type and the data, not the length.
            uint crc = Crc(Crc(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
            BinaryPrimitives.WriteUInt32BigEndian(word, crc);
            stream.Write(word);
        }

        private static uint Crc(uint crc, byte[] bytes)
        {
            foreach (byte b in bytes)
            {
                crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            return crc;
        }

        // CRC-32 of PNG (and zlib, Ethernet): reflected polynomial 0xEDB88320.
        private static uint[] BuildCrcTable()
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
