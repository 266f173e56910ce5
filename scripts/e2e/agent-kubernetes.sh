#!/usr/bin/env bash
# End-to-end: cnisharp-agent with --datastore kubernetes against a real kube-apiserver (v1.20.2, built
# from Debian's source package) and kube-controller-manager allocating the nodes' podCIDRs. Node
# namespaces on one bridge, an agent in each with the kind kit's RBAC (service-account token), routes
# checked in the kernel, traffic between the nodes' pod subnets, Node deletion and 'leave' cleaned up
# everywhere. One line per case: "E2E PASS|FAIL|SKIP <case>[: why]".
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly HERE="$REPO_ROOT/scripts/e2e/agent-kubernetes"

usage() {
    cat <<'USAGE'
Usage: sudo scripts/e2e/agent-kubernetes.sh [-h|--help]

Topology (all made here, all removed at the end): a "router" network namespace with a bridge
(10.213.0.1/24, fd00:213::1/64) that hosts the control plane (scripts/lib/k8s-control-plane.sh:
etcd, kube-apiserver on 10.213.0.1, kube-controller-manager with --allocate-node-cidrs from
10.244.0.0/16,fd00:10:244::/56, dual stack), and three node namespaces n1..n3 whose eth0 is a
veth on that bridge (10.213.0.11-13, fd00:213::11-13). Node objects are created through the API
(as a kubelet would register them); each node runs 'cnisharp-agent --datastore kubernetes
--kubeconfig FILE --backend host-gw' inside its namespace, with the token of the kind kit's
service account (conf/kind/cnisharp.yaml: its RBAC is applied, nothing else).

Cases:
  k8s-binaries        Kubernetes binaries built or cached (scripts/lib/build-kubernetes.sh)
  k8s-control-plane   the control plane answers on the router's address
  k8s-rbac            the kind kit's account may get/list/watch/patch nodes and patch
                      nodes/status, and nothing else asked here (pods, secrets, node delete)
  k8s-publish         every agent published cnisharp.io/backend, public-ipv4 and public-ipv6
                      (its eth0 addresses) on its Node and set NetworkUnavailable=False
  k8s-conflist        every agent's conflist has its Node's spec.podCIDRs as IPAM ranges
  k8s-routes          every node routes every peer's podCIDRs (IPv4 and IPv6) via the peer
  k8s-traffic         a pod per node, added through the conflist its agent wrote (ptp once
                      built, else bridge), pings every other node's pod over IPv4 and IPv6
  k8s-node-delete     deleting a Node removes its routes from the others within 10 s
  k8s-sigterm         SIGTERM stops an agent within 5 s and its peers keep their routes to it
  k8s-leave           'cnisharp-agent leave' removes the Node's annotations; peers drop its
                      routes within 10 s
  k8s-teardown        agents and control plane stopped by PID, namespaces and temp dir gone

Needs root, iproute2, etcd-server, golang-go, dpkg-dev and the deb-src index (scripts/install-
deps.sh), and the built agent (scripts/build.sh). A cold Kubernetes build takes ~6-8 min on two
cores (cached under /var/cache/cnisharp/kubernetes afterwards: seconds).

Environment:
  CNISHARP_AGENT_BIN  the agent binary (default: <repo>/artifacts/bin/cnisharp-agent)
  CNISHARP_BIN_DIR    the plugins, CNI_PATH of the pods (default: <repo>/artifacts/cni/bin)
USAGE
}

case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") ;;
    *) echo "agent-kubernetes.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac

readonly CASES=(k8s-binaries k8s-control-plane k8s-rbac k8s-publish k8s-conflist k8s-routes k8s-traffic
    k8s-node-delete k8s-sigterm k8s-leave k8s-teardown)
AGENT="${CNISHARP_AGENT_BIN:-$REPO_ROOT/artifacts/bin/cnisharp-agent}"
readonly AGENT
BIN_DIR="${CNISHARP_BIN_DIR:-$REPO_ROOT/artifacts/cni/bin}"
readonly BIN_DIR
# The conflist's plugin: ptp (the agent's default) once it is built, else the bridge.
plugin=bridge
[[ -e "$BIN_DIR/cnisharp-ptp" ]] && plugin=ptp
readonly plugin
readonly NODES=(n1 n2 n3)
readonly CLUSTER_CIDR=10.244.0.0/16,fd00:10:244::/56
readonly ROUTER_V4=10.213.0.1 ROUTER_V6=fd00:213::1
readonly SA_NAMESPACE=cnisharp-system SA_NAME=cnisharp

