/**
 * Monitoring: kube-prometheus-stack (retention/storage from the spec), Grafana behind the ingress
 * with TLS and its admin password from an existing Secret, control-plane scraping at the bind
 * addresses the node bootstrap sets (facts/bootstrap.ts).
 */
import type { Construct } from 'constructs';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com';
import { controlPlaneMetrics } from '../../facts';
import { AddonChart } from '../addon-chart';
import type { Platform } from '../platform';
import { ingressRelease } from './ingress';
import { storageRelease } from './storage';
import { CERT_MANAGER_NAMESPACE } from './cert-manager';
import { renderAlertRules } from './alert-rules';
import { LOGGING_NAMESPACE, LOKI_PORT } from './logging';
import { LARGE, MEDIUM, resources, SMALL } from './resources';

export const MONITORING_NAMESPACE = 'monitoring';
/**
 * node-exporter's own namespace: the one monitoring component that needs the host (hostNetwork,
 * hostPID, / mounted), kept apart so that Grafana, Prometheus and Alertmanager are not in a
 * privileged namespace (the chart's `prometheus-node-exporter.namespaceOverride`).
 */
export const NODE_EXPORTER_NAMESPACE = 'monitoring-node';
/** Existing Secret (keys admin-user, admin-password) holding Grafana's admin login. */
export const GRAFANA_ADMIN_SECRET = { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } as const;

function pvc(storageClass: string, size: string): Record<string, unknown> {
  return { spec: { storageClassName: storageClass, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } } };
}

