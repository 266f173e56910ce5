#!/usr/bin/env bash
# End-to-end: cnisharp-agent --backend bgp on the simulated cluster, a BIRD per node, with a real etcd.
set -euo pipefail
# Functions passed to wait_for by name look unreachable to shellcheck.
# shellcheck disable=SC2317

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT

usage() {
    cat <<'USAGE'
Usage: sudo scripts/e2e/bgp.sh [-h|--help]

The agent suite's cluster (scripts/lib/agent-cluster.sh: a router namespace with brA
198.51.100.0/24 and brB 203.0.113.0/24, n1 and n2 on brA, n3 on brB, a private etcd, one
cnisharp-agent per node, dual-stack pods through the written conflist) with --backend bgp: each
agent runs its node's BIRD (Debian bird2) under its --state-dir. The suite adds its own BIRDs
(scripts/lib/bgp-cluster.sh): a ToR namespace on brA (eBGP, AS 65000) and, later, a route
reflector on the router.

Cases:
  - full mesh: the rendered configuration passes bird -p; sessions established; pods on one subnet
    reach each other over BIRD's routes (next hop = the peer's underlay address), both families
  - the ToR learns every node's pod subnet; what it announces that is not a pod subnet leased to
    another node (192.0.2.0/24, an unleased cluster subnet, a longer prefix of a leased one, the
    node's own subnet) is filtered on import and never reaches a kernel
  - status, /healthz and /metrics show the sessions
  - a deleted BIRD route is back within the kernel scan; BIRD killed (SIGKILL) is started again and
    its routes return; an agent restart loses no packet (graceful restart)
  - --bird-keep-on-exit: BIRD outlives the agent and the next agent adopts it; 'leave --state-dir'
    then withdraws the node everywhere (nodes and ToR) and stops that BIRD
  - route reflector on the router: the router's routing table has every pod subnet (learned by BGP),
    pods on both subnets reach each other through it, nodes run no mesh, bogus routes refused
  - a node as route reflector: the other nodes learn each other's subnets through it only
  - --bgp-crosssubnet: same-subnet peers by BIRD's plain routes, the other subnet over VXLAN;
    with --bgp-bfd, a BFD session per peer
  - switching a node to host-gw stops its BIRD and removes BIRD's routes
  - nothing left: no BIRD of the run survives it

Prints "E2E PASS <case>", "E2E FAIL <case>: <why>" or "E2E SKIP <case>: <why>"; exits non-zero if
any case failed. Needs root, etcd and bird2 (install-deps.sh) and a build (scripts/build.sh).

Environment: CNISHARP_BIN_DIR, CNISHARP_AGENT_BIN, AGENT_E2E_PLUGIN, AGENT_E2E_KEEP as for
scripts/e2e/agent.sh.
USAGE
}

case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") ;;
    *) echo "bgp.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac

pass() { echo "E2E PASS $1"; }
fail() { echo "E2E FAIL $1: $2"; failures=$((failures + 1)); }
skip() { echo "E2E SKIP $1: $2"; }
note() { echo "bgp.sh: $*"; }
failures=0

AGENT_ARGS=()
declare -A AGENT_NODE_ARGS=()
# shellcheck source-path=SCRIPTDIR source=../lib/agent-cluster.sh
source "$REPO_ROOT/scripts/lib/agent-cluster.sh"
# shellcheck source-path=SCRIPTDIR source=../lib/bgp-cluster.sh
source "$REPO_ROOT/scripts/lib/bgp-cluster.sh"
cluster_prerequisites bgp etcd etcdctl bird birdc
plugin="${AGENT_E2E_PLUGIN:-}"
if [[ -z "$plugin" ]]; then
    if [[ -x "$bin_dir/cnisharp-ptp" ]]; then plugin=ptp; else plugin=bridge; fi
fi
readonly bin_dir agent_bin plugin

run_id="$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')"
readonly run_id
work_dir="$(mktemp -d /tmp/cnisharp-e2e-bgp.XXXXXX)"
readonly work_dir
NODES=(n1 n2 n3)
declare -A UNDERLAY=([n1]=198.51.100.11 [n2]=198.51.100.12 [n3]=203.0.113.13)
readonly AGENT_TOOLS="$REPO_ROOT/scripts/e2e/agent"
trap agent_cluster_cleanup EXIT

