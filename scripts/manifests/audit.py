#!/usr/bin/env python3
"""API audit log shipping (issue 13): with logging on, kube-apiserver's audit log leaves the node.

  audit.py <audit-log-path> <dist-dir> [<dist-dir> ...]

<audit-log-path> is kube-apiserver's --audit-log-path (facts/audit-log.ts API_AUDIT_LOG.path, the
constant cloud-init gives kubeadm). In every rendered cluster with a Loki release:
1. the Alloy release `alloy-audit` exists: a DaemonSet on the control planes (nodeSelector and the
   NoSchedule toleration), whose config tails exactly that path, not a glob, through a read-only
   hostPath of its folder;
2. its container drops every capability and adds none, cannot escalate, has a read-only root
   filesystem and the RuntimeDefault seccomp profile;
3. its namespace is Pod Security privileged (a hostPath is refused below), with egress to Loki's
   pods on the push port, and Loki's namespace admits the shipper's pods on that port.
Exits 1 listing every problem; prints one ok line per cluster otherwise.
"""
import glob
import os
import re
import sys

import yaml

RELEASE = 'alloy-audit'
CONTROL_PLANE = 'node-role.kubernetes.io/control-plane'
LOKI_PORT = 3100


def releases(objs):
    """name -> (namespace, values) of every Argo CD Application / Flux HelmRelease with a chart."""
    out = {}
    for o in objs:
        if o.get('kind') == 'Application' and o.get('spec', {}).get('source', {}).get('chart'):
            spec = o['spec']
            out[o['metadata']['name']] = (spec['destination'].get('namespace'), spec['source'].get('helm', {}).get('valuesObject', {}))
        elif o.get('kind') == 'HelmRelease':
            out[o['metadata']['name']] = (o['spec'].get('targetNamespace') or o['metadata'].get('namespace'), o['spec'].get('values', {}))
    return out


def _port_ok(rule):
    return any(p.get('port') == LOKI_PORT and p.get('protocol', 'TCP') == 'TCP' for p in rule.get('ports', []) or [])


def _peer_is(peer, namespace, labels):
    ns = peer.get('namespaceSelector', {}).get('matchLabels', {}).get('kubernetes.io/metadata.name')
    pods = peer.get('podSelector', {}).get('matchLabels', {})
    return ns == namespace and bool(pods) and all(pods.get(k) == v for k, v in labels.items())


