#!/usr/bin/env python3
"""cnilib.py for shell scripts: run a conflist as a runtime does, and read conflists and results.

Run a conflist (plugins from --cni-path; their stderr passes through to ours):
  add CONFLIST       ADD; prints the list's result (keep it: CHECK and DEL take it back)
  check CONFLIST     CHECK against --cached-result
  del CONFLIST       DEL, with --cached-result when there is one
  gc CONFLIST        GC, keeping each --valid CONTAINERID/IFNAME
  status CONFLIST    STATUS
  versions CONFLIST  the spec versions every plugin of the list speaks, one a line
When a plugin fails, its output (the error JSON) is printed and its exit code is ours.

Read a conflist or a result:
  types CONFLIST                the plugin types, in order
  cni-version CONFLIST          the list's cniVersion
  has-capability CONFLIST NAME  exit 0 if a plugin declares capability NAME
  addresses RESULT 4|6          container addresses of one family, without prefix
  ips RESULT 4|6                "address network gateway", one line per address of one family
  host-interfaces RESULT        interfaces outside the sandbox (--except NAME leaves one out);
                                RESULT may be libcni's cache file
  pretty FILE                   indented JSON (the text as it is when it is not JSON)
  is-result FILE                exit 0 if FILE holds a JSON object with "cniVersion"
"""
import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cnilib  # noqa: E402


def passing_stderr(exe, env, stdin_text, label):
    """The default launcher, with the plugin's stderr shown as it happens (a failing one's too)."""
    ran = cnilib.spawn(exe, env, stdin_text, label)
    sys.stderr.write(ran.stderr)
    return ran


def pairs(items, sep):
    return dict(item.split(sep, 1) for item in items or [])


def chain_of(args):
    return cnilib.Chain(cnilib.load(args.conflist), args.cni_path, spawn=passing_stderr,
                        env=pairs(args.env, "="), plugin_versions=pairs(args.plugin_version, "="))


def attachment_of(args):
    cached = cnilib.result_of(cnilib.load(args.cached_result)) if args.cached_result else None
    return cnilib.Attachment(args.id, args.netns, args.ifname, args.args, args.capability_args, cached)


def run_add(args):
    att = attachment_of(args)
    chain_of(args).add(att)
    print(json.dumps(att.result))


def run_versions(args):
    for version in chain_of(args).versions():
        print(version)


RUNS = {
    "add": run_add,
    "check": lambda args: chain_of(args).check(attachment_of(args)),
    "del": lambda args: chain_of(args).delete(attachment_of(args)),
    "gc": lambda args: chain_of(args).gc(tuple(v.split("/", 1)) for v in args.valid or []),
    "status": lambda args: chain_of(args).status(),
    "versions": run_versions,
}


def run_chain(args):
    try:
        RUNS[args.command](args)
        return 0
    except cnilib.CniError as e:
        if e.stdout:
            sys.stdout.write(e.stdout if e.stdout.endswith("\n") else e.stdout + "\n")
        status = "" if e.exit_code is None else f" exited {e.exit_code}"
        print(f"cnilib: {e.what}{status}", file=sys.stderr)
        return e.exit_code or 1


def print_lines(lines):
    for line in lines:
        print(line)
    return 0


def pretty(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    try:
        print(json.dumps(json.loads(text), indent=2))
    except ValueError:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    return 0


def is_result(path):
    try:
        value = cnilib.load(path)
    except (OSError, ValueError):
        return 1
    return 0 if isinstance(value, dict) and "cniVersion" in value else 1


def result(path):
    return cnilib.result_of(cnilib.load(path))


READS = {
    "types": lambda a: print_lines(p["type"] for p in cnilib.load(a.file)["plugins"]),
    "cni-version": lambda a: print_lines([cnilib.load(a.file)["cniVersion"]]),
    "has-capability": lambda a: 0 if any((p.get("capabilities") or {}).get(a.name)
                                         for p in cnilib.load(a.file)["plugins"]) else 1,
    "addresses": lambda a: print_lines(iface.ip for iface, _ in cnilib.addresses(result(a.file), a.family)),
    "ips": lambda a: print_lines(f"{iface.ip} {iface.network} {gw}"
                                 for iface, gw in cnilib.addresses(result(a.file), a.family)),
    "host-interfaces": lambda a: print_lines(n for n in cnilib.interfaces(result(a.file), sandboxed=False)
                                             if n != a.except_name),
    "pretty": lambda a: pretty(a.file),
    "is-result": lambda a: is_result(a.file),
}


def parser():
    top = argparse.ArgumentParser(prog="cnilib_cli.py", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for verb in RUNS:
        p = sub.add_parser(verb)
        p.add_argument("conflist")
        p.add_argument("--cni-path", required=True, help="':'-separated plugin dirs (CNI_PATH)")
        p.add_argument("--env", action="append", metavar="NAME=VALUE", help="also in the plugins' environment")
        p.add_argument("--plugin-version", action="append", metavar="TYPE=VERSION",
                       help="cniVersion for plugins of TYPE instead of the list's (a plugin older than the list)")
        if verb in ("add", "check", "del"):
            p.add_argument("--id", required=True, help="CNI_CONTAINERID")
            p.add_argument("--netns", required=True, help="CNI_NETNS (a path)")
            p.add_argument("--ifname", default="eth0", help="CNI_IFNAME [eth0]")
            p.add_argument("--args", default="", help="CNI_ARGS")
            p.add_argument("--capability-args", type=json.loads, default={}, metavar="JSON",
                           help='the runtime\'s capability args, e.g. {"portMappings": [...]}')
            p.add_argument("--cached-result", metavar="FILE", help="the ADD result a runtime cached (CHECK, DEL)")
        if verb == "gc":
            p.add_argument("--valid", action="append", metavar="CONTAINERID/IFNAME", help="an attachment in use")
        p.set_defaults(run=run_chain)
    for name in READS:
        p = sub.add_parser(name)
        p.add_argument("file")
        if name == "has-capability":
            p.add_argument("name")
        if name in ("addresses", "ips"):
            p.add_argument("family", choices=("4", "6"))
        if name == "host-interfaces":
            p.add_argument("--except", dest="except_name", metavar="NAME", help="leave this interface out")
        p.set_defaults(run=lambda a: READS[a.command](a) or 0)
    return top


def main(argv):
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
