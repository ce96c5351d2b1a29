// Checks an assembly built for nanoFramework (tests/stages/45-nanoframework-build.sh): it must
// reference nothing but the assemblies its project names, at the versions named, and carry
// the TargetFrameworkAttribute the nanoFramework project system generates. A desktop or
// netstandard reference (a missing -nostdlib) or another target framework fails here, where
// the compiler would have accepted it.
//
// dotnet run --file NanoAssemblyCheck.cs -- ASSEMBLY "NAME[, Version=V, ...]"...
#:property Nullable=disable
#:property PublishAot=false
#:property TreatWarningsAsErrors=true
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

const string ExpectedFramework = ".NETnanoFramework,Version=v1.0";

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: NanoAssemblyCheck.cs ASSEMBLY REFERENCE...");
    return 2;
}

using var pe = new PEReader(File.OpenRead(args[0]));
MetadataReader md = pe.GetMetadataReader();
var allowed = args.Skip(1).Select(r => new AssemblyName(r)).ToList();
var problems = new List<string>();

foreach (AssemblyReferenceHandle handle in md.AssemblyReferences)
{
    AssemblyReference reference = md.GetAssemblyReference(handle);
    string name = md.GetString(reference.Name);
    Console.WriteLine($"references {name} {reference.Version}");
    AssemblyName declared = allowed.FirstOrDefault(a => a.Name == name);
    if (declared == null)
        problems.Add($"references {name} {reference.Version}, which the project does not name");
    else if (declared.Version != null && declared.Version != reference.Version)
        problems.Add($"references {name} {reference.Version}, the project names {declared.Version}");
}

string framework = null;
foreach (CustomAttributeHandle handle in md.GetAssemblyDefinition().GetCustomAttributes())
{
    CustomAttribute attribute = md.GetCustomAttribute(handle);
    if (attribute.Constructor.Kind != HandleKind.MemberReference)
        continue;
    MemberReference constructor = md.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
    if (constructor.Parent.Kind != HandleKind.TypeReference)
        continue;
    TypeReference type = md.GetTypeReference((TypeReferenceHandle)constructor.Parent);
    if (md.GetString(type.Namespace) != "System.Runtime.Versioning" || md.GetString(type.Name) != "TargetFrameworkAttribute")
        continue;
    // Blob: prolog 0x0001, then the constructor's one string argument (SerString).
    BlobReader blob = md.GetBlobReader(attribute.Value);
    blob.ReadUInt16();
    framework = blob.ReadSerializedString();
}
Console.WriteLine($"target framework {framework ?? "(none)"}");
if (framework != ExpectedFramework)
    problems.Add($"target framework is {framework ?? "not stated"}, not {ExpectedFramework}");

foreach (string problem in problems)
    Console.WriteLine($"{Path.GetFileName(args[0])}: {problem}");
return problems.Count == 0 ? 0 : 1;
