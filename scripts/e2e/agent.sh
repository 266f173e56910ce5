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

  router   bridges brA 198.51.100.1/24 and brB 203.0.113.1/24, forwarding; runs a private
           etcd (Debian etcd-server) on 198.51.100.1, data dir in the run's temp dir
  n1, n2   on brA (198.51.100.11, .12)        n3   on brB (203.0.113.13)

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
    entries, and its etcd keys are gone
  - the etcd layout: <prefix>/subnets/<ip>-<len> with {"node","publicIP","backend","vtepMAC"}
  - --backend ipip exits 2 with the kernel's reason

Prints "E2E PASS <case>", "E2E FAIL <case>: <why>" or "E2E SKIP <case>: <why>"; exits
non-zero if any case failed. Needs root, etcd (install-deps.sh) and a build
(scripts/build.sh). Everything it starts is stopped by PID, everything it made is removed.

Environment:
  CNISHARP_BIN_DIR    dir holding cnisharp and its entry points (default: artifacts/cni/bin)
  CNISHARP_AGENT_BIN  the agent (default: artifacts/bin/cnisharp-agent)
  AGENT_E2E_PLUGIN    the conflist's plugin, bridge or ptp (default: ptp when the built
                      plugins have cnisharp-ptp, else bridge)
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

if [[ "$(id -u)" -ne 0 ]]; then
    skip agent "needs root (network namespaces, links): sudo scripts/e2e/agent.sh"
    exit 0
fi
bin_dir="$(cd "${CNISHARP_BIN_DIR:-$REPO_ROOT/artifacts/cni/bin}" 2>/dev/null && pwd || true)"
agent_bin="${CNISHARP_AGENT_BIN:-$REPO_ROOT/artifacts/bin/cnisharp-agent}"
for need in "$bin_dir/cnisharp-bridge" "$agent_bin"; do
    if [[ ! -x "$need" ]]; then
        skip agent "$need is not built (scripts/build.sh)"
        exit 0
    fi
done
if ! command -v etcd >/dev/null || ! command -v etcdctl >/dev/null; then
    skip agent "etcd/etcdctl not installed (scripts/install-deps.sh installs etcd-server, etcd-client)"
    exit 0
fi
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
readonly ETCD_IP=198.51.100.1 ETCD_PORT=2379
readonly ETCD_URL="http://$ETCD_IP:$ETCD_PORT"
readonly PREFIX=/cnisharp/network
readonly CLUSTER_CIDR=10.250.0.0/16
readonly ECHO_PORT=7777
readonly HEALTH=127.0.0.1:9099
readonly TTL=15s

ns_of() { echo "csag-$run_id-$1"; }                 # node, pod or "router"
in_ns() { local ns="$1"; shift; nsenter --net="/run/netns/$ns" "$@"; }
# Background processes are started with nsenter itself (it execs the program), never through a shell
# function: "$!" must be the program's PID, which is what SIGTERM and the cleanup go to.
node_dir() { echo "$work_dir/$1"; }
etcdctl_() { ETCDCTL_API=3 in_ns "$(ns_of router)" etcdctl --endpoints "$ETCD_URL" --command-timeout=3s "$@"; }

pids=()        # every process we started, stopped by PID at the end
cleanup() {
    local pid ns
    for node in "${NODES[@]}"; do
        [[ -f "$(node_dir "$node")/agent.pid" ]] && pids+=("$(cat "$(node_dir "$node")/agent.pid")")
    done
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    sleep 0.3
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    for ns in $(ip netns list | awk '{print $1}' | grep -E "^csag-$run_id-" || true); do
        ip netns del "$ns" 2>/dev/null || true
    done
    if [[ -n "${AGENT_E2E_KEEP:-}" ]]; then echo "agent.sh: kept $work_dir"; else rm -rf -- "$work_dir"; fi
}
trap cleanup EXIT

