using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using CniSharp.Interop;
using CniSharp.Ip;
using CniSharp.Netlink;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.Netfilter;

/// <summary>
/// hostPort DNAT in "inet cnisharp", kindnet's shape: verdict-free maps keyed <c>daddr . l4proto . dport</c>
/// (mappings bound to one host address) and <c>l4proto . dport</c> (any local address), valued
/// <c>pod address . port</c>, consulted by four fixed rules in chain "hostports". That chain is jumped to from
/// prerouting and output only for packets addressed to this host (<c>fib daddr type local</c>): traffic routed
/// through the host to the same port is never translated. Hairpin (a pod, or its subnet, to the pod's hostPort)
/// and IPv4 localhost connections are masqueraded in postrouting, so the reply finds its way back. ADD and DEL add or remove one
/// pod's elements in one transaction; the maps and rules are made once, by the first mapping on the host.
/// </summary>
internal static partial class HostPorts
{
    public const string Chain = "hostports";
    public const string PreroutingChain = "hostports-prerouting";
    public const string OutputChain = "hostports-output";
    public const string PostroutingChain = "hostports-postrouting";

    public static string HostMap(AddressFamily family) => $"hostports{CnisharpTables.Suffix(family)}";

    public static string AnyMap(AddressFamily family) => $"hostports{CnisharpTables.Suffix(family)}-any";

    public static string HairpinSet(AddressFamily family) => $"hostports-hairpin{CnisharpTables.Suffix(family)}";

    private static readonly string[] AllSets =
    [
        HostMap(AddressFamily.InterNetwork), AnyMap(AddressFamily.InterNetwork), HairpinSet(AddressFamily.InterNetwork),
        HostMap(AddressFamily.InterNetworkV6), AnyMap(AddressFamily.InterNetworkV6), HairpinSet(AddressFamily.InterNetworkV6),
    ];

