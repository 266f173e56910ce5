# shellcheck shell=bash
# kind-e2e-*: scripts/kind-e2e.sh (Docker only) as far as it can be checked here; shellcheck-kind-kit:
# the kit's scripts and this suite. Sourced by scripts/e2e/kind-kit.sh.

kind_e2e_syntax() {
    bash -n "$KIND_E2E" 2>"$WORK/bash-n.err" || bad "bash -n: $(tail_of "$WORK/bash-n.err")" || return
    "$KIND_E2E" --help 2>&1 | grep '^Usage: scripts/kind-e2e.sh' >/dev/null || bad "--help prints no usage"
}

# With none of docker/kind/kubectl on PATH it must stop at once and name all three.
kind_e2e_missing_tools() {
    local bin="$WORK/minimal-bin" out status=0 tool
    mkdir -p "$bin"
    for tool in bash dirname; do ln -sf "$(command -v "$tool")" "$bin/$tool"; done
    out="$(PATH="$bin" "$bin/bash" "$KIND_E2E" 2>&1)" || status=$?
    ((status == 2)) || bad "exit status $status, want 2: $out" || return
    [[ "$out" == *"missing on PATH: docker kind kubectl"* ]] || bad "message does not name the tools: $out"
}

# -x follows the group files the suite sources; naming them as input is what gets them checked.
shellcheck_kit() {
    have shellcheck || skip "shellcheck not installed (scripts/install-deps.sh installs it)" || return
    shellcheck -x "$KIND_E2E" "$RENDER" "$AGENT" "$SUITE" "$KIT_DIR"/*.sh >"$WORK/shellcheck.out" 2>&1 \
        || bad "$(head -n 5 "$WORK/shellcheck.out" | tr '\n' ' ')"
}
