#!/usr/bin/env bash
# Benchmark CNI ADD/DEL of CniSharp against the reference bridge + host-local (+ portmap), and
# write artifacts/bench/results.json and the report docs/benchmarks.md.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT

usage() {
    cat <<'USAGE'
Usage: sudo scripts/bench.sh [-n N] [--quick] [--variants LIST] [--bursts LIST] [options] [-h|--help]

Benchmarks CniSharp (cnisharp-bridge or cnisharp-ptp + in-process cnisharp-host-local) and, when
installed, the reference plugins (/usr/lib/cni/bridge or ptp + host-local), in one run, alternating between
the two in blocks of 25 pods so that machine noise hits both alike. Variants (conflists that differ
only in plugin types; cniVersion 1.0.0, isGateway, own bridge/subnet/data dirs each):
  ipv4        one IPv4 range, no masquerade
  ipv4-masq   "ipMasq": true (an implementation that refuses it with code 2 is reported n/a)
  portmap     chained with the reference portmap, one hostPort per pod via runtimeConfig
  dual-stack  an IPv4 and an IPv6 range set
  ptp         routed pods: cnisharp-ptp against the reference ptp, dual stack, no bridge
For each: N sequential chain ADDs (a fresh namespace per pod, created untimed), then N DELs:
median, p90, peak RSS. Then bursts: PODS pods ADDed with PARALLEL workers (wall time), then
DELed the same way. Chains run as libcni runs them (prevResult passed along on ADD, the cached
result on DEL). Prints a table, writes the JSON and renders the Markdown report with SVG charts.

Options:
  -n N               sequential ADDs and DELs per variant and implementation (default 200)
  --quick            a fast check of the pipeline: -n 20, --warmup 1, --burst-repeats 1 unless
                     given, and the report says it is a quick run
  --variants LIST    comma-separated subset of ipv4,ipv4-masq,portmap,dual-stack,ptp (default all)
  --bursts LIST      PODSxPARALLEL bursts, or "none" (default 50x8,200x32)
  --burst-repeats R  rounds per burst, the median wall is reported (default 3)
  --warmup W         untimed ADD/DEL pairs per network before measuring (default 3)
  --note TEXT        a line for the report (e.g. what else the machine was doing)
  --out FILE         results JSON (default artifacts/bench/results.json)
  --doc FILE         Markdown report; its SVGs go next to it (default docs/benchmarks.md)
  --no-doc           do not write the report
  --no-reference     benchmark CniSharp only
  --no-build         use the binaries already in CNISHARP_BIN_DIR
  -h, --help         show this help

Render a report again from a results file without re-running:
  python3 scripts/lib/bench_report.py artifacts/bench/results.json docs/benchmarks.md

Environment:
  CNISHARP_BIN_DIR  CNI bin dir (default: <repo>/artifacts/cni/bin)
  CNI_REF_DIR       reference plugins dir (default: /usr/lib/cni)
USAGE
}

# Single-quotes a word for the shell unless it needs no quoting.
shell_word() {
    if [[ "$1" =~ ^[A-Za-z0-9_./:=,+@%-]+$ ]]; then
        printf '%s' "$1"
    else
        printf "'%s'" "${1//\'/\'\\\'\'}"
    fi
}

