# shellcheck shell=bash
# The bridge plugin turns on global IP forwarding for a gateway (isGateway), as the reference does. Scripts that
# run it on a developer's machine save the two sysctls first and put them back when they are done.

forwarding_save() {
    saved_fwd4="$(cat /proc/sys/net/ipv4/ip_forward)"
    saved_fwd6="$(cat /proc/sys/net/ipv6/conf/all/forwarding 2>/dev/null || echo "")"
}

# forwarding_restore PREFIX: restores what forwarding_save read and says so, each line starting with PREFIX.
forwarding_restore() {
    local prefix="$1"
    if [[ -n "${saved_fwd4:-}" && "$(cat /proc/sys/net/ipv4/ip_forward)" != "$saved_fwd4" ]]; then
        echo "$saved_fwd4" >/proc/sys/net/ipv4/ip_forward
        echo "$prefix restored net.ipv4.ip_forward=$saved_fwd4"
    fi
    if [[ -n "${saved_fwd6:-}" && "$(cat /proc/sys/net/ipv6/conf/all/forwarding)" != "$saved_fwd6" ]]; then
        echo "$saved_fwd6" >/proc/sys/net/ipv6/conf/all/forwarding
        echo "$prefix restored net.ipv6.conf.all.forwarding=$saved_fwd6"
    fi
}
