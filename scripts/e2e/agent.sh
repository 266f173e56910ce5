#!/usr/bin/env bash
# End-to-end: cnisharp-agent on a simulated cluster on one machine, with a real etcd.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly SUITE_DIR="$REPO_ROOT/scripts/e2e/agent"

usage() {
    cat <<'USAGE'
Usage: sudo scripts/e2e/agent.sh [-h|--help]

Builds a three-node cluster out of network namespaces (all names unique to the run):

  router   bridges brA 198.51.100.1/24 + 2001:db8:100::1/64 and brB 203.0.113.1/24 +
           2001:db8:113::1/64, forwarding; runs a private etcd (Debian etcd-server) on
           198.51.100.1, data dir in the run's temp dir
  n1, n2   on brA (198.51.100.11, .12)        n3   on brB (203.0.113.13)
           (IPv6 alike: 2001:db8:100::11, ::12, 2001:db8:113::13)

Dual stack throughout: cluster CIDRs 10.250.0.0/16 and fd00:10:250::/48, every pod gets an
IPv4 and an IPv6 address, and every reachability check is made in both families.

and one cnisharp-agent per node, inside the node's namespace (nsenter --net), with its
conflist, data and state dirs in the run's temp dir. Pods are namespaces added through the
conflist each agent wrote (scripts/lib/cnilib_cli.py, CNI_PATH = the built plugins). Each
pod runs a UDP echo that answers with the source address it saw.

Cases, for host-gw, then vxlan, then crosssubnet (each switch restarts the agents with the
new --backend, which must replace the previous backend's routes and devices):
  - every pod reaches every pod it should, seen with its own address (no NAT)
  - the expected path: host-gw routes via the peer's underlay address and no VXLAN device;
    vxlan counters on cnisharp.1 grow; crosssubnet direct on-link, VXLAN across (counters)
  - host-gw cannot reach the node behind the router: /healthz lists it in unreachablePeers
    and /metrics has its gauge
  - a deleted route (and FDB entry) is restored by the self-heal pass within 5 s
  - SIGTERM: the agent exits within 5 s and the dataplane stays; a restart under a running
    ping loses no packet and changes no route
  - 'cnisharp-agent leave' of a node: every other node drops its routes, neighbours and FDB
    entries, and its etcd keys are gone; a node killed without leaving departs when its lease
    expires (TTL 8 s here)
  - the etcd layout: <prefix>/subnets/<ip>-<len> with {"node","publicIP","backend","vtepMAC"}
  - the conflist: plugin, ranges = the node's subnets, MTU, dataDir/stateDir, readiness file
    refreshed within the last 5 s
  - masquerade: a pod reaching "outside" (a namespace on the router's brA, 198.51.100.50) is seen
    with its node's underlay address, IPv4 and IPv6, while pod-to-pod keeps the pod's own; a
    restarted agent adopts the node's nf_tables rule without rewriting it
  - --backend ipip exits 2 with the kernel's reason

Prints "E2E PASS <case>", "E2E FAIL <case>: <why>" or "E2E SKIP <case>: <why>"; exits
non-zero if any case failed. Needs root, etcd (install-deps.sh) and a build
(scripts/build.sh). Everything it starts is stopped by PID, everything it made is removed.

Environment:
  CNISHARP_BIN_DIR    dir holding cnisharp and its entry points (default: artifacts/cni/bin)
  CNISHARP_AGENT_BIN  the agent (default: artifacts/bin/cnisharp-agent)
  AGENT_E2E_PLUGIN    the conflist's plugin on every node, bridge or ptp (default: when the
                      built plugins have cnisharp-ptp, bridge on n1 and ptp on n2 and n3, so one
                      run covers both; else bridge everywhere)
  AGENT_E2E_KEEP      set: keep the run's temp dir (agent logs, etcd data) for a post-mortem
USAGE
}

case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") ;;
    *) echo "agent.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac

