using CniSharp.Cni;
using CniSharp.Ipam;

namespace CniSharp.Pods;

/// <summary>The IPAM step of a main plugin's ADD.</summary>
internal static class PodAddresses
{
    /// <summary>
    /// IPAM ADD for the pod, whose DEL joins <paramref name="rollback"/> at once: anything failing after this
    /// releases the addresses (the reference's guard against IP leaks). An answer without addresses is an error.
    /// </summary>
    public static CniResult Reserve(IIpam ipam, IpamRequest request, Rollback rollback)
    {
        CniResult allocated = ipam.Add(request);
        rollback.Add("IPAM reservation", () => ipam.Del(request));
        if (allocated.Ips.Count == 0)
            throw new CniException(CniErrorCode.Internal, $"IPAM plugin \"{request.Conf.IpamType}\" returned no IP addresses");
        return allocated;
    }
}
