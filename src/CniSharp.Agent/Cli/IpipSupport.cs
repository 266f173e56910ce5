namespace CniSharp.Agent.Cli;

/// <summary>Whether this kernel can make ipip tunnels at all: loaded, built in, or installed as a module.</summary>
internal static class IpipSupport
{
    public static bool KernelHasIpip()
    {
        // /sys/module/ipip exists for a loaded or built-in ipip; otherwise the kernel would load ipip.ko on
        // the first "ip link add type ipip" (request_module "rtnl-link-ipip"), so look for that file too.
        if (Directory.Exists("/sys/module/ipip")) return true;
        string release = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "";
        string modules = Path.Combine("/lib/modules", release);
        foreach (string index in new[] { "modules.builtin", "modules.dep" })
        {
            string file = Path.Combine(modules, index);
            if (File.Exists(file) && File.ReadLines(file).Any(l => l.Contains("/ipip.ko", StringComparison.Ordinal)))
                return true;
        }
        return false;
    }
}
