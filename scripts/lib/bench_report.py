#!/usr/bin/env python3
"""Renders a benchmark results JSON (scripts/bench.py) as Markdown with two hand-written SVG charts.

  bench_report.py RESULTS_JSON REPORT_MD

The charts go next to the report: <stem>-latency.svg (sequential median with p90 whiskers) and
<stem>-parallel.svg (burst wall times).
"""
import datetime
import html
import math
import os
import sys

IMPLS = ("cnisharp", "reference")
COLORS = {"cnisharp": "#6b4fbb", "reference": "#1b9aaa"}
FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"'


# ---- numbers ------------------------------------------------------------------------------------
def ratio(ours, theirs):
    if ours is None or theirs in (None, 0):
        return "–"
    return f"{ours / theirs:.2f}×"


def fmt(value, digits=1):
    return "–" if value is None else f"{value:,.{digits}f}"


def seq(impl_entry, verb, key):
    if not impl_entry or not impl_entry.get("supported") or "sequential" not in impl_entry:
        return None
    return impl_entry["sequential"][verb][key]


def burst(impl_entry, index, verb):
    if not impl_entry or not impl_entry.get("supported") or len(impl_entry.get("bursts", [])) <= index:
        return None
    return impl_entry["bursts"][index][verb]["median_wall_ms"] / 1000  # seconds read better at this size


def nice_ceiling(value):
    """The smallest round axis top at or above value (its quarters are round too)."""
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10):
        if step * exp >= value:
            return step * exp
    return 10 * exp


# ---- SVG ----------------------------------------------------------------------------------------
class Svg:
    def __init__(self, width, height):
        self.width, self.height = width, height
        self.parts = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']

    def text(self, x, y, s, size=12, anchor="middle", weight="normal", color="#222222", rotate=None):
        transform = f' transform="rotate({rotate} {x:.1f} {y:.1f})"' if rotate is not None else ""
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"'
                          f' font-weight="{weight}" fill="{color}"{transform}>{html.escape(s)}</text>')

    def rect(self, x, y, w, h, color, title=None):
        tip = f"<title>{html.escape(title)}</title>" if title else ""
        self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{color}">{tip}</rect>')

    def line(self, x1, y1, x2, y2, color="#222222", width=1.0, dash=None):
        d = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{color}"'
                          f' stroke-width="{width}"{d}/>')

    def render(self):
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}"'
                f' viewBox="0 0 {self.width} {self.height}" {FONT}>\n' + "\n".join(self.parts) + "\n</svg>\n")


def bar_panel(svg, x, y, w, h, title, unit, groups):
    """groups: [(label, {impl: (value, whisker) or None})]; None draws "n/a" in place of the bar."""
    left, bottom, top = 52, 34, 26
    plot_x, plot_y, plot_w, plot_h = x + left, y + top, w - left - 10, h - top - bottom
    svg.text(x + w / 2, y + 14, title, size=13, weight="bold")
    tops = [max(value, whisker or 0) for _, bars in groups for value, whisker in filter(None, bars.values())]
    peak = max(tops or [1])
    ymax = nice_ceiling(peak * 1.08)
    for i in range(5):
        value = ymax * i / 4
        ty = plot_y + plot_h - plot_h * i / 4
        svg.line(plot_x, ty, plot_x + plot_w, ty, color="#e3e3e3")
        svg.text(plot_x - 6, ty + 4, f"{value:g}", size=10, anchor="end", color="#555555")
    svg.text(x + 12, plot_y + plot_h / 2, unit, size=11, color="#555555", rotate=-90)
    svg.line(plot_x, plot_y + plot_h, plot_x + plot_w, plot_y + plot_h, color="#888888")
    group_w = plot_w / max(1, len(groups))
    bar_w = min(34, group_w * 0.8 / len(IMPLS))
    for gi, (label, bars) in enumerate(groups):
        gx = plot_x + gi * group_w + (group_w - bar_w * len(IMPLS)) / 2
        svg.text(plot_x + gi * group_w + group_w / 2, plot_y + plot_h + 16, label, size=11)
        for bi, impl in enumerate(IMPLS):
            bx = gx + bi * bar_w
            cx = bx + bar_w / 2
            entry = bars.get(impl)
            if entry is None:
                if impl in bars:  # present but not supported
                    svg.text(cx, plot_y + plot_h - 6, "n/a", size=10, color="#888888")
                continue
            value, whisker = entry
            bh = plot_h * value / ymax
            svg.rect(bx + 1, plot_y + plot_h - bh, bar_w - 2, bh, COLORS[impl], f"{impl} {label}: {value:g} {unit}")
            label_y = plot_y + plot_h - bh - 4
            if whisker is not None and whisker > value:
                wy = plot_y + plot_h - plot_h * whisker / ymax
                svg.line(cx, plot_y + plot_h - bh, cx, wy, width=1.2)
                svg.line(cx - bar_w / 4, wy, cx + bar_w / 4, wy, width=1.2)
                label_y = wy - 4
            text = f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"
            svg.text(cx, label_y, text, size=9, color="#333333")


