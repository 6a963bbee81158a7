/**
 * Who may reach a platform namespace from another one, by pod and port: Prometheus and Grafana
 * (monitoring namespace) and the ingress controller. Pod labels are each chart's own defaults;
 * ports are the metrics/serving ports those charts open with our values. A namespace that asks for
 * 'from-monitoring' without an entry here fails the render: no namespace-wide allow is left.
 */
import type { ClusterModel } from '../../spec';
import { CERT_MANAGER_NAMESPACE } from './cert-manager';
import { HARBOR_NAMESPACE } from './harbor';
import { INGRESS_NAMESPACE } from './ingress';
import { LOGGING_NAMESPACE, LOKI_PORT } from './logging';
import { AUDIT_SHIPPER_NAMESPACE, AUDIT_SHIPPER_PODS } from './logging-audit';
import { METALLB_NAMESPACE } from './metallb';
import { VELERO_NAMESPACE } from './velero';

export type PodLabels = Readonly<Record<string, string>>;

/** kube-prometheus-stack's Prometheus pods (the operator labels them with the name "prometheus"). */
export const PROMETHEUS_PODS: PodLabels = { 'app.kubernetes.io/name': 'prometheus' };
/** The Loki chart's pods (namespace LOGGING_NAMESPACE; single binary: they serve push and query on LOKI_PORT). */
export const LOKI_PODS: PodLabels = { 'app.kubernetes.io/name': 'loki' };
/** The API audit log shipper's pods and namespace (Loki's only client outside its namespace besides Grafana). */
export const AUDIT_SHIPPER = { namespace: AUDIT_SHIPPER_NAMESPACE, pods: AUDIT_SHIPPER_PODS } as const;
/** The grafana subchart's pods. */
export const GRAFANA_PODS: PodLabels = { 'app.kubernetes.io/name': 'grafana' };

/** The ingress controller's pods (namespace INGRESS_NAMESPACE); none with the Gateway API option. */
export function ingressControllerPods(model: ClusterModel): PodLabels | undefined {
  switch (model.ingress.kind) {
    case 'nginx':
      return { 'app.kubernetes.io/name': 'nginx-ingress' };
    case 'ingress-nginx':
      return { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };
    case 'gateway-api':
      return undefined;
  }
}

/** One allow from a monitoring pod to some pods of a namespace, on some ports. */
export interface MonitoringTarget {
  readonly from: 'prometheus' | 'grafana';
  /** The receiving pods. */
  readonly pods: PodLabels;
  /** Container ports (numbers) or container port names. */
  readonly ports: readonly (number | string)[];
  readonly why: string;
}

/** Container port names tenant pods use to be scraped / served (README: tenants). */
export const TENANT_PORT_NAMES = { metrics: 'metrics', http: ['http', 'https'] } as const;

/** The monitoring allows of one platform namespace (undefined: it has none declared). */
export function monitoringTargets(model: ClusterModel, namespace: string): readonly MonitoringTarget[] | undefined {
  switch (namespace) {
    case CERT_MANAGER_NAMESPACE:
      return [{ from: 'prometheus', pods: { 'app.kubernetes.io/name': 'cert-manager', 'app.kubernetes.io/component': 'controller' }, ports: [9402], why: 'cert-manager controller metrics (certificate expiry)' }];
    case HARBOR_NAMESPACE:
      return [{ from: 'prometheus', pods: { app: 'harbor' }, ports: [8001], why: 'Harbor component metrics (metrics.enabled)' }];
    case INGRESS_NAMESPACE: {
      const pods = ingressControllerPods(model);
      if (!pods) return [];
      return [{ from: 'prometheus', pods, ports: [model.ingress.kind === 'nginx' ? 9113 : 10254], why: 'ingress controller metrics' }];
    }
    case LOGGING_NAMESPACE:
      return [
        { from: 'prometheus', pods: LOKI_PODS, ports: [LOKI_PORT], why: 'Loki metrics' },
        { from: 'prometheus', pods: { 'app.kubernetes.io/name': 'alloy' }, ports: [12345], why: 'Alloy metrics' },
        { from: 'grafana', pods: LOKI_PODS, ports: [LOKI_PORT], why: 'the Grafana Loki data source' },
      ];
    case METALLB_NAMESPACE:
      return [{ from: 'prometheus', pods: { 'app.kubernetes.io/name': 'metallb', 'app.kubernetes.io/component': 'controller' }, ports: [7472], why: 'MetalLB controller metrics' }];
    case VELERO_NAMESPACE:
      return [{ from: 'prometheus', pods: { 'app.kubernetes.io/name': 'velero' }, ports: [8085], why: 'Velero server metrics' }];
    default:
      return undefined;
  }
}
