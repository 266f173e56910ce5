using System.Text.Json;
using System.Text.Json.Nodes;
using CniSharp.IntegrationTests.Infrastructure;

namespace CniSharp.IntegrationTests.Plugins;

/// <summary>Attachment records, GC, STATUS, reboot reclaim and "cnisharp gc", against the built binary.</summary>
[Collection(KernelCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class AttachmentLifecycleTests
{
    private const string Bridge = "cnisharp-bridge";

    public AttachmentLifecycleTests() => CniPluginRunner.RequireBinary();

    private sealed record Pod(string Id, TestNamespace Ns, JsonElement Result) : IDisposable
    {
        public string HostVeth => Result.GetProperty("interfaces")[1].GetProperty("name").GetString()!;
        public string Address => Result.GetProperty("ips")[0].GetProperty("address").GetString()!;
        public void Dispose() => Ns.Dispose();
    }

    private static Pod AddPod(TestNetwork net, string config, string purpose)
    {
        var ns = new TestNamespace(purpose);
        string id = Unique.ContainerId();
        var add = CniPluginRunner.Run(Bridge, "ADD", config, id, ns.Path, "eth0");
        Assert.True(add.ExitCode == 0, add.ToString());
        return new Pod(id, ns, add.Json);
    }

    private static string RecordPath(TestNetwork net, string id, string ifName = "eth0") =>
        Path.Combine(net.StateDir, net.Name, "attachments", $"{id}-{ifName}.json");

    private static string CurrentBootId() => File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();

    private static string GcConfig(TestNetwork net, IEnumerable<Pod> valid, string key = "cni.dev/valid-attachments", Action<JsonObject>? edit = null) =>
        net.Config(c =>
        {
            c["cniVersion"] = "1.1.0";
            c[key] = new JsonArray(valid.Select(p => (JsonNode)new JsonObject { ["containerID"] = p.Id, ["ifname"] = "eth0" }).ToArray());
            edit?.Invoke(c);
        });

    [RootFact]
    public void Add_WritesACompleteRecord_AndDel_RemovesIt()
    {
        using var net = new TestNetwork();
        string config = net.Config();
        using Pod pod = AddPod(net, config, "rec");

        JsonElement record = JsonDocument.Parse(File.ReadAllText(RecordPath(net, pod.Id))).RootElement;
        Assert.Equal(pod.Id, record.GetProperty("containerId").GetString());
        Assert.Equal("eth0", record.GetProperty("ifName").GetString());
        Assert.Equal("ready", record.GetProperty("phase").GetString());
        Assert.Equal(pod.Ns.Path, record.GetProperty("netns").GetString());
        Assert.Equal(pod.HostVeth, record.GetProperty("hostVeth").GetString());
        Assert.Equal(net.Bridge, record.GetProperty("bridge").GetString());
        Assert.Equal(Bridge, record.GetProperty("plugin").GetString());
        Assert.Equal(2, record.GetProperty("schema").GetInt32());
        Assert.Equal(CurrentBootId(), record.GetProperty("bootId").GetString());
        Assert.Equal([pod.Address], record.GetProperty("ips").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.StartsWith("fnv1a64:", record.GetProperty("configHash").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(RecordPath(net, pod.Id)));

        var del = CniPluginRunner.Run(Bridge, "DEL", TestNetwork.WithPrevResult(config, pod.Result), pod.Id, pod.Ns.Path, "eth0");
        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.Empty(net.AttachmentRecords());
        Assert.False(Shell.LinkExists(pod.HostVeth));
    }

    [RootFact]
    public void RecordsOfThePreviousVersion_AreReleasedByDel_AndByGc()
    {
        using var net = new TestNetwork();
        string config = net.Config();
        using Pod deleted = AddPod(net, config, "old1");
        using Pod collected = AddPod(net, config, "old2");
        // Rewritten as CniSharp wrote them before records named their plugin (schema 1, "bridge" and no "plugin").
        foreach (Pod pod in new[] { deleted, collected })
        {
            JsonObject record = JsonNode.Parse(File.ReadAllText(RecordPath(net, pod.Id)))!.AsObject();
            Assert.Equal(Bridge, record["plugin"]!.GetValue<string>());
            record.Remove("plugin");
            record["schema"] = 1;
            File.WriteAllText(RecordPath(net, pod.Id), record.ToJsonString());
        }

        var del = CniPluginRunner.Run(Bridge, "DEL", config, deleted.Id, "", "eth0");
        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.False(Shell.LinkExists(deleted.HostVeth));
        Assert.Equal([$"{collected.Id}-eth0.json"], net.AttachmentRecords());

        var gc = CniPluginRunner.Run(Bridge, "GC", GcConfig(net, []));
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.False(Shell.LinkExists(collected.HostVeth));
        Assert.False(Shell.LinkExists("eth0", collected.Ns.Name));
        Assert.Empty(net.AttachmentRecords());
        Assert.Empty(net.Reservations());
    }

    [RootFact]
    public void FailedAdd_LeavesNoRecord()
    {
        using var net = new TestNetwork();
        using var ns = new TestNamespace("recfail");
        // 10.0.0.0/8 is not the subnet: the IPAM fails after the veth exists, and the rollback must take the record too.
        string config = net.Config(c => c["ipam"]!["ranges"] = JsonNode.Parse($$"""[[{"subnet": "{{net.Subnet4}}", "rangeStart": "10.9.9.9"}]]"""));
        var add = CniPluginRunner.Run(Bridge, "ADD", config, Unique.ContainerId(), ns.Path, "eth0");
        Assert.NotEqual(0, add.ExitCode);
        Assert.Empty(net.AttachmentRecords());
        Assert.Empty(net.Reservations());
    }

    [RootTheory]
    [InlineData("cni.dev/valid-attachments")]
    [InlineData("cni.dev/attachments")]
    public void Gc_WithOneOfThreeValid_ReleasesExactlyTheOtherTwo(string key)
    {
        using var net = new TestNetwork();
        string config = net.Config();
        using Pod keep = AddPod(net, config, "gck");
        using Pod gone1 = AddPod(net, config, "gc1");
        using Pod gone2 = AddPod(net, config, "gc2");
        Assert.Equal(3, net.Reservations().Count);

        var gc = CniPluginRunner.Run(Bridge, "GC", GcConfig(net, [keep], key));
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Equal("", gc.Stdout);

        Assert.Equal([keep.Address.Split('/')[0]], net.Reservations());
        Assert.Equal([$"{keep.Id}-eth0.json"], net.AttachmentRecords());
        Assert.True(Shell.LinkExists(keep.HostVeth));
        Assert.True(Shell.LinkExists("eth0", keep.Ns.Name));
        Assert.False(Shell.LinkExists(gone1.HostVeth));
        Assert.False(Shell.LinkExists(gone2.HostVeth));
        Assert.False(Shell.LinkExists("eth0", gone1.Ns.Name));

        // The survivor is untouched: CHECK passes, and a second GC releases nothing more.
        var check = CniPluginRunner.Run(Bridge, "CHECK", TestNetwork.WithPrevResult(config, keep.Result), keep.Id, keep.Ns.Path, "eth0");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal(0, CniPluginRunner.Run(Bridge, "GC", GcConfig(net, [keep], key)).ExitCode);
        Assert.Single(net.Reservations());
    }

    [RootFact]
    public void Gc_WithDisableGC_ReleasesNothing()
    {
        using var net = new TestNetwork();
        using Pod pod = AddPod(net, net.Config(), "gcoff");
        var gc = CniPluginRunner.Run(Bridge, "GC", GcConfig(net, [], edit: c => c["disableGC"] = true));
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Single(net.Reservations());
        Assert.Single(net.AttachmentRecords());
        Assert.True(Shell.LinkExists(pod.HostVeth));
    }

    [RootFact]
    public void Status_IsReady_Then50WhenTheRangeIsFull_ThenReadyAfterDel()
    {
        using var net = new TestNetwork();
        // A /30 with the gateway on .1 leaves exactly one address for pods.
        string config = net.Config(c =>
        {
            c["cniVersion"] = "1.1.0";
            c["ipam"]!["ranges"] = JsonNode.Parse($$"""[[{"subnet": "10.231.{{net.Octet}}.0/30"}]]""");
        });
        Assert.Equal(0, CniPluginRunner.Run(Bridge, "STATUS", config).ExitCode);

        using Pod pod = AddPod(net, config, "full");
        var full = CniPluginRunner.Run(Bridge, "STATUS", config);
        Assert.NotEqual(0, full.ExitCode);
        Assert.Equal(50, full.ErrorCode);

        Assert.Equal(0, CniPluginRunner.Run(Bridge, "DEL", config, pod.Id, pod.Ns.Path, "eth0").ExitCode);
        var again = CniPluginRunner.Run(Bridge, "STATUS", config);
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    [RootFact]
    public void Status_Is51_WhenTheBridgeIsGoneWhileAttachmentsExist()
    {
        using var net = new TestNetwork();
        string config = net.Config();
        using Pod pod = AddPod(net, config, "s51");
        Shell.Ip("link", "del", net.Bridge);

        var status = CniPluginRunner.Run(Bridge, "STATUS", config);
        Assert.Equal(51, status.ErrorCode);
        Assert.Contains(net.Bridge, status.ErrorMessage);
        Assert.Contains("1 attachment", status.ErrorMessage);
    }

    [RootFact]
    public void Status_Is50_WhenTheStateDirIsUnusable()
    {
        using var net = new TestNetwork();
        string file = Path.Combine(net.DataDir, "a-file");
        File.WriteAllText(file, "not a directory");
        var status = CniPluginRunner.Run(Bridge, "STATUS", net.Config(c => c["stateDir"] = Path.Combine(file, "state")));
        Assert.Equal(50, status.ErrorCode);
        Assert.Contains("state directory", status.ErrorMessage);
    }

    [RootFact]
    public void Status_Is50_ForVlanOnAKernelWithoutVlanFiltering_OrNotImplemented()
    {
        using var net = new TestNetwork();
        var status = CniPluginRunner.Run(Bridge, "STATUS", net.Config(c => c["vlan"] = 100));
        Assert.Equal(50, status.ErrorCode);
        Assert.Contains("vlan", status.ErrorMessage);
    }

    [RootFact]
    public void Reboot_ReclaimsTheEarlierBootsAttachments_AndNothingElse()
    {
        using var net = new TestNetwork();
        string config = net.Config();
        Pod before1 = AddPod(net, config, "boot1");
        Pod before2 = AddPod(net, config, "boot2");
        using Pod survivor = AddPod(net, config, "boot3");
        // Another writer's reservation (the reference host-local sharing the store): nothing proves it dead.
        string foreignIp = $"10.231.{net.Octet}.200";
        File.WriteAllText(Path.Combine(net.StoreDir, foreignIp), "foreign-id\r\neth0");

        // The reboot: the first two pods' netns (and veths) vanish, and their records and the stamp carry another boot id.
        before1.Dispose();
        before2.Dispose();
        const string earlierBoot = "00000000-0000-4000-8000-000000000001";
        foreach (Pod pod in new[] { before1, before2 })
        {
            JsonObject record = JsonNode.Parse(File.ReadAllText(RecordPath(net, pod.Id)))!.AsObject();
            record["bootId"] = earlierBoot;
            File.WriteAllText(RecordPath(net, pod.Id), record.ToJsonString());
        }
        File.WriteAllText(Path.Combine(net.StateDir, net.Name, "boot_id"), earlierBoot + "\n");

        using Pod after = AddPod(net, config, "boot4");

        var expected = new[] { survivor.Address, after.Address }.Select(a => a.Split('/')[0]).Append(foreignIp).Order();
        Assert.Equal(expected, net.Reservations().Order());
        Assert.Equal(new[] { $"{survivor.Id}-eth0.json", $"{after.Id}-eth0.json" }.Order(), net.AttachmentRecords().Order());
        Assert.Equal(CurrentBootId(), File.ReadAllText(Path.Combine(net.StateDir, net.Name, "boot_id")).Trim());
        Assert.True(Shell.LinkExists(survivor.HostVeth));
    }

    [RootFact]
    public void CnisharpGc_ReleasesAttachmentsWhoseNetnsIsGone_DryRunFirst_AndHonoursDisableGC()
    {
        using var net = new TestNetwork();
        string confDir = Unique.TempDir("confdir");
        try
        {
            JsonObject plugin = JsonNode.Parse(net.Config())!.AsObject();
            plugin.Remove("cniVersion");
            plugin.Remove("name");
            var conflist = new JsonObject
            {
                ["cniVersion"] = "1.0.0",
                ["cniVersions"] = new JsonArray("1.0.0", "1.1.0"),
                ["name"] = net.Name,
                ["plugins"] = new JsonArray(plugin),
            };
            string confPath = Path.Combine(confDir, "10-test.conflist");
            File.WriteAllText(confPath, conflist.ToJsonString());
            string config = net.Config();
            Pod dead = AddPod(net, config, "gcdead");
            using Pod alive = AddPod(net, config, "gcalive");
            dead.Dispose();
            // The kernel tears a netns down asynchronously; until then its veth is still there and gc rightly waits.
            WaitUntilGone(dead.HostVeth);

            Shell.Output dry = Shell.Run(Path.Combine(CniPluginRunner.BinDir, "cnisharp"), ["gc", "--conf-dir", confDir, "--dry-run"]);
            Assert.True(dry.ExitCode == 0, dry.ToString());
            Assert.Contains($"would release {net.Name}/{dead.Id}/eth0", dry.Stdout);
            Assert.Contains("netns", dry.Stdout);
            Assert.DoesNotContain(alive.Id, dry.Stdout);
            Assert.Equal(2, net.Reservations().Count);

            Shell.Output real = Shell.Run(Path.Combine(CniPluginRunner.BinDir, "cnisharp"), ["gc", "--conf-dir", confDir]);
            Assert.True(real.ExitCode == 0, real.ToString());
            Assert.Contains($"released {net.Name}/{dead.Id}/eth0", real.Stdout);
            Assert.Equal([alive.Address.Split('/')[0]], net.Reservations());
            Assert.Equal([$"{alive.Id}-eth0.json"], net.AttachmentRecords());

            conflist["disableGC"] = true;
            File.WriteAllText(confPath, conflist.ToJsonString());
            alive.Ns.Dispose();
            WaitUntilGone(alive.HostVeth);
            Shell.Output skipped = Shell.Run(Path.Combine(CniPluginRunner.BinDir, "cnisharp"), ["gc", "--conf-dir", confDir]);
            Assert.True(skipped.ExitCode == 0, skipped.ToString());
            Assert.Contains("disableGC", skipped.Stdout);
            Assert.Single(net.Reservations());
        }
        finally
        {
            Directory.Delete(confDir, recursive: true);
        }
    }

    private static void WaitUntilGone(string link)
    {
        for (int i = 0; i < 100 && Shell.LinkExists(link); i++) Thread.Sleep(50);
        Assert.False(Shell.LinkExists(link), $"{link} outlived its netns by 5 s");
    }

    [RootFact]
    public void Check_NamesAMissingRecord()
    {
        using var net = new TestNetwork();
        string config = net.Config();
        using Pod pod = AddPod(net, config, "norec");
        File.Delete(RecordPath(net, pod.Id));
        var check = CniPluginRunner.Run(Bridge, "CHECK", TestNetwork.WithPrevResult(config, pod.Result), pod.Id, pod.Ns.Path, "eth0");
        Assert.NotEqual(0, check.ExitCode);
        Assert.Contains("attachment record", check.ErrorMessage);
        Assert.Contains("missing", check.ErrorMessage);
    }

    [RootFact]
    public void Add_AfterAnotherPlugin_AppendsToItsPrevResult()
    {
        using var net = new TestNetwork(cniVersion: "1.0.0");
        string config = net.Config(c => c["prevResult"] = JsonNode.Parse("""
            {"cniVersion": "1.0.0",
             "interfaces": [{"name": "lo", "mac": "00:00:00:00:00:00", "sandbox": "/var/run/netns/x"}],
             "ips": [{"interface": 0, "address": "127.0.0.1/8"}],
             "dns": {"nameservers": ["192.0.2.53"]}}
            """));
        using Pod pod = AddPod(net, config, "chain");

        JsonElement r = pod.Result;
        Assert.Equal(["lo", net.Bridge, pod.Result.GetProperty("interfaces")[2].GetProperty("name").GetString()!, "eth0"],
            r.GetProperty("interfaces").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).ToArray());
        JsonElement ips = r.GetProperty("ips");
        Assert.Equal(2, ips.GetArrayLength());
        Assert.Equal("127.0.0.1/8", ips[0].GetProperty("address").GetString());
        Assert.Equal(0, ips[0].GetProperty("interface").GetInt32());
        Assert.Equal(3, ips[1].GetProperty("interface").GetInt32());
        Assert.StartsWith($"10.231.{net.Octet}.", ips[1].GetProperty("address").GetString());
        Assert.Equal("192.0.2.53", r.GetProperty("dns").GetProperty("nameservers")[0].GetString());

        // CHECK and DEL get the final (merged) result, as libcni passes it.
        string withPrev = TestNetwork.WithPrevResult(net.Config(), r);
        var check = CniPluginRunner.Run(Bridge, "CHECK", withPrev, pod.Id, pod.Ns.Path, "eth0");
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal(0, CniPluginRunner.Run(Bridge, "DEL", withPrev, pod.Id, pod.Ns.Path, "eth0").ExitCode);
    }
}
