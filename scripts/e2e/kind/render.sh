# shellcheck shell=bash
# render-*: scripts/kind/render-conflist.sh prints and writes the conflist, atomically, and refuses
# bad input. Sourced by scripts/e2e/kind-kit.sh.

rendered() { python3 "$KIT_DIR/rendered.py" "$@"; }

render_checks() { # name cidr...
    local out="$WORK/render-$1.conflist" problems
    shift
    sh "$RENDER" "$@" >"$out" 2>"$out.err" || bad "render-conflist.sh failed: $(tail_of "$out.err")" || return
    python3 -m json.tool "$out" >/dev/null 2>&1 || bad "output is not JSON" || return
    problems="$(rendered check "$out" "$@")" || bad "checker failed" || return
    [[ -z "$problems" ]] || bad "$(tr '\n' ';' <<<"$problems")"
}

render_input_forms() {
    local a b c
    a="$(sh "$RENDER" 10.244.3.0/24 fd00:10:244:3::/64)" || bad "two arguments refused" || return
    b="$(sh "$RENDER" "10.244.3.0/24,fd00:10:244:3::/64")" || bad "comma form refused" || return
    c="$(CNISHARP_POD_CIDRS="10.244.3.0/24,fd00:10:244:3::/64" sh "$RENDER")" || bad "CNISHARP_POD_CIDRS refused" || return
    [[ "$a" == "$b" && "$b" == "$c" ]] || bad "the three input forms render differently"
}

render_rejects() {
    local dir="$WORK/reject" input
    mkdir -p "$dir"
    for input in "10.244.1.0/33" "10.244.1/24" "300.1.1.0/24" "10.0.0.0/24 10.1.0.0/24" \
        'fd00::/64 fd01::/64' "fd00::/129" '10.0.0.0/24","x' "nonsense" ""; do
        if sh "$RENDER" -o "$dir/10-cnisharp.conflist" "$input" >/dev/null 2>&1; then
            bad "accepted '$input'"
            return
        fi
    done
    if CNISHARP_BRIDGE='br"0' sh "$RENDER" 10.244.1.0/24 >/dev/null 2>&1; then
        bad "accepted a bridge name with a quote"
        return
    fi
    [[ -z "$(entries_of "$dir")" ]] || bad "refused input left files: $(entries_of "$dir")"
}

# The old file is replaced by rename, never rewritten: a hard link to the old inode still holds
# the complete old content; the new file is a different inode; no temp file is left behind.
render_atomic_replace() {
    local dir="$WORK/atomic" file old_inode new_inode
    mkdir -p "$dir"
    file="$dir/10-cnisharp.conflist"
    sh "$RENDER" -o "$file" 10.244.1.0/24 2>/dev/null || bad "first render failed" || return
    ln "$file" "$dir/old-inode"
    old_inode="$(stat -c %i "$file")"
    if have strace; then
        strace -f -qq -e trace=rename,renameat,renameat2 -e signal=none -o "$dir/trace" \
            sh "$RENDER" -o "$file" 10.244.2.0/24 2>/dev/null || bad "second render failed" || return
        # e.g. rename("/tmp/.../.10-cnisharp.conflist.AbC123", "/tmp/.../10-cnisharp.conflist") = 0
        grep -qE "rename(at2?)?\(.*\"$dir/\.10-cnisharp\.conflist\.[A-Za-z0-9]{6}\",.*\"$file\".* = 0" "$dir/trace" \
            || bad "no rename of a temp file in $dir over the conflist: $(tail_of "$dir/trace")" || return
        rm -f -- "$dir/trace"
    else
        sh "$RENDER" -o "$file" 10.244.2.0/24 2>/dev/null || bad "second render failed" || return
    fi
    new_inode="$(stat -c %i "$file")"
    [[ "$new_inode" != "$old_inode" ]] || bad "the conflist was rewritten in place (same inode)" || return
    [[ -z "$(rendered check "$dir/old-inode" 10.244.1.0/24)" ]] || bad "the old inode's content changed" || return
    [[ -z "$(rendered check "$file" 10.244.2.0/24)" ]] || bad "the new file is not the new conflist" || return
    [[ "$(stat -c %a "$file")" == 644 ]] || bad "mode is $(stat -c %a "$file"), want 644" || return
    rm -f -- "$dir/old-inode"
    [[ "$(entries_of "$dir")" == "10-cnisharp.conflist" ]] || bad "temp files left: $(entries_of "$dir")"
}

render_unchanged_and_failed() {
    local dir="$WORK/unchanged" file inode before
    mkdir -p "$dir"
    file="$dir/10-cnisharp.conflist"
    sh "$RENDER" -o "$file" 10.244.1.0/24 2>/dev/null || bad "render failed" || return
    inode="$(stat -c %i "$file")" before="$(cat "$file")"
    sh "$RENDER" -o "$file" 10.244.1.0/24 2>/dev/null || bad "identical re-render failed" || return
    [[ "$(stat -c %i "$file")" == "$inode" ]] || bad "an identical conflist was replaced (containerd would reload)" || return
    if sh "$RENDER" -o "$file" "not-a-cidr" 2>/dev/null; then bad "bad CIDR accepted"; return; fi
    [[ "$(cat "$file")" == "$before" && "$(stat -c %i "$file")" == "$inode" ]] || bad "a refused render touched the file" || return
    [[ "$(entries_of "$dir")" == "10-cnisharp.conflist" ]] || bad "files left: $(entries_of "$dir")"
}

# A reader polling the file while it is replaced 200 times must always parse complete JSON.
render_concurrent_reader() {
    local dir="$WORK/reader" file reader i status=0
    mkdir -p "$dir"
    file="$dir/10-cnisharp.conflist"
    sh "$RENDER" -o "$file" 10.244.1.0/24 2>/dev/null || bad "render failed" || return
    python3 "$KIT_DIR/read-loop.py" "$file" "$dir/stop" >"$dir/reader.out" 2>&1 &
    reader=$!
    pids_started+=("$reader")
    for ((i = 0; i < 200; i++)); do
        sh "$RENDER" -o "$file" "10.244.$((i % 2 + 1)).0/24" 2>/dev/null || { status=1; break; }
    done
    touch "$dir/stop"
    wait "$reader" || status=2
    ((status != 1)) || bad "a render failed" || return
    ((status == 0)) || bad "$(tail_of "$dir/reader.out")"
}
