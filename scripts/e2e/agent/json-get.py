#!/usr/bin/env python3
"""Read a value out of JSON on stdin: json-get.py PATH, PATH like "status" or "unreachablePeers.0.node";
json-get.py --len PATH prints the length of a list. Prints nothing and exits 1 when the path is absent."""
import json
import sys


def main():
    args = sys.argv[1:]
    length = args and args[0] == "--len"
    if length:
        args = args[1:]
    try:
        value = json.load(sys.stdin)
    except ValueError:
        return 1
    for part in args[0].split(".") if args and args[0] else []:
        try:
            value = value[int(part)] if isinstance(value, list) else value[part]
        except (KeyError, IndexError, ValueError, TypeError):
            return 1
    if length:
        print(len(value))
    elif isinstance(value, (dict, list)):
        print(json.dumps(value))
    else:
        print(value)
    return 0


if __name__ == "__main__":
    sys.exit(main())
