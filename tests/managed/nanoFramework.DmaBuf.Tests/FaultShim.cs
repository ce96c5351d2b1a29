using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using nanoFramework.DmaBuf;

namespace nanoFramework.DmaBuf.Tests
{
    /// <summary>
    /// Makes the library under test load libdmabuf_host through the fault-injection stand-in
    /// (tests/managed/native-faults), which forwards every call to the real library except the one
    /// armed to fail. Installed before any test runs, so every test goes through it; unarmed, it
    /// only forwards.
    /// </summary>
    internal static class FaultShim
    {
        private const string Library = "dmabuf_host_faults";

        // A module initializer in a test assembly: the resolver must be in place before the
        // first P/Invoke of any test binds the real library.
#pragma warning disable CA2255
        [ModuleInitializer]
#pragma warning restore CA2255
        internal static void Install()
        {
            NativeLibrary.SetDllImportResolver(typeof(DmaHeap).Assembly, Resolve);
        }

        /// <summary>The next call of <paramref name="entry"/> on this thread fails with <paramref name="error"/>.</summary>
        internal static void Arm(string entry, int error) => dmabuf_faults_arm(entry, error);

        /// <summary>Disarms; whether the armed entry point was called (and failed) meanwhile.</summary>
        internal static bool Disarm() => dmabuf_faults_disarm() != 0;

        private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
        {
            if (name != "dmabuf_host")
            {
                return IntPtr.Zero;
            }

            return NativeLibrary.Load(Path.Combine(AppContext.BaseDirectory, "lib" + Library + ".so"));
        }

        [DllImport(Library)]
        private static extern void dmabuf_faults_arm([MarshalAs(UnmanagedType.LPUTF8Str)] string entry, int error);

        [DllImport(Library)]
        private static extern int dmabuf_faults_disarm();
    }
}