# ---- topology: router with two underlay subnets, three nodes -----------------------------------
setup_topology() {
    local r node ns ip br gw
    r="$(ns_of router)"
    ip netns add "$r"
    in_ns "$r" ip link set lo up
    in_ns "$r" sysctl -qw net.ipv4.ip_forward=1
    in_ns "$r" ip link add brA type bridge
    in_ns "$r" ip link add brB type bridge
    in_ns "$r" ip addr add 198.51.100.1/24 dev brA
    in_ns "$r" ip addr add 203.0.113.1/24 dev brB
    in_ns "$r" ip link set brA up
    in_ns "$r" ip link set brB up
    for node in "${NODES[@]}"; do
        ns="$(ns_of "$node")" ip="${UNDERLAY[$node]}"
        ip netns add "$ns"
        in_ns "$ns" ip link set lo up
        # Created directly in both namespaces: nothing ever appears in the host's.
        ip link add eth0 netns "$ns" type veth peer name "$node" netns "$r"
        if [[ "$ip" == 198.51.100.* ]]; then br=brA gw=198.51.100.1; else br=brB gw=203.0.113.1; fi
        in_ns "$r" ip link set "$node" master "$br" up
        in_ns "$ns" ip addr add "$ip/24" dev eth0
        in_ns "$ns" ip link set eth0 up
        in_ns "$ns" ip route add default via "$gw"
        mkdir -p "$(node_dir "$node")"
    done
}

start_etcd() {
    local r
    r="$(ns_of router)"
    mkdir -p "$work_dir/etcd"
    nsenter --net="/run/netns/$r" etcd --name "csag-$run_id" --data-dir "$work_dir/etcd" \
        --listen-client-urls "$ETCD_URL" --advertise-client-urls "$ETCD_URL" \
        --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
        --initial-cluster "csag-$run_id=http://127.0.0.1:2380" >"$work_dir/etcd.log" 2>&1 &
    pids+=("$!")
    for _ in $(seq 50); do
        etcdctl_ endpoint health >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    note "etcd did not come up:"; tail -5 "$work_dir/etcd.log"
    return 1
}

# ---- agents ------------------------------------------------------------------------------------
start_agent() {
    local node="$1" backend="$2" dir
    dir="$(node_dir "$node")"
    nsenter --net="/run/netns/$(ns_of "$node")" "$agent_bin" --node-name "$node" --datastore etcd --etcd-endpoints "$ETCD_URL" \
        --etcd-prefix "$PREFIX" --lease-ttl "$TTL" --cluster-cidr "$CLUSTER_CIDR" --backend "$backend" --iface eth0 \
        --plugin "$plugin" --cni-conf-dir "$dir/net.d" --data-dir "$dir/data" --state-dir "$dir/state" \
        --health-addr "$HEALTH" >>"$dir/agent.log" 2>&1 &
    echo "$!" >"$dir/agent.pid"
}

# stop_agent NODE: SIGTERM, then waits; sets STOP_MS to the milliseconds until the agent exited. Fails when it
# took over 5 s or exited non-zero. Never called in a subshell: the agent must be this shell's child to be waited.
STOP_MS=0
stop_agent() {
    local pidfile pid start status=0
    pidfile="$(node_dir "$1")/agent.pid"
    STOP_MS=0
    [[ -f "$pidfile" ]] || return 0
    pid="$(cat "$pidfile")"
    rm -f "$pidfile"
    start=$(date +%s%N)
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do
        if (( ($(date +%s%N) - start) > 5000000000 )); then
            kill -KILL "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            note "$1's agent still running 5 s after SIGTERM"
            return 1
        fi
        sleep 0.02
    done
    STOP_MS=$(( ($(date +%s%N) - start) / 1000000 ))
    wait "$pid" 2>/dev/null || status=$?
    if ((status != 0)); then
        note "$1's agent exited with status $status after SIGTERM; its log:"; tail -5 "$(node_dir "$1")/agent.log"
        return 1
    fi
}

# stop_all: every node's agent; STOP_MS = the slowest. Fails if any failed.
stop_all() {
    local node worst=0 ok=0
    for node in "${NODES[@]}"; do
        stop_agent "$node" || ok=1
        ((STOP_MS > worst)) && worst=$STOP_MS
    done
    STOP_MS=$worst
    return $ok
}

