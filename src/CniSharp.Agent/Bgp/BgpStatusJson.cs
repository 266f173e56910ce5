using System.Text.Json;

namespace CniSharp.Agent.Bgp;

/// <summary>
/// The "bgp" object of /healthz: <c>{"as","mode","routerId","bird":"running"|"stopped","birdPid","lastError",
/// "sessions":[{"name","peer","type","state","bgpState","since","info"}]}</c>.
/// </summary>
internal static class BgpStatusJson
{
    public static void Write(Utf8JsonWriter w, BgpStatus s)
    {
        w.WriteStartObject("bgp");
        w.WriteNumber("as", s.As);
        w.WriteString("mode", s.Mode == BgpMode.Mesh ? "mesh" : "reflector");
        if (s.RouterId is null) w.WriteNull("routerId");
        else w.WriteString("routerId", s.RouterId.ToString());
        w.WriteString("bird", s.BirdRunning ? "running" : "stopped");
        if (s.BirdPid is int pid) w.WriteNumber("birdPid", pid);
        else w.WriteNull("birdPid");
        if (s.LastError is null) w.WriteNull("lastError");
        else w.WriteString("lastError", s.LastError);
        w.WriteStartArray("sessions");
        foreach (BgpSessionStatus session in s.Sessions)
        {
            w.WriteStartObject();
            w.WriteString("name", session.Name);
            w.WriteString("peer", session.Peer.ToString());
            w.WriteString("type", session.Type.Label());
            w.WriteString("state", session.State);
            w.WriteString("bgpState", session.BgpState);
            w.WriteString("since", session.Since);
            w.WriteString("info", session.Info);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
