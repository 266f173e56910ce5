using System.Text;
using System.Text.Json.Nodes;
using CniSharp.Cni;
using CniSharp.Ipam;
using CniSharp.Ipam.HostLocal;
using CniSharp.Plugins;
using CniSharp.Plugins.Bridge;
using CniSharp.Plugins.Ptp;
using CniSharp.Pods;

namespace CniSharp.Tests.SampleConfigs;

/// <summary>
/// Every conflist shipped in conf/ goes through the same decoding and validation a runtime's ADD would,
/// plugin by plugin, with cniVersion and name injected as libcni does: the examples cannot drift from the code.
/// </summary>
public class SampleConflistTests
{
    public static TheoryData<string> Conflists()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Path.Combine(RepoRoot(), "conf"), "*.conflist"))
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Conflists))]
    public void Conflist_EveryCniSharpPlugin_PassesOurValidation(string file)
    {
        JsonObject list = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot(), "conf", file)))!.AsObject();
        string version = list["cniVersion"]!.GetValue<string>();
        Assert.True(CniVersions.IsSupported(version), $"{file}: cniVersion {version}");
        int ours = 0;
        foreach (JsonNode? plugin in list["plugins"]!.AsArray())
        {
            JsonObject conf = plugin!.AsObject().DeepClone().AsObject();
            conf["cniVersion"] = version;
            conf["name"] = list["name"]!.GetValue<string>();
            string type = conf["type"]!.GetValue<string>();
            if (!type.StartsWith("cnisharp-", StringComparison.Ordinal)) continue;
            ours++;

            byte[] stdin = Encoding.UTF8.GetBytes(conf.ToJsonString());
            DecodedConfig decoded = NetConfDecoder.Decode(CniCommand.Add, stdin);
            var args = new CniArgs { Command = CniCommand.Add, ContainerId = "sample", IfName = "eth0", StdinData = stdin };
            var request = new PluginRequest(args, decoded.Config, decoded.Conf);
            MainPluginNetConf main = type switch
            {
                PluginTypes.Bridge => BridgeConfig.Load(request),
                PluginTypes.Ptp => PtpConfig.Load(request),
                _ => throw new InvalidOperationException($"{file}: no validation for {type} in this test yet"),
            };
            if (main.IpamType == IpamFactory.InProcessType)
                Assert.NotEmpty(IpamConfig.Load(decoded.Conf, cniArgs: null).RangeSets);
        }
        Assert.True(ours > 0, $"{file} has no cnisharp plugin");
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CniSharp.sln")))
                return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (CniSharp.sln)");
    }
}