pass() { echo "E2E PASS $1"; }
fail() { echo "E2E FAIL $1: $2"; failures=$((failures + 1)); }
skip() { echo "E2E SKIP $1: $2"; }
note() { echo "agent.sh: $*"; }
failures=0

# shellcheck source-path=SCRIPTDIR source=../lib/agent-cluster.sh
source "$REPO_ROOT/scripts/lib/agent-cluster.sh"
cluster_prerequisites agent etcd etcdctl
plugin="${AGENT_E2E_PLUGIN:-}"
if [[ -z "$plugin" ]]; then
    if [[ -x "$bin_dir/cnisharp-ptp" ]]; then plugin=ptp; else plugin=bridge; fi
fi
readonly bin_dir agent_bin plugin

# ---- one run, unique names -----------------------------------------------------------------------
run_id="$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')"
readonly run_id
work_dir="$(mktemp -d /tmp/cnisharp-e2e-agent.XXXXXX)"
readonly work_dir
NODES=(n1 n2 n3)   # the nodes still in the cluster (n3 leaves near the end)
declare -A UNDERLAY=([n1]=198.51.100.11 [n2]=198.51.100.12 [n3]=203.0.113.13)
readonly AGENT_TOOLS="$SUITE_DIR"
trap agent_cluster_cleanup EXIT

# check_pairs CASE "src>dst ..." : each pair answers with src's own address, IPv4 and IPv6 (retried while converging).
check_pairs() {
    local bad
    bad="$(pairs_failing "$2")"
    if [[ -z "$bad" ]]; then pass "$1"; else fail "$1" "$bad"; fi
}

# ---- the cases ---------------------------------------------------------------------------------
# Both plugins in one cluster when ptp is built: n1's pods on a bridge, n2's and n3's routed (ptp).
if [[ -z "${AGENT_E2E_PLUGIN:-}" && "$plugin" == ptp ]]; then NODE_PLUGIN[n1]=bridge; fi
note "run $run_id: plugin $plugin${NODE_PLUGIN[n1]:+ (n1: ${NODE_PLUGIN[n1]})}, agent $agent_bin, work dir $work_dir"
setup_topology
start_etcd || { fail agent-setup "etcd did not start"; exit 1; }

# ipip: refused before anything is touched.
out="$("$agent_bin" --node-name x --datastore etcd --etcd-endpoints "$ETCD_URL" --cluster-cidr "$CLUSTER_CIDR" --backend ipip 2>&1)" && rc=0 || rc=$?
if [[ $rc -eq 2 && "$out" == *"no ipip"* ]]; then pass agent-ipip-refused; else fail agent-ipip-refused "exit $rc: $out"; fi

# ---- host-gw ----
if ! start_all host-gw; then fail agent-host-gw-start "agents not healthy"; exit 1; fi
if make_pods; then pass agent-pods-from-written-conflist; else fail agent-pods-from-written-conflist "pod ADD through the agent's conflist failed"; exit 1; fi
note "pods: n1p=${POD_IP[n1p]},${POD_IP6[n1p]} n2p=${POD_IP[n2p]},${POD_IP6[n2p]} n3p=${POD_IP[n3p]},${POD_IP6[n3p]}"

# etcd layout
layout_bad=""
for node in "${NODES[@]}"; do
    subnet="$(subnet_of "$node")" subnet6="$(subnet_of "$node" 6)"
    leases=()
    for s in "$subnet" "$subnet6"; do
        key="$PREFIX/subnets/${s/\//-}"
        value="$(etcdctl_ get "$key" --print-value-only)"
        [[ "$(json node <<<"$value")" == "$node" && "$(json publicIP <<<"$value")" == "${UNDERLAY[$node]}" \
            && "$(json publicIPv6 <<<"$value")" == "$(underlay6 "$node")" && "$(json backend <<<"$value")" == host-gw ]] \
            || layout_bad+=" $key=$value"
        leases+=("$(etcdctl_ get "$key" -w json | json kvs.0.lease)")
    done
    # One lease for all of a node's keys: they go together.
    [[ -n "${leases[0]}" && "${leases[0]}" != 0 && "${leases[0]}" == "${leases[1]}" ]] || layout_bad+=" $node's keys on leases ${leases[*]}"
    [[ "$subnet" == 10.250.*.0/24 && "$subnet6" == fd00:10:250:*::/64 ]] || layout_bad+=" $node holds '$subnet' '$subnet6'"
    [[ "${POD_IP[${node}p]}" == "${subnet%.*}".* ]] || layout_bad+=" pod ${POD_IP[${node}p]} not in $subnet"
    [[ "${POD_IP6[${node}p]}" == "${subnet6%::*}":* ]] || layout_bad+=" pod ${POD_IP6[${node}p]} not in $subnet6"
