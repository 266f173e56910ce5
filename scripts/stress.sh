#!/usr/bin/env bash
# The stress tests (tests/CniSharp.IntegrationTests/Stress) with counts well beyond CI's, against the
# built binary. CI runs the same tests with small defaults through scripts/test.sh.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT

usage() {
    cat <<'USAGE'
Usage: sudo scripts/stress.sh [options]

Runs the stress tests against the built binary in $CNISHARP_BIN_DIR
(default <repo>/artifacts/cni/bin), building it first unless --no-build.

  burst  N pods ADDed with P plugin processes at once on one bridge, then DELed;
         no failure, no duplicate address, no residue
  soak   a seeded random mix of ADD/DEL/CHECK from 4 concurrent workers over a
         pod pool, the network audited every K ops
  crash  ADDs SIGKILLed at spread-out points, then DEL or GC; no residue, and
         the store keeps serving; plus killed first ADDs on fresh bridges and
         killed DELs followed by a repeated DEL

Options (CI default in brackets, this script's default after it):
  --pods N         burst pods                  [200]  1000 (above 250: a wider subnet)
  --parallel P     burst processes at once     [32]   64
  --soak-ops N     soak operations             [400]  5000
  --soak-pods N    soak pod pool               [16]   16
  --audit-every K  soak ops between audits     [100]  250
  --crash N        killed ADDs                 [60]   500  (N/6 first ADDs, N/3 DELs)
  --seed S         fixed seed for soak and crash (each run prints its seed)
  --only WHAT      burst, soak or crash (default: all three)
  --no-build       skip scripts/build.sh
  -h, --help       show this help

The same settings as environment variables: CNISHARP_STRESS_PODS,
CNISHARP_STRESS_PARALLEL, CNISHARP_SOAK_OPS, CNISHARP_SOAK_PODS,
CNISHARP_SOAK_CHECK_EVERY, CNISHARP_CRASH_ITERATIONS, CNISHARP_STRESS_SEED.
Needs root (network namespaces, links).
USAGE
}

pods=1000 parallel=64 soak_ops=5000 soak_pods=16 audit_every=250 crash=500 seed="" only="" build=true
while (($# > 0)); do
    case "$1" in
        --pods) pods="${2:?--pods needs a value}"; shift ;;
        --parallel) parallel="${2:?--parallel needs a value}"; shift ;;
        --soak-ops) soak_ops="${2:?--soak-ops needs a value}"; shift ;;
        --soak-pods) soak_pods="${2:?--soak-pods needs a value}"; shift ;;
        --audit-every) audit_every="${2:?--audit-every needs a value}"; shift ;;
        --crash) crash="${2:?--crash needs a value}"; shift ;;
        --seed) seed="${2:?--seed needs a value}"; shift ;;
        --only) only="${2:?--only needs a value}"; shift ;;
        --no-build) build=false ;;
        -h|--help) usage; exit 0 ;;
        *) echo "stress.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

case "$only" in
    "") filter="FullyQualifiedName~CniSharp.IntegrationTests.Stress." ;;
    burst) filter="FullyQualifiedName~CniSharp.IntegrationTests.Stress.BurstTests" ;;
    soak) filter="FullyQualifiedName~CniSharp.IntegrationTests.Stress.SoakTests" ;;
    crash) filter="FullyQualifiedName~CniSharp.IntegrationTests.Stress.CrashConsistencyTests"
        filter+="|FullyQualifiedName~CniSharp.IntegrationTests.Stress.FreshBridgeCrashTests"
        filter+="|FullyQualifiedName~CniSharp.IntegrationTests.Stress.KilledDelTests" ;;
    *) echo "stress.sh: --only takes burst, soak or crash, not \"$only\"" >&2; exit 2 ;;
esac

if [[ "$(id -u)" -ne 0 ]]; then
    echo "stress.sh: needs root (it creates network namespaces and links)" >&2
    exit 1
fi

cd "$REPO_ROOT"
# shellcheck source-path=SCRIPTDIR source=lib/dotnet.sh
source "$REPO_ROOT/scripts/lib/dotnet.sh"
export CNISHARP_BIN_DIR="${CNISHARP_BIN_DIR:-$REPO_ROOT/artifacts/cni/bin}"
if $build; then
    scripts/build.sh
fi

export CNISHARP_STRESS_PODS="$pods" CNISHARP_STRESS_PARALLEL="$parallel" \
    CNISHARP_SOAK_OPS="$soak_ops" CNISHARP_SOAK_PODS="$soak_pods" CNISHARP_SOAK_CHECK_EVERY="$audit_every" \
    CNISHARP_CRASH_ITERATIONS="$crash"
if [[ -n "$seed" ]]; then
    export CNISHARP_STRESS_SEED="$seed"
fi

echo "stress.sh: pods=$pods parallel=$parallel soak-ops=$soak_ops soak-pods=$soak_pods audit-every=$audit_every" \
    "crash=$crash seed=${seed:-random} (CNISHARP_BIN_DIR=$CNISHARP_BIN_DIR)"
# Detailed console output shows each test's own lines: seeds, timings, where the kills landed.
dotnet test tests/CniSharp.IntegrationTests -c Release --filter "$filter" \
    --logger "console;verbosity=detailed"
