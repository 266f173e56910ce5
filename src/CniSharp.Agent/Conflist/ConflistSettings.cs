using CniSharp.Agent.Cli;
using CniSharp.Ip;

namespace CniSharp.Agent.Conflist;

/// <summary>Everything the conflist says: plugin, the node's subnets, MTU, and where plugins keep state.</summary>
internal sealed record ConflistSettings(
    ConflistPlugin Plugin,
    IReadOnlyList<IPPrefix> Subnets,
    int Mtu,
    string DataDir,
    string ReadinessFile)
{
    public bool Equals(ConflistSettings? other) =>
        other is not null && Plugin == other.Plugin && Subnets.SequenceEqual(other.Subnets) && Mtu == other.Mtu &&
        DataDir == other.DataDir && ReadinessFile == other.ReadinessFile;

    public override int GetHashCode() => HashCode.Combine(Plugin, Mtu, DataDir, ReadinessFile);
}