check_pairs() {
    local bad
    bad="$(pairs_failing "$2" "${3:-4 6}")"
    if [[ -z "$bad" ]]; then pass "$1"; else fail "$1" "$bad"; fi
}

# restart_all ARGS...: every node's agent again, with --backend bgp and ARGS.
restart_all() {
    stop_all || true
    AGENT_ARGS=("$@")
    start_all bgp
}

all_established() {
    local node name
    for node in "${NODES[@]}"; do
        for name in $(bgp_sessions "$node"); do established "$node" "$name" || return 1; done
        [[ -n "$(bgp_sessions "$node")" ]] || return 1
    done
}

note "run $run_id: plugin $plugin, agent $agent_bin, work dir $work_dir"
setup_topology
add_tor
start_etcd || { fail bgp-setup "etcd did not start"; exit 1; }
start_test_bird tor "$(ns_of tor)" "$(tor_config 192.0.2.0/24 10.250.201.0/24)" || { fail bgp-setup "the ToR's BIRD did not start"; exit 1; }

# ---- full mesh, with the ToR as external peer ----
AGENT_ARGS=(--bgp-peers "$TOR_IP:$TOR_AS")
if ! start_all bgp; then fail bgp-mesh-start "agents not healthy"; exit 1; fi
make_pods || { fail bgp-mesh-pods "pod ADD through the agent's conflist failed"; exit 1; }
s1="$(subnet_of n1)" s2="$(subnet_of n2)" s3="$(subnet_of n3)" s2v6="$(subnet_of n2 6)"
note "subnets: n1 $s1, n2 $s2, n3 $s3; pods n1p=${POD_IP[n1p]} n2p=${POD_IP[n2p]} n3p=${POD_IP[n3p]}"

conf="$(node_dir n1)/state/bird.conf"
if bird -p -c "$conf" && grep -q "^router id 198.51.100.11;" "$conf" \
    && grep -q "if net = $s2 then { if bgp_next_hop = 198.51.100.12 then accept; reject; }" "$conf" \
    && grep -q "route $s1 unreachable;" "$conf" && [[ ! -e "$conf.new" ]]; then
    pass bgp-config-rendered-and-checked
else
    fail bgp-config-rendered-and-checked "$(bird -p -c "$conf" 2>&1 | head -3); see $conf"
fi

if took="$(wait_for 10 all_established)"; then
    pass bgp-mesh-sessions; note "mesh: every session established ${took}s after the agents were healthy"
else
    fail bgp-mesh-sessions "n1: $(bgp_sessions n1 | tr ' ' '\n' | while read -r s; do echo -n "$s=$(session_state n1 "$s"); "; done)"
fi
want_sessions="mesh_198_51_100_12 mesh_2001_db8_100__12 mesh_2001_db8_113__13 mesh_203_0_113_13 peer_198_51_100_254"
[[ "$(bgp_sessions n1)" == "$want_sessions" ]] || fail bgp-mesh-sessions "n1 has sessions '$(bgp_sessions n1)', want '$want_sessions'"

if [[ "$(bird_route_to n1 "$s2")" == *"via 198.51.100.12 dev eth0"* && "$(bird_route6_to n1 "$s2v6")" == *"via 2001:db8:100::12 dev eth0"* \
    && "$(bird_route_to n2 "$s1")" == *"via 198.51.100.11 dev eth0"* && -z "$(agent_routes n1)" ]]; then
    pass bgp-mesh-plain-routes
else
    fail bgp-mesh-plain-routes "n1: '$(bird_route_to n1 "$s2")' '$(bird_route6_to n1 "$s2v6")', agent's own: '$(agent_routes n1)'"
fi
check_pairs bgp-mesh-pods-reach "n1p>n2p n2p>n1p"
# n3 is behind the router, which does not peer yet: its route resolves via the router, which knows no pods.
if [[ "$(bird_route_to n1 "$s3")" == *"via 198.51.100.1 dev eth0"* && -z "$(reach n1p n3p 0.5)" ]]; then
    pass bgp-mesh-cross-subnet-needs-a-peering-router
