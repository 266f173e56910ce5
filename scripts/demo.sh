#!/usr/bin/env bash
# Demo: build CniSharp, wire two throwaway network namespaces to a throwaway bridge
# through the raw CNI protocol, show the result, ping between them (IPv4 + IPv6),
# CHECK, DEL (twice), then remove everything and verify nothing is left.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly CNILIB="$REPO_ROOT/scripts/lib/cnilib_cli.py"

usage() {
    cat <<'USAGE'
Usage: sudo scripts/demo.sh [--no-build] [-h|--help]

  1. installs missing tools (scripts/install-deps.sh) and builds (scripts/build.sh)
  2. creates two network namespaces, a temp IPAM dataDir and a temp conflist
     (type cnisharp-bridge on a demo-only bridge, cnisharp-host-local IPAM with
     10.99.0.0/24 and fd99:c5d0:0:1::/64: dual stack)
  3. runs ADD for each namespace (cnisharp-loopback for lo, then cnisharp-bridge
     for eth0) with CNI_* env vars and the config on stdin, as a runtime does
  4. prints the result JSON, 'ip -n <ns> addr', pings ns2 from ns1 (IPv4 and
     IPv6; traffic stays between the two demo namespaces)
  5. runs CHECK, DEL, and DEL again (DEL is idempotent)
  6. deletes the namespaces, the bridge and the temp dirs, restores the IP
     forwarding sysctls, and verifies that nothing is left

Options:
  --no-build  use the binaries already in CNISHARP_BIN_DIR
  -h, --help  show this help

Environment:
  CNISHARP_BIN_DIR    CNI bin dir (default: <repo>/artifacts/cni/bin)
  CNISHARP_LOG_FILE, CNISHARP_LOG_LEVEL   passed to the plugin if set
USAGE
}

build=true
while (($# > 0)); do
    case "$1" in
        --no-build) build=false ;;
        -h|--help) usage; exit 0 ;;
        *) echo "demo.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

if [[ "$(id -u)" -ne 0 ]]; then
    echo "demo.sh: needs root (creates network namespaces, links and a bridge): sudo scripts/demo.sh" >&2
    exit 1
fi

bold() { if [[ -t 1 ]]; then printf '\033[1m%s\033[0m\n' "$*"; else printf '%s\n' "$*"; fi; }
step() { echo; bold "==> $*"; }
die() { echo "demo.sh: FAILED: $*" >&2; exit 1; }

"$REPO_ROOT/scripts/install-deps.sh"
for tool in ip ping python3; do
    command -v "$tool" >/dev/null || die "'$tool' not found (run scripts/install-deps.sh as root)"
done
if $build; then
    "$REPO_ROOT/scripts/build.sh"
fi

bin_dir="${CNISHARP_BIN_DIR:-$REPO_ROOT/artifacts/cni/bin}"
[[ -x "$bin_dir/cnisharp" ]] || die "$bin_dir/cnisharp missing: run scripts/build.sh"
for name in $("$bin_dir/cnisharp" --list-plugins); do
    [[ -x "$bin_dir/$name" ]] || die "$bin_dir/$name missing: run scripts/build.sh"
done

# ---- names unique to this run ------------------------------------------------------------
readonly run_id="$$"
readonly ns1="cnidemo-$run_id-a" ns2="cnidemo-$run_id-b"
readonly bridge="cnidemo$run_id"              # at most 15 characters (pid <= 8 digits)
readonly net_name="cnisharp-demo-$run_id"
work_dir="$(mktemp -d /tmp/cnisharp-demo.XXXXXX)"
readonly work_dir
readonly data_dir="$work_dir/ipam" state_dir="$work_dir/state" conf_dir="$work_dir/net.d" out_dir="$work_dir/out"
readonly conflist="$conf_dir/10-cnisharp-demo.conflist" lo_conflist="$conf_dir/05-loopback.conflist"
mkdir -p "$data_dir" "$conf_dir" "$out_dir"

host_veths=()            # host-side interfaces reported by ADD, checked after DEL and at the end
attached=()              # namespaces with a successful bridge ADD and no DEL yet
ns_created=()
# shellcheck source-path=SCRIPTDIR source=lib/forwarding.sh
source "$REPO_ROOT/scripts/lib/forwarding.sh"
forwarding_save

cleanup() {
    local ns
    # A failed run may leave attachments: DEL them (quietly) before removing the namespaces.
    for ns in "${attached[@]}"; do
        cni_exec DEL "$ns" "$conflist" eth0 "" "$out_dir/cleanup-del-$ns" >/dev/null 2>&1 || true
    done
    for ns in "${ns_created[@]}"; do
        ip netns del "$ns" 2>/dev/null || true
    done
    if ip link show dev "$bridge" >/dev/null 2>&1; then
        ip link del dev "$bridge" 2>/dev/null || true
    fi
    rm -rf -- "$work_dir"
    forwarding_restore "demo.sh:"
}

