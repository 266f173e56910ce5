# shellcheck shell=bash
# The caller sets the variables named below before sourcing:
# shellcheck disable=SC2154
# A simulated cluster for cnisharp-agent, on one machine: a router namespace with two underlay subnets
# (bridges brA 198.51.100.0/24 and brB 203.0.113.0/24), node namespaces on them, a private etcd in the
# router namespace, one agent per node (nsenter --net: the agent sees its node's links; /sys stays the
# host's, so counters are read with ip -s), pods added through the conflist each agent wrote, and a UDP echo
# in each pod that answers with the source address it saw. Used by scripts/e2e/agent.sh and
# scripts/bench-agent.sh.
#
# Dual stack throughout: each underlay subnet also has an IPv6 prefix (2001:db8:100::/64 on brA,
# 2001:db8:113::/64 on brB; a node's IPv6 address ends like its IPv4 one), the cluster CIDRs are IPv4 and
# IPv6, every pod gets an address of each family.
#
# The caller sets: run_id (unique hex), work_dir (temp dir), NODES (array), UNDERLAY (assoc: node -> IPv4),
# agent_bin, bin_dir (CNI plugins), plugin (bridge|ptp; NODE_PLUGIN[node] overrides it per node), AGENT_TOOLS (dir of udp-echo.py, json-get.py), and
# calls agent_cluster_cleanup from its EXIT trap; optionally AGENT_ARGS (array: more flags for every agent) and
# AGENT_NODE_ARGS (assoc: node -> more flags, space-separated). Everything started is stopped by PID (a BIRD an
# agent left running too, from its pid file); every namespace is named csag-<run_id>-*.

readonly ETCD_IP=198.51.100.1 ETCD_PORT=2379
readonly ETCD_URL="http://$ETCD_IP:$ETCD_PORT"
readonly PREFIX=/cnisharp/network
readonly CLUSTER_CIDR=10.250.0.0/16
readonly CLUSTER_CIDR6=fd00:10:250::/48
readonly ECHO_PORT=7777
readonly HEALTH=127.0.0.1:9099
readonly TTL=8s     # short, so the e2e can watch a crashed node's lease expire

cluster_note() { echo "agent-cluster: $*"; }

# cluster_prerequisites SUITE TOOL...: sets bin_dir and agent_bin (CNISHARP_BIN_DIR, CNISHARP_AGENT_BIN or the
# build's), or prints "E2E SKIP SUITE: <why>" and exits 0 when not root, not built, or a TOOL is missing.
cluster_prerequisites() {
    local suite="$1" need tool
    shift
    if [[ "$(id -u)" -ne 0 ]]; then
        echo "E2E SKIP $suite: needs root (network namespaces, links): sudo scripts/e2e/$suite.sh"
        exit 0
    fi
    bin_dir="$(cd "${CNISHARP_BIN_DIR:-$REPO_ROOT/artifacts/cni/bin}" 2>/dev/null && pwd || true)"
    agent_bin="${CNISHARP_AGENT_BIN:-$REPO_ROOT/artifacts/bin/cnisharp-agent}"
    for need in "$bin_dir/cnisharp-bridge" "$agent_bin"; do
        [[ -x "$need" ]] || { echo "E2E SKIP $suite: $need is not built (scripts/build.sh)"; exit 0; }
    done
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "E2E SKIP $suite: $tool not installed (scripts/install-deps.sh)"; exit 0; }
    done
}

ns_of() { echo "csag-$run_id-$1"; }                 # node, pod or "router"
in_ns() { local ns="$1"; shift; nsenter --net="/run/netns/$ns" "$@"; }
# Background processes are started with nsenter itself (it execs the program), never through a shell
# function: "$!" must be the program's PID, which is what SIGTERM and the cleanup go to.
node_dir() { echo "$work_dir/$1"; }
etcdctl_() { ETCDCTL_API=3 in_ns "$(ns_of router)" etcdctl --endpoints "$ETCD_URL" --command-timeout=3s "$@"; }

[[ -v AGENT_ARGS ]] || AGENT_ARGS=()
declare -p AGENT_NODE_ARGS >/dev/null 2>&1 || declare -A AGENT_NODE_ARGS=()

