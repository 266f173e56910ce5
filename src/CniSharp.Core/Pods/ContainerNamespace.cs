using CniSharp.Cni;
using CniSharp.Interop;
using CniSharp.Namespaces;

namespace CniSharp.Pods;

/// <summary>Opens CNI_NETNS for a verb, with the spec's error codes, and refuses the plugin's own namespace.</summary>
internal static class ContainerNamespace
{
    /// <summary>For ADD and CHECK: the namespace must exist.</summary>
    public static NetNamespace OpenRequired(CniArgs args)
    {
        if (string.IsNullOrEmpty(args.NetNs))
            throw new CniException(CniErrorCode.InvalidEnvironmentVariables, "CNI_NETNS is required for " + args.Command.ToString().ToUpperInvariant());
        try
        {
            return OpenChecked(args.NetNs);
        }
        catch (NetNamespaceNotFoundException e)
        {
            // Code 3: the container is gone, so the runtime need not clean up after this ADD.
            throw new CniException(CniErrorCode.UnknownContainer, e.Message, $"CNI_NETNS={args.NetNs}");
        }
    }

    /// <summary>For DEL: an empty or vanished namespace means there is nothing left inside it; returns null.</summary>
    public static NetNamespace? OpenIfPresent(CniArgs args)
    {
        if (string.IsNullOrEmpty(args.NetNs)) return null;
        try
        {
            return OpenChecked(args.NetNs);
        }
        catch (NetNamespaceNotFoundException)
        {
            return null;
        }
    }

    private static NetNamespace OpenChecked(string path)
    {
        NetNamespace ns;
        try
        {
            ns = NetNamespace.Open(path);
        }
        catch (NotANamespaceException e)
        {
            throw new CniException(CniErrorCode.InvalidEnvironmentVariables, "CNI_NETNS: " + e.Message);
        }
        catch (UnixException e)
        {
            throw new CniException(CniErrorCode.InvalidEnvironmentVariables, $"CNI_NETNS \"{path}\" cannot be opened: {e.Message}");
        }
        using NetNamespace own = NetNamespace.OpenCurrent();
        if (ns.IsSameAs(own))
        {
            ns.Dispose();
            // Working "in the container" would rewire the host itself (DEL would delete the host's CNI_IFNAME).
            throw new CniException(CniErrorCode.InvalidNetNs,
                $"CNI_NETNS \"{path}\" is the plugin's own network namespace; refusing to configure the host as a container");
        }
        return ns;
    }
}