done
if [[ -z "$layout_bad" ]]; then pass agent-etcd-layout; else fail agent-etcd-layout "$layout_bad"; fi

# The conflist each agent wrote: its plugin, IPAM ranges = the node's subnets, MTU, the dirs it was given,
# and a readiness file the agent keeps fresh (the plugin's STATUS reads it).
conf_bad=""
for node in "${NODES[@]}"; do
    conf="$(node_dir "$node")/net.d/10-cnisharp.conflist"
    want_type="cnisharp-${NODE_PLUGIN[$node]:-$plugin}"
    ranges="$(json --len plugins.0.ipam.ranges <"$conf"): $(json plugins.0.ipam.ranges.0.0.subnet <"$conf") $(json plugins.0.ipam.ranges.1.0.subnet <"$conf")"
    ready="$(json plugins.0.readinessFile <"$conf")"
    [[ "$(json plugins.0.type <"$conf")" == "$want_type" && "$(json plugins.0.mtu <"$conf")" == 1500 \
        && "$(json plugins.0.ipMasq <"$conf")" == False && "$(json plugins.0.stateDir <"$conf")" == "$(node_dir "$node")/data/cnisharp" \
        && "$(json plugins.0.ipam.dataDir <"$conf")" == "$(node_dir "$node")/data/networks" \
        && "$ranges" == "2: $(subnet_of "$node") $(subnet_of "$node" 6)" ]] || conf_bad+=" $node: $(tr -d ' \n' <"$conf")"
    age=$(( $(date +%s) - $(stat -c %Y "$ready" 2>/dev/null || echo 0) ))
    [[ "$ready" == "$(node_dir "$node")/state/ready" ]] && ((age <= 5)) || conf_bad+=" $node: readiness file '$ready' ${age}s old"
    for f in "$(node_dir "$node")"/net.d/.*.tmp; do [[ -e "$f" ]] && conf_bad+=" $node: temp file $f left in net.d"; done
done
if [[ -z "$conf_bad" ]]; then pass agent-conflist-and-readiness; else fail agent-conflist-and-readiness "$conf_bad"; fi

check_pairs agent-host-gw-pods-reach "n1p>n2p n2p>n1p"

# Masquerade, once per node by the agent: leaving the cluster, a pod gets its node's underlay address (n3 is
# routed to the outside host through the router); pod-to-pod above kept the pod's own.
add_outside
masq_bad=""
for pod in n1p n2p n3p; do
    node="$(node_of_pod "$pod")"
    seen="$(reach_address "$pod" "$OUTSIDE_IP")"
    [[ "$seen" == "${UNDERLAY[$node]}" ]] || masq_bad+=" $pod->outside saw '${seen:-nothing}', want ${UNDERLAY[$node]}"
    seen="$(reach_address "$pod" "$OUTSIDE_IP6")"
    [[ "$seen" == "$(underlay6 "$node")" ]] || masq_bad+=" $pod->outside6 saw '${seen:-nothing}', want $(underlay6 "$node")"
