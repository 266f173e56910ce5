#!/usr/bin/env python3
"""CNI benchmark driver: CniSharp against the reference plugins (used by scripts/bench.sh; needs root).

For each variant (ipv4, ipv4-masq, portmap, dual-stack) and implementation (cnisharp, reference):
  * sequential: N ADDs of the whole chain, each into its own namespace created beforehand (not
    timed), then N DELs; median, p90 and peak RSS per verb;
  * bursts: P pods ADDed by K workers at once (wall time of the burst), then DELed the same way.
The two implementations alternate in blocks of pods (and burst by burst), swapping who goes first,
so machine noise hits both alike while no measured exec follows the other side's directly. Chains run as
libcni runs them (scripts/lib/cnilib.py), each exec timed by scripts/lib/spawn-measure.c (bench_chain.py).
Writes results JSON; bench_report.py renders it.
"""
import argparse
import concurrent.futures
import datetime
import ipaddress
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from bench_chain import CNI_VERSION, ChainRunner, Launcher, Pod  # noqa: E402
from cnilib import CniError  # noqa: E402
from bench_variants import (ALL_VARIANTS, IMPL_TAGS, VARIANT_TAGS, VARIANTS, RuntimeConfigs,  # noqa: E402
                            build_network, expected_families, implementations)

SYSCTLS = ("/proc/sys/net/ipv4/ip_forward", "/proc/sys/net/ipv6/conf/all/forwarding")


def sh(*argv, check=True, stdin_text=None):
    return subprocess.run(argv, check=check, input=stdin_text, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)


def percentile(values, p):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100)
    return ordered[int(rank) - 1]


