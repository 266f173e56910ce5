using CniSharp.Agent.Datastore.Kubernetes;
using k8s.Models;

namespace CniSharp.Agent.Tests.Datastore.Kubernetes;

public class NetworkConditionTests
{
    [Fact]
    public void Up_patch_is_a_strategic_merge_of_one_condition()
    {
        Assert.Equal(
            """{"status":{"conditions":[{"type":"NetworkUnavailable","status":"False","reason":"CniSharpIsUp","message":"cnisharp-agent serves the pod network of this node","lastTransitionTime":"2026-01-02T03:04:05Z","lastHeartbeatTime":"2026-01-02T03:04:05Z"}]}}""",
            NetworkCondition.UpPatch(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));
    }

    [Fact]
    public void Only_our_False_condition_counts_as_up()
    {
        static V1Node With(string status, string reason) => new()
        {
            Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "NetworkUnavailable", Status = status, Reason = reason }] },
        };
        Assert.True(NetworkCondition.IsUp(With("False", "CniSharpIsUp")));
        Assert.False(NetworkCondition.IsUp(With("True", "NoRouteCreated")));
        Assert.False(NetworkCondition.IsUp(With("False", "FlannelIsUp")));
        Assert.False(NetworkCondition.IsUp(new V1Node()));
    }
}
