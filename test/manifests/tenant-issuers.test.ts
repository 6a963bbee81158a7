/** Tenants and the platform CA (issue 13): admission policies keep tenants off the ClusterIssuers. */
import { platformClusterIssuers } from '../../manifests/addons/cert-manager';
import { TENANT_ISSUER_POLICIES, tenantIssuerPolicies } from '../../manifests/addons/tenants';
import { labModel, render } from './helpers';

const withTenants = (d: any) => { d.addons.tenants = [{ name: 'team-a' }, { name: 'team-b' }]; };

describe('GIVEN clusters/lab.yaml with two tenants WHEN its manifests are rendered', () => {
  const { objects, platform } = render(labModel(withTenants));
  const byKind = (kind: string) => objects.map((o) => o.obj).filter((o) => o.kind === kind);

  it('THEN the ClusterIssuers named in the policies are exactly those cert-manager renders', () => {
    const rendered = byKind('ClusterIssuer').map((o) => o.metadata.name).sort();
    expect(platformClusterIssuers(platform)).toEqual(rendered);
  });

  it('THEN each admission policy has a Deny binding of the same name, and both select the tenant namespaces by their immutable name label', () => {
    const policies = byKind('ValidatingAdmissionPolicy');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(Object.values(TENANT_ISSUER_POLICIES).sort());
    for (const p of policies) {
      expect(p.apiVersion).toBe('admissionregistration.k8s.io/v1');
      expect(p.spec.failurePolicy).toBe('Fail');
      expect(p.spec.matchConstraints.namespaceSelector.matchExpressions).toEqual([{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['team-a', 'team-b'] }]);
      const binding = byKind('ValidatingAdmissionPolicyBinding').find((b) => b.metadata.name === p.metadata.name)!;
      expect(binding.spec).toEqual({ policyName: p.metadata.name, validationActions: ['Deny'] });
    }
  });

  it('THEN Certificates and CertificateRequests naming a ClusterIssuer, and Ingresses and Gateways asking ingress-shim for one, are matched', () => {
    const policies = tenantIssuerPolicies(['team-a'], platformClusterIssuers(platform));
    const issuerRef = policies.find((p) => p.kind === 'ValidatingAdmissionPolicy' && p.metadata.name === TENANT_ISSUER_POLICIES.issuerRef)!.spec as any;
    expect(issuerRef.matchConstraints.resourceRules).toEqual([expect.objectContaining({ apiGroups: ['cert-manager.io'], resources: ['certificates', 'certificaterequests'], operations: ['CREATE', 'UPDATE'] })]);
    expect(issuerRef.validations[0].expression).toContain("object.spec.issuerRef.kind != 'ClusterIssuer'");
    expect(issuerRef.validations[0].message).toContain(platform.platformIssuer);
    const annotations = policies.find((p) => p.metadata.name === TENANT_ISSUER_POLICIES.annotations)!.spec as any;
    expect(annotations.matchConstraints.resourceRules.map((r: any) => r.resources[0])).toEqual(['ingresses', 'gateways']);
    expect(annotations.validations[0].expression).toContain("'cert-manager.io/cluster-issuer' in object.metadata.annotations");
  });
});

describe('GIVEN no tenants', () => {
  it('THEN no admission policy is rendered', () => {
    expect(tenantIssuerPolicies([], ['platform-ca'])).toEqual([]);
    expect(render(labModel()).objects.filter((o) => o.obj.kind.startsWith('ValidatingAdmissionPolicy'))).toEqual([]);
  });
});
