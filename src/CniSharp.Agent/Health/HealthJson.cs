using System.Text.Json;
using CniSharp.Agent.Reconcile;
using CniSharp.Ip;

namespace CniSharp.Agent.Health;

/// <summary>
/// The /healthz body: <c>{"status","node","backend","subnets","leaseHeld","peers","routes","lastSync",
/// "lastSyncMs","errors","unreachablePeers":[{"node","ip","subnet","reason"}]}</c>, plus <c>"bgp"</c> for the BGP
/// backend (<see cref="Bgp.BgpStatusJson"/>). "status" is "ok", "starting" (not synced yet) or "degraded" (BIRD down).
/// </summary>
internal static class HealthJson
{
    public static byte[] Render(AgentStatus s)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("status", s.Healthy ? "ok" : s.Synced ? "degraded" : "starting");
            w.WriteString("node", s.Node);
            w.WriteString("backend", s.Backend);
            w.WriteStartArray("subnets");
            foreach (IPPrefix subnet in s.Subnets) w.WriteStringValue(subnet.ToString());
            w.WriteEndArray();
            w.WriteBoolean("leaseHeld", s.LeaseHeld);
            ReconcileReport? r = s.LastSync;
            w.WriteNumber("peers", r?.Peers ?? 0);
            w.WriteNumber("routes", r?.Routes ?? 0);
            if (s.LastSyncAt is { } at) w.WriteString("lastSync", at);
            else w.WriteNull("lastSync");
            w.WriteNumber("lastSyncMs", Math.Round(r?.Duration.TotalMilliseconds ?? 0, 3));
            w.WriteNumber("errors", r?.Errors ?? 0);
            w.WriteStartArray("unreachablePeers");
            foreach (UnreachablePeer p in r?.Unreachable ?? [])
            {
                w.WriteStartObject();
                w.WriteString("node", p.Node);
                if (p.Address is null) w.WriteNull("ip");
                else w.WriteString("ip", p.Address.ToString());
                w.WriteString("subnet", p.Subnet.ToString());
                w.WriteString("reason", p.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (s.Bgp is { } bgp) Bgp.BgpStatusJson.Write(w, bgp);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
