#!/usr/bin/env python3
"""The conflist scripts/kind/render-conflist.sh writes, checked (the kind-kit suite's render-* and plugin-* cases).

  check CONFLIST CIDR...  one line per problem with a kind node's conflist for CIDRS; nothing when fine
  gateway CIDR            the gateway host-local hands out by default: the CIDR's first address
"""
import ipaddress
import json
import sys

DEFAULT_ROUTES = {4: "0.0.0.0/0", 6: "::/0"}


def problems(conflist, cidrs):
    found = []

    def want(ok, text):
        if not ok:
            found.append(text)

    want(conflist.get("cniVersion") == "1.1.0", "cniVersion is not 1.1.0")
    want("1.1.0" in conflist.get("cniVersions", []), "cniVersions lacks 1.1.0")
    want(bool(conflist.get("name")), "no name")
    plugins = conflist.get("plugins", [])
    want(len(plugins) == 2, "expected 2 plugins, got %d" % len(plugins))
    if len(plugins) != 2:
        return found
    bridge, portmap = plugins
    want(bridge.get("type") == "cnisharp-bridge", "plugin 0 is not cnisharp-bridge")
    for key in ("isGateway", "isDefaultGateway", "hairpinMode"):
        want(bridge.get(key) is True, key + " is not true")
    want(str(bridge.get("stateDir", "")).startswith("/run/"), "stateDir not under /run")
    ipam = bridge.get("ipam", {})
    want(ipam.get("type") == "cnisharp-host-local", "ipam type is not cnisharp-host-local")
    want(str(ipam.get("dataDir", "")).startswith("/run/"), "dataDir not under /run")
    want(ipam.get("ranges") == [[{"subnet": c}] for c in cidrs],
         "ranges %r do not match %r" % (ipam.get("ranges"), cidrs))
    families = [ipaddress.ip_network(c).version for c in cidrs]
    want(ipam.get("routes") == [{"dst": DEFAULT_ROUTES[f]} for f in families],
         "routes %r are not one default per family" % ipam.get("routes"))
    want(portmap.get("type") == "portmap", "plugin 1 is not portmap")
    want(portmap.get("capabilities") == {"portMappings": True}, "portmap lacks capabilities.portMappings")
    return found


def check(path, *cidrs):
    with open(path, encoding="utf-8") as f:
        conflist = json.load(f)
    print("\n".join(problems(conflist, list(cidrs))))


def gateway(cidr):
    print(ipaddress.ip_network(cidr).network_address + 1)


if __name__ == "__main__":
    commands = {"check": check, "gateway": gateway}
    if len(sys.argv) < 3 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
