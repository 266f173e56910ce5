using CniSharp.Interop;

namespace CniSharp.IntegrationTests.Netlink;

/// <summary>An "ip netns add" namespace for the peer end of a veth; deleted on dispose.</summary>
internal sealed class NamedNetns : IDisposable
{
    public NamedNetns()
    {
        Name = "cnisharp-nltest-" + Guid.NewGuid().ToString("N")[..12];
        PrivateNetns.RunIp($"netns add {Name}");
        Handle = LibC.open($"/run/netns/{Name}", LibC.OpenFlags.O_RDONLY);
    }

    public string Name { get; }

    public SafeFileDescriptor Handle { get; }

    public void Dispose()
    {
        Handle.Dispose();
        PrivateNetns.RunIp($"netns delete {Name}");
    }
}
