using System;

namespace nanoFramework.DmaBuf.Simulation
{
    /// <summary>
    /// Native error codes of the simulator exports as exceptions, in one place (the same mapping as
    /// nanoFramework.DmaBuf's, whose helper is internal to that assembly).
    /// </summary>
    internal static class SimulationErrors
    {
        // KEEP IN SYNC with native-interop/include/dmabuf/errors.h.
        internal const int NoEntry = -2;
        internal const int BadHandle = -9;
        internal const int OutOfMemory = -12;
        internal const int Busy = -16;
        internal const int InvalidArgument = -22;
        internal const int TimedOut = -110;

        /// <summary>Throws for a negative <paramref name="error"/>; returns it otherwise.</summary>
        internal static int Check(int error, string what)
        {
            if (error < 0)
            {
                throw Create(error, what);
            }

            return error;
        }

        private static Exception Create(int error, string what)
        {
            switch (error)
            {
                case BadHandle:
                    return new ObjectDisposedException(what);
                case InvalidArgument:
                    return new ArgumentException(what + ": invalid argument (see the simulator's message on stderr)");
                case Busy:
                    return new InvalidOperationException(what + ": the peripheral is busy with an earlier request");
                case OutOfMemory:
                    return new InvalidOperationException(what + ": no fence or request slot left (release finished requests)");
                case NoEntry:
                    return new InvalidOperationException(what + ": not a request of this simulator held by the caller");
                case TimedOut:
                    return new TimeoutException(what + ": nothing signalled in time");
                default:
                    return new InvalidOperationException(what + ": native failure " + error.ToString());
            }
        }
    }
}
