using System.Diagnostics;

namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// Leak reports of debug builds: a buffer that reaches its finalizer was never disposed, so
    /// its DMA memory stayed taken for as long as the garbage collector left it alive.
    /// </summary>
    internal static class DmaDiagnostics
    {
        internal delegate void LeakHandler(string message);

        /// <summary>Receives every leak report after it is written to the debug output (tests).</summary>
        internal static LeakHandler LeakReported = null;

        internal static void ReportLeak(string kind, string name)
        {
#if DEBUG
            string message = "DmaBuf: " + kind + " '" + name + "' was not disposed; released by the finalizer";
            Debug.WriteLine(message);
            LeakHandler handler = LeakReported;
            if (handler != null)
            {
                handler(message);
            }
#endif
        }
    }
}
