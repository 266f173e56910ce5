# shellcheck shell=bash
# The caller sets the variables named below before sourcing:
# shellcheck disable=SC2154,SC2034,SC2119,SC2120,SC2004
# BGP on the simulated cluster of agent-cluster.sh (source that first): the agents' BIRDs (one per node, under
# the node's --state-dir) and the test's own BIRDs, each in a namespace of the run: a ToR on brA (eBGP, AS 65000)
# and a route reflector on the router (iBGP, the cluster's AS). The test writes those two configurations
# itself. Used by scripts/e2e/bgp.sh and scripts/bench-bgp.sh. Every BIRD started here is this shell's child,
# in "pids", stopped by PID.

readonly CLUSTER_AS=64512
readonly TOR_IP=198.51.100.254 TOR_AS=65000
readonly RR_IP_A=198.51.100.1 RR_IP_B=203.0.113.1 RR_IP6_A=2001:db8:100::1 RR_IP6_B=2001:db8:113::1

# ---- the agents' BIRDs ---------------------------------------------------------------------------
node_birdc() { local node="$1"; shift; in_ns "$(ns_of "$node")" birdc -s "$(node_dir "$node")/state/bird.ctl" "$@" </dev/null; }
node_bird_pid() { cat "$(node_dir "$1")/state/bird.pid" 2>/dev/null || true; }
bird_route_to() { in_ns "$(ns_of "$1")" ip route show proto bird "$2"; }
bird_route6_to() { in_ns "$(ns_of "$1")" ip -6 route show proto bird "$2"; }
has_bird_route() { [[ -n "$(bird_route_to "$1" "$2")" ]]; }

# session_state NODE NAME: BIRD's "State Info" of one session ("up Established", "start Active ..."), or nothing.
session_state() { node_birdc "$1" show protocols "$2" 2>/dev/null | awk -v n="$2" '$1 == n { $1 = $2 = $3 = $5 = ""; print }' | xargs; }
established() { [[ "$(session_state "$1" "$2")" == "up Established"* ]]; }

# recovered NODE: the node's BIRD is out of graceful-restart recovery and no peer of it is still in one.
recovered() {
    ! node_birdc "$1" show status | grep -q "Graceful restart recovery in progress" \
        && ! node_birdc "$1" show protocols all | grep -q "Neighbor graceful restart active"
}

# bgp_sessions NODE: the node's BGP session names, sorted, one line.
bgp_sessions() { node_birdc "$1" show protocols 2>/dev/null | awk '$2 == "BGP" { print $1 }' | sort | xargs; }

# import_counts NODE SESSION: "received rejected filtered ignored accepted" import updates of a session.
import_counts() {
    node_birdc "$1" show protocols all "$2" | awk '/Import updates:/ { print $3, $4, $5, $6, $7; exit }'
}

# a_bird_of_the_run_runs: true while any BIRD serves a control socket under this run's work dir.
a_bird_of_the_run_runs() {
    local pid
    for pid in $(pgrep -x bird || true); do
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-s $work_dir/" && return 0
    done
    return 1
}

# ---- the test's own BIRDs ------------------------------------------------------------------------
test_bird_dir() { echo "$work_dir/bird-$1"; }
test_birdc() { local name="$1" ns="$2"; shift 2; in_ns "$ns" birdc -s "$(test_bird_dir "$name")/bird.ctl" "$@" </dev/null; }

# start_test_bird NAME NAMESPACE CONFIG: checks the configuration (bird -p), starts BIRD in the foreground as this
# shell's child, waits for its control socket.
start_test_bird() {
    local name="$1" ns="$2" dir
    dir="$(test_bird_dir "$name")"
    mkdir -p "$dir"
    printf '%s\n' "$3" >"$dir/bird.conf"
    bird -p -c "$dir/bird.conf" || return 1
    nsenter --net="/run/netns/$ns" bird -f -c "$dir/bird.conf" -s "$dir/bird.ctl" -P "$dir/bird.pid" >>"$dir/bird.out" 2>&1 &
    pids+=("$!")
    echo "$!" >"$dir/pid"
    for _ in $(seq 100); do
        [[ -S "$dir/bird.ctl" ]] && return 0
        sleep 0.02
    done
    return 1
}

# reconfigure_test_bird NAME NAMESPACE CONFIG: a new configuration for a running test BIRD.
reconfigure_test_bird() {
    local dir
    dir="$(test_bird_dir "$1")"
    printf '%s\n' "$3" >"$dir/bird.conf"
    test_birdc "$1" "$2" configure | grep -q Reconfigured
}

stop_test_bird() {
    local pid
    pid="$(cat "$(test_bird_dir "$1")/pid" 2>/dev/null)" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$(test_bird_dir "$1")/pid"
}

# ---- a ToR: its own namespace on brA, eBGP to every node ------------------------------------------
add_tor() {
    local r ns
    r="$(ns_of router)" ns="$(ns_of tor)"
    ip netns add "$ns"
    in_ns "$ns" ip link set lo up
    ip link add eth0 netns "$ns" type veth peer name tor netns "$r"
    in_ns "$r" ip link set tor master brA up
    in_ns "$ns" ip addr add "$TOR_IP/24" dev eth0
    in_ns "$ns" ip link set eth0 up
    # The nodes behind the router are multihop eBGP peers.
    in_ns "$ns" ip route add 203.0.113.0/24 via 198.51.100.1
}