pids=()        # every process we started, stopped by PID at the end
agent_cluster_cleanup() {
    local pid ns
    local pidfile
    for pidfile in "$work_dir"/*/agent.pid; do
        [[ -f "$pidfile" ]] && pids+=("$(cat "$pidfile")")
    done
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    sleep 0.3
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    # A BGP agent stops its BIRD; one it could not stop (killed above, or --bird-keep-on-exit) still has its pid file.
    for pidfile in "$work_dir"/*/state/bird.pid; do
        [[ -f "$pidfile" ]] || continue
        pid="$(cat "$pidfile")"
        [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == bird ]] && kill -KILL "$pid" 2>/dev/null || true
    done
    for ns in $(ip netns list | awk '{print $1}' | grep -E "^csag-$run_id-" || true); do
        ip netns del "$ns" 2>/dev/null || true
    done
    if [[ -n "${AGENT_E2E_KEEP:-}" ]]; then echo "agent-cluster: kept $work_dir"; else rm -rf -- "$work_dir"; fi
}

# ---- topology: router with two underlay subnets, three nodes -----------------------------------
setup_topology() {
    local r node
    r="$(ns_of router)"
    ip netns add "$r"
    in_ns "$r" ip link set lo up
    in_ns "$r" sysctl -qw net.ipv4.ip_forward=1
    in_ns "$r" sysctl -qw net.ipv6.conf.all.forwarding=1
    in_ns "$r" ip link add brA type bridge
    in_ns "$r" ip link add brB type bridge
    in_ns "$r" ip addr add 198.51.100.1/24 dev brA
    in_ns "$r" ip addr add 203.0.113.1/24 dev brB
    in_ns "$r" ip addr add 2001:db8:100::1/64 dev brA nodad
    in_ns "$r" ip addr add 2001:db8:113::1/64 dev brB nodad
    in_ns "$r" ip link set brA up
    in_ns "$r" ip link set brB up
    for node in "${NODES[@]}"; do add_node "$node"; done
}

# underlay6 NODE: the node's IPv6 underlay address, from its IPv4 one (198.51.100.11 -> 2001:db8:100::11).
underlay6() {
    local ip="${UNDERLAY[$1]}"
    if [[ "$ip" == 198.51.100.* ]]; then echo "2001:db8:100::${ip##*.}"; else echo "2001:db8:113::${ip##*.}"; fi
}

# add_node NODE: its namespace, eth0 on the router's bridge for its UNDERLAY addresses, default routes.
add_node() {
    local node="$1" r ns ip br gw gw6
    r="$(ns_of router)" ns="$(ns_of "$1")" ip="${UNDERLAY[$1]}"
    ip netns add "$ns"
    in_ns "$ns" ip link set lo up
    # Created directly in both namespaces: nothing ever appears in the host's.
    ip link add eth0 netns "$ns" type veth peer name "$node" netns "$r"
    if [[ "$ip" == 198.51.100.* ]]; then br=brA gw=198.51.100.1 gw6=2001:db8:100::1; else br=brB gw=203.0.113.1 gw6=2001:db8:113::1; fi
    in_ns "$r" ip link set "$node" master "$br" up
    in_ns "$ns" ip addr add "$ip/24" dev eth0
    in_ns "$ns" ip addr add "$(underlay6 "$node")/64" dev eth0 nodad
    in_ns "$ns" ip link set eth0 up
    in_ns "$ns" ip route add default via "$gw"
    in_ns "$ns" ip -6 route add default via "$gw6"
    mkdir -p "$(node_dir "$node")"
}

# remove_node NODE: the namespace (and with it every link, route and device the agent made) and its dir.
remove_node() {
    # The router's end first, synchronously: a namespace's links go asynchronously after "ip netns del",
    # and the next add_node of the same node reuses the name.
    in_ns "$(ns_of router)" ip link del "$1" 2>/dev/null || true
    # A re-added node gets a new MAC: the router must not answer it at the old one until its entry expires.
    in_ns "$(ns_of router)" ip neigh flush to "${UNDERLAY[$1]}" 2>/dev/null || true
    in_ns "$(ns_of router)" ip -6 neigh flush to "$(underlay6 "$1")" 2>/dev/null || true
    ip netns del "$(ns_of "$1")" 2>/dev/null || true
    rm -rf -- "$(node_dir "$1")"
}

# add_outside: a host outside the cluster on the router's brA (198.51.100.50, 2001:db8:100::50), running the
# UDP echo: what a pod reaches there must arrive masqueraded, with its node's underlay address.
readonly OUTSIDE_IP=198.51.100.50 OUTSIDE_IP6=2001:db8:100::50
add_outside() {
    local r ns
    r="$(ns_of router)" ns="$(ns_of outside)"
    ip netns add "$ns"
    in_ns "$ns" ip link set lo up
    ip link add eth0 netns "$ns" type veth peer name outside netns "$r"
    in_ns "$r" ip link set outside master brA up
    in_ns "$ns" ip addr add "$OUTSIDE_IP/24" dev eth0
    in_ns "$ns" ip addr add "$OUTSIDE_IP6/64" dev eth0 nodad
    in_ns "$ns" ip link set eth0 up
    in_ns "$ns" ip route add default via 198.51.100.1
    in_ns "$ns" ip -6 route add default via 2001:db8:100::1
    nsenter --net="/run/netns/$ns" python3 "$AGENT_TOOLS/udp-echo.py" serve "$ECHO_PORT" >/dev/null 2>&1 &
    pids+=("$!")
}