else
    fail bgp-mesh-cross-subnet-needs-a-peering-router "n1 route to $s3: '$(bird_route_to n1 "$s3")'"
fi

# ---- the ToR: learns every node's subnet; its bogus announcements are refused ----
tor_learned() {
    local node
    for node in n1 n2 n3; do
        test_birdc tor "$(ns_of tor)" show route protocol "$node" | grep -q "^$(subnet_of "$node") " || return 1
    done
}
if wait_for 10 tor_learned >/dev/null; then pass bgp-tor-learns-every-node; else fail bgp-tor-learns-every-node "$(test_birdc tor "$(ns_of tor)" show route)"; fi
s2_half="${s2%/*}/25"
reconfigure_test_bird tor "$(ns_of tor)" "$(tor_config 192.0.2.0/24 10.250.201.0/24 "$s2_half" "$s1")" || fail bgp-bogus-refused "ToR reconfigure failed"
bogus_filtered() { local c; c="$(import_counts n1 peer_198_51_100_254)"; [[ -n "$c" ]] && (( $(cut -d' ' -f3 <<<"$c") >= 4 )); }
wait_for 5 bogus_filtered >/dev/null || true
bad=""
for node in n1 n2 n3; do
    for prefix in 192.0.2.0/24 10.250.201.0/24 "$s2_half"; do
        [[ -z "$(in_ns "$(ns_of "$node")" ip route show "$prefix")" ]] || bad+=" $node has a route to $prefix;"
        [[ -z "$(node_birdc "$node" show route "$prefix" | grep -F "$prefix")" ]] || bad+=" $node's BIRD accepted $prefix;"
    done
done
counts="$(import_counts n1 peer_198_51_100_254)"
[[ "$(cut -d' ' -f5 <<<"$counts")" == 0 ]] || bad+=" n1 accepted something from the ToR (received rejected filtered ignored accepted: $counts);"
(( $(cut -d' ' -f3 <<<"$counts") >= 4 )) || bad+=" n1 filtered fewer than 4 ($counts);"
[[ "$(bird_route_to n2 "$s1")" == *"via 198.51.100.11 "* ]] || bad+=" n2's route to $s1 is '$(bird_route_to n2 "$s1")';"
if [[ -z "$bad" ]]; then pass bgp-bogus-refused; note "n1 from the ToR: received rejected filtered ignored accepted = $counts"; else fail bgp-bogus-refused "$bad"; fi

# ---- status, /healthz, /metrics ----
status_out="$(in_ns "$(ns_of n1)" "$agent_bin" status --state-dir "$(node_dir n1)/state" 2>&1)" && rc=0 || rc=$?
body="$(healthz n1)"
if [[ $rc -eq 0 && "$status_out" == *"BIRD is running"* && "$status_out" == *"| 198.51.100.12 "*"| node-to-node mesh | up "*"| Established "* \
    && "$status_out" == *"| 198.51.100.254 "*"| external "* && "$status_out" == *"IPv6 BGP status"*"2001:db8:100::12"* \
    && "$(json bgp.bird <<<"$body")" == running && "$(json bgp.sessions.0.bgpState <<<"$body")" == Established \
    && "$(json status <<<"$body")" == ok ]] \
    && metrics n1 | grep -q '^cnisharp_agent_bgp_session{peer="198.51.100.12",type="mesh",state="Established"} 1' \
    && metrics n1 | grep -q '^cnisharp_agent_bird_up 1'; then
    pass bgp-status-healthz-metrics
else
    fail bgp-status-healthz-metrics "status exit $rc: $status_out; healthz: $body"
fi

# ---- self-heal, BIRD killed, agent restart ----
in_ns "$(ns_of n1)" ip route del "$s2"
if took="$(wait_for 5 has_bird_route n1 "$s2")"; then
    pass bgp-route-self-heal; note "deleted BIRD route back after ${took}s"
else
    fail bgp-route-self-heal "route to $s2 not back within 5 s"
fi