def legend(svg, x, y, extra=None):
    for i, impl in enumerate(IMPLS):
        svg.rect(x + i * 120, y - 10, 12, 12, COLORS[impl])
        svg.text(x + i * 120 + 18, y, impl, size=12, anchor="start")
    if extra:
        svg.text(x + 2 * 120 + 10, y, extra, size=11, anchor="start", color="#555555")


def bar_groups(variants, value):
    """[(variant, {impl: (bar, whisker) or None when unsupported})] for one chart panel."""
    groups = []
    for v in variants:
        bars = {}
        for impl in IMPLS:
            e = v["implementations"].get(impl)
            if e is not None:
                bars[impl] = value(e) if e.get("supported") else None
        groups.append((v["name"], bars))
    return groups


def latency_chart(report):
    variants = report["variants"]
    panel_w = max(300, 90 + 120 * len(variants))
    svg = Svg(2 * panel_w + 30, 330)
    svg.text(svg.width / 2, 20, f"Sequential CNI latency per pod, median (n={report['n']})", size=15, weight="bold")
    legend(svg, 20, 46, "whisker: p90")
    for pi, verb in enumerate(("ADD", "DEL")):
        groups = bar_groups(variants, lambda e: (seq(e, verb, "median_ms"), seq(e, verb, "p90_ms")))
        bar_panel(svg, 10 + pi * (panel_w + 10), 60, panel_w, 260, f"{verb}", "ms", groups)
    return svg.render()


def parallel_chart(report):
    variants, bursts = report["variants"], report["bursts"]
    panel_w = max(300, 90 + 120 * len(variants))
    svg = Svg(2 * panel_w + 30, 70 + 270 * len(bursts))
    rounds = report["burst_repeats"]
    svg.text(svg.width / 2, 20, "Parallel bursts: wall time to ADD / DEL all pods"
             + (f" (median of {rounds} rounds)" if rounds > 1 else ""), size=15, weight="bold")
    legend(svg, 20, 46)
    for bi, b in enumerate(bursts):
        for pi, verb in enumerate(("ADD", "DEL")):
            groups = bar_groups(variants, lambda e: (burst(e, bi, verb), None))
            bar_panel(svg, 10 + pi * (panel_w + 10), 60 + bi * 270, panel_w, 260,
                      f"{verb}: {b['pods']} pods, {b['parallel']} in parallel", "s", groups)
    return svg.render()


