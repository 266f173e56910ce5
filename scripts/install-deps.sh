#!/usr/bin/env bash
# Install the Debian packages that CniSharp's tests, demo and benchmark need.
# A machine that already has them never touches apt.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: sudo scripts/install-deps.sh [-h|--help]

Installs (only what is missing, checked with dpkg-query first):
  iproute2                     ip netns / ip link / ip addr (demo, tests, benchmark)
  iputils-ping                 ping between the demo namespaces
  containernetworking-plugins  reference plugins in /usr/lib/cni (compat tests, benchmark)
  python3                      benchmark driver, JSON pretty-printing in the demo
  gcc, zlib1g-dev              native-AOT link step of 'dotnet publish'
  iptables                     used by the reference portmap plugin in the chaining tests
  nftables                     'nft list' of the rules in the chaining and nf_tables tests
  conntrack                    'conntrack -L' in the host-port tests (UDP entries flushed)
  golang-go, dpkg-dev          build cnitool offline from Debian's golang-github-appc-cni source
  podman, runc, busybox-static podman end-to-end test (CNI backend, busybox rootfs, no image pull)
  python3-yaml                 syntax check of the kind manifests in conf/kind
  jq, curl, openssl, strace    the kind kit's conflist agent against a local fake API server,
                               and its atomic-write check
  shellcheck                   the kind kit's lint of its shell scripts
  clang, gcc-aarch64-linux-gnu, libc6-dev-arm64-cross
                               the linux-arm64 cross build (scripts/build.sh --rid linux-arm64):
                               clang links against the arm64 crt/libgcc and libc sysroot
  qemu-user-static             runs that arm64 binary on x86-64 (build.sh --list-plugins,
                               scripts/e2e/arm64.sh)
  etcd-server, etcd-client     the node agent's etcd datastore in its end-to-end suite (a private
                               etcd per run, in a test namespace; the package's own service is not used),
                               and the etcd under the Kubernetes tests' private kube-apiserver
                               (scripts/lib/k8s-control-plane.sh)
  bird2                        the agent's BGP backend and its suite (a BIRD per node namespace, own
                               config and socket); the package's own bird.service is stopped and
                               disabled when this script installs it

It also adds a deb-src entry (/etc/apt/sources.list.d/cnisharp-deb-src.sources, a copy
of the Debian deb entries) so that 'apt-get source golang-github-appc-cni' works.

The .NET SDK itself is not installed by this script.
Runs 'apt-get update' once, only when something is missing.
Without root it installs nothing and says what is missing.
USAGE
}

case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") ;;
    *) echo "install-deps.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac

readonly PACKAGES=(iproute2 iputils-ping containernetworking-plugins python3 gcc zlib1g-dev
    iptables nftables conntrack
    golang-go dpkg-dev
    podman runc busybox-static
    python3-yaml jq curl openssl strace shellcheck
    etcd-server etcd-client
    bird2
)
readonly DEB_SRC_LIST=/etc/apt/sources.list.d/cnisharp-deb-src.sources

# The linux-arm64 build and its tests under qemu-user (no binfmt_misc registration needed: every run
# names qemu-aarch64-static). .NET 10 links its own zlib, so no arm64 zlib package.
readonly ARM64_PACKAGES=(clang gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static)
readonly ALL_PACKAGES=("${PACKAGES[@]}" "${ARM64_PACKAGES[@]}")

missing=()
for pkg in "${ALL_PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == "installed" ]] || missing+=("$pkg")
done

# cnitool is built from Debian's source package: that needs a deb-src index.
need_src=false
if ! apt-cache showsrc golang-github-appc-cni >/dev/null 2>&1; then
    need_src=true
fi

if ((${#missing[@]} == 0)) && ! $need_src; then
    echo "install-deps.sh: all dependencies present (${ALL_PACKAGES[*]})"
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    echo "install-deps.sh: not root, installing nothing; missing: ${missing[*]:-}$($need_src && echo ' (deb-src index)')" >&2
    echo "install-deps.sh: run 'sudo scripts/install-deps.sh' to install them" >&2
    exit 0
fi

if $need_src && [[ ! -e "$DEB_SRC_LIST" ]]; then
    # The same archives as the machine's deb entries, as deb-src (deb822 and one-line formats).
    {
        for f in /etc/apt/sources.list.d/*.sources; do
            [[ -e "$f" && "$f" != "$DEB_SRC_LIST" ]] || continue
            awk 'BEGIN { RS = ""; ORS = "\n\n" }
                 /(^|\n)Types:[^\n]*deb([ \t\n]|$)/ && /debian/ { sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$f"
        done
    } >"$DEB_SRC_LIST.tmp"
    if [[ ! -s "$DEB_SRC_LIST.tmp" ]]; then
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
            [[ -e "$f" ]] || continue
            grep -E '^deb[[:space:]].*debian' "$f" | sed -E 's/^deb[[:space:]]/deb-src /' || true
        done >"$DEB_SRC_LIST.tmp"
        DEB_SRC_LIST_ONELINE="${DEB_SRC_LIST%.sources}.list"
        mv "$DEB_SRC_LIST.tmp" "$DEB_SRC_LIST_ONELINE"
    else
        mv "$DEB_SRC_LIST.tmp" "$DEB_SRC_LIST"
    fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-deps.sh: installing ${missing[*]:-no packages}$($need_src && echo '; fetching the deb-src index')"
apt-get update -qq
if ((${#missing[@]} > 0)); then
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# bird2 starts the system BIRD (/etc/bird/bird.conf, /run/bird/bird.ctl) on install. Nothing here uses it: every
# BIRD of the agent and its tests has its own configuration and socket. Do not leave it running or enabled.
if [[ " ${missing[*]:-} " == *" bird2 "* ]]; then
    if [[ -d /run/systemd/system ]]; then
        systemctl disable --now bird.service >/dev/null 2>&1 || true
    elif [[ -x /etc/init.d/bird ]]; then
        /etc/init.d/bird stop >/dev/null 2>&1 || true
        update-rc.d bird disable >/dev/null 2>&1 || true
    fi
fi
echo "install-deps.sh: done"