def problems(objs, path):
    rel = releases(objs)
    if 'loki' not in rel:
        return []
    if RELEASE not in rel:
        return [f'logging is on (release loki) but no release {RELEASE} ships the API audit log {path} to Loki']
    ns, v = rel[RELEASE]
    out = []
    where = f'release {RELEASE} (namespace {ns})'
    ctl = v.get('controller', {})
    if ctl.get('type') != 'daemonset':
        out.append(f'{where}: controller.type is {ctl.get("type")!r}, not daemonset (one shipper per control plane)')
    if (ctl.get('nodeSelector') or {}).get(CONTROL_PLANE) != '':
        out.append(f'{where}: controller.nodeSelector does not select {CONTROL_PLANE} (the audit log exists on control planes only)')
    if not any(t.get('key') == CONTROL_PLANE and t.get('effect') == 'NoSchedule' and t.get('operator') == 'Exists' for t in ctl.get('tolerations', []) or []):
        out.append(f'{where}: controller.tolerations lack the control-plane NoSchedule toleration')
    alloy = v.get('alloy', {})
    config = alloy.get('configMap', {}).get('content', '') or ''
    paths = re.findall(r'"?__path__"?\s*=\s*"([^"]*)"', config)
    if paths != [path]:
        out.append(f'{where}: the Alloy config tails {paths}, not exactly kube-apiserver\'s --audit-log-path {path!r}')
    if 'loki.source.file' not in config or 'loki.write' not in config:
        out.append(f'{where}: the Alloy config has no loki.source.file -> loki.write pipeline')
    folder = os.path.dirname(path)
    volumes = {x.get('name'): x for x in ctl.get('volumes', {}).get('extra', []) or []}
    mounts = [m for m in alloy.get('mounts', {}).get('extra', []) or [] if volumes.get(m.get('name'), {}).get('hostPath', {}).get('path') == folder]
    if not mounts:
        out.append(f'{where}: no hostPath volume of {folder} is mounted into the Alloy container')
    for m in mounts:
        if m.get('mountPath') != folder or m.get('readOnly') is not True:
            out.append(f'{where}: the hostPath {folder} is mounted at {m.get("mountPath")!r} readOnly={m.get("readOnly")!r}, not read-only at {folder}')
    sc = alloy.get('securityContext', {}) or {}
    caps = sc.get('capabilities', {}) or {}
    if caps.get('drop') != ['ALL'] or caps.get('add'):
        out.append(f'{where}: alloy.securityContext.capabilities is {caps}, not drop [ALL] with nothing added')
    for key, want in (('allowPrivilegeEscalation', False), ('readOnlyRootFilesystem', True)):
        if sc.get(key) is not want:
            out.append(f'{where}: alloy.securityContext.{key} is {sc.get(key)!r}, not {want}')
    if sc.get('privileged'):
        out.append(f'{where}: alloy.securityContext.privileged is set')
    if (sc.get('seccompProfile') or {}).get('type') != 'RuntimeDefault':
        out.append(f'{where}: alloy.securityContext.seccompProfile is not RuntimeDefault')
    namespace = next((o for o in objs if o.get('kind') == 'Namespace' and o['metadata']['name'] == ns), None)
    if not namespace or (namespace['metadata'].get('labels') or {}).get('pod-security.kubernetes.io/enforce') != 'privileged':
        out.append(f'{where}: namespace {ns} is missing or not Pod Security privileged (its hostPath volumes would be refused)')
    loki_ns = rel['loki'][0]
    pods = {'app.kubernetes.io/name': 'alloy', 'app.kubernetes.io/instance': RELEASE}
    policies = [o for o in objs if o.get('kind') == 'NetworkPolicy']
    egress = any(_port_ok(r) and any(_peer_is(p, loki_ns, {'app.kubernetes.io/name': 'loki'}) for p in r.get('to', []) or [])
                 for o in policies if o['metadata']['namespace'] == ns for r in o['spec'].get('egress', []) or [])
    if not egress:
        out.append(f'{where}: no NetworkPolicy in {ns} lets it reach Loki\'s pods in {loki_ns} on port {LOKI_PORT}')
    ingress = any(_port_ok(r) and any(_peer_is(p, ns, pods) for p in r.get('from', []) or [])
                  for o in policies if o['metadata']['namespace'] == loki_ns for r in o['spec'].get('ingress', []) or [])
    if not ingress:
        out.append(f'{where}: no NetworkPolicy in {loki_ns} admits its pods {pods} on port {LOKI_PORT}')
    return out


def main():
    path, dists = sys.argv[1], sys.argv[2:]
    if not path.startswith('/') or not dists:
        print('usage: audit.py <audit-log-path> <dist-dir>...', file=sys.stderr)
        sys.exit(2)
    failed = 0
    for dist in dists:
        objs = []
        for f in sorted(glob.glob(os.path.join(dist, 'manifests', '**', '*.yaml'), recursive=True)):
            objs.extend(o for o in yaml.safe_load_all(open(f)) if isinstance(o, dict) and o.get('kind'))
        if not objs:
            print(f'  FAIL {dist}: no manifests found', flush=True)
            failed += 1
            continue
        found = problems(objs, path)
        for p in found:
            print(f'  FAIL {dist}: audit log shipping: {p}', flush=True)
        failed += len(found)
        if not found:
            shipped = 'logging off' if 'loki' not in releases(objs) else f'{RELEASE} tails {path}'
            print(f'  ok   {dist}: audit log shipping ({shipped})', flush=True)
    if failed:
        print(f'[verify-manifests] audit log shipping FAILED: {failed} problem(s)', file=sys.stderr, flush=True)
        sys.exit(1)


if __name__ == '__main__':
    main()
