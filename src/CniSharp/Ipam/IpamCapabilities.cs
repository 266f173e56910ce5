namespace CniSharp.Ipam;

/// <summary>An IPAM that can answer STATUS (spec 1.1): throws code 50 when it cannot serve an ADD.</summary>
internal interface IStatusCapable
{
    void Status(IpamRequest request);
}

/// <summary>An IPAM that can collect garbage (spec 1.1): releases what cni.dev/valid-attachments does not list.</summary>
internal interface IGcCapable
{
    void Gc(IpamRequest request);
}
