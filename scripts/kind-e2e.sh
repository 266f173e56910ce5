#!/usr/bin/env bash
# CniSharp on a real kind cluster: build the image, create a two-node cluster without
# kindnet, install CniSharp's DaemonSet, and check pod-to-pod traffic on one node, across
# nodes, and through a hostPort (kind's portmap chained after cnisharp-bridge).
# Needs Docker, kind and kubectl; not part of scripts/test.sh (CI has no Docker engine).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly KIND_DIR="$REPO_ROOT/conf/kind"
readonly BASE_IMAGE="cnisharp:dev"
readonly KIND_IMAGE="cnisharp-kind:dev" # the image name conf/kind/cnisharp.yaml uses
readonly TEST_NAMESPACE="cnisharp-e2e"

usage() {
    cat <<'USAGE'
Usage: scripts/kind-e2e.sh [--name NAME] [--keep] [--no-build] [--pod-image IMAGE] [-h|--help]

  1. docker build: cnisharp:dev (Dockerfile), then cnisharp-kind:dev (conf/kind/Dockerfile)
  2. kind create cluster from conf/kind/cluster.yaml (control-plane + worker, no kindnet)
  3. kind load docker-image cnisharp-kind:dev; kubectl apply -f conf/kind/cnisharp.yaml
  4. wait for the DaemonSet and for every node to be Ready (nodes become Ready only
     when a conflist exists: that is CniSharp's agent at work)
  5. route each node's pod CIDR via that node's InternalIP on every other node
     (docker exec <node> ip route replace ...): CniSharp is a CNI plugin, it wires
     pods on its own node only; in a default kind cluster kindnet adds these routes
  6. CoreDNS becomes Ready (cluster pods on CniSharp's network reach the API server)
  7. pods: two on the worker, one on the control plane (busybox, pinned with nodeName);
     checks: pod IPs inside their node's pod CIDR, ping on one node, ping across nodes,
     HTTP to a hostPort on the worker from the control-plane pod (portmap chained),
     the conflist on each node, loopback/host-local/portmap still in /opt/cni/bin
  8. kind delete cluster (unless --keep)

Options:
  --name NAME        kind cluster name (default: cnisharp-e2e); an existing cluster
                     of that name is refused, never reused or deleted
  --keep             leave the cluster running (kubectl --context kind-NAME ...)
  --no-build         use the cnisharp-kind:dev image already in Docker
  --pod-image IMAGE  test pod image with sh, ping, wget and httpd (default: busybox:1.36,
                     pulled by the kind nodes)
  -h, --help         show this help

Needs: docker (with a running engine), kind, kubectl on PATH. Prints "PASS <check>" or
"FAIL <check>: <why>" per check; exits non-zero if any check failed.
USAGE
}

cluster="cnisharp-e2e"
keep=false
build=true
pod_image="busybox:1.36"
while (($# > 0)); do
    case "$1" in
        --name) [[ $# -ge 2 ]] || { echo "kind-e2e: --name needs a value" >&2; exit 2; }; cluster="$2"; shift ;;
        --keep) keep=true ;;
        --no-build) build=false ;;
        --pod-image) [[ $# -ge 2 ]] || { echo "kind-e2e: --pod-image needs a value" >&2; exit 2; }; pod_image="$2"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "kind-e2e: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

log() { echo "kind-e2e: $*"; }
die() { echo "kind-e2e: error: $*" >&2; exit 1; }

# ---- prerequisites, before anything is built or created ----------------------------------
missing=()
for tool in docker kind kubectl; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]} > 0)); then
    echo "kind-e2e: error: missing on PATH: ${missing[*]} (this script needs Docker, kind and kubectl)" >&2
    exit 2
fi
docker info >/dev/null 2>&1 || { echo "kind-e2e: error: docker is installed but no Docker engine answers (docker info failed)" >&2; exit 2; }
if kind get clusters 2>/dev/null | grep -xF -- "$cluster" >/dev/null; then
    echo "kind-e2e: error: a kind cluster named $cluster already exists; delete it or pick --name" >&2
    exit 2
fi

context="kind-$cluster"
k() { kubectl --context "$context" "$@"; }

failures=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; failures=$((failures + 1)); }

