#!/usr/bin/env python3
"""The kind kit's manifests, checked for what kind and Kubernetes need (the kind-kit suite's yaml-* cases).

Usage: check-manifests.py KIND_DIR ROOT_DOCKERFILE KIND_SCRIPTS_DIR E2E_IMAGE

Prints one line per case, "<case>\t<problems joined by '; '>" (nothing after the tab: the case passes).
E2E_IMAGE is the image scripts/kind-e2e.sh builds and loads; the manifest must run that one.
"""
import glob
import ipaddress
import os
import sys

import yaml


def load_documents(kind_dir):
    """Every document of every KIND_DIR/*.yaml as (where, doc), and what is wrong with their form."""
    docs, problems = [], []
    files = sorted(glob.glob(os.path.join(kind_dir, "*.yaml")))
    if not files:
        problems.append("no YAML in " + kind_dir)
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                for i, doc in enumerate(yaml.safe_load_all(f)):
                    where = "%s#%d" % (os.path.basename(path), i)
                    if not isinstance(doc, dict):
                        problems.append(where + ": not a mapping")
                        continue
                    for key in ("apiVersion", "kind"):
                        if not doc.get(key):
                            problems.append(where + ": no " + key)
                    # kind's Cluster config is not a Kubernetes object: it has no metadata.
                    if not doc.get("apiVersion", "").startswith("kind.x-k8s.io/") \
                            and not (doc.get("metadata") or {}).get("name"):
                        problems.append(where + ": no metadata.name")
                    docs.append((where, doc))
        except yaml.YAMLError as e:
            problems.append("%s: %s" % (os.path.basename(path), str(e).replace("\n", " ")))
    return [doc for _, doc in docs], problems


def of_kind(docs, kind):
    return [d for d in docs if d.get("kind") == kind]


def check_cluster(docs):
    """kindnet off, the pod subnet kind hands out as node.spec.podCIDR, two roles."""
    p = []
    clusters = of_kind(docs, "Cluster")
    if len(clusters) != 1:
        return ["expected one kind Cluster, found %d" % len(clusters)]
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
    return p


def namespaces_and_accounts(docs):
    namespaces = {(d.get("metadata") or {}).get("name") for d in of_kind(docs, "Namespace")}
    accounts = {(d["metadata"].get("namespace"), d["metadata"]["name"]) for d in of_kind(docs, "ServiceAccount")}
    return namespaces, accounts


def check_rbac(docs):
    """The agent's service account may get/list/watch nodes, and is bound to that role."""
    p = []
    namespaces, accounts = namespaces_and_accounts(docs)
    roles = {d["metadata"]["name"]: d for d in of_kind(docs, "ClusterRole")}
    for ns, _ in accounts:
        if ns not in namespaces:
            p.append("ServiceAccount namespace %r is not created here" % ns)
    for name, role in roles.items():
        ok = any("" in (r.get("apiGroups") or []) and "nodes" in (r.get("resources") or [])
                 and {"get", "list", "watch"} <= set(r.get("verbs") or []) for r in role.get("rules") or [])
        if not ok:
            p.append("ClusterRole %s does not allow get/list/watch on nodes" % name)
    bindings = of_kind(docs, "ClusterRoleBinding")
    if not bindings:
        p.append("no ClusterRoleBinding")
    for b in bindings:
        ref = b.get("roleRef") or {}
        if ref.get("kind") != "ClusterRole" or ref.get("name") not in roles:
            p.append("ClusterRoleBinding %s refers to a missing ClusterRole" % b["metadata"]["name"])
        for s in b.get("subjects") or []:
            if s.get("kind") != "ServiceAccount" or (s.get("namespace"), s.get("name")) not in accounts:
                p.append("ClusterRoleBinding subject %r is not a ServiceAccount defined here" % s)
    return p


def check_daemonset(docs, kind_dir, root_dockerfile, scripts_dir, e2e_image):
    """Runs before the pod network exists, on every node, with the host dirs it writes."""
    p = []
    daemonsets = of_kind(docs, "DaemonSet")
    if len(daemonsets) != 1:
        return ["expected one DaemonSet, found %d" % len(daemonsets)]
    namespaces, accounts = namespaces_and_accounts(docs)
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
    p += check_commands(init, main, kind_dir, root_dockerfile, scripts_dir)
    return p


def check_commands(init, main, kind_dir, root_dockerfile, scripts_dir):
    """The containers' commands exist in the image the two Dockerfiles build."""
    p = []
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
        script = os.path.basename(cmd)
        if not (cmd.startswith("/opt/cnisharp/kind/") and "scripts/kind/" + script in kind_df
                and os.path.exists(os.path.join(scripts_dir, script))):
            p.append("agent command %r is not a script of scripts/kind that conf/kind/Dockerfile copies"
                     " to /opt/cnisharp/kind/" % cmd)
    return p


def main(kind_dir, root_dockerfile, scripts_dir, e2e_image):
    docs, parse_problems = load_documents(kind_dir)
    results = {
        "yaml-parse": parse_problems,
        "yaml-cluster": check_cluster(docs),
        "yaml-rbac": check_rbac(docs),
        "yaml-daemonset": check_daemonset(docs, kind_dir, root_dockerfile, scripts_dir, e2e_image),
    }
    for name, problems in results.items():
        print(name + "\t" + "; ".join(problems))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
