"""GitOps trust checks of one rendered cluster (issue 13), used by verify.py:

Argo CD (an AppProject named platform exists):
1. The platform project names its destinations and cluster-scoped kinds: no '*' namespace, server,
   group or kind (a project with them lets whoever pushes to the repository be cluster-admin).
2. Every object synth renders is inside it: a namespaced object's namespace is a destination, a
   cluster-scoped object's kind is whitelisted; every platform Application's destination namespace
   is a destination, and so is every namespace its Helm values move objects to (a `namespaceOverride`
   at the top level or in a subchart's section, e.g. node-exporter's own namespace).
3. The apps project (the users' folder) whitelists no wildcard kind (only the spec's
   addons.gitops.appsClusterKinds, none by default), denies kube-system and
   every platform namespace ('!ns' before its '*'), and the apps Application uses it.
Flux (a Kustomization named apps exists):
4. The apps Kustomization impersonates a ServiceAccount (spec.serviceAccountName), never the
   controller's cluster-admin.
Returns a list of problems; problems(...) == [] means the cluster passes.
"""

WILDCARD = '*'
SYSTEM = ('kube-system', 'kube-public', 'kube-node-lease')


def _cluster_scoped(obj):
    return 'namespace' not in obj.get('metadata', {})


def _group(api_version):
    return api_version.split('/')[0] if '/' in api_version else ''


def _namespace_overrides(values):
    """The namespaces a release's values move a chart's or a subchart's objects to (manifests/gitops/chart-footprint.ts)."""
    sections = [values] + [v for v in values.values() if isinstance(v, dict)]
    return sorted({s['namespaceOverride'] for s in sections if isinstance(s.get('namespaceOverride'), str) and s['namespaceOverride']})


def _argo(objs):
    out = []
    projects = {o['metadata']['name']: o for _, o in objs if o.get('kind') == 'AppProject'}
    platform = projects['platform']['spec']
    dests = platform.get('destinations', [])
    for d in dests:
        if WILDCARD in d.get('namespace', '') or WILDCARD in d.get('server', '') or d.get('namespace', '').startswith('!'):
            out.append(f'AppProject platform: destination {d} is not one named namespace (whoever pushes to the repository would be cluster-admin)')
    for k in platform.get('clusterResourceWhitelist', []):
        if WILDCARD in k.get('group', '') or WILDCARD in k.get('kind', ''):
            out.append(f'AppProject platform: clusterResourceWhitelist entry {k} is a wildcard (whoever pushes to the repository would be cluster-admin)')
    allowed_ns = {d.get('namespace') for d in dests}
    allowed_kinds = {(k.get('group', ''), k.get('kind')) for k in platform.get('clusterResourceWhitelist', [])}
    for rel, o in objs:
        if o.get('kind') == 'Application':
            proj = o['spec'].get('project')
            ns = o['spec']['destination'].get('namespace')
            if proj == 'platform' and ns and ns not in allowed_ns:
                out.append(f'{rel}: Application {o["metadata"]["name"]} deploys into {ns}, not a destination of the platform project')
            values = o['spec'].get('source', {}).get('helm', {}).get('valuesObject') or {}
            for override in _namespace_overrides(values):
                if proj == 'platform' and override not in allowed_ns:
                    out.append(f'{rel}: Application {o["metadata"]["name"]} moves chart objects into {override} (namespaceOverride), not a destination of the platform project')
            continue
        if _cluster_scoped(o):
            key = (_group(o['apiVersion']), o['kind'])
            if key not in allowed_kinds:
                out.append(f'{rel}: cluster-scoped {key[1]} ({key[0] or "core"}) is not in the platform project\'s clusterResourceWhitelist')
        elif o['metadata']['namespace'] not in allowed_ns:
            out.append(f'{rel}: namespace {o["metadata"]["namespace"]} is not a destination of the platform project')
    apps_app = [o for _, o in objs if o.get('kind') == 'Application' and o['metadata']['name'] == 'apps']
    if not apps_app:
        return out  # no repository: no users' folder
    if apps_app[0]['spec'].get('project') != 'apps':
        out.append(f'Application apps: project {apps_app[0]["spec"].get("project")!r}, expected the apps project')
    apps = projects.get('apps', {}).get('spec')
    if apps is None:
        return out + ['AppProject apps is missing']
    for k in apps.get('clusterResourceWhitelist', []):
        if WILDCARD in k.get('group', '') or WILDCARD in k.get('kind', ''):
            out.append(f'AppProject apps: clusterResourceWhitelist entry {k} allows cluster-scoped objects from the users\' folder (a wildcard)')
    denied = {d['namespace'][1:] for d in apps.get('destinations', []) if d.get('namespace', '').startswith('!')}
    tenants = {o['metadata']['namespace'] for rel, o in objs if rel.startswith('manifests/tenants/') and 'namespace' in o['metadata']}
    platform_ns = allowed_ns - tenants
    for ns in sorted((platform_ns | set(SYSTEM)) - denied):
        out.append(f'AppProject apps: namespace {ns} (platform or Kubernetes) is not denied ("!{ns}")')
    return out


def _flux(objs):
    out = []
    for rel, o in objs:
        if o.get('kind') == 'Kustomization' and o['metadata']['name'] == 'apps' and o.get('apiVersion', '').startswith('kustomize.toolkit.fluxcd.io/'):
            if not o['spec'].get('serviceAccountName'):
                out.append(f'{rel}: Kustomization apps has no serviceAccountName: the users\' folder is applied as the controller (cluster-admin)')
    return out


def problems(objs):
    """objs: [(relative file, object)] of one cluster."""
    if any(o.get('kind') == 'AppProject' and o['metadata']['name'] == 'platform' for _, o in objs):
        return _argo(objs)
    return _flux(objs)
