using System.Net;
using System.Net.NetworkInformation;
using CniSharp.Agent.Datastore;
using CniSharp.Agent.Datastore.Kubernetes;
using k8s.Models;

namespace CniSharp.Agent.Tests.Datastore.Kubernetes;

public class NodeAnnotationsTests
{
    private static V1Node Node(string name, Dictionary<string, string>? annotations) =>
        new() { Metadata = new V1ObjectMeta { Name = name, Annotations = annotations } };

    [Fact]
    public void Merge_patch_sets_what_the_node_has_and_removes_what_it_has_not()
    {
        var self = new NodeAttributes("n1", IPAddress.Parse("10.0.0.1"), null, BackendKind.HostGw, null);
        Assert.Equal(
            """{"metadata":{"annotations":{"cnisharp.io/backend":"host-gw","cnisharp.io/public-ipv4":"10.0.0.1","cnisharp.io/public-ipv6":null,"cnisharp.io/vtep-mac":null}}}""",
            NodeAnnotations.MergePatch(self));
    }

    [Fact]
    public void Removal_patch_nulls_every_annotation_of_ours()
    {
        Assert.Equal(
            """{"metadata":{"annotations":{"cnisharp.io/backend":null,"cnisharp.io/public-ipv4":null,"cnisharp.io/public-ipv6":null,"cnisharp.io/vtep-mac":null}}}""",
            NodeAnnotations.RemovalPatch());
    }

    [Fact]
    public void Published_attributes_read_back()
    {
        var self = new NodeAttributes("n2", IPAddress.Parse("10.0.0.2"), IPAddress.Parse("fd00::2"), BackendKind.Vxlan,
            PhysicalAddress.Parse("02-11-22-33-44-55"));
        V1Node node = Node("n2", NodeAnnotations.For(self).Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value!));
        Assert.True(NodeAnnotations.Carries(node, self));
        Assert.Equal(self, NodeAnnotations.TryRead(node, out string? error));
        Assert.Null(error);
        Assert.False(NodeAnnotations.Carries(node, self with { Backend = BackendKind.CrossSubnet }));
        Assert.False(NodeAnnotations.Carries(node, self with { PublicIPv6 = null }));
    }

    [Fact]
    public void A_node_without_our_annotations_is_not_a_peer_yet_and_no_error()
    {
        Assert.Null(NodeAnnotations.TryRead(Node("n3", null), out string? error));
        Assert.Null(error);
        Assert.Null(NodeAnnotations.TryRead(Node("n3", new() { ["other.io/x"] = "y" }), out error));
        Assert.Null(error);
        Assert.False(NodeAnnotations.Any(Node("n3", new() { ["other.io/x"] = "y" })));
        Assert.True(NodeAnnotations.Any(Node("n3", new() { [NodeAnnotations.PublicIPv4] = "10.0.0.3" })));
    }

    [Theory]
    [InlineData("ipip", "10.0.0.3", null, null, "is no backend")]
    [InlineData("host-gw", "fd00::3", null, null, "is not an IPv4 address")]
    [InlineData("host-gw", null, "10.0.0.3", null, "is not an IPv6 address")]
    [InlineData("host-gw", null, null, null, "neither")]
    [InlineData("vxlan", "10.0.0.3", null, null, "without cnisharp.io/vtep-mac")]
    [InlineData("vxlan", "10.0.0.3", null, "02:11:22", "is not a MAC address")]
    public void Unreadable_annotations_are_reported(string backend, string? v4, string? v6, string? mac, string expected)
    {
        var annotations = new Dictionary<string, string> { [NodeAnnotations.Backend] = backend };
        if (v4 is not null) annotations[NodeAnnotations.PublicIPv4] = v4;
        if (v6 is not null) annotations[NodeAnnotations.PublicIPv6] = v6;
        if (mac is not null) annotations[NodeAnnotations.VtepMac] = mac;
        Assert.Null(NodeAnnotations.TryRead(Node("n4", annotations), out string? error));
        Assert.Contains(expected, error);
    }
}
