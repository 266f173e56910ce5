# shellcheck shell=bash
# A private, throwaway podman (CNI backend) for scripts/e2e/podman.sh; sourced, not run.
#
# Everything podman keeps lives under one temp dir: containers.conf, storage (graph root,
# run root), its tmp dir (which also holds the file locks: lock_type "file" keeps podman off
# the host's /dev/shm/libpod_lock), the events log and the CNI config dir. Containers run
# under a cgroup parent of their own, so no libpod_parent is left in the host's hierarchy.
# What podman 4.3 writes outside that dir cannot be redirected: the netns file in /run/netns,
# runc's state in /run/runc and libcni's result cache in /var/lib/cni/results; all three are
# removed when the container is, and the suite checks that they were.
#
# Call sandbox_init once; then pm (podman bound to the sandbox), sandbox_run_detached and
# sandbox_teardown (idempotent; safe from an EXIT trap, after a failure at any point).

readonly SANDBOX_CNI_CACHE_DIR=/var/lib/cni/results   # libcni's default cacheDir
readonly SANDBOX_PODMAN_TIMEOUT=120                    # seconds for one podman command

SANDBOX_DIR=""          # set by sandbox_init
SANDBOX_NETWORK=""      # CNI network name
SANDBOX_BRIDGE=""       # bridge name in the conflist (created by the plugin on the first ADD)
SANDBOX_SUBNET=""       # e.g. 10.173.42.0/24
SANDBOX_CGROUP_PARENT=""
SANDBOX_FORWARD_RULE=() # iptables rule inserted by sandbox_allow_bridge_traffic, if any

# sandbox_init <cni bin dir> <unique id>
# Sets SANDBOX_* and exports CONTAINERS_CONF / CONTAINERS_STORAGE_CONF.
sandbox_init() {
    local bin_dir="$1" id="$2"
    SANDBOX_DIR="$(mktemp -d "${TMPDIR:-/tmp}/cnisharp-e2e-podman.XXXXXX")"
    SANDBOX_NETWORK="cnisharp-podman-$id"
    SANDBOX_BRIDGE="cnspod$id"                 # at most 15 characters: id is a pid (<= 7 digits)
    SANDBOX_CGROUP_PARENT="/cnisharp-e2e-podman-$id"
    SANDBOX_SUBNET="$(sandbox_pick_subnet)"
    mkdir -p "$SANDBOX_DIR"/{storage,run,tmp,net.d,ipam,state,rootfs}
    sandbox_write_containers_conf "$bin_dir"
    sandbox_write_storage_conf
    sandbox_write_conflist
    export CONTAINERS_CONF="$SANDBOX_DIR/containers.conf"
    export CONTAINERS_STORAGE_CONF="$SANDBOX_DIR/storage.conf"
}

# A 10.x.y.0/24 that no host route covers. The bridge gets no address (no isGateway), so the
# subnet never reaches the host's routing table; avoiding used ones keeps the output unambiguous.
sandbox_pick_subnet() {
    local candidate _
    for _ in 1 2 3 4 5 6 7 8; do
        candidate="10.$((160 + RANDOM % 40)).$((RANDOM % 256))"
        if ! ip -4 route show | grep -q "^$candidate\."; then
            echo "$candidate.0/24"
            return 0
        fi
    done
    echo "$candidate.0/24"   # every try was in use: collisions only affect readability
}

# A hard limit value for a ulimit spec: the wanted value, or the hard limit if that is lower.
sandbox_cap_limit() {
    local wanted="$1" hard="$2"
    if [[ "$hard" == unlimited ]] || ((hard >= wanted)); then echo "$wanted"; else echo "$hard"; fi
}