# The command as typed, with the environment that changes what runs, for the report.
command_line="scripts/bench.sh"
for arg in "$@"; do command_line+=" $(shell_word "$arg")"; done
if [[ -n "${CNI_REF_DIR:-}" ]]; then command_line="CNI_REF_DIR=$(shell_word "$CNI_REF_DIR") $command_line"; fi
if [[ -n "${CNISHARP_BIN_DIR:-}" ]]; then command_line="CNISHARP_BIN_DIR=$(shell_word "$CNISHARP_BIN_DIR") $command_line"; fi
n="" warmup="" repeats="" quick=false build=true
variants="ipv4,ipv4-masq,portmap,dual-stack,ptp" bursts="50x8,200x32" note=""
out="$REPO_ROOT/artifacts/bench/results.json"
doc="$REPO_ROOT/docs/benchmarks.md"
extra=()
while (($# > 0)); do
    case "$1" in
        -n) n="${2:?-n needs a value}"; shift 2 ;;
        --quick) quick=true; shift ;;
        --variants) variants="${2:?--variants needs a value}"; shift 2 ;;
        --bursts) bursts="${2:?--bursts needs a value}"; shift 2 ;;
        --burst-repeats) repeats="${2:?--burst-repeats needs a value}"; shift 2 ;;
        --warmup) warmup="${2:?--warmup needs a value}"; shift 2 ;;
        --note) note="${2?--note needs a value}"; shift 2 ;;
        --out) out="${2:?--out needs a value}"; shift 2 ;;
        --doc) doc="${2:?--doc needs a value}"; shift 2 ;;
        --no-doc) doc=""; shift ;;
        --no-reference) extra+=(--no-reference); shift ;;
        --no-build) build=false; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
if $quick; then
    n="${n:-20}" warmup="${warmup:-1}" repeats="${repeats:-1}"
    extra+=(--quick)
fi
n="${n:-200}" warmup="${warmup:-3}" repeats="${repeats:-3}"
[[ "$n" =~ ^[0-9]+$ && "$n" -ge 1 ]] || { echo "bench.sh: -n must be a positive integer" >&2; exit 2; }
[[ "$warmup" =~ ^[0-9]+$ ]] || { echo "bench.sh: --warmup must be a non-negative integer" >&2; exit 2; }
[[ "$repeats" =~ ^[0-9]+$ && "$repeats" -ge 1 ]] || { echo "bench.sh: --burst-repeats must be a positive integer" >&2; exit 2; }

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

# Bridge names are "cnb" + this id + two letters, so the id must stay within 7 digits.
run_id="$(($$ % 10000000))"
# shellcheck source-path=SCRIPTDIR source=lib/portmap-chains.sh
source "$REPO_ROOT/scripts/lib/portmap-chains.sh"
portmap_chains_note
# Safety net if the driver is killed hard: remove the namespaces and bridges that carry this
# run's id. (The driver itself DELs attached pods first, which also removes their iptables rules.)
# shellcheck disable=SC2317  # invoked through the EXIT trap
fallback_cleanup() {
    local ns link
    while read -r ns _; do
        if [[ "$ns" == cnibench-"$run_id"-* ]]; then ip netns del "$ns" 2>/dev/null || true; fi
    done < <(ip netns list 2>/dev/null)
    while read -r link; do
        if [[ "$link" =~ ^cnb${run_id}[a-z][a-z]$ ]]; then ip link del dev "$link" 2>/dev/null || true; fi
    done < <(ip -o link show type bridge 2>/dev/null | awk -F': ' '{print $2}')
    portmap_chains_cleanup
}
trap fallback_cleanup EXIT

args=(--bin-dir "$bin_dir" --ref-dir "${CNI_REF_DIR:-/usr/lib/cni}" -n "$n" --warmup "$warmup"
      --variants "$variants" --bursts "$bursts" --burst-repeats "$repeats" --note "$note"
      --command "$command_line" --out "$out" --run-id "$run_id")
if [[ -n "$doc" ]]; then args+=(--doc "$doc"); fi

# The driver runs in the background so that SIGINT/SIGTERM reach it at once (forwarded as
# SIGTERM); it then cleans up itself before exiting.
python3 "$REPO_ROOT/scripts/bench.py" "${args[@]}" "${extra[@]}" &
driver=$!
trap 'kill -TERM "$driver" 2>/dev/null || true' TERM INT
status=0
wait "$driver" || status=$?
while kill -0 "$driver" 2>/dev/null; do
    wait "$driver" || status=$?
done
exit "$status"
