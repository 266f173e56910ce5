using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using CniSharp.Interop;

namespace CniSharp.Tests.Interop;

/// <summary>
/// The libc values CniSharp passes on each architecture it ships for. CniSharp.Core is compiled once for every RID;
/// the values come from the Tmds.LibC implementation assembly that "dotnet publish -r RID" puts beside it (the test
/// output has each RID's copy under runtimes/). Each case loads CniSharp.Core against one RID's copy and reads what
/// our code would pass there, so a value hard-coded for one architecture fails on the other.
/// Expected numbers: the kernel's uapi headers (asm-generic/fcntl.h; arm64 overrides O_DIRECTORY, O_NOFOLLOW,
/// O_DIRECT and O_LARGEFILE in arch/arm64/include/uapi/asm/fcntl.h).
/// </summary>
public class ArchitectureValuesTests
{
    public static TheoryData<string, string, int> OpenFlags => new()
    {
        { "linux-x64", "O_RDONLY", 0x0 },
        { "linux-x64", "O_WRONLY", 0x1 },
        { "linux-x64", "O_CREAT", 0x40 },
        { "linux-x64", "O_EXCL", 0x80 },
        { "linux-x64", "O_APPEND", 0x400 },
        { "linux-x64", "O_DIRECTORY", 0x10000 },
        { "linux-x64", "O_NOFOLLOW", 0x20000 },
        { "linux-x64", "O_CLOEXEC", 0x80000 },
        { "linux-arm64", "O_RDONLY", 0x0 },
        { "linux-arm64", "O_WRONLY", 0x1 },
        { "linux-arm64", "O_CREAT", 0x40 },
        { "linux-arm64", "O_EXCL", 0x80 },
        { "linux-arm64", "O_APPEND", 0x400 },
        { "linux-arm64", "O_DIRECTORY", 0x4000 },
        { "linux-arm64", "O_NOFOLLOW", 0x8000 }, // 0x20000 there is O_LARGEFILE: it follows symlinks
        { "linux-arm64", "O_CLOEXEC", 0x80000 },
    };

    [Theory]
    [MemberData(nameof(OpenFlags))]
    public void OpenFlag_IsTheKernelValue_OfEachArchitecture(string rid, string flag, int expected)
    {
        using var core = CoreFor.Rid(rid);
        Assert.Equal(expected, core.Value("CniSharp.Interop.LibC+OpenFlags", flag));
    }

    [Fact]
    public void EveryOpenFlag_IsPinned_ForEveryArchitecture()
    {
        string[] declared = typeof(LibC.OpenFlags).GetProperties(BindingFlags.Static | BindingFlags.NonPublic)
            .Select(p => p.Name).Order().ToArray();
        foreach (string rid in CoreFor.ShippedRids)
            Assert.Equal(declared, OpenFlags.Where(row => (string)row[0] == rid).Select(row => (string)row[1]).Order().ToArray());
    }

    [Fact]
    public void ThisProcess_PassesItsOwnArchitecturesValues()
    {
        string rid = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "linux-x64",
            Architecture.Arm64 => "linux-arm64",
            var other => throw new PlatformNotSupportedException($"CniSharp ships no build for {other}"),
        };
        foreach (object[] row in OpenFlags.Where(row => (string)row[0] == rid))
            Assert.Equal((int)row[2], (int)typeof(LibC.OpenFlags).GetProperty((string)row[1], BindingFlags.Static | BindingFlags.NonPublic)!.GetValue(null)!);
    }

    /// <summary>Our Errno enum must be constants (C# patterns need them): each member must be Tmds.LibC's number on every RID.</summary>
    [Theory]
    [InlineData("linux-x64")]
    [InlineData("linux-arm64")]
    public void ErrnoEnum_MatchesTmdsLibC(string rid)
    {
        using var core = CoreFor.Rid(rid);
        foreach (Errno errno in Enum.GetValues<Errno>())
        {
            string name = errno == Errno.EOPNOTSUPP ? nameof(Errno.EOPNOTSUPP) : errno.ToString();
            Assert.True((int)errno == core.TmdsValue(name), $"{name} on {rid}");
        }
    }

    /// <summary>
    /// Every value our LibC forwards from Tmds.LibC (its static properties; our own values are consts) is the one of the
    /// same name there: no crossed wires, and nothing forwarded that Tmds.LibC does not define.
    /// </summary>
    [Theory]
    [InlineData("linux-x64")]
    [InlineData("linux-arm64")]
    public void ForwardedValues_AreTmdsLibCsOfTheSameName(string rid)
    {
        using var core = CoreFor.Rid(rid);
        string[] forwarded = typeof(LibC).GetProperties(BindingFlags.Static | BindingFlags.NonPublic).Select(p => p.Name).ToArray();
        Assert.Contains("CLONE_NEWNET", forwarded);
        foreach (string name in forwarded)
            Assert.True(core.TmdsValue(name) == core.Value("CniSharp.Interop.LibC", name), $"{name} on {rid}");
    }

    /// <summary>CniSharp.Core loaded in its own context that resolves Tmds.LibC to one RID's implementation assembly.</summary>
    private sealed class CoreFor : AssemblyLoadContext, IDisposable
    {
        public static readonly string[] ShippedRids = ["linux-x64", "linux-arm64"];

        private readonly string _tmdsPath;
        private readonly Assembly _core;

        private CoreFor(string rid) : base($"CniSharp.Core for {rid}", isCollectible: true)
        {
            _tmdsPath = Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "lib", "netstandard2.0", "Tmds.LibC.dll");
            Assert.True(File.Exists(_tmdsPath), $"{_tmdsPath} is missing: the Tmds.LibC package no longer ships {rid}");
            _core = LoadFromAssemblyPath(typeof(LibC).Assembly.Location);
        }

        public static CoreFor Rid(string rid) => new(rid);

        public long Value(string typeName, string property) =>
            Convert.ToInt64(_core.GetType(typeName, throwOnError: true)!
                .GetProperty(property, BindingFlags.Static | BindingFlags.NonPublic)!.GetValue(null), System.Globalization.CultureInfo.InvariantCulture);

        public long TmdsValue(string property)
        {
            Type libc = LoadFromAssemblyName(new AssemblyName("Tmds.LibC")).GetType("Tmds.Linux.LibC", throwOnError: true)!;
            object value = libc.GetProperty(property, BindingFlags.Static | BindingFlags.Public)!.GetValue(null)!;
            // sa_family_t and the like convert implicitly to int.
            return value is IConvertible ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
                : (int)value.GetType().GetMethod("op_Implicit", [value.GetType()])!.Invoke(null, [value])!;
        }

        protected override Assembly? Load(AssemblyName name) =>
            name.Name == "Tmds.LibC" ? LoadFromAssemblyPath(_tmdsPath) : null;

        public void Dispose() => Unload();
    }
}
