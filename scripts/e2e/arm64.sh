#!/usr/bin/env bash
# End-to-end: the linux-arm64 build, run on this x86-64 machine under qemu user emulation, does a
# real bridge + cnisharp-host-local lifecycle in throwaway namespaces, and does not follow a symlink
# planted in its state directory. One line per case: "E2E PASS|FAIL|SKIP <case>[: why]".
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT

usage() {
    cat <<'USAGE'
Usage: sudo scripts/e2e/arm64.sh [-h|--help]

Builds artifacts/cni/bin-linux-arm64 with 'scripts/build.sh --rid linux-arm64' when the
binary is missing or older than a file under src/ (otherwise reuses it), then runs it with
qemu-aarch64-static (QEMU_LD_PREFIX=/usr/aarch64-linux-gnu, Debian's arm64 sysroot).
On an aarch64 machine the same cases run the native linux-arm64 build directly.

Cases:
  arm64-version          CNI_COMMAND=VERSION answers as the x86-64 build does (when that is
                         built), and --list-plugins names the same entry points
  arm64-add-check-del    two pods on a unique bridge with cnisharp-host-local: ADD (result,
                         eth0 and its address in the namespace, host veth on the bridge,
                         reservation, attachment record), the pods ping each other, CHECK,
                         DEL (all of it gone), DEL again
  arm64-planted-symlink  pod V's attachment record is replaced by a symlink to a forged
                         record naming pod D's host veth; V's DEL must leave D's veth and
                         eth0 alone (O_NOFOLLOW must be arm64's 0x8000, not x86-64's 0x20000,
                         which is O_LARGEFILE there); D still passes CHECK
  arm64-not-a-netns      CNI_NETNS=/proc/self/ns/uts is refused with code 4: qemu-user
                         answers NS_GET_NSTYPE with ENOSYS, so this exercises the setns probe

Not covered here, because qemu-user 7.2 refuses those netlink messages: nf_tables
(ipMasq), conntrack, neighbour/FDB and tc. The x86-64 suites test them.

Needs root, qemu-user-static and the arm64 cross toolchain (scripts/install-deps.sh
installs them); without qemu every case is skipped.

Environment:
  CNISHARP_ARM64_BIN_DIR  the linux-arm64 CNI bin dir (default:
                          <repo>/artifacts/cni/bin-linux-arm64; built when missing or stale
                          only at the default location)
  CNISHARP_BIN_DIR        the native bin dir the VERSION answer is compared with
                          (default: <repo>/artifacts/cni/bin)
USAGE
}

case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") ;;
    *) echo "arm64.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac

readonly CASES=(arm64-version arm64-add-check-del arm64-planted-symlink arm64-not-a-netns)
readonly DEFAULT_BIN_DIR="$REPO_ROOT/artifacts/cni/bin-linux-arm64"
readonly BIN_DIR="${CNISHARP_ARM64_BIN_DIR:-$DEFAULT_BIN_DIR}"
readonly NATIVE_BIN_DIR="${CNISHARP_BIN_DIR:-$REPO_ROOT/artifacts/cni/bin}"
readonly SYSROOT=/usr/aarch64-linux-gnu

note() { echo "arm64.sh: $*"; }
skip_all() {
    local name
    for name in "${CASES[@]}"; do echo "E2E SKIP $name: $1"; done
    exit 0
}
fail_all() {
    local name
    for name in "${CASES[@]}"; do echo "E2E FAIL $name: $1"; done
    exit 1
}

# ---- preconditions -------------------------------------------------------------------------
if [[ "$(id -u)" -ne 0 ]]; then
    skip_all "needs root (network namespaces, bridges, veths)"
fi
for tool in ip ping python3; do
    command -v "$tool" >/dev/null || skip_all "'$tool' is not installed (scripts/install-deps.sh installs it)"
done
case "$(uname -m)" in
    aarch64|arm64) emulator=() ;;
    *)
        command -v qemu-aarch64-static >/dev/null \
            || skip_all "qemu-aarch64-static is not installed (scripts/install-deps.sh installs qemu-user-static)"
        [[ -e "$SYSROOT/lib/ld-linux-aarch64.so.1" ]] \
            || skip_all "no arm64 sysroot in $SYSROOT (scripts/install-deps.sh installs libc6-dev-arm64-cross)"
        emulator=(env "QEMU_LD_PREFIX=$SYSROOT" qemu-aarch64-static)
        ;;
esac
readonly emulator

