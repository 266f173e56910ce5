#!/usr/bin/env python3
"""Prints the body of GET URL (2 s timeout). The static busybox's wget crashes here, hence Python.

Usage: http-get.py URL
"""
import sys
import urllib.request

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(urllib.request.urlopen(sys.argv[1], timeout=2).read().decode())