done
if [[ -z "$masq_bad" ]]; then pass agent-masquerade-to-outside; else fail agent-masquerade-to-outside "${masq_bad# }; n1: $(in_ns "$(ns_of n1)" nft list chain inet cnisharp node-masq-postrouting 2>&1 | tr -s ' \n' ' ')"; fi
s2="$(subnet_of n2)" s3="$(subnet_of n3)" s2v6="$(subnet_of n2 6)" s3v6="$(subnet_of n3 6)"
if [[ "$(route_to n1 "$s2")" == *"via 198.51.100.12 dev eth0"* && "$(route6_to n1 "$s2v6")" == *"via 2001:db8:100::12 dev eth0"* ]] \
    && ! in_ns "$(ns_of n1)" ip link show cnisharp.1 >/dev/null 2>&1; then
    pass agent-host-gw-path
else
    fail agent-host-gw-path "n1: route '$(route_to n1 "$s2")' '$(route6_to n1 "$s2v6")', vxlan device $(in_ns "$(ns_of n1)" ip -br link show cnisharp.1 2>&1)"
fi
# n3 sits behind the router: host-gw cannot route to it, and says so.
body="$(healthz n1)"
seen="$(reach n1p n3p 0.6)$(reach6 n1p n3p 0.6)"
if [[ -z "$seen" && "$(json --len unreachablePeers <<<"$body")" == 2 && "$(json unreachablePeers.0.node <<<"$body")" == n3 && "$(json unreachablePeers.0.ip <<<"$body")" == 203.0.113.13 ]] \
    && metrics n1 | grep -q "^cnisharp_agent_unreachable_peer{node=\"n3\",ip=\"203.0.113.13\"" && [[ -z "$(route_to n1 "$s3")$(route6_to n1 "$s3v6")" ]]; then
    pass agent-host-gw-cross-subnet-reported
else
    fail agent-host-gw-cross-subnet-reported "reach '$seen', healthz $body"
fi
in_ns "$(ns_of n1)" ip route del "$s2"
if took="$(wait_for 5 has_route n1 "$s2")"; then
    pass agent-host-gw-self-heal; note "host-gw: deleted route back after ${took}s"
else
    fail agent-host-gw-self-heal "route to $s2 not back within 5 s"
fi

# ---- SIGTERM keeps the dataplane; switch to vxlan ----
before="$(agent_routes n1)"
if stop_all; then
    if [[ "$(agent_routes n1)" == "$before" && "$(reach n1p n2p)" == "${POD_IP[n1p]}" ]]; then
        pass agent-sigterm-keeps-dataplane; note "slowest SIGTERM exit ${STOP_MS} ms"
    else
        fail agent-sigterm-keeps-dataplane "routes or reachability changed after SIGTERM"
    fi
else
    fail agent-sigterm-keeps-dataplane "an agent did not exit cleanly within 5 s of SIGTERM"
fi
drop_pods
if ! start_all vxlan; then fail agent-vxlan-start "agents not healthy"; exit 1; fi
make_pods || { fail agent-vxlan-pods "pod ADD failed"; exit 1; }
mtu="$(json plugins.0.mtu <"$(node_dir n1)/net.d/10-cnisharp.conflist")"
if [[ "$mtu" == 1450 && "$(in_ns "$(ns_of n1)" ip -j link show cnisharp.1 | json 0.mtu)" == 1450 ]]; then pass agent-vxlan-mtu; else fail agent-vxlan-mtu "conflist mtu $mtu"; fi
check_pairs agent-vxlan-pods-reach "n1p>n2p n2p>n1p n1p>n3p n3p>n1p n2p>n3p n3p>n2p"
tx0="$(vxlan_tx n1)"; reach n1p n2p >/dev/null; reach n1p n2p >/dev/null; tx1="$(vxlan_tx n1)"
fdb="$(in_ns "$(ns_of n1)" bridge fdb show dev cnisharp.1 | grep -c ' dst ' || true)"
neigh="$(in_ns "$(ns_of n1)" ip neigh show dev cnisharp.1 nud permanent | wc -l)"   # both families
# IPv6 pods ride the same IPv4 VXLAN device (v6-in-v4): a neighbour per peer subnet (IPv6: the peer VTEP's
# link-local address), one FDB entry per peer.
if [[ "$(route_to n1 "$s2")" == *"dev cnisharp.1"*"onlink"* && "$(route6_to n1 "$s2v6")" == *"via fe80:"*" dev cnisharp.1"* \
    && "$tx0" != none && $((tx1 - tx0)) -ge 2 && "$fdb" == 2 && "$neigh" == 4 ]]; then
    pass agent-vxlan-path
