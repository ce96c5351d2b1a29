using System;
using System.IO;
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
            Assert.Equal(30, options.Frames);
            Assert.Equal(1, options.Seed);
            Assert.Equal(0.01, options.EvictionRate);
            Assert.Equal(5, options.ProgressEvery);
            Assert.Equal(Path.Combine("out", "demo"), options.Output);
            Assert.False(options.CopyBaseline || options.Compare || options.NoSync || options.Trace || options.Help);
            Assert.True(options.WritePng);
        }

        [Fact]
        public void EveryOptionIsParsed()
        {
            DemoOptions options = DemoOptions.Parse(new[]
            {
                "--board", "esp32p4", "--frames", "12", "--resolution", "800x480", "--output", "x", "--seed", "-9",
                "--copy-baseline", "--trace", "--no-sync", "--eviction-rate", "0.5", "--no-png", "--progress", "0",
            });
            Assert.Equal("esp32p4", options.Board.Board);
            Assert.Equal(12, options.Frames);
            Assert.Equal(800, options.Width);
            Assert.Equal(480, options.Height);
            Assert.Equal("x", options.Output);
            Assert.Equal(-9, options.Seed);
            Assert.True(options.CopyBaseline && options.Trace && options.NoSync);
            Assert.Equal(0.5, options.EvictionRate);
            Assert.False(options.WritePng);
            Assert.Equal(0, options.ProgressEvery);
        }

        [Theory]
        [InlineData("--help")]
        [InlineData("-h")]
        public void HelpIsAskedFor(string option)
        {
            Assert.True(DemoOptions.Parse(new[] { option }).Help);
        }

        [Fact]
        public void TheHelpListsEveryOptionAndNoVersion()
        {
            string usage = DemoOptions.Usage();
            foreach (string option in new[]
            {
                "--board", "--frames", "--resolution", "--output", "--seed", "--copy-baseline", "--compare", "--trace",
                "--no-sync", "--eviction-rate", "--no-png", "--progress", "--help",
            })
            {
                Assert.Contains(option, usage);
            }

            Assert.Contains("[default: 320x240]", usage);
            Assert.DoesNotContain("--version", usage);
        }

        // Every option with a value, fed values of the wrong kind and out of range: the one-line
        // message names the option (so the user knows which one) and says what it takes.
        [Theory]
        [InlineData("--board", "pc", "--board", "esp32p4")]
        [InlineData("--board", "", "--board", "stm32f769i-disco")]
        [InlineData("--frames", "0", "--frames", "from 1 to 1000000")]
        [InlineData("--frames", "1000001", "--frames", "from 1 to 1000000")]
        [InlineData("--frames", "ten", "--frames", "whole number")]
        [InlineData("--frames", "1.5", "--frames", "whole number")]
        [InlineData("--resolution", "321x240", "--resolution", "even numbers")]
        [InlineData("--resolution", "64x64", "--resolution", "from 96x64")]
        [InlineData("--resolution", "8192x240", "--resolution", "to 4096x4096")]
        [InlineData("--resolution", "320", "--resolution", "WIDTHxHEIGHT")]
        [InlineData("--resolution", "320x240x2", "--resolution", "WIDTHxHEIGHT")]
        [InlineData("--resolution", "-320x240", "--resolution", "WIDTHxHEIGHT")]
        [InlineData("--seed", "x", "--seed", "whole number")]
        [InlineData("--seed", "99999999999999999999", "--seed", "whole number")]
        [InlineData("--eviction-rate", "abc", "--eviction-rate", "from 0 to 1")]
        [InlineData("--eviction-rate", "2", "--eviction-rate", "from 0 to 1")]
        [InlineData("--eviction-rate", "-0.1", "--eviction-rate", "from 0 to 1")]
        [InlineData("--eviction-rate", "NaN", "--eviction-rate", "from 0 to 1")]
        [InlineData("--progress", "-1", "--progress", "from 0 to")]
        [InlineData("--progress", "often", "--progress", "whole number")]
        public void BadValuesAreRefusedNamingTheOptionAndTheRule(string option, string value, string named, string rule)
        {
            ArgumentException e = Assert.Throws<ArgumentException>(() => DemoOptions.Parse(new[] { option, value }));
            Assert.StartsWith(named, e.Message);
            Assert.Contains(rule, e.Message);
            Assert.DoesNotContain("\n", e.Message);
        }

        [Theory]
        [InlineData("--frames", "--frames")]
        [InlineData("--output", "--output")]
        [InlineData("--fast", "--fast")]
        [InlineData("--compare --copy-baseline", "--copy-baseline")]
        [InlineData("--no-png extra", "extra")]
        public void BadCommandLinesAreRefusedNamingTheCulprit(string line, string named)
        {
            ArgumentException e = Assert.Throws<ArgumentException>(() => DemoOptions.Parse(line.Split(' ')));
            Assert.Contains(named, e.Message);
            Assert.DoesNotContain("\n", e.Message);
        }
    }
}
