/**
 * GitOps trust (issue 13): pushing to the repository must not make anyone cluster-admin. The
 * platform project holds exactly what the add-ons render, the users' folder is scoped apart,
 * Argo CD's local admin gives way to single sign-on, and signed commits are enforced when keys are given.
 */
import { GITOPS_BOOTSTRAP } from '../../facts';
import { CHART_FOOTPRINTS } from '../../manifests/gitops/chart-footprint';
import { ARGOCD_APPS_PROJECT, ARGOCD_PROJECT } from '../../manifests/gitops/argocd';
import { FLUX_APPS_SERVICE_ACCOUNT } from '../../manifests/gitops/flux';
import { SYSTEM_NAMESPACES } from '../../manifests/gitops/projects';
import { CHARTS } from '../../spec/versions';
import { type K8sObject, labModel, render, type SpecDoc } from './helpers';

const KEY = '4AEE18F83AFDEB23';
const TENANT = { name: 'team-a', adminGroups: ['team-a-admins'] };

function rendered(edit: (doc: SpecDoc) => void = () => {}) {
  const out = render(labModel(edit));
  const objs = out.objects.map((o) => o.obj);
  const project = (name: string) => objs.find((o) => o.kind === 'AppProject' && o.metadata.name === name)!;
  const argoValues = objs.find((o) => o.kind === 'Application' && o.metadata.name === 'argocd')?.spec.source.helm.valuesObject;
  return { ...out, objs, project, argoValues };
}

const groupOf = (o: K8sObject) => (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '');
const applied = (objs: K8sObject[]) => objs.filter((o) => o.kind !== 'Application');

