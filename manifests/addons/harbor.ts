/** Harbor: behind the ingress with TLS, persistence on the default StorageClass, Trivy on. */
import type { Construct } from 'constructs';
import { AddonChart } from '../addon-chart';
import type { Platform } from '../platform';
import { ingressRelease } from './ingress';
import { storageRelease } from './storage';
import { MEDIUM, resources } from './resources';

export const HARBOR_NAMESPACE = 'harbor';
/** Existing Secret holding the Harbor admin password (key HARBOR_ADMIN_PASSWORD). */
export const HARBOR_ADMIN_SECRET = { name: 'harbor-admin', key: 'HARBOR_ADMIN_PASSWORD' } as const;
/**
 * Existing Secret holding every other Harbor credential, under the key names the chart reads
 * (harbor-helm v1.18 values.yaml): none is left at a chart default or generated at render time
 * (Argo CD renders the chart again and again: a key generated at render would change each time).
 */
export const HARBOR_CREDENTIALS = {
  name: 'harbor-credentials',
  keys: {
    /** existingSecretSecretKey: the 16-character key Harbor encrypts stored credentials with. */
    secretKey: 'secretKey',
    /** core.existingSecret: the secret core shares with the other components. */
    core: 'secret',
    /** core.existingXsrfSecret: the 32-character CSRF key. */
    xsrf: 'CSRF_KEY',
    /** jobservice.existingSecret. */
    jobservice: 'JOBSERVICE_SECRET',
    /** registry.existingSecret: distribution's HTTP secret (upload state). */
    registryHttp: 'REGISTRY_HTTP_SECRET',
    /** registry.credentials.existingSecret: the password core and jobservice log in to the registry with, and its htpasswd line. */
    registryPassword: 'REGISTRY_PASSWD',
    registryHtpasswd: 'REGISTRY_HTPASSWD',
    /** database.external.existingSecret (read by core and the exporter) and the internal database's POSTGRES_PASSWORD. */
    database: 'password',
    /** core.secretName: the token service's signing key and certificate. */
    tokenKey: 'tls.key',
    tokenCert: 'tls.crt',
  },
  /** registry.credentials.username: not secret, but the htpasswd line must name it. */
  registryUser: 'harbor_registry_user',
} as const;

export class HarborChart extends AddonChart {
  constructor(scope: Construct, id: string, platform: Platform) {
    const pin = platform.versions.charts.harbor;
    super(scope, id, platform, { addon: 'harbor', version: pin.appVersion });
    platform.addNamespace({
      name: HARBOR_NAMESPACE, addon: this.addon, version: this.version, podSecurity: 'baseline',
      reason: 'the internal database and redis images start as root to fix volume ownership',
      allow: ['apiserver', 'same-namespace', 'from-ingress', 'from-monitoring', 'egress-external'],
    });
    const tls = 'harbor-tls';
    // expose.clusterIP.name / ports.httpPort of the chart (Gateway API option); harbor-nginx serves HTTP on 8080.
    const service = { service: 'harbor', port: 80, targetPort: 8080 };
    const host = platform.addHostname('harbor', HARBOR_NAMESPACE, tls, 'harbor', service);
    const credentials = harborCredentialValues();
    const sc = platform.storageClass;
    const volume = (size: string) => ({ storageClass: sc, accessMode: 'ReadWriteOnce', size });
    this.addRelease({
      name: 'harbor', namespace: HARBOR_NAMESPACE, chart: pin, wave: 8,
      dependsOn: ['cert-manager', ...ingressRelease(platform.model), storageRelease(platform.model)],
      values: {
        // Gateway API option: plain HTTP behind a ClusterIP Service, TLS ends at the Gateway.
        expose: platform.gatewayApi
          ? { type: 'clusterIP', tls: { enabled: false }, clusterIP: { name: service.service, ports: { httpPort: service.port } } }
          : {
            type: 'ingress',
            tls: { enabled: true, certSource: 'secret', secret: { secretName: tls } },
            ingress: { hosts: { core: host }, className: platform.ingressClass },
          },
        externalURL: `https://${host}`,
        existingSecretAdminPassword: HARBOR_ADMIN_SECRET.name,
        existingSecretAdminPasswordKey: HARBOR_ADMIN_SECRET.key,
        existingSecretSecretKey: credentials.existingSecretSecretKey,
        persistence: {
          enabled: true,
          resourcePolicy: 'keep',
          persistentVolumeClaim: {
            registry: volume('100Gi'),
            database: volume('10Gi'),
            jobservice: { jobLog: volume('1Gi') },
            redis: volume('2Gi'),
            trivy: volume('5Gi'),
          },
        },
        trivy: { enabled: true, resources: resources('200m', '512Mi', '1', '1Gi') },
        metrics: { enabled: true },
        core: { ...credentials.core, resources: MEDIUM },
        portal: { resources: MEDIUM },
        registry: { ...credentials.registry, registry: { resources: MEDIUM }, controller: { resources: MEDIUM } },
        jobservice: { ...credentials.jobservice, resources: MEDIUM },
        database: { ...credentials.database, internal: { ...credentials.database.internal, resources: MEDIUM } },
        redis: { internal: { resources: MEDIUM } },
        nginx: { resources: MEDIUM },
        exporter: { resources: MEDIUM },
      },
    });
  }
}

/** The chart values that take every Harbor credential from HARBOR_CREDENTIALS. */
export function harborCredentialValues() {
  const { name, keys } = HARBOR_CREDENTIALS;
  return {
    existingSecretSecretKey: name,
    core: { existingSecret: name, existingXsrfSecret: name, existingXsrfSecretKey: keys.xsrf, secretName: name },
    jobservice: { existingSecret: name, existingSecretKey: keys.jobservice },
    registry: {
      existingSecret: name,
      existingSecretKey: keys.registryHttp,
      credentials: { username: HARBOR_CREDENTIALS.registryUser, existingSecret: name },
    },
    database: {
      // The chart has no existingSecret for its internal database: core and the exporter read the
      // external one (the chart reads it whatever database.type), and the database container's
      // POSTGRES_PASSWORD comes from the same key (env wins over the chart's envFrom Secret, which
      // an empty password leaves without the chart default).
      internal: {
        password: '',
        extraEnvVars: [{ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name, key: keys.database } } }],
      },
      external: { existingSecret: name },
    },
  };
}