healthz() { in_ns "$(ns_of "$1")" curl -s -m 2 "http://$HEALTH/healthz"; }
metrics() { in_ns "$(ns_of "$1")" curl -s -m 2 "http://$HEALTH/metrics"; }
json() { python3 "$SUITE_DIR/json-get.py" "$@"; }

wait_healthy() {
    local node="$1"
    for _ in $(seq 100); do
        in_ns "$(ns_of "$node")" curl -sf -m 1 -o /dev/null "http://$HEALTH/healthz" && return 0
        sleep 0.1
    done
    note "$node not healthy after 10 s; its log:"; tail -20 "$(node_dir "$node")/agent.log"
    return 1
}

start_all() {
    local backend="$1" node
    for node in "${NODES[@]}"; do start_agent "$node" "$backend"; done
    for node in "${NODES[@]}"; do wait_healthy "$node" || return 1; done
}

subnet_of() { etcdctl_ get --prefix "$PREFIX/subnets/" --print-value-only=false | paste - - | awk -v n="\"node\":\"$1\"" 'index($0, n) { sub(".*/subnets/", "", $1); sub("-", "/", $1); print $1 }'; }

# ---- pods --------------------------------------------------------------------------------------
declare -A POD_IP=()
PODS=()
add_pod() {
    local node="$1" pod="$2" ns conf result
    ns="$(ns_of "$pod")" conf="$(node_dir "$node")/net.d/10-cnisharp.conflist"
    ip netns add "$ns"
    in_ns "$ns" ip link set lo up
    result="$(in_ns "$(ns_of "$node")" python3 "$REPO_ROOT/scripts/lib/cnilib_cli.py" add "$conf" \
        --cni-path "$bin_dir" --id "csag-$run_id-$pod" --netns "/run/netns/$ns")" || return 1
    echo "$result" >"$work_dir/$pod.result"
    POD_IP[$pod]="$(python3 "$REPO_ROOT/scripts/lib/cnilib_cli.py" addresses "$work_dir/$pod.result" 4 | head -1)"
    [[ -n "${POD_IP[$pod]}" ]] || return 1
    nsenter --net="/run/netns/$ns" python3 "$SUITE_DIR/udp-echo.py" serve "$ECHO_PORT" >/dev/null 2>&1 &
    pids+=("$!")
    echo "$!" >"$work_dir/$pod.echo.pid"
    PODS+=("$pod")
}

del_pod() {
    local node="$1" pod="$2" conf
    conf="$(node_dir "$node")/net.d/10-cnisharp.conflist"
    kill -TERM "$(cat "$work_dir/$pod.echo.pid")" 2>/dev/null || true
    in_ns "$(ns_of "$node")" python3 "$REPO_ROOT/scripts/lib/cnilib_cli.py" del "$conf" \
        --cni-path "$bin_dir" --id "csag-$run_id-$pod" --netns "/run/netns/$(ns_of "$pod")" \
        --cached-result "$work_dir/$pod.result" >/dev/null
    ip netns del "$(ns_of "$pod")"
}

node_of_pod() { echo "${1%%p*}"; }    # "n1p" -> n1

make_pods() {
    PODS=()
    local node
    for node in "${NODES[@]}"; do add_pod "$node" "${node}p" || return 1; done
}

drop_pods() {
    local pod
    for pod in "${PODS[@]}"; do del_pod "$(node_of_pod "$pod")" "$pod"; done
    PODS=()
}

# reach SRC DST: the address DST's echo saw, or nothing.
reach() { in_ns "$(ns_of "$1")" python3 "$SUITE_DIR/udp-echo.py" ask "${POD_IP[$2]}" "$ECHO_PORT" -t "${3:-1.5}" 2>/dev/null || true; }

