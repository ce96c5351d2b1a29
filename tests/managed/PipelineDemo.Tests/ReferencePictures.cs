using System;
using nanoFramework.DmaBuf.Simulation;

namespace nanoFramework.DmaBuf.PipelineDemo.Tests
{
    /// <summary>
    /// The pictures the panels must show, computed from the specification of the demo (docs/DEMO.md)
    /// one pixel at a time, without the demo's drawing code, DMA, caches or buffers: the camera's
    /// pure pattern function, then the overlay decided per pixel.
    /// </summary>
    internal static class ReferencePictures
    {
        private const int GlassSize = 240;

        // The overlay's 5 x 7 digits, '#' lit.
        private static readonly string[] Digits =
        {
            ".###. #...# #..## #.#.# ##..# #...# .###.", // 0
            "..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.", // 1
            ".###. #...# ....# ...#. ..#.. .#... #####", // 2
            "##### ...#. ..#.. ...#. ....# #...# .###.", // 3
            "...#. ..##. .#.#. #..#. ##### ...#. ...#.", // 4
            "##### #.... ####. ....# ....# #...# .###.", // 5
            "..##. .#... #.... ####. #...# #...# .###.", // 6
            "##### ....# ...#. ..#.. .#... .#... .#...", // 7
            ".###. #...# #...# .###. #...# #...# .###.", // 8
            ".###. #...# #...# .#### ....# ...#. .##..", // 9
        };

        /// <summary>The display panel after camera frame <paramref name="frame"/>: width x height RGB565, high byte first.</summary>
        public static byte[] Display(int width, int height, long seed, int frame)
        {
            byte[] picture = new byte[width * height * 2];
            SimulatedCamera.RenderFrame(width, height, seed, frame, picture);
            Crop(width, height, out int cropX, out int cropY, out int cropWidth, out _);
            int plateX = cropX + 8, plateY = cropY + 8;
            int boxX = cropX + 8 + (int)((long)frame * 4 % (cropWidth - 16 - 64 + 1)), boxY = plateY + 20 + 4;
            string number = (frame % 1000000).ToString("D6");
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int at = (y * width + x) * 2;
                    int camera = (picture[at] << 8) | picture[at + 1];
                    int shown = camera;
                    if (Inside(x, y, plateX, plateY, 76, 20))
                    {
                        shown = PlateLit(number, x - plateX, y - plateY) ? 0xFFFF : 0x0000;
                    }
                    else if (Inside(x, y, boxX, boxY, 64, 16))
                    {
                        bool border = !Inside(x, y, boxX + 2, boxY + 2, 60, 12);
                        shown = border ? 0xFFFF : HalfBrightness(camera);
                    }

                    picture[at] = (byte)(shown >> 8);
                    picture[at + 1] = (byte)shown;
                }
            }

            return picture;
        }

        /// <summary>The SPI panel's 240 x 240 glass: the centre crop of <paramref name="display"/>, centred, black around.</summary>
        public static byte[] Glass(int width, int height, byte[] display)
        {
            byte[] glass = new byte[GlassSize * GlassSize * 2];
            Crop(width, height, out int cropX, out int cropY, out int cropWidth, out int cropHeight);
            int left = (GlassSize - cropWidth) / 2, top = (GlassSize - cropHeight) / 2;
            for (int y = 0; y < cropHeight; y++)
            {
                for (int x = 0; x < cropWidth; x++)
                {
                    int from = ((cropY + y) * width + cropX + x) * 2, to = ((top + y) * GlassSize + left + x) * 2;
                    glass[to] = display[from];
                    glass[to + 1] = display[from + 1];
                }
            }

            return glass;
        }

        /// <summary>The centre of the frame, at most 240 x 240, starting on an even column.</summary>
        private static void Crop(int width, int height, out int x, out int y, out int cropWidth, out int cropHeight)
        {
            cropWidth = Math.Min(width, GlassSize);
            cropHeight = Math.Min(height, GlassSize);
            x = (width - cropWidth) / 2 / 2 * 2;
            y = (height - cropHeight) / 2;
        }

        private static bool Inside(int x, int y, int left, int top, int width, int height)
            => x >= left && x < left + width && y >= top && y < top + height;

        /// <summary>Six digits at 2x: 10 x 14 each, 12 apart, 3 pixels in from the plate's corner.</summary>
        private static bool PlateLit(string number, int x, int y)
        {
            int tx = x - 3, ty = y - 3;
            if (tx < 0 || ty < 0 || ty >= 14 || tx % 12 >= 10 || tx / 12 >= 6)
            {
                return false;
            }

            string glyph = Digits[number[tx / 12] - '0'];
            return glyph[(ty / 2) * 6 + (tx % 12) / 2] == '#';
        }

        private static int HalfBrightness(int pixel)
        {
            int r = (pixel >> 11) & 31, g = (pixel >> 5) & 63, b = pixel & 31;
            return ((r / 2) << 11) | ((g / 2) << 5) | (b / 2);
        }
    }
}
