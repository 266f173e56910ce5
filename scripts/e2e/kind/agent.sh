# shellcheck shell=bash
# agent-*: scripts/kind/conflist-agent.sh against a local fake of the API server (HTTPS, bearer token,
# CA from the service-account dir: fake-apiserver.py). Sourced by scripts/e2e/kind-kit.sh.

api_port=""
start_fake_api() {
    local dir="$WORK/api" tries
    mkdir -p "$dir/sa" "$dir/net.d"
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
        -addext "subjectAltName=IP:127.0.0.1" -keyout "$dir/key.pem" -out "$dir/sa/ca.crt" >/dev/null 2>&1 \
        || return 1
    echo "kind-kit-token-$SUFFIX" >"$dir/sa/token"
    python3 "$KIT_DIR/fake-apiserver.py" "$dir" "kind-kit-token-$SUFFIX" >"$dir/server.log" 2>&1 &
    pids_started+=("$!")
    for ((tries = 0; tries < 50; tries++)); do
        if [[ -s "$dir/port" ]]; then api_port="$(cat "$dir/port")"; return 0; fi
        sleep 0.1
    done
    return 1
}

agent_prereqs() {
    local tool
    for tool in curl jq openssl; do
        have "$tool" || skip "needs $tool (the DaemonSet image has curl and jq; openssl makes the fake API's cert)" || return
    done
    if [[ -z "$api_port" ]]; then
        start_fake_api || bad "cannot start the fake API server: $(tail_of "$WORK/api/server.log")" || return
    fi
}

# The agent's command line as the DaemonSet runs it, pointed at the fake API (in $agent_cmd).
agent_command() { # node-name
    agent_cmd=(env NODE_NAME="$1" KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT="$api_port"
        CNISHARP_SA_DIR="$WORK/api/sa" CNISHARP_CONF_DIR="$WORK/api/net.d"
        CNISHARP_RESYNC_SECONDS=1 CNISHARP_RETRY_SECONDS=1 sh "$AGENT")
}
agent() { # node-name [agent args...]
    agent_command "$1"
    shift
    "${agent_cmd[@]}" "$@"
}

agent_reads_pod_cidrs() {
    agent_prereqs || return
    local file="$WORK/api/net.d/10-cnisharp.conflist" inode
    rm -f -- "$file"
    agent dual-node --once 2>"$WORK/api/agent.err" || bad "agent failed: $(tail_of "$WORK/api/agent.err")" || return
    [[ "$(cat "$file")" == "$(sh "$RENDER" 10.244.7.0/24 fd00:10:244:7::/64)" ]] \
        || bad "the conflist is not the dual-stack render of spec.podCIDRs" || return
    inode="$(stat -c %i "$file")"
    agent dual-node --once 2>/dev/null || bad "second pass failed" || return
    [[ "$(stat -c %i "$file")" == "$inode" ]] || bad "an unchanged conflist was replaced" || return
    agent legacy-node --once 2>/dev/null || bad "a node with only spec.podCIDR failed" || return
    [[ "$(cat "$file")" == "$(sh "$RENDER" 10.244.8.0/24)" ]] || bad "spec.podCIDR was not used"
}

agent_failures_write_nothing() {
    agent_prereqs || return
    local file="$WORK/api/net.d/10-cnisharp.conflist"
    rm -f -- "$file"
    if agent fresh-node --once 2>/dev/null; then bad "succeeded for a node without a pod CIDR"; return; fi
    if agent missing-node --once 2>/dev/null; then bad "succeeded for a missing node"; return; fi
    cp "$WORK/api/sa/token" "$WORK/api/token.good"
    echo "wrong-token" >"$WORK/api/sa/token"
    local status=0
    agent dual-node --once 2>/dev/null || status=$?
    mv -f -- "$WORK/api/token.good" "$WORK/api/sa/token"
    ((status != 0)) || bad "succeeded with a wrong token" || return
    [[ ! -e "$file" ]] || bad "a failed pass wrote $file" || return
    [[ -z "$(entries_of "$WORK/api/net.d")" ]] || bad "files left: $(entries_of "$WORK/api/net.d")"
}

agent_loop_and_sigterm() {
    agent_prereqs || return
    local file="$WORK/api/net.d/10-cnisharp.conflist" pid tries status=0
    rm -f -- "$file"
    # A plain command in the background: $! is the agent itself (env execs sh), as PID 1 in the pod.
    agent_command dual-node
    "${agent_cmd[@]}" 2>"$WORK/api/loop.err" &
    pid=$!
    pids_started+=("$pid")
    wait_for_file "$file" || bad "the loop wrote no conflist: $(tail_of "$WORK/api/loop.err")" || return
    # Deleted by someone: the next pass writes it again.
    rm -f -- "$file"
    wait_for_file "$file" || bad "a deleted conflist was not written again" || return
    kill -TERM "$pid"
    for ((tries = 0; tries < 20; tries++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    ! kill -0 "$pid" 2>/dev/null || bad "still running 2 s after SIGTERM" || return
    wait "$pid" || status=$?
    ((status == 0)) || bad "exit status $status after SIGTERM" || return
    [[ -s "$file" ]] || bad "the conflist was removed on SIGTERM"
}

