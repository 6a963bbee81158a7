/**
 * Cilium Helm values, derived from the cluster model. The same object is used by the node
 * bootstrap (cloud-init installs Cilium before GitOps runs) and by the GitOps release that
 * adopts it afterwards, so the two can never disagree.
 */
import type { ClusterModel } from '../spec';

export function ciliumValues(model: ClusterModel): Record<string, unknown> {
  const [host, port] = [model.network.vip, model.network.apiPort];
  return {
    k8sServiceHost: host,
    k8sServicePort: port,
    kubeProxyReplacement: true,
    ipam: {
      mode: 'cluster-pool',
      operator: {
        clusterPoolIPv4PodCIDRList: [model.network.podCidr],
        clusterPoolIPv4MaskSize: model.network.podCidrMaskSize,
      },
    },
    operator: {
      replicas: 2,
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    },
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '2', memory: '1Gi' } },
    rollOutCiliumPods: true,
    hubble: {
      enabled: true,
      relay: { enabled: true },
      ui: { enabled: true },
      metrics: { enabled: ['dns', 'drop', 'tcp', 'flow', 'port-distribution', 'icmp', 'httpV2'] },
    },
    prometheus: { enabled: true },
    // NetworkPolicy ipBlocks may select node IPs (API server, webhooks called from the node
    // network); manifests/addons/security.ts relies on it.
    policyCIDRMatchMode: ['nodes'],
    // Gateway API option: Cilium serves the platform Gateway (kubeProxyReplacement is on). The
    // operator enables it only if the Gateway API CRDs exist when it starts (node bootstrap).
    ...(model.ingress.kind === 'gateway-api' ? { gatewayAPI: { enabled: true } } : {}),
  };
}
