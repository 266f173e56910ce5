#!/usr/bin/env python3
"""Copy a sample conflist for the cnitool suite, changing only what could collide on a developer machine.

Usage: rewrite-conflist.py SRC DST NAME BRIDGE DATA_DIR STATE_DIR [VERSION]

The network name, the bridge, the host-local dataDir and the main plugins' stateDir become the run's
own; VERSION (when given) replaces cniVersion. Everything else is kept as the sample has it.
"""
import json
import sys


def is_host_local(ipam):
    return ipam.get("type") in ("cnisharp-host-local", "host-local")


def rewrite(src, dst, name, bridge, data_dir, state_dir, version=""):
    with open(src, encoding="utf-8") as f:
        conf = json.load(f)
    conf["name"] = name
    if version:
        conf["cniVersion"] = version
    for plugin in conf["plugins"]:
        if "bridge" in plugin or plugin["type"] == "cnisharp-bridge":
            plugin["bridge"] = bridge
        if plugin["type"] in ("cnisharp-bridge", "cnisharp-ptp"):
            plugin["stateDir"] = state_dir
        ipam = plugin.get("ipam")
        if ipam and ("dataDir" in ipam or is_host_local(ipam)):
            ipam["dataDir"] = data_dir
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(conf, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    if not 7 <= len(sys.argv) <= 8:
        sys.exit(__doc__)
    rewrite(*sys.argv[1:])
