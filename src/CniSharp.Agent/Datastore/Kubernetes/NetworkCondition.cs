using k8s.Models;

namespace CniSharp.Agent.Datastore.Kubernetes;

/// <summary>
/// The Node condition <c>NetworkUnavailable</c>. Some clouds' route controllers create Nodes with it True; the
/// pod network sets it False once it serves the node, as flannel and Calico do (the only reason the agent's
/// RBAC has <c>nodes/status</c> patch).
/// </summary>
internal static class NetworkCondition
{
    public const string Type = "NetworkUnavailable";
    public const string Reason = "CniSharpIsUp";

    /// <summary>True when the Node already says our network serves it.</summary>
    public static bool IsUp(V1Node node) =>
        node.Status?.Conditions?.Any(c => c.Type == Type && c.Status == "False" && c.Reason == Reason) == true;

    /// <summary>A strategic merge patch of the status (conditions merge by type: the others stay).</summary>
    public static string UpPatch(DateTimeOffset now)
    {
        string time = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return PatchJson.Write(json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("status");
            json.WriteStartArray("conditions");
            json.WriteStartObject();
            json.WriteString("type", Type);
            json.WriteString("status", "False");
            json.WriteString("reason", Reason);
            json.WriteString("message", "cnisharp-agent serves the pod network of this node");
            json.WriteString("lastTransitionTime", time);
            json.WriteString("lastHeartbeatTime", time);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }
}
