namespace CniSharp.Cni;

/// <summary>One invocation as the runtime described it: the CNI_* environment and the stdin bytes.</summary>
internal sealed class CniArgs
{
    public required CniCommand Command { get; init; }

    /// <summary>CNI_CONTAINERID; empty for VERSION, STATUS and GC.</summary>
    public string ContainerId { get; init; } = "";

    /// <summary>CNI_NETNS; null or empty is legal on DEL (nerdctl and ctr send "").</summary>
    public string? NetNs { get; init; }

    /// <summary>CNI_IFNAME; empty for VERSION, STATUS and GC.</summary>
    public string IfName { get; init; } = "";

    /// <summary>CNI_ARGS as sent ("K=V;K2=V2"), parsed on demand by <see cref="CniEnvArgs"/>.</summary>
    public string? Args { get; init; }

    /// <summary>CNI_PATH split on ':'.</summary>
    public IReadOnlyList<string> Path { get; init; } = [];

    /// <summary>The network configuration exactly as received on stdin (delegates get these bytes).</summary>
    public byte[] StdinData { get; init; } = [];
}