failures=0
declare -A reported=()
pass() { echo "E2E PASS $1${2:+: $2}"; reported[$1]=1; }
fail() { echo "E2E FAIL $1: $2"; reported[$1]=1; failures=$((failures + 1)); }
skip() { echo "E2E SKIP $1: $2"; reported[$1]=1; }
skip_rest() {
    local c
    for c in "${CASES[@]}"; do
        [[ -n "${reported[$c]:-}" ]] || skip "$c" "$1"
    done
}
say() { echo "agent-kubernetes.sh: $*" >&2; }

if [[ "$(id -u)" -ne 0 ]]; then
    skip_rest "needs root (network namespaces, a control plane)"
    exit 0
fi

# --- names: unique per run, so parallel runs and leftovers never collide ---------------------------
readonly id=$$
readonly ROUTER="ck8r-$id"
node_ns() { echo "ck8$1-$id"; }
pod_ns() { echo "ck8p${1#n}-$id"; }
node_v4() { echo "10.213.0.1${1#n}"; }
node_v6() { echo "fd00:213::1${1#n}"; }
tmp="$(mktemp -d /tmp/cnisharp-e2e-k8s.XXXXXX)"
readonly tmp
cp_dir="$tmp/control-plane"
declare -A agent_pid=()

stop_agent() {
    local node="$1" pid="${agent_pid[$1]:-}"
    [[ -n "$pid" ]] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "agent_pid[$node]"
}

cleanup() {
    local node
    for node in "${NODES[@]}"; do ip netns del "$(pod_ns "$node")" 2>/dev/null || true; done
    for node in "${!agent_pid[@]}"; do stop_agent "$node"; done
    "$REPO_ROOT/scripts/lib/k8s-control-plane.sh" stop --dir "$cp_dir" >/dev/null 2>&1 || true
    for node in "${NODES[@]}"; do ip netns del "$(node_ns "$node")" 2>/dev/null || true; done
    ip netns del "$ROUTER" 2>/dev/null || true
    rm -rf -- "$tmp"
}
trap cleanup EXIT

# wait_until SECONDS CMD...: poll CMD every 0.1 s; false when it never succeeded.
wait_until() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
}

now_ms() { date +%s%3N; }

# --- k8s-binaries -----------------------------------------------------------------------------------
build_status=0
started=$SECONDS
k8s_bin="$("$REPO_ROOT/scripts/lib/build-kubernetes.sh" 2>"$tmp/build.log")" || build_status=$?
if ((build_status == 3)); then
    skip_rest "$(tail -n1 "$tmp/build.log")"
    exit 0
elif ((build_status != 0)); then
    tail -n 20 "$tmp/build.log" >&2
    fail k8s-binaries "scripts/lib/build-kubernetes.sh exited $build_status (output above)"
    skip_rest "no Kubernetes binaries"
    exit 1
fi
pass k8s-binaries "$("$k8s_bin/kube-apiserver" --version) in $k8s_bin ($((SECONDS - started)) s)"

if [[ ! -x "$AGENT" ]]; then
    fail k8s-control-plane "no agent binary $AGENT: run scripts/build.sh"
    skip_rest "no agent binary"
    exit 1
fi

# --- topology ---------------------------------------------------------------------------------------
ip netns add "$ROUTER"
ip -n "$ROUTER" link set lo up
ip -n "$ROUTER" link add br0 type bridge
ip -n "$ROUTER" addr add "$ROUTER_V4/24" dev br0
ip -n "$ROUTER" addr add "$ROUTER_V6/64" dev br0 nodad
ip -n "$ROUTER" link set br0 up
for node in "${NODES[@]}"; do
    ns="$(node_ns "$node")"
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip -n "$ROUTER" link add "kd$id$node" type veth peer name eth0 netns "$ns"
    ip -n "$ROUTER" link set "kd$id$node" master br0 up
    ip -n "$ns" addr add "$(node_v4 "$node")/24" dev eth0
    ip -n "$ns" addr add "$(node_v6 "$node")/64" dev eth0 nodad
    ip -n "$ns" link set eth0 up
    ip -n "$ns" route add default via "$ROUTER_V4"
done

