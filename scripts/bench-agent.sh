#!/usr/bin/env bash
# Convergence benchmark of cnisharp-agent: from a new node's agent start until every pod reaches every pod.
set -Eeuo pipefail   # -E: the ERR trap below also reports failures inside functions

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT

usage() {
    cat <<'USAGE'
Usage: sudo scripts/bench-agent.sh [--runs N] [--backends LIST] [-h|--help]

On the simulated cluster of the agent's e2e suite (scripts/lib/agent-cluster.sh: namespaces,
a router with two underlay subnets, a private etcd), for each backend:

  - two existing nodes run their agents, each with a pod (host-gw: both on the new node's
    subnet, since host-gw cannot cross the router; vxlan and crosssubnet: one on the new
    node's subnet, one behind the router)
  - per run, a NEW node joins: fresh namespace, its agent starts (t0); as a runtime would, the
    pod ADD runs as soon as the agent's conflist appears; then ping (10 ms interval) in both
    directions between the new pod and every existing pod, until every one has answered
  - the node leaves (SIGTERM, 'cnisharp-agent leave', namespace removed) before the next run

Reports per backend the median (min-max) over the runs of: conflist written, pod ready
(conflist + ADD), and converged (every pod reaches every pod, both directions), in ms from
the agent's start; then the cross-node RTT (ping, 200 x 10 ms) between two pods per backend,
and the same-node RTT next to it, and the TCP throughput of one stream (2 s) for both.

Options:
  --runs N          runs per backend (default 7)
  --backends LIST   comma-separated (default host-gw,vxlan,crosssubnet); the BGP backend as
                    bgp-mesh (existing nodes on the new node's subnet), bgp-reflector (a route
                    reflector on the router; existing nodes on both subnets), each also as
                    ...-bird-defaults (BIRD's own timers instead of the agent's); needs bird2

Needs root, etcd (scripts/install-deps.sh) and a build (scripts/build.sh). Uses the bridge
plugin unless AGENT_E2E_PLUGIN says ptp. Everything it starts is stopped by PID, every
namespace it made is removed.
USAGE
}

