"""NetworkPolicy scoping checks of one rendered cluster (issue 13), used by verify.py:

1. An ingress allow from another namespace names its pods (a podSelector with labels) and ports.
2. An allow from any source (no `from`, or ipBlock 0.0.0.0/0) names its ports.
3. Tenant namespaces (manifests/tenants/) never reach the node network: each egress ipBlock
   excepts it (the node CIDR is the one the allow-from-nodes policies name).
4. With tenants and Cilium, a CiliumClusterwideNetworkPolicy (cluster-scoped: no tenant can
   delete it) denies every tenant namespace the node network.
Returns a list of problems; problems(...) == [] means the cluster passes.
"""
import ipaddress


def _labels(selector):
    return bool(selector) and bool(selector.get('matchLabels') or selector.get('matchExpressions'))


def _covers(excepts, cidr):
    net = ipaddress.ip_network(cidr)
    return any(net.subnet_of(ipaddress.ip_network(e)) for e in excepts)


def problems(objs):
    """objs: [(relative file, object)] of one cluster."""
    out = []
    policies = [(rel, o) for rel, o in objs if o.get('kind') == 'NetworkPolicy']
    node_cidrs = {p['ipBlock']['cidr'] for _, o in policies if o['metadata']['name'] == 'allow-from-nodes'
                  for r in o['spec'].get('ingress', []) for p in r.get('from', []) if 'ipBlock' in p}
    tenants = sorted({o['metadata']['namespace'] for rel, o in policies if rel.startswith('manifests/tenants/')})
    for rel, o in policies:
        where = f'{rel}: NetworkPolicy {o["metadata"]["namespace"]}/{o["metadata"]["name"]}'
        for i, rule in enumerate(o['spec'].get('ingress', []) or []):
            peers = rule.get('from')
            if not rule.get('ports'):
                if not peers:
                    out.append(f'{where}: ingress[{i}] allows every port from any source')
                for p in peers or []:
                    if 'namespaceSelector' in p:
                        out.append(f'{where}: ingress[{i}] allows every port from another namespace')
                    if p.get('ipBlock', {}).get('cidr') == '0.0.0.0/0':
                        out.append(f'{where}: ingress[{i}] allows every port from 0.0.0.0/0')
            for p in peers or []:
                if 'namespaceSelector' in p and not _labels(p.get('podSelector')):
                    out.append(f'{where}: ingress[{i}] allows every pod of the namespaces {p["namespaceSelector"]}, not named pods')
        if o['metadata']['namespace'] in tenants:
            for i, rule in enumerate(o['spec'].get('egress', []) or []):
                for p in rule.get('to', []) or []:
                    block = p.get('ipBlock')
                    if not block:
                        continue
                    for cidr in node_cidrs:
                        if ipaddress.ip_network(cidr).overlaps(ipaddress.ip_network(block['cidr'])) and not _covers(block.get('except', []), cidr):
                            out.append(f'{where}: egress[{i}] lets a tenant reach the node network {cidr} (ipBlock {block["cidr"]} without it in except)')
    cilium = any(o.get('kind') in ('Application', 'HelmRelease') and o['metadata']['name'] == 'cilium' for _, o in objs)
    if tenants and cilium:
        ok = False
        for rel, o in objs:
            if o.get('kind') != 'CiliumClusterwideNetworkPolicy':
                continue
            spec = o.get('spec', {})
            exprs = spec.get('endpointSelector', {}).get('matchExpressions', [])
            selected = {v for e in exprs if e.get('key') == 'k8s:io.kubernetes.pod.namespace' and e.get('operator') == 'In' for v in e.get('values', [])}
            denied = {c.get('cidr') for d in spec.get('egressDeny', []) for c in d.get('toCIDRSet', [])}
            if set(tenants) <= selected and node_cidrs <= denied:
                ok = True
        if not ok:
            out.append(f'tenants {", ".join(tenants)}: no CiliumClusterwideNetworkPolicy denies them the node network {", ".join(sorted(node_cidrs))} (a namespaced policy can be deleted by the tenant)')
    return out
