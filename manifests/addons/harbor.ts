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
        core: { resources: MEDIUM },
        portal: { resources: MEDIUM },
        registry: { registry: { resources: MEDIUM }, controller: { resources: MEDIUM } },
        jobservice: { resources: MEDIUM },
        database: { internal: { resources: MEDIUM } },
        redis: { internal: { resources: MEDIUM } },
        nginx: { resources: MEDIUM },
        exporter: { resources: MEDIUM },
      },
    });
  }
}