old="$(node_bird_pid n2)"
kill -KILL "$old"
bird_back() {
    local pid
    pid="$(node_bird_pid n2)"
    [[ -n "$pid" && "$pid" != "$old" ]] && established n1 mesh_198_51_100_12 && established n2 mesh_198_51_100_11 \
        && [[ -n "$(bird_route_to n2 "$s1")" && -n "$(bird_route_to n1 "$s2")" ]]
}
if took="$(wait_for 10 bird_back)" && [[ -z "$(pairs_failing "n1p>n2p n2p>n1p" 4)" ]]; then
    pass bgp-bird-killed-comes-back; note "BIRD killed on n2: new BIRD $(node_bird_pid n2), sessions and routes back after ${took}s"
else
    fail bgp-bird-killed-comes-back "pid $old -> $(node_bird_pid n2); n1-n2 $(session_state n1 mesh_198_51_100_12); n2 route to $s1 '$(bird_route_to n2 "$s1")'"
fi
# The next restart must not fall into this one's graceful restart (End-of-RIB still awaited on either side).
for node in n1 n2 n3; do wait_for 10 recovered "$node" >/dev/null || note "$node still in graceful restart"; done

nsenter --net="/run/netns/$(ns_of n1p)" ping -q -i 0.05 -c 80 -W 1 "${POD_IP[n2p]}" >"$work_dir/ping.out" 2>&1 &
ping_pid=$!
pids+=("$ping_pid")
sleep 0.5
old="$(node_bird_pid n2)"
stop_agent n2 || true
gone_with_agent=false
a_bird_of_n2() { [[ -n "$(node_bird_pid n2)" ]]; }
a_bird_of_n2 || gone_with_agent=true
start_agent n2 bgp
wait_healthy n2 || true
wait "$ping_pid" || true
loss="$(grep -oE '[0-9.]+% packet loss' "$work_dir/ping.out" || echo "no ping summary")"
if [[ "$loss" == "0% packet loss" && $gone_with_agent == true && "$(node_bird_pid n2)" != "$old" ]]; then
    pass bgp-agent-restart-no-loss
else
    fail bgp-agent-restart-no-loss "ping: $loss; BIRD stopped with the agent: $gone_with_agent; pid $old -> $(node_bird_pid n2)"
fi

# ---- --bird-keep-on-exit, then leave --state-dir ----
AGENT_NODE_ARGS[n3]="--bird-keep-on-exit"
stop_agent n3 || true
start_agent n3 bgp
wait_healthy n3 || true
kept_pid="$(node_bird_pid n3)"
stop_agent n3 || true
if [[ -n "$kept_pid" && "$(node_bird_pid n3)" == "$kept_pid" && "$(cat "/proc/$kept_pid/comm" 2>/dev/null)" == bird ]]; then
    start_agent n3 bgp
    if wait_healthy n3 && [[ "$(node_bird_pid n3)" == "$kept_pid" ]] && grep -q "Adopted the running BIRD (pid $kept_pid)" "$(node_dir n3)/agent.log"; then
        pass bgp-keep-on-exit-adopted
    else
        fail bgp-keep-on-exit-adopted "BIRD pid $kept_pid -> $(node_bird_pid n3)"
    fi
    # Leave needs n3's sessions up: a BIRD still reconnecting says goodbye to no one, and the ToR would keep
    # n3's routes (stale, from the restart) for the graceful-restart time.
    n3_up() { established n3 peer_198_51_100_254 && established n3 mesh_198_51_100_11 && recovered n3; }
    wait_for 10 n3_up >/dev/null || note "n3's sessions not all up before leave"
    stop_agent n3 || true
else
    fail bgp-keep-on-exit-adopted "BIRD did not outlive the agent (pid '$kept_pid' -> '$(node_bird_pid n3)')"
fi
in_ns "$(ns_of n1)" "$agent_bin" leave --node-name n3 --datastore etcd --etcd-endpoints "$ETCD_URL" --etcd-prefix "$PREFIX" \
    --state-dir "$(node_dir n3)/state" >>"$work_dir/leave.log" 2>&1 || fail bgp-leave-withdraws "leave failed: $(tail -3 "$work_dir/leave.log")"
