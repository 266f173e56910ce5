#!/bin/sh
# DaemonSet agent: read this node's pod CIDR(s) from the Kubernetes API with the pod's
# service-account token and keep /etc/cni/net.d/10-cnisharp.conflist in step with them.
# The downward API cannot expose spec.podCIDR, hence the API call (needs curl and jq).
set -eu

usage() {
    cat <<'USAGE'
Usage: conflist-agent.sh [--once] [-h|--help]

Every CNISHARP_RESYNC_SECONDS, GET /api/v1/nodes/$NODE_NAME, take
spec.podCIDRs (or spec.podCIDR on clusters that only set that) and run
render-conflist.sh -o $CNISHARP_CONF_DIR/$CNISHARP_CONFLIST_NAME with them. The
file is replaced atomically and only when its content changes; a deleted file
is written again at the next pass. Until the node has a pod CIDR (the
controller manager assigns it shortly after the node registers) nothing is
written and the agent retries every CNISHARP_RETRY_SECONDS. SIGTERM exits at
once and leaves the conflist in place: running pods keep their network.

Options:
  --once      one pass; exit 0 when the conflist is current, 1 otherwise
  -h, --help  show this help

Environment (defaults in brackets):
  NODE_NAME                 this node (downward API: spec.nodeName)  [required]
  CNISHARP_CONF_DIR         CNI config dir (host mount)  [/host/etc/cni/net.d]
  CNISHARP_CONFLIST_NAME    file name, sorts first       [10-cnisharp.conflist]
  CNISHARP_RESYNC_SECONDS   pause after a good pass      [30]
  CNISHARP_RETRY_SECONDS    pause after a failed pass    [3]
  CNISHARP_API_SERVER       API base URL   [https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT]
  CNISHARP_SA_DIR           token and ca.crt  [/var/run/secrets/kubernetes.io/serviceaccount]
  CNISHARP_RENDER           render script     [render-conflist.sh beside this script]
  plus the CNISHARP_* settings of render-conflist.sh (network name, bridge, dirs)
USAGE
}

once=false
while [ $# -gt 0 ]; do
    case "$1" in
        --once) once=true ;;
        -h|--help) usage; exit 0 ;;
        *) echo "conflist-agent: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

log() { echo "conflist-agent: $*" >&2; }

[ -n "${NODE_NAME:-}" ] || { log "error: NODE_NAME is not set (downward API spec.nodeName)"; exit 2; }
for tool in curl jq; do
    command -v "$tool" >/dev/null 2>&1 || { log "error: $tool is not installed in this image"; exit 2; }
done

conf_dir="${CNISHARP_CONF_DIR:-/host/etc/cni/net.d}"
conflist_name="${CNISHARP_CONFLIST_NAME:-10-cnisharp.conflist}"
resync="${CNISHARP_RESYNC_SECONDS:-30}"
retry="${CNISHARP_RETRY_SECONDS:-3}"
sa_dir="${CNISHARP_SA_DIR:-/var/run/secrets/kubernetes.io/serviceaccount}"
render="${CNISHARP_RENDER:-$(dirname -- "$0")/render-conflist.sh}"

if [ -n "${CNISHARP_API_SERVER:-}" ]; then
    api_server="$CNISHARP_API_SERVER"
else
    host="${KUBERNETES_SERVICE_HOST:-}"
    [ -n "$host" ] || { log "error: neither CNISHARP_API_SERVER nor KUBERNETES_SERVICE_HOST is set"; exit 2; }
    case "$host" in *:*) host="[$host]" ;; esac # an IPv6 literal needs brackets in a URL
    api_server="https://$host:${KUBERNETES_SERVICE_PORT:-443}"
fi

# The token is read on every pass: projected service-account tokens are rotated by the kubelet.
fetch_node() {
    token="$(cat -- "$sa_dir/token")" || return 1
    curl --silent --show-error --fail --max-time 10 \
        --cacert "$sa_dir/ca.crt" \
        --header "Authorization: Bearer $token" \
        --header "Accept: application/json" \
        "$api_server/api/v1/nodes/$NODE_NAME"
}

# spec.podCIDRs is the list (dual stack: one per family); older objects may carry only spec.podCIDR.
pod_cidrs_of_node() {
    jq -r '(.spec.podCIDRs // [.spec.podCIDR // empty]) | join(",")'
}

sync_once() {
    node_json="$(fetch_node)" || { log "cannot read node $NODE_NAME from $api_server"; return 1; }
    cidrs="$(printf '%s' "$node_json" | pod_cidrs_of_node)" || { log "node $NODE_NAME: unreadable JSON"; return 1; }
    [ -n "$cidrs" ] || { log "node $NODE_NAME has no pod CIDR yet"; return 1; }
    "$render" -o "$conf_dir/$conflist_name" "$cidrs"
}

if $once; then
    sync_once
    exit
fi

# sleep in the background + wait: a trapped SIGTERM interrupts wait at once (sh runs traps
# only between commands). As PID 1 an untrapped SIGTERM would be ignored.
sleeper=""
trap 'log "signal received, exiting; $conf_dir/$conflist_name stays"; [ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null; exit 0' TERM INT
log "node $NODE_NAME, API $api_server, conflist $conf_dir/$conflist_name"
while true; do
    if sync_once; then pause="$resync"; else pause="$retry"; fi
    sleep "$pause" &
    sleeper=$!
    wait "$sleeper" || true
    sleeper=""
done
