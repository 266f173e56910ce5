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

readonly PACKAGES=(iproute2 iputils-ping containernetworking-plugins python3 gcc zlib1g-dev)

missing=()
for pkg in "${PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == "installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
    echo "install-deps.sh: all dependencies present (${PACKAGES[*]})"
    exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
    echo "install-deps.sh: not root, installing nothing; missing: ${missing[*]}" >&2
    echo "install-deps.sh: run 'sudo scripts/install-deps.sh' to install them" >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-deps.sh: installing ${missing[*]}"
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps.sh: done"
