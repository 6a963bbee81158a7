#!/usr/bin/env python3
"""Runs one Job of a rendered etcd-backup CronJob the way the kubelet would, on an emulated node.

    run-cronjob.py --cronjob CronJob.yaml --netns NS --node-root DIR --work DIR \
                   --tools-bin DIR --s3-dir DIR [--secret name/key=value ...]

Used by scripts/verify-etcd-restore.sh. The containers' command, args and env are taken verbatim
from the rendered manifest (no text is rewritten; `$(VAR)` references are expanded from the
container's env as the kubelet does). Each container runs, in order (initContainers, then
containers; the first failure fails the Job), as:

  ip netns exec NS                       hostNetwork: the node's network namespace
    unshare --mount                      a private mount namespace per container
      chroot ROOTFS                      the image, read-only when readOnlyRootFilesystem
        setpriv --bounding-set=-all      capabilities.drop: [ALL], allowPrivilegeEscalation: false
          env -i <manifest env> CMD ARGS

with every volumeMount bind-mounted at its mountPath (hostPath volumes from NODE_ROOT + path, a
type File hostPath as a single file,
emptyDirs from a per-Job directory, readOnly mounts read-only). Images are emulated:

  registry.k8s.io/etcd:*     /usr of this machine plus the pinned etcd/etcdctl/etcdutl build
                             (.cache/tools/bin) at /usr/local/bin, as in the image
  */busybox:*                Debian's busybox, every applet linked into /bin (the image's layout)
  */aws-cli:*                busybox plus a stub `aws` that accepts only
                             `aws --endpoint-url URL s3 cp --sse AES256 FILE s3://BUCKET/KEY` and copies FILE to
                             S3_DIR/BUCKET/KEY (there is no S3 endpoint here)
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

import yaml

PATH_ETCD = '/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin'
PATH_BUSYBOX = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
AWS_STUB = r'''#!/bin/sh
# Stub of the AWS CLI for scripts/verify-etcd-restore.sh: only what the etcd-backup upload runs.
set -eu
# Server-side encryption is required: an upload without --sse AES256 is refused.
[ "$#" -eq 8 ] && [ "$1" = --endpoint-url ] && [ "$3" = s3 ] && [ "$4" = cp ] && [ "$5" = --sse ] && [ "$6" = AES256 ] \
  || { echo "aws stub: unsupported (expected: --endpoint-url URL s3 cp --sse AES256 FILE s3://BUCKET/KEY): $*" >&2; exit 2; }
case "$8" in s3://*/*) ;; *) echo "aws stub: bad target $8" >&2; exit 2;; esac
: "${AWS_ACCESS_KEY_ID:?}" "${AWS_SECRET_ACCESS_KEY:?}" "${AWS_DEFAULT_REGION:?}"
dest="/.s3/${8#s3://}"
mkdir -p "$(dirname "$dest")"
cp "$7" "$dest"
echo "upload: $7 to $8 (endpoint $2, SSE $6, stubbed)"
'''


def log(msg):
    print(f'[etcd-restore] {msg}', file=sys.stderr, flush=True)


def expand(value, env):
    """The kubelet's $(VAR) expansion ($$(VAR) escapes)."""
    return re.sub(r'\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)',
                  lambda m: '$' if m.group(0) == '$$' else env.get(m.group(1), m.group(0)), value)


def container_env(c, secrets):
    env = {}
    for e in c.get('env', []) or []:
        if 'value' in e:
            env[e['name']] = expand(str(e['value']), env)
        elif 'valueFrom' in e and 'secretKeyRef' in e['valueFrom']:
            ref = e['valueFrom']['secretKeyRef']
            key = f"{ref['name']}/{ref['key']}"
            if key not in secrets:
                raise SystemExit(f'container {c["name"]}: secret {key} not provided (the kubelet would refuse to start it)')
            env[e['name']] = secrets[key]
        else:
            raise SystemExit(f'container {c["name"]}: unsupported env source {e}')
    return env


