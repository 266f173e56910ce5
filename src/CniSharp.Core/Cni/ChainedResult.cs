namespace CniSharp.Cni;

/// <summary>
/// SPEC "prevResult": a plugin given the result of the plugins before it must pass it through or add to it.
/// An interface-creating plugin later in a chain adds: its interfaces follow the earlier ones, so the
/// "interface" index of each of its addresses moves up by the number of earlier interfaces.
/// </summary>
internal static class ChainedResult
{
    /// <summary>prevResult's interfaces, ips and routes, then ours; our DNS when we have any, else prevResult's.</summary>
    public static CniResult Append(CniResult previous, CniResult ours)
    {
        int offset = previous.Interfaces.Count;
        var merged = new CniResult
        {
            CniVersion = ours.CniVersion,
            Interfaces = [.. previous.Interfaces, .. ours.Interfaces],
            Ips = [.. previous.Ips],
            Routes = [.. previous.Routes, .. ours.Routes],
            Dns = ours.Dns is { IsEmpty: false } ? ours.Dns : previous.Dns,
        };
        foreach (CniIPConfig ip in ours.Ips)
        {
            merged.Ips.Add(new CniIPConfig
            {
                Address = ip.Address,
                Gateway = ip.Gateway,
                Interface = ip.Interface + offset,
            });
        }
        return merged;
    }
}
