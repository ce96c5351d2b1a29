using nanoFramework.DmaBuf;
using nanoFramework.TestFramework;

namespace NFUnitTest
{
    /// <summary>
    /// The board the firmware under test was built for, and the checks every test ends with.
    /// Device names are those of boards/stm32f769i_disco.c: "dma2" (65535-byte segments),
    /// "dcmi" (camera), "ltdc" (display, one segment).
    /// </summary>
    internal static class TestBoard
    {
        internal const string Name = "stm32f769i-disco";

        /// <summary>The leak check: nothing the test made is left in the native heap.</summary>
        internal static void AssertNothingLeft(DmaHeap heap)
        {
            DmaHeapStatistics stats = heap.GetStatistics();
            Assert.AreEqual(0, stats.LiveBuffers, "buffers left");
            Assert.AreEqual(0, stats.LiveAttachments, "attachments left");
            heap.Dispose();
        }

        internal static byte[] Pattern(int length, int seed)
        {
            byte[] bytes = new byte[length];
            uint state = (uint)seed * 2654435761u + 1u;
            for (int i = 0; i < length; i++)
            {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                bytes[i] = (byte)state;
            }

            return bytes;
        }

        internal static void AssertBytes(byte[] expected, byte[] actual)
        {
            Assert.AreEqual(expected.Length, actual.Length, "length");
            for (int i = 0; i < expected.Length; i++)
            {
                if (expected[i] != actual[i])
                {
                    Assert.AreEqual((int)expected[i], (int)actual[i], "byte " + i.ToString());
                }
            }
        }
    }
}
