/**
 * Argo CD's own access from the model (addons.gitops.argocd): single sign-on replacing the local
 * admin, the RBAC defaults, and the ingress allowlist of the server. Pure: values and annotations only.
 */
import type { ArgoCdAccessModel } from '../../spec';

/** Name of the F5 NGINX Policy (accessControl) the Argo CD Ingress references. */
export const ARGOCD_ALLOWLIST_POLICY = 'argocd-allowlist';

/** Chart values `configs.cm` / `configs.rbac` entries: with OIDC, no local admin and readonly by default. */
export function argoCdSignInValues(access: ArgoCdAccessModel | undefined): { readonly cm: Record<string, unknown>; readonly rbac?: Record<string, unknown> } {
  const oidc = access?.oidc;
  if (!oidc) return { cm: {} };
  const config = [
    'name: SSO',
    `issuer: ${JSON.stringify(oidc.issuer)}`,
    `clientID: ${JSON.stringify(oidc.clientId)}`,
    // Argo CD resolves $<secret>:<key> from a Secret labelled app.kubernetes.io/part-of=argocd.
    `clientSecret: ${JSON.stringify(`$${oidc.clientSecretRef}:clientSecret`)}`,
    'requestedScopes: ["openid", "profile", "email", "groups"]',
    '',
  ].join('\n');
  return {
    cm: { 'admin.enabled': false, 'oidc.config': config },
    rbac: {
      'policy.default': 'role:readonly',
      'policy.csv': oidc.adminGroups.map((g) => `g, ${g}, role:admin\n`).join(''),
      scopes: '[groups]',
    },
  };
}

/** Ingress annotations restricting the Argo CD server to the allowlist (nothing when it is empty). */
export function argoCdIngressAnnotations(controller: 'nginx' | 'ingress-nginx' | 'gateway-api', allowlist: readonly string[]): Record<string, string> {
  if (allowlist.length === 0 || controller === 'gateway-api') return {};
  return controller === 'nginx'
    ? { 'nginx.org/policies': ARGOCD_ALLOWLIST_POLICY }
    : { 'nginx.ingress.kubernetes.io/whitelist-source-range': allowlist.join(',') };
}
