#!/usr/bin/env python3
"""Applies verify-skips.yaml to scanner results and decides pass/fail.

  evaluate.py checkov SCAN SKIPS RESULT.json...     # checkov -o json results (one or more runs)
  evaluate.py kube-score SKIPS RESULT.json...        # kube-score -o json results (one per cluster)

Skips (verify-skips.yaml):
  checkov:    - {scan: SCAN, id: CKV_x | [CKV_x, ...], resources: [glob, ...], reason: ...}
  kube-score: - {test: ID | [ID, ...], objects: [Kind/namespace/name glob, ...], reason: ...}
`resources`/`objects` default to every resource. A failure not covered by a skip fails the run;
so does a skip that covers nothing in this run (stale: the finding was fixed or the resource
renamed, so the skips file must be updated). Prints every failure and every applied skip.
"""
import fnmatch
import json
import sys

import yaml


def as_list(v):
    return v if isinstance(v, list) else [v]


def load_skips(path, section, scan=None):
    entries = (yaml.safe_load(open(path)) or {}).get(section) or []
    out = []
    for e in entries:
        if scan is not None and e.get('scan') != scan:
            continue
        if not e.get('reason'):
            sys.exit(f'verify-skips.yaml: {section} entry without a reason: {e}')
        out.append({'ids': [str(i) for i in as_list(e.get('id', e.get('test')))],
                    'globs': as_list(e.get('resources', e.get('objects', ['*']))),
                    'reason': ' '.join(str(e['reason']).split()), 'used': 0})
    return out


def match(skips, check_id, resource):
    for s in skips:
        if check_id in s['ids'] and any(fnmatch.fnmatchcase(resource, g) for g in s['globs']):
            s['used'] += 1
            return s
    return None


def checkov_findings(files):
    summary = {'passed': 0, 'failed': 0, 'resources': set(), 'kinds': {}}
    for path in files:
        data = json.load(open(path))
        for report in data if isinstance(data, list) else [data]:
            res = report.get('results') or {}
            for r in res.get('passed_checks', []) + res.get('failed_checks', []):
                summary['resources'].add(r['resource'])
            summary['passed'] += len(res.get('passed_checks', []))
            for r in res.get('failed_checks', []):
                yield summary, r['check_id'], r['resource'], f"{r['check_name']} ({r.get('file_path', '')})"
            summary['failed'] += len(res.get('failed_checks', []))
    yield summary, None, None, None


def kube_score_findings(files):
    summary = {'objects': 0, 'kinds': {}, 'passed': 0}
    for path in files:
        for obj in json.load(open(path)) or []:
            kind = obj['type_meta']['kind']
            meta = obj.get('object_meta') or {}
            name = f"{kind}/{meta.get('namespace') or '-'}/{meta.get('name')}"
            summary['objects'] += 1
            summary['kinds'][kind] = summary['kinds'].get(kind, 0) + 1
            for c in obj['checks']:
                if c['skipped']:
                    continue
                if c['grade'] >= 10:  # kube-score grades: 1 critical, 5 warning, 7 almost ok, 10 ok
                    summary['passed'] += 1
                    continue
                comments = '; '.join(f"{x.get('path', '')}: {x.get('summary', '')}" for x in (c.get('comments') or []))
                yield summary, c['check']['id'], name, f"grade {c['grade']} {c['check']['name']}: {comments} ({obj.get('file_name', '')})"
    yield summary, None, None, None


def main():
    tool = sys.argv[1]
    if tool == 'checkov':
        scan, skips_file, files = sys.argv[2], sys.argv[3], sys.argv[4:]
        skips = load_skips(skips_file, 'checkov', scan)
        findings = checkov_findings(files)
        label = f'checkov[{scan}]'
    elif tool == 'kube-score':
        skips_file, files = sys.argv[2], sys.argv[3:]
        skips = load_skips(skips_file, 'kube-score')
        findings = kube_score_findings(files)
        label = 'kube-score'
    else:
        sys.exit(f'unknown tool {tool}')
    failures, skipped, summary = [], 0, None
    for summary, check_id, resource, text in findings:
        if check_id is None:
            break
        s = match(skips, check_id, resource)
        if s:
            skipped += 1
        else:
            failures.append(f'FAIL {check_id} {resource}: {text}')
    for f in failures:
        print(f)
    for s in skips:
        state = 'skip ' if s['used'] else 'STALE'
        print(f"{state} {','.join(s['ids'])} [{' '.join(s['globs'])}] x{s['used']}: {s['reason']}")
    stale = [s for s in skips if not s['used']]
    if tool == 'checkov':
        kinds = {}
        for r in summary['resources']:
            k = r.split('.')[0] if '.' in r else 'secret-finding'
            kinds[k] = kinds.get(k, 0) + 1
        kinds = ', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))
        scanned = (f"{len(summary['resources'])} resource(s) with results ({kinds}), "
                   f"{summary['passed']} passed and {summary['failed']} failed check(s)")
    else:
        kinds = ', '.join(f'{k} {v}' for k, v in sorted(summary['kinds'].items()))
        scanned = f"{summary['objects']} object(s) ({kinds}), {summary['passed']} passed check(s)"
    print(f'{label}: {scanned}; {len(failures)} unskipped failure(s), {skipped} skipped finding(s), {len(stale)} stale skip(s)')
    return 1 if failures or stale else 0


if __name__ == '__main__':
    sys.exit(main())
