#!/usr/bin/env bash
# Build the Kubernetes binaries the project's tests run (kube-apiserver, kube-controller-manager,
# kube-scheduler, kubelet, kube-proxy, kubectl) from Debian's `kubernetes` source package, offline,
# into a cache outside the repository keyed by the source version. Prints the bin dir on stdout.
set -euo pipefail

readonly SOURCE_PACKAGE=kubernetes
readonly IMPORT_PATH=k8s.io/kubernetes
readonly COMMANDS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
readonly EXIT_MISSING_PREREQ=3

usage() {
    cat <<'USAGE'
Usage: scripts/lib/build-kubernetes.sh [--force] [--print-version] [-h|--help]

Builds kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy and
kubectl from Debian's 'kubernetes' source package (upstream v1.20.2 with Debian's
patches), offline, and prints the directory holding them (the only line on stdout):

  <cache>/<source version>/bin

  1. 'apt-get source kubernetes' into <cache>/<version>/src (needs the deb-src index
     that scripts/install-deps.sh adds; no 'apt-get update' here)
  2. openapi-gen (vendored) writes pkg/generated/openapi/zz_generated.openapi.go, the one
     generated file the tarball lacks, from the packages tagged +k8s:openapi-gen
  3. one GOPATH-mode build of all six commands (GO111MODULE=off, GOPROXY=off,
     CGO_ENABLED=0): Go 1.19's module mode refuses v1.20's vendor directory

When every binary and the completion stamp are there it does nothing. The Go build
cache is kept in <cache>/go-build, so a rebuild (--force, a new source version) takes
seconds to a minute instead of ~6 minutes cold on two cores. Concurrent callers wait
for each other (flock on <cache>/.lock).

Options:
  --force          rebuild even when the cache is complete
  --print-version  print the source version that would be built, and exit
  -h, --help       show this help

Environment:
  CNISHARP_K8S_CACHE  cache root (default /var/cache/cnisharp/kubernetes)

Exit status: 0 built or cached; 3 a prerequisite is missing (golang-go, dpkg-dev, the
deb-src index, or a writable cache): the message says which; 1 anything else.
USAGE
}

force=false
print_version=false
while (($# > 0)); do
    case "$1" in
        --force) force=true ;;
        --print-version) print_version=true ;;
        -h|--help) usage; exit 0 ;;
        *) echo "build-kubernetes.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

say() { echo "build-kubernetes.sh: $*" >&2; }
missing() { echo "build-kubernetes.sh: cannot build Kubernetes: $*" >&2; exit "$EXIT_MISSING_PREREQ"; }
die() { echo "build-kubernetes.sh: FAILED: $*" >&2; exit 1; }

command -v apt-cache >/dev/null || missing "'apt-cache' not found: not a Debian-based machine"
# (captured first: 'grep -q' would stop reading early and pipefail would see apt-cache's SIGPIPE)
showsrc="$(apt-cache showsrc "$SOURCE_PACKAGE" 2>/dev/null || true)"
version="$(sed -n 's/^Version: //p' <<<"$showsrc" | sort -V | tail -n1)"
[[ -n "$version" ]] \
    || missing "no deb-src record for $SOURCE_PACKAGE: run scripts/install-deps.sh as root (adds the deb-src index)"
if $print_version; then
    echo "$version"
    exit 0
fi

readonly cache_root="${CNISHARP_K8S_CACHE:-/var/cache/cnisharp/kubernetes}"
readonly version_dir="$cache_root/$version"
readonly bin_dir="$version_dir/bin"
readonly stamp="$bin_dir/.complete"

cache_complete() {
    [[ -s "$stamp" ]] || return 1
    local cmd
    for cmd in "${COMMANDS[@]}"; do
        [[ -x "$bin_dir/$cmd" ]] || return 1
    done
}

if ! $force && cache_complete; then
    say "cached: $bin_dir ($(head -n1 "$stamp"))"
    echo "$bin_dir"
    exit 0
fi

if ! mkdir -p "$cache_root" 2>/dev/null || [[ ! -w "$cache_root" ]]; then
    missing "cache dir $cache_root is not writable (run as root, or set CNISHARP_K8S_CACHE)"
fi
exec {lock_fd}>"$cache_root/.lock"
flock "$lock_fd"
# Someone else may have finished the build while we waited for the lock.
if ! $force && cache_complete; then
    say "cached: $bin_dir ($(head -n1 "$stamp"))"
    echo "$bin_dir"
    exit 0
fi

command -v go >/dev/null || missing "'go' not found: install golang-go (scripts/install-deps.sh)"
command -v dpkg-source >/dev/null || missing "'dpkg-source' not found: install dpkg-dev (scripts/install-deps.sh)"

# 1. The source, unpacked once per version (dpkg-source applies Debian's patches).
readonly src_dir="$version_dir/src"
if [[ ! -f "$src_dir/.unpacked" ]]; then
    rm -rf -- "$src_dir" "$version_dir/fetch"
    mkdir -p "$version_dir/fetch"
    say "fetching the $SOURCE_PACKAGE $version source package"
    (cd "$version_dir/fetch" && apt-get source -qq "$SOURCE_PACKAGE=$version" >apt-source.log 2>&1) || {
        cat "$version_dir/fetch/apt-source.log" >&2
        missing "'apt-get source $SOURCE_PACKAGE=$version' failed (output above)"
    }
    unpacked="$(find "$version_dir/fetch" -mindepth 1 -maxdepth 1 -type d -name "$SOURCE_PACKAGE-*" | head -n1)"
    [[ -n "$unpacked" && -d "$unpacked/cmd/kube-apiserver" && -d "$unpacked/vendor" ]] \
        || die "the unpacked source has no cmd/kube-apiserver or vendor/ (looked in $version_dir/fetch)"
    mv "$unpacked" "$src_dir"
    rm -rf -- "$version_dir/fetch"
    touch "$src_dir/.unpacked"
