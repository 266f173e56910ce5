using System.Net.NetworkInformation;
using System.Security.Cryptography;
using System.Text;

namespace CniSharp.Agent.Dataplane;

/// <summary>
/// The VXLAN device's MAC, derived from the node name: a re-created device (reboot, backend switch back) gets
/// the same MAC, so peers' neighbour and FDB entries for this node stay right and nothing has to flap.
/// </summary>
internal static class VtepMac
{
    public static PhysicalAddress For(string nodeName)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes("cnisharp-vtep/" + nodeName));
        byte[] mac = hash[..6];
        // Locally administered (bit 1), unicast (bit 0 clear).
        mac[0] = (byte)((mac[0] & 0xfc) | 0x02);
        return new PhysicalAddress(mac);
    }
}