# ---- the arm64 build: reused while no source is newer ---------------------------------------
if [[ "$BIN_DIR" == "$DEFAULT_BIN_DIR" ]]; then
    stale=""
    if [[ ! -x "$BIN_DIR/cnisharp" ]]; then
        stale="missing"
    elif [[ -n "$(find "$REPO_ROOT/src" -type f -newer "$BIN_DIR/cnisharp" -print -quit)" ]]; then
        stale="older than the sources"
    fi
    if [[ -n "$stale" ]]; then
        note "$BIN_DIR/cnisharp is $stale: building it (scripts/build.sh --rid linux-arm64)"
        "$REPO_ROOT/scripts/build.sh" --rid linux-arm64 --out "$BIN_DIR" \
            || fail_all "scripts/build.sh --rid linux-arm64 failed"
    else
        note "reusing $BIN_DIR/cnisharp (no file under src/ is newer)"
    fi
fi
for name in cnisharp cnisharp-bridge cnisharp-host-local; do
    [[ -x "$BIN_DIR/$name" ]] || fail_all "$BIN_DIR/$name missing (scripts/build.sh --rid linux-arm64)"
done
machine="$(od -An -j18 -N2 -tx2 "$BIN_DIR/cnisharp" | tr -d ' ')"
[[ "$machine" == 00b7 ]] || fail_all "$BIN_DIR/cnisharp is not an arm64 ELF (e_machine 0x$machine)"

# ---- one run, unique names ------------------------------------------------------------------
run_id="$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')"
readonly run_id
work_dir="$(mktemp -d /tmp/cnisharp-e2e-arm64.XXXXXX)"
readonly work_dir
readonly bridge="cnia64$run_id"          # 12 characters: within IFNAMSIZ
readonly network="arm64-e2e-$run_id"
readonly data_dir="$work_dir/ipam" state_dir="$work_dir/state"
readonly ns_prefix="cnisharp-a64-$run_id-"

# A /24 in 10.232.0.0/16 that no address or route on this machine uses yet.
pick_subnet() {
    local octet
    for _ in $(seq 1 64); do
        octet=$((RANDOM % 256))
        if ! ip -4 route show | grep -q "^10\.232\.$octet\." && ! ip -4 addr show | grep -q " 10\.232\.$octet\."; then
            echo "10.232.$octet"
            return 0
        fi
    done
    return 1
}
prefix="$(pick_subnet)" || fail_all "no free /24 in 10.232.0.0/16"
readonly prefix

