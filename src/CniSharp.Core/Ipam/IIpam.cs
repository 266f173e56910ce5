using CniSharp.Cni;

namespace CniSharp.Ipam;

/// <summary>
/// An IPAM as the main plugin sees it: our host-local in-process, or any other ipam.type executed from
/// CNI_PATH. Add returns an abbreviated result (ips, routes, dns; no interfaces, no ips[].interface).
/// </summary>
internal interface IIpam
{
    CniResult Add(IpamRequest request);

    /// <summary>Releases what Add reserved for (container id, ifname); succeeds when nothing is reserved.</summary>
    void Del(IpamRequest request);

    /// <summary>Throws a <see cref="CniException"/> saying what is missing when the reservation is gone.</summary>
    void Check(IpamRequest request);

    /// <summary>Spec 1.1 STATUS: throws code 50 when an ADD could not be served.</summary>
    void Status(IpamRequest request);

    /// <summary>Spec 1.1 GC: releases every reservation whose attachment is not in <paramref name="validAttachments"/>.</summary>
    void Gc(IpamRequest request, IReadOnlyCollection<GcAttachment> validAttachments);
}

/// <summary>Everything an IPAM needs: the invocation and the parsed common configuration.</summary>
internal sealed record IpamRequest(CniArgs Args, NetConf Conf);
