"""A small libcni for the scripts: run a conflist's plugins the way a container runtime does.

A runtime never hands the conflist itself to a plugin. For each plugin it builds one config (libcni's
buildOneConfig): the plugin's own object plus the list's "name" and "cniVersion", "runtimeConfig"
holding only the capability args the plugin declares true in "capabilities", and "prevResult". It
runs the executable named by "type" from CNI_PATH with the CNI_* variables and that config on stdin.

  ADD      in list order, each plugin with the previous one's result; the last result is the list's
  CHECK    in list order, each with the cached ADD result (0.4.0+; "disableCheck": nothing runs)
  DEL      in reverse order, each with the cached ADD result (lists older than 0.4.0 get none)
  GC       every plugin, no container, with "cni.dev/valid-attachments" (1.1.0+; "disableGC": nothing)
  STATUS   every plugin, no container, up to the first that is not ready (1.1.0+)
  VERSION  every plugin: the spec versions all of them speak

Used by scripts/bench.py (through bench_chain.py) and, as a command (cnilib_cli.py), by the demo and
the end-to-end suites. Its test-side twin is tests/CniSharp.IntegrationTests/Infrastructure/ChainRunner.cs.
"""
import collections
import ipaddress
import json
import os
import subprocess
import time

BASE_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"  # plugins get this PATH, not the caller's (portmap needs iptables)

# What one plugin run gave back. A launcher that can measure them fills in time and peak RSS.
Exec = collections.namedtuple("Exec", "code stdout stderr elapsed_ns maxrss_kib", defaults=(0, 0))


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def version_key(version):
    return tuple(int(part) for part in version.split("."))


def at_least(version, floor):
    return version_key(version) >= version_key(floor)


class CniError(RuntimeError):
    """A plugin failed, or could not be run. code and msg come from its error JSON (None and "" without)."""

    def __init__(self, what, exit_code=None, stdout="", stderr=""):
        self.what, self.exit_code, self.stdout, self.stderr = what, exit_code, stdout, stderr
        self.code, self.msg = None, ""
        try:
            err = json.loads(stdout)
            self.code, self.msg = err.get("code"), err.get("msg", "")
        except (ValueError, AttributeError):
            pass
        detail = "" if exit_code is None else f" exited {exit_code}\nstdout: {stdout}\nstderr: {stderr}"
        super().__init__(what + detail)


def spawn(exe, env, stdin_text, _label):
    """The default launcher: one subprocess, timed by the clock (no RSS)."""
    start = time.monotonic_ns()
    done = subprocess.run([exe], input=stdin_text, env=env, capture_output=True, check=False,
                          encoding="utf-8", errors="replace")
    return Exec(done.returncode, done.stdout, done.stderr, time.monotonic_ns() - start)


def find_plugin(plugin_type, cni_path):
    for directory in cni_path.split(":"):
        path = os.path.join(directory, plugin_type)
        if directory and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise CniError(f"plugin {plugin_type!r} not found in CNI_PATH {cni_path}")


class Attachment:
    """libcni's RuntimeConf for one container interface, and the ADD result a runtime caches for it."""

    def __init__(self, container_id, netns, ifname="eth0", cni_args="", capability_args=None, result=None):
        self.container_id, self.netns, self.ifname = container_id, netns, ifname
        self.cni_args, self.capability_args = cni_args, capability_args or {}
        self.result = result


