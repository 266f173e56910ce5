#!/usr/bin/env python3
"""Reads a file over and over until a stop file appears; exits 1 at the first read that is not whole JSON.

Usage: read-loop.py FILE STOP_FILE   (the kind-kit suite's render-concurrent-reader case)
"""
import json
import os
import sys


def main(path, stop):
    reads = 0
    while not os.path.exists(stop):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            json.loads(text)
        except ValueError:
            print("partial read (%d bytes): %r" % (len(text), text[:60]))
            return 1
        reads += 1
    print("reads", reads)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
