namespace CniSharp.Agent.Cli;

internal static class Usage
{
    public const string Text = """
        Usage: cnisharp-agent --node-name NAME --datastore etcd|kubernetes --backend host-gw|vxlan|crosssubnet [options]
               cnisharp-agent leave --node-name NAME --datastore etcd|kubernetes [datastore options]

        The CniSharp node agent: leases this node's pod subnets, programs routes (and the VXLAN overlay) to every
        other node's pods, writes the CNI conflist the plugins read, and reports health. SIGTERM/SIGINT stop it
        and leave lease, conflist and dataplane in place (a restart within the lease TTL is invisible to peers);
        'leave' removes a node for good (etcd: revokes its lease; every peer then removes its routes).

        Datastore:
          --datastore etcd|kubernetes
          --etcd-endpoints URL[,URL]   etcd v3 endpoints (http://HOST:PORT)
          --etcd-prefix PREFIX         key prefix (default /cnisharp/network); a node's subnets are the keys
                                       PREFIX/subnets/<ip>-<len>, value {"node","publicIP","publicIPv6","backend","vtepMAC"},
                                       all on one lease
          --lease-ttl DURATION         etcd lease TTL, kept alive while running (default 60s)
          --kubeconfig FILE            kubernetes: default is the in-cluster service account

        Subnets:
          --cluster-cidr CIDR[,CIDR]   etcd: subnets are leased from these (one IPv4 and/or one IPv6);
                                       both: exempt from masquerade
          --subnet-size N[,M]          etcd: prefix length of a node's subnet, IPv4[,IPv6] (default 24,64)

        Dataplane:
          --backend host-gw|vxlan|crosssubnet
                                       host-gw: podCIDR via the peer's underlay address (peers must be on-link);
                                       vxlan: device cnisharp.1 (VNI 1, UDP 8472, learning off, MTU uplink-50);
                                       crosssubnet: direct routes to peers on the underlay subnet, VXLAN to the rest.
                                       (ipip is not available: this kernel has no ipip.)
          --iface NAME | --public-ip IP
                                       the underlay (default: the interface of the default route)

        CNI:
          --plugin bridge|ptp          main plugin of the conflist (default ptp)
          --cni-conf-dir DIR           writes DIR/10-cnisharp.conflist atomically once ready (default /etc/cni/net.d)
          --data-dir DIR               IPAM dataDir DIR/networks, attachment stateDir DIR/cnisharp (default /var/lib/cni)
          --state-dir DIR              the agent's own state and readiness file (default /run/cnisharp-agent)

        Operations:
          --health-addr HOST:PORT      /healthz (200 once synced, JSON body) and /metrics (Prometheus text)
          --log-format text|json       structured logs to stderr (default text)
          --verbose                    debug logs
          -h, --help                   this help
          --version                    the version

        Exit status: 0 stopped by a signal (or leave done), 1 runtime failure, 2 bad command line.
        """;
}