export class MonitoringChart extends AddonChart {
  constructor(scope: Construct, id: string, platform: Platform) {
    const pin = platform.versions.charts.kubePrometheusStack;
    super(scope, id, platform, { addon: 'kube-prometheus-stack', version: pin.appVersion });
    const { model } = platform;
    const mon = model.monitoring;
    platform.addNamespace({
      name: MONITORING_NAMESPACE, addon: this.addon, version: this.version, podSecurity: 'baseline',
      // Grafana chart 10.3.0 (the subchart of kube-prometheus-stack 79.12.0): initChownData is on by
      // default (the volume's owner is handed to uid 472; local-path volumes ignore fsGroup). The
      // operator's Prometheus and Alertmanager, the operator, its webhook Jobs and kube-state-metrics
      // run non-root with RuntimeDefault seccomp and every capability dropped.
      reason: 'Grafana\'s init-chown-data container runs as root with the CHOWN capability to give its volume to Grafana\'s user (restricted refuses both)',
      // Prometheus reaches node-exporter (host network, port 9100) through egress-nodes.
      allow: ['apiserver', 'same-namespace', 'from-ingress', 'from-nodes', 'egress-cluster', 'egress-nodes'],
    });
    platform.addNamespace({
      name: NODE_EXPORTER_NAMESPACE, addon: this.addon, version: this.version, podSecurity: 'privileged',
      reason: 'node-exporter needs hostNetwork, hostPID and hostPath mounts of / to report node metrics',
      // Its pods run on the host network, where no NetworkPolicy selects them (Prometheus scrapes
      // them through the monitoring namespace's egress-nodes); they call nothing.
      allow: [],
    });
    const grafanaTls = 'grafana-tls';
    // The grafana subchart's Service: <release>-grafana, port 80 (service.port) -> 3000 (service.targetPort).
    const grafanaHost = platform.addHostname('grafana', MONITORING_NAMESPACE, grafanaTls, 'grafana', { service: 'kube-prometheus-stack-grafana', port: 80, targetPort: 3000 });
    const cp = controlPlaneMetrics(model);
    const cpIps = model.controlPlanes.map((n) => n.ip);
    const httpsMonitor = { https: true, insecureSkipVerify: true };
    const lokiUrl = `http://loki.${LOGGING_NAMESPACE}.svc.${model.kubernetes.clusterDomain}:${LOKI_PORT}`;

    this.addRelease({
      name: 'kube-prometheus-stack', namespace: MONITORING_NAMESPACE, chart: pin, wave: 5,
      dependsOn: ['cert-manager', ...ingressRelease(platform.model), storageRelease(platform.model)],
      values: {
        crds: { enabled: true },
        prometheus: {
          prometheusSpec: {
            retention: mon.retention,
            replicas: 1,
            resources: LARGE,
            storageSpec: { volumeClaimTemplate: pvc(platform.storageClass, mon.prometheusStorage) },
            // Pick up every ServiceMonitor/PodMonitor/PrometheusRule, not only the release's own.
            ruleSelectorNilUsesHelmValues: false,
            serviceMonitorSelectorNilUsesHelmValues: false,
            podMonitorSelectorNilUsesHelmValues: false,
            probeSelectorNilUsesHelmValues: false,
          },
        },
        alertmanager: {
          alertmanagerSpec: { replicas: 1, resources: MEDIUM, storage: { volumeClaimTemplate: pvc(platform.storageClass, '5Gi') } },
        },
        grafana: {
          admin: { existingSecret: GRAFANA_ADMIN_SECRET.name, userKey: GRAFANA_ADMIN_SECRET.userKey, passwordKey: GRAFANA_ADMIN_SECRET.passwordKey },
          // Gateway API option: an HTTPRoute of the gateway add-on serves Grafana instead.
          ingress: platform.gatewayApi
            ? { enabled: false }
            : {
              enabled: true,
              ingressClassName: platform.ingressClass,
              hosts: [grafanaHost],
              tls: [{ secretName: grafanaTls, hosts: [grafanaHost] }],
            },
          persistence: { enabled: true, type: 'pvc', storageClassName: platform.storageClass, size: mon.grafanaStorage },
          resources: MEDIUM,
          additionalDataSources: model.logging.enabled
            ? [{ name: 'Loki', type: 'loki', uid: 'loki', access: 'proxy', url: lokiUrl }]
            : [],
        },
        prometheusOperator: { resources: MEDIUM },
        'kube-state-metrics': { resources: resources('10m', '64Mi', '200m', '256Mi') },
        'prometheus-node-exporter': { namespaceOverride: NODE_EXPORTER_NAMESPACE, resources: SMALL },
        // Cilium replaces kube-proxy; without it kubeadm runs kube-proxy (metrics on 127.0.0.1 only: not scraped).
        kubeProxy: { enabled: false },
        kubeEtcd: {
          enabled: true,
          // The addresses etcd's metrics listener binds (cloud-init's kubeadm patch), from the same fact.
          endpoints: cp.etcd.targets.map((t) => t.slice(0, t.lastIndexOf(':'))),
          service: { enabled: true, port: cp.etcd.port, targetPort: cp.etcd.port },
          serviceMonitor: { enabled: true, scheme: cp.etcd.scheme },
        },
        kubeScheduler: {
          enabled: true,
          endpoints: cpIps,
          service: { enabled: true, port: cp.scheduler.port, targetPort: cp.scheduler.port },
          serviceMonitor: { enabled: true, ...httpsMonitor },
        },
        kubeControllerManager: {
          enabled: true,
          endpoints: cpIps,
          service: { enabled: true, port: cp.controllerManager.port, targetPort: cp.controllerManager.port },
          serviceMonitor: { enabled: true, ...httpsMonitor },
        },
      },
    });

    // cert-manager's metrics (certificate expiry) — its chart cannot create this before the CRD exists.
    new ServiceMonitor(this.config, 'cert-manager', {
      metadata: { name: 'cert-manager', namespace: MONITORING_NAMESPACE },
      spec: {
        namespaceSelector: { matchNames: [CERT_MANAGER_NAMESPACE] },
        selector: { matchLabels: { 'app.kubernetes.io/name': 'cert-manager', 'app.kubernetes.io/component': 'controller' } },
        endpoints: [{ port: 'tcp-prometheus-servicemonitor', path: '/metrics', interval: '60s' }],
      },
    });
    renderAlertRules(this.config, platform, MONITORING_NAMESPACE);
  }
}
