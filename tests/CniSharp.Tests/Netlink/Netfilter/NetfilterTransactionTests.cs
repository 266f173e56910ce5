using System.Runtime.CompilerServices;
using CniSharp.Interop;
using CniSharp.Netlink;
using CniSharp.Netlink.Netfilter;

namespace CniSharp.Tests.Netlink.Netfilter;

/// <summary>The nfnetlink batch framing and how a transaction's answers are read.</summary>
public class NetfilterTransactionTests : IDisposable
{
    private readonly FakeNetlinkTransport _kernel = new();
    private readonly NetfilterNetlink _nf;

    public NetfilterTransactionTests() => _nf = new NetfilterNetlink(_kernel);

    public void Dispose() => _nf.Dispose();

    [Fact]
    public void Transaction_IsFramedLikeNftsBatch()
    {
        _kernel.Reply(seq => Replies.Ack(seq + 1));
        NetfilterTransaction tx = _nf.BeginTransaction(NfnlSubsystem.NfTables);
        NetlinkMessageWriter w = tx.Add(TestNft.NewTable, NfProto.Inet, NlmFlags.Create, "add table inet cnitest");
        w.WriteString(TestTableAttr.Name, "cnitest");
        w.WriteUInt32BigEndian(TestTableAttr.Flags, 0);
        tx.Commit();

        // strace -xx -e write=all nft add table inet cnitest (seq 0/1/2, pid 0 there; ACK requested here)
        uint seq = _kernel.LastSequence;
        Assert.Equal(
            Message(0x14, 0x0010, 0x0001, seq, "00 00 000a") +                     // BATCH_BEGIN, res_id NFTABLES (be16)
            Message(0x28, 0x0a00, 0x0405, seq + 1, "01 00 0000" +                 // NEWTABLE inet, CREATE|ACK
                "0c00 0100 636e697465737400" +                                    //   NFTA_TABLE_NAME "cnitest"
                "0800 0200 00000000") +                                           //   NFTA_TABLE_FLAGS 0
            Message(0x14, 0x0011, 0x0001, seq + 2, "00 00 000a"),                 // BATCH_END
            Convert.ToHexString(Assert.Single(_kernel.Sent)));
    }

    [Fact]
    public void RefusedMessage_ThrowsWithItsOperationName()
    {
        _kernel.Reply(seq => Replies.Datagram(Replies.Ack(seq + 1), Replies.Error(seq + 2, (int)Errno.ENOENT, "No such file or directory")));
        NetfilterTransaction tx = _nf.BeginTransaction(NfnlSubsystem.NfTables);
        tx.Add(TestNft.NewTable, NfProto.Inet, NlmFlags.Create, "add table inet a");
        tx.Add(TestNft.NewTable, NfProto.Inet, NlmFlags.Create, "add element inet a pods { 10.0.0.1 }");
        var error = Assert.Throws<NetlinkException>(tx.Commit);

        Assert.Equal(Errno.ENOENT, error.Errno);
        Assert.Equal("add element inet a pods { 10.0.0.1 }", error.Operation);
    }

    [Fact]
    public void FailedCommit_ReportedAgainstTheBatchBegin_NamesTheCommit()
    {
        _kernel.Reply(seq => Replies.Datagram(Replies.Error(seq, (int)Errno.ENOMEM), Replies.Ack(seq + 1)));
        NetfilterTransaction tx = _nf.BeginTransaction(NfnlSubsystem.NfTables);
        tx.Add(TestNft.NewTable, NfProto.Inet, NlmFlags.Create, "add table inet a");
        var error = Assert.Throws<NetlinkException>(tx.Commit);

        Assert.Equal(Errno.ENOMEM, error.Errno);
        Assert.Equal("commit 1 change(s)", error.Operation);
    }

    [Fact]
    public void EmptyTransaction_SendsNothing()
    {
        _nf.BeginTransaction(NfnlSubsystem.NfTables).Commit();
        Assert.Empty(_kernel.Sent);
    }

    [Fact]
    public void NfGenMsg_Is4Bytes_WithResIdInNetworkOrder()
    {
        Assert.Equal(4, Unsafe.SizeOf<NfGenMsg>());
        var header = new NfGenMsg(NfProto.Bridge, 10);
        Assert.Equal(10, header.ResourceId);
        Assert.Equal("0700000A", Convert.ToHexString(System.Runtime.InteropServices.MemoryMarshal.AsBytes(new[] { header }.AsSpan())));
    }

    private static string Message(int length, ushort type, ushort flags, uint seq, string payload)
    {
        var header = new byte[16];
        BitConverter.TryWriteBytes(header.AsSpan(0), length);
        BitConverter.TryWriteBytes(header.AsSpan(4), type);
        BitConverter.TryWriteBytes(header.AsSpan(6), flags);
        BitConverter.TryWriteBytes(header.AsSpan(8), seq);
        BitConverter.TryWriteBytes(header.AsSpan(12), 4242u);
        return Convert.ToHexString(header) + payload.Replace(" ", "").ToUpperInvariant();
    }

    // Stand-ins for the nf_tables family's enums: the framing is what is under test here.
    private enum TestNft : ushort { NewTable = 0x0a00 }

    private enum TestTableAttr : ushort { Name = 1, Flags = 2 }
}
