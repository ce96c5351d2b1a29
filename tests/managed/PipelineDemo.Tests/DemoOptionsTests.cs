using System;
using Xunit;

namespace nanoFramework.DmaBuf.PipelineDemo.Tests
{
    public class DemoOptionsTests
    {
        [Fact]
        public void DefaultsAreTheSimulatedStm32At320x240()
        {
            DemoOptions options = DemoOptions.Parse(Array.Empty<string>());
            Assert.Equal("stm32f769i-disco", options.Board.Board);
            Assert.Equal(320, options.Width);
            Assert.Equal(240, options.Height);
            Assert.False(options.CopyBaseline || options.Compare || options.NoSync || options.Trace);
            Assert.True(options.WritePng);
        }

        [Fact]
        public void EveryOptionIsParsed()
        {
            DemoOptions options = DemoOptions.Parse(new[]
            {
                "--board", "esp32p4", "--frames", "12", "--resolution", "800x480", "--output", "x", "--seed", "9",
                "--copy-baseline", "--trace", "--no-sync", "--eviction-rate", "0.5", "--no-png", "--progress", "0",
            });
            Assert.Equal("esp32p4", options.Board.Board);
            Assert.Equal(12, options.Frames);
            Assert.Equal(800, options.Width);
            Assert.Equal(480, options.Height);
            Assert.Equal("x", options.Output);
            Assert.Equal(9, options.Seed);
            Assert.True(options.CopyBaseline && options.Trace && options.NoSync);
            Assert.Equal(0.5, options.EvictionRate);
            Assert.False(options.WritePng);
            Assert.Equal(0, options.ProgressEvery);
        }

        [Theory]
        [InlineData("--board", "pc")]
        [InlineData("--frames", "0")]
        [InlineData("--resolution", "321x240")]
        [InlineData("--resolution", "64x64")]
        [InlineData("--resolution", "320")]
        [InlineData("--eviction-rate", "2")]
        [InlineData("--frames")]
        [InlineData("--fast")]
        [InlineData("--compare", "--copy-baseline")]
        public void BadCommandLinesAreRefusedWithTheReason(params string[] args)
        {
            ArgumentException e = Assert.Throws<ArgumentException>(() => DemoOptions.Parse(args));
            Assert.False(string.IsNullOrEmpty(e.Message));
        }
    }
}
