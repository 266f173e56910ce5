using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CniSharp.Cni;
using CniSharp.Logging;

namespace CniSharp.Ipam.Delegated;

/// <summary>
/// Any ipam.type other than our in-process host-local (dhcp, static, whereabouts, ...): the binary of that name in
/// CNI_PATH runs with our environment, CNI_COMMAND set to the verb, and our exact stdin (SPEC "Delegated plugin
/// protocol"). Its result is read in whatever version it printed; its error keeps its code and details.
/// Call it from an ordinary thread, never inside a network-namespace callback: a child inherits the caller's netns.
/// </summary>
internal sealed class ExecIpam : IIpam
{
    /// <summary>ETXTBSY: the binary is still open for writing, e.g. an installer is replacing it.</summary>
    private const int TextFileBusy = 26;
    private const int MaxAttempts = 10;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    public CniResult Add(IpamRequest request)
    {
        string type = TypeOf(request.Conf);
        byte[] stdout = Exec(type, "ADD", request.Args);
        try
        {
            return ResultParser.Parse(stdout, request.Conf.EffectiveVersion);
        }
        catch (CniException ex)
        {
            throw new CniException(ex.Code, $"{type}: {ex.Message}", ex.Details, ex);
        }
    }

    public void Del(IpamRequest request) => Exec(TypeOf(request.Conf), "DEL", request.Args);

    public void Check(IpamRequest request) => Exec(TypeOf(request.Conf), "CHECK", request.Args);

    /// <summary>SPEC STATUS: a delegating plugin must ask its IPAM and return the IPAM's error.</summary>
    public void Status(IpamRequest request) => Exec(TypeOf(request.Conf), "STATUS", request.Args);

    /// <summary>SPEC GC: a delegating plugin must forward GC to its IPAM.</summary>
    /// <remarks>The delegate reads the valid attachments from the same stdin; the parsed list is not needed.</remarks>
    public void Gc(IpamRequest request, IReadOnlyCollection<GcAttachment> validAttachments) =>
        Exec(TypeOf(request.Conf), "GC", request.Args);

    /// <summary>Runs the delegate for one verb and returns its stdout; a failure becomes a <see cref="CniException"/>.</summary>
    public static byte[] Exec(string type, string verb, CniArgs args)
    {
        string binary = PluginLocator.Find(type, args.Path);
        ProcessStartInfo start = StartInfo(binary, verb, args);
        using Process process = StartWithRetry(start, type);

        // Drain both pipes while feeding stdin, so neither side can block on a full pipe.
        using var stdoutBuffer = new MemoryStream();
        Task stdoutTask = process.StandardOutput.BaseStream.CopyToAsync(stdoutBuffer);
        Task<string> stderrTask = process.StandardError.ReadToEndAsync();
        try
        {
            process.StandardInput.BaseStream.Write(args.StdinData);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // N.B. the delegate exited without reading all of stdin; its exit status tells what happened.
        }
        stdoutTask.GetAwaiter().GetResult();
        string stderr = stderrTask.GetAwaiter().GetResult();
        process.WaitForExit();

        if (stderr.Length > 0 && Log.IsEnabled(LogLevel.Debug))
            Log.Debug($"{type} {verb} stderr: {stderr.TrimEnd()}");
        byte[] stdout = stdoutBuffer.ToArray();
        if (process.ExitCode != 0)
            throw DelegateError(type, verb, process.ExitCode, stdout, stderr);
        return stdout;
    }

    private static string TypeOf(NetConf conf) =>
        conf.IpamType ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, "invalid network configuration: \"ipam.type\" is missing");

    private static ProcessStartInfo StartInfo(string binary, string verb, CniArgs args)
    {
        var start = new ProcessStartInfo(binary)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        // Environment starts as a copy of ours; the CNI_* values are set from the parsed invocation so the delegate
        // sees exactly what we acted on, and unset ones are removed (skel treats "" as unset anyway).
        Set(start, CniEnvironment.CommandVar, verb);
        Set(start, CniEnvironment.ContainerIdVar, args.ContainerId);
        Set(start, CniEnvironment.NetNsVar, args.NetNs);
        Set(start, CniEnvironment.IfNameVar, args.IfName);
        Set(start, CniEnvironment.ArgsVar, args.Args);
        Set(start, CniEnvironment.PathVar, string.Join(':', args.Path));
        return start;
    }

    private static void Set(ProcessStartInfo start, string name, string? value)
    {
        if (string.IsNullOrEmpty(value)) start.Environment.Remove(name);
        else start.Environment[name] = value;
    }

    /// <summary>libcni retries exec on "text file busy" (5 × 1 s); we retry the same number of times, faster.</summary>
    private static Process StartWithRetry(ProcessStartInfo start, string type)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return Process.Start(start) ?? throw new CniException(CniErrorCode.Internal, $"{type}: failed to start {start.FileName}");
            }
            catch (Win32Exception ex) when (ex.NativeErrorCode == TextFileBusy && attempt < MaxAttempts)
            {
                Thread.Sleep(RetryDelay);
            }
            catch (Win32Exception ex)
            {
                throw new CniException(CniErrorCode.Internal, $"{type}: failed to execute {start.FileName}: {ex.Message}", inner: ex);
            }
        }
    }

    /// <summary>
    /// As libcni's pluginErr: the error object on stdout when there is one, keeping its code; otherwise the stderr
    /// text (or the raw stdout) as an internal error.
    /// </summary>
    private static CniException DelegateError(string type, string verb, int exitCode, byte[] stdout, string stderr)
    {
        if (TryParseError(stdout, out int code, out string? msg, out string? details))
            return new CniException((CniErrorCode)code, $"{type}: {msg}", details);
        string text = stdout.Length > 0 ? Encoding.UTF8.GetString(stdout).Trim() : stderr.Trim();
        if (text.Length == 0) text = "no output";
        return new CniException(CniErrorCode.Internal, $"{type}: {verb} failed with exit code {exitCode}: {text}");
    }

    private static bool TryParseError(byte[] stdout, out int code, out string? msg, out string? details)
    {
        code = 0;
        msg = details = null;
        if (stdout.Length == 0) return false;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(stdout);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("code", out JsonElement c) || c.ValueKind != JsonValueKind.Number || !c.TryGetInt32(out code))
                return false;
            msg = root.TryGetProperty("msg", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : "";
            details = root.TryGetProperty("details", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
