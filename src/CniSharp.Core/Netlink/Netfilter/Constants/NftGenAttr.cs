namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_GEN_* attributes of NEWGEN (linux/netfilter/nf_tables.h).</summary>
internal enum NftGenAttr : ushort
{
    Id = 1,
    ProcessId = 2,
    ProcessName = 3,
}