sandbox_write_containers_conf() {
    local bin_dir="$1" nofile nproc
    # podman's own defaults (nofile 1048576, nproc 4194304) exceed this VM's hard limits and
    # runc then fails with "error setting rlimit type 7: operation not permitted".
    nofile="$(sandbox_cap_limit 20000 "$(ulimit -Hn)")"
    nproc="$(sandbox_cap_limit 4096 "$(ulimit -Hu)")"
    cat >"$SANDBOX_DIR/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[network]
network_backend = "cni"
cni_plugin_dirs = ["$bin_dir", "/usr/lib/cni"]
network_config_dir = "$SANDBOX_DIR/net.d"
# A container started without --network lands on CniSharp, never on podman's default bridge.
default_network = "$SANDBOX_NETWORK"

[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
events_logger = "file"
events_logfile_path = "$SANDBOX_DIR/events.log"
tmp_dir = "$SANDBOX_DIR/tmp"
lock_type = "file"
EOF
}

# vfs: containers run from --rootfs, so no layers are ever copied, and vfs works on any
# file system (overlay on an overlay-backed /tmp does not).
sandbox_write_storage_conf() {
    cat >"$SANDBOX_DIR/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$SANDBOX_DIR/storage"
runroot = "$SANDBOX_DIR/run"
EOF
}

# podman 4.3 links libcni 1.1.2, which speaks CNI up to 1.0.0. No loopback plugin: podman
# brings up lo itself.
sandbox_write_conflist() {
    cat >"$SANDBOX_DIR/net.d/50-$SANDBOX_NETWORK.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "$SANDBOX_NETWORK",
  "plugins": [
    {
      "type": "cnisharp-bridge",
      "bridge": "$SANDBOX_BRIDGE",
      "stateDir": "$SANDBOX_DIR/state",
      "log": { "file": "$SANDBOX_DIR/cnisharp.log", "level": "debug" },
      "ipam": {
        "type": "cnisharp-host-local",
        "ranges": [[{ "subnet": "$SANDBOX_SUBNET" }]],
        "dataDir": "$SANDBOX_DIR/ipam"
      }
    }
  ]
}
EOF
}

# A root file system of one static busybox and the applets the suite uses.
# Fails if busybox is missing or dynamically linked (it could not run in the empty rootfs).
sandbox_make_rootfs() {
    local rootfs="$SANDBOX_DIR/rootfs" busybox applet
    busybox="$(command -v busybox)" || return 1
    mkdir -p "$rootfs/bin"
    cp "$busybox" "$rootfs/bin/busybox"
    for applet in sh ping ip sleep cat ls grep; do
        ln -sf busybox "$rootfs/bin/$applet"
    done
    chroot "$rootfs" /bin/busybox true 2>/dev/null
}

# podman bound to the sandbox. The storage flags repeat storage.conf on purpose: even if the
# environment were lost, this podman could not reach the host's default storage.
pm() {
    [[ -n "$SANDBOX_DIR" && "${CONTAINERS_CONF:-}" == "$SANDBOX_DIR/containers.conf" ]] || {
        echo "pm: the podman sandbox is not initialised" >&2
        return 1
    }
    timeout "$SANDBOX_PODMAN_TIMEOUT" podman --root "$SANDBOX_DIR/storage" --runroot "$SANDBOX_DIR/run" \
        --tmpdir "$SANDBOX_DIR/tmp" --storage-driver vfs "$@"
}

