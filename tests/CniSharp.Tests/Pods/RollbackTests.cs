using CniSharp.Pods;

namespace CniSharp.Tests.Pods;

public class RollbackTests
{
    [Fact]
    public void Run_UndoesNewestFirst_AndKeepsGoingPastAFailure()
    {
        var order = new List<string>();
        var rollback = new Rollback();
        rollback.Add("bridge", () => order.Add("bridge"));
        rollback.Add("veth", () => throw new InvalidOperationException("gone"));
        rollback.Add("ipam", () => order.Add("ipam"));

        rollback.Run();

        Assert.Equal(["ipam", "bridge"], order);
    }

    [Fact]
    public void Run_IsOneShot()
    {
        int runs = 0;
        var rollback = new Rollback();
        rollback.Add("x", () => runs++);
        rollback.Run();
        rollback.Run();
        Assert.Equal(1, runs);
    }
}