# tor_config PREFIX...: the ToR peers with every node in UNDERLAY and announces PREFIX... (the suite's bogus
# announcements) from a static protocol; it accepts everything, so what it learned shows what the nodes sent.
tor_config() {
    local node ip prefix
    cat <<CONF
log "$(test_bird_dir tor)/bird.log" all;
router id $TOR_IP;
protocol device { }
protocol static bogus {
    ipv4;
CONF
    for prefix in "$@"; do echo "    route $prefix blackhole;"; done
    cat <<CONF
}
template bgp node {
    local $TOR_IP as $TOR_AS;
    connect delay time 0; connect retry time 1;
    ipv4 { import all; export all; };
}
CONF
    for node in "${!UNDERLAY[@]}"; do
        ip="${UNDERLAY[$node]}"
        if [[ "$ip" == 198.51.100.* ]]; then
            echo "protocol bgp $node from node { neighbor $ip as $CLUSTER_AS; }"
        else
            echo "protocol bgp $node from node { neighbor $ip as $CLUSTER_AS; multihop; }"
        fi
    done
}

# ---- a route reflector on the router ---------------------------------------------------------------
# rr_config PREFIX...: iBGP route reflector for every node in UNDERLAY, IPv4 and IPv6, each from the router's
# address on the node's own subnet; the routes it learns go into the router's routing table (that is how the
# router forwards between the subnets); it also announces PREFIX... (bogus) to every client.
rr_config() {
    local node ip ip6 local4 local6 prefix
    cat <<CONF
log "$(test_bird_dir rr)/bird.log" all;
router id $RR_IP_A;
protocol device { }
protocol kernel { ipv4 { import none; export where source = RTS_BGP; }; }
protocol kernel { ipv6 { import none; export where source = RTS_BGP; }; }
protocol static bogus {
    ipv4;
CONF
    for prefix in "$@"; do echo "    route $prefix blackhole;"; done
    cat <<CONF
}
template bgp rrclient {
    rr client; rr cluster id $RR_IP_A; direct;
    ${RR_TIMERS:-connect delay time 0; connect retry time 1;}
}
CONF
    for node in "${!UNDERLAY[@]}"; do
        ip="${UNDERLAY[$node]}" ip6="$(underlay6 "$node")"
        if [[ "$ip" == 198.51.100.* ]]; then local4=$RR_IP_A local6=$RR_IP6_A; else local4=$RR_IP_B local6=$RR_IP6_B; fi
        echo "protocol bgp ${node}_4 from rrclient { local $local4 as $CLUSTER_AS; neighbor $ip as $CLUSTER_AS; ipv4 { import all; export all; }; }"
        echo "protocol bgp ${node}_6 from rrclient { local $local6 as $CLUSTER_AS; neighbor $ip6 as $CLUSTER_AS; ipv6 { import all; export all; }; }"
    done
}

# rr_of NODE: the route reflector addresses a node peers with (the router's, on the node's own subnet).
rr_of() { if [[ "${UNDERLAY[$1]}" == 198.51.100.* ]]; then echo "$RR_IP_A,$RR_IP6_A"; else echo "$RR_IP_B,$RR_IP6_B"; fi; }

# ---- the benchmark's BGP variants (scripts/bench-agent.sh --backends bgp-...) ----------------------
# The timers BIRD 2 uses when a configuration says nothing, as agent flags.
readonly BIRD_DEFAULT_TIMERS="--bgp-connect-delay 5s --bgp-connect-retry 120s --bgp-hold-time 240s --bgp-keepalive 80s --bgp-graceful-restart 120s"

# bgp_variant LABEL: bgp-mesh, bgp-reflector, each also as ...-bird-defaults. Sets AGENT_ARGS and AGENT_NODE_ARGS
# (every node in UNDERLAY), VARIANT_EXISTING (the nodes already running when n2 joins: a mesh on n2's subnet,
# since plain routes cannot cross a router that does not peer; reflector nodes on both subnets) and
# VARIANT_CLEAR (more namespaces that must have no route to a departed node). The reflector variants start the
# reflector on the router, with BIRD's default timers or tuned ones, and without graceful restart: it must
# withdraw a node that left at once, or the next run would find its routes already there.
bgp_variant() {
    local node timers=""
    [[ "$1" == *-bird-defaults ]] && timers="$BIRD_DEFAULT_TIMERS"
    read -r -a AGENT_ARGS <<<"$timers"
    VARIANT_CLEAR=""
    case "${1%-bird-defaults}" in
        bgp-mesh) VARIANT_EXISTING=(n1 n3) ;;
        bgp-reflector)
            VARIANT_EXISTING=(n1 n4) VARIANT_CLEAR=router
            for node in "${!UNDERLAY[@]}"; do AGENT_NODE_ARGS[$node]="--bgp-mode reflector --bgp-route-reflectors $(rr_of "$node")"; done
            if [[ -n "$timers" ]]; then RR_TIMERS="graceful restart off;"; else RR_TIMERS="connect delay time 0; connect retry time 2; graceful restart off;"; fi
            start_test_bird rr "$(ns_of router)" "$(rr_config)" || return 1
            ;;
        *) echo "bgp_variant: unknown variant $1 (bgp-mesh, bgp-reflector, each also -bird-defaults)" >&2; return 1 ;;
    esac
}

bgp_variant_done() {
    stop_test_bird rr
    AGENT_ARGS=()
    local node
    for node in "${!AGENT_NODE_ARGS[@]}"; do unset "AGENT_NODE_ARGS[$node]"; done
}