cleanup() {
    local ns
    for ns in $(ip netns list | awk -v p="$ns_prefix" 'index($1, p) == 1 {print $1}'); do
        ip netns del "$ns" 2>/dev/null || true
    done
    ! ip link show dev "$bridge" >/dev/null 2>&1 || ip link del dev "$bridge" 2>/dev/null || true
    # Host veths of pods whose namespace went first are gone with the namespace (veth pairs).
    rm -rf -- "$work_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cat >"$work_dir/conf.json" <<CONF
{
  "cniVersion": "1.1.0",
  "name": "$network",
  "type": "cnisharp-bridge",
  "bridge": "$bridge",
  "isGateway": true,
  "stateDir": "$state_dir",
  "ipam": {"type": "cnisharp-host-local", "ranges": [[{"subnet": "$prefix.0/24"}]], "dataDir": "$data_dir"}
}
CONF
note "plugins from $BIN_DIR${emulator[*]:+ under ${emulator[*]}}; network $network on $bridge, $prefix.0/24"

new_netns() {
    ip netns add "$1" && ip -n "$1" link set lo up
}

# plugin COMMAND CONTAINER_ID NETNS CONFIG: the arm64 cnisharp-bridge, stdout to $out, stderr to $err.
out="$work_dir/out" err="$work_dir/err"
plugin() {
    CNI_COMMAND="$1" CNI_CONTAINERID="$2" CNI_NETNS="${3:+/run/netns/$3}" CNI_IFNAME=eth0 CNI_PATH="$BIN_DIR" \
        "${emulator[@]}" "$BIN_DIR/cnisharp-bridge" <"$4" >"$out" 2>"$err"
}

# json FILE EXPR: a Python expression over the parsed file as 'j'.
json() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"; }

# with_prev CONFIG RESULT DEST: the config with the ADD result as prevResult (CHECK, DEL).
with_prev() {
    python3 -c "import json,sys; c=json.load(open(sys.argv[1])); c['prevResult']=json.load(open(sys.argv[2])); json.dump(c,open(sys.argv[3],'w'))" "$1" "$2" "$3"
}

why=""
failures=0
# run_case NAME FUNCTION: prints the case's line.
run_case() {
    why=""
    if "$2"; then
        echo "E2E PASS $1"
    else
        echo "E2E FAIL $1: ${why:-no reason recorded}"
        failures=$((failures + 1))
    fi
}
# expect CONDITION-COMMAND... REASON: fails the case with REASON when the command fails.
expect() {
    local reason="${*: -1}"
    if ! "${@:1:$#-1}"; then
        why="$reason"
        return 1
    fi
}
plugin_failed() { why="$1 exited non-zero: $(cat "$out" "$err" | tr '\n' ' ' | cut -c1-300)"; }

# add_pod NAME: ADD in a new namespace; leaves the result in $work_dir/NAME.result and the host
# veth name in $work_dir/NAME.veth.
add_pod() {
    local name="$1" ns="$ns_prefix$1"
    new_netns "$ns" || { why="ip netns add $ns failed"; return 1; }
    echo "$ns" >"$work_dir/$name.ns"
    plugin ADD "$name-$run_id" "$ns" "$work_dir/conf.json" || { plugin_failed "ADD $name"; return 1; }
    cp "$out" "$work_dir/$name.result"
    json "$out" "[i['name'] for i in j['interfaces'] if not i.get('sandbox') and i['name'] != '$bridge'][0]" \
        >"$work_dir/$name.veth"
}
pod_ns() { cat "$work_dir/$1.ns"; }
pod_veth() { cat "$work_dir/$1.veth"; }
pod_ip() { json "$work_dir/$1.result" "j['ips'][0]['address']"; }
record_of() { echo "$state_dir/$network/attachments/$1-$run_id-eth0.json"; }

# ---- cases ----------------------------------------------------------------------------------
case_version() {
    echo '{}' >"$work_dir/empty.json"
    plugin VERSION "" "" "$work_dir/empty.json" || { plugin_failed VERSION; return 1; }
    expect python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j['cniVersion']=='1.1.0' and '0.4.0' in j['supportedVersions'] else 1)" "$out" \
        "unexpected VERSION answer: $(cat "$out")" || return 1
    cp "$out" "$work_dir/version.arm64"
    "${emulator[@]}" "$BIN_DIR/cnisharp" --list-plugins >"$work_dir/plugins.arm64" 2>"$err" \
        || { plugin_failed "--list-plugins"; return 1; }
    if [[ -x "$NATIVE_BIN_DIR/cnisharp" ]]; then
        CNI_COMMAND=VERSION "$NATIVE_BIN_DIR/cnisharp-bridge" <"$work_dir/empty.json" >"$work_dir/version.native"
        expect cmp -s "$work_dir/version.arm64" "$work_dir/version.native" \
            "VERSION differs from the native build's: $(cat "$work_dir/version.arm64") vs $(cat "$work_dir/version.native")" || return 1
        "$NATIVE_BIN_DIR/cnisharp" --list-plugins >"$work_dir/plugins.native"
        expect cmp -s "$work_dir/plugins.arm64" "$work_dir/plugins.native" \
            "--list-plugins differs from the native build's" || return 1
    else
        note "no native build in $NATIVE_BIN_DIR: VERSION not compared"
    fi
}

case_add_check_del() {
    add_pod a || return 1
    add_pod b || return 1
    local ns veth address
    ns="$(pod_ns a)" veth="$(pod_veth a)" address="$(pod_ip a)"
    expect grep -q "^$prefix\." <<<"$address" "pod a's address $address is not in $prefix.0/24" || return 1
    expect json "$work_dir/a.result" "[i for i in j['interfaces'] if i['name']=='eth0' and i.get('sandbox')=='/run/netns/$ns'][0]['name']" \
        "the result has no eth0 in /run/netns/$ns" >/dev/null || return 1
    expect grep -q " ${address%/*}/" <(ip -n "$ns" -4 addr show dev eth0) "eth0 in $ns lacks $address" || return 1
    expect grep -q "master $bridge " <(ip link show dev "$veth") "host veth $veth is not on $bridge" || return 1
    expect test -f "$data_dir/$network/${address%/*}" "no reservation file for ${address%/*}" || return 1
    expect grep -q '"phase": "ready"' "$(record_of a)" "no ready attachment record for pod a" || return 1
    expect ip netns exec "$ns" ping -c 1 -W 2 "$(pod_ip b | cut -d/ -f1)" >/dev/null \
        "pod a cannot ping pod b" || return 1

    with_prev "$work_dir/conf.json" "$work_dir/a.result" "$work_dir/a.prev.json"
    plugin CHECK "a-$run_id" "$ns" "$work_dir/a.prev.json" || { plugin_failed CHECK; return 1; }
    plugin DEL "a-$run_id" "$ns" "$work_dir/a.prev.json" || { plugin_failed DEL; return 1; }
    expect test ! -e "/sys/class/net/$veth" "host veth $veth survived DEL" || return 1
    expect bash -c "! ip -n '$ns' link show dev eth0 >/dev/null 2>&1" "eth0 survived DEL in $ns" || return 1
    expect test ! -e "$data_dir/$network/${address%/*}" "the reservation of ${address%/*} survived DEL" || return 1
    expect test ! -e "$(record_of a)" "the attachment record survived DEL" || return 1
    plugin DEL "a-$run_id" "$ns" "$work_dir/a.prev.json" || { plugin_failed "second DEL"; return 1; }

    with_prev "$work_dir/conf.json" "$work_dir/b.result" "$work_dir/b.prev.json"
    plugin DEL "b-$run_id" "$(pod_ns b)" "$work_dir/b.prev.json" || { plugin_failed "DEL b"; return 1; }
}

