#!/usr/bin/env bash
# End-to-end checks of the kind kit (conf/kind) that need no Docker engine: the YAML is what
# kind and Kubernetes expect, render-conflist.sh writes a conflist atomically, the rendered
# conflist works when the built plugin runs it (ADD, ping, STATUS, DEL, chained portmap) in
# a throwaway "node" namespace, and the conflist agent reads a node's pod CIDRs over HTTPS
# the way it does in the cluster (against a local fake API server).
# A real kind cluster is scripts/kind-e2e.sh (needs Docker, kind, kubectl).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly REPO_ROOT
readonly KIND_DIR="$REPO_ROOT/conf/kind"
readonly RENDER="$KIND_DIR/render-conflist.sh"
readonly AGENT="$KIND_DIR/conflist-agent.sh"
readonly KIND_E2E="$REPO_ROOT/scripts/kind-e2e.sh"

usage() {
    cat <<'USAGE'
Usage: sudo scripts/e2e/kind-kit.sh [-h|--help]

Checks conf/kind without a Docker engine, one line per case:
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

# ---- bookkeeping: everything this suite creates is removed on exit -------------------------------
work="$(mktemp -d /tmp/cnisharp-kind-kit.XXXXXX)"
readonly work
suffix="$$-$RANDOM"
readonly suffix
netns_created=()
pids_started=()
cleanup() {
    local pid ns
    for pid in "${pids_started[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then stop_pid "$pid"; fi
    done
    for ns in "${netns_created[@]}"; do ip netns delete "$ns" 2>/dev/null || true; done
    rm -rf -- "$work"
}
trap cleanup EXIT

failures=0
why=""
# run_case NAME FUNCTION [ARGS]: the function returns 0 (pass), 77 (skip) or other (fail),
# with the reason in $why. errexit is off inside (if context): functions check explicitly.
# No `grep -q` after a pipe: it exits at the first match and, with pipefail, the writer's
# SIGPIPE would fail the check now and then; plain grep >/dev/null reads everything.
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

# JSON helpers (what a CNI runtime does with a conflist), written once into the work dir.
cat >"$work/cni.py" <<'PY'
import ipaddress, json, sys

def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)

def plugin_conf(conflist, index, prev, runtime, version):
    """Plugin INDEX as libcni sends it: name and cniVersion injected, prevResult when given,
    runtimeConfig holding only the capabilities the plugin declares."""
    lst = load(conflist)
    conf = dict(lst["plugins"][int(index)])
    conf["name"] = lst["name"]
    conf["cniVersion"] = version if version != "-" else lst["cniVersion"]
    if prev != "-":
        conf["prevResult"] = load(prev)
        conf["prevResult"]["cniVersion"] = conf["cniVersion"]
    if runtime != "-":
        caps = conf.get("capabilities", {})
        rc = {k: v for k, v in json.loads(runtime).items() if caps.get(k)}
        if rc:
            conf["runtimeConfig"] = rc
    json.dump(conf, sys.stdout)

def check_rendered(path, *cidrs):
    """Print one line per problem with a rendered kind conflist for CIDRS; nothing when fine."""
    problems = []
    def want(ok, text):
        if not ok:
            problems.append(text)
    lst = load(path)
    want(lst.get("cniVersion") == "1.1.0", "cniVersion is not 1.1.0")
    want("1.1.0" in lst.get("cniVersions", []), "cniVersions lacks 1.1.0")
    want(bool(lst.get("name")), "no name")
    plugins = lst.get("plugins", [])
    want(len(plugins) == 2, "expected 2 plugins, got %d" % len(plugins))
    if len(plugins) != 2:
        print("\n".join(problems)); return
    bridge, portmap = plugins
    want(bridge.get("type") == "cnisharp-bridge", "plugin 0 is not cnisharp-bridge")
    for key in ("isGateway", "isDefaultGateway", "hairpinMode"):
        want(bridge.get(key) is True, key + " is not true")
    want(str(bridge.get("stateDir", "")).startswith("/run/"), "stateDir not under /run")
    ipam = bridge.get("ipam", {})
    want(ipam.get("type") == "cnisharp-host-local", "ipam type is not cnisharp-host-local")
    want(str(ipam.get("dataDir", "")).startswith("/run/"), "dataDir not under /run")
    want(ipam.get("ranges") == [[{"subnet": c}] for c in cidrs],
         "ranges %r do not match %r" % (ipam.get("ranges"), cidrs))
    families = [ipaddress.ip_network(c).version for c in cidrs]
    defaults = {4: "0.0.0.0/0", 6: "::/0"}
    want(ipam.get("routes") == [{"dst": defaults[f]} for f in families],
         "routes %r are not one default per family" % ipam.get("routes"))
    want(portmap.get("type") == "portmap", "plugin 1 is not portmap")
    want(portmap.get("capabilities") == {"portMappings": True}, "portmap lacks capabilities.portMappings")
    print("\n".join(problems))

