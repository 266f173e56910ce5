#!/usr/bin/env bash
# THE test command: dependencies (as root), native-AOT build, then every test project.
# Ends with one plain line: "N passed, N failed, N skipped" (summed over projects).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT

usage() {
    cat <<'USAGE'
Usage: sudo scripts/test.sh [--unit] [--no-build] [-h|--help]

  1. scripts/install-deps.sh   (only when root; skipped otherwise)
  2. scripts/build.sh          (native-AOT binary + entry points in artifacts/cni/bin)
  3. dotnet test CniSharp.sln -c Release, with CNISHARP_BIN_DIR pointing at the build
  4. every end-to-end suite scripts/e2e/*.sh (root only): real clients (cnitool,
     podman) driving the built binaries, and the kind kit's manifest checks

The integration tests need root (they create network namespaces and links);
without root they are reported as skipped.

Options:
  --unit      run only tests/CniSharp.Tests (no root-only integration project)
  --no-build  skip scripts/build.sh (use the binaries already in CNISHARP_BIN_DIR)
  --no-e2e    skip step 4
  -h, --help  show this help

Environment:
  CNISHARP_BIN_DIR  dir holding cnisharp and its entry points
                    (default: <repo>/artifacts/cni/bin)

Each end-to-end suite prints one line per case, "E2E PASS <case>",
"E2E FAIL <case>: <why>" or "E2E SKIP <case>: <why>"; those count with the xunit
results. The last line printed is "N passed, N failed, N skipped"; the exit
status is non-zero if any step or any test failed.
USAGE
}

unit_only=false
build=true
e2e=true
while (($# > 0)); do
    case "$1" in
        --unit) unit_only=true ;;
        --no-build) build=false ;;
        --no-e2e) e2e=false ;;
        -h|--help) usage; exit 0 ;;
        *) echo "test.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

cd "$REPO_ROOT"
# shellcheck source-path=SCRIPTDIR source=lib/dotnet.sh
source "$REPO_ROOT/scripts/lib/dotnet.sh"
export CNISHARP_BIN_DIR="${CNISHARP_BIN_DIR:-$REPO_ROOT/artifacts/cni/bin}"

if [[ "$(id -u)" -eq 0 ]]; then
    scripts/install-deps.sh
else
    echo "test.sh: not root: skipping install-deps.sh; root-only integration tests will be skipped"
fi

if $build; then
    scripts/build.sh
fi

if $unit_only; then
    target=tests/CniSharp.Tests/CniSharp.Tests.csproj
else
    target=CniSharp.sln
fi

log_dir="$REPO_ROOT/artifacts/test"
mkdir -p "$log_dir"
log="$log_dir/dotnet-test.log"

echo "test.sh: dotnet test $target -c Release (CNISHARP_BIN_DIR=$CNISHARP_BIN_DIR)"
status=0
dotnet test "$target" -c Release 2>&1 | tee "$log" || status=$?

# Per-project summary lines, e.g.
#   Passed!  - Failed:     0, Passed:     4, Skipped:     0, Total:     4, Duration: 27 ms - CniSharp.Tests.dll (net10.0)
passed=0 failed=0 skipped=0
summaries=()
while IFS= read -r line; do
    summaries+=("$line")
    p="$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$line")"
    f="$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$line")"
    s="$(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$line")"
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done < <(grep -E '^[[:space:]]*(Passed|Failed)! +- +Failed: *[0-9]+, +Passed: *[0-9]+, +Skipped: *[0-9]+' "$log" || true)

echo
echo "test.sh: per-project results:"
if ((${#summaries[@]} == 0)); then
    echo "  (no test summary found in $log)"
else
    printf '  %s\n' "${summaries[@]}"
fi
if ((status != 0)); then
    echo "test.sh: dotnet test exited with status $status (full log: $log)"
fi

# End-to-end suites: real clients against the built binaries (they need root and the apt packages).
if $e2e && ! $unit_only; then
    if [[ "$(id -u)" -ne 0 ]]; then
        echo "test.sh: not root: skipping the end-to-end suites (scripts/e2e/*.sh)"
    else
        for suite in scripts/e2e/*.sh; do
            [[ -e "$suite" ]] || continue
            name="$(basename "$suite" .sh)"
            suite_log="$log_dir/e2e-$name.log"
            echo
            echo "test.sh: end-to-end suite $name"
            suite_status=0
            "$suite" 2>&1 | tee "$suite_log" || suite_status=$?
            p="$(grep -c '^E2E PASS ' "$suite_log" || true)"
            f="$(grep -c '^E2E FAIL ' "$suite_log" || true)"
            s="$(grep -c '^E2E SKIP ' "$suite_log" || true)"
            if ((suite_status != 0 && f == 0)); then
                echo "E2E FAIL $name: the suite exited with status $suite_status (log: $suite_log)"
                f=1
            fi
            summaries+=("e2e $name: Failed: $f, Passed: $p, Skipped: $s")
            passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
        done
        echo
        echo "test.sh: results including the end-to-end suites:"
        printf '  %s\n' "${summaries[@]}"
    fi
fi

if ((status == 0 && failed > 0)); then
    status=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
