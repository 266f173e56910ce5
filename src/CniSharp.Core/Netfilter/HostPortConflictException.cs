namespace CniSharp.Netfilter;

/// <summary>A host port another attachment already maps (or this one, to another destination).</summary>
internal sealed class HostPortConflictException(HostPortMapping wanted, string? holder, HostPortMapping? held)
    : Exception($"{wanted.HostSide} is already mapped{(held is null ? "" : $" to {held.PodIp}:{held.ContainerPort}")} " +
                $"by {(holder is null ? "an element without an owner" : $"attachment {holder}")}")
{
    public HostPortMapping Wanted { get; } = wanted;

    /// <summary>The holder's owner comment ("network/container/ifname"), when it has one.</summary>
    public string? Holder { get; } = holder;
}
