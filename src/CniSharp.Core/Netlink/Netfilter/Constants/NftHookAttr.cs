namespace CniSharp.Netlink.Netfilter;

/// <summary>NFTA_HOOK_* attributes nested in NFTA_CHAIN_HOOK (linux/netfilter/nf_tables.h).</summary>
internal enum NftHookAttr : ushort
{
    HookNum = 1,        // __be32 NF_INET_*/NF_BR_*
    Priority = 2,       // __be32, signed
}
