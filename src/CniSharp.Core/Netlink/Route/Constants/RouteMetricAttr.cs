namespace CniSharp.Netlink.Route;

/// <summary>RTAX_* route metrics nested in RTA_METRICS (linux/rtnetlink.h), each a u32.</summary>
internal enum RouteMetricAttr : ushort
{
    Lock = 1,          // RTAX_LOCK
    Mtu = 2,           // RTAX_MTU
    Window = 3,        // RTAX_WINDOW
    Rtt = 4,           // RTAX_RTT
    RttVar = 5,        // RTAX_RTTVAR
    SsThresh = 6,      // RTAX_SSTHRESH
    Cwnd = 7,          // RTAX_CWND
    AdvMss = 8,        // RTAX_ADVMSS
}
