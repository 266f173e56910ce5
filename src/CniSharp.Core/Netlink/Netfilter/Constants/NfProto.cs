namespace CniSharp.Netlink.Netfilter;

/// <summary>NFPROTO_* (linux/netfilter.h): the nfgen_family of a message, i.e. an nf_tables table's family.</summary>
internal enum NfProto : byte
{
    Unspec = 0,        // NFPROTO_UNSPEC
    Inet = 1,          // NFPROTO_INET: IPv4 and IPv6 in one table
    Ipv4 = 2,          // NFPROTO_IPV4
    Bridge = 7,        // NFPROTO_BRIDGE: frames crossing a Linux bridge
    Ipv6 = 10,         // NFPROTO_IPV6
}
