using System.Text.Json;
using CniSharp.Attachments;
using CniSharp.Cni;
using CniSharp.Ipam;
using CniSharp.Netlink;
using CniSharp.Netlink.Route;
using CniSharp.Plugins.Bridge;
using CniSharp.Tests.Ipam;
using Moq;

namespace CniSharp.Tests.Attachments;

/// <summary>
/// The shared lifecycle against a real store in a temp dir, a recording IPAM and a host that must not be touched
/// except through the plugin's release delegate: GC correctness, written once, tested once.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AttachmentLifecycleTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Mock<IIpam> _ipam = new(MockBehavior.Strict);
    private readonly List<string> _calls = [];
    private readonly BridgeNetConf _conf;

    public AttachmentLifecycleTests()
    {
        _conf = new BridgeNetConf
        {
            Name = "net",
            StateDir = _dir.Path,
            Ipam = JsonDocument.Parse("""{"type": "cnisharp-host-local"}""").RootElement,
        };
        _ipam.Setup(i => i.Del(It.IsAny<IpamRequest>()))
            .Callback((IpamRequest r) => _calls.Add($"ipam del {r.Args.ContainerId} {r.Args.IfName} netns '{r.Args.NetNs}'"));
        _ipam.Setup(i => i.Gc(It.IsAny<IpamRequest>(), It.IsAny<IReadOnlyCollection<GcAttachment>>()))
            .Callback((IpamRequest _, IReadOnlyCollection<GcAttachment> valid) => _calls.Add($"ipam gc keeping {string.Join(",", valid.Select(v => v.ContainerId))}"));
    }

    public void Dispose() => _dir.Dispose();

    private AttachmentLifecycle Lifecycle(ReleaseHostSide? release = null) =>
        new(_conf, "cnisharp-test", () => new Mock<IRouteNetlink>(MockBehavior.Loose).Object, _ => _ipam.Object,
            release ?? ((_, record) => _calls.Add($"host side of {record.ContainerId} ({record.HostVeth})")));

    private static CniArgs Args(string id, CniCommand command = CniCommand.Add) =>
        new() { Command = command, ContainerId = id, IfName = "eth0", NetNs = "/var/run/netns/" + id };

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static JsonElement GcConfig(params string[] valid) =>
        Json($$"""{"name": "net", "cni.dev/valid-attachments": [{{string.Join(",", valid.Select(v => $$"""{"containerID": "{{v}}", "ifname": "eth0"}"""))}}]}""");

    private AttachmentRecord Add(AttachmentLifecycle lifecycle, string id)
    {
        AttachmentRecord record = lifecycle.NewRecord(Args(id), Json("{}"), "cns" + id);
        Assert.True(lifecycle.Begin(record));
        lifecycle.Complete(record, 7, new CniResult { Ips = [new CniIPConfig { Address = Ip.IPPrefix.Parse("10.0.0.2/32") }] });
        return record;
    }

    [Fact]
    public void Records_NameThePluginAndSchema2_AndOnlyTheBridgeNamesABridge()
    {
        AttachmentLifecycle lifecycle = Lifecycle();
        Add(lifecycle, "c1");
        JsonElement written = Json(File.ReadAllText(lifecycle.Store.PathFor("c1", "eth0")));
        Assert.Equal(2, written.GetProperty("schema").GetInt32());
        Assert.Equal("cnisharp-test", written.GetProperty("plugin").GetString());
        Assert.False(written.TryGetProperty("bridge", out _));
        Assert.Equal("ready", written.GetProperty("phase").GetString());
        Assert.Equal(7, written.GetProperty("hostVethIndex").GetInt32());
    }

    [Fact]
    public void Gc_ReleasesExactlyTheUnlistedAttachments_AddressesThenHostSideThenRecord_ThenForwardsToIpam()
    {
        AttachmentLifecycle lifecycle = Lifecycle();
        Add(lifecycle, "keep");
        Add(lifecycle, "gone");

        lifecycle.Gc(Args("", CniCommand.Gc), GcConfig("keep"));

        Assert.Equal(["ipam del gone eth0 netns ''", "host side of gone (cnsgone)", "ipam gc keeping keep"], _calls);
        Assert.Equal(["keep"], lifecycle.Store.List().Select(e => e.Record!.ContainerId));
    }

    [Fact]
    public void Gc_ReleasesARecordWrittenByThePreviousVersion()
    {
        // Exactly what cnisharp-bridge wrote before records named their plugin (schema 1).
        AttachmentLifecycle lifecycle = Lifecycle();
        Directory.CreateDirectory(lifecycle.Store.AttachmentsDir);
        File.WriteAllText(lifecycle.Store.PathFor("old", "eth0"), """
            {
              "schema": 1,
              "containerId": "old",
              "ifName": "eth0",
              "network": "net",
              "netns": "/var/run/netns/old",
              "bridge": "cnisharp0",
              "hostVeth": "cns0123456789ab",
              "hostVethIndex": 12,
              "ips": ["10.0.0.9/24"],
              "configHash": "fnv1a64:0123456789abcdef",
              "bootId": "3f1c0000-0000-4000-8000-000000000000",
              "phase": "ready",
              "created": "2026-01-01T00:00:00.000Z"
            }
            """);
        AttachmentRecord old = lifecycle.Store.TryRead("old", "eth0")!;
        Assert.Equal("cnisharp-bridge", old.MadeBy);
        Assert.Equal("cns0123456789ab", old.HostVethOrDerived);

        lifecycle.Gc(Args("", CniCommand.Gc), GcConfig());

        Assert.Equal(["ipam del old eth0 netns ''", "host side of old (cns0123456789ab)", "ipam gc keeping "], _calls);
        Assert.Empty(lifecycle.Store.List());
    }

    [Fact]
    public void Gc_KeepsTheRecord_WhenTheHostSideCannotBeReleased_AndReportsEveryFailureAtTheEnd()
    {
        AttachmentLifecycle lifecycle = Lifecycle((_, record) =>
        {
            _calls.Add($"host side of {record.ContainerId}");
            throw new NetlinkException("delete link", (int)CniSharp.Interop.Errno.EBUSY);
        });
        Add(lifecycle, "g1");
        Add(lifecycle, "g2");

        var e = Assert.Throws<CniException>(() => lifecycle.Gc(Args("", CniCommand.Gc), GcConfig()));

        Assert.Equal(CniErrorCode.Internal, e.Code);
        Assert.Contains("2 error(s)", e.Message);
        Assert.Contains("could not delete the host veth of g1 (eth0)", e.Message);
        // Both were tried and the IPAM still got its GC; the records stay for the next sweep.
        Assert.Equal(["ipam del g1 eth0 netns ''", "host side of g1", "ipam del g2 eth0 netns ''", "host side of g2", "ipam gc keeping "], _calls);
        Assert.Equal(2, lifecycle.Store.List().Count);
    }

    [Fact]
    public void Del_ReleasesAddressesFirst_ThenLinks_ThenTheRecord_AndKeepsTheRecordWhenLinksFail()
    {
        AttachmentLifecycle lifecycle = Lifecycle();
        Add(lifecycle, "d1");
        Assert.Throws<InvalidOperationException>(() => lifecycle.Del(Args("d1", CniCommand.Del), Json("{}"), _ => throw new InvalidOperationException("links")));
        Assert.NotNull(lifecycle.Store.TryRead("d1", "eth0"));

        lifecycle.Del(Args("d1", CniCommand.Del), Json("{}"), record => _calls.Add($"links of {record?.ContainerId}"));
        Assert.Equal(["ipam del d1 eth0 netns '/var/run/netns/d1'", "ipam del d1 eth0 netns '/var/run/netns/d1'", "links of d1"], _calls);
        Assert.Null(lifecycle.Store.TryRead("d1", "eth0"));
        // Again, with nothing left: still fine, and the links step hears there is no record.
        lifecycle.Del(Args("d1", CniCommand.Del), Json("{}"), record => _calls.Add($"links of {record?.ContainerId ?? "nothing"}"));
        Assert.Equal("links of nothing", _calls[^1]);
    }

    [Fact]
    public void ReclaimEarlierBoots_ReleasesOnlyOtherBootsRecords_AndStampsTheBoot()
    {
        AttachmentLifecycle lifecycle = Lifecycle();
        Add(lifecycle, "now");
        AttachmentRecord before = Add(lifecycle, "before");
        before.BootId = "00000000-0000-4000-8000-000000000001";
        lifecycle.Store.Write(before);

        lifecycle.ReclaimEarlierBoots(Args("new"));

        Assert.Equal(["ipam del before eth0 netns ''", "host side of before (cnsbefore)"], _calls);
        Assert.Equal(BootId.Current, lifecycle.Store.ReadBootStamp());
        // Stamped: the next ADD of this boot does not sweep again.
        lifecycle.Store.Write(before);
        lifecycle.ReclaimEarlierBoots(Args("newer"));
        Assert.Equal(2, _calls.Count);
    }

    [Fact]
    public void Add_CompletesTheRecord_WithTheNetworksDns_AndReturnsTheResult()
    {
        _conf.Dns = new DnsConf { Nameservers = ["192.0.2.53"] };
        AttachmentLifecycle lifecycle = Lifecycle();
        CniResult result = lifecycle.Add(Args("a1"), Json("{}"), previous: null, "cnsa1", bridge: null, rollback =>
        {
            Assert.Equal(AttachmentRecord.PhaseAdding, lifecycle.Store.TryRead("a1", "eth0")!.Phase);
            return (new CniResult { Ips = [new CniIPConfig { Address = Ip.IPPrefix.Parse("10.0.0.4/32") }] }, 9);
        });
        Assert.Equal(["192.0.2.53"], result.Dns!.Nameservers);
        AttachmentRecord record = lifecycle.Store.TryRead("a1", "eth0")!;
        Assert.Equal((AttachmentRecord.PhaseReady, 9, "10.0.0.4/32"), (record.Phase, record.HostVethIndex, record.Ips.Single()));
    }

    [Fact]
    public void Add_Failing_UndoesNewestFirst_AndForgetsTheRecordOnlyWhenEveryUndoWorked()
    {
        AttachmentLifecycle lifecycle = Lifecycle();
        Assert.Throws<InvalidOperationException>(() => lifecycle.Add(Args("f1"), Json("{}"), null, "cnsf1", null, rollback =>
        {
            rollback.Add("first", () => _calls.Add("undo first"));
            rollback.Add("second", () => _calls.Add("undo second"));
            throw new InvalidOperationException("step 3");
        }));
        Assert.Equal(["undo second", "undo first"], _calls);
        Assert.Null(lifecycle.Store.TryRead("f1", "eth0"));

        Assert.Throws<InvalidOperationException>(() => lifecycle.Add(Args("f2"), Json("{}"), null, "cnsf2", null, rollback =>
        {
            rollback.Add("veth", () => throw new IOException("undo failed"));
            throw new InvalidOperationException("step 2");
        }));
        // Something may be left: the intent record stays as GC's way to it.
        Assert.Equal(AttachmentRecord.PhaseAdding, lifecycle.Store.TryRead("f2", "eth0")!.Phase);
    }

    [Fact]
    public void Begin_LeavesAnEarlierAddsRecordOfThisBootInPlace()
    {
        AttachmentLifecycle lifecycle = Lifecycle();
        Add(lifecycle, "c1");
        AttachmentRecord again = lifecycle.NewRecord(Args("c1"), Json("{}"), "cnsc1");
        Assert.False(lifecycle.Begin(again));
        Assert.Equal(AttachmentRecord.PhaseReady, lifecycle.Store.TryRead("c1", "eth0")!.Phase);
    }

    [Fact]
    public void CheckRecord_NamesAMissingRecord_AnIncompleteOne_AndOtherAddresses()
    {
        AttachmentLifecycle lifecycle = Lifecycle();
        var prev = new CniResult
        {
            Interfaces = [new CniInterface { Name = "eth0", Sandbox = "/var/run/netns/c1" }],
            Ips = [new CniIPConfig { Address = Ip.IPPrefix.Parse("10.0.0.3/32"), Interface = 0 }],
        };
        var problems = new List<string>();
        lifecycle.CheckRecord(Args("c1", CniCommand.Check), Json("{}"), prev, problems);
        Assert.Contains("is missing", Assert.Single(problems));

        problems.Clear();
        Assert.True(lifecycle.Begin(lifecycle.NewRecord(Args("c1"), Json("{}"), "cnsc1")));
        lifecycle.CheckRecord(Args("c1", CniCommand.Check), Json("{}"), prev, problems);
        Assert.Equal(2, problems.Count);
        Assert.Contains("did not complete", problems[0]);
        Assert.Contains("prevResult says [10.0.0.3/32]", problems[1]);
    }
}
