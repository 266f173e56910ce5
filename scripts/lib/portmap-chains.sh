# shellcheck shell=bash
# The reference portmap creates shared nat chains (CNI-HOSTPORT-DNAT, -SETMARK, -MASQ) and jumps to them from
# PREROUTING, OUTPUT and POSTROUTING, and never removes them. A script that runs it on someone's machine
# notes whether they were there before and, at the end, removes them if it brought them and no rule uses them.

readonly PORTMAP_SHARED_CHAINS=(CNI-HOSTPORT-DNAT CNI-HOSTPORT-SETMARK CNI-HOSTPORT-MASQ)

portmap_chains_exist() { # TOOL (iptables | ip6tables)
    "$1-save" -t nat 2>/dev/null | grep '^:CNI-HOSTPORT-DNAT ' >/dev/null
}

portmap_chains_note() {
    portmap_had_v4=false portmap_had_v6=false portmap_had_nat4=false portmap_had_nat6=false
    if portmap_chains_exist iptables; then portmap_had_v4=true; fi
    if portmap_chains_exist ip6tables; then portmap_had_v6=true; fi
    if nft list table ip nat >/dev/null 2>&1; then portmap_had_nat4=true; fi
    if nft list table ip6 nat >/dev/null 2>&1; then portmap_had_nat6=true; fi
}

portmap_chains_cleanup() {
    local tool had rule chain
    for tool in iptables ip6tables; do
        had="$portmap_had_v4"
        [[ "$tool" == ip6tables ]] && had="$portmap_had_v6"
        if [[ "${had:-true}" != false ]] || ! portmap_chains_exist "$tool"; then continue; fi
        # Still in use by some container: leave them, as portmap itself does.
        if "$tool-save" -t nat | grep '^-A CNI-HOSTPORT-DNAT ' >/dev/null; then continue; fi
        while IFS= read -r rule; do
            eval "$tool -t nat -D ${rule#-A }" 2>/dev/null || true
        done < <("$tool-save" -t nat | grep -E '^-A (PREROUTING|OUTPUT|POSTROUTING) .*-j CNI-HOSTPORT-')
        for chain in "${PORTMAP_SHARED_CHAINS[@]}"; do
            "$tool" -t nat -F "$chain" 2>/dev/null || true
            "$tool" -t nat -X "$chain" 2>/dev/null || true
        done
    done
    # iptables-nft created the nat tables for portmap; remove them again when they were not there and are empty.
    local family had_table
    for family in ip ip6; do
        had_table="$portmap_had_nat4"
        [[ "$family" == ip6 ]] && had_table="$portmap_had_nat6"
        [[ "${had_table:-true}" == false ]] || continue
        local tool=iptables
        [[ "$family" == ip6 ]] && tool=ip6tables
        if "$tool-save" -t nat 2>/dev/null | grep '^-A ' >/dev/null; then continue; fi
        nft delete table "$family" nat 2>/dev/null || true
    done
}
