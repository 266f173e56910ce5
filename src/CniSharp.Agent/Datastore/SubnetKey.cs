using System.Diagnostics.CodeAnalysis;
using System.Net;
using CniSharp.Ip;

namespace CniSharp.Agent.Datastore;

/// <summary>
/// The etcd key of one node subnet: <c>&lt;prefix&gt;/subnets/&lt;ip&gt;-&lt;len&gt;</c>, e.g.
/// <c>/cnisharp/network/subnets/10.244.3.0-24</c> or <c>/cnisharp/network/subnets/fd00:10:244:3::-64</c>
/// ('/' cannot appear in a key segment, so the prefix length follows a '-', as flannel writes it).
/// </summary>
internal static class SubnetKey
{
    public static string Directory(string prefix) => prefix + "/subnets/";

    public static string For(string prefix, IPPrefix subnet) => $"{Directory(prefix)}{subnet.Address}-{subnet.PrefixLength}";

    public static bool TryParse(string prefix, string key, [NotNullWhen(true)] out IPPrefix? subnet)
    {
        subnet = null;
        string dir = Directory(prefix);
        if (!key.StartsWith(dir, StringComparison.Ordinal)) return false;
        string name = key[dir.Length..];
        int dash = name.LastIndexOf('-');
        if (dash <= 0 || !IPAddress.TryParse(name.AsSpan(0, dash), out IPAddress? address)) return false;
        if (!int.TryParse(name.AsSpan(dash + 1), System.Globalization.NumberStyles.None, null, out int length)) return false;
        if (!IPPrefix.TryParse($"{address}/{length}", out IPPrefix parsed) || !parsed.Network.Equals(parsed)) return false;
        subnet = parsed;
        return true;
    }
}
