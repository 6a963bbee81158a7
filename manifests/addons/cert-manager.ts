/**
 * cert-manager with its CRDs; ClusterIssuers self-signed, internal CA, ACME staging and
 * production; a Certificate for every platform hostname (rendered once all add-ons registered
 * theirs).
 */
import type { Construct } from 'constructs';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy, ClusterIssuer } from '../../imports/cert-manager.io';
import { AddonChart } from '../addon-chart';
import type { Platform } from '../platform';
import { GATEWAY_LISTENERS, GATEWAY_NAME, GATEWAY_NAMESPACE, GATEWAY_TLS_SECRET } from './gateway';
import { MEDIUM, SMALL } from './resources';

export const CERT_MANAGER_NAMESPACE = 'cert-manager';
export const SELF_SIGNED_ISSUER = 'self-signed';
export const ACME_ISSUERS = {
  staging: { name: 'letsencrypt-staging', server: 'https://acme-staging-v02.api.letsencrypt.org/directory' },
  production: { name: 'letsencrypt-production', server: 'https://acme-v02.api.letsencrypt.org/directory' },
} as const;
/** Annotations with which cert-manager's ingress-shim issues from a ClusterIssuer (Ingress, Gateway). */
export const CLUSTER_ISSUER_ANNOTATIONS = { name: 'cert-manager.io/cluster-issuer', kind: 'cert-manager.io/issuer-kind' } as const;

/** Names of the ClusterIssuers this add-on renders, sorted (tenants may use none of them). */
export function platformClusterIssuers(platform: Platform): string[] {
  return [SELF_SIGNED_ISSUER, platform.platformIssuer, ...Object.values(ACME_ISSUERS).map((a) => a.name)].sort();
}

export class CertManagerChart extends AddonChart {
  constructor(scope: Construct, id: string, platform: Platform) {
    const pin = platform.versions.charts.certManager;
    super(scope, id, platform, { addon: 'cert-manager', version: pin.appVersion });
    const { model } = platform;
    platform.addNamespace({
      name: CERT_MANAGER_NAMESPACE, addon: this.addon, version: this.version,
      allow: ['apiserver', 'same-namespace', 'from-nodes', 'from-monitoring', 'egress-external', 'egress-cluster'],
    });
    this.addRelease({
      name: 'cert-manager', namespace: CERT_MANAGER_NAMESPACE, chart: pin, wave: -5,
      values: {
        crds: { enabled: true, keep: true },
        replicaCount: 2,
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
        resources: MEDIUM,
        webhook: { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 }, resources: SMALL },
        cainjector: { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 }, resources: MEDIUM },
        startupapicheck: { resources: SMALL },
        // The ServiceMonitor is rendered by the monitoring add-on (its CRD arrives later).
        prometheus: { enabled: true, servicemonitor: { enabled: false } },
        // Gateway API option: HTTP-01 challenges are answered through HTTPRoutes on the Gateway.
        ...(platform.gatewayApi
          ? { config: { apiVersion: 'controller.config.cert-manager.io/v1alpha1', kind: 'ControllerConfiguration', enableGatewayAPI: true } }
          : {}),
      },
    });

    new ClusterIssuer(this.config, 'self-signed', { metadata: { name: SELF_SIGNED_ISSUER }, spec: { selfSigned: {} } });
    new Certificate(this.config, 'ca', {
      metadata: { name: platform.platformIssuer, namespace: CERT_MANAGER_NAMESPACE },
      spec: {
        isCa: true,
        commonName: `${model.name} platform CA`,
        secretName: platform.platformIssuer,
        duration: '87600h',
        renewBefore: '720h',
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256 },
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: SELF_SIGNED_ISSUER },
      },
    });
    new ClusterIssuer(this.config, 'internal-ca', { metadata: { name: platform.platformIssuer }, spec: { ca: { secretName: platform.platformIssuer } } });
    const email = model.certManager.acmeEmail;
    for (const [key, acme] of Object.entries(ACME_ISSUERS)) {
      new ClusterIssuer(this.config, `acme-${key}`, {
        metadata: { name: acme.name },
        spec: {
          acme: {
            server: acme.server,
            email,
            privateKeySecretRef: { name: `${acme.name}-account-key` },
            solvers: [{
              http01: platform.gatewayApi
                ? { gatewayHttpRoute: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE, sectionName: GATEWAY_LISTENERS.http }] } }
                : { ingress: { ingressClassName: platform.ingressClass } },
            }],
          },
        },
      });
    }
  }

  /**
   * A Certificate (internal CA) for every hostname the add-ons registered; with the Gateway API
   * option one Certificate covering them all, in the Gateway's namespace (its HTTPS listener).
   */
  public renderCertificates(): void {
    if (this.platform.gatewayApi) {
      const hosts = this.platform.hostnames.map((h) => h.host).sort();
      new Certificate(this.config, 'cert-gateway', {
        metadata: { name: GATEWAY_TLS_SECRET, namespace: GATEWAY_NAMESPACE },
        spec: {
          secretName: GATEWAY_TLS_SECRET,
          dnsNames: hosts,
          duration: '2160h',
          renewBefore: '360h',
          privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256, rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS },
          issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: this.platform.platformIssuer },
        },
      });
      return;
    }
    for (const h of [...this.platform.hostnames].sort((a, b) => a.host.localeCompare(b.host))) {
      new Certificate(this.config, `cert-${h.host}`, {
        metadata: { name: h.secretName, namespace: h.namespace },
        spec: {
          secretName: h.secretName,
          dnsNames: [h.host],
          duration: '2160h',
          renewBefore: '360h',
          privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256, rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS },
          issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: this.platform.platformIssuer },
        },
      });
    }
  }
}
