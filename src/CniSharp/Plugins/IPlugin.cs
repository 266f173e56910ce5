using System.Text.Json;
using CniSharp.Cni;

namespace CniSharp.Plugins;

/// <summary>One plugin type CniSharp serves. The host picks it, calls one verb, and prints what it returns.</summary>
internal interface IPlugin
{
    /// <summary>The type name operators put in a conflist and the entry-point name in the bin dir.</summary>
    string Type { get; }

    /// <summary>Returns the result to print (in the request's cniVersion).</summary>
    CniResult Add(PluginRequest request);

    void Del(PluginRequest request);

    void Check(PluginRequest request);

    void Status(PluginRequest request);

    void Gc(PluginRequest request);
}

/// <summary>One request: the invocation, the whole config document and its common fields.</summary>
internal sealed record PluginRequest(CniArgs Args, JsonElement Config, NetConf Conf);