created=false
diagnostics() {
    $created || return 0
    log "---- diagnostics ----"
    k get nodes -o wide || true
    k get pods -A -o wide || true
    k -n cnisharp-system logs daemonset/cnisharp --all-containers --tail=50 || true
    local node
    for node in $(kind get nodes --name "$cluster" 2>/dev/null); do
        echo "---- $node: /etc/cni/net.d, /opt/cni/bin, routes, containerd log ----"
        docker exec "$node" sh -c 'ls -la /etc/cni/net.d /opt/cni/bin; ip route; journalctl -u containerd --no-pager | grep -i cni | tail -n 20' || true
    done
}

cleanup() {
    local status=$?
    if ((status != 0 || failures > 0)); then diagnostics; fi
    if $created; then
        if $keep; then
            log "--keep: cluster $cluster left running (kubectl --context $context ...; kind delete cluster --name $cluster)"
        else
            log "deleting cluster $cluster"
            kind delete cluster --name "$cluster" || true
        fi
    fi
    exit "$status"
}
trap cleanup EXIT

# ---- image -----------------------------------------------------------------------------
if $build; then
    log "docker build $BASE_IMAGE"
    docker build -t "$BASE_IMAGE" "$REPO_ROOT"
    log "docker build $KIND_IMAGE"
    # The repository is the context: the image takes its scripts from scripts/kind.
    docker build -t "$KIND_IMAGE" --build-arg "BASE_IMAGE=$BASE_IMAGE" -f "$KIND_DIR/Dockerfile" "$REPO_ROOT"
fi
docker image inspect "$KIND_IMAGE" >/dev/null 2>&1 || die "image $KIND_IMAGE not found (run without --no-build)"

# ---- cluster + CniSharp ----------------------------------------------------------------------
log "kind create cluster --name $cluster"
created=true
# No --wait: without a CNI config the nodes cannot become Ready yet.
kind create cluster --name "$cluster" --config "$KIND_DIR/cluster.yaml"
kind load docker-image "$KIND_IMAGE" --name "$cluster"
k apply -f "$KIND_DIR/cnisharp.yaml"

if k -n cnisharp-system rollout status daemonset/cnisharp --timeout=180s; then
    pass "daemonset-ready"
else
    fail "daemonset-ready" "the cnisharp DaemonSet did not become ready in 180 s"
    exit 1
fi
if k wait --for=condition=Ready nodes --all --timeout=180s; then
    pass "nodes-ready"
else
    fail "nodes-ready" "nodes not Ready in 180 s after the conflist agent started"
    exit 1
fi

mapfile -t nodes < <(k get nodes -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}')
declare -A pod_cidr node_ip
for node in "${nodes[@]}"; do
    pod_cidr[$node]="$(k get node "$node" -o jsonpath='{.spec.podCIDR}')"
    node_ip[$node]="$(k get node "$node" -o jsonpath='{.status.addresses[?(@.type=="InternalIP")].address}')"
    [[ -n "${pod_cidr[$node]}" && -n "${node_ip[$node]}" ]] || die "node $node: no podCIDR or InternalIP"
    log "node $node: podCIDR ${pod_cidr[$node]}, InternalIP ${node_ip[$node]}"
done

# ---- the node's files ----------------------------------------------------------------------
for node in "${nodes[@]}"; do
    conflist="$(docker exec "$node" cat /etc/cni/net.d/10-cnisharp.conflist 2>/dev/null || true)"
    first="$(docker exec "$node" sh -c 'ls /etc/cni/net.d | grep -E "\.(conf|conflist|json)$" | sort | head -n 1' || true)"
    if [[ "$conflist" == *"\"subnet\": \"${pod_cidr[$node]}\""* && "$first" == "10-cnisharp.conflist" ]]; then
        pass "conflist-$node"
    else
        fail "conflist-$node" "10-cnisharp.conflist missing, not first ($first), or without subnet ${pod_cidr[$node]}"
    fi
    if docker exec "$node" sh -c 'for f in cnisharp cnisharp-bridge cnisharp-host-local loopback host-local portmap; do test -x /opt/cni/bin/$f || { echo "missing $f"; exit 1; }; done'; then
        pass "cni-bin-$node"
    else
        fail "cni-bin-$node" "/opt/cni/bin lacks a CniSharp entry point or one of kind's own plugins"
    fi
done

# ---- cross-node routes (what kindnet would do) ---------------------------------------------
for node in "${nodes[@]}"; do
    for other in "${nodes[@]}"; do
        [[ "$node" != "$other" ]] || continue
        docker exec "$node" ip route replace "${pod_cidr[$other]}" via "${node_ip[$other]}"
    done
done
log "routes added: each node reaches the other nodes' pod CIDRs via their InternalIP"

if k -n kube-system rollout status deployment/coredns --timeout=180s; then
    pass "coredns-ready"
