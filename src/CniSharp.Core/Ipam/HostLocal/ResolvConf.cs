using CniSharp.Cni;
using CniSharp.Files;

namespace CniSharp.Ipam.HostLocal;

/// <summary>
/// Reads a resolv.conf into the result's dns the way the reference's dns.go does: "nameserver" adds one
/// server, "domain" keeps only its first word, "search" and "options" keep all their words, lines starting
/// with '#' or ';' and lines with fewer than two words are ignored.
/// </summary>
internal static class ResolvConf
{
    public static CniDns Parse(IEnumerable<string> lines)
    {
        var dns = new CniDns();
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#' || line[0] == ';') continue;
            string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2) continue;
            switch (fields[0])
            {
                case "nameserver":
                    (dns.Nameservers ??= []).Add(fields[1]);
                    break;
                case "domain":
                    dns.Domain = fields[1];
                    break;
                case "search":
                    (dns.Search ??= []).AddRange(fields[1..]);
                    break;
                case "options":
                    (dns.Options ??= []).AddRange(fields[1..]);
                    break;
            }
        }
        return dns;
    }

    /// <summary>A resolv.conf is a few hundred bytes; the cap keeps "/dev/zero" from eating the node's memory.</summary>
    public const int MaxBytes = 64 * 1024;

    public static CniDns Load(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            byte[] buffer = new byte[MaxBytes + 1];
            int length = 0, read;
            while (length < buffer.Length && (read = file.Read(buffer, length, buffer.Length - length)) > 0)
                length += read;
            if (length > MaxBytes)
                throw new CniException(CniErrorCode.InvalidNetworkConfig,
                    $"host-local: resolvConf {path} is larger than {MaxBytes / 1024} KiB: not a resolv.conf");
            return Parse(System.Text.Encoding.UTF8.GetString(buffer, 0, length).Split('\n'));
        }
        catch (Exception ex) when (FileErrors.IsFileSystemFailure(ex))
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"host-local: cannot read resolvConf {path}: {ex.Message}", inner: ex);
        }
    }
}
