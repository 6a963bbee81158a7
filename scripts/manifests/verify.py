#!/usr/bin/env python3
"""Verifies synthesized manifests against the pinned upstream data (../shared/upstream).

  verify.py <upstream-dir> <dist-dir> [<dist-dir> ...]

1. Helm values of every release (Argo CD Application / Flux HelmRelease): against the chart's
   values.schema.json when upstream ships one, otherwise every values key path must exist in the
   chart's upstream values.yaml (documented exceptions: exceptions.json).
2. Every manifest: core Kubernetes objects strictly against Kubernetes 1.30 (kubernetes-validate),
   custom resources strictly against JSON schemas converted from the upstream CRDs.
3. NetworkPolicy scoping (netpol.py): allows from other namespaces name pods and ports, tenants
   never reach the node network and sit under a cluster-wide Cilium policy.
4. GitOps trust (projects.py): the platform AppProject names its namespaces and cluster-scoped
   kinds and holds every rendered object; the users' folder has its own project (Argo CD) or
   identity (Flux) without cluster-scoped or platform rights.
5. Backup bucket encryption (sse.py): every Velero BackupStorageLocation and every AWS CLI upload
   (the etcd snapshot CronJobs) asks for server-side encryption.
Exits non-zero on the first class of failure after reporting all of them; never skips silently.
"""
import copy
import glob
import json
import os
import re
import sys

import jsonschema
import kubernetes_validate
import referencing
import referencing.jsonschema
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netpol  # noqa: E402
import projects  # noqa: E402
import sse  # noqa: E402

K8S_VERSION = '1.30.0'
# Some upstream CRDs list "=" as an enum value, which PyYAML resolves to the obscure !!value tag.
yaml.SafeLoader.add_constructor('tag:yaml.org,2002:value', lambda loader, node: loader.construct_scalar(node))
HERE = os.path.dirname(os.path.abspath(__file__))
EXC = json.load(open(os.path.join(HERE, 'exceptions.json')))
errors = []
notes = []


def fail(msg):
    errors.append(msg)
    print(f'  FAIL {msg}', flush=True)


def finish(tag, ok):
    """Exits 1 when any check failed, else prints the OK line."""
    if errors:
        print(f'[{tag}] FAILED: {len(errors)} problem(s)', file=sys.stderr, flush=True)
        sys.exit(1)
    print(f'[{tag}] {ok}', flush=True)


# ---------------------------------------------------------------- upstream charts
def chart_index(upstream):
    """chart name -> {version -> chart dir} from every upstream Chart.yaml."""
    index = {}
    for chart_yaml in glob.glob(os.path.join(upstream, '*/*/chart/Chart*.yaml')):
        if 'crds-subchart' in chart_yaml:
            continue
        text = open(chart_yaml).read()
        meta = yaml.safe_load('\n'.join(l for l in text.splitlines() if '{{' not in l)) or {}
        version = str(meta.get('version', ''))
        if version in ('', 'v0.0.0'):  # cert-manager's Chart.template.yaml: version from the folder
            version = os.path.basename(os.path.dirname(os.path.dirname(chart_yaml)))
        index.setdefault(meta['name'], {})[version.lstrip('v')] = os.path.dirname(chart_yaml)
    return index


def definitions_registry():
    """Remote $refs of chart schemas (kubernetes-json-schema _definitions.json) served locally."""
    base = os.path.join(os.path.dirname(kubernetes_validate.__file__), 'kubernetes-json-schema')
    latest = f'v{K8S_VERSION}-local'
    # kubernetes-validate ships draft 2020-12 `$defs`; chart schemas point at `#/definitions/...`.
    text = open(os.path.join(base, latest, '_definitions.json')).read().replace('#/$defs/', '#/definitions/')
    defs = json.loads(text)
    defs = {'definitions': defs['$defs']}

    def retrieve(uri):
        if uri.endswith('/_definitions.json'):
            return referencing.Resource.from_contents(defs, default_specification=referencing.jsonschema.DRAFT7)
        raise referencing.exceptions.NoSuchResource(ref=uri)
    return referencing.Registry(retrieve=retrieve), latest


def key_paths(values, upstream, path=''):
    """Yields value paths missing from the upstream values tree."""
    if isinstance(values, dict):
        if not isinstance(upstream, dict):
            yield path
            return
        if upstream == {} and path:
            return  # upstream default is an empty map: free-form by definition
        for k, v in values.items():
            p = f'{path}.{k}' if path else k
            if k not in upstream:
                yield p
            else:
                yield from key_paths(v, upstream[k], p)
    elif isinstance(values, list) and isinstance(upstream, list) and upstream and isinstance(upstream[0], dict):
        for i, item in enumerate(values):
            yield from key_paths(item, upstream[0], f'{path}[{i}]')


