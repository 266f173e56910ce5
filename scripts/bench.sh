#!/usr/bin/env bash
# Benchmark raw CNI ADD/DEL of CniSharp against the reference bridge + host-local.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT

usage() {
    cat <<'USAGE'
Usage: sudo scripts/bench.sh [-n N] [--warmup W] [--out FILE] [--no-reference] [--no-build] [-h|--help]

For CniSharp (cnisharp-bridge + in-process cnisharp-host-local) and, when installed,
the reference plugins (/usr/lib/cni/bridge with the reference host-local IPAM):
N sequential raw ADDs, each into its own namespace created beforehand (not timed),
then N DELs. Both use the same bridge settings (isGateway, no ipMasq, cniVersion
1.0.0) on their own bridge, subnet and IPAM dataDir. Prints median, p90, max and
peak RSS per plugin and verb, and writes the numbers as JSON.

Options:
  -n N            ADDs and DELs per plugin (default 200)
  --warmup W      untimed ADD/DEL pairs before measuring (default 3)
  --out FILE      results JSON (default artifacts/bench/results.json)
  --no-reference  benchmark CniSharp only
  --no-build      use the binaries already in CNISHARP_BIN_DIR
  -h, --help      show this help

Environment:
  CNISHARP_BIN_DIR  CNI bin dir (default: <repo>/artifacts/cni/bin)
  CNI_REF_DIR       reference plugins dir (default: /usr/lib/cni)
USAGE
}

n=200 warmup=3 build=true
out="$REPO_ROOT/artifacts/bench/results.json"
extra=()
while (($# > 0)); do
    case "$1" in
        -n) n="${2:?-n needs a value}"; shift 2 ;;
        --warmup) warmup="${2:?--warmup needs a value}"; shift 2 ;;
        --out) out="${2:?--out needs a value}"; shift 2 ;;
        --no-reference) extra+=(--no-reference); shift ;;
        --no-build) build=false; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ "$n" =~ ^[0-9]+$ && "$n" -ge 1 ]] || { echo "bench.sh: -n must be a positive integer" >&2; exit 2; }
[[ "$warmup" =~ ^[0-9]+$ ]] || { echo "bench.sh: --warmup must be a non-negative integer" >&2; exit 2; }

if [[ "$(id -u)" -ne 0 ]]; then
    echo "bench.sh: needs root (creates network namespaces and bridges): sudo scripts/bench.sh" >&2
    exit 1
fi

"$REPO_ROOT/scripts/install-deps.sh"
if $build; then
    "$REPO_ROOT/scripts/build.sh"
fi
bin_dir="${CNISHARP_BIN_DIR:-$REPO_ROOT/artifacts/cni/bin}"
[[ -x "$bin_dir/cnisharp-bridge" ]] || { echo "bench.sh: $bin_dir/cnisharp-bridge missing: run scripts/build.sh" >&2; exit 1; }

run_id="$$"
# Safety net if the driver is killed hard: remove what carries this run's id.
# shellcheck disable=SC2317  # invoked through the EXIT trap
fallback_cleanup() {
    local ns br
    while read -r ns _; do
        if [[ "$ns" == cnibench-"$run_id"-* ]]; then ip netns del "$ns" 2>/dev/null || true; fi
    done < <(ip netns list 2>/dev/null)
    for br in "cnibs$run_id" "cnibr$run_id"; do
        br="${br:0:15}"
        if ip link show dev "$br" >/dev/null 2>&1; then ip link del dev "$br" || true; fi
    done
}
trap fallback_cleanup EXIT

# The driver runs in the background so that SIGINT/SIGTERM reach it at once (forwarded as
# SIGTERM); it then cleans up itself before exiting.
python3 "$REPO_ROOT/scripts/bench.py" --bin-dir "$bin_dir" --ref-dir "${CNI_REF_DIR:-/usr/lib/cni}" \
    -n "$n" --warmup "$warmup" --out "$out" --run-id "$run_id" "${extra[@]}" &
driver=$!
trap 'kill -TERM "$driver" 2>/dev/null || true' TERM INT
status=0
wait "$driver" || status=$?
while kill -0 "$driver" 2>/dev/null; do
    wait "$driver" || status=$?
done
exit "$status"
