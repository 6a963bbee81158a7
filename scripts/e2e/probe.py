#!/usr/bin/env python3
"""probe.py OUT STOP_FILE INTERVAL NAME=URL...: every INTERVAL seconds, one GET per URL (a new
connection each time, 1 s timeout, TLS certificate not verified: the VIP's certificate is the
cluster's own) until STOP_FILE exists. Appends "unix_time NAME ok|fail detail" lines to OUT.
Run inside the test network (ip netns exec e2e-br); the harness reads OUT to measure outages."""
import http.client
import os
import ssl
import sys
import time
import urllib.parse

out, stop, interval = sys.argv[1], sys.argv[2], float(sys.argv[3])
targets = [arg.split('=', 1) for arg in sys.argv[4:]]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE


def get(url):
    u = urllib.parse.urlsplit(url)
    if u.scheme == 'https':
        conn = http.client.HTTPSConnection(u.hostname, u.port, timeout=1, context=ctx)
    else:
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=1)
    try:
        conn.request('GET', u.path or '/')
        resp = conn.getresponse()
        body = resp.read(200).decode(errors='replace').strip().replace(' ', '_')
        return resp.status == 200, f'{resp.status}:{body}'
    except OSError as e:
        return False, type(e).__name__
    finally:
        conn.close()


with open(out, 'a', buffering=1) as f:
    while not os.path.exists(stop):
        t0 = time.time()
        for name, url in targets:
            ok, detail = get(url)
            f.write(f'{time.time():.3f} {name} {"ok" if ok else "fail"} {detail}\n')
        time.sleep(max(0.0, interval - (time.time() - t0)))
