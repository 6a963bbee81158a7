#!/usr/bin/env python3
"""client.py URL OUT.tsv STOP_FILE MAX_SECONDS INTERVAL TIMEOUT: requests URL (a new TLS connection
each time, certificate not verified) every INTERVAL seconds until STOP_FILE exists or MAX_SECONDS
(and at most MAX_SECONDS/INTERVAL + 1 requests) have passed. Appends one line per request to
OUT.tsv: start (unix time), duration, ok (1/0), detail (the body's backend name, or the error)."""
import os
import socket
import ssl
import sys
import time
import urllib.parse

url, out, stop, max_s, interval, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
u = urllib.parse.urlsplit(url)
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
req = f'GET {u.path} HTTP/1.1\r\nHost: {u.hostname}\r\nConnection: close\r\n\r\n'.encode()
t_end = time.time() + max_s
n_max = int(max_s / interval) + 1
with open(out, 'a', buffering=1) as f:
    for _ in range(n_max):
        if os.path.exists(stop) or time.time() > t_end:
            break
        t0 = time.time()
        ok, detail = 0, ''
        try:
            with socket.create_connection((u.hostname, u.port), timeout=timeout) as s:
                s.settimeout(timeout)
                with ctx.wrap_socket(s, server_hostname=u.hostname) as t:
                    t.sendall(req)
                    data = b''
                    while True:
                        chunk = t.recv(4096)
                        if not chunk:
                            break
                        data += chunk
            head, _, body = data.partition(b'\r\n\r\n')
            status = head.split(b'\r\n', 1)[0].decode(errors='replace')
            if ' 200 ' in status + ' ' and body.startswith(b'ok '):
                ok, detail = 1, body.decode().split()[1]
            else:
                detail = status or 'empty response'
        except Exception as e:  # noqa: BLE001 - every failure is a data point
            detail = f'{type(e).__name__}: {e}'.replace('\t', ' ').replace('\n', ' ')[:120]
        dt = time.time() - t0
        f.write(f'{t0:.3f}\t{dt:.3f}\t{ok}\t{detail}\n')
        time.sleep(max(0.0, interval - dt))
