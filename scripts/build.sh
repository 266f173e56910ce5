#!/usr/bin/env bash
# Build the CniSharp native-AOT binary and assemble the CNI bin dir:
#   artifacts/cni/bin/cnisharp                 the binary
#   artifacts/cni/bin/cnisharp-<type>          -> cnisharp, one per plugin type it serves
#                                                 (cnisharp --list-plugins; it dispatches on argv[0])
#   artifacts/bin/cnisharp-agent               the node agent (its own executable: its etcd/gRPC and
#                                                 metrics packages never reach the plugin binary)
# A build for another architecture (--rid linux-arm64 on x86-64) goes to artifacts/cni/bin-<rid> (plugins only).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly PROJECT="$REPO_ROOT/src/CniSharp/CniSharp.csproj"
readonly AGENT_PROJECT="$REPO_ROOT/src/CniSharp.Agent/CniSharp.Agent.csproj"

usage() {
    cat <<USAGE
Usage: scripts/build.sh [--rid RID] [--out DIR] [--agent-out DIR] [-h|--help]

Publishes src/CniSharp as a native-AOT executable for this machine's
architecture (x86_64 -> linux-x64, aarch64 -> linux-arm64) and assembles
the CNI bin dir: the binary 'cnisharp' plus one entry-point symlink per
plugin type it serves ('cnisharp --list-plugins'). Then publishes the node
agent src/CniSharp.Agent (native AOT too) as artifacts/bin/cnisharp-agent, for
this machine's architecture only (a cross build makes the plugins).

Cross builds (linux-arm64 on x86-64, linux-x64 on aarch64) link with clang
against Debian's cross toolchain and sysroot (gcc-aarch64-linux-gnu and
libc6-dev-arm64-cross, or gcc-x86-64-linux-gnu and libc6-dev-amd64-cross),
and list the plugin types by running the binary under qemu-user-static;
scripts/install-deps.sh installs what linux-arm64 needs.

Options:
  --rid RID   .NET runtime identifier to publish for (default: from uname -m)
  --out DIR   CNI bin dir to assemble (default: artifacts/cni/bin for this
              machine's architecture, artifacts/cni/bin-RID for another, so a
              cross build never replaces the native binaries)
  --agent-out DIR  where cnisharp-agent goes (default: artifacts/bin)
  -h, --help  show this help

Environment:
  CNISHARP_CONFIGURATION  build configuration (default: Release)

Re-running is safe: each file in the bin dir is replaced atomically
(temp name + rename), so a process executing the old binary is not disturbed.
USAGE
}

rid=""
out_dir=""
agent_out_dir="$REPO_ROOT/artifacts/bin"
configuration="${CNISHARP_CONFIGURATION:-Release}"

while (($# > 0)); do
    case "$1" in
        --rid) rid="${2:?--rid needs a value}"; shift 2 ;;
        --out) out_dir="${2:?--out needs a value}"; shift 2 ;;
        --agent-out) agent_out_dir="${2:?--agent-out needs a value}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "build.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

case "$(uname -m)" in
    x86_64|amd64) native_rid=linux-x64 ;;
    aarch64|arm64) native_rid=linux-arm64 ;;
    *) native_rid="" ;;
esac
if [[ -z "$rid" ]]; then
    rid="$native_rid"
    [[ -n "$rid" ]] || { echo "build.sh: unsupported architecture '$(uname -m)' (use --rid)" >&2; exit 1; }
fi
if [[ -z "$out_dir" ]]; then
    if [[ "$rid" == "$native_rid" ]]; then
        out_dir="$REPO_ROOT/artifacts/cni/bin"
    else
        out_dir="$REPO_ROOT/artifacts/cni/bin-$rid"
    fi
fi

# The GNU triple of a linux RID's architecture: the cross toolchain's and qemu's name for it.
case "$rid" in
    linux-x64) gnu_arch=x86_64 ;;
    linux-arm64) gnu_arch=aarch64 ;;
    *) gnu_arch="" ;;
esac