fi

# GOPATH mode resolves imports by directory: the tree must sit at k8s.io/kubernetes, and its
# vendor/ (whose k8s.io/* entries link into staging/) serves every dependency.
readonly gopath="$version_dir/gopath"
mkdir -p "$gopath/src/k8s.io"
ln -sfn "$src_dir" "$gopath/src/$IMPORT_PATH"
export GOPATH="$gopath" GO111MODULE=off GOPROXY=off GOFLAGS='' CGO_ENABLED=0
export GOCACHE="$cache_root/go-build"
readonly tree="$gopath/src/$IMPORT_PATH"
started=$SECONDS

# 2. The generated OpenAPI definitions kube-apiserver needs (upstream's Makefile.generated_files,
#    KUBE target): every package tagged +k8s:openapi-gen outside vendor/, with staging/src seen
#    as vendor/ and the code-generator and sample-apiserver examples left out.
readonly openapi_out="$src_dir/pkg/generated/openapi/zz_generated.openapi.go"
if [[ ! -s "$openapi_out" ]]; then
    say "generating $IMPORT_PATH/pkg/generated/openapi with the vendored openapi-gen"
    tools="$version_dir/tools"
    mkdir -p "$tools"
    (cd "$tree" && go build -o "$tools/openapi-gen" ./vendor/k8s.io/kube-openapi/cmd/openapi-gen) \
        || die "building openapi-gen failed (output above)"
    inputs="$(
        cd "$tree"
        find -H . \( -path ./_\* -o -path ./.\* -o -path ./vendor \) -prune -o -type f -name '*.go' -print0 \
            | xargs -0 grep -lZ '^// *+k8s:' \
            | xargs -0 grep -l '+k8s:openapi-gen=' \
            | sed -e 's|^\./||' -e 's|^staging/src/|vendor/|' -e 's|/[^/]*$||' \
            | grep -v -e '^vendor/k8s.io/code-generator/' -e '^vendor/k8s.io/sample-apiserver/' \
            | LC_ALL=C sort -u | sed "s|^|$IMPORT_PATH/|" | paste -sd,
    )"
    [[ -n "$inputs" ]] || die "found no package tagged +k8s:openapi-gen in $src_dir"
    (cd "$tree" && "$tools/openapi-gen" --logtostderr -v 1 \
        -i "$inputs" \
        -p "$IMPORT_PATH/pkg/generated/openapi" \
        -O zz_generated.openapi \
        -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt \
        -r "$tools/openapi-violations.report" \
        -o "$gopath/src") >"$tools/openapi-gen.log" 2>&1 || {
        tail -n 30 "$tools/openapi-gen.log" >&2
        die "openapi-gen failed (log: $tools/openapi-gen.log)"
    }
    [[ -s "$openapi_out" ]] || die "openapi-gen wrote no $openapi_out (log: $tools/openapi-gen.log)"
fi

# 3. The commands, in one 'go build' so that Go schedules their packages together. The version
#    variables are those upstream's hack/lib/version.sh sets (kubelet reports it on its Node).
git_version="v$(sed -E 's/^([0-9]+:)?([0-9.]*\+really)?([0-9]+\.[0-9]+\.[0-9]+).*/\3/' <<<"$version")"
IFS=. read -r git_major git_minor _ <<<"${git_version#v}"
build_date="$(date -u -d "@$(dpkg-parsechangelog -l "$src_dir/debian/changelog" -S Timestamp)" +%Y-%m-%dT%H:%M:%SZ)"
ldflags="-s -w"
for pkg in "$IMPORT_PATH/vendor/k8s.io/component-base/version" "$IMPORT_PATH/vendor/k8s.io/client-go/pkg/version"; do
    ldflags+=" -X $pkg.gitVersion=$git_version -X $pkg.gitMajor=$git_major -X $pkg.gitMinor=$git_minor"
    ldflags+=" -X $pkg.gitTreeState=archive -X $pkg.buildDate=$build_date"
done
packages=()
for cmd in "${COMMANDS[@]}"; do
    packages+=("$IMPORT_PATH/cmd/$cmd")
done

say "building ${COMMANDS[*]} ($git_version, Debian $version) with $(go version | cut -d' ' -f3), GOCACHE=$GOCACHE"
rm -rf -- "$bin_dir.tmp"
mkdir -p "$bin_dir.tmp"
(cd "$tree" && go build -trimpath -ldflags "$ldflags" -o "$bin_dir.tmp/" "${packages[@]}") \
    || die "go build failed (output above)"
for cmd in "${COMMANDS[@]}"; do
    [[ -x "$bin_dir.tmp/$cmd" ]] || die "go build wrote no $cmd"
done
"$bin_dir.tmp/kubectl" version --client --short 2>/dev/null | grep -qF "$git_version" \
    || die "the built kubectl does not report $git_version"
echo "$git_version from Debian source package $SOURCE_PACKAGE $version, built offline with $(go version | cut -d' ' -f3)" \
    >"$bin_dir.tmp/.complete"
rm -rf -- "$bin_dir"
mv "$bin_dir.tmp" "$bin_dir"
say "built $bin_dir in $((SECONDS - started))s"
echo "$bin_dir"