# ---- Markdown -----------------------------------------------------------------------------------
def variant_table(report, v):
    impls = v["implementations"]
    have_ref = "reference" in impls
    cols = [i for i in IMPLS if i in impls]
    lines = ["| | " + " | ".join(cols) + (" | cnisharp / reference |" if have_ref else " |"),
             "|---|" + "---:|" * (len(cols) + (1 if have_ref else 0))]

    first = [True]

    def row(label, getter, digits=1):
        values = {i: getter(impls[i]) for i in cols}
        refused = "n/a (not supported)" if first[0] else "n/a"
        first[0] = False
        cells = [fmt(values[i], digits) if impls[i].get("supported") else refused for i in cols]
        if have_ref:
            cells.append(ratio(values.get("cnisharp"), values["reference"]))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    for verb in ("ADD", "DEL"):
        row(f"{verb} median (ms)", lambda e, verb=verb: seq(e, verb, "median_ms"), 2)
        row(f"{verb} p90 (ms)", lambda e, verb=verb: seq(e, verb, "p90_ms"), 2)
    for verb in ("ADD", "DEL"):
        row(f"{verb} peak RSS (KiB)", lambda e, verb=verb: seq(e, verb, "max_rss_kib"), 0)
    for bi, b in enumerate(report["bursts"]):
        for verb in ("ADD", "DEL"):
            row(f"{b['pods']} pods, {b['parallel']} parallel: {verb} wall (s)",
                lambda e, bi=bi, verb=verb: burst(e, bi, verb), 2)
    return lines


