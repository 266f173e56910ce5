#!/usr/bin/env python3
"""CNI ADD/DEL latency and peak-RSS benchmark driver (used by scripts/bench.sh; needs root).

For each plugin under test: create N (+ warm-up) network namespaces (not timed), then run N
sequential raw-protocol ADDs, one per namespace, then N DELs. Each exec goes through
scripts/lib/spawn-measure.c (compiled here with cc), which times it from just before fork()
to just after wait4() and reports wait4()'s ru_maxrss: the peak RSS (KiB) of the plugin and
of any child it waited for (the reference bridge execs host-local). A small C launcher is
used because the kernel folds the pre-exec address space's peak into ru_maxrss, so children
spawned straight from Python would all report at least Python's RSS.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile

CNI_VERSION = "1.0.0"  # the highest version both CniSharp and Debian's reference plugins (1.1.1) speak


def sh(*argv, check=True):
    return subprocess.run(argv, check=check, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def link_exists(name):
    return sh("ip", "link", "show", "dev", name, check=False).returncode == 0


class Plugin:
    def __init__(self, tag, label, exe, cni_path, ipam_type, bridge, subnet, data_dir, net_name):
        self.tag, self.label, self.exe, self.cni_path = tag, label, exe, cni_path
        self.bridge, self.data_dir = bridge, data_dir
        self.config = {
            "cniVersion": CNI_VERSION,
            "name": net_name,
            "type": os.path.basename(exe),
            "bridge": bridge,
            "isGateway": True,
            "ipMasq": False,
            "ipam": {
                "type": ipam_type,
                "ranges": [[{"subnet": subnet}]],
                "dataDir": data_dir,
            },
        }


class Bench:
    def __init__(self, args):
        self.args = args
        self.run_id = args.run_id
        self.work = tempfile.mkdtemp(prefix="cnisharp-bench.")
        self.namespaces = []
        self.bridges = []
        self.saved_sysctls = {}
        self.launcher = os.path.join(self.work, "spawn-measure")
        source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib", "spawn-measure.c")
        cc = shutil.which("cc") or shutil.which("gcc")
        if cc is None:
            raise SystemExit("bench: no C compiler (cc/gcc) to build the spawn-measure launcher")
        sh(cc, "-O2", "-o", self.launcher, source)
        for path in ("/proc/sys/net/ipv4/ip_forward", "/proc/sys/net/ipv6/conf/all/forwarding"):
            try:
                with open(path) as f:
                    self.saved_sysctls[path] = f.read().strip()
            except OSError:
                pass

    # ---- process execution ----------------------------------------------------------------
    def exec_plugin(self, plugin, verb, ns, stdin_path, out_path, err_path):
        env = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "CNI_COMMAND": verb,
            "CNI_CONTAINERID": ns,
            "CNI_NETNS": f"/var/run/netns/{ns}",
            "CNI_IFNAME": "eth0",
            "CNI_PATH": plugin.cni_path,
        }
        measured = subprocess.run([self.launcher, stdin_path, out_path, err_path, plugin.exe],
                                  env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True,
                                  check=True)
        code, elapsed_ns, maxrss_kib = (int(v) for v in measured.stdout.split())
        return code, elapsed_ns, maxrss_kib

    def run_verb(self, plugin, verb, ns, stdin_path):
        out_path = os.path.join(self.work, f"{plugin.tag}.out")
        err_path = os.path.join(self.work, f"{plugin.tag}.err")
        code, elapsed, rss = self.exec_plugin(plugin, verb, ns, stdin_path, out_path, err_path)
        with open(out_path, encoding="utf-8", errors="replace") as f:
            out = f.read()
        if code != 0:
            with open(err_path, encoding="utf-8", errors="replace") as f:
                err = f.read()
            raise RuntimeError(f"{plugin.label} {verb} for {ns} exited {code}\nstdout: {out}\nstderr: {err}")
        if verb == "ADD":
            try:
                result = json.loads(out)
            except ValueError:
                raise RuntimeError(f"{plugin.label} ADD for {ns} exited 0 but printed no result JSON: {out!r}")
            if not result.get("ips"):
                raise RuntimeError(f"{plugin.label} ADD for {ns} returned no IPs: {out}")
        return elapsed, rss

    # ---- one plugin -------------------------------------------------------------------------
    def bench_plugin(self, plugin):
        n, warmup = self.args.n, self.args.warmup
        print(f"bench: {plugin.label}: creating {n + warmup} namespaces (not timed)", flush=True)
        names = [f"cnibench-{self.run_id}-{plugin.tag}-{i}" for i in range(n + warmup)]
        for ns in names:
            sh("ip", "netns", "add", ns)
            self.namespaces.append(ns)
        self.bridges.append(plugin.bridge)

        add_conf = os.path.join(self.work, f"{plugin.tag}.json")
        with open(add_conf, "w", encoding="utf-8") as f:
            json.dump(plugin.config, f)

        for ns in names[:warmup]:
            self.run_verb(plugin, "ADD", ns, add_conf)
            self.run_verb(plugin, "DEL", ns, add_conf)

        samples = {"ADD": [], "DEL": []}
        print(f"bench: {plugin.label}: {n} x ADD", flush=True)
        for ns in names[warmup:]:
            samples["ADD"].append(self.run_verb(plugin, "ADD", ns, add_conf))
        print(f"bench: {plugin.label}: {n} x DEL", flush=True)
        for ns in names[warmup:]:
            samples["DEL"].append(self.run_verb(plugin, "DEL", ns, add_conf))

        leftovers = [e for e in os.listdir(os.path.join(plugin.data_dir, plugin.config["name"]))
                     if e != "lock" and not e.startswith("last_reserved_ip")]
        if leftovers:
            raise RuntimeError(f"{plugin.label}: {len(leftovers)} IP reservations left after DEL")

        for ns in names:
            self.delete_namespace(ns)
        self.delete_bridge(plugin.bridge)
        return samples

    # ---- cleanup ----------------------------------------------------------------------------
    def delete_namespace(self, ns):
        sh("ip", "netns", "del", ns, check=False)
        if ns in self.namespaces:
            self.namespaces.remove(ns)

    def delete_bridge(self, name):
        if link_exists(name):
            sh("ip", "link", "del", "dev", name, check=False)
        if name in self.bridges:
            self.bridges.remove(name)

    def cleanup(self):
        for ns in list(self.namespaces):
            self.delete_namespace(ns)
        for br in list(self.bridges):
            self.delete_bridge(br)
        shutil.rmtree(self.work, ignore_errors=True)
        for path, value in self.saved_sysctls.items():
            try:
                with open(path) as f:
                    current = f.read().strip()
                if current != value:
                    with open(path, "w") as f:
                        f.write(value)
                    print(f"bench: restored {path}={value}")
            except OSError:
                pass


def percentile(values, p):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100)
    return ordered[int(rank) - 1]


def summarize(label, verb, samples):
    times_ms = [ns / 1e6 for ns, _ in samples]
    rss = [kib for _, kib in samples]
    return {
        "plugin": label,
        "verb": verb,
        "n": len(samples),
        "median_ms": round(statistics.median(times_ms), 3),
        "p90_ms": round(percentile(times_ms, 90), 3),
        "mean_ms": round(statistics.fmean(times_ms), 3),
        "min_ms": round(min(times_ms), 3),
        "max_ms": round(max(times_ms), 3),
        "median_rss_kib": int(statistics.median(rss)),
        "max_rss_kib": max(rss),
    }


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin-dir", required=True, help="CniSharp CNI bin dir (cnisharp-bridge, ...)")
    parser.add_argument("--ref-dir", default="/usr/lib/cni", help="reference plugins dir [/usr/lib/cni]")
    parser.add_argument("--no-reference", action="store_true", help="benchmark CniSharp only")
    parser.add_argument("-n", type=int, default=200, help="ADDs and DELs per plugin [200]")
    parser.add_argument("--warmup", type=int, default=3, help="untimed ADD/DEL pairs first [3]")
    parser.add_argument("--out", required=True, help="results JSON path")
    parser.add_argument("--run-id", default=str(os.getpid()), help="suffix for namespace and bridge names")
    args = parser.parse_args()
    if not 1 <= args.n <= 60000:
        parser.error("-n must be between 1 and 60000")
    if args.warmup < 0:
        parser.error("--warmup must be >= 0")
    if os.geteuid() != 0:
        parser.error("needs root (creates network namespaces and bridges)")

    rid = args.run_id
    bench = Bench(args)
    plugins = [Plugin("s", "cnisharp", os.path.join(args.bin_dir, "cnisharp-bridge"), args.bin_dir,
                      "cnisharp-host-local", f"cnibs{rid}"[:15], "10.98.0.0/16",
                      os.path.join(bench.work, "ipam-cnisharp"), f"cnibench-cnisharp-{rid}")]
    ref_bridge = os.path.join(args.ref_dir, "bridge")
    if args.no_reference:
        print("bench: --no-reference: reference plugins skipped")
    elif os.access(ref_bridge, os.X_OK) and os.access(os.path.join(args.ref_dir, "host-local"), os.X_OK):
        plugins.append(Plugin("r", "reference", ref_bridge, args.ref_dir, "host-local",
                              f"cnibr{rid}"[:15], "10.97.0.0/16",
                              os.path.join(bench.work, "ipam-reference"), f"cnibench-reference-{rid}"))
    else:
        print(f"bench: reference bridge/host-local not found in {args.ref_dir}: benchmarking CniSharp only"
              " (install containernetworking-plugins)")

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, on_signal)

    results = []
    try:
        for plugin in plugins:
            samples = bench.bench_plugin(plugin)
            results += [summarize(plugin.label, verb, samples[verb]) for verb in ("ADD", "DEL")]
    except RuntimeError as e:
        print(f"bench: FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        bench.cleanup()

    header = f"{'plugin':<10} {'verb':<4} {'n':>6} {'median ms':>10} {'p90 ms':>8} {'max ms':>8} {'max RSS KiB':>12}"
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['plugin']:<10} {r['verb']:<4} {r['n']:>6} {r['median_ms']:>10.3f} {r['p90_ms']:>8.3f}"
              f" {r['max_ms']:>8.3f} {r['max_rss_kib']:>12}")

    report = {
        "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "host": {"kernel": platform.release(), "machine": platform.machine(), "cpu": cpu_model(),
                 "cpus": os.cpu_count()},
        "method": "sequential raw CNI execs through a C launcher: wall time from fork to wait4;"
                  " ru_maxrss from wait4 (peak of the plugin and the children it waited for;"
                  " the launcher's own ~1 MiB pre-exec footprint is the floor)",
        "n": args.n,
        "warmup": args.warmup,
        "configs": {p.label: {"exe": p.exe, "exe_bytes": os.path.getsize(os.path.realpath(p.exe)),
                              "config": p.config} for p in plugins},
        "results": results,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print(f"\nbench: results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
