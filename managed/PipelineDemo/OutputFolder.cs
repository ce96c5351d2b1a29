using System;
using System.IO;
using System.Text.RegularExpressions;

namespace nanoFramework.DmaBuf.PipelineDemo
{
    /// <summary>
    /// The folders a run writes into: one per mode (pipeline, and --no-sync apart), emptied of the
    /// demo's own files at the start of a run, so a short run never leaves older frames beside its
    /// own. Other files there are the user's and stay.
    /// </summary>
    internal static class OutputFolder
    {
        /// <summary>The names the demo writes (<see cref="FrameOutput"/>'s PNGs, <see cref="DemoTrace"/>'s file).</summary>
        private static readonly Regex DemoFile = new Regex(@"^((display|spi)-[0-9]{4,}\.png|trace\.json)$", RegexOptions.CultureInvariant);

        /// <summary>The root the pipelines' folders go under: --no-sync runs get their own, since their pictures are corrupted on purpose.</summary>
        public static string Root(DemoOptions options) => options.NoSync ? Path.Combine(options.Output, "no-sync") : options.Output;

        /// <summary>
        /// Creates <paramref name="folder"/> if needed and deletes the demo's files in it; throws
        /// ArgumentException naming --output when it cannot be created or written.
        /// </summary>
        public static void Prepare(string folder)
        {
            try
            {
                Directory.CreateDirectory(folder);
                foreach (string file in Directory.GetFiles(folder))
                {
                    if (DemoFile.IsMatch(Path.GetFileName(file)))
                    {
                        File.Delete(file);
                    }
                }

                // Creating a folder can pass where writing in it fails (read-only mounts, permissions).
                string probe = Path.Combine(folder, ".pipelinedemo-write-test");
                File.WriteAllBytes(probe, Array.Empty<byte>());
                File.Delete(probe);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new ArgumentException(Refusal(folder, e));
            }
        }

        /// <summary>The one line refusing --output because writing <paramref name="folder"/> failed with <paramref name="e"/>.</summary>
        public static string Refusal(string folder, Exception e) =>
            "--output: cannot write the folder '" + Path.GetFullPath(folder) + "': " + e.Message;
    }
}
