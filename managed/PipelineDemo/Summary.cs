using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>The summary table printed after the runs: one column per pipeline.</summary>
    internal static class Summary
    {
        public static string Format(IReadOnlyList<PipelineResult> results)
        {
            PipelineResult first = results[0];
            StringBuilder text = new StringBuilder();
            text.AppendLine(string.Format(CultureInfo.InvariantCulture,
                "board {0}, {1}x{2}{3}; CPU time = {4} of the application's work, the simulator's cache modelling excluded",
                first.Board, first.Width, first.Height, first.NoSync ? ", --no-sync: every cache operation dropped" : string.Empty,
                CpuMeter.ClockName));
            Row(text, "", results, r => r.Name);
            Row(text, "frames shown", results, r => N(r.Frames));
            Row(text, "  measured (after warm-up)", results, r => N(r.MeasuredFrames));
            Row(text, "bytes copied by the CPU / frame", results, r => N((long)r.PerFrame(r.BytesCopied)));
            Row(text, "cache lines cleaned / frame", results, r => N((long)r.PerFrame(r.LinesCleaned)));
            Row(text, "cache lines invalidated / frame", results, r => N((long)r.PerFrame(r.LinesInvalidated)));
            Row(text, "whole-cache operations / frame", results, r => r.PerFrame(r.WholeCacheOperations).ToString("0.##", CultureInfo.InvariantCulture));
            if (first.NoSync)
            {
                Row(text, "cache operations dropped / frame", results, r => r.PerFrame(r.CacheOperationsDropped).ToString("0.##", CultureInfo.InvariantCulture));
            }

            Row(text, "fence waits / frame", results, r => r.PerFrame(r.FenceWaits).ToString("0.##", CultureInfo.InvariantCulture));
            Row(text, "drops (queue + camera missed)", results, r => N(r.QueueDrops) + " + " + N(r.CameraMissed));
            Row(text, "CPU time / frame (ms)", results, r => Ms(r.PerFrame(r.CpuNanoseconds)));
            Row(text, "  overlay", results, r => Ms(r.PerFrame(r.OverlayNanoseconds)));
            Row(text, "  copies", results, r => Ms(r.PerFrame(r.CopyNanoseconds)));
            Row(text, "  DmaBuf calls (sync)", results, r => Ms(r.PerFrame(r.DmaBufCallNanoseconds)));
            Row(text, "cache model, excluded / frame (ms)", results, r => Ms(r.PerFrame(r.CacheModelNanoseconds)));
            Row(text, "frames as expected (all frames)", results, r => N(r.FramesAsExpected) + "/" + N(r.Frames));
            Row(text, "virtual time (ms)", results, r => Ms(r.VirtualNanoseconds));
            foreach (PipelineResult r in results)
            {
                if (r.SpiBounceReason != null)
                {
                    text.AppendLine("note (" + r.Name + "): the crop was copied into a buffer for the SPI panel: " + r.SpiBounceReason);
                }

                if (r.DisplayConversionReason != null)
                {
                    text.AppendLine("note (" + r.Name + "): each frame was converted for the display: " + r.DisplayConversionReason);
                }
            }

            text.AppendLine("CPU time: " + CpuMeter.ClockName + " of the overlay, the pixel copies and the DmaBuf calls");
            text.AppendLine("(map/unmap, CPU access begin/end, frame queue), less the time the simulator spent inside its cache");
            text.AppendLine("backend modelling the cache hardware, its own clock readings included (shown apart as \"cache model,");
            text.AppendLine("excluded\"; the cache work itself is the line and whole-cache operations above), less the meter's own");
            text.AppendLine("cost per measured step (two reads of the thread CPU clock, calibrated once on empty steps); not the");
            text.AppendLine("simulated DMA, peripherals or output. With --compare the pipelines take turns frame by frame.");
            return text.ToString();
        }

        private static void Row(StringBuilder text, string label, IReadOnlyList<PipelineResult> results, Func<PipelineResult, string> cell)
        {
            text.Append(label.PadRight(34));
            foreach (PipelineResult result in results)
            {
                text.Append(cell(result).PadLeft(16));
            }

            text.AppendLine();
        }

        private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

        private static string Ms(double nanoseconds) => (nanoseconds / 1e6).ToString("F3", CultureInfo.InvariantCulture);
    }
}
