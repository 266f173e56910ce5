using CniSharp.Interop;
using CniSharp.IntegrationTests.Infrastructure;
using CniSharp.Netlink;
using CniSharp.Netlink.Netfilter;
using static CniSharp.IntegrationTests.Netlink.PrivateNetns;

namespace CniSharp.IntegrationTests.Netlink.Netfilter;

/// <summary>nfnetlink transactions against the kernel: all or nothing, and a refusal names its message.</summary>
public class NetfilterTransactionTests
{
    [RootFact]
    public void CommittedTransaction_IsVisibleToNft() => Run(() =>
    {
        using NetfilterNetlink nf = NetfilterNetlink.Open();
        NetfilterTransaction tx = nf.BeginTransaction(NfnlSubsystem.NfTables);
        AddTable(tx, "cnitest_a", NlmFlags.Create);
        AddTable(tx, "cnitest_b", NlmFlags.Create);
        tx.Commit();

        string tables = RunNft("list tables");
        Assert.Contains("table inet cnitest_a", tables);
        Assert.Contains("table inet cnitest_b", tables);
    });

    [RootFact]
    public void RefusedMessage_AbortsTheWholeTransaction_AndIsNamed() => Run(() =>
    {
        using NetfilterNetlink nf = NetfilterNetlink.Open();
        NetfilterTransaction first = nf.BeginTransaction(NfnlSubsystem.NfTables);
        AddTable(first, "cnitest_a", NlmFlags.Create);
        first.Commit();

        NetfilterTransaction second = nf.BeginTransaction(NfnlSubsystem.NfTables);
        AddTable(second, "cnitest_new", NlmFlags.Create);
        AddTable(second, "cnitest_a", NlmFlags.Create | NlmFlags.Excl);
        var error = Assert.Throws<NetlinkException>(second.Commit);

        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal("add table inet cnitest_a", error.Operation);
        Assert.DoesNotContain("cnitest_new", RunNft("list tables"));

        // The socket stays usable: the next transaction's answers are not confused with the last one's.
        NetfilterTransaction third = nf.BeginTransaction(NfnlSubsystem.NfTables);
        AddTable(third, "cnitest_new", NlmFlags.Create);
        third.Commit();
        Assert.Contains("cnitest_new", RunNft("list tables"));
    });

    // NFT_MSG_NEWTABLE { NFTA_TABLE_NAME } written by hand: the framing is under test, not the nf_tables family.
    private static void AddTable(NetfilterTransaction tx, string name, NlmFlags flags)
    {
        NetlinkMessageWriter w = tx.Add(NftMessage.NewTable, NfProto.Inet, flags, $"add table inet {name}");
        w.WriteString(TableAttr.Name, name);
    }

    private enum NftMessage : ushort { NewTable = 0x0a00 }

    private enum TableAttr : ushort { Name = 1 }
}