describe('GIVEN Argo CD syncing the platform add-ons', () => {
  const { objs, project } = rendered((d) => { d.addons.tenants = [TENANT]; });
  const platform = project(ARGOCD_PROJECT).spec;
  const destinations = platform.destinations.map((d: { namespace: string }) => d.namespace);

  it('WHEN the platform project is rendered THEN it names every destination and cluster-scoped kind (no wildcard)', () => {
    expect(JSON.stringify(platform.destinations)).not.toContain('*');
    expect(JSON.stringify(platform.clusterResourceWhitelist)).not.toContain('*');
  });

  it('WHEN an object synth renders is namespaced THEN its namespace is a destination; WHEN cluster-scoped THEN its kind is whitelisted', () => {
    const kinds = new Set(platform.clusterResourceWhitelist.map((k: { group: string; kind: string }) => `${k.group}/${k.kind}`));
    for (const o of applied(objs)) {
      if (o.metadata.namespace) expect(destinations).toContain(o.metadata.namespace);
      else expect(kinds).toContain(`${groupOf(o)}/${o.kind}`);
    }
    for (const app of objs.filter((o) => o.kind === 'Application' && o.spec.project === ARGOCD_PROJECT && o.spec.destination.namespace)) {
      expect(destinations).toContain(app.spec.destination.namespace);
    }
  });

  it('WHEN a destination is listed THEN some platform object or release uses it (nothing beyond what the add-ons use)', () => {
    const used = new Set([
      ...applied(objs).map((o) => o.metadata.namespace).filter(Boolean),
      ...objs.filter((o) => o.kind === 'Application').map((o) => o.spec.destination.namespace).filter(Boolean),
      ...Object.values(CHART_FOOTPRINTS).flatMap((f) => f.namespaces ?? []),
    ]);
    for (const ns of destinations) expect(used).toContain(ns);
  });

  it('WHEN the users\' folder is synced THEN its project denies kube-system and every platform namespace but the tenants\', and whitelists no cluster-scoped kind', () => {
    const apps = project(ARGOCD_APPS_PROJECT).spec;
    const denied = apps.destinations.filter((d: { namespace: string }) => d.namespace.startsWith('!')).map((d: { namespace: string }) => d.namespace.slice(1));
    for (const ns of [...SYSTEM_NAMESPACES, ...destinations.filter((ns: string) => ns !== TENANT.name)]) expect(denied).toContain(ns);
    expect(denied).not.toContain(TENANT.name);
    expect(apps.destinations.at(-1)).toEqual({ server: 'https://kubernetes.default.svc', namespace: '*' });
    expect(apps.clusterResourceWhitelist).toEqual([]);
    expect(apps.sourceRepos).toEqual([objs.find((o) => o.metadata.name === 'root')!.spec.source.repoURL]);
    expect(objs.find((o) => o.kind === 'Application' && o.metadata.name === 'apps')!.spec.project).toBe(ARGOCD_APPS_PROJECT);
  });

  it('WHEN the spec grants the users\' folder Namespace THEN exactly that kind is whitelisted for it', () => {
    const apps = rendered((d) => { d.addons.gitops.appsClusterKinds = ['Namespace']; }).project(ARGOCD_APPS_PROJECT).spec;
    expect(apps.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
  });

  it('WHEN a chart is pinned THEN its footprint is declared (a release of an undeclared chart fails the build)', () => {
    for (const pin of Object.values(CHARTS)) expect(CHART_FOOTPRINTS[pin.chart]).toBeDefined();
  });

  it('WHEN the Gateway API option is off THEN Cilium\'s GatewayClass is not whitelisted; WHEN on THEN it is', () => {
    const kinds = (edit?: (d: SpecDoc) => void) => rendered(edit).project(ARGOCD_PROJECT).spec.clusterResourceWhitelist.map((k: { kind: string }) => k.kind);
    expect(kinds()).not.toContain('GatewayClass');
    expect(kinds((d) => { d.addons.ingress = { controller: 'gateway-api' }; })).toContain('GatewayClass');
  });
});

describe('GIVEN Flux syncing the users\' folder', () => {
  const { objs } = rendered((d) => { d.addons.gitops.engine = 'flux'; d.addons.tenants = [TENANT]; });

  it('WHEN the apps Kustomization is rendered THEN it impersonates a ServiceAccount bound to admin in default and the tenant namespaces only', () => {
    const apps = objs.find((o) => o.kind === 'Kustomization' && o.metadata.name === 'apps')!;
    expect(apps.spec.serviceAccountName).toBe(FLUX_APPS_SERVICE_ACCOUNT);
    const bindings = objs.filter((o) => o.subjects?.some((s: { name: string }) => s.name === FLUX_APPS_SERVICE_ACCOUNT));
    expect(bindings.map((b) => [b.kind, b.metadata.namespace, b.roleRef.name]).sort()).toEqual([['RoleBinding', 'default', 'admin'], ['RoleBinding', TENANT.name, 'admin']]);
  });

  it('WHEN the spec grants Namespace THEN one ClusterRole grants exactly namespaces to that ServiceAccount', () => {
    const granted = rendered((d) => { d.addons.gitops.engine = 'flux'; d.addons.gitops.appsClusterKinds = ['Namespace']; }).objs;
    const role = granted.find((o) => o.kind === 'ClusterRole')!;
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['namespaces'], verbs: ['*'] }]);
    expect(granted.find((o) => o.kind === 'ClusterRoleBinding')!.subjects[0].name).toBe(FLUX_APPS_SERVICE_ACCOUNT);
  });
});

