namespace CniSharp.Agent.Cli;

internal static class Usage
{
    public const string Text = """
        Usage: cnisharp-agent --node-name NAME --datastore etcd|kubernetes --backend host-gw|vxlan|crosssubnet|bgp [options]
               cnisharp-agent leave --node-name NAME --datastore etcd|kubernetes [datastore options] [--state-dir DIR]
               cnisharp-agent status [--state-dir DIR] [--birdc-bin PATH]

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
          --backend host-gw|vxlan|crosssubnet|bgp
                                       host-gw: podCIDR via the peer's underlay address (peers must be on-link);
                                       vxlan: device cnisharp.1 (VNI 1, UDP 8472, learning off, MTU uplink-50);
                                       crosssubnet: direct routes to peers on the underlay subnet, VXLAN to the rest;
                                       bgp: pod routes exchanged by BGP, through a BIRD the agent runs (below).
                                       (ipip is not available: this kernel has no ipip.)
          --iface NAME | --public-ip IP
                                       the underlay (default: the interface of the default route)

        BGP (--backend bgp; BIRD 2 configured from the datastore, checked with bird -p, files under --state-dir):
          --bgp-as N                   the cluster's AS, every node's (default 64512)
          --bgp-mode mesh|reflector    mesh: every BGP node peers with every other (default);
                                       reflector: nodes peer only with --bgp-route-reflectors; a node whose
                                       underlay address is listed reflects for all the others (per family)
          --bgp-route-reflectors IP[,IP]
          --bgp-peers IP:AS[,IP:AS]    external peers (a ToR); IPv6 as [IP]:AS. They get this node's pod subnets
                                       and may announce only pod subnets leased to other nodes
          --bgp-crosssubnet            peers on another underlay subnet over the VXLAN device, the rest direct
                                       (default: plain routes via the announcing node, through a router that peers)
          --bgp-connect-delay DUR      first connect attempt after a session starts (default 0s; BIRD's is 5s)
          --bgp-connect-retry DUR      between failed connect attempts (default 2s; BIRD's is 120s)
          --bgp-hold-time DUR          a silent peer is down after this, 0 or >= 3s (default 9s; BIRD's is 240s)
          --bgp-keepalive DUR          (default hold time / 3)
          --bgp-graceful-restart DUR|off
                                       how long peers keep this node's routes while BIRD restarts (default 30s)
          --bgp-bfd DUR|off            BFD with this interval (e.g. 300ms), down after --bgp-bfd-multiplier (3)
                                       missed packets (default off)
          --bird-bin PATH, --birdc-bin PATH
                                       default: bird and birdc from PATH (then /usr/sbin)
          --bird-keep-on-exit          leave BIRD running when the agent exits, for the next agent to adopt
                                       (upgrades without a route flap); otherwise it stops in graceful-restart mode

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

        'status' prints the BGP peers of the BIRD under --state-dir and their states (calicoctl node status).
        'leave --state-dir DIR' also stops a BIRD kept running there.

        Exit status: 0 stopped by a signal (or leave done), 1 runtime failure, 2 bad command line.
        """;
}
