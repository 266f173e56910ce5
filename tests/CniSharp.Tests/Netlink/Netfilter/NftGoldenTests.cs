using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using CniSharp.Interop;
using CniSharp.Ip;
using CniSharp.Netfilter;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.Tests.Netlink.Netfilter;

/// <summary>
/// Golden bytes of every nf_tables message CniSharp sends, as the shared Netfilter layer sends them, against
/// what nft sends for the same command (<see cref="NftCaptures"/>, compared as <see cref="NftMessageShape"/>).
/// Flags differ only where meant: CniSharp asks for an ACK of every message, creates the table with
/// NLM_F_CREATE, and makes the structure's sets and the host-port map elements exclusive (NLM_F_EXCL).
/// </summary>
public class NftGoldenTests : IDisposable
{
    private const ushort Ack = 0x0004, Create = 0x0400, Excl = 0x0200;
    private static readonly ElementOwner OwnerA = new("net1", "ctr-a", "eth0");

    private readonly FakeNftKernel _kernel = new();
    private readonly NfTables _nft;

    public NftGoldenTests() => _nft = new NfTables(new NetfilterNetlink(_kernel));

    public void Dispose() => _nft.Dispose();

    [Fact]
    public void Masquerade_FirstPodOfTheNetwork_MakesSetsAndRulesOnce_ThenAddsItsElements()
    {
        // No exempt set to read (ENOENT): the network's first pod.
        Masquerade.AddPod(_nft, OwnerA, [IPPrefix.Parse("10.244.1.5/24"), IPPrefix.Parse("fd00:244:1::5/64")], [IPPrefix.Parse("10.244.0.0/16")]);

        AssertBatch(
            (NftCaptures.Table, 0x0a00, 0x0001 | Ack | Create),
            (NftCaptures.MasqChain, 0x0a03, 0x0401 | Ack),
            (NftCaptures.PodsSet4, 0x0a09, 0x0401 | Ack | Excl),
            (NftCaptures.ExemptSet4, 0x0a09, 0x0401 | Ack | Excl),
            (NftCaptures.SubnetsSet4, 0x0a09, 0x0401 | Ack | Excl),
            (NftCaptures.MasqRule4, 0x0a06, 0x0c01 | Ack),
            (NftCaptures.PodsSet6, 0x0a09, 0x0401 | Ack | Excl),
            (NftCaptures.ExemptSet6, 0x0a09, 0x0401 | Ack | Excl),
            (NftCaptures.SubnetsSet6, 0x0a09, 0x0401 | Ack | Excl),
            (NftCaptures.MasqRule6, 0x0a06, 0x0c01 | Ack),
            (NftCaptures.ExemptElements4, 0x0a0c, 0x0401 | Ack),
            (NftCaptures.ExemptElements6, 0x0a0c, 0x0401 | Ack),
            // 10.244.1.0/24 lies in the exempt 10.244.0.0/16, so only the IPv6 subnet is added.
            (NftCaptures.PodElement4, 0x0a0c, 0x0401 | Ack),
            (NftCaptures.PodElement6, 0x0a0c, 0x0401 | Ack),
            (NftCaptures.SubnetElements6, 0x0a0c, 0x0401 | Ack));
        // The sets of one transaction are numbered 1, 2, 3... (NFTA_SET_ID, which the kernel requires).
        Assert.Equal([1u, 2, 3, 4, 5, 6], _kernel.LastBatch.Where(m => m.Type == 0x0a09).Select(m => SetIdOf(m.Payload)));
    }

    [Fact]
    public void Masquerade_NextPod_ReadsTheExemptSets_ThenAddsOnlyItsElements()
    {
        _kernel.Dumps["masq-exempt4-net1"] = NftDumpReplies.Exempt4;
        _kernel.Dumps["masq-exempt6-net1"] = NftDumpReplies.Exempt6;
        Masquerade.AddPod(_nft, OwnerA, [IPPrefix.Parse("10.244.1.5/24")], [IPPrefix.Parse("10.244.0.0/16")]);

        Assert.Equal(3, _kernel.Requests.Count); // two set listings, one transaction: nothing deleted
        AssertBatch((NftCaptures.PodElement4, 0x0a0c, 0x0401 | Ack));
    }

    [Fact]
    public void Masquerade_ChangedExemptions_RewriteOnlyTheExemptSetThatDiffers()
    {
        _kernel.Dumps["masq-exempt4-net1"] = NftDumpReplies.Exempt4;
        _kernel.Dumps["masq-exempt6-net1"] = NftDumpReplies.Exempt6;
        Masquerade.AddPod(_nft, OwnerA, [IPPrefix.Parse("10.244.1.5/24")], []);

        AssertBatch(
            (NftCaptures.FlushExempt4, 0x0a0e, 0x0001 | Ack),
            (NftCaptures.ExemptElementsDefault4, 0x0a0c, 0x0401 | Ack),
            (NftCaptures.PodElement4, 0x0a0c, 0x0401 | Ack),
            (NftCaptures.SubnetElements4, 0x0a0c, 0x0401 | Ack));
    }

