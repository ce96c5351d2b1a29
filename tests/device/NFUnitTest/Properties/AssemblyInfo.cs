using System.Reflection;

[assembly: AssemblyTitle("NFUnitTest")]
[assembly: AssemblyDescription("nanoFramework.DmaBuf device tests")]
[assembly: AssemblyProduct("nanoFramework.DmaBuf")]
[assembly: AssemblyVersion("1.0.0.0")]