def schema_declares(schema, parts):
    """True when the chart schema declares the key path (or leaves that subtree free-form)."""
    node = schema
    for part in parts:
        while isinstance(node, dict) and isinstance(node.get('$ref'), str):
            ref = node['$ref']
            if not ref.startswith('#/'):
                return True  # remote Kubernetes definition: typed by kubernetes-json-schema, not by the chart
            target = schema
            for seg in ref[2:].split('/'):
                target = target.get(seg, {})
            node = target
        if not isinstance(node, dict):
            return False
        props = node.get('properties')
        if props is None or node.get('additionalProperties') not in (None, False):
            return node.get('additionalProperties', True) is not False
        if part not in props:
            return False
        node = props[part]
    return True


def merged(defaults, overrides):
    """Helm's coalescing: maps merge recursively, everything else replaces; null deletes."""
    if isinstance(defaults, dict) and isinstance(overrides, dict):
        out = dict(defaults)
        for k, v in overrides.items():
            if v is None:
                out.pop(k, None)
            else:
                out[k] = merged(defaults.get(k), v)
        return out
    return copy.deepcopy(overrides)


def check_values(name, chart, version, values, index, registry):
    where = f'release {name} ({chart} {version})'
    if name in EXC['releasesWithoutUpstreamData']:
        msg = f'NOT CHECKED (documented exception) {where}: {EXC["releasesWithoutUpstreamData"][name]}'
        notes.append(msg)
        print(f'  ! {msg}', flush=True)
        return
    chart_dir = index.get(chart, {}).get(version.lstrip('v'))
    if not chart_dir:
        fail(f'{where}: no upstream chart data for this exact version (have: {sorted(index.get(chart, {}))})')
        return
    schema_file = os.path.join(chart_dir, 'values.schema.json')
    upstream_values = yaml.safe_load(open(os.path.join(chart_dir, 'values.yaml'))) or {}
    schema = json.load(open(schema_file)) if os.path.exists(schema_file) else None
    check_key_paths(where, chart, values, upstream_values, schema)
    if schema is not None:
        # Helm validates the chart's defaults coalesced with the release values.
        values = merged(upstream_values, values)
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
        validator = cls(schema, registry=registry)
        try:
            problems = sorted(validator.iter_errors(values), key=lambda e: list(e.absolute_path))
        except Exception as e:  # unresolvable $ref etc.: a verifier problem, reported as a failure
            fail(f'{where}: values.schema.json could not be evaluated: {type(e).__name__}: {str(e)[:300]}')
            return
        for e in problems:
            fail(f'{where}: values.schema.json: {"/".join(map(str, e.absolute_path)) or "<root>"}: {e.message[:300]}')
        if not problems:
            print(f'  ok   {where}: values (coalesced with chart defaults) valid against values.schema.json', flush=True)


def check_key_paths(where, chart, values, upstream_values, schema):
    """Every values key path exists in upstream values.yaml, is declared by the chart schema, or is a documented exception."""
    free = EXC['freeFormValuePaths'].get(chart, {})
    missing = []
    for p in key_paths(values, upstream_values):
        if schema is not None and schema_declares(schema, re.sub(r'\[\d+\]', '', p).split('.')):
            continue
        allowed = [f for f in free if p == f or p.startswith(f + '.') or p.startswith(f + '[')]
        if allowed:
            notes.append(f'{where}: {p} allowed: {free[allowed[0]]}')
        else:
            missing.append(p)
    for p in missing:
        fail(f'{where}: values key {p} does not exist in upstream values.yaml')
    if not missing:
        print(f'  ok   {where}: every values key path exists in upstream values.yaml' + (' or values.schema.json' if schema is not None else '') + ' (or is a documented free-form path)', flush=True)


# ---------------------------------------------------------------- CRD schemas
def strict_schema(node):
    """openAPIV3Schema -> JSON Schema, strict like kubeconform's openapi2jsonschema."""
    if isinstance(node, list):
        return [strict_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: strict_schema(v) for k, v in node.items() if not k.startswith('x-kubernetes-') and k != 'nullable'}
    if node.get('x-kubernetes-int-or-string'):
        out.pop('type', None)
        out['anyOf'] = [{'type': 'integer'}, {'type': 'string'}]
    if node.get('nullable') and 'type' in out:
        out['type'] = [out['type'], 'null']
    if 'properties' in node and 'additionalProperties' not in node and not node.get('x-kubernetes-preserve-unknown-fields'):
        out['additionalProperties'] = False
    return out


def crd_schemas(upstream):
    schemas = {}
    for f in sorted(glob.glob(os.path.join(upstream, '*/*/crds/*.yaml'))):
        text = '\n'.join(l for l in open(f).read().splitlines() if '{{' not in l)
        for doc in yaml.safe_load_all(text):
            if not doc or doc.get('kind') != 'CustomResourceDefinition':
                continue
            spec = doc['spec']
            for v in spec['versions']:
                schema = strict_schema(copy.deepcopy(v.get('schema', {}).get('openAPIV3Schema', {})))
                props = schema.setdefault('properties', {})
                props['metadata'] = {'type': 'object'}
                schemas[(spec['group'], v['name'], spec['names']['kind'])] = (schema, v.get('served', True), os.path.relpath(f, upstream))
    return schemas


