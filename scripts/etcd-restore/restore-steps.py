#!/usr/bin/env python3
"""restore-steps.py RESTORE.md OUT_DIR: extracts the numbered steps of the "Restore etcd from a
snapshot" section of a generated RESTORE.md into OUT_DIR/step-<n>.sh (the ```sh block of each
step, verbatim) and OUT_DIR/steps.json ({"<n>": {"title": ..., "file": ... or null}}).
Fails when the section, or a code block for steps 1-4, is missing."""
import json
import os
import re
import sys

md, out = sys.argv[1], sys.argv[2]
text = open(md).read()
m = re.search(r'^## Restore etcd from a snapshot\n(.*?)(?=^## |\Z)', text, re.S | re.M)
if not m:
    sys.exit(f'{md}: no "## Restore etcd from a snapshot" section')
section = m.group(1)
os.makedirs(out, exist_ok=True)
steps = {}
for sm in re.finditer(r'^(\d+)\. (.*?)(?=^\d+\. |\Z)', section, re.S | re.M):
    n, body = sm.group(1), sm.group(2)
    title = body.splitlines()[0]
    blocks = re.findall(r'^```sh\n(.*?)^```', body, re.S | re.M)
    f = None
    if blocks:
        f = os.path.join(out, f'step-{n}.sh')
        with open(f, 'w') as fh:
            fh.write('\n'.join(blocks))
    steps[n] = {'title': title, 'file': f}
missing = [n for n in ('1', '2', '3', '4') if not (steps.get(n) or {}).get('file')]
if missing:
    sys.exit(f'{md}: no sh code block for step(s) {", ".join(missing)} of the etcd restore')
json.dump(steps, open(os.path.join(out, 'steps.json'), 'w'), indent=1)
for n, s in steps.items():
    print(f'{n}\t{s["file"] or "-"}\t{s["title"]}')