# reach_address SRC IP: the source address the echo at IP saw from pod SRC, or nothing.
reach_address() { in_ns "$(ns_of "$1")" python3 "$AGENT_TOOLS/udp-echo.py" ask "$2" "$ECHO_PORT" -t 1.5 2>/dev/null || true; }

start_etcd() {
    local r
    r="$(ns_of router)"
    mkdir -p "$work_dir/etcd"
    # No fsync: a throwaway etcd on a 2-core machine shared with builds stalls for seconds on the WAL's fsync.
    nsenter --net="/run/netns/$r" etcd --name "csag-$run_id" --data-dir "$work_dir/etcd" --unsafe-no-fsync \
        --listen-client-urls "$ETCD_URL" --advertise-client-urls "$ETCD_URL" \
        --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
        --initial-cluster "csag-$run_id=http://127.0.0.1:2380" >"$work_dir/etcd.log" 2>&1 &
    pids+=("$!")
    for _ in $(seq 50); do
        etcdctl_ endpoint health >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    cluster_note "etcd did not come up:"; tail -5 "$work_dir/etcd.log"
    return 1
}

# ---- agents ------------------------------------------------------------------------------------
start_agent() {
    local node="$1" backend="$2" dir extra=()
    dir="$(node_dir "$node")"
    [[ -n "${AGENT_NODE_ARGS[$node]:-}" ]] && read -r -a extra <<<"${AGENT_NODE_ARGS[$node]}"
    nsenter --net="/run/netns/$(ns_of "$node")" "$agent_bin" --node-name "$node" --datastore etcd --etcd-endpoints "$ETCD_URL" \
        --etcd-prefix "$PREFIX" --lease-ttl "$TTL" --cluster-cidr "$CLUSTER_CIDR,$CLUSTER_CIDR6" --backend "$backend" --iface eth0 \
        --plugin "${NODE_PLUGIN[$node]:-$plugin}" --cni-conf-dir "$dir/net.d" --data-dir "$dir/data" --state-dir "$dir/state" \
        --health-addr "$HEALTH" ${AGENT_ARGS[@]+"${AGENT_ARGS[@]}"} ${extra[@]+"${extra[@]}"} >>"$dir/agent.log" 2>&1 &
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
            cluster_note "$1's agent still running 5 s after SIGTERM"
            return 1
        fi
        sleep 0.02
    done
    STOP_MS=$(( ($(date +%s%N) - start) / 1000000 ))
    wait "$pid" 2>/dev/null || status=$?
    if ((status != 0)); then
        cluster_note "$1's agent exited with status $status after SIGTERM; its log:"; tail -5 "$(node_dir "$1")/agent.log"
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

# leave NODE: cnisharp-agent leave, run from the router's namespace; its log is shown when it fails.
leave() {
    local out
    if ! out="$(in_ns "$(ns_of router)" "$agent_bin" leave --node-name "$1" --datastore etcd --etcd-endpoints "$ETCD_URL" --etcd-prefix "$PREFIX" 2>&1)"; then
        cluster_note "leave $1 failed: $out"
        return 1
    fi
}

healthz() { in_ns "$(ns_of "$1")" curl -s -m 2 "http://$HEALTH/healthz"; }
metrics() { in_ns "$(ns_of "$1")" curl -s -m 2 "http://$HEALTH/metrics"; }
json() { python3 "$AGENT_TOOLS/json-get.py" "$@"; }

wait_healthy() {
    local node="$1"
    for _ in $(seq 100); do
        in_ns "$(ns_of "$node")" curl -sf -m 1 -o /dev/null "http://$HEALTH/healthz" && return 0
        sleep 0.1
    done
    cluster_note "$node not healthy after 10 s; its log:"; tail -20 "$(node_dir "$node")/agent.log"
    return 1
}

start_all() {
    local backend="$1" node
    for node in "${NODES[@]}"; do start_agent "$node" "$backend"; done
    for node in "${NODES[@]}"; do wait_healthy "$node" || return 1; done
}

# subnet_of NODE [6]: the node's IPv4 (or IPv6) pod subnet, from its etcd key.
subnet_of() { subnets_of "$1" | if [[ "${2:-4}" == 6 ]]; then grep ':'; else grep -v ':'; fi; }
subnets_of() { etcdctl_ get --prefix "$PREFIX/subnets/" --print-value-only=false | paste - - | awk -v n="\"node\":\"$1\"" 'index($0, n) { sub(".*/subnets/", "", $1); sub("-", "/", $1); print $1 }'; }

# ---- pods --------------------------------------------------------------------------------------
declare -A POD_IP=() POD_IP6=()
declare -A NODE_PLUGIN=()
PODS=()
# pod_sandbox POD: the pod's namespace with lo up, as a runtime makes it before it calls CNI.
pod_sandbox() {
    [[ -e "/run/netns/$(ns_of "$1")" ]] && return 0
    ip netns add "$(ns_of "$1")"
    in_ns "$(ns_of "$1")" ip link set lo up
}

# add_pod NODE POD: ADD through NODE's conflist (the sandbox made first if need be), then the pod's UDP echo.
add_pod() {
    local node="$1" pod="$2" ns conf result
    ns="$(ns_of "$pod")" conf="$(node_dir "$node")/net.d/10-cnisharp.conflist"
    pod_sandbox "$pod"
    result="$(in_ns "$(ns_of "$node")" python3 "$REPO_ROOT/scripts/lib/cnilib_cli.py" add "$conf" \
        --cni-path "$bin_dir" --id "csag-$run_id-$pod" --netns "/run/netns/$ns")" || return 1
    echo "$result" >"$work_dir/$pod.result"
    # The first IPv4 "address" of the result, without a second interpreter start.
    POD_IP[$pod]="$(grep -oE '"address": *"[0-9.]+/' <<<"$result" | head -1 | grep -oE '[0-9.]+' | head -1)"
    POD_IP6[$pod]="$(grep -oE '"address": *"[0-9a-f:]+:[0-9a-f:]*/' <<<"$result" | head -1 | grep -oE '[0-9a-f]*:[0-9a-f:]+' | head -1)"
    [[ -n "${POD_IP[$pod]}" && -n "${POD_IP6[$pod]}" ]] || return 1
    nsenter --net="/run/netns/$ns" python3 "$AGENT_TOOLS/udp-echo.py" serve "$ECHO_PORT" >/dev/null 2>&1 &
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
    local kept=() p
    for p in "${PODS[@]}"; do [[ "$p" == "$pod" ]] || kept+=("$p"); done
    PODS=("${kept[@]}")
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
}

# reach SRC DST: the address DST's echo saw, or nothing.
reach() { in_ns "$(ns_of "$1")" python3 "$AGENT_TOOLS/udp-echo.py" ask "${POD_IP[$2]}" "$ECHO_PORT" -t "${3:-1.5}" 2>/dev/null || true; }
reach6() { in_ns "$(ns_of "$1")" python3 "$AGENT_TOOLS/udp-echo.py" ask "${POD_IP6[$2]}" "$ECHO_PORT" -t "${3:-1.5}" 2>/dev/null || true; }

# pairs_failing "src>dst ..." [FAMILIES]: each pair must answer with src's own address (retried while converging),
# in every family of FAMILIES (default "4 6"); prints the pairs that did not, nothing when all did.
pairs_failing() {
    local pair src dst family seen want bad=""
    for pair in $1; do
        src="${pair%>*}" dst="${pair#*>}"
        for family in ${2:-4 6}; do
            if [[ "$family" == 4 ]]; then want="${POD_IP[$src]}"; else want="${POD_IP6[$src]}"; fi
            seen=""
            for _ in 1 2 3; do
                if [[ "$family" == 4 ]]; then seen="$(reach "$src" "$dst")"; else seen="$(reach6 "$src" "$dst")"; fi
                [[ "$seen" == "$want" ]] && break
            done
            [[ "$seen" == "$want" ]] || bad+=" $src($want)->$dst(IPv$family) saw '${seen:-nothing}'"
        done
    done
    echo "${bad# }"
}

vxlan_tx() { in_ns "$(ns_of "$1")" ip -s -j link show dev cnisharp.1 2>/dev/null | json 0.stats64.tx.packets || echo none; }
agent_routes() { { in_ns "$(ns_of "$1")" ip route show proto 115; in_ns "$(ns_of "$1")" ip -6 route show proto 115; } | sort; }
route_to() { in_ns "$(ns_of "$1")" ip route show proto 115 "$2"; }
route6_to() { in_ns "$(ns_of "$1")" ip -6 route show proto 115 "$2"; }

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
# no_route_any NAMESPACE PREFIX: no route to PREFIX at all, whoever made it (the agent, BIRD); NAMESPACE may be "router".
no_route_any() { [[ -z "$(in_ns "$(ns_of "$1")" ip route show "$2")" ]]; }

