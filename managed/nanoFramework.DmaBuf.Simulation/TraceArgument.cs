namespace nanoFramework.DmaBuf.Simulation
{
    /// <summary>One named value shown with a trace event ("args" of the trace-event format).</summary>
    public readonly struct TraceArgument
    {
        private TraceArgument(string name, long number, string text)
        {
            Name = name;
            Number = number;
            Text = text;
        }

        /// <summary>The value's name.</summary>
        public string Name { get; }

        /// <summary>The value when it is a number (<see cref="Text"/> null).</summary>
        public long Number { get; }

        /// <summary>The value when it is text, else null.</summary>
        public string Text { get; }

        /// <summary>A numeric argument.</summary>
        /// <param name="name">Its name.</param>
        /// <param name="number">Its value.</param>
        /// <returns>The argument.</returns>
        public static TraceArgument Of(string name, long number) => new TraceArgument(name, number, null);

        /// <summary>A text argument.</summary>
        /// <param name="name">Its name.</param>
        /// <param name="text">Its value.</param>
        /// <returns>The argument.</returns>
        public static TraceArgument Of(string name, string text) => new TraceArgument(name, 0, text ?? string.Empty);
    }
}
