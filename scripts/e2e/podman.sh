#!/usr/bin/env bash
# End-to-end: podman 4.3 with its CNI backend drives CniSharp for real. Containers from a
# busybox rootfs join a CniSharp network, get addresses, ping each other, are stopped,
# restarted and removed; every step is checked against podman, the kernel and the plugin's
# state on disk. One line per case: "E2E PASS|FAIL|SKIP <case>[: why]".
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT

usage() {
    cat <<'USAGE'
Usage: sudo scripts/e2e/podman.sh [-h|--help]

Runs podman (network_backend "cni") against the CniSharp binaries in a private, throwaway
podman setup: its own containers.conf, storage, tmp dir, locks, cgroup parent and CNI
config dir under one temp dir (the host's podman state is neither read nor written).
The network is a cnisharp-bridge conflist (cniVersion 1.0.0, the newest podman 4.3's
libcni speaks) with cnisharp-host-local IPAM on a unique bridge and 10.x subnet.
Containers run from a temp rootfs holding a static busybox (no image pull).

Cases:
  podman-cni-backend  podman uses CNI and lists the network with driver cnisharp-bridge
  podman-run          two containers get distinct addresses in the subnet; podman inspect,
                      the container's eth0, the IPAM reservations, the bridge ports and
                      libcni's cached result all agree
  podman-ping         the containers ping each other by IP (podman exec)
  podman-static-ip-mac  --ip and --mac-address are honoured (podman 4.3 sends them as
                      CNI_ARGS IP= and MAC=, not as runtimeConfig)
  podman-network-reload DEL then ADD in the same netns: connectivity back, no address leaked
  podman-stop-start   stop releases the address and the veth (DEL), start attaches again
  podman-exit-cleanup a container that exits by itself is detached by conmon's cleanup
  podman-rm           rm -f (CNI DEL) leaves no reservation, bridge port, host veth,
                      netns, result cache entry or attachment record
  podman-teardown     the sandbox (containers, storage, cgroups, bridge, temp dir) is gone

Needs root, podman with the CNI backend (Debian's podman 4.x), runc and busybox-static
(scripts/install-deps.sh installs them); without one of them every case is skipped.

Environment:
  CNISHARP_BIN_DIR  dir holding cnisharp-bridge and cnisharp-host-local
                    (default: <repo>/artifacts/cni/bin)
USAGE
}

case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") ;;
    *) echo "podman.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac

# shellcheck source-path=SCRIPTDIR source=../lib/podman-sandbox.sh
source "$REPO_ROOT/scripts/lib/podman-sandbox.sh"

readonly CASES=(podman-cni-backend podman-run podman-ping podman-static-ip-mac podman-network-reload
    podman-stop-start podman-exit-cleanup podman-rm podman-teardown)
BIN_DIR="${CNISHARP_BIN_DIR:-$REPO_ROOT/artifacts/cni/bin}"
readonly BIN_DIR

failures=0
why=""                  # reason set by a failing case
declare -A case_passed=()

skip_all() {
    local name
    for name in "${CASES[@]}"; do echo "E2E SKIP $name: $1"; done
    exit 0
}

now_ms() { date +%s%3N; }

# run_case <name> <function> [needs...]: runs the function, prints its line and its time.
run_case() {
    local name="$1" fn="$2" need start elapsed
    shift 2
    for need in "$@"; do
        if [[ -z "${case_passed[$need]:-}" ]]; then
            echo "E2E FAIL $name: not run: it needs $need, which failed"
            failures=$((failures + 1))
            return 0
        fi
    done
    why=""
    start="$(now_ms)"
    if "$fn"; then
        elapsed=$(($(now_ms) - start))
        case_passed[$name]=1
        echo "E2E PASS $name"
        echo "podman.sh: $name took $elapsed ms"
    else
        echo "E2E FAIL $name: ${why:-no reason recorded}"
        failures=$((failures + 1))
        plugin_log_tail
    fi
}

plugin_log_tail() {
    local log="$SANDBOX_DIR/cnisharp.log"
    [[ -s "$log" ]] || return 0
    echo "podman.sh: last lines of the plugin log ($log):"
    tail -n 15 "$log" | sed 's/^/    /'
}

# ---- preconditions: missing tools skip, they are not failures of the plugin ---------------
if [[ "$(id -u)" -ne 0 ]]; then
    skip_all "needs root (podman as root, bridges and veths)"
fi
for tool in podman runc busybox ip python3 timeout findmnt; do
    command -v "$tool" >/dev/null || skip_all "'$tool' is not installed (scripts/install-deps.sh installs it)"
done
for name in cnisharp-bridge cnisharp-host-local; do
    [[ -x "$BIN_DIR/$name" ]] || {
        for c in "${CASES[@]}"; do echo "E2E FAIL $c: $BIN_DIR/$name missing (run scripts/build.sh)"; done
        exit 1
    }
done
podman_version="$(podman --version | awk '{print $3}')"
if [[ "${podman_version%%.*}" -ge 5 ]]; then
    skip_all "podman $podman_version has no CNI backend (removed in podman 5)"
fi

readonly run_id="$$"
# Set first: the teardown copes with a sandbox that sandbox_init only half made.
trap 'sandbox_teardown || true' EXIT
trap 'exit 130' INT TERM HUP
sandbox_init "$BIN_DIR" "$run_id"
sandbox_make_rootfs || skip_all "busybox is not static: install busybox-static (the rootfs has no libc)"
sandbox_allow_bridge_traffic

readonly ipam_dir="$SANDBOX_DIR/ipam/$SANDBOX_NETWORK"
readonly records_dir="$SANDBOX_DIR/state/$SANDBOX_NETWORK/attachments"
readonly subnet_prefix="${SANDBOX_SUBNET%.0/24}."
readonly ctr_a="cnisharp-e2e-$run_id-a" ctr_b="cnisharp-e2e-$run_id-b" ctr_c="cnisharp-e2e-$run_id-c"
readonly ctr_d="cnisharp-e2e-$run_id-d"
declare -A ctr_id=() ctr_ip=() ctr_netns=() ctr_veth=()

echo "podman.sh: podman $podman_version, network $SANDBOX_NETWORK on bridge $SANDBOX_BRIDGE," \
    "subnet $SANDBOX_SUBNET, sandbox $SANDBOX_DIR, plugins from $BIN_DIR"

# ---- probes -------------------------------------------------------------------------------

inspect_field() { pm inspect --format "$2" "$1"; }

container_ip() {
    inspect_field "$1" "{{(index .NetworkSettings.Networks \"$SANDBOX_NETWORK\").IPAddress}}"
}

# The address on eth0 inside the container, as the kernel there reports it (a.b.c.d/len).
ip_inside() {
    pm exec "$1" ip -4 addr show dev eth0 | awk '$1 == "inet" {print $2; exit}'
}

mac_inside() {
    pm exec "$1" ip link show dev eth0 | awk '$1 == "link/ether" {print $2; exit}'
}

# Reserved addresses: the files named like an IPv4 address in the IPAM store.
reservations() {
    [[ -d "$ipam_dir" ]] || return 0
    find "$ipam_dir" -maxdepth 1 -type f -regex '.*/[0-9.]+' -printf '%f\n' | sort
}

# The container ID written in a reservation file ("<id>\r\n<ifname>").
reservation_owner() { head -n 1 "$ipam_dir/$1" | tr -d '\r'; }

bridge_ports() {
    [[ -d "/sys/class/net/$SANDBOX_BRIDGE/brif" ]] || return 0
    ls "/sys/class/net/$SANDBOX_BRIDGE/brif"
}

cache_file() { echo "$SANDBOX_CNI_CACHE_DIR/$SANDBOX_NETWORK-$1-eth0"; }

# The host veth named in the result libcni cached from the plugin's ADD output: the
# first interface without a sandbox that is not the bridge.
cached_host_veth() {
    local veths
    veths="$(python3 "$REPO_ROOT/scripts/lib/cnilib_cli.py" host-interfaces "$(cache_file "$1")" --except "$SANDBOX_BRIDGE")"
    echo "${veths%%$'\n'*}"
}

attachment_records() {
    [[ -d "$records_dir" ]] || return 0
    ls "$records_dir"
}

# Polls a condition (a command) for up to N tenths of a second.
wait_until() {
    local tenths="$1"
    shift
    while ! "$@"; do
        ((tenths-- > 0)) || return 1
        sleep 0.1
    done
}

# Records podman's and the plugin's view of a running container, checking each against
# the other: address in the subnet, same address on eth0, reservation owned by the
# container, cached host veth enslaved to our bridge, attachment record if records exist.
check_attached() {
    local name="$1" id ip mac inside veth
    id="$(inspect_field "$name" '{{.Id}}')" || { why="podman inspect $name failed"; return 1; }
    [[ "$(inspect_field "$name" '{{.State.Status}}')" == running ]] ||
        { why="$name is not running: $(inspect_field "$name" '{{.State.Status}} {{.State.Error}}')"; return 1; }
    ip="$(container_ip "$name")"
    [[ "$ip" == "$subnet_prefix"* ]] || { why="$name: podman inspect gives '$ip', not in $SANDBOX_SUBNET"; return 1; }
    [[ "$(inspect_field "$name" "{{(index .NetworkSettings.Networks \"$SANDBOX_NETWORK\").IPPrefixLen}}")" == 24 ]] ||
        { why="$name: podman inspect gives a prefix length other than 24"; return 1; }
    inside="$(ip_inside "$name")"
    [[ "$inside" == "$ip/24" ]] || { why="$name: eth0 inside has '$inside', podman inspect says $ip/24"; return 1; }
    mac="$(inspect_field "$name" "{{(index .NetworkSettings.Networks \"$SANDBOX_NETWORK\").MacAddress}}")"
    inside="$(mac_inside "$name")"
    [[ -n "$mac" && "$inside" == "$mac" ]] || { why="$name: eth0 inside has MAC '$inside', podman inspect says '$mac'"; return 1; }
    [[ -f "$ipam_dir/$ip" ]] || { why="$name: no reservation file $ipam_dir/$ip"; return 1; }
    [[ "$(reservation_owner "$ip")" == "$id" ]] ||
        { why="$name: reservation $ip belongs to '$(reservation_owner "$ip")', not $id"; return 1; }
    [[ -f "$(cache_file "$id")" ]] || { why="$name: libcni cached no result at $(cache_file "$id")"; return 1; }
    veth="$(cached_host_veth "$id")"
    [[ "$veth" == cns* ]] || { why="$name: the cached result names host veth '$veth' (expected cns...)"; return 1; }
    [[ -e "/sys/class/net/$SANDBOX_BRIDGE/brif/$veth" ]] ||
        { why="$name: host veth $veth is not a port of $SANDBOX_BRIDGE"; return 1; }
    if [[ -d "$records_dir" && ! -f "$records_dir/$id-eth0.json" ]]; then
        { why="$name: no attachment record $records_dir/$id-eth0.json"; return 1; }
    fi
    ctr_id[$name]="$id" ctr_ip[$name]="$ip" ctr_veth[$name]="$veth"
    ctr_netns[$name]="$(inspect_field "$name" '{{.NetworkSettings.SandboxKey}}')"
}

# Checks that nothing of a container's attachment is left (after DEL).
check_detached() {
    local name="$1" id="${ctr_id[$1]}" ip="${ctr_ip[$1]}" veth="${ctr_veth[$1]}"
    [[ ! -e "$ipam_dir/$ip" ]] || { why="$name: reservation $ip is still there"; return 1; }
    ! ip link show dev "$veth" >/dev/null 2>&1 || { why="$name: host veth $veth is still there"; return 1; }
    [[ ! -e "$(cache_file "$id")" ]] || { why="$name: libcni's cache entry $(cache_file "$id") is still there"; return 1; }
    [[ ! -e "$records_dir/$id-eth0.json" ]] || { why="$name: attachment record $id-eth0.json is still there"; return 1; }
}

ping_from() {
    local output
    output="$(pm exec "$1" ping -c 2 -A -w 5 "$2" 2>&1)" ||
        { why="ping $2 from $1 failed: $(tail -n 2 <<<"$output" | tr '\n' ' ')"; return 1; }
}

# ---- cases ----------------------------------------------------------------------------------

case_cni_backend() {
    local backend listed driver
    backend="$(pm info --format '{{.Host.NetworkBackend}}' 2>&1)" || { why="podman info failed: $backend"; return 1; }
    [[ "$backend" == cni ]] || { why="podman's network backend is '$backend', not cni"; return 1; }
    listed="$(pm network ls --format '{{.Name}} {{.Driver}}')" || { why="podman network ls failed"; return 1; }
    grep -qx "$SANDBOX_NETWORK cnisharp-bridge" <<<"$listed" ||
        { why="podman network ls does not list '$SANDBOX_NETWORK cnisharp-bridge': $(tr '\n' ';' <<<"$listed")"; return 1; }
    driver="$(pm network inspect --format '{{.Driver}}' "$SANDBOX_NETWORK")" ||
        { why="podman network inspect $SANDBOX_NETWORK failed"; return 1; }
    [[ "$driver" == cnisharp-bridge ]] || { why="podman network inspect gives driver '$driver'"; return 1; }
}

case_run() {
    local name out start ports
    for name in "$ctr_a" "$ctr_b"; do
        start="$(now_ms)"
        out="$(sandbox_run_detached "$name" -- sleep 600 2>&1)" || { why="podman run $name failed: $out"; return 1; }
        echo "podman.sh: podman run -d $name (CNI ADD included) took $(($(now_ms) - start)) ms"
        check_attached "$name" || return 1
    done
    [[ "${ctr_ip[$ctr_a]}" != "${ctr_ip[$ctr_b]}" ]] || { why="both containers got ${ctr_ip[$ctr_a]}"; return 1; }
    [[ "$(reservations | wc -l)" == 2 ]] || { why="expected 2 reservations, found: $(reservations | tr '\n' ' ')"; return 1; }
    ports="$(bridge_ports | sort | tr '\n' ' ')"
    [[ "$ports" == "$(printf '%s\n' "${ctr_veth[$ctr_a]}" "${ctr_veth[$ctr_b]}" | sort | tr '\n' ' ')" ]] ||
        { why="ports of $SANDBOX_BRIDGE are '$ports', expected the two cached host veths"; return 1; }
    echo "podman.sh: $ctr_a ${ctr_ip[$ctr_a]} (${ctr_veth[$ctr_a]}), $ctr_b ${ctr_ip[$ctr_b]} (${ctr_veth[$ctr_b]})"
}

case_ping() {
    ping_from "$ctr_a" "${ctr_ip[$ctr_b]}" || return 1
    ping_from "$ctr_b" "${ctr_ip[$ctr_a]}"
}

case_static_ip_mac() {
    local out ip="${subnet_prefix}200" mac=02:c5:5a:0e:2e:01
    out="$(sandbox_run_detached "$ctr_d" --ip "$ip" --mac-address "$mac" -- sleep 600 2>&1)" ||
        { why="podman run --ip $ip --mac-address $mac failed: $out"; return 1; }
    check_attached "$ctr_d" || return 1
    [[ "${ctr_ip[$ctr_d]}" == "$ip" ]] || { why="asked for $ip, got ${ctr_ip[$ctr_d]}"; return 1; }
    [[ "$(mac_inside "$ctr_d")" == "$mac" ]] || { why="asked for MAC $mac, eth0 has $(mac_inside "$ctr_d")"; return 1; }
    ping_from "$ctr_a" "$ip" || return 1
    out="$(pm rm --force --time 0 "$ctr_d" 2>&1)" || { why="podman rm -f $ctr_d failed: $out"; return 1; }
    check_detached "$ctr_d"
}

case_network_reload() {
    local out
    # podman tears the attachment down (DEL) and sets it up again (ADD) in the same netns.
    out="$(pm network reload "$ctr_a" 2>&1)" || { why="podman network reload $ctr_a failed: $out"; return 1; }
    check_attached "$ctr_a" || return 1
    out="$(reservations | tr '\n' ' ')"
    [[ "$(reservations | wc -l)" == 2 ]] || { why="after the reload, reservations are: $out (expected 2)"; return 1; }
    ping_from "$ctr_b" "${ctr_ip[$ctr_a]}"
}

case_stop_start() {
    local out
    out="$(pm stop --time 0 "$ctr_a" 2>&1)" || { why="podman stop $ctr_a failed: $out"; return 1; }
    check_detached "$ctr_a" || return 1
    [[ "$(bridge_ports)" == "${ctr_veth[$ctr_b]}" ]] ||
        { why="after stopping $ctr_a, ports of $SANDBOX_BRIDGE are '$(bridge_ports | tr '\n' ' ')'"; return 1; }
    [[ -f "$ipam_dir/${ctr_ip[$ctr_b]}" ]] || { why="stopping $ctr_a released $ctr_b's address too"; return 1; }
    out="$(pm start "$ctr_a" 2>&1)" || { why="podman start $ctr_a failed: $out"; return 1; }
    check_attached "$ctr_a" || return 1
    [[ "${ctr_ip[$ctr_a]}" != "${ctr_ip[$ctr_b]}" ]] || { why="restarted $ctr_a got $ctr_b's address"; return 1; }
    ping_from "$ctr_a" "${ctr_ip[$ctr_b]}"
}

case_exit_cleanup() {
    local out
    # The container runs until told to exit (a file in its rootfs), so it is inspected while
    # attached; once it exits, conmon runs "podman container cleanup", which must find the
    # plugins through CONTAINERS_CONF and run DEL.
    local exit_flag="/exit-$ctr_c"
    out="$(sandbox_run_detached "$ctr_c" -- sh -c "until [ -e $exit_flag ]; do sleep 0.1; done" 2>&1)" ||
        { why="podman run $ctr_c failed: $out"; return 1; }
    check_attached "$ctr_c" || return 1
    pm exec "$ctr_c" sh -c ": > $exit_flag" || { why="podman exec $ctr_c failed"; return 1; }
    pm wait "$ctr_c" >/dev/null || { why="podman wait $ctr_c failed"; return 1; }
    wait_until 100 check_detached "$ctr_c" || { why="after $ctr_c exited, within 10 s: $why"; return 1; }
    out="$(pm rm "$ctr_c" 2>&1)" || { why="podman rm $ctr_c failed: $out"; return 1; }
}

case_rm() {
    local out name left
    out="$(pm rm --force --time 0 "$ctr_a" "$ctr_b" 2>&1)" || { why="podman rm -f failed: $out"; return 1; }
    for name in "$ctr_a" "$ctr_b"; do
        check_detached "$name" || return 1
        [[ ! -e "${ctr_netns[$name]}" ]] || { why="$name: netns ${ctr_netns[$name]} is still there"; return 1; }
    done
    left="$(reservations | tr '\n' ' ')"
    [[ -z "$left" ]] || { why="reservations left in $ipam_dir: $left"; return 1; }
    left="$(bridge_ports | tr '\n' ' ')"
    [[ -z "$left" ]] || { why="ports left on $SANDBOX_BRIDGE: $left"; return 1; }
    left="$(attachment_records | tr '\n' ' ')"
    [[ -z "$left" ]] || { why="attachment records left in $records_dir: $left"; return 1; }
    left="$(pm ps --all --quiet | tr '\n' ' ')"
    [[ -z "$left" ]] || { why="podman still lists containers: $left"; return 1; }
}

case_teardown() {
    local output
    output="$(sandbox_teardown 2>&1)" || { why="$output"; return 1; }
    ! ip link show dev "$SANDBOX_BRIDGE" >/dev/null 2>&1 || { why="bridge $SANDBOX_BRIDGE is still there"; return 1; }
    [[ ! -e "$SANDBOX_DIR" ]] || { why="$SANDBOX_DIR is still there"; return 1; }
}

run_case podman-cni-backend case_cni_backend
run_case podman-run case_run podman-cni-backend
run_case podman-ping case_ping podman-run
run_case podman-static-ip-mac case_static_ip_mac podman-run
run_case podman-network-reload case_network_reload podman-run
run_case podman-stop-start case_stop_start podman-run
run_case podman-exit-cleanup case_exit_cleanup podman-cni-backend
run_case podman-rm case_rm podman-run
run_case podman-teardown case_teardown

((failures == 0))
