namespace CniSharp.Cni;

/// <summary>The verbs of CNI_COMMAND.</summary>
internal enum CniCommand
{
    Add,
    Del,
    Check,
    Gc,
    Status,
    Version,
}
