using System;
using System.IO;
using Xunit;

namespace nanoFramework.DmaBuf.PipelineDemo.Tests
{
    /// <summary>The demo as a user runs it: exit codes, refusals, the folders it writes.</summary>
    public class ProgramTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "pipelinedemo-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, true);
            }
        }

        private static (int Code, string Output, string Error) Run(params string[] args)
        {
            StringWriter output = new StringWriter(), error = new StringWriter();
            int code = Program.Run(args, output, error);
            return (code, output.ToString(), error.ToString());
        }

        /// <summary>Exit 2, nothing on standard output, and exactly: one line naming what, then the usage hint.</summary>
        private static string AssertRefused((int Code, string Output, string Error) run, string named)
        {
            Assert.Equal(Program.Refused, run.Code);
            Assert.Equal(string.Empty, run.Output);
            string[] lines = run.Error.TrimEnd('\n').Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("PipelineDemo: " + named, lines[0]);
            Assert.Equal(DemoOptions.UsageHint, lines[1]);
            return lines[0];
        }

        [Theory]
        [InlineData("--seed", "x")]
        [InlineData("--eviction-rate", "abc")]
        [InlineData("--frames", "0")]
        [InlineData("--board", "pc")]
        public void ABadOptionExitsWithOneLineAndTheUsageHint(string option, string value)
        {
            AssertRefused(Run(option, value), option);
        }

        [Fact]
        public void HelpExitsZeroWithTheOptions()
        {
            var run = Run("--help");
            Assert.Equal(0, run.Code);
            Assert.Contains("--eviction-rate", run.Output);
        }

        [Theory]
        [InlineData("esp32", "320x240", "i2s0")]
        [InlineData("stm32f769i-disco", "2000x2000", "8000000 free bytes")]
        public void AResolutionTheBoardCannotHoldNamesItsMemoryAndTheLargestThatFits(string board, string resolution, string libraryMessage)
        {
            string line = AssertRefused(Run("--board", board, "--resolution", resolution, "--no-png", "--progress", "0"), "--resolution " + resolution);
            Assert.Contains(libraryMessage, line);
            Assert.Contains("bytes in all regions", line);
            string largest = line.Substring(line.LastIndexOf(' ') + 1);

            // The size offered runs; two pixels wider (same shape) does not.
            var fits = Run("--board", board, "--resolution", largest, "--frames", "1", "--no-png", "--progress", "0");
            Assert.Equal(0, fits.Code);
            string[] size = largest.Split('x');
            int width = int.Parse(size[0]) + 2;
            int height = (int)((long)width * int.Parse(resolution.Split('x')[1]) / int.Parse(resolution.Split('x')[0])) & ~1;
            Assert.Equal(Program.Refused, Run("--board", board, "--resolution", width + "x" + height, "--no-png", "--progress", "0").Code);
        }

        [Fact]
        public void AnOutputUnderAFileIsRefusedNamingOutput()
        {
            Directory.CreateDirectory(_folder);
            string file = Path.Combine(_folder, "a-file");
            File.WriteAllText(file, "x");
            AssertRefused(Run("--output", Path.Combine(file, "demo"), "--frames", "1", "--progress", "0"), "--output");
        }

        [Fact]
        public void EachModeWritesItsOwnFolderAndAShorterRunLeavesNoOlderFrames()
        {
            string zeroCopy = Path.Combine(_folder, "zero-copy");
            string user = Path.Combine(zeroCopy, "notes.txt");
            Directory.CreateDirectory(zeroCopy);
            File.WriteAllText(user, "mine");

            Assert.Equal(0, Run("--output", _folder, "--frames", "3", "--progress", "0").Code);
            Assert.True(File.Exists(Path.Combine(zeroCopy, "display-0002.png")));
            var shorter = Run("--output", _folder, "--frames", "1", "--progress", "0", "--trace");
            Assert.Equal(0, shorter.Code);
            Assert.Equal(new[] { "display-0000.png", "notes.txt", "spi-0000.png", "trace.json" }, Names(zeroCopy));
            Assert.Contains("trace: " + Path.Combine(Path.GetFullPath(zeroCopy), "trace.json"), shorter.Output);

            Assert.Equal(0, Run("--output", _folder, "--frames", "1", "--progress", "0", "--no-sync").Code);
            Assert.Equal(0, Run("--output", _folder, "--frames", "2", "--progress", "0", "--copy-baseline").Code);
            Assert.Equal(new[] { "display-0000.png", "spi-0000.png" }, Names(Path.Combine(_folder, "no-sync", "zero-copy")));
            Assert.Equal(new[] { "display-0000.png", "display-0001.png", "spi-0000.png", "spi-0001.png" }, Names(Path.Combine(_folder, "copy-baseline")));
            Assert.Equal(new[] { "display-0000.png", "notes.txt", "spi-0000.png", "trace.json" }, Names(zeroCopy));
            Assert.Equal("mine", File.ReadAllText(user));
        }

        private static string[] Names(string folder)
        {
            string[] names = Array.ConvertAll(Directory.GetFiles(folder), Path.GetFileName);
            Array.Sort(names, StringComparer.Ordinal);
            return names;
        }
    }
}