# --- k8s-control-plane ------------------------------------------------------------------------------
started=$SECONDS
if ! "$REPO_ROOT/scripts/lib/k8s-control-plane.sh" start --dir "$cp_dir" --netns "$ROUTER" --address "$ROUTER_V4" \
    --cluster-cidr "$CLUSTER_CIDR" --bin-dir "$k8s_bin" >/dev/null 2>"$tmp/control-plane.log"; then
    tail -n 30 "$tmp/control-plane.log" >&2
    fail k8s-control-plane "k8s-control-plane.sh start failed (output above)"
    skip_rest "no control plane"
    exit 1
fi
kubectl() { "$cp_dir/kubectl" "$@"; }
pass k8s-control-plane "$(sed -n 's/^K8S_API_SERVER=//p' "$cp_dir/env") ready in $((SECONDS - started)) s"

# --- k8s-rbac: the kind kit's account, nothing more -------------------------------------------------
"$HERE/manifest-docs.py" "$REPO_ROOT/conf/kind/cnisharp.yaml" Namespace ServiceAccount ClusterRole ClusterRoleBinding \
    >"$tmp/rbac.yaml"
kubectl apply -f "$tmp/rbac.yaml" >/dev/null
sa_kubeconfig="$tmp/agent.kubeconfig"
"$REPO_ROOT/scripts/lib/k8s-control-plane.sh" kubeconfig --dir "$cp_dir" \
    --service-account "$SA_NAMESPACE/$SA_NAME" --out "$sa_kubeconfig" 2>>"$tmp/control-plane.log"
as_agent="system:serviceaccount:$SA_NAMESPACE:$SA_NAME"
rbac_problems=()
# can_i "VERB RESOURCE [SUBRESOURCE]": kubectl's yes/no for the agent's account.
can_i() {
    local verb resource subresource
    read -r verb resource subresource <<<"$1"
    kubectl auth can-i "$verb" "$resource" ${subresource:+--subresource "$subresource"} --as "$as_agent" 2>/dev/null || true
}
for allowed in "get nodes" "list nodes" "watch nodes" "patch nodes" "patch nodes status"; do
    [[ "$(can_i "$allowed")" == yes ]] || rbac_problems+=("cannot $allowed")
done
for denied in "delete nodes" "update nodes" "create nodes" "update nodes status" "list pods" "get secrets" "patch pods"; do
    [[ "$(can_i "$denied")" == no ]] || rbac_problems+=("may $denied")
