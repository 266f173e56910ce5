#!/usr/bin/env bash
# Build cnitool, the CNI project's reference command-line runtime, from Debian's source
# package, offline: no Go module download, only the Go toolchain and the unpacked source.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly SOURCE_PACKAGE=golang-github-appc-cni
readonly IMPORT_PATH=github.com/containernetworking/cni
readonly EXIT_MISSING_PREREQ=3

usage() {
    cat <<'USAGE'
Usage: scripts/lib/build-cnitool.sh [--force] [-h|--help]

Builds cnitool from Debian's source package golang-github-appc-cni into
<repo>/artifacts/tools/cnitool:

  1. 'apt-get source golang-github-appc-cni' into a scratch dir (needs the deb-src
     index that scripts/install-deps.sh adds; no 'apt-get update' here)
  2. a GOPATH-mode build (GO111MODULE=off, GOPROXY=off): the unpacked source is
     <scratch>/gopath/src/github.com/containernetworking/cni, and /usr/share/gocode
     (Debian's Go library tree) follows it in GOPATH for dependencies

It also writes, next to the binary:
  cnitool.spec-versions  the CNI spec versions its libcni speaks, one per line
                         (read from the source's pkg/version: cnitool cannot be asked)
  cnitool.origin         where the binary came from (package version, Go version)

A binary that is already there and runs is kept (the origin is printed); --force
rebuilds.

Options:
  --force     rebuild even if artifacts/tools/cnitool works
  -h, --help  show this help

Exit status: 0 built or cached; 3 a prerequisite is missing (golang-go, dpkg-dev,
or the source package cannot be fetched): the message says which; 1 anything else.
USAGE
}

force=false
while (($# > 0)); do
    case "$1" in
        --force) force=true ;;
        -h|--help) usage; exit 0 ;;
        *) echo "build-cnitool.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

readonly out_dir="$REPO_ROOT/artifacts/tools"
readonly tool="$out_dir/cnitool"
readonly versions_file="$out_dir/cnitool.spec-versions"
readonly origin_file="$out_dir/cnitool.origin"

say() { echo "build-cnitool.sh: $*"; }
missing() { echo "build-cnitool.sh: cannot build cnitool: $*" >&2; exit "$EXIT_MISSING_PREREQ"; }
die() { echo "build-cnitool.sh: FAILED: $*" >&2; exit 1; }

# cnitool has no --version; run without arguments it prints its usage (and exits 1).
tool_works() {
    [[ -x "$tool" && -s "$versions_file" && -s "$origin_file" ]] || return 1
    local usage_text
    usage_text="$("$tool" 2>&1 || true)"
    grep -q 'add   <net> <netns>' <<<"$usage_text"
}

if ! $force && tool_works; then
    say "cached: $tool ($(cat "$origin_file"))"
    exit 0
fi

command -v go >/dev/null || missing "'go' not found: install golang-go (scripts/install-deps.sh)"
command -v dpkg-source >/dev/null || missing "'dpkg-source' not found: install dpkg-dev (scripts/install-deps.sh)"
command -v apt-get >/dev/null || missing "'apt-get' not found: not a Debian-based machine"
# (captured first: 'grep -q' would stop reading early and pipefail would see apt-cache's SIGPIPE)
showsrc="$(apt-cache showsrc "$SOURCE_PACKAGE" 2>/dev/null || true)"
grep -q '^Package:' <<<"$showsrc" \
    || missing "no deb-src record for $SOURCE_PACKAGE: run scripts/install-deps.sh as root (adds the deb-src index)"

scratch="$(mktemp -d /tmp/cnisharp-cnitool-build.XXXXXX)"
readonly scratch
trap 'rm -rf -- "$scratch"' EXIT

say "fetching the $SOURCE_PACKAGE source package into $scratch"
(cd "$scratch" && apt-get source -qq "$SOURCE_PACKAGE" >apt-source.log 2>&1) || {
    cat "$scratch/apt-source.log" >&2
    missing "'apt-get source $SOURCE_PACKAGE' failed (output above)"
}
source_dir="$(find "$scratch" -mindepth 1 -maxdepth 1 -type d -name "$SOURCE_PACKAGE-*" | head -n1)"
[[ -n "$source_dir" && -f "$source_dir/cnitool/cnitool.go" ]] \
    || die "the unpacked source has no cnitool/cnitool.go (looked in $scratch)"
package_version="$(dpkg-parsechangelog -l "$source_dir/debian/changelog" -S Version 2>/dev/null || basename "$source_dir")"

# GOPATH mode resolves imports by directory, so the source must sit at its import path.
gopath="$scratch/gopath"
mkdir -p "$gopath/src/$(dirname "$IMPORT_PATH")"
mv "$source_dir" "$gopath/src/$IMPORT_PATH"

say "building cnitool $package_version with $(go version | cut -d' ' -f3) (GOPATH mode, offline)"
mkdir -p "$out_dir"
started=$SECONDS
(
    cd "$gopath/src/$IMPORT_PATH"
    GO111MODULE=off GOPROXY=off GOFLAGS='' CGO_ENABLED=0 \
        GOPATH="$gopath:/usr/share/gocode" GOCACHE="$scratch/gocache" \
        go build -trimpath -o "$tool.tmp" ./cnitool
) || die "go build of cnitool failed (output above)"

# libcni's list of spec versions, e.g. 'var All = PluginSupports("0.1.0", ..., "1.0.0")'.
versions="$(grep -E '^var All = PluginSupports\(' "$gopath/src/$IMPORT_PATH/pkg/version/version.go" \
    | grep -oE '"[0-9]+\.[0-9]+\.[0-9]+"' | tr -d '"')" || true
[[ -n "$versions" ]] || die "could not read libcni's supported versions from pkg/version/version.go"

mv "$tool.tmp" "$tool"
printf '%s\n' "$versions" >"$versions_file"
echo "Debian source package $SOURCE_PACKAGE $package_version, built offline with $(go version | cut -d' ' -f3)" >"$origin_file"
tool_works || die "the built $tool does not run"
say "built $tool in $((SECONDS - started))s ($(cat "$origin_file"); libcni speaks $(paste -sd' ' "$versions_file"))"
