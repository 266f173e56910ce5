using System.Net;
using System.Net.Sockets;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.Netfilter;

// The maps, sets, chains and rules every host port shares, made once by the host's first mapping.
internal static partial class HostPorts
{
    private static void WriteStructure(NftBatch batch, bool exclusive)
    {
        batch.AddTable(CnisharpTables.Inet, CnisharpTables.Name);
        foreach (AddressFamily family in CnisharpTables.Families)
        {
            uint address = NftKey.AddressType(family);
            int length = NftKey.AddressLength(family);
            uint value = NftDataType.Concat(address, NftDataType.InetService);
            int valueLength = length + 4;
            batch.AddSet(CnisharpTables.Inet, CnisharpTables.Name, new NftSetSpec(HostMap(family),
                NftDataType.Concat(address, NftDataType.InetProto, NftDataType.InetService), length + 8)
            { Flags = NftSetFlags.Map, DataType = value, DataLength = valueLength }, exclusive);
            batch.AddSet(CnisharpTables.Inet, CnisharpTables.Name, new NftSetSpec(AnyMap(family),
                NftDataType.Concat(NftDataType.InetProto, NftDataType.InetService), 8)
            { Flags = NftSetFlags.Map, DataType = value, DataLength = valueLength }, exclusive);
            batch.AddSet(CnisharpTables.Inet, CnisharpTables.Name, new NftSetSpec(HairpinSet(family),
                NftDataType.Concat(address, address), 2 * length)
            { Flags = NftSetFlags.Interval | NftSetFlags.Concat, ConcatFieldLengths = [length, length] }, exclusive);
        }
        batch.AddChain(CnisharpTables.Inet, CnisharpTables.Name, Chain);
        WriteDnatRules(batch);
        foreach ((string chain, NftHook hook) in (ReadOnlySpan<(string, NftHook)>)[(PreroutingChain, NftHook.Prerouting), (OutputChain, NftHook.Output)])
        {
            batch.AddChain(CnisharpTables.Inet, CnisharpTables.Name, chain, new NftBaseChain("nat", hook, NftBaseChain.DstNat));
            using NftRuleWriter rule = batch.AddRule(CnisharpTables.Inet, CnisharpTables.Name, chain, $"fib daddr type local jump {Chain}");
            rule.Fib(NftFibFlags.DestinationAddress, NftFibResult.AddressType, NftRegister.R1)
                .Cmp(NftRegister.R1, NftCmpOp.Eq, BitConverter.GetBytes(RtnLocal))
                .Verdict(NftVerdict.Jump, Chain);
        }
        batch.AddChain(CnisharpTables.Inet, CnisharpTables.Name, PostroutingChain, new NftBaseChain("nat", NftHook.Postrouting, NftBaseChain.SrcNat));
        WriteMasqueradeRules(batch);
    }

    private const uint RtnLocal = 2; // RTN_LOCAL: fib's address type is an RTN_* value, host order

    private static void WriteDnatRules(NftBatch batch)
    {
        foreach (AddressFamily family in CnisharpTables.Families)
        {
            bool v4 = family == AddressFamily.InterNetwork;
            string ip = v4 ? "ip" : "ip6";
            NfProto nat = v4 ? NfProto.Ipv4 : NfProto.Ipv6;
            // The value (address . port) lands in the first data registers: the port right after the address.
            NftRegister port = v4 ? NftRegister.R32_01 : NftRegister.R2;
            using (NftRuleWriter rule = batch.AddRule(CnisharpTables.Inet, CnisharpTables.Name, Chain,
                       $"dnat {ip} to {ip} daddr . meta l4proto . th dport map @{HostMap(family)}"))
            {
                rule.IsFamily(family)
                    .LoadDestination(family, NftRegister.R1)
                    .Meta(NftMetaKey.L4Proto, v4 ? NftRegister.R32_01 : NftRegister.R2)
                    .Payload(NftPayloadBase.TransportHeader, 2, 2, v4 ? NftRegister.R32_02 : NftRegister.R32_05)
                    .Lookup(NftRegister.R1, HostMap(family), dreg: NftRegister.R1)
                    .Nat(NftNatType.Dnat, nat, NftRegister.R1, port);
            }
            using (NftRuleWriter rule = batch.AddRule(CnisharpTables.Inet, CnisharpTables.Name, Chain,
                       $"meta nfproto {(v4 ? "ipv4" : "ipv6")} dnat {ip} to meta l4proto . th dport map @{AnyMap(family)}"))
            {
                rule.IsFamily(family)
                    .Meta(NftMetaKey.L4Proto, NftRegister.R1)
                    .Payload(NftPayloadBase.TransportHeader, 2, 2, NftRegister.R32_01)
                    .Lookup(NftRegister.R1, AnyMap(family), dreg: NftRegister.R1)
                    .Nat(NftNatType.Dnat, nat, NftRegister.R1, port);
            }
        }
    }

    private static void WriteMasqueradeRules(NftBatch batch)
    {
        foreach (AddressFamily family in CnisharpTables.Families)
        {
            bool v4 = family == AddressFamily.InterNetwork;
            string ip = v4 ? "ip" : "ip6";
            // Hairpin: a pod (or its subnet) reaching the pod through a host port; the reply must come back
            // through the host, so the source becomes the host's.
            using (NftRuleWriter rule = batch.AddRule(CnisharpTables.Inet, CnisharpTables.Name, PostroutingChain,
                       $"ct status dnat {ip} saddr . {ip} daddr @{HairpinSet(family)} masquerade"))
            {
                rule.IsDestinationNatted().IsFamily(family)
                    .LoadSource(family, NftRegister.R1)
                    .LoadDestination(family, v4 ? NftRegister.R32_01 : NftRegister.R2)
                    .Lookup(NftRegister.R1, HairpinSet(family))
                    .Masquerade();
            }
        }
        // localhost:hostPort from the host: a loopback source cannot leave the host, so it is replaced (with
        // route_localnet on the pod's host interface, set by the plugin). IPv4 only: Linux drops a reply to ::1
        // that arrives on a non-loopback interface, and IPv6 has no route_localnet.
        using NftRuleWriter localhost = batch.AddRule(CnisharpTables.Inet, CnisharpTables.Name, PostroutingChain,
            "ct status dnat ip saddr 127.0.0.0/8 masquerade");
        localhost.IsDestinationNatted().IsFamily(AddressFamily.InterNetwork)
            .Payload(NftPayloadBase.NetworkHeader, 12, 1, NftRegister.R1).Cmp(NftRegister.R1, NftCmpOp.Eq, [127])
            .Masquerade();
    }
}