def check_object(file, obj, crds):
    api = obj.get('apiVersion', '')
    group, _, version = api.rpartition('/')
    kind = obj.get('kind')
    if '.' not in group or group.endswith('.k8s.io') and (group, version, kind) not in crds:
        try:
            kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
        except kubernetes_validate.ValidationError as e:
            fail(f'{file}: {kind} {api}: Kubernetes {K8S_VERSION} strict: {"/".join(map(str, e.path))}: {e.message[:300]}')
            return False
        except kubernetes_validate.SchemaNotFoundError:
            fail(f'{file}: {kind} {api}: no Kubernetes {K8S_VERSION} schema (unknown kind/apiVersion)')
            return False
        return True
    entry = crds.get((group, version, kind))
    missing = EXC.get('kindsWithoutUpstreamCrd', {}).get(f'{kind} {api}')
    if not entry and missing:
        notes.append(f'{kind} {api}: CRD schema not checked, allowed: {missing}')
        return True
    if not entry:
        fail(f'{file}: {kind} {api}: no upstream CRD schema for this kind/version')
        return False
    schema, served, _ = entry
    if not served:
        fail(f'{file}: {kind} {api}: version not served by the upstream CRD')
        return False
    problems = list(jsonschema.Draft7Validator(schema).iter_errors(obj))
    for e in problems:
        fail(f'{file}: {kind} {api}: CRD schema: {"/".join(map(str, e.absolute_path)) or "<root>"}: {e.message[:300]}')
    return not problems


def releases_of(obj):
    """(name, chart, version, values) of a release object, or None."""
    if obj.get('kind') == 'Application' and obj.get('spec', {}).get('source', {}).get('chart'):
        src = obj['spec']['source']
        return obj['metadata']['name'], src['chart'], src['targetRevision'], src.get('helm', {}).get('valuesObject', {})
    if obj.get('kind') == 'HelmRelease':
        spec = obj['spec']
        chart = spec.get('chart', {}).get('spec', {})
        return obj['metadata']['name'], chart.get('chart'), chart.get('version'), spec.get('values', {})
    return None


def main():
    upstream, dists = sys.argv[1], sys.argv[2:]
    index = chart_index(upstream)
    registry, defs_version = definitions_registry()
    crds = crd_schemas(upstream)
    print(f'[verify-manifests] upstream charts: {", ".join(sorted(index))}; {len(crds)} CRD versions; remote chart-schema $refs -> kubernetes-validate {defs_version}', flush=True)
    oci_tags = {}
    for dist in dists:
        files = sorted(glob.glob(os.path.join(dist, 'manifests', '**', '*.yaml'), recursive=True))
        if not files:
            fail(f'{dist}: no manifests found')
            continue
        print(f'[verify-manifests] {dist}: {len(files)} files', flush=True)
        objs = []
        for f in files:
            rel = os.path.relpath(f, dist)
            if os.path.basename(f) in EXC['filesNotClusterObjects']:
                print(f'  ! {rel}: not validated as a cluster object: {EXC["filesNotClusterObjects"][os.path.basename(f)]}', flush=True)
                continue
            for obj in yaml.safe_load_all(open(f)):
                if obj:
                    objs.append((rel, obj))
        for rel, obj in objs:
            if obj.get('kind') == 'OCIRepository':
                oci_tags[(dist, obj['metadata']['name'])] = (obj['spec']['url'].rsplit('/', 1)[-1], obj['spec']['ref']['tag'])
        ok = sum(1 for rel, obj in objs if check_object(rel, obj, crds))
        print(f'  {ok}/{len(objs)} objects valid (Kubernetes {K8S_VERSION} strict + upstream CRD schemas)', flush=True)
        scoping = netpol.problems(objs)
        for p in scoping:
            fail(f'{dist}: network policy scoping: {p}')
        print(f'  network policy scoping: {sum(1 for _, o in objs if o.get("kind") == "NetworkPolicy")} NetworkPolicies, {len(scoping)} problem(s)', flush=True)
        trust = projects.problems(objs)
        for p in trust:
            fail(f'{dist}: GitOps trust: {p}')
        print(f'  GitOps trust (project scope, users\' folder identity): {len(trust)} problem(s)', flush=True)
        unencrypted = sse.problems(objs)
        for p in unencrypted:
            fail(f'{dist}: backup bucket encryption: {p}')
        bsls, uploads = sse.counts(objs)
        print(f'  backup bucket encryption: {bsls} BackupStorageLocation(s), {uploads} S3 upload(s), {len(unencrypted)} problem(s)', flush=True)
        for rel, obj in objs:
            r = releases_of(obj)
            if not r:
                continue
            name, chart, version, values = r
            if chart is None:  # Flux chartRef -> OCIRepository
                chart, version = oci_tags.get((dist, name), (None, None))
                if chart is None:
                    fail(f'{rel}: HelmRelease {name}: chartRef OCIRepository not found')
                    continue
            check_values(name, chart, version, values, index, registry)
    for n in sorted(set(notes)):
        if 'allowed:' in n:
            print(f'  note {n}', flush=True)
    finish('verify-manifests', 'OK')


if __name__ == '__main__':
    main()
