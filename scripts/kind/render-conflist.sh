#!/bin/sh
# Render CniSharp's conflist for one kind node from that node's pod CIDR(s)
# (node.spec.podCIDRs) and print it, or write it atomically with -o.
# POSIX sh + coreutils/busybox only: it runs in the DaemonSet image and in CI.
set -eu

usage() {
    cat <<'USAGE'
Usage: render-conflist.sh [-o FILE] POD_CIDR [POD_CIDR]
       render-conflist.sh -h|--help

Prints the CniSharp conflist for a node whose pod CIDRs are given: one IPv4
CIDR, one IPv6 CIDR, or one of each (dual stack). CIDRs may also be passed as
one comma-separated argument ("10.244.1.0/24,fd00:10:244:1::/64") or, with no
argument, in CNISHARP_POD_CIDRS.

The list: cnisharp-bridge (gateway + default route via the bridge, hairpin on)
with cnisharp-host-local IPAM over the pod CIDR(s), state under /run (tmpfs on
a kind node: reservations vanish with the pods when the node restarts), then
the node's own portmap plugin for hostPorts (capabilities.portMappings).

Options:
  -o, --output FILE  write FILE instead of printing: the content goes to a
                     temporary file in FILE's directory that is renamed over
                     FILE (a runtime watching the directory never reads a
                     partial file); an identical FILE is left untouched
  -h, --help         show this help

Environment (defaults in brackets):
  CNISHARP_POD_CIDRS       pod CIDR(s) when no argument is given
  CNISHARP_NETWORK_NAME    network name             [cnisharp]
  CNISHARP_BRIDGE          bridge name              [cnisharp0]
  CNISHARP_IPAM_DATA_DIR   host-local reservations  [/run/cnisharp/ipam]
  CNISHARP_STATE_DIR       per-attachment records   [/run/cnisharp/state]
USAGE
}

die() {
    echo "render-conflist: error: $*" >&2
    exit 1
}

output=""
while [ $# -gt 0 ]; do
    case "$1" in
        -o|--output)
            [ $# -ge 2 ] || die "$1 needs a file name"
            output="$2"
            shift 2
            ;;
        -h|--help) usage; exit 0 ;;
        --) shift; break ;;
        -*) echo "render-conflist: unknown option: $1" >&2; usage >&2; exit 2 ;;
        *) break ;;
    esac
done

network_name="${CNISHARP_NETWORK_NAME:-cnisharp}"
bridge="${CNISHARP_BRIDGE:-cnisharp0}"
data_dir="${CNISHARP_IPAM_DATA_DIR:-/run/cnisharp/ipam}"
state_dir="${CNISHARP_STATE_DIR:-/run/cnisharp/state}"

# Settings are pasted into JSON strings: allow only characters that need no escaping.
require_plain() { # what value
    case "$2" in
        ''|*[!A-Za-z0-9._/-]*) die "$1 must be non-empty and use only [A-Za-z0-9._/-], got '$2'" ;;
    esac
}
require_plain CNISHARP_NETWORK_NAME "$network_name"
require_plain CNISHARP_BRIDGE "$bridge"
require_plain CNISHARP_IPAM_DATA_DIR "$data_dir"
require_plain CNISHARP_STATE_DIR "$state_dir"

# A dotted quad with octets 0-255 and a prefix 0-32.
is_ipv4_cidr() {
    printf '%s\n' "$1" | awk -F/ '
        NF != 2 || $2 !~ /^[0-9]+$/ || $2 + 0 > 32 { exit 1 }
        {
            n = split($1, octet, ".")
            if (n != 4) exit 1
            for (i = 1; i <= 4; i++)
                if (octet[i] !~ /^[0-9]+$/ || length(octet[i]) > 3 || octet[i] + 0 > 255) exit 1
        }'
}

# Hex groups and colons with a prefix 0-128. Loose on purpose (the plugin parses the
# address strictly when it loads the config); strict enough that nothing else reaches the JSON.
is_ipv6_cidr() {
    case "$1" in
        */*/*|*[!0-9A-Fa-f:/]*) return 1 ;;
        *:*:*/*) ;;
        *) return 1 ;;
    esac
    prefix="${1##*/}"
    case "$prefix" in
        ''|*[!0-9]*) return 1 ;;
    esac
    [ "${#prefix}" -le 3 ] && [ "$prefix" -le 128 ]
}

