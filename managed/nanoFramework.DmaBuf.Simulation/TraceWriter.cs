using System;
using System.IO;
using System.Text.Json;

namespace nanoFramework.DmaBuf.Simulation
{
    /// <summary>
    /// Writes a Chrome trace-event JSON file ({"traceEvents": [...]}), which Perfetto
    /// (ui.perfetto.dev) and chrome://tracing open: named tracks, spans, instants and counters,
    /// with times in microseconds.
    /// </summary>
    /// <remarks>
    /// Events are streamed to the file as they come; <see cref="Dispose"/> closes the JSON. All
    /// tracks belong to one process. Not thread-safe.
    /// </remarks>
    public sealed class TraceWriter : IDisposable
    {
        private const int ProcessId = 1;
        private readonly FileStream _file;
        private readonly Utf8JsonWriter _json;
        private bool _closed;

        /// <summary>Creates (or replaces) the trace file.</summary>
        /// <param name="path">The file.</param>
        /// <param name="processName">The name shown for the process owning every track.</param>
        /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
        /// <exception cref="IOException">The file cannot be created.</exception>
        public TraceWriter(string path, string processName)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            _file = new FileStream(path, FileMode.Create, FileAccess.Write);
            _json = new Utf8JsonWriter(_file);
            _json.WriteStartObject();
            _json.WriteString("displayTimeUnit", "ms");
            _json.WriteStartArray("traceEvents");
            Metadata("process_name", 0, processName ?? "trace");
        }

        /// <summary>Names a track (a "thread" of the process), shown as a row in the viewer.</summary>
        /// <param name="track">The track number used by the events.</param>
        /// <param name="name">The name to show.</param>
        /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
        public void NameTrack(int track, string name)
        {
            Metadata("thread_name", track, name);
            // Rows sorted by track number rather than by name.
            Begin("thread_sort_index", "M", track);
            _json.WriteStartObject("args");
            _json.WriteNumber("sort_index", track);
            _json.WriteEndObject();
            _json.WriteEndObject();
        }

        /// <summary>A span of time on a track (a "complete" event).</summary>
        /// <param name="track">The track.</param>
        /// <param name="name">What happened.</param>
        /// <param name="category">A category to filter by.</param>
        /// <param name="startMicroseconds">Start time.</param>
        /// <param name="durationMicroseconds">Duration (0 or more).</param>
        /// <param name="arguments">Values shown with the event.</param>
        /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
        public void Span(int track, string name, string category, double startMicroseconds, double durationMicroseconds,
            params TraceArgument[] arguments)
        {
            Begin(name, "X", track);
            _json.WriteString("cat", category);
            _json.WriteNumber("ts", startMicroseconds);
            _json.WriteNumber("dur", Math.Max(0.0, durationMicroseconds));
            Arguments(arguments);
            _json.WriteEndObject();
        }

        /// <summary>A moment on a track (an "instant" event).</summary>
        /// <param name="track">The track.</param>
        /// <param name="name">What happened.</param>
        /// <param name="category">A category to filter by.</param>
        /// <param name="timeMicroseconds">When.</param>
        /// <param name="arguments">Values shown with the event.</param>
        /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
        public void Instant(int track, string name, string category, double timeMicroseconds, params TraceArgument[] arguments)
        {
            Begin(name, "i", track);
            _json.WriteString("cat", category);
            _json.WriteString("s", "t");
            _json.WriteNumber("ts", timeMicroseconds);
            Arguments(arguments);
            _json.WriteEndObject();
        }

        /// <summary>A sample of a counter (a graph row named <paramref name="name"/>).</summary>
        /// <param name="name">The counter.</param>
        /// <param name="timeMicroseconds">When.</param>
        /// <param name="series">The series within the counter.</param>
        /// <param name="value">Its value from this moment on.</param>
        /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
        public void Counter(string name, double timeMicroseconds, string series, long value)
        {
            Begin(name, "C", 0);
            _json.WriteNumber("ts", timeMicroseconds);
            _json.WriteStartObject("args");
            _json.WriteNumber(series, value);
            _json.WriteEndObject();
            _json.WriteEndObject();
        }

        /// <summary>Closes the JSON and the file. Idempotent.</summary>
        public void Dispose()
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _json.WriteEndArray();
            _json.WriteEndObject();
            _json.Dispose();
            _file.Dispose();
        }

        private void Metadata(string kind, int track, string name)
        {
            Begin(kind, "M", track);
            _json.WriteStartObject("args");
            _json.WriteString("name", name);
            _json.WriteEndObject();
            _json.WriteEndObject();
        }

        private void Begin(string name, string phase, int track)
        {
            if (_closed)
            {
                throw new ObjectDisposedException("TraceWriter");
            }

            _json.WriteStartObject();
            _json.WriteString("name", name);
            _json.WriteString("ph", phase);
            _json.WriteNumber("pid", ProcessId);
            _json.WriteNumber("tid", track);
        }

        private void Arguments(TraceArgument[] arguments)
        {
            if (arguments == null || arguments.Length == 0)
            {
                return;
            }

            _json.WriteStartObject("args");
            foreach (TraceArgument argument in arguments)
            {
                if (argument.Text != null)
                {
                    _json.WriteString(argument.Name, argument.Text);
                }
                else
                {
                    _json.WriteNumber(argument.Name, argument.Number);
                }
            }

            _json.WriteEndObject();
        }
    }
}