def summarize(samples):
    times_ms = [ns / 1e6 for ns, _ in samples]
    rss = [kib for _, kib in samples]
    return {
        "n": len(samples),
        "median_ms": round(statistics.median(times_ms), 3),
        "p90_ms": round(percentile(times_ms, 90), 3),
        "mean_ms": round(statistics.fmean(times_ms), 3),
        "min_ms": round(min(times_ms), 3),
        "max_ms": round(max(times_ms), 3),
        "median_rss_kib": int(statistics.median(rss)),
        "max_rss_kib": max(rss),
    }


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="cnisharp-bench.")
        self.launcher = Launcher(self.work)
        self.runner = ChainRunner()
        self.runtime_configs = RuntimeConfigs()
        self.namespaces = set()
        self.bridges = set()
        self.saved_sysctls = {}
        for path in SYSCTLS:
            try:
                with open(path) as f:
                    self.saved_sysctls[path] = f.read().strip()
            except OSError:
                pass

    # ---- host objects -------------------------------------------------------------------------
    def create_pods(self, network, label, count):
        """count fresh namespaces (one `ip -batch`, not timed) and their pods."""
        names = [f"cnibench-{self.args.run_id}-{VARIANT_TAGS[network.variant]}{IMPL_TAGS[network.impl]}"
                 f"-{label}-{i}" for i in range(count)]
        self.namespaces.update(names)
        sh("ip", "-batch", "-", stdin_text="".join(f"netns add {ns}\n" for ns in names))
        if network.bridge:
            self.bridges.add(network.bridge)
        return [Pod(ns, self.runtime_configs.for_pod(network.variant)) for ns in names]

    def delete_pods(self, pods):
        names = [p.name for p in pods if p.name in self.namespaces]
        if names:
            sh("ip", "-force", "-batch", "-", stdin_text="".join(f"netns del {ns}\n" for ns in names), check=False)
            self.namespaces.difference_update(names)

    def cleanup(self):
        self.runner.delete_all_attached()
        self.delete_pods([Pod(ns) for ns in list(self.namespaces)])
        for br in sorted(self.bridges):
            if sh("ip", "link", "show", "dev", br, check=False).returncode == 0:
                sh("ip", "link", "del", "dev", br, check=False)
        self.bridges.clear()
        subprocess.run(["rm", "-rf", self.work], check=False)
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

    # ---- checks -------------------------------------------------------------------------------
    @staticmethod
    def check_result(network, pod):
        families = {ipaddress.ip_interface(ip["address"]).version for ip in (pod.result or {}).get("ips", [])}
        want = expected_families(network.variant)
        if families != want:
            raise RuntimeError(f"{network.impl} {network.variant} ADD for {pod.name}: result has IP families"
                               f" {sorted(families)}, expected {sorted(want)}: {json.dumps(pod.result)}")

    @staticmethod
    def nat_rules_naming(network):
        """iptables/ip6tables nat lines that carry the network's name (portmap's and ipMasq's comments)."""
        count = 0
        for tool in ("iptables-save", "ip6tables-save"):
            out = sh(tool, "-t", "nat", check=False).stdout
            count += sum(1 for line in out.splitlines() if f'\\"{network.name}\\"' in line)  # escaped quotes
        return count

    def check_attached(self, network):
        if network.variant in ("portmap", "ipv4-masq") and self.nat_rules_naming(network) == 0:
            raise RuntimeError(f"{network.impl} {network.variant}: no iptables nat rule names the network"
                               " after ADD: the chain did not do its work")

    def check_detached(self, network):
        leftovers = network.ip_reservations()
        if leftovers:
            raise RuntimeError(f"{network.impl} {network.variant}: {len(leftovers)} IP reservations left after DEL")
        if network.variant in ("portmap", "ipv4-masq"):
            rules = self.nat_rules_naming(network)
            if rules:
                raise RuntimeError(f"{network.impl} {network.variant}: {rules} iptables nat rules left after DEL")

    # ---- measurements -------------------------------------------------------------------------
    def probe(self, network):
        """None when the network works; the plugin's message when it refuses the config with code 2."""
        pods = self.create_pods(network, "probe", 1)
        try:
            self.runner.add(network, pods[0])
            self.check_result(network, pods[0])
            self.runner.delete(network, pods[0])
            return None
        except CniError as e:
            if e.code != 2:
                raise
            try:
                self.runner.delete(network, pods[0])  # as a runtime does after a failed ADD
            except CniError:
                pass  # a plugin that refuses the config on ADD refuses it on DEL too
            return e.msg
        finally:
            self.delete_pods(pods)

    def sequential(self, networks):
        n, warmup = self.args.n, self.args.warmup
        variant = networks[0].variant
        print(f"bench: {variant}: sequential, {n} pods per implementation (+{warmup} warm-up)", flush=True)
        pods = {net.name: self.create_pods(net, "seq", n + warmup) for net in networks}
        samples = {net.name: {"ADD": [], "DEL": []} for net in networks}

        def turns(i):  # alternate who goes first
            return networks if i % 2 == 0 else networks[::-1]

        for i in range(warmup):
            for net in turns(i):
                self.runner.add(net, pods[net.name][i])
                self.runner.delete(net, pods[net.name][i])
        # Blocks of pods, alternating which implementation goes first: noise still hits both alike, but no
        # measured exec runs right after the other implementation's (measured: pod-by-pod alternation made each
        # side pay the other's deferred kernel work, ~12 ms ADDs for both against ~7.5 ms for CniSharp alone).
        block = max(1, self.args.block)
        for verb in ("ADD", "DEL"):
            for b, start in enumerate(range(warmup, warmup + n, block)):
                for net in turns(b):
                    for i in range(start, min(start + block, warmup + n)):
                        pod = pods[net.name][i]
                        if verb == "ADD":
                            samples[net.name]["ADD"].append(self.runner.add(net, pod))
                            self.check_result(net, pod)
                        else:
                            samples[net.name]["DEL"].append(self.runner.delete(net, pod))
            for net in networks:
                (self.check_attached if verb == "ADD" else self.check_detached)(net)
        for net in networks:
            self.delete_pods(pods[net.name])
        return {net.name: {verb: summarize(samples[net.name][verb]) for verb in ("ADD", "DEL")}
                for net in networks}

    def burst_wall(self, network, verb, pods, parallel):
        """Runs verb for all pods with `parallel` workers; returns (wall ns, peak RSS KiB of any exec)."""
        step = self.runner.add if verb == "ADD" else self.runner.delete
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=parallel)
        start = time.monotonic_ns()
        try:
            futures = [pool.submit(step, network, pod) for pod in pods]
            measured = [f.result() for f in futures]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return time.monotonic_ns() - start, max(rss for _, rss in measured)

    def bursts(self, networks):
        variant = networks[0].variant
        out = {net.name: [] for net in networks}
        for bi, (count, parallel) in enumerate(self.args.bursts):
            walls = {net.name: {"ADD": [], "DEL": [], "rss": []} for net in networks}
            for rep in range(self.args.burst_repeats):
                order = networks if (bi + rep) % 2 == 0 else networks[::-1]
                print(f"bench: {variant}: burst {count} pods x {parallel} parallel,"
                      f" round {rep + 1}/{self.args.burst_repeats}", flush=True)
                for net in order:
                    pods = self.create_pods(net, f"b{count}x{parallel}r{rep}", count)
                    wall, rss = self.burst_wall(net, "ADD", pods, parallel)
                    walls[net.name]["ADD"].append(wall / 1e6)
                    walls[net.name]["rss"].append(rss)
                    for pod in pods:
                        self.check_result(net, pod)
                    self.check_attached(net)
                    wall, rss = self.burst_wall(net, "DEL", pods, parallel)
                    walls[net.name]["DEL"].append(wall / 1e6)
                    walls[net.name]["rss"].append(rss)
                    self.check_detached(net)
                    self.delete_pods(pods)
            for net in networks:
                w = walls[net.name]
                out[net.name].append({
                    "pods": count, "parallel": parallel,
                    "ADD": {"median_wall_ms": round(statistics.median(w["ADD"]), 1),
                            "walls_ms": [round(x, 1) for x in w["ADD"]]},
                    "DEL": {"median_wall_ms": round(statistics.median(w["DEL"]), 1),
                            "walls_ms": [round(x, 1) for x in w["DEL"]]},
                    "max_rss_kib": max(w["rss"]),
                })
        return out

    def run_variant(self, variant, impls):
        networks = [build_network(variant, impl, self.args.run_id, self.work, self.launcher) for impl in impls]
        entry = {"name": variant, "description": VARIANTS[variant], "implementations": {}}
        measured = []
        for net in networks:
            refusal = self.probe(net)
            entry["implementations"][net.impl] = {"supported": refusal is None, "config": net.conflist}
            if refusal is None:
                measured.append(net)
            else:
                entry["implementations"][net.impl]["refusal"] = refusal
                print(f"bench: {variant}: {net.impl} refuses the config (code 2): {refusal}: not measured")
        if measured:
            seq = self.sequential(measured)
            bursts = self.bursts(measured) if self.args.bursts else {net.name: [] for net in measured}
            for net in measured:
                entry["implementations"][net.impl].update(sequential=seq[net.name], bursts=bursts[net.name])
        for net in (n for n in networks if n.bridge):
            if sh("ip", "link", "show", "dev", net.bridge, check=False).returncode == 0:
                sh("ip", "link", "del", "dev", net.bridge, check=False)
            self.bridges.discard(net.bridge)
        return entry


