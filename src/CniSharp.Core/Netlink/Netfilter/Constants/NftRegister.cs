namespace CniSharp.Netlink.Netfilter;

/// <summary>
/// nf_tables registers (NFT_REG_*): the verdict register, four 16-byte data registers, and the 4-byte views of
/// the same storage, NFT_REG32_00..15, which concatenated keys are loaded into field by field.
/// </summary>
internal enum NftRegister : uint
{
    Verdict = 0,       // NFT_REG_VERDICT
    R1 = 1,            // NFT_REG_1: bytes 0-15 of the data registers, i.e. NFT_REG32_00..03
    R2 = 2,            // NFT_REG_2: NFT_REG32_04..07
    R32_00 = 8,        // NFT_REG32_00
    R32_01 = 9,        // NFT_REG32_01
    R32_02 = 10,       // NFT_REG32_02
    R32_05 = 13,       // NFT_REG32_05
}
