namespace CniSharp.Agent.Datastore;

/// <summary>The datastore could not give what was asked (a subnet, a lease), with an operator-readable reason.</summary>
internal class SubnetStoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The node's lease is gone (expired or revoked): its subnets must be acquired again.</summary>
internal sealed class SubnetLeaseLostException(string message) : SubnetStoreException(message);