withdrawn() {
    [[ -z "$(bird_route_to n1 "$s3")" && -z "$(bird_route_to n2 "$s3")" ]] || return 1
    [[ "$(bgp_sessions n1)" != *203_0_113_13* ]] || return 1
    ! test_birdc tor "$(ns_of tor)" show route protocol n3 | grep -q "^$s3 " || return 1
    [[ -z "$(node_bird_pid n3)" && -z "$(in_ns "$(ns_of n3)" ip route show proto bird)" ]]
}
if took="$(wait_for 5 withdrawn)"; then
    pass bgp-leave-withdraws; note "leave: n3's routes gone from n1, n2 and the ToR, its BIRD stopped, after ${took}s"
else
    fail bgp-leave-withdraws "n1 '$(bird_route_to n1 "$s3")', n1 sessions '$(bgp_sessions n1)', ToR: $(test_birdc tor "$(ns_of tor)" show route protocol n3 | tail -n +2 | xargs), n3 BIRD '$(node_bird_pid n3)'"
fi
unset 'AGENT_NODE_ARGS[n3]'
stop_test_bird tor

# ---- route reflector on the router ----
stop_all || true
start_test_bird rr "$(ns_of router)" "$(rr_config 192.0.2.0/24 10.250.201.0/24)" || { fail bgp-rr-start "the reflector's BIRD did not start"; exit 1; }
for node in "${NODES[@]}"; do AGENT_NODE_ARGS[$node]="--bgp-mode reflector --bgp-route-reflectors $(rr_of "$node")"; done
if ! restart_all; then fail bgp-rr-start "agents not healthy"; exit 1; fi
s3="$(subnet_of n3)"
router_learned() {
    local routes
    routes="$(in_ns "$(ns_of router)" ip route show proto bird)"
    [[ "$routes" == *"$s1 via 198.51.100.11 dev brA"* && "$routes" == *"$s2 via 198.51.100.12 dev brA"* && "$routes" == *"$s3 via 203.0.113.13 dev brB"* ]]
}
if took="$(wait_for 10 router_learned)"; then
    pass bgp-rr-router-learned-pod-routes; note "router's table has every pod subnet ${took}s after the agents were healthy"
else
    fail bgp-rr-router-learned-pod-routes "router: $(in_ns "$(ns_of router)" ip route show proto bird | xargs)"
fi
check_pairs bgp-rr-pods-reach-through-router "n1p>n2p n2p>n1p n1p>n3p n3p>n1p n2p>n3p n3p>n2p"
if [[ "$(bgp_sessions n1)" == "rr_198_51_100_1 rr_2001_db8_100__1" && "$(bgp_sessions n3)" == "rr_2001_db8_113__1 rr_203_0_113_1" \
    && "$(bird_route_to n1 "$s3")" == *"via 198.51.100.1 dev eth0"* && "$(bird_route_to n1 "$s2")" == *"via 198.51.100.12 dev eth0"* ]]; then
    pass bgp-rr-sessions-and-routes
else
    fail bgp-rr-sessions-and-routes "n1 sessions '$(bgp_sessions n1)', n3 '$(bgp_sessions n3)', n1 to $s3 '$(bird_route_to n1 "$s3")'"
fi
bad=""
for node in n1 n2 n3; do
    for prefix in 192.0.2.0/24 10.250.201.0/24; do
        [[ -z "$(in_ns "$(ns_of "$node")" ip route show "$prefix")" ]] || bad+=" $node has a route to $prefix;"
    done
done
counts="$(import_counts n1 rr_198_51_100_1)"
(( $(cut -d' ' -f3 <<<"$counts") >= 2 )) || bad+=" n1 filtered fewer than 2 from the reflector ($counts);"
if [[ -z "$bad" ]]; then pass bgp-rr-bogus-refused; else fail bgp-rr-bogus-refused "$bad"; fi
stop_test_bird rr

# ---- a node as route reflector (n3); plain routes within brA through its reflection ----
for node in "${NODES[@]}"; do AGENT_NODE_ARGS[$node]="--bgp-mode reflector --bgp-route-reflectors ${UNDERLAY[n3]}"; done
if ! restart_all; then fail bgp-node-reflector "agents not healthy"; exit 1; fi
# Only an IPv4 reflector is listed: IPv4 sessions only.
reflected() {
    [[ "$(bgp_sessions n1)" == rr_203_0_113_13 && "$(bgp_sessions n3)" == "rrclient_198_51_100_11 rrclient_198_51_100_12" ]] \
        && established n1 rr_203_0_113_13 && [[ "$(bird_route_to n1 "$s2")" == *"via 198.51.100.12 dev eth0"* ]]
}
if wait_for 10 reflected >/dev/null && [[ -z "$(pairs_failing "n1p>n2p n2p>n1p" 4)" ]]; then
    pass bgp-node-reflector
