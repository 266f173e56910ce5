"""What a runtime does with a conflist, for the benchmark: run each plugin as libcni does.

ADD runs the plugins in order, each with the previous plugin's result as "prevResult"; DEL runs
them in reverse, each with the list's cached ADD result as "prevResult". Every plugin gets the
list's cniVersion and name, and "runtimeConfig" holds only the capabilities it declares. Each
exec goes through spawn-measure (see spawn-measure.c), which times it from fork to wait4 and
reports its peak RSS; a chain's time is the sum of its execs and its RSS the largest of them.
"""
import json
import os
import shutil
import subprocess
import threading

CNI_VERSION = "1.0.0"  # the highest version both CniSharp and Debian's reference plugins (1.1.1) speak


class CniError(RuntimeError):
    """A plugin exited non-zero; code is the CNI error code from its JSON (None when unparsable)."""

    def __init__(self, what, exit_code, stdout, stderr):
        self.code, self.msg = None, ""
        try:
            err = json.loads(stdout)
            self.code, self.msg = err.get("code"), err.get("msg", "")
        except (ValueError, AttributeError):
            pass
        super().__init__(f"{what} exited {exit_code}\nstdout: {stdout}\nstderr: {stderr}")


class Launcher:
    """Compiles spawn-measure once and runs plugins through it."""

    def __init__(self, work_dir):
        self.io_dir = os.path.join(work_dir, "io")
        os.makedirs(self.io_dir)
        self.exe = os.path.join(work_dir, "spawn-measure")
        source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "spawn-measure.c")
        cc = shutil.which("cc") or shutil.which("gcc")
        if cc is None:
            raise SystemExit("bench: no C compiler (cc/gcc) to build the spawn-measure launcher")
        subprocess.run([cc, "-O2", "-o", self.exe, source], check=True)

    def run(self, exe, env, stdin_text, io_name):
        """Runs exe; returns (exit code, elapsed ns, peak RSS KiB, stdout, stderr)."""
        base = os.path.join(self.io_dir, io_name)
        paths = [base + ".in", base + ".out", base + ".err"]
        with open(paths[0], "w", encoding="utf-8") as f:
            f.write(stdin_text)
        measured = subprocess.run([self.exe, *paths, exe], env=env, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, text=True, check=True)
        code, elapsed_ns, maxrss_kib = (int(v) for v in measured.stdout.split())
        with open(paths[1], encoding="utf-8", errors="replace") as f:
            out = f.read()
        with open(paths[2], encoding="utf-8", errors="replace") as f:
            err = f.read()
        for path in paths:
            os.unlink(path)
        return code, elapsed_ns, maxrss_kib, out, err


class Network:
    """One conflist of one implementation, with the host objects it owns (bridge, data dirs)."""

    def __init__(self, impl, variant, conflist, cni_path, bridge, data_dir):
        self.impl, self.variant, self.conflist = impl, variant, conflist
        self.cni_path, self.bridge, self.data_dir = cni_path, bridge, data_dir
        self.name = conflist["name"]

    def exe(self, plugin_type):
        for d in self.cni_path.split(":"):
            path = os.path.join(d, plugin_type)
            if os.access(path, os.X_OK):
                return path
        raise RuntimeError(f"plugin {plugin_type!r} not found in {self.cni_path}")

    def ip_reservations(self):
        """host-local's reservation files left in the data dir (its lock and cursor files excluded)."""
        store = os.path.join(self.data_dir, self.name)
        if not os.path.isdir(store):
            return []
        return [e for e in os.listdir(store) if e != "lock" and not e.startswith("last_reserved_ip")]


class Pod:
    """A container attachment: its namespace (also its container ID) and per-pod runtime config."""

    def __init__(self, netns, runtime_config=None):
        self.netns, self.runtime_config = netns, runtime_config or {}
        self.result = None  # cached ADD result of the whole chain, for DEL


class ChainRunner:
    def __init__(self, launcher):
        self.launcher = launcher
        self.attached = {}  # (network name, netns) -> (network, pod): what cleanup must DEL
        self.lock = threading.Lock()

    @staticmethod
    def plugin_config(network, index, pod, prev_result):
        conf = dict(network.conflist["plugins"][index])
        conf["cniVersion"] = network.conflist["cniVersion"]
        conf["name"] = network.name
        wanted = {k for k, on in conf.pop("capabilities", {}).items() if on}
        runtime = {k: v for k, v in pod.runtime_config.items() if k in wanted}
        if runtime:
            conf["runtimeConfig"] = runtime
        if prev_result is not None:
            conf["prevResult"] = prev_result
        return conf

    def exec_step(self, network, index, verb, pod, prev_result):
        conf = self.plugin_config(network, index, pod, prev_result)
        env = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "CNI_COMMAND": verb,
            "CNI_CONTAINERID": pod.netns,
            "CNI_NETNS": f"/var/run/netns/{pod.netns}",
            "CNI_IFNAME": "eth0",
            "CNI_PATH": network.cni_path,
        }
        code, elapsed, rss, out, err = self.launcher.run(network.exe(conf["type"]), env, json.dumps(conf),
                                                         f"{pod.netns}.{index}")
        if code != 0:
            raise CniError(f"{network.impl} {network.variant} {conf['type']} {verb} for {pod.netns}", code, out, err)
        return elapsed, rss, out

    def add(self, network, pod):
        """Runs the chain's ADD; returns (total ns, peak RSS KiB) and caches the result on the pod."""
        total, peak, prev = 0, 0, None
        with self.lock:
            self.attached[(network.name, pod.netns)] = (network, pod)
        for index in range(len(network.conflist["plugins"])):
            elapsed, rss, out = self.exec_step(network, index, "ADD", pod, prev)
            total, peak = total + elapsed, max(peak, rss)
            try:
                prev = json.loads(out)
            except ValueError:
                raise RuntimeError(f"{network.impl} {network.variant} ADD step {index} for {pod.netns}"
                                   f" exited 0 but printed no result JSON: {out!r}")
        pod.result = prev
        return total, peak

    def delete(self, network, pod):
        """Runs the chain's DEL (reverse order, cached result as prevResult); returns (total ns, peak RSS KiB)."""
        total, peak = 0, 0
        try:
            for index in reversed(range(len(network.conflist["plugins"]))):
                elapsed, rss, _ = self.exec_step(network, index, "DEL", pod, pod.result)
                total, peak = total + elapsed, max(peak, rss)
        finally:
            with self.lock:  # one DEL attempt only: a failing DEL is reported, not retried
                self.attached.pop((network.name, pod.netns), None)
        return total, peak

    def delete_all_attached(self):
        """Best-effort DEL of everything still attached (after a failure or a signal)."""
        for network, pod in list(self.attached.values()):
            try:
                self.delete(network, pod)
            except (RuntimeError, OSError) as e:
                print(f"bench: cleanup DEL failed for {pod.netns}: {e}")
