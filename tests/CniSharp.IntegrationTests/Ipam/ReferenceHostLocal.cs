using System.Diagnostics;
using System.Text.Json;

namespace CniSharp.IntegrationTests.Ipam;

/// <summary>Runs the reference Go host-local binary the way a runtime would: CNI_* env, config on stdin.</summary>
internal static class ReferenceHostLocal
{
    public const string BinaryPath = "/usr/lib/cni/host-local";

    public static bool IsInstalled => File.Exists(BinaryPath);

    public sealed record Outcome(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement.Clone();

        /// <summary>The addresses of an ADD result, without prefix.</summary>
        public string[] Addresses =>
            Json.GetProperty("ips").EnumerateArray().Select(ip => ip.GetProperty("address").GetString()!.Split('/')[0]).ToArray();
    }

    public static Outcome Run(string command, string containerId, string ifName, string config)
    {
        var start = new ProcessStartInfo(BinaryPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["CNI_COMMAND"] = command;
        start.Environment["CNI_CONTAINERID"] = containerId;
        // host-local never enters the namespace; any existing path will do.
        start.Environment["CNI_NETNS"] = "/proc/self/ns/net";
        start.Environment["CNI_IFNAME"] = ifName;
        start.Environment["CNI_PATH"] = Path.GetDirectoryName(BinaryPath)!;
        using Process process = Process.Start(start)!;
        process.StandardInput.Write(config);
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            throw new TimeoutException($"{BinaryPath} {command} did not finish");
        }
        return new Outcome(process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>A fact that needs the reference host-local binary (Debian/Ubuntu: containernetworking-plugins).</summary>
public sealed class ReferenceHostLocalFactAttribute : FactAttribute
{
    public ReferenceHostLocalFactAttribute()
    {
        if (!ReferenceHostLocal.IsInstalled)
            Skip = $"needs the reference plugin at {ReferenceHostLocal.BinaryPath} (apt-get install containernetworking-plugins)";
    }
}
