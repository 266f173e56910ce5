using k8s;

namespace CniSharp.Agent.Datastore.Kubernetes;

/// <summary>Credentials and address of the API server: a kubeconfig file, or the pod's service account.</summary>
internal static class KubernetesConnection
{
    public static StreamingKubernetes Open(KubernetesStoreSettings settings)
    {
        KubernetesClientConfiguration config;
        if (settings.Kubeconfig is { } path)
        {
            if (!File.Exists(path)) throw new SubnetStoreException($"--kubeconfig {path}: no such file");
            try
            {
                config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
            }
            catch (Exception e)
            {
                throw new SubnetStoreException($"--kubeconfig {path}: {e.Message}", e);
            }
        }
        else
        {
            if (!KubernetesClientConfiguration.IsInCluster())
            {
                throw new SubnetStoreException(
                    "--datastore kubernetes without --kubeconfig uses the pod's service account, but this is not a pod " +
                    "(no KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT or no /var/run/secrets/kubernetes.io/serviceaccount/token): " +
                    "pass --kubeconfig FILE");
            }
            try
            {
                config = KubernetesClientConfiguration.InClusterConfig();
            }
            catch (Exception e)
            {
                throw new SubnetStoreException($"in-cluster service account: {e.Message}", e);
            }
        }
        return new StreamingKubernetes(config);
    }
}