# check_pairs CASE "src>dst ..." : each pair answers with src's own address (retried while converging).
check_pairs() {
    local case="$1" pair src dst seen bad=""
    for pair in $2; do
        src="${pair%>*}" dst="${pair#*>}"
        seen=""
        for _ in 1 2 3; do
            seen="$(reach "$src" "$dst")"
            [[ "$seen" == "${POD_IP[$src]}" ]] && break
        done
        [[ "$seen" == "${POD_IP[$src]}" ]] || bad+=" $src(${POD_IP[$src]})->$dst(${POD_IP[$dst]}) saw '${seen:-nothing}'"
    done
    if [[ -z "$bad" ]]; then pass "$case"; else fail "$case" "${bad# }"; fi
}

vxlan_tx() { in_ns "$(ns_of "$1")" ip -s -j link show dev cnisharp.1 2>/dev/null | json 0.stats64.tx.packets || echo none; }
agent_routes() { in_ns "$(ns_of "$1")" ip route show proto 115 | sort; }
route_to() { in_ns "$(ns_of "$1")" ip route show proto 115 "$2"; }

# wait_for SECONDS COMMAND...: polls every 0.1 s; prints the seconds it took.
wait_for() {
    local limit="$1" start now
    shift
    start=$(date +%s%N)
    while true; do
        if "$@" >/dev/null 2>&1; then
            now=$(date +%s%N)
            awk -v ns=$((now - start)) 'BEGIN { printf "%.1f\n", ns / 1e9 }'
            return 0
        fi
        (( ($(date +%s%N) - start) > limit * 1000000000 )) && return 1
        sleep 0.1
    done
}

has_route() { [[ -n "$(route_to "$1" "$2")" ]]; }
no_route() { [[ -z "$(route_to "$1" "$2")" ]]; }

# ---- the cases ---------------------------------------------------------------------------------
note "run $run_id: plugin $plugin, agent $agent_bin, work dir $work_dir"
setup_topology
start_etcd || { fail agent-setup "etcd did not start"; exit 1; }

# ipip: refused before anything is touched.
out="$("$agent_bin" --node-name x --datastore etcd --etcd-endpoints "$ETCD_URL" --cluster-cidr "$CLUSTER_CIDR" --backend ipip 2>&1)" && rc=0 || rc=$?
if [[ $rc -eq 2 && "$out" == *"no ipip"* ]]; then pass agent-ipip-refused; else fail agent-ipip-refused "exit $rc: $out"; fi

# ---- host-gw ----
if ! start_all host-gw; then fail agent-host-gw-start "agents not healthy"; exit 1; fi
if make_pods; then pass agent-pods-from-written-conflist; else fail agent-pods-from-written-conflist "pod ADD through the agent's conflist failed"; exit 1; fi
note "pods: n1p=${POD_IP[n1p]} n2p=${POD_IP[n2p]} n3p=${POD_IP[n3p]}"

# etcd layout
layout_bad=""
for node in "${NODES[@]}"; do
    subnet="$(subnet_of "$node")"
    key="$PREFIX/subnets/${subnet/\//-}"
    value="$(etcdctl_ get "$key" --print-value-only)"
    [[ "$(json node <<<"$value")" == "$node" && "$(json publicIP <<<"$value")" == "${UNDERLAY[$node]}" && "$(json backend <<<"$value")" == host-gw ]] \
        || layout_bad+=" $key=$value"
    lease="$(etcdctl_ get "$key" -w json | json kvs.0.lease)"
    [[ -n "$lease" && "$lease" != 0 ]] || layout_bad+=" $key has no lease"
    [[ "${POD_IP[${node}p]}" == "${subnet%.*}".* ]] || layout_bad+=" pod ${POD_IP[${node}p]} not in $subnet"
done
if [[ -z "$layout_bad" ]]; then pass agent-etcd-layout; else fail agent-etcd-layout "$layout_bad"; fi

check_pairs agent-host-gw-pods-reach "n1p>n2p n2p>n1p"
s2="$(subnet_of n2)" s3="$(subnet_of n3)"
if [[ "$(route_to n1 "$s2")" == *"via 198.51.100.12 dev eth0"* ]] && ! in_ns "$(ns_of n1)" ip link show cnisharp.1 >/dev/null 2>&1; then
    pass agent-host-gw-path
