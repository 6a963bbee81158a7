#!/usr/bin/env python3
"""Static checks of a rendered etcd-backup CronJob (scripts/verify-etcd-restore.sh, issue 13):

    check-cronjob.py CronJob.yaml            # exit 1 listing each violation
    check-cronjob.py --negative CronJob.yaml # the checks fed broken forms of it: each must be flagged

- hostPath volumes: only the three files etcdctl reads (type File), never a folder of the etcd PKI
  (it holds the CA key), plus the snapshot folder;
- every shell script that writes a snapshot to the node starts with `umask 077`;
- every S3 upload asks for server-side encryption (--sse).
"""
import copy
import sys

import yaml

PKI = '/etc/kubernetes/pki'
CLIENT_FILES = {'/etc/kubernetes/pki/etcd/ca.crt', '/etc/kubernetes/pki/etcd/healthcheck-client.crt',
                '/etc/kubernetes/pki/etcd/healthcheck-client.key'}
BACKUP_DIR = '/var/lib/etcd-backup'


def pod_of(cj):
    return cj['spec']['jobTemplate']['spec']['template']['spec']


def violations(cj):
    out = []
    pod = pod_of(cj)
    for v in pod.get('volumes', []):
        hp = v.get('hostPath')
        if not hp:
            continue
        path = hp['path'].rstrip('/') or '/'
        if path in CLIENT_FILES:
            if hp.get('type') != 'File':
                out.append(f'volume {v["name"]}: {path} must be hostPath type File (received {hp.get("type")!r})')
        elif path == BACKUP_DIR:
            pass
        elif PKI.startswith(path + '/') or path == PKI or path.startswith(PKI + '/') or path == '/':
            out.append(f'volume {v["name"]}: hostPath {path} exposes PKI files beyond the etcd client certificate, key and CA certificate')
        else:
            out.append(f'volume {v["name"]}: unexpected hostPath {path}')
    for c in pod.get('initContainers', []) + pod.get('containers', []):
        script = '\n'.join(c.get('args') or []) if (c.get('command') or [])[:2] == ['/bin/sh', '-c'] else ''
        mounts = {m['mountPath'] for m in c.get('volumeMounts', [])}
        if BACKUP_DIR in mounts and script:
            first = [l.strip() for l in script.splitlines() if l.strip() and l.strip() != 'set -eu']
            if not first or first[0] != 'umask 077':
                out.append(f'container {c["name"]}: writes {BACKUP_DIR} without `umask 077` first')
        if ' s3 cp ' in script and '--sse ' not in script:
            out.append(f'container {c["name"]}: S3 upload without server-side encryption (--sse)')
    return out


def broken_forms(cj):
    """(name, CronJob) pairs each check must flag."""
    forms = []
    b = copy.deepcopy(cj)
    pod = pod_of(b)
    pod['volumes'] = [v for v in pod['volumes'] if v.get('hostPath', {}).get('path') not in CLIENT_FILES]
    pod['volumes'].append({'name': 'etcd-pki', 'hostPath': {'path': '/etc/kubernetes/pki/etcd', 'type': 'Directory'}})
    forms.append(('the whole etcd PKI folder mounted', b))
    b = copy.deepcopy(cj)
    for v in pod_of(b)['volumes']:
        if v.get('hostPath', {}).get('path') in CLIENT_FILES:
            v['hostPath']['type'] = 'DirectoryOrCreate'
    forms.append(('client files not of type File', b))
    b = copy.deepcopy(cj)
    for c in pod_of(b)['containers'] + pod_of(b).get('initContainers', []):
        if c.get('args'):
            c['args'] = [a.replace('umask 077\n', '') for a in c['args']]
    forms.append(('no umask 077', b))
    if any(' s3 cp ' in '\n'.join(c.get('args') or []) for c in pod_of(cj).get('initContainers', [])):
        b = copy.deepcopy(cj)
        for c in pod_of(b)['initContainers']:
            c['args'] = [a.replace('--sse AES256 ', '') for a in c.get('args') or []]
        forms.append(('upload without --sse', b))
    return forms


def main(argv):
    negative = argv[1:2] == ['--negative']
    path = argv[-1]
    with open(path) as f:
        cj = yaml.safe_load(f)
    if not negative:
        v = violations(cj)
        for line in v:
            print(f'{path}: {line}', file=sys.stderr)
        return 1 if v else 0
    missed = [name for name, b in broken_forms(cj) if not violations(b)]
    for name in missed:
        print(f'NEGATIVE CONTROL not flagged: {name}', file=sys.stderr)
    print(f'{len(broken_forms(cj)) - len(missed)}/{len(broken_forms(cj))} broken forms flagged')
    return 1 if missed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
