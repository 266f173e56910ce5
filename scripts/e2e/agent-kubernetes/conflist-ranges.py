#!/usr/bin/env python3
"""Print the IPAM range subnets of a conflist, sorted, space-separated: conflist-ranges.py FILE.

Reads every plugin's ipam.ranges (host-local's list of range sets) and ipam.subnet; exits 1 when
the file is missing or is not JSON.
"""
import json
import sys


def subnets(conflist):
    for plugin in conflist.get("plugins") or []:
        ipam = plugin.get("ipam") or {}
        if ipam.get("subnet"):
            yield ipam["subnet"]
        for range_set in ipam.get("ranges") or []:
            for r in range_set:
                if r.get("subnet"):
                    yield r["subnet"]


def main():
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            conflist = json.load(f)
    except (OSError, ValueError, IndexError):
        return 1
    print(" ".join(sorted(set(subnets(conflist)))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