def build_rootfs(rootfs, image, tools_bin, s3_dir):
    """Returns (binds [(src, dst, ro)], default PATH) and prepares ROOTFS."""
    os.makedirs(rootfs)
    for d in ('proc', 'dev', '.pod'):
        os.makedirs(os.path.join(rootfs, d))
    for tool in ('setpriv', 'env'):
        open(os.path.join(rootfs, '.pod', tool), 'w').close()
    binds = [('/usr/bin/setpriv', '/.pod/setpriv', True), ('/usr/bin/env', '/.pod/env', True)]
    if image.startswith('registry.k8s.io/etcd:'):
        os.makedirs(os.path.join(rootfs, 'usr'))
        for link in ('bin', 'lib', 'lib64', 'sbin'):
            os.symlink(f'usr/{link}', os.path.join(rootfs, link))
        binds += [('/usr', '/usr', True), (tools_bin, '/usr/local/bin', True)]
        return binds, PATH_ETCD
    if re.match(r'^(docker\.io/)?(library/)?busybox:', image) or re.match(r'^(docker\.io/)?amazon/aws-cli:', image):
        for d in ('bin', 'usr/lib', 'usr/lib64', 'etc', 'tmp', 'var', 'root'):
            os.makedirs(os.path.join(rootfs, d))
        for link in ('lib', 'lib64'):
            os.symlink(f'usr/{link}', os.path.join(rootfs, link))
        shutil.copy2('/bin/busybox', os.path.join(rootfs, 'bin', 'busybox'))
        for applet in subprocess.run(['/bin/busybox', '--list'], check=True, capture_output=True, text=True).stdout.split():
            if applet != 'busybox':
                os.symlink('busybox', os.path.join(rootfs, 'bin', applet))
        binds += [('/usr/lib', '/usr/lib', True), ('/usr/lib64', '/usr/lib64', True)]
        if 'aws-cli' in image:
            os.makedirs(os.path.join(rootfs, 'usr', 'local', 'bin'))
            stub = os.path.join(rootfs, 'usr', 'local', 'bin', 'aws')
            with open(stub, 'w') as f:
                f.write(AWS_STUB)
            os.chmod(stub, 0o755)
            os.makedirs(os.path.join(rootfs, '.s3'))
            os.makedirs(s3_dir, exist_ok=True)
            binds.append((s3_dir, '/.s3', False))
        return binds, PATH_BUSYBOX
    raise SystemExit(f'no emulation for image {image}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cronjob', required=True)
    ap.add_argument('--netns', required=True)
    ap.add_argument('--node-root', required=True)
    ap.add_argument('--work', required=True)
    ap.add_argument('--tools-bin', required=True)
    ap.add_argument('--s3-dir', required=True)
    ap.add_argument('--secret', action='append', default=[])
    ap.add_argument('--timeout', type=int, default=60, help='seconds per container')
    a = ap.parse_args()
    secrets = dict(s.split('=', 1) for s in a.secret)

    with open(a.cronjob) as f:
        cj = yaml.safe_load(f)
    assert cj['kind'] == 'CronJob', a.cronjob
    pod = cj['spec']['jobTemplate']['spec']['template']['spec']
    if not pod.get('hostNetwork'):
        raise SystemExit('the Job is expected to use hostNetwork (etcd listens on the node\'s 127.0.0.1)')
    volumes = {v['name']: v for v in pod['volumes']}
    job_dir = os.path.join(a.work, f'job-{time.time_ns()}')
    os.makedirs(job_dir)
    steps = [('init', c) for c in pod.get('initContainers', [])] + [('main', c) for c in pod['containers']]
    for kind, c in steps:
        t0 = time.monotonic()
        env = container_env(c, secrets)
        argv = [expand(x, env) for x in (c.get('command') or [])] + [expand(x, env) for x in (c.get('args') or [])]
        if not argv:
            raise SystemExit(f'container {c["name"]}: no command (image entrypoint not emulated)')
        sc = c.get('securityContext', {})
        rootfs = os.path.join(job_dir, c['name'], 'rootfs')
        binds, default_path = build_rootfs(rootfs, c['image'], a.tools_bin, a.s3_dir)
        for m in c.get('volumeMounts', []) or []:
            v = volumes[m['name']]
            if 'hostPath' in v:
                src = os.path.join(a.node_root, v['hostPath']['path'].lstrip('/'))
                t = v['hostPath'].get('type', '')
                if t == 'DirectoryOrCreate':
                    os.makedirs(src, exist_ok=True)
                elif t == 'Directory' and not os.path.isdir(src):
                    raise SystemExit(f'hostPath {v["hostPath"]["path"]} (type Directory) does not exist on the node')
                elif t == 'File' and not os.path.isfile(src):
                    raise SystemExit(f'hostPath {v["hostPath"]["path"]} (type File) does not exist on the node')
            elif 'emptyDir' in v:
                src = os.path.join(job_dir, 'emptydir', m['name'])
                os.makedirs(src, exist_ok=True)
            else:
                raise SystemExit(f'unsupported volume {v}')
            target = os.path.join(rootfs, m['mountPath'].lstrip('/'))
            if os.path.isfile(src):  # a file mount point, as the runtime creates it
                os.makedirs(os.path.dirname(target), exist_ok=True)
                open(target, 'a').close()
            else:
                os.makedirs(target, exist_ok=True)
            binds.append((src, m['mountPath'], bool(m.get('readOnly'))))
        envv = {'PATH': default_path, 'HOSTNAME': 'etcd-backup', **env}
        if sc.get('runAsUser', 0) != 0:
            raise SystemExit('only runAsUser 0 is emulated')
        drop_all = 'ALL' in (sc.get('capabilities', {}) or {}).get('drop', [])
        priv = ['/.pod/setpriv']
        if sc.get('allowPrivilegeEscalation') is False:
            priv.append('--no-new-privs')
        if drop_all:
            priv += ['--bounding-set=-all', '--inh-caps=-all']
        q = shlex.quote
        lines = ['set -eu', f'R={q(rootfs)}', 'mount --bind "$R" "$R"', 'mount -t proc proc "$R/proc"',
                 'mount --rbind /dev "$R/dev"']
        for src, dst, ro in binds:
            lines.append(f'mount --bind {q(src)} "$R"{q(dst)}')
            if ro:
                lines.append(f'mount -o remount,bind,ro "$R"{q(dst)}')
        if sc.get('readOnlyRootFilesystem'):
            lines.append('mount -o remount,bind,ro "$R"')
        cmd = ['chroot', rootfs, *priv, '/.pod/env', '-i', *[f'{k}={v}' for k, v in envv.items()], *argv]
        lines.append('exec ' + ' '.join(q(x) for x in cmd))
        setup = '\n'.join(lines)
        log(f'  {kind} container {c["name"]} ({c["image"]}): {" ".join(argv)[:110]!s}')
        try:
            r = subprocess.run(['ip', 'netns', 'exec', a.netns, 'unshare', '--mount', '--propagation', 'private',
                                'bash', '-c', setup], timeout=a.timeout, capture_output=True, text=True)
        except subprocess.TimeoutExpired:
            raise SystemExit(f'container {c["name"]} did not finish within {a.timeout}s')
        out = (r.stdout + r.stderr).rstrip()
        if out:
            print('\n'.join('      | ' + l for l in out.splitlines()), file=sys.stderr, flush=True)
        if r.returncode != 0:
            log(f'  container {c["name"]} FAILED (exit {r.returncode}, {time.monotonic() - t0:.1f}s): the Job fails')
            return 1
        log(f'  container {c["name"]} ok ({time.monotonic() - t0:.1f}s)')
    json.dump({'job': job_dir}, sys.stdout)
    print()
    return 0


if __name__ == '__main__':
    sys.exit(main())