def ips(result, version):
    """Container addresses (address/prefix gateway) of one IP version in a result."""
    for ip in load(result).get("ips", []):
        iface = ipaddress.ip_interface(ip["address"])
        if iface.version == int(version):
            print(iface.ip, iface.network, ip.get("gateway", ""))

if __name__ == "__main__":
    {"plugin-conf": plugin_conf, "check-rendered": check_rendered, "ips": ips}[sys.argv[1]](*sys.argv[2:])
PY
cni_py() { python3 "$work/cni.py" "$@"; }

# ================================================================================================
# yaml-*: every document parses; kind/Kubernetes fields the kit depends on
# ================================================================================================
yaml_report="$work/yaml-report"
yaml_checks() {
    local image
    # The image name kind-e2e.sh builds and loads must be the one the manifest runs.
    image="$(sed -n 's/^readonly KIND_IMAGE="\([^"]*\)".*/\1/p' "$KIND_E2E")"
    python3 - "$KIND_DIR" "$REPO_ROOT/Dockerfile" "$image" >"$yaml_report" 2>&1 <<'PY'
import glob, ipaddress, os, sys
import yaml

kind_dir, root_dockerfile, e2e_image = sys.argv[1:4]
results = {}
def case(name, problems):
    results[name] = problems

docs, parse_problems = [], []
files = sorted(glob.glob(os.path.join(kind_dir, "*.yaml")))
if not files:
    parse_problems.append("no YAML in " + kind_dir)
for path in files:
    try:
        with open(path, encoding="utf-8") as f:
            for i, doc in enumerate(yaml.safe_load_all(f)):
                where = "%s#%d" % (os.path.basename(path), i)
                if not isinstance(doc, dict):
                    parse_problems.append(where + ": not a mapping")
                    continue
                for key in ("apiVersion", "kind"):
                    if not doc.get(key):
                        parse_problems.append(where + ": no " + key)
                # kind's Cluster config is not a Kubernetes object: it has no metadata.
                if doc.get("apiVersion", "").startswith("kind.x-k8s.io/"):
                    pass
                elif not (doc.get("metadata") or {}).get("name"):
                    parse_problems.append(where + ": no metadata.name")
                docs.append((where, doc))
    except yaml.YAMLError as e:
        parse_problems.append("%s: %s" % (os.path.basename(path), str(e).replace("\n", " ")))
case("yaml-parse", parse_problems)

def find(kind):
    return [d for _, d in docs if d.get("kind") == kind]

# Cluster: kindnet off, the pod subnet kind hands out as node.spec.podCIDR, two roles.
p = []
clusters = find("Cluster")
if len(clusters) != 1:
    p.append("expected one kind Cluster, found %d" % len(clusters))
else:
    c = clusters[0]
    net = c.get("networking") or {}
    if c.get("apiVersion") != "kind.x-k8s.io/v1alpha4":
        p.append("Cluster apiVersion is not kind.x-k8s.io/v1alpha4")
    if net.get("disableDefaultCNI") is not True:
        p.append("networking.disableDefaultCNI is not true")
    try:
        if str(ipaddress.ip_network(net.get("podSubnet", ""))) != "10.244.0.0/16":
            p.append("podSubnet is not 10.244.0.0/16")
    except ValueError:
        p.append("podSubnet is not a CIDR")
    roles = sorted(n.get("role") for n in c.get("nodes") or [])
    if roles != ["control-plane", "worker"]:
        p.append("nodes are %r, want one control-plane and one worker" % roles)
case("yaml-cluster", p)

# RBAC: the agent's service account may get/list/watch nodes, and is bound to that role.
p = []
namespaces = {(d.get("metadata") or {}).get("name") for d in find("Namespace")}
accounts = {((d["metadata"].get("namespace")), d["metadata"]["name"]) for d in find("ServiceAccount")}
roles = {d["metadata"]["name"]: d for d in find("ClusterRole")}
for ns, _ in accounts:
    if ns not in namespaces:
        p.append("ServiceAccount namespace %r is not created here" % ns)
for name, role in roles.items():
    ok = any("" in (r.get("apiGroups") or []) and "nodes" in (r.get("resources") or [])
             and {"get", "list", "watch"} <= set(r.get("verbs") or []) for r in role.get("rules") or [])
    if not ok:
        p.append("ClusterRole %s does not allow get/list/watch on nodes" % name)
bindings = find("ClusterRoleBinding")
if not bindings:
    p.append("no ClusterRoleBinding")
for b in bindings:
    ref = b.get("roleRef") or {}
    if ref.get("kind") != "ClusterRole" or ref.get("name") not in roles:
        p.append("ClusterRoleBinding %s refers to a missing ClusterRole" % b["metadata"]["name"])
    for s in b.get("subjects") or []:
        if s.get("kind") != "ServiceAccount" or (s.get("namespace"), s.get("name")) not in accounts:
            p.append("ClusterRoleBinding subject %r is not a ServiceAccount defined here" % s)
case("yaml-rbac", p)

# DaemonSet: runs before the pod network exists, on every node, with the host dirs it writes.
p = []
daemonsets = find("DaemonSet")
if len(daemonsets) != 1:
    p.append("expected one DaemonSet, found %d" % len(daemonsets))
else:
    ds = daemonsets[0]
    meta, spec = ds["metadata"], ds.get("spec") or {}
    tmpl = spec.get("template") or {}
    pod = tmpl.get("spec") or {}
    if meta.get("namespace") not in namespaces:
        p.append("DaemonSet namespace is not created here")
    selector = (spec.get("selector") or {}).get("matchLabels") or {}
    labels = (tmpl.get("metadata") or {}).get("labels") or {}
    if not selector or any(labels.get(k) != v for k, v in selector.items()):
        p.append("selector does not match the template labels")
    if pod.get("hostNetwork") is not True:
        p.append("hostNetwork is not true")
    if {"operator": "Exists"} not in (pod.get("tolerations") or []):
        p.append("no toleration {operator: Exists}")
    if pod.get("priorityClassName") != "system-node-critical":
        p.append("priorityClassName is not system-node-critical")
    if (meta.get("namespace"), pod.get("serviceAccountName")) not in accounts:
        p.append("serviceAccountName is not a ServiceAccount in the DaemonSet's namespace")
    volumes = {v["name"]: (v.get("hostPath") or {}).get("path") for v in pod.get("volumes") or []}
    for path in ("/opt/cni/bin", "/etc/cni/net.d"):
        if path not in volumes.values():
            p.append("no hostPath volume for " + path)
    if not any(v and (v == "/run" or v.startswith("/run/")) for v in volumes.values()):
        p.append("no hostPath volume under /run")
    init = pod.get("initContainers") or []
    main = pod.get("containers") or []
    if len(init) != 1 or len(main) != 1:
        p.append("expected one init container and one container")
    def mounts(c):
        return {volumes.get(m["name"]) for m in c.get("volumeMounts") or []}
    for c in init + main:
        if c.get("image") != e2e_image:
            p.append("container %s image %r is not %r (the image scripts/kind-e2e.sh loads)"
                     % (c.get("name"), c.get("image"), e2e_image))
        if c.get("imagePullPolicy") != "Never":
            p.append("container %s: imagePullPolicy is not Never (image comes from kind load)" % c.get("name"))
        for m in c.get("volumeMounts") or []:
            if m["name"] not in volumes:
                p.append("container %s mounts undefined volume %s" % (c.get("name"), m["name"]))
    if init and "/opt/cni/bin" not in mounts(init[0]):
        p.append("the init container does not mount /opt/cni/bin")
    if main:
        agent = main[0]
        if "/etc/cni/net.d" not in mounts(agent):
            p.append("the agent does not mount /etc/cni/net.d")
        env = {e["name"]: e for e in agent.get("env") or []}
        ref = ((env.get("NODE_NAME") or {}).get("valueFrom") or {}).get("fieldRef") or {}
        if ref.get("fieldPath") != "spec.nodeName":
            p.append("the agent's NODE_NAME does not come from spec.nodeName")
    # The commands must exist in the image the two Dockerfiles build.
    with open(root_dockerfile, encoding="utf-8") as f:
        root_df = f.read()
    with open(os.path.join(kind_dir, "Dockerfile"), encoding="utf-8") as f:
        kind_df = f.read()
    if init and (init[0].get("command") or [""])[0] == "/usr/local/bin/install-cni.sh":
        if "/usr/local/bin/install-cni.sh" not in root_df:
            p.append("Dockerfile does not install /usr/local/bin/install-cni.sh")
    else:
        p.append("the init container does not run /usr/local/bin/install-cni.sh")
    if main:
        cmd = (main[0].get("command") or [""])[0]
        if not (cmd.startswith("/opt/cnisharp/kind/") and os.path.basename(cmd) in kind_df
                and os.path.exists(os.path.join(kind_dir, os.path.basename(cmd)))):
            p.append("agent command %r is not a script conf/kind/Dockerfile copies to /opt/cnisharp/kind/" % cmd)
case("yaml-daemonset", p)

for name, problems in results.items():
    print(name + "\t" + "; ".join(problems))
PY
}

yaml_case() { # case name
    local line
    line="$(grep -P "^$1\t" "$yaml_report" || true)"
    [[ -n "$line" ]] || bad "no result from the YAML checker: $(tail_of "$yaml_report")" || return
    line="${line#*$'\t'}"
    [[ -z "$line" ]] || bad "$line"
}

# ================================================================================================
# render-*
# ================================================================================================
render_checks() { # name cidr...
    local out="$work/render-$1.conflist" problems
    shift
    sh "$RENDER" "$@" >"$out" 2>"$out.err" || bad "render-conflist.sh failed: $(tail_of "$out.err")" || return
    python3 -m json.tool "$out" >/dev/null 2>&1 || bad "output is not JSON" || return
    problems="$(cni_py check-rendered "$out" "$@")" || bad "checker failed" || return
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
    local dir="$work/reject" input
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
    local dir="$work/atomic" file old_inode new_inode
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
    [[ -z "$(cni_py check-rendered "$dir/old-inode" 10.244.1.0/24)" ]] || bad "the old inode's content changed" || return
    [[ -z "$(cni_py check-rendered "$file" 10.244.2.0/24)" ]] || bad "the new file is not the new conflist" || return
    [[ "$(stat -c %a "$file")" == 644 ]] || bad "mode is $(stat -c %a "$file"), want 644" || return
    rm -f -- "$dir/old-inode"
    [[ "$(entries_of "$dir")" == "10-cnisharp.conflist" ]] || bad "temp files left: $(entries_of "$dir")"
}

render_unchanged_and_failed() {
    local dir="$work/unchanged" file inode before
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
    local dir="$work/reader" file reader i status=0
    mkdir -p "$dir"
    file="$dir/10-cnisharp.conflist"
    sh "$RENDER" -o "$file" 10.244.1.0/24 2>/dev/null || bad "render failed" || return
    python3 - "$file" "$dir/stop" >"$dir/reader.out" 2>&1 <<'PY' &
import json, os, sys
path, stop = sys.argv[1:3]
reads = 0
while not os.path.exists(stop):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        json.loads(text)
    except ValueError:
        print("partial read (%d bytes): %r" % (len(text), text[:60]))
        sys.exit(1)
    reads += 1
print("reads", reads)
PY
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

# ================================================================================================
# plugin-*: the rendered conflist run by the built plugin, as containerd runs it on a kind node
# ================================================================================================
# cni_run NODE_NS PLUGIN_TYPE COMMAND POD_NS CONTAINER_ID CONFIG_FILE OUT_FILE
# The plugin runs inside the node namespace (like containerd inside a kind node container), so
# the rendered bridge name cnisharp0 and the iptables rules of portmap stay private to it.
cni_run() {
    local node_ns="$1" type="$2" command="$3" pod_ns="$4" cid="$5" conf="$6" out="$7" dir plugin=""
    for dir in "$BIN_DIR" "$REFERENCE_DIR"; do
        if [[ -x "$dir/$type" ]]; then plugin="$dir/$type"; break; fi
    done
    [[ -n "$plugin" ]] || { echo "no plugin $type in $BIN_DIR or $REFERENCE_DIR" >"$out"; return 1; }
    ip netns exec "$node_ns" env -i PATH="$PATH" CNI_COMMAND="$command" CNI_CONTAINERID="$cid" \
        CNI_NETNS="/run/netns/$pod_ns" CNI_IFNAME=eth0 CNI_PATH="$BIN_DIR:$REFERENCE_DIR" \
        "$plugin" <"$conf" >"$out" 2>"$out.err"
}

new_netns() { # var-name role
    local ns="cnisharp-kk-$2-$suffix"
    ip netns add "$ns" || return 1
    netns_created+=("$ns")
    ip -n "$ns" link set lo up
    printf -v "$1" '%s' "$ns"
}

plugin_prereqs() {
    [[ "$(id -u)" -eq 0 ]] || skip "needs root (network namespaces)" || return
    [[ -x "$BIN_DIR/cnisharp-bridge" && -x "$BIN_DIR/cnisharp-host-local" ]] \
        || skip "no built plugin in $BIN_DIR (scripts/build.sh)" || return
    have ip && have ping || skip "needs iproute2 and iputils-ping" || return
}

# ADD both plugins of the rendered list for one pod (portmap with cniVersion lowered to the
# newest the Debian portmap speaks, 1.0.0: the kind node's portmap v1.9.1 speaks 1.1.0).
chain_add() { # dir node_ns pod_ns cid runtime-json
    local dir="$1" node_ns="$2" pod_ns="$3" cid="$4" runtime="$5"
    cni_py plugin-conf "$dir/conflist" 0 - - - >"$dir/$cid.bridge.in"
    cni_run "$node_ns" cnisharp-bridge ADD "$pod_ns" "$cid" "$dir/$cid.bridge.in" "$dir/$cid.bridge.out" \
        || bad "bridge ADD for $cid failed: $(cat "$dir/$cid.bridge.out") $(tail_of "$dir/$cid.bridge.out.err")" || return
    cni_py plugin-conf "$dir/conflist" 1 "$dir/$cid.bridge.out" "$runtime" 1.0.0 >"$dir/$cid.portmap.in"
    cni_run "$node_ns" portmap ADD "$pod_ns" "$cid" "$dir/$cid.portmap.in" "$dir/$cid.portmap.out" \
        || bad "portmap ADD for $cid failed: $(cat "$dir/$cid.portmap.out") $(tail_of "$dir/$cid.portmap.out.err")"
}

# DEL in reverse order, as libcni does; the conf carries the prevResult of the ADD.
chain_del() { # dir node_ns pod_ns cid runtime-json
    local dir="$1" node_ns="$2" pod_ns="$3" cid="$4" runtime="$5"
    cni_py plugin-conf "$dir/conflist" 1 "$dir/$cid.bridge.out" "$runtime" 1.0.0 >"$dir/$cid.portmap.del"
    cni_run "$node_ns" portmap DEL "$pod_ns" "$cid" "$dir/$cid.portmap.del" "$dir/$cid.del.out" \
        || bad "portmap DEL for $cid failed: $(tail_of "$dir/$cid.del.out.err")" || return
    cni_py plugin-conf "$dir/conflist" 0 "$dir/$cid.bridge.out" - - >"$dir/$cid.bridge.del"
    cni_run "$node_ns" cnisharp-bridge DEL "$pod_ns" "$cid" "$dir/$cid.bridge.del" "$dir/$cid.del.out" \
        || bad "bridge DEL for $cid failed: $(cat "$dir/$cid.del.out") $(tail_of "$dir/$cid.del.out.err")"
}

# One kind node in miniature: a node namespace, two pods on it, the rendered conflist for
# CIDRS; ADD both, check addresses/routes/ping (both families), STATUS, optionally a hostPort,
# then DEL both and check that nothing is left in the node, the pods or the IPAM dir.
plugin_chain_case() { # label hostport(yes|no) cidr...
    local label="$1" hostport="$2" dir node_ns pod_a pod_b version line ip net gw first_ip=""
    shift 2
    plugin_prereqs || return
    [[ -x "$REFERENCE_DIR/portmap" ]] || skip "no $REFERENCE_DIR/portmap (containernetworking-plugins)" || return
    have iptables || skip "needs iptables (portmap)" || return
    dir="$work/plugin-$label"
    mkdir -p "$dir"
    CNISHARP_IPAM_DATA_DIR="$dir/ipam" CNISHARP_STATE_DIR="$dir/state" \
        sh "$RENDER" -o "$dir/conflist" "$@" 2>/dev/null || bad "render failed" || return
    new_netns node_ns "$label-node" && new_netns pod_a "$label-a" && new_netns pod_b "$label-b" \
        || bad "cannot create namespaces" || return

    local mappings='{"portMappings":[{"hostPort":31080,"containerPort":8080,"protocol":"tcp"}]}'
    [[ "$hostport" == yes ]] || mappings="-"
    chain_add "$dir" "$node_ns" "$pod_a" "kk-a-$suffix" "$mappings" || return
    chain_add "$dir" "$node_ns" "$pod_b" "kk-b-$suffix" - || return

    local cidr family
    for cidr in "$@"; do
        if [[ "$cidr" == *:* ]]; then version=6 family=-6; else version=4 family=-4; fi
        # pod-a: one address of this family inside the CIDR, gateway = first address, default route via it.
        line="$(cni_py ips "$dir/kk-a-$suffix.bridge.out" "$version")"
        read -r ip net gw <<<"$line"
        [[ "$net" == "$cidr" ]] || bad "pod-a's IPv$version network is '$net', want $cidr" || return
        python3 -c 'import ipaddress,sys; n=ipaddress.ip_network(sys.argv[1]); sys.exit(0 if sys.argv[2]==str(n.network_address+1) else 1)' "$cidr" "$gw" \
            || bad "gateway '$gw' is not the first address of $cidr" || return
        ip -n "$pod_a" "$family" route show default | grep "via $gw dev eth0" >/dev/null \
            || bad "pod-a has no IPv$version default route via $gw: $(ip -n "$pod_a" "$family" route show default)" || return
        ip -n "$node_ns" "$family" addr show dev cnisharp0 | grep " $gw/${cidr#*/} " >/dev/null \
            || bad "cnisharp0 in the node lacks $gw/${cidr#*/}: $(ip -n "$node_ns" "$family" -o addr show dev cnisharp0 | tr -s " " | tr "\n" ";")" || return
        # pod-b pings pod-a over this family.
        ip netns exec "$pod_b" ping "$family" -c 1 -W 3 "$ip" >/dev/null 2>&1 \
            || bad "pod-b cannot ping pod-a ($ip)" || return
        [[ -n "$first_ip" ]] || first_ip="$ip"
    done

    # STATUS, as containerd asks through CRI for a 1.1.0 list.
    cni_py plugin-conf "$dir/conflist" 0 - - - >"$dir/status.in"
    cni_run "$node_ns" cnisharp-bridge STATUS "$pod_a" "" "$dir/status.in" "$dir/status.out" \
        || bad "STATUS failed: $(cat "$dir/status.out")" || return

    if [[ "$hostport" == yes ]]; then
        hostport_check "$dir" "$node_ns" "$pod_a" "$first_ip" || return
    fi

    # The rendered dataDir is where the reservations went (so the empty-after-DEL check means something).
    [[ -n "$(find "$dir/ipam" -type f -name "$first_ip" 2>/dev/null)" ]] \
        || bad "no reservation file for $first_ip under the rendered dataDir" || return

    chain_del "$dir" "$node_ns" "$pod_a" "kk-a-$suffix" "$mappings" || return
    chain_del "$dir" "$node_ns" "$pod_b" "kk-b-$suffix" - || return
    # DEL again: a runtime retries DEL until it succeeds, so a second one must succeed too.
    chain_del "$dir" "$node_ns" "$pod_a" "kk-a-$suffix" "$mappings" || { why="second DEL: $why"; return 1; }

    [[ -z "$(ip -n "$node_ns" -o link show type veth)" ]] || bad "host veths left in the node" || return
    ! ip -n "$pod_a" link show eth0 >/dev/null 2>&1 || bad "pod-a still has eth0" || return
    if [[ "$hostport" == yes ]] && ip netns exec "$node_ns" iptables -t nat -S 2>/dev/null | grep -- "--to-destination" >/dev/null; then
        bad "portmap DNAT rules left in the node"
        return
    fi
    local leftover
    leftover="$(find "$dir/ipam" -type f -name '*[0-9]*' ! -name 'last_reserved_ip*' ! -name lock 2>/dev/null)"
    [[ -z "$leftover" ]] || bad "IPAM reservations left: $leftover" || return
    leftover="$(find "$dir/state" -type f -name '*.json' 2>/dev/null)"
    [[ -z "$leftover" ]] || bad "attachment records left in the rendered stateDir: $leftover"
}

# hostPort through the chained portmap: from the node itself to <node address>:31080.
# python3 serves and fetches (the static busybox's wget crashes here).
hostport_check() { # dir node_ns pod_ns pod_ip
    local dir="$1" node_ns="$2" pod_ns="$3" pod_ip="$4" server reply="" gw tries
    ip netns exec "$node_ns" iptables -t nat -S 2>/dev/null | grep -- "--to-destination $pod_ip:8080" >/dev/null \
        || bad "no DNAT to $pod_ip:8080 in the node" || return
    mkdir -p "$dir/www"
    echo "cnisharp-hostport-ok" >"$dir/www/index.html"
    ip netns exec "$pod_ns" python3 -m http.server 8080 --directory "$dir/www" >/dev/null 2>&1 &
    server=$!
    pids_started+=("$server")
    gw="$(cni_py ips "$dir/kk-a-$suffix.bridge.out" 4 | awk '{print $3}')"
    for ((tries = 0; tries < 25; tries++)); do
        reply="$(ip netns exec "$node_ns" python3 -c \
            'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=2).read().decode())' \
            "http://$gw:31080/" 2>/dev/null || true)"
        [[ "$reply" != *cnisharp-hostport-ok* ]] || break
        sleep 0.2
    done
    stop_pid "$server"
    [[ "$reply" == *cnisharp-hostport-ok* ]] || bad "GET http://$gw:31080/ in the node answered '$reply'"
}

# ================================================================================================
# agent-*: conflist-agent.sh against a fake API server (HTTPS, bearer token, CA from the SA dir)
# ================================================================================================
api_port=""
start_fake_api() {
    local dir="$work/api" tries
    mkdir -p "$dir/sa" "$dir/net.d"
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
        -addext "subjectAltName=IP:127.0.0.1" -keyout "$dir/key.pem" -out "$dir/sa/ca.crt" >/dev/null 2>&1 \
        || return 1
    echo "kind-kit-token-$suffix" >"$dir/sa/token"
    python3 - "$dir" "kind-kit-token-$suffix" >"$dir/server.log" 2>&1 <<'PY' &
import http.server, json, ssl, sys
dir, token = sys.argv[1:3]
nodes = {  # name -> spec, as the API server returns them
    "dual-node": {"podCIDR": "10.244.7.0/24", "podCIDRs": ["10.244.7.0/24", "fd00:10:244:7::/64"]},
    "legacy-node": {"podCIDR": "10.244.8.0/24"},
    "fresh-node": {},
}
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.headers.get("Authorization") != "Bearer " + token:
            return self.reply(401, {"kind": "Status", "code": 401})
        prefix = "/api/v1/nodes/"
        name = self.path[len(prefix):] if self.path.startswith(prefix) else None
        if name not in nodes:
            return self.reply(404, {"kind": "Status", "code": 404})
        self.reply(200, {"kind": "Node", "apiVersion": "v1", "metadata": {"name": name}, "spec": nodes[name]})
    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(dir + "/sa/ca.crt", dir + "/key.pem")
server.socket = ctx.wrap_socket(server.socket, server_side=True)
with open(dir + "/port.tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os; os.rename(dir + "/port.tmp", dir + "/port")
server.serve_forever()
PY
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
        start_fake_api || bad "cannot start the fake API server: $(tail_of "$work/api/server.log")" || return
    fi
}

# The agent's command line as the DaemonSet runs it, pointed at the fake API (in $agent_cmd).
agent_command() { # node-name
    agent_cmd=(env NODE_NAME="$1" KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT="$api_port"
        CNISHARP_SA_DIR="$work/api/sa" CNISHARP_CONF_DIR="$work/api/net.d"
        CNISHARP_RESYNC_SECONDS=1 CNISHARP_RETRY_SECONDS=1 sh "$AGENT")
}
agent() { # node-name [agent args...]
    agent_command "$1"
    shift
    "${agent_cmd[@]}" "$@"
}

agent_reads_pod_cidrs() {
    agent_prereqs || return
    local file="$work/api/net.d/10-cnisharp.conflist" inode
    rm -f -- "$file"
    agent dual-node --once 2>"$work/api/agent.err" || bad "agent failed: $(tail_of "$work/api/agent.err")" || return
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
    local file="$work/api/net.d/10-cnisharp.conflist"
    rm -f -- "$file"
    if agent fresh-node --once 2>/dev/null; then bad "succeeded for a node without a pod CIDR"; return; fi
    if agent missing-node --once 2>/dev/null; then bad "succeeded for a missing node"; return; fi
    cp "$work/api/sa/token" "$work/api/token.good"
    echo "wrong-token" >"$work/api/sa/token"
    local status=0
    agent dual-node --once 2>/dev/null || status=$?
    mv -f -- "$work/api/token.good" "$work/api/sa/token"
    ((status != 0)) || bad "succeeded with a wrong token" || return
    [[ ! -e "$file" ]] || bad "a failed pass wrote $file" || return
    [[ -z "$(entries_of "$work/api/net.d")" ]] || bad "files left: $(entries_of "$work/api/net.d")"
}

agent_loop_and_sigterm() {
    agent_prereqs || return
    local file="$work/api/net.d/10-cnisharp.conflist" pid tries status=0
    rm -f -- "$file"
    # A plain command in the background: $! is the agent itself (env execs sh), as PID 1 in the pod.
    agent_command dual-node
    "${agent_cmd[@]}" 2>"$work/api/loop.err" &
    pid=$!
    pids_started+=("$pid")
    wait_for_file "$file" || bad "the loop wrote no conflist: $(tail_of "$work/api/loop.err")" || return
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

# ================================================================================================
# kind-e2e-*: the Docker-only script, as far as it can be checked here
# ================================================================================================
kind_e2e_syntax() {
    bash -n "$KIND_E2E" 2>"$work/bash-n.err" || bad "bash -n: $(tail_of "$work/bash-n.err")" || return
    "$KIND_E2E" --help 2>&1 | grep '^Usage: scripts/kind-e2e.sh' >/dev/null || bad "--help prints no usage"
}

# With none of docker/kind/kubectl on PATH it must stop at once and name all three.
kind_e2e_missing_tools() {
    local bin="$work/minimal-bin" out status=0 tool
    mkdir -p "$bin"
    for tool in bash dirname; do ln -sf "$(command -v "$tool")" "$bin/$tool"; done
    out="$(PATH="$bin" "$bin/bash" "$KIND_E2E" 2>&1)" || status=$?
    ((status == 2)) || bad "exit status $status, want 2: $out" || return
    [[ "$out" == *"missing on PATH: docker kind kubectl"* ]] || bad "message does not name the tools: $out"
}

shellcheck_kit() {
    have shellcheck || skip "shellcheck not installed" || return
    shellcheck "$KIND_E2E" "$RENDER" "$AGENT" "${BASH_SOURCE[0]}" >"$work/shellcheck.out" 2>&1 \
        || bad "$(head -n 5 "$work/shellcheck.out" | tr '\n' ' ')"
}

# ================================================================================================
have python3 && python3 -c 'import yaml' 2>/dev/null && yaml_ok=true || yaml_ok=false
if $yaml_ok; then
    yaml_checks || true
    for name in yaml-parse yaml-cluster yaml-rbac yaml-daemonset; do
        run_case "$name" yaml_case "$name"
    done
else
    for name in yaml-parse yaml-cluster yaml-rbac yaml-daemonset; do
        echo "E2E SKIP $name: needs python3 with the yaml module (python3-yaml)"
    done
fi

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
