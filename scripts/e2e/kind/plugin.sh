# shellcheck shell=bash
# plugin-*: the rendered conflist run by the built plugin, as containerd runs it on a kind node.
# Sourced by scripts/e2e/kind-kit.sh.

# node_cni NODE_NS VERB CONFLIST [cnilib_cli.py options]: the list run as libcni runs it, from inside
# the node namespace (as containerd runs inside a kind node container), so the rendered bridge name
# cnisharp0 and portmap's iptables rules stay private to it. Debian's portmap speaks CNI up to 1.0.0
# (the kind node's portmap v1.9.1 speaks 1.1.0): it gets 1.0.0 and no STATUS.
node_cni() {
    local node_ns="$1" verb="$2" conflist="$3"
    shift 3
    ip netns exec "$node_ns" python3 "$CNILIB" "$verb" "$conflist" --cni-path "$BIN_DIR:$REFERENCE_DIR" \
        --plugin-version portmap=1.0.0 "$@"
}

new_netns() { # var-name role
    local ns="cnisharp-kk-$2-$SUFFIX"
    ip netns add "$ns" || return 1
    netns_created+=("$ns")
    ip -n "$ns" link set lo up
    printf -v "$1" '%s' "$ns"
}

plugin_prereqs() {
    [[ "$(id -u)" -eq 0 ]] || skip "needs root (network namespaces)" || return
    [[ -x "$BIN_DIR/cnisharp-bridge" && -x "$BIN_DIR/cnisharp-host-local" ]] \
        || skip "no built plugin in $BIN_DIR (scripts/build.sh)" || return
    have ip && have ping || skip "needs iproute2 and iputils-ping" || return
}

# The pod's runtime options: its container ID and netns, and a hostPort mapping when given.
pod_options() { # pod_ns cid capability-args|""
    pod_opts=(--id "$2" --netns "/run/netns/$1")
    [[ -z "$3" ]] || pod_opts+=(--capability-args "$3")
}

# ADD of the whole list for one pod; its result is kept in DIR/CID.result (the runtime's cache).
chain_add() { # dir node_ns pod_ns cid capability-args|""
    local dir="$1" node_ns="$2" pod_ns="$3" cid="$4" pod_opts
    pod_options "$pod_ns" "$cid" "$5"
    node_cni "$node_ns" add "$dir/conflist" "${pod_opts[@]}" >"$dir/$cid.result" 2>"$dir/$cid.add.err" \
        || bad "ADD for $cid failed: $(cat "$dir/$cid.result") $(tail_of "$dir/$cid.add.err")"
}

# DEL in reverse order, as libcni does; every plugin gets the cached ADD result as prevResult.
chain_del() { # dir node_ns pod_ns cid capability-args|""
    local dir="$1" node_ns="$2" pod_ns="$3" cid="$4" pod_opts
    pod_options "$pod_ns" "$cid" "$5"
    node_cni "$node_ns" del "$dir/conflist" "${pod_opts[@]}" --cached-result "$dir/$cid.result" \
        >"$dir/$cid.del.out" 2>"$dir/$cid.del.err" \
        || bad "DEL for $cid failed: $(cat "$dir/$cid.del.out") $(tail_of "$dir/$cid.del.err")"
}

