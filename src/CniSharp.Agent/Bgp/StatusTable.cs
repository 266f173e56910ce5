using System.Text;

namespace CniSharp.Agent.Bgp;

/// <summary>
/// <c>cnisharp-agent status</c>'s tables, the way <c>calicoctl node status</c> prints them: one per address family,
/// a row per session with the peer, why it is a peer, BIRD's protocol state, since when, and the BGP state.
/// </summary>
internal static class StatusTable
{
    private static readonly string[] Headers = ["PEER ADDRESS", "PEER TYPE", "STATE", "SINCE", "INFO"];

    public static string Render(IReadOnlyList<BgpSessionStatus> sessions)
    {
        var text = new StringBuilder();
        foreach (bool ipv4 in new[] { true, false })
        {
            string family = ipv4 ? "IPv4" : "IPv6";
            List<string[]> rows = sessions
                .Where(s => (s.Peer.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) == ipv4)
                .Select(s => new[] { s.Peer.ToString(), s.Type.Describe(), s.State, s.Since, s.Info })
                .ToList();
            text.Append(family).Append(" BGP status\n");
            if (rows.Count == 0)
            {
                text.Append("No ").Append(family).Append(" peers found.\n\n");
                continue;
            }
            int[] widths = Enumerable.Range(0, Headers.Length).Select(i => rows.Max(r => r[i].Length)).Select((w, i) => Math.Max(w, Headers[i].Length)).ToArray();
            string rule = "+" + string.Concat(widths.Select(w => new string('-', w + 2) + "+")) + "\n";
            text.Append(rule).Append(Row(Headers, widths, center: true)).Append(rule);
            foreach (string[] row in rows) text.Append(Row(row, widths, center: false));
            text.Append(rule).Append('\n');
        }
        return text.ToString();
    }

    private static string Row(string[] cells, int[] widths, bool center)
    {
        var line = new StringBuilder("|");
        for (int i = 0; i < cells.Length; i++)
        {
            string cell = cells[i];
            int pad = widths[i] - cell.Length;
            int left = center ? pad / 2 : 0;
            line.Append(' ').Append(' ', left).Append(cell).Append(' ', pad - left).Append(" |");
        }
        return line.Append('\n').ToString();
    }
}
