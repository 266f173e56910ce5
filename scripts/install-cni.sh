#!/usr/bin/env bash
# install-cni entrypoint: copy CniSharp's binaries and conflist onto a node's
# host-mounted CNI dirs, atomically, touching no other file there.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: install-cni.sh [--once | --sleep] [-h|--help]

Copies every file of the source bin dir into the host CNI bin dir, then the
conflist into the host CNI config dir. Each file is written under a temporary
name in the target dir and renamed over the final name (rename(2) is atomic, and
a kubelet/containerd still executing the old binary never sees ETXTBSY or a
half-written file). Symlinks are recreated as symlinks the same way. Files that
are already identical are left alone; no other file in the target dirs is touched.

Options:
  --once      install and exit (default)
  --sleep     install, then stay running until SIGTERM/SIGINT (DaemonSet container)
  -h, --help  show this help

Environment (defaults in brackets):
  CNISHARP_SRC_BIN_DIR    files to install        [/opt/cnisharp/bin]
  CNISHARP_HOST_BIN_DIR   host CNI bin dir        [/host/opt/cni/bin]
  CNISHARP_CONFLIST       conflist to install     [/opt/cnisharp/conf/10-cnisharp.conflist]
  CNISHARP_CONFLIST_NAME  name in the conf dir    [basename of CNISHARP_CONFLIST]
  CNISHARP_HOST_CONF_DIR  host CNI config dir     [/host/etc/cni/net.d]
  CNISHARP_SKIP_CONFLIST  "true": install binaries only, write no conflist [false]
USAGE
}

mode="once"
while (($# > 0)); do
    case "$1" in
        --once) mode="once" ;;
        --sleep) mode="sleep" ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install-cni: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

src_bin_dir="${CNISHARP_SRC_BIN_DIR:-/opt/cnisharp/bin}"
host_bin_dir="${CNISHARP_HOST_BIN_DIR:-/host/opt/cni/bin}"
conflist="${CNISHARP_CONFLIST:-/opt/cnisharp/conf/10-cnisharp.conflist}"
conflist_name="${CNISHARP_CONFLIST_NAME:-$(basename -- "$conflist")}"
host_conf_dir="${CNISHARP_HOST_CONF_DIR:-/host/etc/cni/net.d}"
skip_conflist="${CNISHARP_SKIP_CONFLIST:-false}"

log() { echo "install-cni: $*"; }
die() { echo "install-cni: error: $*" >&2; exit 1; }

# Temp files live in the target dir (same filesystem, so rename is atomic), are
# hidden, and end in .tmp, an extension libcni ignores in the config dir.
pending_tmp=""
cleanup() {
    if [[ -n "$pending_tmp" ]]; then rm -f -- "$pending_tmp"; fi
}
trap cleanup EXIT

tmp_name() { # dir name
    printf '%s/.%s.install-cni.%s.tmp' "$1" "$2" "$$"
}

# Regular file: copy (content + mode) to a temp name, then rename over the final name.
install_file() { # src dst_dir name mode|""
    local src="$1" dir="$2" name="$3" mode="$4" dst tmp
    dst="$dir/$name"
    mode="${mode:-$(stat -c %a -- "$src")}"
    if [[ -f "$dst" && ! -L "$dst" ]] && cmp -s -- "$src" "$dst" \
        && [[ "$(stat -c %a -- "$dst")" == "$mode" ]]; then
        log "unchanged $dst"
        return
    fi
    tmp="$(tmp_name "$dir" "$name")"
    pending_tmp="$tmp"
    rm -f -- "$tmp"
    cp -- "$src" "$tmp"
    chmod "$mode" -- "$tmp"
    sync -- "$tmp" 2>/dev/null || true
    mv -f -T -- "$tmp" "$dst"
    pending_tmp=""
    log "installed $dst (mode $mode)"
}

# Symlink: create the same link under a temp name, then rename over the final name.
install_symlink() { # src dst_dir name
    local src="$1" dir="$2" name="$3" target dst tmp
    target="$(readlink -- "$src")"
    dst="$dir/$name"
    if [[ -L "$dst" && "$(readlink -- "$dst")" == "$target" ]]; then
        log "unchanged $dst -> $target"
        return
    fi
    tmp="$(tmp_name "$dir" "$name")"
    pending_tmp="$tmp"
    rm -f -- "$tmp"
    ln -s -- "$target" "$tmp"
    mv -f -T -- "$tmp" "$dst"
    pending_tmp=""
    log "installed $dst -> $target"
}

[[ -d "$src_bin_dir" ]] || die "source bin dir $src_bin_dir does not exist"
[[ -d "$host_bin_dir" ]] || die "host bin dir $host_bin_dir does not exist (is the hostPath mounted?)"

regular=() links=()
shopt -s nullglob dotglob
for path in "$src_bin_dir"/*; do
    name="$(basename -- "$path")"
    if [[ -L "$path" ]]; then
        links+=("$name")
    elif [[ -f "$path" ]]; then
        regular+=("$name")
    else
        log "skipping $path (not a regular file or symlink)"
    fi
done
shopt -u nullglob dotglob
((${#regular[@]} + ${#links[@]} > 0)) || die "source bin dir $src_bin_dir is empty"

# Binaries first, then the links that point at them, then the conflist that names them.
for name in "${regular[@]}"; do
    install_file "$src_bin_dir/$name" "$host_bin_dir" "$name" ""
done
for name in "${links[@]}"; do
    install_symlink "$src_bin_dir/$name" "$host_bin_dir" "$name"
done

if [[ "$skip_conflist" == "true" ]]; then
    log "CNISHARP_SKIP_CONFLIST=true: not writing a conflist"
else
    [[ -f "$conflist" ]] || die "conflist $conflist does not exist"
    [[ -s "$conflist" ]] || die "conflist $conflist is empty"
    [[ "$conflist_name" != */* ]] || die "CNISHARP_CONFLIST_NAME must be a file name, got '$conflist_name'"
    mkdir -p -- "$host_conf_dir"
    install_file "$conflist" "$host_conf_dir" "$conflist_name" 644
fi

log "done: ${#regular[@]} file(s) and ${#links[@]} symlink(s) in $host_bin_dir"

if [[ "$mode" == sleep ]]; then
    log "sleeping (--sleep); stop with SIGTERM"
    sleeper=""
    trap 'log "signal received, exiting"; [[ -z "$sleeper" ]] || kill "$sleeper" 2>/dev/null; exit 0' TERM INT
    while true; do
        sleep 3600 &
        sleeper=$!
        wait "$sleeper" || true
    done
fi