    [Fact]
    public void Masquerade_RemovePod_ListsThePodSets_AndDeletesOnlyItsOwnElements()
    {
        _kernel.Dumps["masq-pods4-net1"] = NftDumpReplies.Pods4;
        Masquerade.RemovePod(_nft, OwnerA);

        var requests = _kernel.Requests;
        Assert.Equal(3, requests.Count); // two dumps (the IPv6 set: ENOENT), one transaction
        Assert.Equal(NftMessageShape.Of(0x0a0d, Convert.FromHexString(NftCaptures.ListPods4)), requests[0][0].Shape);
        Assert.Equal(0x0301, requests[0][0].Flags);
        // ctr-b's 10.244.1.6 in the same set stays.
        AssertBatch((NftCaptures.DeletePodElement4, 0x0a0e, 0x0001 | Ack));
    }

    [Fact]
    public void HostPorts_FirstMapping_MakesMapsChainsAndRules_ThenAddsElementsExclusively()
    {
        _kernel.Refuse(1, (int)Errno.ENOENT);
        HostPorts.Add(_nft, OwnerA,
            [
                new HostPortMapping(IPAddress.Parse("192.0.2.10"), NftKey.Udp, 5353, IPAddress.Parse("10.244.1.5"), 53),
                new HostPortMapping(null, NftKey.Tcp, 8080, IPAddress.Parse("10.244.1.5"), 80),
                new HostPortMapping(null, NftKey.Sctp, 9000, IPAddress.Parse("fd00:244:1::5"), 9),
            ],
            [IPPrefix.Parse("10.244.1.5/24")]);

        AssertBatch(
            (NftCaptures.Table, 0x0a00, 0x0001 | Ack | Create),
            (NftCaptures.HostMap4, 0x0a09, 0x0401 | Ack | Excl),
            (NftCaptures.AnyMap4, 0x0a09, 0x0401 | Ack | Excl),
            (NftCaptures.HairpinSet4, 0x0a09, 0x0401 | Ack | Excl),
            (NftCaptures.HostMap6, 0x0a09, 0x0401 | Ack | Excl),
            (NftCaptures.AnyMap6, 0x0a09, 0x0401 | Ack | Excl),
            (NftCaptures.HairpinSet6, 0x0a09, 0x0401 | Ack | Excl),
            (NftCaptures.HostPortsChain, 0x0a03, 0x0401 | Ack),
            (NftCaptures.DnatRule4, 0x0a06, 0x0c01 | Ack),
            (NftCaptures.DnatAnyRule4, 0x0a06, 0x0c01 | Ack),
            (NftCaptures.DnatRule6, 0x0a06, 0x0c01 | Ack),
            (NftCaptures.DnatAnyRule6, 0x0a06, 0x0c01 | Ack),
            (NftCaptures.PreroutingChain, 0x0a03, 0x0401 | Ack),
            (NftCaptures.JumpRule, 0x0a06, 0x0c01 | Ack),
            (NftCaptures.OutputChain, 0x0a03, 0x0401 | Ack),
            (NftCaptures.JumpRuleOutput, 0x0a06, 0x0c01 | Ack),
            (NftCaptures.PostroutingChain, 0x0a03, 0x0401 | Ack),
            (NftCaptures.HairpinRule4, 0x0a06, 0x0c01 | Ack),
            (NftCaptures.HairpinRule6, 0x0a06, 0x0c01 | Ack),
            (NftCaptures.LocalhostRule, 0x0a06, 0x0c01 | Ack),
            (NftCaptures.HostMapElement4, 0x0a0c, 0x0401 | Ack | Excl),
            (NftCaptures.AnyMapElement4, 0x0a0c, 0x0401 | Ack | Excl),
            (NftCaptures.AnyMapElement6, 0x0a0c, 0x0401 | Ack | Excl),
            (NftCaptures.HairpinElement4, 0x0a0c, 0x0401 | Ack));
    }

    [Fact]
    public void HostPorts_Remove_DeletesTheOwnersMapElementAndHairpinRange()
    {
        _kernel.Dumps["hostports4-any"] = NftDumpReplies.AnyMap4;
        _kernel.Dumps["hostports-hairpin4"] = NftDumpReplies.Hairpin4;
        List<HostPortMapping> removed = HostPorts.Remove(_nft, OwnerA);

        Assert.Equal([new HostPortMapping(null, NftKey.Tcp, 8080, IPAddress.Parse("10.244.1.5"), 80)], removed);
        AssertBatch(
            (NftCaptures.DeleteAnyMapElement4, 0x0a0e, 0x0001 | Ack),
            (NftCaptures.DeleteHairpinElement4, 0x0a0e, 0x0001 | Ack));
    }

