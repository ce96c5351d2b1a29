using System;
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>The demo's command line, parsed by System.CommandLine.</summary>
    internal sealed class DemoOptions
    {
        /// <summary>Smallest frame the overlay fits in.</summary>
        public const int MinimumWidth = 96;

        /// <summary>Smallest frame height the overlay fits in.</summary>
        public const int MinimumHeight = 64;

        /// <summary>Largest frame side the demo accepts (the board's memory usually limits it first).</summary>
        public const int MaximumSide = 4096;

        public BoardProfile Board { get; set; } = BoardProfile.All[0];

        public int Frames { get; set; } = 30;

        public int Width { get; set; } = 320;

        public int Height { get; set; } = 240;

        public string Output { get; set; } = Path.Combine("out", "demo");

        public long Seed { get; set; } = 1;

        /// <summary>Run the copy-everything pipeline instead of the zero-copy one.</summary>
        public bool CopyBaseline { get; set; }

        /// <summary>Run both pipelines at the same settings in one process and compare.</summary>
        public bool Compare { get; set; }

        /// <summary>Write a Chrome trace-event JSON file per pipeline run.</summary>
        public bool Trace { get; set; }

        /// <summary>Drop every cache maintenance operation (what forgetting the hand-overs does).</summary>
        public bool NoSync { get; set; }

        /// <summary>
        /// The formats the simulated display takes (<see cref="Simulation.SimulatedSoc.SetDisplayFormats"/>),
        /// or null for its own, RGB565 high byte first: tests give it an STM32 LTDC's low byte first.
        /// </summary>
        public PixelFormat[] DisplayFormats { get; set; }

        /// <summary>
        /// The formats the simulated camera delivers (<see cref="Simulation.SimulatedSoc.SetCameraFormats"/>),
        /// or null for its own, RGB565 high byte first: tests give it an ESP32-P4 ISP's low byte first.
        /// </summary>
        public PixelFormat[] CameraFormats { get; set; }

        /// <summary>Per-line probability of a random eviction after each DMA segment.</summary>
        public double EvictionRate { get; set; } = 0.01;

        /// <summary>Write PNG frames of both panels.</summary>
        public bool WritePng { get; set; } = true;

        /// <summary>Frames checked and written together (<see cref="FrameOutput"/>); 0, the default
        /// and not an option, for as many as <see cref="FrameOutput.BatchBytes"/> holds. Tests set it.</summary>
        public int OutputBatchFrames { get; set; }

        /// <summary>Print a progress line every this many frames (0: never).</summary>
        public int ProgressEvery { get; set; } = 5;

        public bool Help { get; set; }

        /// <summary>These options at <paramref name="width"/> x <paramref name="height"/>, for one frame that writes and prints nothing.</summary>
        public DemoOptions WithProbe(int width, int height)
        {
            DemoOptions probe = (DemoOptions)MemberwiseClone();
            probe.Width = width;
            probe.Height = height;
            probe.Frames = 1;
            probe.WritePng = false;
            probe.Trace = false;
            probe.ProgressEvery = 0;
            return probe;
        }

        /// <summary>The line printed under every refused command line.</summary>
        public const string UsageHint = "usage: PipelineDemo [options]; --help lists them";

        /// <summary>The help text (what --help prints).</summary>
        public static string Usage()
        {
            ParseResult result = new Grammar().Command.Parse(new[] { "--help" });
            StringWriter text = new StringWriter(CultureInfo.InvariantCulture);
            result.Invoke(new InvocationConfiguration { Output = text });
            return text.ToString();
        }

        /// <summary>
        /// Parses <paramref name="args"/>; throws ArgumentException whose message is one line naming
        /// the option and the rule its value broke (the first such, when there are several).
        /// </summary>
        public static DemoOptions Parse(string[] args)
        {
            Grammar grammar = new Grammar();
            ParseResult result = grammar.Command.Parse(args);
            if (result.Errors.Count > 0)
            {
                throw new ArgumentException(result.Errors[0].Message);
            }

            DemoOptions options = new DemoOptions
            {
                Help = result.Action is HelpAction,
                Board = BoardProfile.Find(result.GetValue(grammar.Board)),
                Frames = result.GetValue(grammar.Frames),
                Output = result.GetValue(grammar.Output),
                Seed = result.GetValue(grammar.Seed),
                CopyBaseline = result.GetValue(grammar.CopyBaseline),
                Compare = result.GetValue(grammar.Compare),
                Trace = result.GetValue(grammar.Trace),
                NoSync = result.GetValue(grammar.NoSync),
                EvictionRate = result.GetValue(grammar.EvictionRate),
                WritePng = !result.GetValue(grammar.NoPng),
                ProgressEvery = result.GetValue(grammar.Progress),
            };
            FrameSize resolution = result.GetValue(grammar.Resolution);
            options.Width = resolution.Width;
            options.Height = resolution.Height;
            return options;
        }

        /// <summary>A --resolution value (shown as WxH in the help's default).</summary>
        private sealed class FrameSize
        {
            public FrameSize(int width, int height)
            {
                Width = width;
                Height = height;
            }

            public int Width { get; }

            public int Height { get; }

            public override string ToString() => Width.ToString(CultureInfo.InvariantCulture) + "x" + Height.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>The options, their defaults and the rules their values follow.</summary>
        private sealed class Grammar
        {
            public readonly Option<string> Board = new Option<string>("--board")
            {
                HelpName = "NAME",
                Description = "the simulated board: " + string.Join(" | ", Array.ConvertAll(BoardProfile.All, b => b.Board)),
                DefaultValueFactory = _ => BoardProfile.All[0].Board,
            };

            public readonly Option<int> Frames = WholeNumber("--frames", "N", "frames to show", 30, 1, 1000000);

            public readonly Option<FrameSize> Resolution = new Option<FrameSize>("--resolution")
            {
                HelpName = "WxH",
                Description = "camera and display size, even numbers from " + MinimumWidth + "x" + MinimumHeight
                    + " to " + MaximumSide + "x" + MaximumSide,
                DefaultValueFactory = _ => new FrameSize(320, 240),
                CustomParser = ParseResolution,
            };

            public readonly Option<string> Output = new Option<string>("--output")
            {
                HelpName = "DIR",
                Description = "PNG frames and traces go to DIR/<pipeline>/, or DIR/no-sync/<pipeline>/ with --no-sync;"
                    + " the demo's own files there are replaced at the start of a run",
                DefaultValueFactory = _ => Path.Combine("out", "demo"),
            };

            public readonly Option<long> Seed = new Option<long>("--seed")
            {
                HelpName = "N",
                Description = "camera picture and eviction schedule",
                DefaultValueFactory = _ => 1,
                CustomParser = r => long.TryParse(r.Tokens[0].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seed)
                    ? seed
                    : Refuse<long>(r, "a whole number from " + long.MinValue + " to " + long.MaxValue),
            };

            public readonly Option<bool> CopyBaseline = new Option<bool>("--copy-baseline")
            {
                Description = "copy every frame through a managed array, as applications do today",
            };

            public readonly Option<bool> Compare = new Option<bool>("--compare")
            {
                Description = "run zero-copy and copy-baseline at the same settings and compare CPU time",
            };

            public readonly Option<bool> Trace = new Option<bool>("--trace")
            {
                Description = "write trace.json beside the PNGs (Chrome trace events; open in ui.perfetto.dev)",
            };

            public readonly Option<bool> NoSync = new Option<bool>("--no-sync")
            {
                Description = "skip every cache hand-over: shows, in pictures, what goes wrong on a cached SoC",
            };

            public readonly Option<double> EvictionRate = new Option<double>("--eviction-rate")
            {
                HelpName = "R",
                Description = "chance per cache line of a random eviction after each DMA segment",
                DefaultValueFactory = _ => 0.01,
                CustomParser = r => double.TryParse(r.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate)
                    && rate >= 0.0 && rate <= 1.0
                    ? rate
                    : Refuse<double>(r, "a number from 0 to 1"),
            };

            public readonly Option<bool> NoPng = new Option<bool>("--no-png")
            {
                Description = "do not write PNG frames",
            };

            public readonly Option<int> Progress = WholeNumber("--progress", "N", "a progress line every N frames, 0 for none", 5, 0, int.MaxValue);

            public readonly RootCommand Command;

            public Grammar()
            {
                Board.Validators.Add(r =>
                {
                    string name = r.GetValueOrDefault<string>();
                    if (BoardProfile.Find(name) == null)
                    {
                        r.AddError("--board: unknown board '" + name + "', expected one of "
                            + string.Join(" | ", Array.ConvertAll(BoardProfile.All, b => b.Board)));
                    }
                });
                Command = new RootCommand("camera -> overlay drawn by the CPU -> display + SPI panel, on a simulated board (docs/DEMO.md)")
                {
                    Board, Frames, Resolution, Output, Seed, CopyBaseline, Compare, Trace, NoSync, EvictionRate, NoPng, Progress,
                };
                // The demo has no version of its own to show.
                Command.Options.Remove(FindVersionOption(Command));
                Command.Validators.Add(r =>
                {
                    if (r.GetValue(Compare) && r.GetValue(CopyBaseline))
                    {
                        r.AddError("--compare runs both pipelines: leave out --copy-baseline");
                    }
                });
            }

            private static Option FindVersionOption(Command command)
            {
                foreach (Option option in command.Options)
                {
                    if (option is VersionOption)
                    {
                        return option;
                    }
                }

                return null;
            }

            private static Option<int> WholeNumber(string name, string helpName, string description, int defaultValue, int min, int max)
            {
                return new Option<int>(name)
                {
                    HelpName = helpName,
                    Description = description,
                    DefaultValueFactory = _ => defaultValue,
                    CustomParser = r => int.TryParse(r.Tokens[0].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
                        && value >= min && value <= max
                        ? value
                        : Refuse<int>(r, "a whole number from " + min + " to " + max),
                };
            }

            private static FrameSize ParseResolution(ArgumentResult r)
            {
                string[] parts = r.Tokens[0].Value.Split('x');
                // Even sizes keep every row and the SPI crop 4-byte aligned for the DMA masters.
                if (parts.Length == 2
                    && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int width)
                    && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int height)
                    && width >= MinimumWidth && width <= MaximumSide && width % 2 == 0
                    && height >= MinimumHeight && height <= MaximumSide && height % 2 == 0)
                {
                    return new FrameSize(width, height);
                }

                return Refuse<FrameSize>(r, "WIDTHxHEIGHT, even numbers from " + MinimumWidth + "x" + MinimumHeight
                    + " to " + MaximumSide + "x" + MaximumSide + ", e.g. 320x240");
            }

            /// <summary>Records the one-line error "OPTION: 'VALUE' is not RULE" and returns a placeholder.</summary>
            private static T Refuse<T>(ArgumentResult r, string rule)
            {
                string option = ((OptionResult)r.Parent).Option.Name;
                r.AddError(option + ": '" + r.Tokens[0].Value + "' is not " + rule);
                return default;
            }
        }
    }
}
