#!/usr/bin/env python3
"""No chart default credential left in effect (issue 13).

  credentials.py <upstream-dir> <dist-dir> [<dist-dir> ...]

For every Helm release in each dist (Argo CD Application / Flux HelmRelease), coalesces the
release values with the chart's upstream values.yaml (Helm's order) and fails when a known default
credential of chart-credentials.json is in effect: the upstream default (or another version's known
default) still set, or, for keys the chart generates at render time, left empty, and no `unless`
condition holds. Every credential-looking key with a non-empty upstream default must be classified
there, so that a chart upgrade adding one fails until someone looks at it.
"""
import glob
import json
import os
import re
import sys

import yaml

from verify import EXC, chart_index, fail, finish, merged, releases_of

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = json.load(open(os.path.join(HERE, 'chart-credentials.json')))['charts']
CREDENTIAL_KEY = re.compile(r'password|passwd|secret|token|xsrf|accesskey|accountkey|encodedkey|privatekey|htpasswd', re.I)
MISSING = object()


def get(tree, path):
    for part in path.split('.'):
        if not isinstance(tree, dict) or part not in tree:
            return MISSING
        tree = tree[part]
    return tree


def scalar(v):
    """A value as a condition compares it: YAML spelling of booleans, '' for missing/null."""
    if v is MISSING or v is None:
        return ''
    if isinstance(v, bool):
        return 'true' if v else 'false'
    return str(v)


def holds(cond, values):
    """`path` (non-empty), `path=value` or `path!=value` against the coalesced values."""
    m = re.fullmatch(r'([^=!]+)(!=|=)(.*)', cond)
    if not m:
        return bool(scalar(get(values, cond)).strip())
    actual = scalar(get(values, m[1]))
    return (actual == m[3]) if m[2] == '=' else (actual != m[3])


def credential_defaults(tree, path=''):
    """(path, value) of every credential-looking key with a non-empty string default."""
    if isinstance(tree, dict):
        for k, v in tree.items():
            p = f'{path}.{k}' if path else str(k)
            if isinstance(v, str) and v.strip() and CREDENTIAL_KEY.search(str(k)):
                yield p, v
            elif isinstance(v, dict):
                yield from credential_defaults(v, p)


def contains(item, want):
    if isinstance(want, dict):
        return isinstance(item, dict) and all(k in item and contains(item[k], v) for k, v in want.items())
    return item == want


def check_release(where, chart, values, upstream_values, classified):
    rules = RULES.get(chart, {})
    defaults, ignored = rules.get('defaults', {}), rules.get('notCredentials', {})
    if chart not in classified:
        classified.add(chart)
        for p, _ in credential_defaults(upstream_values):
            if p not in defaults and p not in ignored:
                fail(f'{chart}: upstream values.yaml has a credential-looking default at {p} that chart-credentials.json does not classify')
    effective = merged(upstream_values, values)
    for path, rule in defaults.items():
        if any(holds(c, effective) for c in rule.get('unless', [])):
            continue
        upstream = get(upstream_values, path)
        known = set(rule.get('known', [])) | ({upstream} if isinstance(upstream, str) and upstream.strip() else set())
        value = scalar(get(effective, path))
        fix = rule.get('fix') or 'set ' + ' or '.join(rule.get('unless', []))
        if value in known:
            fail(f'{where}: {path} is the chart default ({fix})')
        elif not value.strip() and rule.get('generated'):
            fail(f'{where}: {path} is empty: the chart generates it at render time, a new one on every render ({fix})')
    for req in rules.get('require', []):
        if any(holds(c, effective) for c in req.get('unless', [])):
            continue
        items = get(effective, req['path'])
        if not isinstance(items, list) or not any(contains(i, req['contains']) for i in items):
            fail(f'{where}: {req["path"]} has no item with {json.dumps(req["contains"], sort_keys=True)}: {req["why"]}')
    print(f'  ok   {where}: {len(defaults)} known default credential(s), {len(rules.get("require", []))} requirement(s) checked', flush=True)


def main():
    upstream, dists = sys.argv[1], sys.argv[2:]
    index = chart_index(upstream)
    classified = set()
    for dist in dists:
        objs = []
        for f in sorted(glob.glob(os.path.join(dist, 'manifests', '**', '*.yaml'), recursive=True)):
            if os.path.basename(f) not in EXC['filesNotClusterObjects']:
                objs += [o for o in yaml.safe_load_all(open(f)) if o]
        oci = {o['metadata']['name']: (o['spec']['url'].rsplit('/', 1)[-1], o['spec']['ref']['tag']) for o in objs if o.get('kind') == 'OCIRepository'}
        print(f'[verify-credentials] {dist}', flush=True)
        for obj in objs:
            r = releases_of(obj)
            if not r:
                continue
            name, chart, version, values = r
            if chart is None:
                chart, version = oci.get(name, (None, None))
            where = f'{os.path.relpath(dist, os.path.dirname(os.path.dirname(os.path.abspath(dist))))}: release {name} ({chart} {version})'
            chart_dir = index.get(chart, {}).get(str(version).lstrip('v'))
            if not chart_dir:
                if chart in EXC['releasesWithoutUpstreamData']:
                    print(f'  !    {where}: not checked: {EXC["releasesWithoutUpstreamData"][chart]}', flush=True)
                else:
                    fail(f'{where}: no upstream values.yaml for this chart version')
                continue
            check_release(where, chart, values, yaml.safe_load(open(os.path.join(chart_dir, 'values.yaml'))) or {}, classified)
    finish('verify-credentials', 'OK: no chart default credential in effect')


if __name__ == '__main__':
    main()
