using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Xunit;

namespace nanoFramework.DmaBuf.PipelineDemo.Tests
{
    /// <summary>Runs alone: the picture folder is a process-wide environment variable.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class NativePicturesCollection
    {
        public const string Name = "native pictures";
    }

    /// <summary>
    /// The pictures the simulated display and SPI panel write natively (DMABUF_SIM_PICTURES,
    /// native-interop/sim/peripherals.h, DOC: pictures) while the demo's pipelines run: each file
    /// matches its checksum line, and each is the reference picture (ReferencePictures, computed
    /// without the demo's code) of one camera frame, the same bytes the managed side read back.
    /// The nanoFramework build of the demo writes the same files on the posix nanoCLR; comparing
    /// those with the host's is docs/NANOFRAMEWORK-VERIFICATION.md, section 6.
    /// </summary>
    [Collection(NativePicturesCollection.Name)]
    public class NativePicturesTests
    {
        private const string Variable = "DMABUF_SIM_PICTURES";
        private const int Width = 320, Height = 240, Frames = 6;
        private const long Seed = PipelineTests.Seed;

        // .NET keeps its own copy of the environment on Unix: Environment.SetEnvironmentVariable
        // never reaches the getenv of libdmabuf_host, so the native environment is set directly.
        [DllImport("libc", EntryPoint = "setenv")]
        private static extern int SetNativeVariable(string name, string value, int overwrite);

        [DllImport("libc", EntryPoint = "unsetenv")]
        private static extern int UnsetNativeVariable(string name);

        private sealed record Picture(string Set, string Panel, int Sequence, byte[] Bytes);

        [Fact]
        public void DisplayAndSpiPanelWriteTheReferencePictureOfEveryFrameTheyShow()
        {
            string folder = Path.Combine(Path.GetTempPath(), "dmabuf-native-pictures-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                List<ShownFrame> shown = new List<ShownFrame>();
                Assert.Equal(0, SetNativeVariable(Variable, folder, 1));
                try
                {
                    DemoOptions options = PipelineTests.Options("stm32f769i-disco", Width, Height, Frames);
                    foreach (Pipeline pipeline in new Pipeline[] { new ZeroCopyPipeline(options), new CopyBaselinePipeline(options) })
                    {
                        using (pipeline)
                        {
                            Assert.Equal(Frames, pipeline.Run(shown.Add).FramesAsExpected);
                        }
                    }
                }
                finally
                {
                    UnsetNativeVariable(Variable);
                }

                List<Picture> pictures = ReadIndex(folder);
                int lastFrame = shown.Max(frame => frame.CameraFrame) + 2;
                Dictionary<string, int> displayFrames = new Dictionary<string, int>(), glassFrames = new Dictionary<string, int>();
                for (int frame = 0; frame <= lastFrame; frame++)
                {
                    byte[] display = ReferencePictures.Display(Width, Height, Seed, frame);
                    displayFrames[Key(display)] = frame;
                    glassFrames[Key(ReferencePictures.Glass(Width, Height, display))] = frame;
                }

                // Two pipelines, one peripheral set each, each panel numbering its pictures from 0.
                Assert.Equal(2, pictures.Select(p => p.Set).Distinct().Count());
                foreach (IGrouping<(string, string), Picture> panel in pictures.GroupBy(p => (p.Set, p.Panel)))
                {
                    Assert.Equal(Enumerable.Range(0, panel.Count()), panel.Select(p => p.Sequence));
                    Assert.True(panel.Count() >= Frames, panel.Key + " wrote " + panel.Count() + " pictures");
                }

                // Every picture written is a camera frame with its overlay, and every frame the
                // managed side read back from the panels was written with those same bytes.
                HashSet<int> displayWritten = new HashSet<int>(), glassWritten = new HashSet<int>();
                foreach (Picture picture in pictures)
                {
                    bool display = picture.Panel == "display";
                    Assert.True(display || picture.Panel == "spi-panel", picture.Panel);
                    Dictionary<string, int> frames = display ? displayFrames : glassFrames;
                    Assert.True(frames.TryGetValue(Key(picture.Bytes), out int frame),
                        picture.Set + " " + picture.Panel + " " + picture.Sequence + " is no camera frame's reference picture");
                    (display ? displayWritten : glassWritten).Add(frame);
                }

                foreach (ShownFrame frame in shown)
                {
                    Assert.Contains(frame.CameraFrame, displayWritten);
                    Assert.Contains(frame.CameraFrame, glassWritten);
                    Assert.Equal(displayFrames[Key(frame.Display)], frame.CameraFrame);
                    Assert.Equal(glassFrames[Key(frame.Glass)], frame.CameraFrame);
                }
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        /// <summary>The index's lines, each checked against its file: size, checksum.</summary>
        private static List<Picture> ReadIndex(string folder)
        {
            List<Picture> pictures = new List<Picture>();
            foreach (string line in File.ReadAllLines(Path.Combine(folder, "pictures.txt")))
            {
                // set<S> <panel> <N> <w>x<h> rgb565be fnv1a64 <hash>
                string[] field = line.Split(' ');
                Assert.Equal(7, field.Length);
                Assert.Equal("rgb565be", field[4]);
                Assert.Equal("fnv1a64", field[5]);
                string[] size = field[3].Split('x');
                byte[] bytes = File.ReadAllBytes(Path.Combine(folder, field[0] + "-" + field[1] + "-" + field[2] + ".rgb565"));
                Assert.Equal(int.Parse(size[0]) * int.Parse(size[1]) * 2, bytes.Length);
                Assert.Equal(field[6], Fnv1a64(bytes).ToString("x16"));
                pictures.Add(new Picture(field[0], field[1], int.Parse(field[2]), bytes));
            }

            return pictures;
        }

        private static ulong Fnv1a64(byte[] bytes)
        {
            ulong hash = 0xcbf29ce484222325;
            foreach (byte b in bytes)
            {
                hash = (hash ^ b) * 0x100000001b3;
            }

            return hash;
        }

        private static string Key(byte[] picture) => Convert.ToHexString(SHA256.HashData(picture));
    }
}