runs=7
backends="host-gw,vxlan,crosssubnet"
while (($# > 0)); do
    case "$1" in
        --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
        --backends) backends="${2:?--backends needs a value}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench-agent.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ "$(id -u)" -eq 0 ]] || { echo "bench-agent.sh: needs root" >&2; exit 1; }

bin_dir="$(cd "${CNISHARP_BIN_DIR:-$REPO_ROOT/artifacts/cni/bin}" && pwd)"
agent_bin="${CNISHARP_AGENT_BIN:-$REPO_ROOT/artifacts/bin/cnisharp-agent}"
plugin="${AGENT_E2E_PLUGIN:-bridge}"
[[ -x "$agent_bin" && -x "$bin_dir/cnisharp-$plugin" ]] || { echo "bench-agent.sh: build first (scripts/build.sh)" >&2; exit 1; }
command -v etcd >/dev/null || { echo "bench-agent.sh: etcd missing (scripts/install-deps.sh)" >&2; exit 1; }
readonly AGENT_TOOLS="$REPO_ROOT/scripts/e2e/agent"
run_id="$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')"
work_dir="$(mktemp -d /tmp/cnisharp-bench-agent.XXXXXX)"
NODES=(n1 n3 n4)
declare -A UNDERLAY=([n1]=198.51.100.11 [n2]=198.51.100.12 [n3]=198.51.100.13 [n4]=203.0.113.14)
# shellcheck source-path=SCRIPTDIR source=lib/agent-cluster.sh
source "$REPO_ROOT/scripts/lib/agent-cluster.sh"
# shellcheck source-path=SCRIPTDIR source=lib/bgp-cluster.sh
source "$REPO_ROOT/scripts/lib/bgp-cluster.sh"
trap agent_cluster_cleanup EXIT
note() { echo "bench-agent.sh: $*"; }
trap 'note "stopped: line $LINENO: $BASH_COMMAND failed"' ERR
now_ns() { date +%s%N; }

setup_topology
start_etcd || exit 1

# converge_run BACKEND EXISTING_PODS...: one new node n2; sets RUN="conflist_ms pod_ms converged_ms".
# Not in a subshell: the pod's address and the processes started must stay known to this shell.
RUN=""
converge_run() {
    local backend="$1" conf t0 t_conf t_pod pod pair done_files=() probers=() i=0 f latest=0 t
    shift
    add_node n2
    pod_sandbox n2p
    conf="$(node_dir n2)/net.d/10-cnisharp.conflist"
    t0=$(now_ns)
    start_agent n2 "$backend"
    while [[ ! -e "$conf" ]]; do
        (( $(now_ns) - t0 < 10000000000 )) || { note "no conflist from n2 within 10 s"; tail -5 "$(node_dir n2)/agent.log"; return 1; }
        sleep 0.002
    done
    t_conf=$(now_ns)
    add_pod n2 n2p || return 1
    t_pod=$(now_ns)
    # Both directions to every existing pod, all at once; each prober records when it got its answer.
    for pod in "$@"; do
        for pair in "n2p:$pod" "$pod:n2p"; do
            f="$work_dir/reach.$i"; i=$((i + 1)); done_files+=("$f")
            # Again after an ICMP error: before the route is everywhere, a router on the way may answer
            # "unreachable", which ends ping at once.
            (
                until nsenter --net="/run/netns/$(ns_of "${pair%%:*}")" ping -n -q -i 0.01 -c 1 -w 1 "${POD_IP[${pair##*:}]}" >/dev/null 2>&1; do
                    (( $(now_ns) - t0 < 10000000000 )) || { echo fail >"$f"; exit 0; }
                    sleep 0.01
                done
                now_ns >"$f"
            ) &
            probers+=("$!")
        done
    done
    wait "${probers[@]}"
    for f in "${done_files[@]}"; do
        t="$(cat "$f")"
        [[ "$t" != fail ]] || { note "a pair did not converge within 10 s"; return 1; }
        ((t > latest)) && latest=$t
    done
    RUN="$(( (t_conf - t0) / 1000000 )) $(( (t_pod - t0) / 1000000 )) $(( (latest - t0) / 1000000 ))"
    rm -f "${done_files[@]}"
}

# leave_new_node EXISTING_NODES...: n2 goes for good, and the others have dropped its route before the next run.
leave_new_node() {
    local s node
    s="$(subnet_of n2)"
    del_pod n2 n2p
    stop_agent n2 || true
    leave n2
    remove_node n2
    for node in "$@"; do
        wait_for 5 no_route_any "$node" "$s" >/dev/null || note "$node still routes to $s"
    done
}

median_min_max() { sort -n | awk '{ v[NR] = $1 } END { printf "%d (%d-%d)", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR] }'; }

# tput SRC DST: TCP Gbit/s from SRC's pod to DST's over 2 s (one stream, Python both ends: a relative figure).
tput() {
    local server out
    nsenter --net="/run/netns/$(ns_of "$2")" python3 "$AGENT_TOOLS/tcp-throughput.py" serve 7778 >/dev/null &
    server=$!
    sleep 0.3
    out="$(in_ns "$(ns_of "$1")" python3 "$AGENT_TOOLS/tcp-throughput.py" send "${POD_IP[$2]}" 7778 2)" || out="?"
    wait "$server" 2>/dev/null || true
    echo "$out"
}

rtt() { nsenter --net="/run/netns/$(ns_of "$1")" ping -n -q -i 0.01 -c 200 "${POD_IP[$2]}" | sed -nE 's|.*= [0-9.]+/([0-9.]+)/.*|\1|p'; }

declare -a report=()
IFS=',' read -r -a backend_list <<<"$backends"
for backend in "${backend_list[@]}"; do
    if [[ "$backend" == host-gw ]]; then existing=(n1 n3); else existing=(n1 n4); fi
    agent_backend="$backend" VARIANT_CLEAR=""
    if [[ "$backend" == bgp-* ]]; then
        command -v bird >/dev/null || { note "$backend: bird is not installed (scripts/install-deps.sh)"; exit 1; }
        bgp_variant "$backend" || exit 1
        agent_backend=bgp existing=("${VARIANT_EXISTING[@]}")
    fi
    NODES=("${existing[@]}")
    for node in "${existing[@]}"; do start_agent "$node" "$agent_backend"; done
    for node in "${existing[@]}"; do wait_healthy "$node" || { [[ -z "${AGENT_BENCH_PAUSE:-}" ]] || sleep "$AGENT_BENCH_PAUSE"; exit 1; }; done
    PODS=()
    for node in "${existing[@]}"; do add_pod "$node" "${node}p"; done
    : >"$work_dir/$backend.runs"
    for r in $(seq "$runs"); do
        converge_run "$agent_backend" "${existing[@]/%/p}" || exit 1
        note "$backend run $r: conflist, pod ready, converged (ms after agent start): $RUN"
        echo "$RUN" >>"$work_dir/$backend.runs"
        if ((r == runs)); then
            cross="$(rtt n1p n2p)" cross_tput="$(tput n1p n2p)"
            add_pod n1 n1q
            same="$(rtt n1p n1q)" same_tput="$(tput n1p n1q)"
            del_pod n1 n1q
        fi
        NODES=("${existing[@]}" n2)
        # shellcheck disable=SC2086 # VARIANT_CLEAR: zero or more namespace names
        leave_new_node "${existing[@]}" $VARIANT_CLEAR
        NODES=("${existing[@]}")
    done
    report+=("$(printf '%-27s %-18s %-18s %-18s %-10s %-10s %-10s %s' "$backend" \
        "$(cut -d' ' -f1 "$work_dir/$backend.runs" | median_min_max)" \
        "$(cut -d' ' -f2 "$work_dir/$backend.runs" | median_min_max)" \
        "$(cut -d' ' -f3 "$work_dir/$backend.runs" | median_min_max)" "$cross" "$same" "$cross_tput" "$same_tput")")
    drop_pods
    stop_all || true
    [[ "$backend" != bgp-* ]] || bgp_variant_done
    # The next backend starts from nodes without this one's state.
    for node in "${existing[@]}"; do
        leave "$node"
        remove_node "$node"
        add_node "$node"
    done
done

echo
echo "cnisharp-agent convergence, $runs runs per backend, median (min-max) ms after the new node's agent started;"
echo "RTT: ping average over 200 packets, ms; TCP: one stream for 2 s, Gbit/s (cross-node n1p->n2p, same-node n1p->n1q)."
echo "Plugin: $plugin."
printf '%-27s %-18s %-18s %-18s %-10s %-10s %-10s %s\n' backend conflist "pod ready" converged "RTT cross" "RTT same" "TCP cross" "TCP same"
printf '%s\n' "${report[@]}"