else
    fail agent-vxlan-path "route '$(route_to n1 "$s2")' '$(route6_to n1 "$s2v6")', tx $tx0 -> $tx1, fdb $fdb, neigh $neigh"
fi
in_ns "$(ns_of n1)" ip route del "$s2" || true
in_ns "$(ns_of n1)" bridge fdb del "$(json vtepMAC <<<"$(etcdctl_ get "$PREFIX/subnets/${s2/\//-}" --print-value-only)")" dev cnisharp.1 dst 198.51.100.12 || true
check_vxlan_healed() { has_route n1 "$s2" && in_ns "$(ns_of n1)" bridge fdb show dev cnisharp.1 | grep -q "dst 198.51.100.12"; }
if took="$(wait_for 5 check_vxlan_healed)"; then
    pass agent-vxlan-self-heal; note "vxlan: deleted route + FDB entry back after ${took}s"
else
    fail agent-vxlan-self-heal "route or FDB entry to n2 not back within 5 s"
fi

# restart under a running ping: no loss, no route change
before="$(agent_routes n1; in_ns "$(ns_of n1)" ip neigh show dev cnisharp.1; in_ns "$(ns_of n1)" bridge fdb show dev cnisharp.1)"
nsenter --net="/run/netns/$(ns_of n1p)" ping -q -i 0.05 -c 80 -W 1 "${POD_IP[n2p]}" >"$work_dir/ping.out" 2>&1 &
ping_pid=$!
pids+=("$ping_pid")
sleep 0.5
masq_before="$(in_ns "$(ns_of n1)" nft -a list table inet cnisharp)"
masq_writes="$(grep -c 'Masquerade:' "$(node_dir n1)/agent.log" || true)"
stop_agent n1 || true
start_agent n1 vxlan
wait_healthy n1 || true
wait "$ping_pid" || true
after="$(agent_routes n1; in_ns "$(ns_of n1)" ip neigh show dev cnisharp.1; in_ns "$(ns_of n1)" bridge fdb show dev cnisharp.1)"
loss="$(grep -oE '[0-9.]+% packet loss' "$work_dir/ping.out" || echo "no ping summary")"
if [[ "$loss" == "0% packet loss" && "$before" == "$after" ]]; then
    pass agent-restart-no-loss
else
    fail agent-restart-no-loss "ping: $loss; dataplane changed: $([[ "$before" == "$after" ]] && echo no || echo yes)"
fi
# The rule and sets (handles included) are the predecessor's, and the new agent wrote nothing to them.
if [[ "$(in_ns "$(ns_of n1)" nft -a list table inet cnisharp)" == "$masq_before" && "$(grep -c 'Masquerade:' "$(node_dir n1)/agent.log" || true)" == "$masq_writes" ]]; then
    pass agent-restart-adopts-masquerade
else
    fail agent-restart-adopts-masquerade "n1's inet cnisharp table changed or was rewritten across the restart"
fi

# ---- crosssubnet ----
stop_all || true
drop_pods
if ! start_all crosssubnet; then fail agent-crosssubnet-start "agents not healthy"; exit 1; fi
make_pods || { fail agent-crosssubnet-pods "pod ADD failed"; exit 1; }
check_pairs agent-crosssubnet-pods-reach "n1p>n2p n2p>n1p n1p>n3p n3p>n1p n2p>n3p n3p>n2p"
tx0="$(vxlan_tx n1)"; reach n1p n2p >/dev/null; reach n1p n2p >/dev/null; tx1="$(vxlan_tx n1)"
reach n1p n3p >/dev/null; reach n1p n3p >/dev/null; tx2="$(vxlan_tx n1)"
if [[ "$(route_to n1 "$s2")" == *"via 198.51.100.12 dev eth0"* && "$(route_to n1 "$s3")" == *"dev cnisharp.1"*"onlink"* \
    && "$(route6_to n1 "$s2v6")" == *"via 2001:db8:100::12 dev eth0"* && "$(route6_to n1 "$s3v6")" == *"via fe80:"*" dev cnisharp.1"* \
    && "$tx1" == "$tx0" && $((tx2 - tx1)) -ge 2 ]]; then
    pass agent-crosssubnet-path
