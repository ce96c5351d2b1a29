using System.Reflection;
using System.Runtime.CompilerServices;

[assembly: AssemblyTitle("nanoFramework.DmaBuf")]
[assembly: AssemblyDescription("Zero-copy DMA buffers shared by devices and the CPU, with exact cache hand-overs")]
[assembly: AssemblyProduct("nanoFramework.DmaBuf")]
[assembly: AssemblyVersion("1.0.0.0")]

#if NANOFRAMEWORK_1_0
////////////////////////////////////////////////////////////////////////////////////////
// Update this whenever a native method signature changes, together with the version in
// native-interop/interop/nanoFramework/dmabuf_nf_native.cpp (the firmware refuses an
// assembly whose native version or checksum differs from its own).
[assembly: AssemblyNativeVersion("1.0.0.1")]
////////////////////////////////////////////////////////////////////////////////////////

[assembly: InternalsVisibleTo("NFUnitTest")]
#else
[assembly: InternalsVisibleTo("nanoFramework.DmaBuf.Tests")]
#endif