if [ $# -eq 0 ]; then
    [ -n "${CNISHARP_POD_CIDRS:-}" ] || die "no pod CIDR given (argument or CNISHARP_POD_CIDRS)"
    set -- "$CNISHARP_POD_CIDRS"
fi

# Split every argument on commas and blanks, without globbing.
set -f
cidr_words=""
for arg in "$@"; do
    cidr_words="$cidr_words $(printf '%s' "$arg" | tr ',' ' ')"
done
# shellcheck disable=SC2086 # word splitting is the point here
set -- $cidr_words
set +f

ipv4_cidr="" ipv6_cidr=""
for cidr in "$@"; do
    if is_ipv4_cidr "$cidr"; then
        [ -z "$ipv4_cidr" ] || die "two IPv4 pod CIDRs ($ipv4_cidr, $cidr): a node has at most one per family"
        ipv4_cidr="$cidr"
    elif is_ipv6_cidr "$cidr"; then
        [ -z "$ipv6_cidr" ] || die "two IPv6 pod CIDRs ($ipv6_cidr, $cidr): a node has at most one per family"
        ipv6_cidr="$cidr"
    else
        die "not an IPv4 or IPv6 CIDR: '$cidr'"
    fi
done
[ -n "$ipv4_cidr$ipv6_cidr" ] || die "no pod CIDR given"

# One range set per family; one default route per family (no "gw": the plugin routes it via
# that family's gateway, the first address of the range, which sits on the bridge).
ranges="" routes=""
if [ -n "$ipv4_cidr" ]; then
    ranges="[{ \"subnet\": \"$ipv4_cidr\" }]"
    routes="{ \"dst\": \"0.0.0.0/0\" }"
fi
if [ -n "$ipv6_cidr" ]; then
    ranges="${ranges:+$ranges,
          }[{ \"subnet\": \"$ipv6_cidr\" }]"
    routes="${routes:+$routes, }{ \"dst\": \"::/0\" }"
fi

conflist="$(cat <<EOF
{
  "cniVersion": "1.1.0",
  "cniVersions": ["0.3.1", "0.4.0", "1.0.0", "1.1.0"],
  "name": "$network_name",
  "plugins": [
    {
      "type": "cnisharp-bridge",
      "bridge": "$bridge",
      "isGateway": true,
      "isDefaultGateway": true,
      "hairpinMode": true,
      "stateDir": "$state_dir",
      "ipam": {
        "type": "cnisharp-host-local",
        "ranges": [
          $ranges
        ],
        "routes": [$routes],
        "dataDir": "$data_dir"
      }
    },
    {
      "type": "portmap",
      "capabilities": { "portMappings": true }
    }
  ]
}
EOF
)"

if [ -z "$output" ]; then
    printf '%s\n' "$conflist"
    exit 0
fi

dir="$(dirname -- "$output")"
name="$(basename -- "$output")"
[ -d "$dir" ] || die "directory $dir does not exist"
[ ! -d "$output" ] || die "$output is a directory"

# Unchanged content: keep the file (and its inode), so containerd's directory watch stays quiet.
if [ -f "$output" ] && printf '%s\n' "$conflist" | cmp -s - "$output"; then
    echo "render-conflist: unchanged $output" >&2
    exit 0
fi

# The temp name ends in random letters, not .conf/.conflist/.json, so libcni never loads it;
# the same directory keeps the rename on one filesystem, where rename(2) is atomic.
tmp="$(mktemp "$dir/.$name.XXXXXX")"
trap 'rm -f -- "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
printf '%s\n' "$conflist" >"$tmp"
chmod 0644 "$tmp"
mv -f -- "$tmp" "$output"
trap - EXIT
echo "render-conflist: wrote $output (${ipv4_cidr:+$ipv4_cidr }${ipv6_cidr:+$ipv6_cidr })" >&2