def markdown(report, latency_svg, parallel_svg):
    host = report["host"]
    when = datetime.datetime.fromisoformat(report["timestamp"]).strftime("%Y-%m-%d %H:%M UTC")
    out = ["# Benchmarks", ""]
    if report.get("quick"):
        rounds = report["burst_repeats"]
        out += [f"> **Quick run** (`-n {report['n']}`, {rounds} round{'s' if rounds != 1 else ''} per burst):"
                " a check that the pipeline works, with few samples. The numbers are indicative only,"
                " not the project's reference figures: re-run on a quiet machine without `--quick`.", ""]
    if report.get("note"):
        out += [f"> Note: {report['note']}", ""]
    out += [f"CniSharp against the reference CNI plugins, measured {when} (the run took"
            f" {report['duration_s']:.0f} s). Ratios are CniSharp / reference: below 1 means CniSharp"
            " is faster or smaller.", ""]
    out += ["## Machine and command", "",
            "| | |", "|---|---|",
            f"| CPU | {host['cpu']} |",
            f"| nproc | {host['nproc']} |",
            f"| kernel | {host['kernel']} ({host['machine']}) |",
            f"| OS | {host['os']} |",
            "| load average (1, 5, 15 min) at start / end |"
            f" {host['load_average']['start']} / {host['load_average']['end']} |",
            f"| CniSharp | {report['cnisharp']['version'].split(' (')[0]} ({report['cnisharp']['bin_dir']}),"
            f" {report['cnisharp']['exe_bytes']:,} bytes |"]
    if report.get("reference"):
        ref = report["reference"]
        out.append(f"| reference | {ref['package']} ({ref['dir']}), bridge {ref['exe_bytes']:,} bytes |")
    else:
        out.append("| reference | not installed: CniSharp only |")
    out += [f"| cniVersion | {report['cni_version']} |", "",
            "```sh", report["command"] or "scripts/bench.sh", "```", ""]
    out += ["## Results", "",
            f"![Sequential ADD and DEL latency per variant, median with p90 whiskers]({latency_svg})", ""]
    if report["bursts"]:
        out += [f"![Wall time of parallel ADD and DEL bursts per variant]({parallel_svg})", ""]
    for v in report["variants"]:
        out += [f"### {v['name']}", "", v["description"][0].upper() + v["description"][1:] + ".", ""]
        out += variant_table(report, v)
        for impl, e in v["implementations"].items():
            if not e.get("supported"):
                others = [i for i in v["implementations"] if i != impl]
                out += ["", f"{impl} refuses this configuration with CNI error code 2 (`{e.get('refusal', '')}`),"
                        f" so {'only ' + others[0] + ' is' if others else 'nothing is'} measured here."]
        out.append("")
    rounds = report["burst_repeats"]
    out += ["## How measured", "",
            "- **One run, both sides alternating.** Every variant is run for both implementations in the"
            " same invocation. In the sequential phase they take turns in blocks of 25 pods (who goes first"
            " swaps every block); bursts alternate round by round, so load from elsewhere on the machine hits"
            " both alike. Blocks rather than single pods: taking turns pod by pod made each side pay the other's"
            " deferred kernel work (both ADDs near 12 ms, against about 7.5 ms for CniSharp measured alone).",
            "- **Same configuration.** Each variant is one conflist per implementation that differs only in"
            f" the plugin types (`cnisharp-bridge`/`cnisharp-host-local` vs `bridge`/`host-local`): cniVersion"
            f" {report['cni_version']}, `isGateway`, the variant's keys. Each implementation has its own bridge,"
            " subnet and IPAM data dir, created for the run and removed after it.",
            "- **Chains as a runtime runs them.** The driver does what libcni does: ADD runs the plugins in"
            " order, each with the previous result as `prevResult`; DEL runs them in reverse with the cached"
            " ADD result; `runtimeConfig` (one `portMappings` entry per pod for the portmap variant) goes only"
            " to plugins that declare the capability. The portmap variant chains each bridge with the"
            " reference `portmap`.",
            "- **Per exec.** Each plugin runs through `scripts/lib/spawn-measure.c`: wall time from `fork` to"
            " `wait4`, and `wait4`'s `ru_maxrss` as peak RSS (it covers children the plugin waited for, such as"
            " the reference `host-local` that `bridge` execs; the launcher's own ~1 MiB is the floor). A"
            " chain's time is the sum of its execs, its RSS the largest of them.",
            f"- **Sequential.** {report['n']} pods per implementation, each in a fresh network namespace"
            f" created beforehand (not timed), after {report['warmup']} untimed ADD/DEL pair(s): all ADDs, then"
            " all DELs, so the bridge holds up to N ports as a busy node does. Median and p90 (nearest rank).",
            "- **Bursts.** PODS fresh namespaces, then PARALLEL worker threads run whole ADD chains until all"
            " pods are attached; the wall time runs from the first start to the last finish (it includes the"
            " driver's small per-exec spawn cost, the same for both). Then the same for DEL."
            + (f" Median of {rounds} rounds." if rounds > 1 else " One round."),
            "- **Checked, not just timed.** Every ADD result must carry the expected IP families; for portmap"
            " and ipMasq, iptables nat rules naming the network must exist after ADD and be gone after DEL;"
            " no IPAM reservation may remain after DEL.",
            "- DEL time is dominated by the kernel's veth removal (`RTM_DELLINK` waits for RCU), for both"
            " implementations alike. The reference `portmap`'s shared top-level chains (`CNI-HOSTPORT-*` in"
            " the nat table) stay after the run, as after any use of that plugin.",
            "", f"Raw numbers: `artifacts/bench/results.json` of the run (regenerate this page with"
            " `python3 scripts/lib/bench_report.py artifacts/bench/results.json docs/benchmarks.md`).", ""]
    return "\n".join(out)


def write(report, doc_path):
    doc_dir = os.path.dirname(os.path.abspath(doc_path))
    stem = os.path.splitext(os.path.basename(doc_path))[0]
    latency_svg, parallel_svg = f"{stem}-latency.svg", f"{stem}-parallel.svg"
    os.makedirs(doc_dir, exist_ok=True)
    with open(os.path.join(doc_dir, latency_svg), "w", encoding="utf-8") as f:
        f.write(latency_chart(report))
    if report["bursts"]:
        with open(os.path.join(doc_dir, parallel_svg), "w", encoding="utf-8") as f:
            f.write(parallel_chart(report))
    with open(doc_path, "w", encoding="utf-8") as f:
        f.write(markdown(report, latency_svg, parallel_svg))


def main(argv):
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) == 2 else 2
    import json
    with open(argv[1], encoding="utf-8") as f:
        write(json.load(f), argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
