using System.Text.Json;

namespace CniSharp.IntegrationTests.Hostile;

/// <summary>The error half of the protocol (SPEC "Error"; libcni reads it from stdout), checked strictly.</summary>
internal static class CniErrorAssert
{
    /// <summary>The spec's well-known codes, libcni's 8 (own netns) and 999, and the plugin-specific range (100+).</summary>
    public static bool IsKnownCode(int code) => code is >= 1 and <= 8 or 11 or 50 or 51 or 999 || code >= 100;

    /// <summary>
    /// Non-zero exit without a crash or a timeout, and stdout holding exactly one JSON object (nothing before or after
    /// it) with a string cniVersion, a known numeric code and a non-empty msg. Returns the parsed object.
    /// </summary>
    public static JsonElement IsError(PluginRun run)
    {
        string? problem = ErrorProblem(run);
        Assert.True(problem is null, $"{problem}\n{run}");
        return JsonDocument.Parse(run.Stdout).RootElement.Clone();
    }

    public static void IsError(PluginRun run, int code, string messageContains)
    {
        JsonElement error = IsError(run);
        Assert.True(code == error.GetProperty("code").GetInt32(), $"expected code {code}\n{run}");
        string msg = error.GetProperty("msg").GetString()!;
        Assert.True(msg.Contains(messageContains, StringComparison.Ordinal), $"expected msg to contain \"{messageContains}\"\n{run}");
    }

    /// <summary>Why this run is not a well-formed CNI error, or null when it is.</summary>
    public static string? ErrorProblem(PluginRun run)
    {
        if (CommonProblem(run) is { } common) return common;
        if (run.ExitCode == 0) return "exit 0, expected a failure";
        JsonElement error;
        try
        {
            // JsonDocument.Parse rejects anything after the value, so this also proves stdout held nothing else.
            error = JsonDocument.Parse(run.Stdout).RootElement;
        }
        catch (JsonException e)
        {
            return $"stdout is not exactly one JSON value: {e.Message}";
        }
        if (error.ValueKind != JsonValueKind.Object) return "the error is not a JSON object";
        if (!error.TryGetProperty("cniVersion", out JsonElement v) || v.ValueKind != JsonValueKind.String || v.GetString() == "")
            return "no cniVersion in the error";
        if (!error.TryGetProperty("code", out JsonElement c) || !c.TryGetInt32(out int code))
            return "no numeric code in the error";
        if (!IsKnownCode(code)) return $"code {code} is neither a spec code (1-7, 11, 50, 51), libcni's 8 or 999, nor 100+";
        if (!error.TryGetProperty("msg", out JsonElement m) || m.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(m.GetString()))
            return "no msg in the error";
        return null;
    }

    /// <summary>What no run may ever do, success or failure.</summary>
    public static string? CommonProblem(PluginRun run)
    {
        if (run.TimedOut) return "the plugin did not finish (hang)";
        if (run.Crashed) return $"the plugin was killed by signal {run.ExitCode - 128}";
        if (run.Stderr.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase)) return "an unhandled exception reached stderr";
        if (run.Stdout.StartsWith('\uFEFF')) return "stdout starts with a byte-order mark";
        return null;
    }
}
