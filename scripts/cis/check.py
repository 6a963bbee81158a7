#!/usr/bin/env python3
"""Checks what kubeadm rendered (static pod manifests, KubeletConfiguration, kubelet flags, file
modes) against the CIS items in scripts/cis/cis-1.11.yaml (and the project's own items, ids pve-k8s.*). Accepted deviations come from the
`cis:` list of verify-skips.yaml; an accepted item that passes is reported as stale (a failure),
so the skips file cannot silently outlive a fix.

  check.py --rootfs DIR --kubelet-config FILE --kubelet-flags FILE --table cis-1.11.yaml --skips verify-skips.yaml

Prints one line per item (PASS / FAIL / ACCEPTED / STALE) and exits 1 on any FAIL or STALE.
"""
import argparse
import glob
import grp
import os
import pwd
import re
import shlex
import stat
import sys
from urllib.parse import urlparse

import yaml

COMPONENT_MANIFEST = {
    'apiserver': 'kube-apiserver.yaml',
    'controller-manager': 'kube-controller-manager.yaml',
    'scheduler': 'kube-scheduler.yaml',
    'etcd': 'etcd.yaml',
}


def manifest_flags(path):
    with open(path) as f:
        pod = yaml.safe_load(f)
    command = pod['spec']['containers'][0]['command']
    flags = {}
    for arg in command[1:]:
        if arg.startswith('--'):
            key, _, value = arg[2:].partition('=')
            flags[key] = value if _ else 'true'
    return flags


def env_flags(path):
    text = open(path).read()
    m = re.search(r'KUBELET_KUBEADM_ARGS="([^"]*)"', text)
    flags = {}
    for arg in shlex.split(m.group(1) if m else ''):
        key, _, value = arg.lstrip('-').partition('=')
        flags[key] = value if _ else 'true'
    return flags


def norm(v):
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, list):
        return ','.join(norm(x) for x in v)
    return str(v)


def dig(doc, dotted):
    cur = doc
    for part in dotted.split('.'):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def is_zero(v):
    return re.fullmatch(r'0+(\.0+)?([a-z]+)?', v.strip()) is not None


def braces(pattern):
    m = re.search(r'\{([^{}]*)\}', pattern)
    if not m:
        return [pattern]
    out = []
    for alt in m.group(1).split(','):
        out += braces(pattern[:m.start()] + alt + pattern[m.end():])
    return out


class Ctx:
    def __init__(self, args):
        self.rootfs = args.rootfs
        mdir = os.path.join(args.rootfs, 'etc/kubernetes/manifests')
        self.flags = {c: manifest_flags(os.path.join(mdir, f)) for c, f in COMPONENT_MANIFEST.items()}
        self.kubelet_config = yaml.safe_load(open(args.kubelet_config))
        self.kubelet_flags = env_flags(args.kubelet_flags)

    def value(self, test):
        """(found, value as string, where) for a flag/config test."""
        c = test['component']
        if c in COMPONENT_MANIFEST:
            v = self.flags[c].get(test['flag'])
            return v is not None, v, f"{c} --{test['flag']}"
        if c == 'kubelet':
            if test.get('flag') and test['flag'] in self.kubelet_flags:
                return True, self.kubelet_flags[test['flag']], f"kubelet flag --{test['flag']}"
            if test.get('path'):
                v = dig(self.kubelet_config, test['path'])
                return v is not None, None if v is None else norm(v), f"KubeletConfiguration .{test['path']}"
            return False, None, f"kubelet flag --{test['flag']}"
        raise ValueError(f'unknown component {c}')