# One kind node in miniature: a node namespace, two pods on it, the rendered conflist for
# CIDRS; ADD both, check addresses/routes/ping (both families), STATUS, optionally a hostPort,
# then DEL both and check that nothing is left in the node, the pods or the IPAM dir.
plugin_chain_case() { # label hostport(yes|no) cidr...
    local label="$1" hostport="$2" dir node_ns pod_a pod_b version line ip net gw first_ip=""
    shift 2
    plugin_prereqs || return
    [[ -x "$REFERENCE_DIR/portmap" ]] || skip "no $REFERENCE_DIR/portmap (containernetworking-plugins)" || return
    have iptables || skip "needs iptables (portmap)" || return
    dir="$WORK/plugin-$label"
    mkdir -p "$dir"
    CNISHARP_IPAM_DATA_DIR="$dir/ipam" CNISHARP_STATE_DIR="$dir/state" \
        sh "$RENDER" -o "$dir/conflist" "$@" 2>/dev/null || bad "render failed" || return
    new_netns node_ns "$label-node" && new_netns pod_a "$label-a" && new_netns pod_b "$label-b" \
        || bad "cannot create namespaces" || return

    local mappings=""
    [[ "$hostport" != yes ]] || mappings='{"portMappings":[{"hostPort":31080,"containerPort":8080,"protocol":"tcp"}]}'
    chain_add "$dir" "$node_ns" "$pod_a" "kk-a-$SUFFIX" "$mappings" || return
    chain_add "$dir" "$node_ns" "$pod_b" "kk-b-$SUFFIX" "" || return

    local cidr family
    for cidr in "$@"; do
        if [[ "$cidr" == *:* ]]; then version=6 family=-6; else version=4 family=-4; fi
        # pod-a: one address of this family inside the CIDR, gateway = first address, default route via it.
        line="$(python3 "$CNILIB" ips "$dir/kk-a-$SUFFIX.result" "$version")"
        read -r ip net gw <<<"$line"
        [[ "$net" == "$cidr" ]] || bad "pod-a's IPv$version network is '$net', want $cidr" || return
        [[ "$gw" == "$(python3 "$KIT_DIR/rendered.py" gateway "$cidr")" ]] \
            || bad "gateway '$gw' is not the first address of $cidr" || return
        ip -n "$pod_a" "$family" route show default | grep "via $gw dev eth0" >/dev/null \
            || bad "pod-a has no IPv$version default route via $gw: $(ip -n "$pod_a" "$family" route show default)" || return
        ip -n "$node_ns" "$family" addr show dev cnisharp0 | grep " $gw/${cidr#*/} " >/dev/null \
            || bad "cnisharp0 in the node lacks $gw/${cidr#*/}: $(ip -n "$node_ns" "$family" -o addr show dev cnisharp0 | tr -s " " | tr "\n" ";")" || return
        # pod-b pings pod-a over this family.
        ip netns exec "$pod_b" ping "$family" -c 1 -W 3 "$ip" >/dev/null 2>&1 \
            || bad "pod-b cannot ping pod-a ($ip)" || return
        [[ -n "$first_ip" ]] || first_ip="$ip"
    done

    # STATUS, as containerd asks through CRI for a 1.1.0 list.
    node_cni "$node_ns" status "$dir/conflist" >"$dir/status.out" 2>&1 \
        || bad "STATUS failed: $(cat "$dir/status.out")" || return

    if [[ "$hostport" == yes ]]; then
        hostport_check "$dir" "$node_ns" "$pod_a" "$first_ip" || return
    fi

    # The rendered dataDir is where the reservations went (so the empty-after-DEL check means something).
    [[ -n "$(find "$dir/ipam" -type f -name "$first_ip" 2>/dev/null)" ]] \
        || bad "no reservation file for $first_ip under the rendered dataDir" || return

    chain_del "$dir" "$node_ns" "$pod_a" "kk-a-$SUFFIX" "$mappings" || return
    chain_del "$dir" "$node_ns" "$pod_b" "kk-b-$SUFFIX" "" || return
    # DEL again: a runtime retries DEL until it succeeds, so a second one must succeed too.
    chain_del "$dir" "$node_ns" "$pod_a" "kk-a-$SUFFIX" "$mappings" || { why="second DEL: $why"; return 1; }

    [[ -z "$(ip -n "$node_ns" -o link show type veth)" ]] || bad "host veths left in the node" || return
    ! ip -n "$pod_a" link show eth0 >/dev/null 2>&1 || bad "pod-a still has eth0" || return
    if [[ "$hostport" == yes ]] && ip netns exec "$node_ns" iptables -t nat -S 2>/dev/null | grep -- "--to-destination" >/dev/null; then
        bad "portmap DNAT rules left in the node"
        return
    fi
    local leftover
    leftover="$(find "$dir/ipam" -type f -name '*[0-9]*' ! -name 'last_reserved_ip*' ! -name lock 2>/dev/null)"
    [[ -z "$leftover" ]] || bad "IPAM reservations left: $leftover" || return
    leftover="$(find "$dir/state" -type f -name '*.json' 2>/dev/null)"
    [[ -z "$leftover" ]] || bad "attachment records left in the rendered stateDir: $leftover"
}

# hostPort through the chained portmap: from the node itself to <node address>:31080.
# python3 serves and fetches (the static busybox's wget crashes here).
hostport_check() { # dir node_ns pod_ns pod_ip
    local dir="$1" node_ns="$2" pod_ns="$3" pod_ip="$4" server reply="" gw tries
    ip netns exec "$node_ns" iptables -t nat -S 2>/dev/null | grep -- "--to-destination $pod_ip:8080" >/dev/null \
        || bad "no DNAT to $pod_ip:8080 in the node" || return
    mkdir -p "$dir/www"
    echo "cnisharp-hostport-ok" >"$dir/www/index.html"
    ip netns exec "$pod_ns" python3 -m http.server 8080 --directory "$dir/www" >/dev/null 2>&1 &
    server=$!
    pids_started+=("$server")
    gw="$(python3 "$CNILIB" ips "$dir/kk-a-$SUFFIX.result" 4 | awk '{print $3}')"
    for ((tries = 0; tries < 25; tries++)); do
        reply="$(ip netns exec "$node_ns" python3 "$KIT_DIR/http-get.py" "http://$gw:31080/" 2>/dev/null || true)"
        [[ "$reply" != *cnisharp-hostport-ok* ]] || break
        sleep 0.2
    done
    stop_pid "$server"
    [[ "$reply" == *cnisharp-hostport-ok* ]] || bad "GET http://$gw:31080/ in the node answered '$reply'"
}
