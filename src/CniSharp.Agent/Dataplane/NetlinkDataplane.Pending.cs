using CniSharp.Ip;

namespace CniSharp.Agent.Dataplane;

// WIP: the VXLAN link, neighbour, FDB and protocol-tagged route verbs come with the netlink core refactor
// (helper "netcore"); this file goes away when they land.
internal sealed partial class NetlinkDataplane
{
    public VxlanDevice? FindVxlan(string name) => throw new NotImplementedException();
    public VxlanDevice CreateVxlan(VxlanSpec spec) => throw new NotImplementedException();
    public IReadOnlyList<AgentRoute> ListRoutes() => throw new NotImplementedException();
    public void ReplaceRoute(AgentRoute route) => throw new NotImplementedException();
    public void DeleteRoute(AgentRoute route) => throw new NotImplementedException();
    public IReadOnlyList<NeighbourEntry> ListNeighbours(int index) => throw new NotImplementedException();
    public void ReplaceNeighbour(NeighbourEntry neighbour) => throw new NotImplementedException();
    public void DeleteNeighbour(NeighbourEntry neighbour) => throw new NotImplementedException();
    public IReadOnlyList<FdbEntry> ListFdb(int index) => throw new NotImplementedException();
    public void AppendFdb(FdbEntry entry) => throw new NotImplementedException();
    public void DeleteFdb(FdbEntry entry) => throw new NotImplementedException();
}