else
    fail agent-host-gw-path "n1: route '$(route_to n1 "$s2")', vxlan device $(in_ns "$(ns_of n1)" ip -br link show cnisharp.1 2>&1)"
fi
# n3 sits behind the router: host-gw cannot route to it, and says so.
body="$(healthz n1)"
seen="$(reach n1p n3p 0.6)"
if [[ -z "$seen" && "$(json unreachablePeers.0.node <<<"$body")" == n3 && "$(json unreachablePeers.0.ip <<<"$body")" == 203.0.113.13 ]] \
    && metrics n1 | grep -q "^cnisharp_agent_unreachable_peer{node=\"n3\",ip=\"203.0.113.13\"" && [[ -z "$(route_to n1 "$s3")" ]]; then
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
neigh="$(in_ns "$(ns_of n1)" ip neigh show dev cnisharp.1 nud permanent | wc -l)"
if [[ "$(route_to n1 "$s2")" == *"dev cnisharp.1"*"onlink"* && "$tx0" != none && $((tx1 - tx0)) -ge 2 && "$fdb" == 2 && "$neigh" == 2 ]]; then
    pass agent-vxlan-path
else
    fail agent-vxlan-path "route '$(route_to n1 "$s2")', tx $tx0 -> $tx1, fdb $fdb, neigh $neigh"
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

# ---- crosssubnet ----
stop_all || true
drop_pods
if ! start_all crosssubnet; then fail agent-crosssubnet-start "agents not healthy"; exit 1; fi
make_pods || { fail agent-crosssubnet-pods "pod ADD failed"; exit 1; }
check_pairs agent-crosssubnet-pods-reach "n1p>n2p n2p>n1p n1p>n3p n3p>n1p n2p>n3p n3p>n2p"
tx0="$(vxlan_tx n1)"; reach n1p n2p >/dev/null; reach n1p n2p >/dev/null; tx1="$(vxlan_tx n1)"
reach n1p n3p >/dev/null; reach n1p n3p >/dev/null; tx2="$(vxlan_tx n1)"
if [[ "$(route_to n1 "$s2")" == *"via 198.51.100.12 dev eth0"* && "$(route_to n1 "$s3")" == *"dev cnisharp.1"*"onlink"* \
    && "$tx1" == "$tx0" && $((tx2 - tx1)) -ge 2 ]]; then
    pass agent-crosssubnet-path
else
    fail agent-crosssubnet-path "n2 route '$(route_to n1 "$s2")', n3 route '$(route_to n1 "$s3")', vxlan tx $tx0 -> $tx1 (same subnet) -> $tx2 (across)"
fi

# ---- leave ----
stop_agent n3 || true
if in_ns "$(ns_of n1)" "$agent_bin" leave --node-name n3 --datastore etcd --etcd-endpoints "$ETCD_URL" --etcd-prefix "$PREFIX" >>"$work_dir/leave.log" 2>&1; then
    gone() {
        local node
        for node in n1 n2; do
            no_route "$node" "$s3" || return 1
            ! in_ns "$(ns_of "$node")" bridge fdb show dev cnisharp.1 | grep -q "dst 203.0.113.13" || return 1
            ! in_ns "$(ns_of "$node")" ip neigh show dev cnisharp.1 | grep -q "^${s3%/*} " || return 1
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
    && [[ "$(route_to n1 "$s2")" == *"via 198.51.100.12 dev eth0"* ]]; then
    pass agent-backend-switch-to-host-gw
else
    fail agent-backend-switch-to-host-gw "device $(in_ns "$(ns_of n1)" ip -br link show cnisharp.1 2>&1), route '$(route_to n1 "$s2")'"
fi

stop_all || true
if ((failures > 0)); then
    for node in n1 n2 n3; do note "---- $node agent log (tail) ----"; tail -15 "$(node_dir "$node")/agent.log" || true; done
fi
exit $((failures > 0))