else
    fail bgp-node-reflector "n1 sessions '$(bgp_sessions n1)', n3 '$(bgp_sessions n3)', n1 to $s2 '$(bird_route_to n1 "$s2")'"
fi
for node in "${NODES[@]}"; do unset "AGENT_NODE_ARGS[$node]"; done

# ---- crosssubnet (with BFD) ----
if ! restart_all --bgp-crosssubnet --bgp-bfd 200ms; then fail bgp-crosssubnet "agents not healthy"; exit 1; fi
wait_for 10 all_established >/dev/null || true
bfd_up() { [[ "$(node_birdc n1 show bfd sessions | grep -cE '^(198\.51\.100\.12|203\.0\.113\.13|2001:db8:100::12|2001:db8:113::13) .* Up ')" == 4 ]]; }
if wait_for 5 bfd_up >/dev/null && node_birdc n1 show bfd sessions | grep -q ' 0\.200 '; then
    pass bgp-bfd-sessions-up
else
    fail bgp-bfd-sessions-up "$(node_birdc n1 show bfd sessions | tail -n +2 | xargs)"
fi
check_pairs bgp-crosssubnet-pods-reach "n1p>n2p n2p>n1p n1p>n3p n3p>n1p n2p>n3p n3p>n2p"
tx0="$(vxlan_tx n1)"; reach n1p n2p >/dev/null; reach n1p n2p >/dev/null; tx1="$(vxlan_tx n1)"
reach n1p n3p >/dev/null; reach n1p n3p >/dev/null; tx2="$(vxlan_tx n1)"
if [[ "$(bird_route_to n1 "$s2")" == *"via 198.51.100.12 dev eth0"* && -z "$(bird_route_to n1 "$s3")" \
    && "$(route_to n1 "$s3")" == *"dev cnisharp.1"*"onlink"* && -z "$(route_to n1 "$s2")" \
    && -n "$(node_birdc n1 show route "$s3" | grep -F "$s3")" && "$tx1" == "$tx0" && $((tx2 - tx1)) -ge 2 ]]; then
    pass bgp-crosssubnet-path
else
    fail bgp-crosssubnet-path "n1 to $s2: bird '$(bird_route_to n1 "$s2")' agent '$(route_to n1 "$s2")'; to $s3: bird '$(bird_route_to n1 "$s3")' agent '$(route_to n1 "$s3")'; vxlan tx $tx0 -> $tx1 -> $tx2"
fi

# ---- n1 switches to host-gw: its BIRD goes, and BIRD's routes with it ----
stop_agent n1 || true
AGENT_ARGS=()
start_agent n1 host-gw
if wait_healthy n1 && [[ -z "$(node_bird_pid n1)" && -z "$(in_ns "$(ns_of n1)" ip route show proto bird)" \
    && "$(route_to n1 "$s2")" == *"via 198.51.100.12 dev eth0"* ]] && ! in_ns "$(ns_of n1)" ip link show cnisharp.1 >/dev/null 2>&1; then
    pass bgp-switch-to-host-gw-cleans-up
else
    fail bgp-switch-to-host-gw-cleans-up "BIRD '$(node_bird_pid n1)', bird routes '$(in_ns "$(ns_of n1)" ip route show proto bird | xargs)', agent route '$(route_to n1 "$s2")'"
fi

# ---- nothing left ----
stop_all || true
if a_bird_of_the_run_runs; then
    fail bgp-nothing-left "a BIRD of this run still runs: $(pgrep -a -x bird | grep -- "$work_dir")"
else
    pass bgp-nothing-left
fi
if ((failures > 0)); then
    for node in n1 n2 n3; do note "---- $node agent log (tail) ----"; tail -15 "$(node_dir "$node")/agent.log" || true; done
fi
exit $((failures > 0))