# ---- host facts -----------------------------------------------------------------------------------
def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def os_name():
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return "unknown"


def first_line(*argv):
    try:
        out = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=False).stdout
        return out.strip().splitlines()[0] if out.strip() else "unknown"
    except OSError:
        return "unknown"


def parse_bursts(text):
    if text in ("", "none"):
        return []
    bursts = []
    for item in text.split(","):
        count, _, parallel = item.partition("x")
        if not (count.isdigit() and parallel.isdigit() and int(count) >= 1 and int(parallel) >= 1):
            raise argparse.ArgumentTypeError(f"burst {item!r} is not PODSxPARALLEL, e.g. 50x8")
        bursts.append((int(count), int(parallel)))
    return bursts


def parse_variants(text):
    names = [v for v in text.split(",") if v]
    unknown = [v for v in names if v not in VARIANTS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown variant(s) {unknown}; known: {', '.join(ALL_VARIANTS)}")
    return [v for v in ALL_VARIANTS if v in names]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin-dir", required=True, help="CniSharp CNI bin dir (cnisharp-bridge, ...)")
    parser.add_argument("--ref-dir", default="/usr/lib/cni", help="reference plugins dir [/usr/lib/cni]")
    parser.add_argument("--no-reference", action="store_true", help="benchmark CniSharp only")
    parser.add_argument("-n", type=int, default=200, help="sequential ADDs and DELs per implementation [200]")
    parser.add_argument("--warmup", type=int, default=3, help="untimed ADD/DEL pairs first [3]")
    parser.add_argument("--block", type=int, default=25,
                        help="sequential pods per turn before the other implementation's turn [25]")
    parser.add_argument("--variants", type=parse_variants, default=ALL_VARIANTS, help="comma-separated [all]")
    parser.add_argument("--bursts", type=parse_bursts, default=parse_bursts("50x8,200x32"),
                        help="PODSxPARALLEL list, or none [50x8,200x32]")
    parser.add_argument("--burst-repeats", type=int, default=3, help="rounds per burst; the median wall counts [3]")
    parser.add_argument("--quick", action="store_true", help="mark the report as a quick run")
    parser.add_argument("--note", default="", help="free text for the report (e.g. machine state)")
    parser.add_argument("--command", default="", help="the command line to record in the report")
    parser.add_argument("--out", required=True, help="results JSON path")
    parser.add_argument("--doc", default="", help="also render the Markdown report (and its SVGs) here")
    parser.add_argument("--run-id", default=str(os.getpid()), help="number in namespace and bridge names")
    args = parser.parse_args()
    if not 1 <= args.n <= 60000:
        parser.error("-n must be between 1 and 60000")
    if args.warmup < 0 or args.burst_repeats < 1:
        parser.error("--warmup must be >= 0 and --burst-repeats >= 1")
    if not (args.run_id.isdigit() and len(args.run_id) <= 7):
        parser.error("--run-id must be at most 7 digits (bridge names are limited to 15 characters)")
    if os.geteuid() != 0:
        parser.error("needs root (creates network namespaces and bridges)")

    with_reference = not args.no_reference and all(
        os.access(os.path.join(args.ref_dir, p), os.X_OK) for p in ("bridge", "host-local"))
    if not args.no_reference and not with_reference:
        print(f"bench: reference bridge/host-local not found in {args.ref_dir}: benchmarking CniSharp only"
              " (install containernetworking-plugins)")
    variants = list(args.variants)
    if "portmap" in variants and not os.access(os.path.join(args.ref_dir, "portmap"), os.X_OK):
        print(f"bench: {args.ref_dir}/portmap missing: portmap variant skipped")
        variants.remove("portmap")
    if "ptp" in variants and with_reference and not os.access(os.path.join(args.ref_dir, "ptp"), os.X_OK):
        print(f"bench: {args.ref_dir}/ptp missing: ptp variant skipped")
        variants.remove("ptp")
    impls = implementations(args.bin_dir, args.ref_dir, with_reference)

    def on_signal(signum, _frame):
        print(f"bench: signal {signum}: cleaning up", file=sys.stderr, flush=True)
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, on_signal)

    started, load_before, t0 = datetime.datetime.now(datetime.timezone.utc), load_average(), time.monotonic()
    bench = Bench(args)
    entries = []
    try:
        for variant in variants:
            entries.append(bench.run_variant(variant, impls))
    except RuntimeError as e:
        print(f"bench: FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        bench.cleanup()

    report = {
        "timestamp": started.isoformat(timespec="seconds"),
        "duration_s": round(time.monotonic() - t0, 1),
        "command": args.command,
        "quick": args.quick,
        "note": args.note,
        "host": {"kernel": platform.release(), "machine": platform.machine(), "cpu": cpu_model(),
                 "nproc": os.cpu_count(), "os": os_name(),
                 "load_average": {"start": load_before, "end": load_average()}},
        "cni_version": CNI_VERSION,
        "cnisharp": {"bin_dir": args.bin_dir,
                     "version": first_line(os.path.join(args.bin_dir, "cnisharp"), "--version"),
                     "exe_bytes": os.path.getsize(os.path.realpath(os.path.join(args.bin_dir, "cnisharp-bridge")))},
        "reference": ({"dir": args.ref_dir,
                       "package": first_line("dpkg-query", "-W", "-f", "${Package} ${Version}",
                                             "containernetworking-plugins"),
                       "exe_bytes": os.path.getsize(os.path.join(args.ref_dir, "bridge"))} if with_reference else None),
        "n": args.n,
        "warmup": args.warmup,
        "bursts": [{"pods": c, "parallel": p} for c, p in args.bursts],
        "burst_repeats": args.burst_repeats,
        "variants": entries,
    }
    print_table(report)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print(f"\nbench: results written to {args.out} ({report['duration_s']} s)")
    if args.doc:
        import bench_report
        bench_report.write(report, args.doc)
        print(f"bench: report written to {args.doc}")
    return 0


def print_table(report):
    header = (f"{'variant':<11} {'impl':<10} {'verb':<4} {'median ms':>10} {'p90 ms':>8} {'max RSS KiB':>12}"
              + "".join(f" {str(b['pods']) + 'x' + str(b['parallel']) + ' wall ms':>16}" for b in report["bursts"]))
    print()
    print(header)
    print("-" * len(header))
    for entry in report["variants"]:
        for impl, r in entry["implementations"].items():
            if not r["supported"]:
                print(f"{entry['name']:<11} {impl:<10} n/a (not supported)")
                continue
            for verb in ("ADD", "DEL"):
                s = r["sequential"][verb]
                print(f"{entry['name']:<11} {impl:<10} {verb:<4} {s['median_ms']:>10.2f} {s['p90_ms']:>8.2f}"
                      f" {s['max_rss_kib']:>12}"
                      + "".join(f" {b[verb]['median_wall_ms']:>16.1f}" for b in r["bursts"]))


if __name__ == "__main__":
    sys.exit(main())
