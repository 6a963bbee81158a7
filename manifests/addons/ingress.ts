/**
 * Ingress: the F5 NGINX Ingress Controller (default) or the retired community ingress-nginx
 * (warns); the Gateway API option is manifests/addons/gateway.ts instead. Two replicas, a PodDisruptionBudget and a LoadBalancer Service on
 * the spec's fixed ingress IP.
 */
import type { Construct } from 'constructs';
import { AddonChart } from '../addon-chart';
import type { Platform } from '../platform';
import { MEDIUM } from './resources';

export const INGRESS_NAMESPACE = 'ingress';
const REPLICAS = 2;

/** MetalLB assigns exactly this address to the Service (annotation of MetalLB >= 0.13). */
export function loadBalancerIpAnnotation(ip: string): Record<string, string> {
  return { 'metallb.io/loadBalancerIPs': ip };
}

export class IngressChart extends AddonChart {
  constructor(scope: Construct, id: string, platform: Platform) {
    const controller = platform.model.spec.addons.ingress.controller;
    const pin = controller === 'ingress-nginx' ? platform.versions.charts.ingressNginx : platform.versions.charts.nginxIngress;
    super(scope, id, platform, { addon: controller === 'ingress-nginx' ? 'ingress-nginx' : 'nginx-ingress', version: pin.appVersion });
    platform.addNamespace({
      name: INGRESS_NAMESPACE, addon: this.addon, version: this.version, podSecurity: 'baseline',
      reason: 'the controller binds ports 80/443 inside the pod (NET_BIND_SERVICE) and its image runs without a seccomp profile set by the chart',
      allow: ['apiserver', 'same-namespace', 'http-from-anywhere', 'egress-cluster', 'from-monitoring', 'from-nodes'],
    });
    const ip = platform.model.network.ingressIp;
    if (controller === 'gateway-api') {
      throw new Error('addons.ingress.controller "gateway-api" is served by the gateway add-on (manifests/addons/gateway.ts), not by an Ingress controller, received: "gateway-api"');
    }
    if (controller === 'ingress-nginx') {
      // Retired upstream: the spec loader warns (spec/checks/addons.ts).
      this.addRelease({
        name: 'ingress-nginx', namespace: INGRESS_NAMESPACE, chart: pin, wave: 0, dependsOn: ['metallb'],
        values: {
          controller: {
            replicaCount: REPLICAS,
            minAvailable: 1,
            resources: MEDIUM,
            ingressClassResource: { name: platform.ingressClass, default: true },
            service: { type: 'LoadBalancer', annotations: loadBalancerIpAnnotation(ip), externalTrafficPolicy: 'Local' },
            metrics: { enabled: true },
          },
        },
      });
      return;
    }
    this.addRelease({
      name: 'nginx-ingress', namespace: INGRESS_NAMESPACE, chart: pin, wave: 0, dependsOn: ['metallb'],
      values: {
        controller: {
          replicaCount: REPLICAS,
          podDisruptionBudget: { enabled: true, minAvailable: 1 },
          resources: MEDIUM,
          ingressClass: { name: platform.ingressClass, create: true, setAsDefaultIngress: true },
          service: { type: 'LoadBalancer', annotations: loadBalancerIpAnnotation(ip), externalTrafficPolicy: 'Local' },
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{
                weight: 100,
                podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'nginx-ingress' } } },
              }],
            },
          },
        },
        prometheus: { create: true },
      },
    });
  }
}