    /// <summary>
    /// Maps the pod's host ports (idempotent for the same owner). <paramref name="hairpinSubnets"/>: the pod
    /// addresses with their subnets whose traffic to the pod's own mappings is masqueraded (empty: snat off).
    /// Throws <see cref="HostPortConflictException"/> when another attachment holds one of the host ports.
    /// </summary>
    public static void Add(NfTables nft, ElementOwner owner, IReadOnlyList<HostPortMapping> mappings, IReadOnlyList<IPPrefix> hairpinSubnets)
    {
        if (mappings.Count == 0) return;
        List<HostPortMapping> pending = [.. mappings];
        bool withStructure = false;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                Commit(nft, owner, pending, mappings, hairpinSubnets, withStructure);
                return;
            }
            catch (NetlinkException e) when (e.Errno == Errno.ENOENT && !withStructure)
            {
                // The first mapping of the host: the next attempt makes the maps and rules too.
                withStructure = true;
            }
            catch (NetlinkException e) when (e.Errno == Errno.EEXIST && attempt <= 4)
            {
                // Elements are added exclusively, so some key exists: ours (a repeated ADD) is left as it is,
                // another owner's is a conflict. Or a concurrent first mapping made the maps first.
                pending = WithoutOwnMappings(nft, owner, pending);
                withStructure = false;
            }
        }
    }

    /// <summary>Removes every mapping of the attachment, found by owner; returns the removed ones.</summary>
    public static List<HostPortMapping> Remove(NfTables nft, ElementOwner owner) =>
        Decode(OwnedElements.Remove(nft, CnisharpTables.Inet, CnisharpTables.Name, AllSets, owner.Owns));

    /// <summary>Removes the mappings of <paramref name="network"/>'s attachments that <paramref name="keep"/> rejects (GC).</summary>
    public static List<HostPortMapping> Gc(NfTables nft, string network, Func<string, string, bool> keep) =>
        Decode(OwnedElements.Remove(nft, CnisharpTables.Inet, CnisharpTables.Name, AllSets,
            c => ElementOwner.TryParse(c, network, out string id, out string ifName) && !keep(id, ifName)));

    /// <summary>The mappings the attachment holds now (for CHECK).</summary>
    public static List<HostPortMapping> Owned(NfTables nft, ElementOwner owner)
    {
        var owned = new List<HostPortMapping>();
        foreach (AddressFamily family in CnisharpTables.Families)
        {
            foreach (string map in (string[])[HostMap(family), AnyMap(family)])
            {
                foreach (NftElement element in nft.ListElements(CnisharpTables.Inet, CnisharpTables.Name, map) ?? [])
                {
                    if (owner.Owns(element.Comment) && TryDecode(map, element) is { } mapping)
                        owned.Add(mapping);
                }
            }
        }
        return owned;
    }

    /// <summary>Has the kernel check, applying nothing, the transaction the first mapping would send.</summary>
    public static void Validate(NfTables nft)
    {
        NftBatch batch = nft.Begin();
        WriteStructure(batch, exclusive: false);
        batch.Validate();
    }

    private static void Commit(NfTables nft, ElementOwner owner, IReadOnlyList<HostPortMapping> mappings,
        IReadOnlyList<HostPortMapping> all, IReadOnlyList<IPPrefix> hairpinSubnets, bool withStructure)
    {
        NftBatch batch = nft.Begin();
        if (withStructure)
            WriteStructure(batch, exclusive: true);
        foreach (HostPortMapping mapping in mappings)
        {
            AddressFamily family = mapping.PodIp.AddressFamily;
            string map = mapping.HostIp is null ? AnyMap(family) : HostMap(family);
            batch.AddElements(CnisharpTables.Inet, CnisharpTables.Name, map, [ElementOf(mapping, owner)], $"{{ {mapping} }}", exclusive: true);
        }
        foreach (IPPrefix pod in hairpinSubnets)
        {
            // Not exclusive: one element per pod address serves all its mappings, and a repeated ADD re-adds it.
            if (!all.Any(m => m.PodIp.Equals(pod.Address))) continue;
            IPPrefix subnet = pod.Network;
            batch.AddElements(CnisharpTables.Inet, CnisharpTables.Name, HairpinSet(pod.Family),
                [new NftElement(NftKey.Concat(NftKey.Address(subnet.Address), NftKey.Address(pod.Address)))
                {
                    KeyEnd = NftKey.Concat(NftKey.Address(IPAddressMath.LastAddress(subnet)), NftKey.Address(pod.Address)),
                    Comment = owner.Comment,
                }], $"{{ {subnet} . {pod.Address} }}");
        }
        batch.Commit();
    }

    private static NftElement ElementOf(HostPortMapping m, ElementOwner owner)
    {
        byte[] key = m.HostIp is { } hostIp
            ? NftKey.Concat(NftKey.Address(hostIp), NftKey.Proto(m.Protocol), NftKey.Port(m.HostPort))
            : NftKey.Concat(NftKey.Proto(m.Protocol), NftKey.Port(m.HostPort));
        return new NftElement(key)
        {
            Data = NftKey.Concat(NftKey.Address(m.PodIp), NftKey.Port(m.ContainerPort)),
            Comment = owner.Comment,
        };
    }

    /// <summary>
    /// The mappings whose key is not already ours. A key held by another attachment (or by ours with another
    /// value: a changed mapping without DEL) is a conflict, reported with its holder.
    /// </summary>
    private static List<HostPortMapping> WithoutOwnMappings(NfTables nft, ElementOwner owner, List<HostPortMapping> mappings)
    {
        var existing = new Dictionary<string, List<NftElement>>(StringComparer.Ordinal);
        var remaining = new List<HostPortMapping>();
        foreach (HostPortMapping mapping in mappings)
        {
            AddressFamily family = mapping.PodIp.AddressFamily;
            string map = mapping.HostIp is null ? AnyMap(family) : HostMap(family);
            if (!existing.TryGetValue(map, out List<NftElement>? elements))
                existing[map] = elements = nft.ListElements(CnisharpTables.Inet, CnisharpTables.Name, map) ?? [];
            NftElement wanted = ElementOf(mapping, owner);
            NftElement? holder = elements.FirstOrDefault(e => e.Key.AsSpan().SequenceEqual(wanted.Key));
            if (holder is null)
                remaining.Add(mapping);
            else if (!owner.Owns(holder.Comment) || !holder.Data.AsSpan().SequenceEqual(wanted.Data))
                throw new HostPortConflictException(mapping, holder.Comment, TryDecode(map, holder));
        }
        return remaining;
    }

    private static List<HostPortMapping> Decode(Dictionary<string, List<NftElement>> removed)
    {
        var mappings = new List<HostPortMapping>();
        foreach ((string set, List<NftElement> elements) in removed)
        {
            foreach (NftElement element in elements)
            {
                if (TryDecode(set, element) is { } mapping)
                    mappings.Add(mapping);
            }
        }
        return mappings;
    }

    /// <summary>A map element back into a mapping; null for hairpin elements (and anything malformed).</summary>
    private static HostPortMapping? TryDecode(string map, NftElement element)
    {
        AddressFamily family = map.StartsWith("hostports6", StringComparison.Ordinal) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        int length = NftKey.AddressLength(family);
        bool any = map == AnyMap(family);
        if (map != HostMap(family) && !any) return null;
        int keyLength = any ? 8 : length + 8;
        if (element.Key.Length != keyLength || element.Data is not { } data || data.Length != length + 4) return null;
        ReadOnlySpan<byte> key = element.Key;
        IPAddress? hostIp = any ? null : new IPAddress(key[..length]);
        ReadOnlySpan<byte> rest = any ? key : key[length..];
        return new HostPortMapping(hostIp, rest[0], BinaryPrimitives.ReadUInt16BigEndian(rest[4..]),
            new IPAddress(data.AsSpan(0, length)), BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(length)));
    }
}
