/**
 * Logging: Loki (single binary, filesystem storage on the default StorageClass) and Grafana
 * Alloy as the collector (a DaemonSet reading pod logs through the Kubernetes API), and a second
 * Alloy on the control planes shipping kube-apiserver's audit log (logging-audit.ts).
 */
import type { Construct } from 'constructs';
import { AddonChart } from '../addon-chart';
import type { Platform } from '../platform';
import { addAuditShipper, lokiWrite } from './logging-audit';
import { MEDIUM, resources } from './resources';
import { storageRelease } from './storage';

export const LOGGING_NAMESPACE = 'logging';
export const LOKI_PORT = 3100;

/** Alloy pipeline: this node's pods -> Loki (via the API, so no hostPath mounts). */
export function alloyConfig(lokiPushUrl: string): string {
  return [
    'discovery.kubernetes "pods" {',
    '  role = "pod"',
    '  selectors {',
    '    role  = "pod"',
    '    field = "spec.nodeName=" + sys.env("HOSTNAME")',
    '  }',
    '}',
    'discovery.relabel "pods" {',
    '  targets = discovery.kubernetes.pods.targets',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_namespace"]',
    '    target_label  = "namespace"',
    '  }',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_pod_name"]',
    '    target_label  = "pod"',
    '  }',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_pod_container_name"]',
    '    target_label  = "container"',
    '  }',
    '}',
    'loki.source.kubernetes "pods" {',
    '  targets    = discovery.relabel.pods.output',
    '  forward_to = [loki.write.default.receiver]',
    '}',
    ...lokiWrite(lokiPushUrl),
    '',
  ].join('\n');
}

export class LoggingChart extends AddonChart {
  constructor(scope: Construct, id: string, platform: Platform) {
    const loki = platform.versions.charts.loki;
    const alloy = platform.versions.charts.alloy;
    super(scope, id, platform, { addon: 'loki', version: loki.appVersion });
    const { model } = platform;
    platform.addNamespace({
      name: LOGGING_NAMESPACE, addon: this.addon, version: this.version, podSecurity: 'baseline',
      reason: 'the Alloy chart runs its collector as root without a seccomp profile; no host access is used',
      allow: ['apiserver', 'same-namespace', 'from-monitoring', 'from-audit-shipper'],
    });
    const storageClass = platform.storageClass;
    this.addRelease({
      name: 'loki', namespace: LOGGING_NAMESPACE, chart: loki, wave: 8,
      dependsOn: [storageRelease(model)],
      values: {
        deploymentMode: 'SingleBinary',
        loki: {
          auth_enabled: false,
          commonConfig: { replication_factor: 1 },
          storage: { type: 'filesystem' },
          schemaConfig: {
            configs: [{ from: '2024-04-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'loki_index_', period: '24h' } }],
          },
          limits_config: { retention_period: '744h' },
          compactor: { retention_enabled: true, delete_request_store: 'filesystem' },
        },
        singleBinary: { replicas: 1, persistence: { enabled: true, size: '20Gi', storageClass }, resources: resources('100m', '256Mi', '1', '1Gi') },
        read: { replicas: 0 },
        write: { replicas: 0 },
        backend: { replicas: 0 },
        gateway: { enabled: false },
        chunksCache: { enabled: false },
        resultsCache: { enabled: false },
        lokiCanary: { enabled: false },
        test: { enabled: false },
      },
    });
    const push = `http://loki.${LOGGING_NAMESPACE}.svc.${model.kubernetes.clusterDomain}:${LOKI_PORT}/loki/api/v1/push`;
    this.addRelease({
      name: 'alloy', namespace: LOGGING_NAMESPACE, chart: alloy, wave: 9, dependsOn: ['loki'],
      values: {
        controller: { type: 'daemonset' },
        alloy: { configMap: { create: true, content: alloyConfig(push) }, resources: MEDIUM },
      },
    });
    addAuditShipper(this, push, 'loki');
  }
}
