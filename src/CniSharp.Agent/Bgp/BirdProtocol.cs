namespace CniSharp.Agent.Bgp;

/// <summary>
/// One line of BIRD's <c>show protocols</c>: <c>mesh_198_51_100_12 BGP --- up 2026-12-01T01:35:02 Established</c>.
/// <paramref name="State"/> is BIRD's protocol state (up, start, down, ...), <paramref name="Info"/> the BGP state
/// (Established, Active, Connect, ...) and, when there is one, the last error.
/// </summary>
internal sealed record BirdProtocol(string Name, string Proto, string State, string Since, string Info)
{
    public bool IsBgp => Proto == "BGP";

    /// <summary>Parses birdc's output: the banner and header lines are skipped, so are lines it cannot read.</summary>
    public static IReadOnlyList<BirdProtocol> ParseTable(string output)
    {
        var protocols = new List<BirdProtocol>();
        foreach (string line in output.Split('\n'))
        {
            if (line.StartsWith("BIRD ", StringComparison.Ordinal) || line.StartsWith("Name ", StringComparison.Ordinal)) continue;
            string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length < 4) continue;
            // Columns: Name Proto Table State Since Info (Since and Info may be empty for a protocol never started).
            string info = fields.Length > 5 ? string.Join(' ', fields[5].Split(' ', StringSplitOptions.RemoveEmptyEntries)) : "";
            protocols.Add(new BirdProtocol(fields[0], fields[1], fields[3], fields.Length > 4 ? fields[4] : "", info));
        }
        return protocols;
    }
}