# sandbox_run_detached <name> [podman run options...] -- <command...>: a container from the
# busybox rootfs on the CniSharp network.
sandbox_run_detached() {
    local name="$1" options=()
    shift
    while (($# > 0)) && [[ "$1" != -- ]]; do
        options+=("$1")
        shift
    done
    shift   # the --
    pm run -d --name "$name" --network "$SANDBOX_NETWORK" --cgroup-parent "$SANDBOX_CGROUP_PARENT" \
        "${options[@]}" --rootfs "$SANDBOX_DIR/rootfs" "$@"
}

# On a host whose FORWARD policy is not ACCEPT (e.g. after Docker) and where br_netfilter
# hands bridged frames to iptables, pings between two ports of our bridge would be dropped:
# let traffic that stays on our bridge through, and remember the rule for the teardown.
sandbox_allow_bridge_traffic() {
    local nf_call=/proc/sys/net/bridge/bridge-nf-call-iptables
    [[ -r "$nf_call" && "$(cat "$nf_call")" == 1 ]] || return 0
    command -v iptables >/dev/null || return 0
    iptables -S FORWARD 2>/dev/null | grep -qx -- '-P FORWARD ACCEPT' && return 0
    SANDBOX_FORWARD_RULE=(FORWARD -i "$SANDBOX_BRIDGE" -o "$SANDBOX_BRIDGE"
        -m comment --comment "cnisharp e2e podman $SANDBOX_NETWORK" -j ACCEPT)
    iptables -I "${SANDBOX_FORWARD_RULE[@]}"
}

# The sandbox's cgroup parent as it exists: in the unified hierarchy (cgroup v2) or in each
# controller's hierarchy (v1). The name has no blanks, so word splitting is safe.
sandbox_cgroup_dirs() {
    local dir
    for dir in /sys/fs/cgroup/"${SANDBOX_CGROUP_PARENT#/}" /sys/fs/cgroup/*/"${SANDBOX_CGROUP_PARENT#/}"; do
        [[ -d "$dir" ]] && echo "$dir"
    done
    return 0
}

# Removes the cgroup parent from every hierarchy (v1: one per controller). conmon leaves its
# cgroup a moment after "podman rm" returns, so a busy cgroup is retried for up to 5 s.
sandbox_remove_cgroups() {
    local tries=50 dir busy
    while :; do
        busy=false
        for dir in $(sandbox_cgroup_dirs); do
            find "$dir" -depth -type d -exec rmdir {} \; 2>/dev/null || true
            [[ ! -d "$dir" ]] || busy=true
        done
        $busy && ((tries-- > 0)) || return 0
        sleep 0.1
    done
}

# Removes everything the sandbox made; prints what it could not remove (and fails then).
sandbox_teardown() {
    [[ -n "$SANDBOX_DIR" ]] || return 0
    local left=() mount_point dir
    if [[ -d "$SANDBOX_DIR" ]]; then
        # rm -f runs CNI DEL for containers a failed case left behind.
        pm rm --all --force --time 0 >/dev/null 2>&1 || true
        # Mounts podman may have left (shm, rootfs binds), deepest first.
        while IFS= read -r mount_point; do
            umount -l "$mount_point" 2>/dev/null || true
        done < <(findmnt -rn -o TARGET | grep -F "$SANDBOX_DIR/" | sort -r)
    fi
    sandbox_remove_cgroups
    for dir in $(sandbox_cgroup_dirs); do
        left+=("cgroup $dir")
    done
    if ((${#SANDBOX_FORWARD_RULE[@]} > 0)); then
        iptables -D "${SANDBOX_FORWARD_RULE[@]}" 2>/dev/null || left+=("iptables rule ${SANDBOX_FORWARD_RULE[*]}")
        SANDBOX_FORWARD_RULE=()
    fi
    if ip link show dev "$SANDBOX_BRIDGE" >/dev/null 2>&1; then
        ip link del dev "$SANDBOX_BRIDGE" 2>/dev/null || left+=("bridge $SANDBOX_BRIDGE")
    fi
    # libcni's cache entries are named <network>-<container id>-<ifname>; DEL removes them.
    rm -f -- "$SANDBOX_CNI_CACHE_DIR/$SANDBOX_NETWORK"-* 2>/dev/null || true
    rm -rf -- "$SANDBOX_DIR" 2>/dev/null || true
    [[ ! -e "$SANDBOX_DIR" ]] || left+=("temp dir $SANDBOX_DIR")
    if ((${#left[@]} > 0)); then
        printf 'sandbox_teardown: could not remove: %s\n' "${left[@]}" >&2
        return 1
    fi
}
