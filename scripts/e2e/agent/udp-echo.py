#!/usr/bin/env python3
"""A UDP echo that tells the asker which source address it saw (to prove pod-to-pod traffic is not NATed).

  udp-echo.py serve PORT            answer every datagram with "<source address>" (IPv4 and IPv6)
  udp-echo.py ask HOST PORT [-t S]  send one datagram, print the answer; exit 1 on no answer within S s
                                    (tries 3 times, so one packet lost to a neighbour resolution is no failure)
"""
import argparse
import socket
import sys


def serve(port):
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    sock.bind(("::", port))
    while True:
        data, peer = sock.recvfrom(2048)
        host = peer[0]
        if host.startswith("::ffff:"):
            host = host[len("::ffff:"):]
        sock.sendto(host.encode(), peer)


def ask(host, port, timeout):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.settimeout(timeout / 3)
    for _ in range(3):
        sock.sendto(b"who am i", (host, port))
        try:
            data, _ = sock.recvfrom(2048)
        except socket.timeout:
            continue
        print(data.decode())
        return 0
    return 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="verb", required=True)
    p = sub.add_parser("serve")
    p.add_argument("port", type=int)
    p = sub.add_parser("ask")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("-t", "--timeout", type=float, default=1.5)
    args = parser.parse_args()
    if args.verb == "serve":
        serve(args.port)
        return 0
    return ask(args.host, args.port, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