else
    fail "coredns-ready" "CoreDNS not Ready in 180 s (pods on CniSharp's network)"
fi

# ---- test pods --------------------------------------------------------------------------
control_plane="$(k get nodes -l node-role.kubernetes.io/control-plane -o jsonpath='{.items[0].metadata.name}')"
worker="$(k get nodes -l '!node-role.kubernetes.io/control-plane' -o jsonpath='{.items[0].metadata.name}')"
[[ -n "$control_plane" && -n "$worker" ]] || die "need one control-plane and one worker node"

k create namespace "$TEST_NAMESPACE"
pod_manifest() { # name node [hostPort]
    cat <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $1
  namespace: $TEST_NAMESPACE
  labels:
    app: cnisharp-e2e
spec:
  nodeName: $2
  tolerations:
    - operator: Exists
  terminationGracePeriodSeconds: 0
  containers:
    - name: main
      image: $pod_image
      command: ["sh", "-c", "mkdir -p /www && echo cnisharp-hostport-ok > /www/index.html && httpd -p 8080 -h /www && exec sleep 3600"]
EOF
    if [[ $# -ge 3 ]]; then
        cat <<EOF
      ports:
        - containerPort: 8080
          hostPort: $3
          protocol: TCP
EOF
    fi
}
host_port=31080
{
    pod_manifest pod-a "$worker" "$host_port"
    echo "---"
    pod_manifest pod-b "$worker"
    echo "---"
    pod_manifest pod-c "$control_plane"
} | k apply -f -

if k -n "$TEST_NAMESPACE" wait --for=condition=Ready pod -l app=cnisharp-e2e --timeout=180s; then
    pass "pods-ready"
else
    fail "pods-ready" "test pods not Ready in 180 s"
    exit 1
fi

pod_ip() { k -n "$TEST_NAMESPACE" get pod "$1" -o jsonpath='{.status.podIP}'; }
ip_a="$(pod_ip pod-a)" ip_b="$(pod_ip pod-b)" ip_c="$(pod_ip pod-c)"
log "pod-a $ip_a ($worker), pod-b $ip_b ($worker), pod-c $ip_c ($control_plane)"

# IPv4 a.b.c.d inside w.x.y.z/len, in bash arithmetic.
ipv4_to_int() {
    local IFS=. o1 o2 o3 o4
    read -r o1 o2 o3 o4 <<<"$1"
    echo $(((o1 << 24) | (o2 << 16) | (o3 << 8) | o4))
}
ipv4_in_cidr() { # ip cidr
    local ip net len mask
    ip="$(ipv4_to_int "$1")" net="$(ipv4_to_int "${2%/*}")" len="${2#*/}"
    mask=$(((0xffffffff << (32 - len)) & 0xffffffff))
    (((ip & mask) == (net & mask)))
}
for pair in "pod-a $ip_a $worker" "pod-b $ip_b $worker" "pod-c $ip_c $control_plane"; do
    read -r pod ip node <<<"$pair"
    if [[ -n "$ip" ]] && ipv4_in_cidr "$ip" "${pod_cidr[$node]}"; then
        pass "ip-in-podcidr-$pod"
    else
        fail "ip-in-podcidr-$pod" "'$ip' is not inside $node's pod CIDR ${pod_cidr[$node]}"
    fi
done

if k -n "$TEST_NAMESPACE" exec pod-a -- ping -c 3 -W 2 "$ip_b"; then
    pass "ping-same-node"
else
    fail "ping-same-node" "pod-a cannot ping pod-b ($ip_b) on $worker"
fi
if k -n "$TEST_NAMESPACE" exec pod-c -- ping -c 3 -W 2 "$ip_a"; then
    pass "ping-cross-node"
else
    fail "ping-cross-node" "pod-c ($control_plane) cannot ping pod-a ($ip_a) on $worker"
fi
# hostPort: portmap on the worker DNATs <worker InternalIP>:31080 to pod-a:8080.
reply="$(k -n "$TEST_NAMESPACE" exec pod-c -- wget -q -T 5 -O - "http://${node_ip[$worker]}:$host_port/" 2>&1 || true)"
if [[ "$reply" == *cnisharp-hostport-ok* ]]; then
    pass "hostport"
else
    fail "hostport" "GET http://${node_ip[$worker]}:$host_port/ from pod-c answered '$reply'"
fi

if ((failures > 0)); then
    log "$failures check(s) failed"
    exit 1
fi
log "all checks passed"