else
    fail agent-crosssubnet-path "n2 route '$(route_to n1 "$s2")', n3 route '$(route_to n1 "$s3")', vxlan tx $tx0 -> $tx1 (same subnet) -> $tx2 (across)"
fi

# ---- leave ----
mac3="$(json vtepMAC <<<"$(etcdctl_ get "$PREFIX/subnets/${s3/\//-}" --print-value-only)")"
stop_agent n3 || true
if leave n3 >>"$work_dir/leave.log" 2>&1; then
    gone() {
        local node
        for node in n1 n2; do
            no_route "$node" "$s3" || return 1
            [[ -z "$(route6_to "$node" "$s3v6")" ]] || return 1
            ! in_ns "$(ns_of "$node")" bridge fdb show dev cnisharp.1 | grep -q "dst 203.0.113.13" || return 1
            ! in_ns "$(ns_of "$node")" ip neigh show dev cnisharp.1 | grep -q "^${s3%/*} " || return 1
            ! in_ns "$(ns_of "$node")" ip -6 neigh show dev cnisharp.1 | grep -qi "lladdr $mac3" || return 1
        done
        [[ -z "$(etcdctl_ get --prefix "$PREFIX/subnets/" | grep '"node":"n3"')" ]]
    }
    if took="$(wait_for 5 gone)"; then
        pass agent-leave-cleanup; note "leave: n3 gone from n1 and n2 after ${took}s"
    else
        fail agent-leave-cleanup "n3's route/FDB/neighbour still on n1 or n2, or its keys in etcd"
    fi
else
    fail agent-leave-cleanup "leave failed: $(tail -3 "$work_dir/leave.log")"
fi
NODES=(n1 n2)

# ---- back to host-gw on n1: the VXLAN device and its objects go ----
stop_agent n1 || true
start_agent n1 host-gw
if wait_healthy n1 && ! in_ns "$(ns_of n1)" ip link show cnisharp.1 >/dev/null 2>&1 \
    && [[ "$(route_to n1 "$s2")" == *"via 198.51.100.12 dev eth0"* && "$(route6_to n1 "$s2v6")" == *"via 2001:db8:100::12 dev eth0"* ]]; then
    pass agent-backend-switch-to-host-gw
else
    fail agent-backend-switch-to-host-gw "device $(in_ns "$(ns_of n1)" ip -br link show cnisharp.1 2>&1), route '$(route_to n1 "$s2")'"
fi

# ---- a node that dies without leaving: its lease expires (TTL) and every peer drops it ----
kill -KILL "$(cat "$(node_dir n2)/agent.pid")"
wait "$(cat "$(node_dir n2)/agent.pid")" 2>/dev/null || true
rm -f "$(node_dir n2)/agent.pid"
expired() { no_route n1 "$s2" && [[ -z "$(route6_to n1 "$s2v6")" ]] && [[ -z "$(etcdctl_ get --prefix "$PREFIX/subnets/" | grep '"node":"n2"')" ]]; }
if took="$(wait_for 20 expired)"; then
    pass agent-lease-expiry-departs; note "crashed n2 departed after ${took}s (lease TTL $TTL)"
else
    fail agent-lease-expiry-departs "n1 still routes to n2's subnets, or n2's keys are still in etcd, 20 s after it died"
fi
NODES=(n1)

stop_all || true
if ((failures > 0)); then
    for node in n1 n2 n3; do note "---- $node agent log (tail) ----"; tail -15 "$(node_dir "$node")/agent.log" || true; done
fi
exit $((failures > 0))
