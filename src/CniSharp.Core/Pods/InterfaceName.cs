using CniSharp.Cni;

namespace CniSharp.Pods;

/// <summary>A link name the kernel accepts (dev_valid_name), by the same rule CNI_IFNAME is checked with.</summary>
internal static class InterfaceName
{
    public static bool IsValid(string? name) => name is not null && CniEnvironment.IfNameProblem(name) is null;
}