verify_clean() {
    local left=() ns veth
    for ns in "$ns1" "$ns2"; do
        [[ ! -e "/var/run/netns/$ns" ]] || left+=("namespace $ns")
    done
    ip link show dev "$bridge" >/dev/null 2>&1 && left+=("bridge $bridge")
    for veth in "${host_veths[@]}"; do
        ip link show dev "$veth" >/dev/null 2>&1 && left+=("host veth $veth")
    done
    [[ ! -e "$work_dir" ]] || left+=("temp dir $work_dir (dataDir, conflists)")
    if ((${#left[@]} > 0)); then
        echo "demo.sh: LEFT BEHIND: ${left[*]}" >&2
        return 1
    fi
    echo "demo.sh: verified clean: no namespace ($ns1, $ns2), no bridge ($bridge)," \
        "no host veth (${host_veths[*]:-none reported}), no dataDir or reservation files left"
}

on_exit() {
    local status=$?
    trap - EXIT
    step "Cleanup"
    cleanup
    verify_clean || status=1
    echo
    if ((status == 0)); then
        bold "demo.sh: demo completed successfully; nothing left behind"
    else
        bold "demo.sh: demo FAILED (exit $status); cleanup done"
    fi
    exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- raw CNI invocation -------------------------------------------------------------------
cnilib() { python3 "$CNILIB" "$@"; }

# cni_exec VERB NS CONFLIST IFNAME CACHED_RESULT|"" OUT_PREFIX  -> OUT_PREFIX.{stdout,stderr}
# The list runs as libcni runs it: CNI_* env vars, each plugin's config on stdin, the cached ADD
# result as prevResult for CHECK and DEL.
cni_exec() {
    local verb="$1" ns="$2" list="$3" ifname="$4" cached="$5" out="$6"
    local args=(--cni-path "$bin_dir" --id "$ns" --netns "/var/run/netns/$ns" --ifname "$ifname"
        --args "IgnoreUnknown=1;K8S_POD_NAMESPACE=demo;K8S_POD_NAME=$ns")
    [[ -z "$cached" ]] || args+=(--cached-result "$cached")
    [[ -z "${CNISHARP_LOG_FILE:-}" ]] || args+=(--env "CNISHARP_LOG_FILE=$CNISHARP_LOG_FILE")
    [[ -z "${CNISHARP_LOG_LEVEL:-}" ]] || args+=(--env "CNISHARP_LOG_LEVEL=$CNISHARP_LOG_LEVEL")
    cnilib "${verb,,}" "$list" "${args[@]}" >"$out.stdout" 2>"$out.stderr"
}

# run_verb VERB NS CONFLIST IFNAME CACHED_RESULT|"" OUT_PREFIX: run and report; fail loudly.
run_verb() {
    local verb="$1" ns="$2" list="$3" ifname="$4" out="$6" type status=0
    type="$(cnilib types "$list" | paste -sd ' ')"
    echo "\$ CNI_COMMAND=$verb CNI_CONTAINERID=$ns CNI_NETNS=/var/run/netns/$ns CNI_IFNAME=$ifname" \
        "CNI_PATH=$bin_dir $type < config"
    cni_exec "$@" || status=$?
    if ((status != 0)); then
        echo "--- stdout (error JSON):"
        cnilib pretty "$out.stdout"
        echo "--- stderr:"
        cat "$out.stderr"
        die "$type $verb for $ns exited with status $status"
    fi
    if [[ -s "$out.stderr" ]]; then
        echo "--- stderr:"
        cat "$out.stderr"
    fi
}

write_conflists() {
    cat >"$conflist" <<JSON
{
  "cniVersion": "1.1.0",
  "cniVersions": ["0.4.0", "1.0.0", "1.1.0"],
  "name": "$net_name",
  "plugins": [
    {
      "type": "cnisharp-bridge",
      "bridge": "$bridge",
      "isGateway": true,
      "stateDir": "$state_dir",
      "ipam": {
        "type": "cnisharp-host-local",
        "ranges": [
          [{ "subnet": "10.99.0.0/24" }],
          [{ "subnet": "fd99:c5d0:0:1::/64" }]
        ],
        "dataDir": "$data_dir"
      }
    }
  ]
}
JSON
    cat >"$lo_conflist" <<JSON
{
  "cniVersion": "1.1.0",
  "name": "cni-loopback",
  "plugins": [{ "type": "cnisharp-loopback" }]
}
JSON
}

# ---- the demo -----------------------------------------------------------------------------
step "Setup: namespaces $ns1 and $ns2, conflist in $conf_dir, IPAM dataDir $data_dir, stateDir $state_dir"
for ns in "$ns1" "$ns2"; do
    ip netns add "$ns"
    ns_created+=("$ns")
done
write_conflists
cat "$conflist"

declare -A v4 v6
for ns in "$ns1" "$ns2"; do
    step "ADD $ns: loopback (lo), then bridge (eth0)"
    run_verb ADD "$ns" "$lo_conflist" lo "" "$out_dir/lo-add-$ns"
    run_verb ADD "$ns" "$conflist" eth0 "" "$out_dir/add-$ns"
    attached+=("$ns")
    cnilib is-result "$out_dir/add-$ns.stdout" \
        || { cat "$out_dir/add-$ns.stdout"; die "ADD for $ns exited 0 but printed no CNI result JSON"; }
    echo "--- result:"
    cnilib pretty "$out_dir/add-$ns.stdout"
    v4[$ns]="$(cnilib addresses "$out_dir/add-$ns.stdout" 4 | head -n1)"
    v6[$ns]="$(cnilib addresses "$out_dir/add-$ns.stdout" 6 | head -n1)"
    [[ -n "${v4[$ns]}" ]] || die "ADD result for $ns has no IPv4 address"
    [[ -n "${v6[$ns]}" ]] || die "ADD result for $ns has no IPv6 address"
    mapfile -t -O "${#host_veths[@]}" host_veths < <(cnilib host-interfaces "$out_dir/add-$ns.stdout" --except "$bridge")
    echo "--- ip -n $ns addr:"
    ip -n "$ns" addr
    echo "--- ip -n $ns route / ip -n $ns -6 route:"
    ip -n "$ns" route
    ip -n "$ns" -6 route
done

step "Host side: bridge $bridge and its ports"
ip addr show dev "$bridge"
ip -br link show master "$bridge"
echo "IPAM reservations in $data_dir/$net_name:"
ls -l "$data_dir/$net_name"
echo "Attachment records in $state_dir/$net_name/attachments (what each ADD made, for DEL, CHECK and GC):"
ls -l "$state_dir/$net_name/attachments"

step "ping $ns1 -> $ns2 (IPv4 ${v4[$ns2]}, IPv6 ${v6[$ns2]})"
ip netns exec "$ns1" ping -c 3 -i 0.2 -w 10 "${v4[$ns2]}" || die "IPv4 ping from $ns1 to ${v4[$ns2]} failed"
ip netns exec "$ns1" ping -6 -c 3 -i 0.2 -w 10 "${v6[$ns2]}" || die "IPv6 ping from $ns1 to ${v6[$ns2]} failed"

for ns in "$ns1" "$ns2"; do
    step "CHECK $ns (prevResult = the ADD result)"
    run_verb CHECK "$ns" "$conflist" eth0 "$out_dir/add-$ns.stdout" "$out_dir/check-$ns"
    echo "CHECK $ns: ok"
done

for ns in "$ns1" "$ns2"; do
    step "DEL $ns, then DEL again (must succeed: DEL is idempotent)"
    run_verb DEL "$ns" "$conflist" eth0 "$out_dir/add-$ns.stdout" "$out_dir/del-$ns"
    run_verb DEL "$ns" "$conflist" eth0 "$out_dir/add-$ns.stdout" "$out_dir/del2-$ns"
    run_verb DEL "$ns" "$lo_conflist" lo "" "$out_dir/lo-del-$ns"
    remaining=()
    for other in "${attached[@]}"; do
        [[ "$other" == "$ns" ]] || remaining+=("$other")
    done
    attached=("${remaining[@]}")
    ! ip -n "$ns" link show dev eth0 >/dev/null 2>&1 || die "eth0 still exists in $ns after DEL"
    echo "DEL $ns: ok, eth0 gone from $ns"
done
for veth in "${host_veths[@]}"; do
    ! ip link show dev "$veth" >/dev/null 2>&1 || die "host veth $veth still exists after DEL"
done
echo "host veths removed by DEL: ${host_veths[*]:-none reported in the ADD results}"
leftover="$(find "$data_dir/$net_name" -mindepth 1 -maxdepth 1 ! -name lock ! -name 'last_reserved_ip.*' -printf '%f ' 2>/dev/null || true)"
[[ -z "$leftover" ]] || die "IP reservations left in $data_dir/$net_name after DEL: $leftover"
echo "IPAM: no reservation left in $data_dir/$net_name (only lock / last_reserved_ip.* remain, as with the reference host-local)"
records="$(find "$state_dir/$net_name/attachments" -mindepth 1 -printf '%f ' 2>/dev/null || true)"
[[ -z "$records" ]] || die "attachment records left in $state_dir/$net_name/attachments after DEL: $records"
echo "State: no attachment record left in $state_dir/$net_name/attachments"
