#!/usr/bin/env python3
"""TCP throughput between two pods, for scripts/bench-agent.sh.

  tcp-throughput.py serve PORT           accept one connection, read it to the end, print the bytes received
  tcp-throughput.py send HOST PORT SECS  write 256 KiB blocks for SECS seconds; print Gbit/s sent
"""
import socket
import sys
import time


def serve(port):
    listener = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("::", port))
    listener.listen(1)
    conn, _ = listener.accept()
    total = 0
    buf = bytearray(1 << 20)
    while True:
        n = conn.recv_into(buf)
        if n == 0:
            break
        total += n
    print(total)


def send(host, port, seconds):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_connection((host, port), timeout=5) if family == socket.AF_INET else socket.socket(family)
    if family == socket.AF_INET6:
        sock.connect((host, port))
    block = b"\0" * (256 << 10)
    sent = 0
    start = time.monotonic()
    deadline = start + seconds
    while time.monotonic() < deadline:
        sock.sendall(block)
        sent += len(block)
    sock.shutdown(socket.SHUT_WR)
    sock.recv(1)
    elapsed = time.monotonic() - start
    print(f"{sent * 8 / elapsed / 1e9:.2f}")


def main():
    verb = sys.argv[1] if len(sys.argv) > 1 else ""
    if verb == "serve" and len(sys.argv) == 3:
        serve(int(sys.argv[2]))
    elif verb == "send" and len(sys.argv) == 5:
        send(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