done
if ((${#rbac_problems[@]} == 0)); then
    pass k8s-rbac "$as_agent: nodes get/list/watch/patch, nodes/status patch, nothing else asked"
else
    fail k8s-rbac "$(IFS=';'; echo "${rbac_problems[*]}")"
fi

# --- Nodes registered (as kubelets would), then the agents ------------------------------------------
for node in "${NODES[@]}"; do
    printf 'apiVersion: v1\nkind: Node\nmetadata:\n  name: %s\n' "$node" | kubectl create -f - >/dev/null
done
pod_cidrs() { kubectl get node "$1" -o 'jsonpath={.spec.podCIDRs[*]}' 2>/dev/null; }
has_dual_cidrs() { [[ "$(pod_cidrs "$1")" == *.*\ *:* ]]; }
for node in "${NODES[@]}"; do
    wait_until 30 has_dual_cidrs "$node" || say "Node $node has no dual-stack podCIDRs after 30 s: '$(pod_cidrs "$node")'"
done

start_agent() {
    local node="$1" ns
    ns="$(node_ns "$node")"
    mkdir -p "$tmp/$node"
    nsenter --net="/run/netns/$ns" -- "$AGENT" --node-name "$node" --datastore kubernetes --kubeconfig "$sa_kubeconfig" \
        --backend host-gw --iface eth0 --cluster-cidr "$CLUSTER_CIDR" --plugin "$plugin" \
        --cni-conf-dir "$tmp/$node/net.d" --data-dir "$tmp/$node/data" --state-dir "$tmp/$node/state" \
        --health-addr 127.0.0.1:9099 </dev/null >>"$tmp/$node/agent.log" 2>&1 &
    agent_pid[$node]=$!
}
agent_logs() {
    local node
    for node in "${NODES[@]}"; do
        [[ -e "$tmp/$node/agent.log" ]] || continue
        echo "---- agent $node (last 15 lines) ----" >&2
        tail -n 15 "$tmp/$node/agent.log" >&2
    done
}
for node in "${NODES[@]}"; do start_agent "$node"; done

# --- k8s-publish --------------------------------------------------------------------------------------
annotation() { kubectl get node "$1" -o "jsonpath={.metadata.annotations.cnisharp\\.io/$2}" 2>/dev/null; }
published() {
    [[ "$(annotation "$1" backend)" == host-gw && "$(annotation "$1" public-ipv4)" == "$(node_v4 "$1")" &&
        "$(annotation "$1" public-ipv6)" == "$(node_v6 "$1")" ]] || return 1
    [[ "$(kubectl get node "$1" -o 'jsonpath={.status.conditions[?(@.type=="NetworkUnavailable")].status}')" == False ]]
}
problems=()
for node in "${NODES[@]}"; do
    wait_until 30 published "$node" || problems+=("$node: backend='$(annotation "$node" backend)' ipv4='$(annotation "$node" public-ipv4)' ipv6='$(annotation "$node" public-ipv6)'")
done
if ((${#problems[@]} == 0)); then
    pass k8s-publish "cnisharp.io/{backend,public-ipv4,public-ipv6} on all ${#NODES[@]} Nodes, NetworkUnavailable=False"
else
    agent_logs
    fail k8s-publish "$(IFS=';'; echo "${problems[*]}")"
fi

# --- k8s-conflist ---------------------------------------------------------------------------------------
conflist_ranges() { "$HERE/conflist-ranges.py" "$tmp/$1/net.d/10-cnisharp.conflist" 2>/dev/null; }
conflist_matches() { [[ "$(conflist_ranges "$1")" == "$(pod_cidrs "$1" | tr ' ' '\n' | LC_ALL=C sort | paste -sd' ')" ]]; }
problems=()
for node in "${NODES[@]}"; do
    wait_until 20 conflist_matches "$node" || problems+=("$node: conflist ranges '$(conflist_ranges "$node")', podCIDRs '$(pod_cidrs "$node")'")
done
if ((${#problems[@]} == 0)); then
    pass k8s-conflist "IPAM ranges = spec.podCIDRs on every node"
else
    fail k8s-conflist "$(IFS=';'; echo "${problems[*]}")"
fi

# --- k8s-routes -------------------------------------------------------------------------------------------
# route_of NS CIDR: NS's route for exactly CIDR (ip route needs the family for IPv6), or nothing.
route_of() {
    local family=-4
    [[ "$2" == *:* ]] && family=-6
    ip -n "$1" "$family" route show exact "$2" 2>/dev/null
}
# routes_to FROM TO: FROM routes each of TO's podCIDRs via TO's underlay address of that family.
routes_to() {
    local from_ns cidr via
    from_ns="$(node_ns "$1")"
    for cidr in $(pod_cidrs "$2"); do
        if [[ "$cidr" == *:* ]]; then via="$(node_v6 "$2")"; else via="$(node_v4 "$2")"; fi
        [[ "$(route_of "$from_ns" "$cidr")" == *" via $via "* ]] || return 1
    done
}
# no_routes_to FROM CIDR...: FROM has no route for any of the CIDRs.
no_routes_to() {
    local from_ns cidr
    from_ns="$(node_ns "$1")"
    shift
    for cidr in "$@"; do
        [[ -z "$(route_of "$from_ns" "$cidr")" ]] || return 1
    done
}
all_routes() {
    local a b
    for a in "${NODES[@]}"; do
        for b in "${NODES[@]}"; do
            [[ "$a" == "$b" ]] || routes_to "$a" "$b" || return 1
        done
    done
}
if wait_until 20 all_routes; then
    pass k8s-routes "$(( ${#NODES[@]} * (${#NODES[@]} - 1) * 2 )) routes (IPv4 and IPv6 podCIDR via the peer's eth0)"
else
    for a in "${NODES[@]}"; do ip -n "$(node_ns "$a")" route show table all proto all 2>/dev/null | sed "s/^/$a: /" | grep -E '10\.244|fd00:10:244' >&2 || true; done
    agent_logs
    fail k8s-routes "not every node routes every peer's podCIDRs (routes above)"
fi

# --- k8s-traffic: a pod per node, added through the conflist its agent wrote, pings the others' -----------
cnilib() { python3 "$REPO_ROOT/scripts/lib/cnilib_cli.py" "$@"; }
declare -A pod_v4=() pod_v6=()
# add_pod NODE: ADD through NODE's conflist, run from NODE's namespace as its runtime would.
add_pod() {
    local node="$1" ns result
    ns="$(pod_ns "$node")"
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    result="$(nsenter --net="/run/netns/$(node_ns "$node")" -- python3 "$REPO_ROOT/scripts/lib/cnilib_cli.py" add \
        "$tmp/$node/net.d/10-cnisharp.conflist" --cni-path "$BIN_DIR" --id "ck8-$id-$node" --netns "/run/netns/$ns")" || return 1
    echo "$result" >"$tmp/$node/pod.result"
    pod_v4[$node]="$(cnilib addresses "$tmp/$node/pod.result" 4 | head -n1)"
    pod_v6[$node]="$(cnilib addresses "$tmp/$node/pod.result" 6 | head -n1)"
    [[ -n "${pod_v4[$node]}" ]]
}
# del_pod NODE: DEL (so the IPAM reservation and veth go), then the pod's namespace.
del_pod() {
    local node="$1"
    [[ -e "/run/netns/$(pod_ns "$node")" ]] || return 0
    if [[ -s "$tmp/$node/pod.result" ]]; then
        nsenter --net="/run/netns/$(node_ns "$node")" -- python3 "$REPO_ROOT/scripts/lib/cnilib_cli.py" del \
            "$tmp/$node/net.d/10-cnisharp.conflist" --cni-path "$BIN_DIR" --id "ck8-$id-$node" \
            --netns "/run/netns/$(pod_ns "$node")" --cached-result "$tmp/$node/pod.result" >/dev/null 2>&1 || true
    fi
    ip netns del "$(pod_ns "$node")" 2>/dev/null || true
}
problems=()
if [[ ! -x "$BIN_DIR/cnisharp" ]]; then
    problems+=("no plugins in $BIN_DIR: run scripts/build.sh")
else
    for node in "${NODES[@]}"; do
        add_pod "$node" 2>>"$tmp/$node/pod.log" || problems+=("ADD through $node's conflist failed: $(tail -n1 "$tmp/$node/pod.log" 2>/dev/null)")
    done
fi
if ((${#problems[@]} == 0)); then
    for a in "${NODES[@]}"; do
        for b in "${NODES[@]}"; do
            [[ "$a" != "$b" ]] || continue
            # Three tries: a first packet lost to a neighbour resolution is no failure (ping exits 0 on any reply).
            ip netns exec "$(pod_ns "$a")" ping -c3 -i0.2 -W2 "${pod_v4[$b]}" >/dev/null 2>&1 || problems+=("$a->$b ${pod_v4[$b]}")
            if [[ -n "${pod_v6[$b]}" ]]; then
                ip netns exec "$(pod_ns "$a")" ping -6 -c3 -i0.2 -W2 "${pod_v6[$b]}" >/dev/null 2>&1 || problems+=("$a->$b ${pod_v6[$b]}")
            else
                problems+=("$b's pod has no IPv6 address")
            fi
        done
    done
    if ((${#problems[@]} == 0)); then
        pass k8s-traffic "pods ($plugin, added through each agent's conflist) ping each other across nodes over IPv4 and IPv6"
    else
        fail k8s-traffic "no answer: $(IFS=';'; echo "${problems[*]}")"
    fi
else
    fail k8s-traffic "$(IFS=';'; echo "${problems[*]}")"
fi
for node in "${NODES[@]}"; do del_pod "$node"; done

# --- k8s-node-delete ------------------------------------------------------------------------------------
# logged NODE TEXT: the agent of NODE said TEXT (what its datastore saw, whatever its dataplane did).
logged() { grep -qF -- "$2" "$tmp/$1/agent.log" 2>/dev/null; }
read -r -a gone_cidrs <<<"$(pod_cidrs n3)"
had_routes=true
routes_to n1 n3 && routes_to n2 n3 || had_routes=false
started_ms=$(now_ms)
kubectl delete node n3 --wait=false >/dev/null
problems=()
for node in n1 n2; do
    wait_until 10 no_routes_to "$node" "${gone_cidrs[@]}" || problems+=("$node still routes ${gone_cidrs[*]}")
done
elapsed_ms=$(($(now_ms) - started_ms))
seen="the agents' datastore saw the delete: $(logged n1 "Node n3 deleted" && logged n2 "Node n3 deleted" && echo yes || echo no)"
if ((${#gone_cidrs[@]} == 0)); then
    fail k8s-node-delete "n3 had no podCIDRs to remove"
elif ! $had_routes; then
    fail k8s-node-delete "n1 and n2 had no routes to n3 before the delete (see k8s-routes): nothing to see removed; $seen"
elif ((${#problems[@]} == 0)); then
    pass k8s-node-delete "n3's routes (${gone_cidrs[*]}) gone from n1 and n2 ${elapsed_ms} ms after the delete"
else
    agent_logs
    fail k8s-node-delete "$(IFS=';'; echo "${problems[*]}") 10 s after deleting Node n3"
fi
stop_agent n3

# --- k8s-sigterm: an agent stops quickly and its peers keep their routes to it ------------------------
pid="${agent_pid[n2]}"
had_routes=true
routes_to n1 n2 || had_routes=false
started_ms=$(now_ms)
kill -TERM "$pid"
exited=false
for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { exited=true; break; }
    sleep 0.05
done
stop_ms=$(($(now_ms) - started_ms))
wait "$pid" 2>/dev/null && exit_status=0 || exit_status=$?
unset "agent_pid[n2]"
sleep 2
if ! $exited; then
    fail k8s-sigterm "the n2 agent still ran 5 s after SIGTERM"
elif ! $had_routes; then
    fail k8s-sigterm "n2's agent exited $exit_status ${stop_ms} ms after SIGTERM, but n1 had no routes to n2 to keep (see k8s-routes)"
elif ! routes_to n1 n2; then
    fail k8s-sigterm "n1 lost its routes to n2 when n2's agent stopped"
else
    pass k8s-sigterm "n2's agent exited $exit_status ${stop_ms} ms after SIGTERM; n1 still routes n2's podCIDRs 2 s later"
fi

# --- k8s-leave --------------------------------------------------------------------------------------------
read -r -a left_cidrs <<<"$(pod_cidrs n2)"
had_routes=true
routes_to n1 n2 || had_routes=false
leave_out="$(nsenter --net="/run/netns/$(node_ns n2)" -- "$AGENT" leave --node-name n2 --datastore kubernetes \
    --kubeconfig "$sa_kubeconfig" 2>&1)" && leave_status=0 || leave_status=$?
if ((leave_status != 0)); then
    fail k8s-leave "cnisharp-agent leave exited $leave_status: $leave_out"
elif [[ -n "$(annotation n2 backend)$(annotation n2 public-ipv4)$(annotation n2 public-ipv6)" ]]; then
    fail k8s-leave "Node n2 still carries cnisharp.io annotations after leave"
elif ! $had_routes; then
    fail k8s-leave "annotations removed ($(wait_until 10 logged n1 "Node n2 left the pod network" && echo "n1's datastore saw n2 leave" || echo "n1's datastore did not see n2 leave")), but n1 had no routes to n2 to drop (see k8s-routes)"
elif ! wait_until 10 no_routes_to n1 "${left_cidrs[@]}"; then
    agent_logs
    fail k8s-leave "n1 still routes n2's ${left_cidrs[*]} 10 s after leave"
else
    pass k8s-leave "annotations removed; n1 dropped n2's routes (${left_cidrs[*]})"
fi

# --- k8s-teardown -----------------------------------------------------------------------------------------
cp_pids="$(cat "$cp_dir"/pids/*.pid 2>/dev/null | paste -sd' ')"
agent_pids="${agent_pid[*]}"
cleanup
trap - EXIT
leftovers=()
for pid in $cp_pids $agent_pids; do
    [[ -r "/proc/$pid/cmdline" && -n "$(tr -d '\0' <"/proc/$pid/cmdline")" ]] && leftovers+=("process $pid")
done
for ns in "$ROUTER" "$(node_ns n1)" "$(node_ns n2)" "$(node_ns n3)" "$(pod_ns n1)" "$(pod_ns n2)" "$(pod_ns n3)"; do
    [[ ! -e "/run/netns/$ns" ]] || leftovers+=("netns $ns")
done
[[ ! -e "$tmp" ]] || leftovers+=("$tmp")
if ((${#leftovers[@]} == 0)); then
    pass k8s-teardown "agents and control plane stopped, namespaces and $tmp removed"
else
    fail k8s-teardown "left behind: ${leftovers[*]}"
fi

((failures == 0))