def run_test(ctx, t):
    """Returns (ok, detail)."""
    op, want = t['op'], None if t.get('value') is None else norm(t['value'])
    c = t['component']
    if c == 'file':
        paths = sorted({p for pat in braces(t['path']) for p in glob.glob(ctx.rootfs + pat, recursive=True)})
        if not paths:
            return False, f"no file matches {t['path']}"
        bad = []
        for p in paths:
            st = os.stat(p)
            rel = p[len(ctx.rootfs):]
            if op == 'mode':
                mode = stat.S_IMODE(st.st_mode)
                if mode & ~int(want, 8):
                    bad.append(f'{rel} {mode:o}')
            elif op == 'owner':
                try:
                    owner = f'{pwd.getpwuid(st.st_uid).pw_name}:{grp.getgrgid(st.st_gid).gr_name}'
                except KeyError:
                    owner = f'{st.st_uid}:{st.st_gid}'
                if owner != want:
                    bad.append(f'{rel} {owner}')
            else:
                raise ValueError(f'op {op} not for files')
        return (not bad), (f"{len(paths)} file(s) {op} {want}" if not bad else f"want {op} {want}: " + ', '.join(bad[:4]))
    if c == 'encryption':
        cfg_path = ctx.flags['apiserver'].get('encryption-provider-config')
        if not cfg_path:
            return False, 'kube-apiserver has no --encryption-provider-config'
        full = os.path.join(ctx.rootfs, cfg_path.lstrip('/'))
        if not os.path.exists(full):
            return False, f'{cfg_path} missing in the rendered root'
        doc = yaml.safe_load(open(full))
        firsts = [next(iter(r['providers'][0])) for r in doc.get('resources', [])]
        ok = bool(firsts) and all(p in want.split(',') for p in firsts)
        return ok, f"{cfg_path}: first provider(s) {','.join(firsts) or 'none'} (want one of {want})"
    found, v, where = ctx.value(t)
    if not found:
        if op == 'unset':
            return True, f'{where} not set'
        return bool(t.get('unset_ok')), f'{where} not set' + (' (default is compliant)' if t.get('unset_ok') else '')
    shown = f'{where}={v}'
    if op == 'set':
        return v != '', shown
    if op == 'unset':
        return False, shown + ' (must not be set)'
    if op == 'eq':
        return v.lower() == want.lower(), shown + f' (want {want})'
    if op == 'noteq':
        same = (is_zero(v) and is_zero(want)) if want == '0' else v.lower() == want.lower()
        return not same, shown + f' (want not {want})'
    if op == 'has':
        return want in v.split(','), shown + f' (want {want} in it)'
    if op == 'nothave':
        return want not in v.split(','), shown + f' (want no {want})'
    if op == 'gte':
        try:
            return float(v) >= float(want), shown + f' (want >= {want})'
        except ValueError:
            return False, shown + ' (not a number)'
    if op == 'valid_elements':
        allowed = set(want.split(','))
        got = [x for x in v.split(',') if x]
        bad = [x for x in got if x not in allowed]
        return bool(got) and not bad, f'{where}: {len(got)} suite(s)' + (f', not allowed: {",".join(bad)}' if bad else '')
    if op == 'url_hosts':
        # A list of URLs whose hosts must be exactly `value` plus the value of flag `other`.
        oc, of = t['other'].split(':')
        allowed = set(want.split(',')) | {ctx.flags[oc].get(of)}
        hosts = [urlparse(u).hostname for u in v.split(',') if u]
        return set(hosts) == allowed, shown + f" (want hosts {','.join(sorted(h or '' for h in allowed))})"
    if op == 'differs':
        oc, of = t['other'].split(':')
        other = ctx.flags[oc].get(of)
        return v != other, shown + f' vs {oc} --{of}={other}'
    raise ValueError(f'unknown op {op}')


def run_item(ctx, item):
    """(ok, detail) of a table item: one test, `all` sub-items (each must pass) or `any` (one must)."""
    if 'all' in item or 'any' in item:
        results = [run_item(ctx, t) for t in item.get('all') or item['any']]
        ok = all(r[0] for r in results) if 'all' in item else any(r[0] for r in results)
        return ok, (' and ' if 'all' in item else ' or ').join(f'[{r[1]}]' if 'any' in item else r[1] for r in results)
    return run_test(ctx, item)


def main():
    ap = argparse.ArgumentParser()
    for a in ('--rootfs', '--kubelet-config', '--kubelet-flags', '--table', '--skips'):
        ap.add_argument(a, required=True)
    args = ap.parse_args()
    args.rootfs = os.path.abspath(args.rootfs).rstrip('/')
    table = yaml.safe_load(open(args.table))
    skips = {str(s['id']): s['reason'] for s in (yaml.safe_load(open(args.skips)) or {}).get('cis', [])}
    unknown = set(skips) - {str(i['id']) for i in table}
    ctx = Ctx(args)
    counts = {'PASS': 0, 'FAIL': 0, 'ACCEPTED': 0, 'STALE': 0}
    for item in table:
        iid = str(item['id'])
        ok, detail = run_item(ctx, item)
        if iid in skips:
            status = 'STALE' if ok else 'ACCEPTED'
            detail += f' -- accepted: {skips[iid]}' if not ok else ' -- listed as accepted in verify-skips.yaml but passes: remove it'
        else:
            status = 'PASS' if ok else 'FAIL'
        counts[status] += 1
        print(f"{status:<8} {iid:<7} {item['text']}: {detail}")
    for iid in sorted(unknown):
        counts['STALE'] += 1
        print(f'STALE    {iid:<7} in verify-skips.yaml but not in {os.path.basename(args.table)}')
    print(f"cis: {counts['PASS']} passed, {counts['FAIL']} failed, {counts['ACCEPTED']} accepted deviation(s), {counts['STALE']} stale skip(s)")
    return 1 if counts['FAIL'] or counts['STALE'] else 0


if __name__ == '__main__':
    sys.exit(main())