describe('GIVEN Argo CD\'s own access', () => {
  const oidc = { issuer: 'https://sso.lab.internal/realms/platform', clientId: 'argocd', adminGroups: ['platform-admins'] };

  it('WHEN no single sign-on is configured THEN the local admin stays (nothing changes in argocd-cm or its RBAC)', () => {
    const { argoValues } = rendered();
    expect(argoValues.configs.cm['admin.enabled']).toBeUndefined();
    expect(argoValues.configs.rbac).toBeUndefined();
  });

  it('WHEN OIDC is configured THEN the local admin is disabled, the client secret is referenced from the operator\'s Secret, sign-in is readonly and only the admin groups are admin', () => {
    const { argoValues, secretsMd } = rendered((d) => { d.addons.gitops.argocd = { oidc }; });
    expect(argoValues.configs.cm['admin.enabled']).toBe(false);
    expect(argoValues.configs.cm['oidc.config']).toContain('clientSecret: "$argocd-oidc:clientSecret"');
    expect(argoValues.configs.cm['oidc.config']).toContain(`issuer: "${oidc.issuer}"`);
    expect(argoValues.configs.rbac).toEqual({ 'policy.default': 'role:readonly', 'policy.csv': 'g, platform-admins, role:admin\n', scopes: '[groups]' });
    expect(secretsMd).toContain('--from-file=clientSecret=./argocd-oidc-client-secret');
    expect(secretsMd).toContain("kubectl -n argocd label secret argocd-oidc 'app.kubernetes.io/part-of=argocd'");
    expect(secretsMd).not.toContain('--from-literal=clientSecret');
  });

  it('WHEN the firewall has an admin CIDR THEN the Argo CD ingress admits only it (F5 NGINX Policy referenced by the Ingress)', () => {
    const { argoValues, objs } = rendered((d) => { d.proxmox.firewall = { enabled: true, adminCidr: '10.99.0.0/24', datacenterEnabled: true }; });
    expect(argoValues.server.ingress.annotations).toEqual({ 'nginx.org/policies': 'argocd-allowlist' });
    const policy = objs.find((o) => o.kind === 'Policy')!;
    expect(policy.metadata.namespace).toBe('argocd');
    expect(policy.spec).toEqual({ accessControl: { allow: ['10.99.0.0/24'] } });
  });

  it('WHEN the controller is ingress-nginx and an allowlist is given THEN the Ingress carries whitelist-source-range', () => {
    const { argoValues, objs } = rendered((d) => {
      d.addons.ingress = { controller: 'ingress-nginx' };
      d.addons.gitops.argocd = { ingressAllowlist: ['10.99.0.0/24', '10.98.0.0/24'] };
    });
    expect(argoValues.server.ingress.annotations).toEqual({ 'nginx.ingress.kubernetes.io/whitelist-source-range': '10.99.0.0/24,10.98.0.0/24' });
    expect(objs.some((o) => o.kind === 'Policy')).toBe(false);
  });

  it('WHEN no allowlist and no admin CIDR exist THEN the Ingress has no allowlist annotation', () => {
    expect(rendered().argoValues.server.ingress.annotations).toBeUndefined();
  });
});

describe('GIVEN signed commits (addons.gitops.commitSigning)', () => {
  it('WHEN Argo CD syncs THEN both projects require the key IDs', () => {
    const { project } = rendered((d) => { d.addons.gitops.commitSigning = { keyIds: [KEY] }; });
    expect(project(ARGOCD_PROJECT).spec.signatureKeys).toEqual([{ keyID: KEY }]);
    expect(project(ARGOCD_APPS_PROJECT).spec.signatureKeys).toEqual([{ keyID: KEY }]);
  });

  it('WHEN no keys are given THEN no project requires signatures', () => {
    expect(rendered().project(ARGOCD_PROJECT).spec.signatureKeys).toBeUndefined();
  });

  it('WHEN Flux syncs THEN the root GitRepository verifies HEAD with the public keys Secret, which SECRETS.md lists with --from-file', () => {
    const { objs, secretsMd } = rendered((d) => { d.addons.gitops.engine = 'flux'; d.addons.gitops.commitSigning = { keyIds: [KEY] }; });
    const source = objs.find((o) => o.kind === 'GitRepository' && o.metadata.name === GITOPS_BOOTSTRAP.flux.rootSource)!;
    expect(source.spec.verify).toEqual({ mode: 'HEAD', secretRef: { name: 'git-signing-keys' } });
    expect(secretsMd).toContain(`--from-file=${KEY}.asc=./${KEY}.asc`);
  });
});
