#!/usr/bin/env python3
"""The cnitool suite's address checks.

  in-result RESULT CONFLIST IFNAME NETNS  print "address/prefix" of every address of the container
                                         interface; exit 1 with a reason if the result does not name
                                         that interface or lacks an address in one of the list's range sets
  on-link IP_JSON ADDRESS...             exit 1 with a reason unless every ADDRESS (with prefix) is in
                                         IP_JSON, the output of 'ip -j addr show dev IF'
"""
import ipaddress
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib"))
from cnilib import load  # noqa: E402


def range_sets(conflist):
    """One list of subnets per range set: each set yields one address."""
    for plugin in conflist["plugins"]:
        ipam = plugin.get("ipam") or {}
        for range_set in ipam.get("ranges", []):
            yield [ipaddress.ip_network(r["subnet"], strict=False) for r in range_set]
        if "subnet" in ipam:
            yield [ipaddress.ip_network(ipam["subnet"], strict=False)]


def in_result(result_path, conflist_path, ifname, netns):
    result, conflist = load(result_path), load(conflist_path)
    ifaces = result.get("interfaces", [])
    container = [i for i, it in enumerate(ifaces) if it.get("name") == ifname and it.get("sandbox") == netns]
    if not container:
        sys.exit(f"no interface {ifname} with sandbox {netns} in the result")
    mine = [ipaddress.ip_interface(ip["address"]) for ip in result.get("ips", []) if ip.get("interface") in container]
    for range_set in range_sets(conflist):
        if not any(a.ip in net for a in mine for net in range_set):
            sys.exit(f"no address of {ifname} in {', '.join(map(str, range_set))}"
                     f" (result ips: {[str(a) for a in mine]})")
    for a in mine:
        print(a.with_prefixlen)


def on_link(ip_json_path, *wanted):
    have = set()
    for link in load(ip_json_path):
        for a in link.get("addr_info", []):
            have.add(str(ipaddress.ip_interface(f"{a['local']}/{a['prefixlen']}")))
    missing = [w for w in wanted if str(ipaddress.ip_interface(w)) not in have]
    if missing:
        sys.exit(f"not on the interface: {' '.join(missing)} (it has: {' '.join(sorted(have)) or 'none'})")


if __name__ == "__main__":
    commands = {"in-result": in_result, "on-link": on_link}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
