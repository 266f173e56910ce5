#!/usr/bin/env python3
"""A local HTTPS fake of the Kubernetes API server, as much as conflist-agent.sh uses: GET /api/v1/nodes/NAME.

Usage: fake-apiserver.py DIR TOKEN

Serves with DIR/sa/ca.crt and DIR/key.pem on 127.0.0.1 and a free port, which it writes to DIR/port
(atomically) once it listens. Requests without "Authorization: Bearer TOKEN" get 401, unknown nodes 404.
"""
import http.server
import json
import os
import ssl
import sys

NODES = {  # name -> spec, as the API server returns them
    "dual-node": {"podCIDR": "10.244.7.0/24", "podCIDRs": ["10.244.7.0/24", "fd00:10:244:7::/64"]},
    "legacy-node": {"podCIDR": "10.244.8.0/24"},
    "fresh-node": {},
}
PREFIX = "/api/v1/nodes/"


def handler(token):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.headers.get("Authorization") != "Bearer " + token:
                return self.reply(401, {"kind": "Status", "code": 401})
            name = self.path[len(PREFIX):] if self.path.startswith(PREFIX) else None
            if name not in NODES:
                return self.reply(404, {"kind": "Status", "code": 404})
            return self.reply(200, {"kind": "Node", "apiVersion": "v1", "metadata": {"name": name},
                                    "spec": NODES[name]})

        def reply(self, code, body):
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def main(directory, token):
    server = http.server.HTTPServer(("127.0.0.1", 0), handler(token))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(directory, "sa", "ca.crt"), os.path.join(directory, "key.pem"))
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    with open(os.path.join(directory, "port.tmp"), "w", encoding="utf-8") as f:
        f.write(str(server.server_address[1]))
    os.rename(os.path.join(directory, "port.tmp"), os.path.join(directory, "port"))
    server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