case_planted_symlink() {
    add_pod decoy || return 1
    add_pod victim || return 1
    local decoy_veth victim_veth record forged
    decoy_veth="$(pod_veth decoy)" victim_veth="$(pod_veth victim)"
    record="$(record_of victim)" forged="$work_dir/forged.json"
    # The victim's own record, but naming the decoy's veth, kept outside the state directory.
    python3 - "$record" "$forged" "$decoy_veth" "$(cat "/sys/class/net/$decoy_veth/ifindex")" <<'PY'
import json, sys
record = json.load(open(sys.argv[1]))
record["hostVeth"], record["hostVethIndex"] = sys.argv[3], int(sys.argv[4])
json.dump(record, open(sys.argv[2], "w"))
PY
    cp "$forged" "$work_dir/forged.orig"
    rm -f -- "$record"
    ln -s "$forged" "$record"

    with_prev "$work_dir/conf.json" "$work_dir/victim.result" "$work_dir/victim.prev.json"
    plugin DEL "victim-$run_id" "$(pod_ns victim)" "$work_dir/victim.prev.json" || { plugin_failed "DEL victim"; return 1; }
    expect test -e "/sys/class/net/$decoy_veth" \
        "the decoy's veth $decoy_veth was deleted: DEL followed the planted symlink" || return 1
    expect ip -n "$(pod_ns decoy)" link show dev eth0 >/dev/null "the decoy lost eth0" || return 1
    expect test ! -e "/sys/class/net/$victim_veth" "the victim's own veth $victim_veth survived DEL" || return 1
    expect test ! -L "$record" "the planted symlink is still in the state directory" || return 1
    expect cmp -s "$forged" "$work_dir/forged.orig" "the symlink's target was changed" || return 1

    with_prev "$work_dir/conf.json" "$work_dir/decoy.result" "$work_dir/decoy.prev.json"
    plugin CHECK "decoy-$run_id" "$(pod_ns decoy)" "$work_dir/decoy.prev.json" || { plugin_failed "CHECK decoy"; return 1; }
    plugin DEL "decoy-$run_id" "$(pod_ns decoy)" "$work_dir/decoy.prev.json" || { plugin_failed "DEL decoy"; return 1; }
}

case_not_a_netns() {
    if CNI_COMMAND=ADD CNI_CONTAINERID="uts-$run_id" CNI_NETNS=/proc/self/ns/uts CNI_IFNAME=eth0 CNI_PATH="$BIN_DIR" \
        "${emulator[@]}" "$BIN_DIR/cnisharp-bridge" <"$work_dir/conf.json" >"$out" 2>"$err"; then
        why="ADD into a UTS namespace succeeded"
        return 1
    fi
    expect python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j['code']==4 and 'not a network namespace' in j['msg'] else 1)" "$out" \
        "expected code 4 'not a network namespace', got: $(cat "$out")" || return 1
    expect test ! -e "$(record_of uts)" "a refused ADD left an attachment record" || return 1
    # host-local's reservation files hold "<container id>\r\n<ifname>".
    expect bash -c "! grep -rqs 'uts-$run_id' '$data_dir'" "a refused ADD left a reservation" || return 1
}

run_case arm64-version case_version
run_case arm64-add-check-del case_add_check_del
run_case arm64-planted-symlink case_planted_symlink
run_case arm64-not-a-netns case_not_a_netns

((failures == 0))
