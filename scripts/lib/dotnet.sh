# shellcheck shell=bash
# Sourced by build.sh and test.sh: put the .NET SDK on PATH when it is installed but not on
# PATH (e.g. under sudo, whose secure_path drops ~/.dotnet).
if ! command -v dotnet >/dev/null 2>&1; then
    sudo_home=""
    if [[ -n "${SUDO_USER:-}" ]]; then
        sudo_home="$(getent passwd "$SUDO_USER" | cut -d: -f6 || true)"
    fi
    for candidate in "${DOTNET_ROOT:-}" "${sudo_home:+$sudo_home/.dotnet}" "${HOME:-}/.dotnet" \
        /usr/share/dotnet /usr/lib/dotnet /opt/dotnet; do
        if [[ -n "$candidate" && -x "$candidate/dotnet" ]]; then
            export PATH="$candidate:$PATH" DOTNET_ROOT="$candidate"
            break
        fi
    done
    unset sudo_home candidate
fi
command -v dotnet >/dev/null 2>&1 || {
    echo "$(basename "$0"): the .NET SDK (dotnet) was not found; install it or put it on PATH" >&2
    exit 1
}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
