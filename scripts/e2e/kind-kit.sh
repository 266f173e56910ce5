#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# End-to-end checks of the kind kit (conf/kind, scripts/kind) that need no Docker engine: the YAML
# is what kind and Kubernetes expect, render-conflist.sh writes a conflist atomically, the
# rendered conflist works when the built plugin runs it (ADD, ping, STATUS, DEL, chained portmap)
# in a throwaway "node" namespace, and the conflist agent reads a node's pod CIDRs over HTTPS
# the way it does in the cluster (against a local fake API server).
# A real kind cluster is scripts/kind-e2e.sh (needs Docker, kind, kubectl).
# The cases live in scripts/e2e/kind/, one file per group.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly SUITE="$REPO_ROOT/scripts/e2e/kind-kit.sh"
readonly KIT_DIR="$REPO_ROOT/scripts/e2e/kind"
readonly KIND_DIR="$REPO_ROOT/conf/kind"
readonly KIND_SCRIPTS="$REPO_ROOT/scripts/kind"
readonly RENDER="$KIND_SCRIPTS/render-conflist.sh"
readonly AGENT="$KIND_SCRIPTS/conflist-agent.sh"
readonly KIND_E2E="$REPO_ROOT/scripts/kind-e2e.sh"
readonly CNILIB="$REPO_ROOT/scripts/lib/cnilib_cli.py"

usage() {
    cat <<'USAGE'
Usage: sudo scripts/e2e/kind-kit.sh [-h|--help]

Checks the kind kit (conf/kind, scripts/kind) without a Docker engine, one line per case:
"E2E PASS <case>", "E2E FAIL <case>: <why>" or "E2E SKIP <case>: <why>".
  yaml-*      every document in conf/kind/*.yaml parses and has what kind and
              Kubernetes need (Cluster without kindnet; RBAC; DaemonSet fields)
  render-*    render-conflist.sh: IPv4, dual stack, bad input refused, atomic
              replacement (rename of a temp file, old inode untouched), no rewrite
              when unchanged, a concurrent reader never sees a partial file
  plugin-*    the rendered conflist, run by the built binaries in a private node
              namespace with two pod namespaces: ADD, addresses and routes, ping,
              STATUS, the reference portmap chained (an HTTP request to a hostPort),
              DEL, DEL again, nothing left behind
  agent-*     conflist-agent.sh against a local HTTPS fake of the API server:
              token and CA used, podCIDRs/podCIDR read, failures write nothing,
              SIGTERM exits at once and keeps the file
  kind-e2e-*  scripts/kind-e2e.sh: bash -n, --help, clear failure without tools
  shellcheck-kind-kit  shellcheck of the kit's scripts and of this suite
Root is needed for the plugin-* cases (namespaces); they are skipped otherwise.

Environment:
  CNISHARP_BIN_DIR  dir holding cnisharp and its entry points
                    (default: <repo>/artifacts/cni/bin)
USAGE
}

case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") ;;
    *) echo "kind-kit: unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac

BIN_DIR="${CNISHARP_BIN_DIR:-$REPO_ROOT/artifacts/cni/bin}"
readonly BIN_DIR
readonly REFERENCE_DIR="/usr/lib/cni"

# shellcheck source=kind/harness.sh
source "$KIT_DIR/harness.sh"

# ---- bookkeeping: everything this suite creates is removed on exit (harness.sh cleanup) ----------
WORK="$(mktemp -d /tmp/cnisharp-kind-kit.XXXXXX)"
readonly WORK
trap cleanup EXIT
SUFFIX="$$-$RANDOM" # in namespace names and the fake API's token
readonly SUFFIX

# shellcheck source=kind/yaml.sh
source "$KIT_DIR/yaml.sh"
# shellcheck source=kind/render.sh
source "$KIT_DIR/render.sh"
# shellcheck source=kind/plugin.sh
source "$KIT_DIR/plugin.sh"
# shellcheck source=kind/agent.sh
source "$KIT_DIR/agent.sh"
# shellcheck source=kind/kind-e2e-script.sh
source "$KIT_DIR/kind-e2e-script.sh"

# ================================================================================================
yaml_cases

run_case render-ipv4 render_checks ipv4 10.244.1.0/24
run_case render-dualstack render_checks dualstack 10.244.1.0/24 fd00:10:244:1::/64
run_case render-input-forms render_input_forms
run_case render-rejects-bad-input render_rejects
run_case render-atomic-replace render_atomic_replace
run_case render-unchanged-and-refused-keep-file render_unchanged_and_failed
run_case render-concurrent-reader render_concurrent_reader

run_case plugin-ipv4-chain-hostport plugin_chain_case ipv4 yes 10.244.1.0/24
run_case plugin-dualstack-chain plugin_chain_case dual no 10.244.2.0/24 fd00:10:244:2::/64

run_case agent-reads-pod-cidrs agent_reads_pod_cidrs
run_case agent-failures-write-nothing agent_failures_write_nothing
run_case agent-loop-and-sigterm agent_loop_and_sigterm

run_case kind-e2e-syntax-and-help kind_e2e_syntax
run_case kind-e2e-missing-tools kind_e2e_missing_tools
run_case shellcheck-kind-kit shellcheck_kit

((failures == 0))
