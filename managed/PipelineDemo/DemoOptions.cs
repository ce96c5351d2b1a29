using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>The demo's command line.</summary>
    internal sealed class DemoOptions
    {
        /// <summary>Smallest frame the overlay fits in.</summary>
        public const int MinimumWidth = 96;

        /// <summary>Smallest frame height the overlay fits in.</summary>
        public const int MinimumHeight = 64;

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

        public static string Usage()
        {
            StringBuilder text = new StringBuilder();
            text.AppendLine("usage: PipelineDemo [options]");
            text.AppendLine("  camera -> overlay drawn by the CPU -> display + SPI panel, on a simulated board");
            text.AppendLine();
            text.AppendLine("  --board NAME          " + string.Join(" | ", Array.ConvertAll(BoardProfile.All, b => b.Board))
                + " (default " + BoardProfile.All[0].Board + ")");
            text.AppendLine("  --frames N            frames to show (default 30)");
            text.AppendLine("  --resolution WxH      camera and display size, even numbers (default 320x240)");
            text.AppendLine("  --output DIR          PNG frames and traces go to DIR/<pipeline>/ (default out/demo)");
            text.AppendLine("  --seed N              camera picture and eviction schedule (default 1)");
            text.AppendLine("  --copy-baseline       copy every frame through a managed array, as applications do today");
            text.AppendLine("  --compare             run zero-copy and copy-baseline at the same settings and compare CPU time");
            text.AppendLine("  --trace               write DIR/<pipeline>/trace.json (Chrome trace events; open in ui.perfetto.dev)");
            text.AppendLine("  --no-sync             skip every cache hand-over: shows, in pictures, what goes wrong on a cached SoC");
            text.AppendLine("  --eviction-rate R     chance per cache line of a random eviction after each DMA segment (default 0.01)");
            text.AppendLine("  --no-png              do not write PNG frames");
            text.AppendLine("  --progress N          a progress line every N frames, 0 for none (default 5)");
            return text.ToString();
        }

        /// <summary>Parses <paramref name="args"/>; throws ArgumentException naming what is wrong.</summary>
        public static DemoOptions Parse(string[] args)
        {
            DemoOptions options = new DemoOptions();
            for (int i = 0; i < args.Length; i++)
            {
                string arg = args[i];
                switch (arg)
                {
                    case "--board":
                        string name = Value(args, ref i);
                        options.Board = BoardProfile.Find(name)
                            ?? throw new ArgumentException("unknown board '" + name + "'");
                        break;
                    case "--frames":
                        options.Frames = Integer(Value(args, ref i), arg, 1, 1000000);
                        break;
                    case "--resolution":
                        ParseResolution(Value(args, ref i), options);
                        break;
                    case "--output":
                        options.Output = Value(args, ref i);
                        break;
                    case "--seed":
                        options.Seed = long.Parse(Value(args, ref i), NumberStyles.Integer, CultureInfo.InvariantCulture);
                        break;
                    case "--copy-baseline":
                        options.CopyBaseline = true;
                        break;
                    case "--compare":
                        options.Compare = true;
                        break;
                    case "--trace":
                        options.Trace = true;
                        break;
                    case "--no-sync":
                        options.NoSync = true;
                        break;
                    case "--eviction-rate":
                        options.EvictionRate = double.Parse(Value(args, ref i), NumberStyles.Float, CultureInfo.InvariantCulture);
                        if (!(options.EvictionRate >= 0.0 && options.EvictionRate <= 1.0))
                        {
                            throw new ArgumentException("--eviction-rate is between 0 and 1");
                        }

                        break;
                    case "--no-png":
                        options.WritePng = false;
                        break;
                    case "--progress":
                        options.ProgressEvery = Integer(Value(args, ref i), arg, 0, int.MaxValue);
                        break;
                    case "--help":
                    case "-h":
                        options.Help = true;
                        break;
                    default:
                        throw new ArgumentException("unknown option '" + arg + "'");
                }
            }

            if (options.Compare && options.CopyBaseline)
            {
                throw new ArgumentException("--compare runs both pipelines: leave out --copy-baseline");
            }

            return options;
        }

        private static void ParseResolution(string text, DemoOptions options)
        {
            string[] parts = text.Split('x');
            if (parts.Length != 2)
            {
                throw new ArgumentException("--resolution is WIDTHxHEIGHT, e.g. 320x240");
            }

            options.Width = Integer(parts[0], "--resolution width", MinimumWidth, 4096);
            options.Height = Integer(parts[1], "--resolution height", MinimumHeight, 4096);
            // Even widths keep every row and the SPI crop 4-byte aligned for the DMA masters.
            if (options.Width % 2 != 0 || options.Height % 2 != 0)
            {
                throw new ArgumentException("--resolution needs even numbers");
            }
        }

        private static string Value(string[] args, ref int i)
        {
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException(args[i] + " needs a value");
            }

            return args[++i];
        }

        private static int Integer(string text, string what, int min, int max)
        {
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
            {
                throw new ArgumentException(what + " must be a whole number from " + min + " to " + max);
            }

            return value;
        }
    }
}
