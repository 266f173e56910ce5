namespace CniSharp.Agent.Tests.Infrastructure;

/// <summary>A fact that needs the etcd binary (Debian etcd-server); skipped with the reason where it is missing.</summary>
public sealed class EtcdFactAttribute : FactAttribute
{
    public EtcdFactAttribute()
    {
        if (EtcdServer.Binary is null)
            Skip = "etcd is not installed (scripts/install-deps.sh installs etcd-server)";
    }
}
