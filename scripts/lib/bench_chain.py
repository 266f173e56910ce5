"""The benchmark's chains: cnilib.py runs them as libcni does, each exec timed by spawn-measure.

spawn-measure (see spawn-measure.c) times an exec from fork to wait4 and reports its peak RSS; a
chain's time is the sum of its execs and its RSS the largest of them. ChainRunner remembers what is
attached, so that a failed or interrupted run can still DEL it.
"""
import os
import shutil
import subprocess
import threading

import cnilib

CNI_VERSION = "1.0.0"  # the highest version both CniSharp and Debian's reference plugins (1.1.1) speak


class Launcher:
    """Compiles spawn-measure once and runs plugins through it (cnilib's spawn)."""

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
        return cnilib.Exec(code, out, err, elapsed_ns, maxrss_kib)


class Network(cnilib.Chain):
    """One conflist of one implementation, with the host objects it owns (bridge, data dirs)."""

    def __init__(self, impl, variant, conflist, cni_path, bridge, data_dir, launcher):
        super().__init__(conflist, cni_path, spawn=launcher.run, label=f"{impl} {variant}")
        self.impl, self.variant, self.bridge, self.data_dir = impl, variant, bridge, data_dir

    def ip_reservations(self):
        """host-local's reservation files left in the data dir (its lock and cursor files excluded)."""
        store = os.path.join(self.data_dir, self.name)
        if not os.path.isdir(store):
            return []
        return [e for e in os.listdir(store) if e != "lock" and not e.startswith("last_reserved_ip")]


class Pod(cnilib.Attachment):
    """A pod: a namespace whose name is also the container ID, and its runtime config (capability args)."""

    def __init__(self, name, runtime_config=None):
        super().__init__(name, f"/var/run/netns/{name}", capability_args=runtime_config)
        self.name = name


def measured(steps):
    """A chain's cost: (sum of its execs' ns, largest peak RSS KiB among them)."""
    return sum(s.elapsed_ns for s in steps), max(s.maxrss_kib for s in steps)


class ChainRunner:
    def __init__(self):
        self.attached = {}  # (network name, pod name) -> (network, pod): what cleanup must DEL
        self.lock = threading.Lock()

    def add(self, network, pod):
        """Runs the chain's ADD; returns (total ns, peak RSS KiB); the result is cached on the pod."""
        with self.lock:
            self.attached[(network.name, pod.name)] = (network, pod)
        return measured(network.add(pod))

    def delete(self, network, pod):
        """Runs the chain's DEL (reverse order, cached result as prevResult); returns (total ns, peak RSS KiB)."""
        try:
            return measured(network.delete(pod))
        finally:
            with self.lock:  # one DEL attempt only: a failing DEL is reported, not retried
                self.attached.pop((network.name, pod.name), None)

    def delete_all_attached(self):
        """Best-effort DEL of everything still attached (after a failure or a signal)."""
        for network, pod in list(self.attached.values()):
            try:
                self.delete(network, pod)
            except (RuntimeError, OSError) as e:
                print(f"bench: cleanup DEL failed for {pod.name}: {e}")
