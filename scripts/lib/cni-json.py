#!/usr/bin/env python3
"""Small JSON helpers for the shell scripts (what a CNI runtime does with a conflist).

  plugin-config CONFLIST INDEX [PREVRESULT]  print plugin INDEX of CONFLIST as a runtime
                                             sends it on stdin: cniVersion and name injected,
                                             prevResult injected when a file is given
  plugin-type CONFLIST INDEX                 print the plugin's "type"
  cni-version CONFLIST                       print the list's cniVersion
  addresses RESULT 4|6                       print the container IPs (no prefix) of one family
  host-interfaces RESULT                     print interface names that have no "sandbox"
  sandbox-interfaces RESULT                  print interface names that have a "sandbox"
  pretty FILE                                pretty-print JSON (or print raw text if not JSON)
  is-result FILE                             exit 0 if FILE holds a JSON object with "cniVersion"
"""
import ipaddress
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def plugin_config(conflist_path, index, prev_path=None):
    conflist = load(conflist_path)
    conf = dict(conflist["plugins"][int(index)])
    conf["cniVersion"] = conflist["cniVersion"]
    conf["name"] = conflist["name"]
    if prev_path:
        conf["prevResult"] = load(prev_path)
    json.dump(conf, sys.stdout)
    sys.stdout.write("\n")


def addresses(result_path, family):
    result = load(result_path)
    for ip in result.get("ips", []):
        iface = ipaddress.ip_interface(ip["address"])
        if iface.version == int(family):
            print(iface.ip)


def interfaces(result_path, sandboxed):
    for iface in load(result_path).get("interfaces", []):
        if bool(iface.get("sandbox")) == sandboxed:
            print(iface["name"])


def pretty(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    try:
        print(json.dumps(json.loads(text), indent=2))
    except ValueError:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def is_result(path):
    try:
        value = load(path)
    except (OSError, ValueError):
        return 1
    return 0 if isinstance(value, dict) and "cniVersion" in value else 1


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "plugin-config":
        plugin_config(*args)
    elif cmd == "plugin-type":
        print(load(args[0])["plugins"][int(args[1])]["type"])
    elif cmd == "cni-version":
        print(load(args[0])["cniVersion"])
    elif cmd == "addresses":
        addresses(*args)
    elif cmd == "host-interfaces":
        interfaces(args[0], sandboxed=False)
    elif cmd == "sandbox-interfaces":
        interfaces(args[0], sandboxed=True)
    elif cmd == "pretty":
        pretty(args[0])
    elif cmd == "is-result":
        return is_result(args[0])
    else:
        sys.stderr.write(f"cni-json.py: unknown command {cmd!r}\n{__doc__}")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
