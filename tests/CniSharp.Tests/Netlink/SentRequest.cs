namespace CniSharp.Tests.Netlink;

/// <summary>Golden-byte comparison of the last request a verb sent: the nlmsghdr is rebuilt around the payload.</summary>
internal static class SentRequest
{
    public static void AssertLast(FakeNetlinkTransport kernel, ushort type, ushort flags, string payloadHex)
    {
        byte[] payload = Convert.FromHexString(payloadHex.Replace(" ", ""));
        byte[] sent = kernel.Sent[^1];
        var expected = new byte[16 + payload.Length];
        BitConverter.TryWriteBytes(expected.AsSpan(0), (uint)expected.Length);
        BitConverter.TryWriteBytes(expected.AsSpan(4), type);
        BitConverter.TryWriteBytes(expected.AsSpan(6), flags);
        BitConverter.TryWriteBytes(expected.AsSpan(8), kernel.LastSequence);
        BitConverter.TryWriteBytes(expected.AsSpan(12), kernel.PortId);
        payload.CopyTo(expected, 16);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(sent));
    }
}