class Chain:
    """One conflist, with the CNI_PATH its plugins come from.

    spawn(exe, env, stdin_text, label) runs one plugin and returns an Exec (the benchmark's launcher
    measures time and RSS). env is added to every plugin's environment. plugin_versions maps a plugin
    type to the cniVersion it gets instead of the list's: for a plugin older than the list, as Debian's
    portmap (up to 1.0.0) in a 1.1.0 list. Such a plugin gets no GC or STATUS (they came with 1.1.0).
    label starts every error message (default: the network name).
    """

    def __init__(self, conflist, cni_path, spawn=spawn, env=None, plugin_versions=None, label=None):
        self.conflist, self.cni_path, self.spawn = conflist, cni_path, spawn
        self.name, self.cni_version, self.plugins = conflist["name"], conflist["cniVersion"], conflist["plugins"]
        self.env, self.plugin_versions = dict(env or {}), dict(plugin_versions or {})
        self.label = label or self.name

    def version_of(self, index):
        return self.plugin_versions.get(self.plugins[index]["type"], self.cni_version)

    def bare_config(self, index):
        """The plugin's object with the list's name and version: what GC and STATUS send."""
        return dict(self.plugins[index], name=self.name, cniVersion=self.version_of(index))

    def config(self, index, prev_result=None, capability_args=None):
        """The plugin's config as libcni's buildOneConfig makes it."""
        conf = self.bare_config(index)
        if prev_result is not None:
            # Relabelled, not converted: versions differ only under plugin_versions (1.0.0 and 1.1.0
            # results have one shape), and a plugin refuses a prevResult newer than it speaks.
            conf["prevResult"] = dict(prev_result, cniVersion=conf["cniVersion"])
        declared = {name for name, on in (conf.get("capabilities") or {}).items() if on}
        runtime = {name: value for name, value in (capability_args or {}).items() if name in declared}
        if runtime:
            conf["runtimeConfig"] = runtime
        return conf

    def invoke(self, index, verb, conf, attachment=None):
        """Runs plugin INDEX once; returns its Exec, raises CniError unless it exited 0."""
        plugin_type = self.plugins[index]["type"]
        att = attachment or Attachment("", "", ifname="")
        env = {"PATH": BASE_PATH, **self.env,
               "CNI_COMMAND": verb, "CNI_CONTAINERID": att.container_id, "CNI_NETNS": att.netns,
               "CNI_IFNAME": att.ifname, "CNI_ARGS": att.cni_args, "CNI_PATH": self.cni_path}
        ran = self.spawn(find_plugin(plugin_type, self.cni_path), env, json.dumps(conf),
                         f"{att.container_id or verb.lower()}.{index}")
        if ran.code != 0:
            whom = f" for {att.container_id}" if att.container_id else ""
            raise CniError(f"{self.label}: {plugin_type} {verb}{whom}", ran.code, ran.stdout, ran.stderr)
        return ran

    def add(self, att):
        """ADD; the last plugin's result is cached on att. Returns every plugin's Exec."""
        steps, prev = [], None
        for index in range(len(self.plugins)):
            ran = self.invoke(index, "ADD", self.config(index, prev, att.capability_args), att)
            steps.append(ran)
            try:
                prev = json.loads(ran.stdout)
            except ValueError:
                raise CniError(f"{self.label}: {self.plugins[index]['type']} ADD for {att.container_id}"
                               f" exited 0 but printed no result JSON: {ran.stdout!r}") from None
        att.result = prev
        return steps

    def check(self, att):
        if not at_least(self.cni_version, "0.4.0"):
            raise CniError(f"{self.label}: CHECK needs cniVersion 0.4.0 or newer, the list has {self.cni_version}")
        if self.conflist.get("disableCheck"):
            return []
        if att.result is None:
            raise CniError(f"{self.label}: no cached ADD result for {att.container_id} to CHECK against")
        return [self.invoke(i, "CHECK", self.config(i, att.result, att.capability_args), att)
                for i in range(len(self.plugins))]

    def delete(self, att):
        """DEL, newest plugin first. The cached result stays on att: the caller owns the cache."""
        prev = att.result if at_least(self.cni_version, "0.4.0") else None
        return [self.invoke(i, "DEL", self.config(i, prev, att.capability_args), att)
                for i in reversed(range(len(self.plugins)))]

    def gc(self, valid_attachments):
        """GC with the (container ID, ifname) pairs still in use. Every plugin runs, failures are joined."""
        if self.conflist.get("disableGC") or not at_least(self.cni_version, "1.1.0"):
            return []
        valid = [{"containerID": cid, "ifname": ifname} for cid, ifname in valid_attachments]
        steps, errors = [], []
        for index in self.indexes_at_least("1.1.0"):
            # Both spellings: the spec named the key "cni.dev/attachments" at first (libcni #1101).
            conf = dict(self.bare_config(index), **{"cni.dev/valid-attachments": valid, "cni.dev/attachments": valid})
            try:
                steps.append(self.invoke(index, "GC", conf))
            except CniError as e:
                errors.append(e)
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise CniError("\n".join(str(e) for e in errors))
        return steps

    def status(self):
        if not at_least(self.cni_version, "1.1.0"):
            return []
        return [self.invoke(i, "STATUS", self.bare_config(i)) for i in self.indexes_at_least("1.1.0")]

    def versions(self):
        """The spec versions every plugin of the list supports, oldest first."""
        common = None
        for index in range(len(self.plugins)):
            ran = self.invoke(index, "VERSION", {"cniVersion": self.version_of(index)})
            supported = set(json.loads(ran.stdout).get("supportedVersions", []))
            common = supported if common is None else common & supported
        return sorted(common or (), key=version_key)

    def indexes_at_least(self, version):
        return [i for i in range(len(self.plugins)) if at_least(self.version_of(i), version)]


# ---- results ------------------------------------------------------------------------------------
def result_of(doc):
    """A result, from a plugin's output or from libcni's cache file (podman's /var/lib/cni/results)."""
    return doc["result"] if doc.get("kind") == "cniCacheV1" else doc


def addresses(result, family):
    """The result's addresses of one IP version (4 or 6), as ipaddress interfaces, with their gateways."""
    for ip in result.get("ips", []):
        iface = ipaddress.ip_interface(ip["address"])
        if iface.version == int(family):
            yield iface, ip.get("gateway", "")


def interfaces(result, sandboxed):
    """Names of the interfaces inside a sandbox (sandboxed) or on the host (not sandboxed)."""
    return [i["name"] for i in result.get("interfaces", []) if bool(i.get("sandbox")) == sandboxed]
