# shellcheck shell=bash
# The kind-kit suite's harness (sourced by scripts/e2e/kind-kit.sh): cases, reasons, cleanup.
# The suite sets WORK, its temp dir.

failures=0
netns_created=()   # namespaces and background processes a case made: cleanup removes them
pids_started=()

# run_case NAME FUNCTION [ARGS]: the function returns 0 (pass), 77 (skip) or other (fail),
# with the reason in $why. errexit is off inside (if context): functions check explicitly.
# No `grep -q` after a pipe: it exits at the first match and, with pipefail, the writer's
# SIGPIPE would fail the check now and then; plain grep >/dev/null reads everything.
why=""
run_case() {
    local name="$1" status=0
    shift
    why=""
    "$@" || status=$?
    if ((status == 0)); then
        echo "E2E PASS $name"
    elif ((status == 77)); then
        echo "E2E SKIP $name: $why"
    else
        echo "E2E FAIL $name: ${why:-exit status $status}"
        failures=$((failures + 1))
    fi
}
skip() { why="$1"; return 77; }
bad() { why="$1"; return 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# Everything the suite started or created: background processes, namespaces, the temp dir.
cleanup() {
    local pid ns
    for pid in "${pids_started[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then stop_pid "$pid"; fi
    done
    for ns in "${netns_created[@]}"; do ip netns delete "$ns" 2>/dev/null || true; done
    rm -rf -- "$WORK"
}

# Stop a background process this suite started, and reap it.
stop_pid() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
# Names in a directory, space-separated ("" when empty).
entries_of() { find "$1" -mindepth 1 -maxdepth 1 -printf '%f ' | sed 's/ $//'; }
wait_for_file() { # path: up to 5 s for it to exist and be non-empty
    local tries
    for ((tries = 0; tries < 50; tries++)); do
        [[ ! -s "$1" ]] || return 0
        sleep 0.1
    done
    return 1
}
# The last lines of a file, on one line, for a failure reason.
tail_of() { tail -n 5 -- "$1" 2>/dev/null | tr '\n' ' '; }
