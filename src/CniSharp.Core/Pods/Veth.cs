using System.Net.NetworkInformation;
using CniSharp.Cni;
using CniSharp.Interop;
using CniSharp.Namespaces;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;

namespace CniSharp.Pods;

/// <summary>
/// A pod's veth pair (the reference's pkg/ip SetupVeth and DelLinkByName): the host end named from (container id,
/// ifname) by <see cref="HostVethName"/>, the container end born inside the pod's netns as CNI_IFNAME.
/// </summary>
internal static class Veth
{
    /// <summary>
    /// Creates the pair in one request, the container end directly in <paramref name="netns"/> (it never exists on
    /// the host, so no name clash with a host link and no move). Returns the host end.
    /// </summary>
    public static LinkInfo Create(IRouteNetlink host, CniArgs args, NetNamespace netns, string hostVethName, int mtu, PhysicalAddress? containerMac)
    {
        try
        {
            host.AddVeth(new VethRequest
            {
                Name = hostVethName,
                PeerName = args.IfName,
                PeerNamespace = netns.Handle,
                Mtu = mtu,
                PeerMac = containerMac,
            });
        }
        catch (NetlinkException e) when (e.Errno == Errno.EEXIST)
        {
            // The kernel does not say which end clashed; one look at the host answers it.
            string which = host.GetLink(hostVethName) is not null
                ? $"host interface \"{hostVethName}\" for container {args.ContainerId} ({args.IfName}) already exists: a previous ADD was not deleted; run DEL first"
                : $"container interface \"{args.IfName}\" already exists in {args.NetNs}";
            throw new CniException(CniErrorCode.Internal, which);
        }
        return host.GetLink(hostVethName)
            ?? throw new CniException(CniErrorCode.Internal, $"host interface \"{hostVethName}\" vanished right after it was created");
    }

    /// <summary>
    /// DEL's part: removes the pair whether or not the netns is still there. The host end's name is derived, so
    /// this works without the netns (CNI_NETNS may be empty or gone); deleting one end of a veth deletes the pair.
    /// <paramref name="recordedHostVeth"/> is the name the attachment record holds, when it differs.
    /// </summary>
    public static void DeletePair(IRouteNetlink host, Func<IRouteNetlink> openNetlink, CniArgs args, string? recordedHostVeth)
    {
        string derived = HostVethName.For(args.ContainerId, args.IfName);
        bool deleted = DeleteHostEnd(host, derived);
        if (recordedHostVeth is not null && recordedHostVeth != derived)
            deleted |= DeleteHostEnd(host, recordedHostVeth);
        if (deleted) return;
        using NetNamespace? netns = ContainerNamespace.OpenIfPresent(args);
        netns?.Run(_ =>
        {
            using IRouteNetlink nl = openNetlink();
            DeleteContainerEnd(nl, args.IfName);
        });
    }

    /// <summary>Deletes a host veth by name; false when there is none. Only a veth: a name alone proves nothing.</summary>
    public static bool DeleteHostEnd(IRouteNetlink host, string name)
    {
        if (host.GetLink(name) is not LinkInfo link || link.Kind != "veth") return false;
        Links.DeleteIgnoringMissing(host, link.Index);
        return true;
    }

    /// <summary>Deletes the container end by CNI_IFNAME, if it is a veth; <paramref name="nl"/> must be the pod's netns.</summary>
    public static void DeleteContainerEnd(IRouteNetlink nl, string ifName)
    {
        if (nl.GetLink(ifName) is LinkInfo link && link.Kind == "veth")
            Links.DeleteIgnoringMissing(nl, link.Index);
    }
}