    [Fact]
    public void SpoofCheck_FirstPort_MakesTheBridgeTableSetsChainAndRule_ThenItsElements()
    {
        _kernel.Refuse(1, (int)Errno.ENOENT);
        SpoofCheck.Add(_nft, OwnerA, "cns0123456789ab", PhysicalAddress.Parse("02-11-22-33-44-55"));

        AssertBatch(
            (NftCaptures.BridgeTable, 0x0a00, 0x0001 | Ack | Create),
            (NftCaptures.PortsSet, 0x0a09, 0x0401 | Ack | Excl),
            (NftCaptures.AllowedSet, 0x0a09, 0x0401 | Ack | Excl),
            (NftCaptures.SpoofChain, 0x0a03, 0x0401 | Ack),
            (NftCaptures.SpoofRule, 0x0a06, 0x0c01 | Ack),
            (NftCaptures.PortElement, 0x0a0c, 0x0401 | Ack),
            (NftCaptures.AllowedElement, 0x0a0c, 0x0401 | Ack));
    }

    [Fact]
    public void Validate_SendsTheStructureWithoutBatchEnd()
    {
        SpoofCheck.Validate(_nft);
        List<FakeNftKernel.SentMessage> sent = Assert.Single(_kernel.Requests);
        Assert.Equal(0x10, sent[0].Type);
        Assert.DoesNotContain(sent, m => m.Type == 0x11);
        Assert.Equal(5, sent.Count(m => (m.Flags & Ack) != 0));
    }

    [Fact]
    public void DumpReplies_ParseIntoKeysValuesRangesAndOwners()
    {
        _kernel.Dumps["hostports4-any"] = NftDumpReplies.AnyMap4;
        _kernel.Dumps["hostports-hairpin4"] = NftDumpReplies.Hairpin4;
        _kernel.Dumps["masq-pods4-net1"] = NftDumpReplies.Pods4;

        NftElement mapping = Assert.Single(_nft.ListElements(NfProto.Inet, "cnisharp", "hostports4-any")!);
        Assert.Equal("060000001F900000", Convert.ToHexString(mapping.Key));
        Assert.Equal("0AF4010500500000", Convert.ToHexString(mapping.Data!));
        Assert.Equal("net1/ctr-a/eth0", mapping.Comment);
        NftElement range = Assert.Single(_nft.ListElements(NfProto.Inet, "cnisharp", "hostports-hairpin4")!);
        Assert.Equal("0AF401000AF40105", Convert.ToHexString(range.Key));
        Assert.Equal("0AF401FF0AF40105", Convert.ToHexString(range.KeyEnd!));
        Assert.Equal(["net1/ctr-b/eth0", "net1/ctr-a/eth0"], _nft.ListElements(NfProto.Inet, "cnisharp", "masq-pods4-net1")!.Select(e => e.Comment));
        Assert.Null(_nft.ListElements(NfProto.Inet, "cnisharp", "no-such-set"));
    }

    [Fact]
    public void Generation_IsAGetgenRequest()
    {
        Assert.Throws<CniSharp.Netlink.NetlinkException>(() => _nft.Generation()); // the fake ACKs, sends no NEWGEN
        FakeNftKernel.SentMessage request = Assert.Single(Assert.Single(_kernel.Requests));
        Assert.Equal(0x0a10, request.Type);
        Assert.Equal("00000000", Convert.ToHexString(request.Payload));
    }

    private void AssertBatch(params (string Capture, ushort Type, int Flags)[] expected)
    {
        List<FakeNftKernel.SentMessage> sent = _kernel.LastBatch;
        Assert.Equal(expected.Length, sent.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].Type == sent[i].Type, $"message {i}: type 0x{sent[i].Type:x4}, expected 0x{expected[i].Type:x4}");
            Assert.True(expected[i].Flags == sent[i].Flags, $"message {i}: flags 0x{sent[i].Flags:x4}, expected 0x{expected[i].Flags:x4}");
            Assert.Equal(NftMessageShape.Of(expected[i].Type, Convert.FromHexString(expected[i].Capture)), sent[i].Shape);
        }
    }

    // NFTA_SET_ID (10) of a NEWSET payload.
    private static uint SetIdOf(byte[] payload)
    {
        for (int offset = 4; offset + 4 <= payload.Length;)
        {
            int length = BitConverter.ToUInt16(payload, offset);
            if ((BitConverter.ToUInt16(payload, offset + 2) & 0x3fff) == 10)
                return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(offset + 4));
            offset += (length + 3) & ~3;
        }
        return 0;
    }
}
