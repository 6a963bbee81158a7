#!/usr/bin/env python3
"""healthz.py IP PORT CERT KEY NAME: a stand-in kube-apiserver for scripts/verify-vip-failover.sh.
HTTPS on IP:PORT; GET /healthz answers 200 "ok NAME" (NAME tells the client which backend served
it through HAProxy's TCP passthrough); everything else 404."""
import http.server
import ssl
import sys

ip, port, cert, key, name = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f'ok {name}\n'.encode() if self.path == '/healthz' else b'not found\n'
        self.send_response(200 if self.path == '/healthz' else 404)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.send_header('Connection', 'close')
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        pass  # TLS handshakes cut short by health checks


ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv = Server((ip, port), Handler)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print(f'healthz {name} listening on https://{ip}:{port}/healthz', flush=True)
srv.serve_forever()