# A cross build links with clang --target=<arch>-linux-gnu, which takes crt files and libgcc from the
# gcc cross toolchain and libc from the Debian cross sysroot /usr/<arch>-linux-gnu. Say what is
# missing before a two-minute publish fails at its last step.
if [[ "$rid" != "$native_rid" && -n "$gnu_arch" ]]; then
    missing=()
    command -v clang >/dev/null || missing+=(clang)
    command -v "$gnu_arch-linux-gnu-gcc" >/dev/null || missing+=("$gnu_arch-linux-gnu-gcc")
    [[ -e "/usr/$gnu_arch-linux-gnu/lib/libc.so" ]] || missing+=("/usr/$gnu_arch-linux-gnu/lib/libc.so (the $rid sysroot)")
    if ((${#missing[@]} > 0)); then
        echo "build.sh: cross-building for $rid needs: ${missing[*]}" >&2
        echo "build.sh: install them with 'sudo scripts/install-deps.sh' (linux-arm64), or Debian's gcc-$gnu_arch-linux-gnu and libc6-dev-*-cross" >&2
        exit 1
    fi
fi

# shellcheck source-path=SCRIPTDIR source=lib/dotnet.sh
source "$REPO_ROOT/scripts/lib/dotnet.sh"

publish_dir="$REPO_ROOT/artifacts/publish/$rid"
echo "build.sh: publishing $PROJECT ($configuration, $rid, native AOT)"
dotnet publish "$PROJECT" -c "$configuration" -r "$rid" -o "$publish_dir" --nologo

binary="$publish_dir/cnisharp"
[[ -x "$binary" ]] || { echo "build.sh: publish did not produce $binary" >&2; exit 1; }

# The entry points are the types the binary itself says it serves; a binary for another architecture
# says so under qemu user emulation (qemu-user-static, as installed by install-deps.sh).
list_plugins() {
    if [[ "$rid" == "$native_rid" ]]; then
        "$binary" --list-plugins
        return
    fi
    if [[ -n "$gnu_arch" ]] && command -v "qemu-$gnu_arch-static" >/dev/null; then
        # The Debian cross sysroot holds the target's dynamic loader and libc.
        QEMU_LD_PREFIX="/usr/$gnu_arch-linux-gnu" "qemu-$gnu_arch-static" "$binary" --list-plugins
        return
    fi
    echo "build.sh: cannot run the $rid binary to list its plugin types (install qemu-user-static)" >&2
    return 1
}
mapfile -t ENTRY_POINTS < <(list_plugins)
((${#ENTRY_POINTS[@]} > 0)) || { echo "build.sh: $binary --list-plugins printed no plugin types" >&2; exit 1; }
readonly ENTRY_POINTS

mkdir -p "$out_dir"

# Replace a regular file atomically: copy to a temp name in the same dir, then rename.
tmp_files=()
cleanup() {
    if ((${#tmp_files[@]} > 0)); then rm -f -- "${tmp_files[@]}"; fi
}
trap cleanup EXIT

tmp="$out_dir/.cnisharp.$$.tmp"
tmp_files+=("$tmp")
cp -- "$binary" "$tmp"
chmod 0755 "$tmp"
mv -f -T -- "$tmp" "$out_dir/cnisharp"

for name in "${ENTRY_POINTS[@]}"; do
    tmp="$out_dir/.$name.$$.tmp"
    tmp_files+=("$tmp")
    ln -s cnisharp "$tmp"
    mv -f -T -- "$tmp" "$out_dir/$name"
done

# The debug symbols stay next to the publish output, not in the CNI bin dir.
echo "build.sh: CNI plugins ready in $out_dir:"
for name in cnisharp "${ENTRY_POINTS[@]}"; do
    if [[ -L "$out_dir/$name" ]]; then
        echo "  $out_dir/$name -> $(readlink "$out_dir/$name")"
    else
        echo "  $out_dir/$name ($(stat -c %s "$out_dir/$name") bytes)"
    fi
done

# The node agent: its own publish dir (its packages never mix with the plugin's), then the same
# temp name + rename into place, so a running agent's executable is never overwritten in place.
if [[ "$rid" != "$native_rid" ]]; then
    echo "build.sh: not building cnisharp-agent for $rid (the agent is built for this machine's architecture)"
    exit 0
fi
agent_publish_dir="$REPO_ROOT/artifacts/publish/$rid-agent"
echo "build.sh: publishing $AGENT_PROJECT ($configuration, $rid, native AOT)"
dotnet publish "$AGENT_PROJECT" -c "$configuration" -r "$rid" -o "$agent_publish_dir" --nologo
agent_binary="$agent_publish_dir/cnisharp-agent"
[[ -x "$agent_binary" ]] || { echo "build.sh: publish did not produce $agent_binary" >&2; exit 1; }
mkdir -p "$agent_out_dir"
tmp="$agent_out_dir/.cnisharp-agent.$$.tmp"
tmp_files+=("$tmp")
cp -- "$agent_binary" "$tmp"
chmod 0755 "$tmp"
mv -f -T -- "$tmp" "$agent_out_dir/cnisharp-agent"
echo "build.sh: node agent ready: $agent_out_dir/cnisharp-agent ($(stat -c %s "$agent_out_dir/cnisharp-agent") bytes)"
