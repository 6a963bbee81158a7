/**
 * Ingress: the F5 NGINX Ingress Controller (default) or the retired community ingress-nginx
 * (warns); the Gateway API option is manifests/addons/gateway.ts instead. Two replicas, a PodDisruptionBudget and a LoadBalancer Service on
 * the spec's fixed ingress IP.
 */
import type { Construct } from 'constructs';
import { AddonChart } from '../addon-chart';
import type { ClusterModel } from '../../spec';
import type { Platform } from '../platform';
import { MEDIUM } from './resources';

export const INGRESS_NAMESPACE = 'ingress';
const REPLICAS = 2;

/** Helm release (and add-on name) of each Ingress controller; the Gateway API option has none (Cilium serves it). */
export const INGRESS_RELEASES = { nginx: 'nginx-ingress', 'ingress-nginx': 'ingress-nginx' } as const;

/** The ingress controller's release, for add-ons whose Ingress must wait for it; none with the Gateway API option. */
export function ingressRelease(model: ClusterModel): readonly string[] {
  return model.ingress.kind === 'gateway-api' ? [] : [INGRESS_RELEASES[model.ingress.kind]];
}

/** MetalLB assigns exactly this address to the Service (annotation of MetalLB >= 0.13). */
export function loadBalancerIpAnnotation(ip: string): Record<string, string> {
  return { 'metallb.io/loadBalancerIPs': ip };
}

export class IngressChart extends AddonChart {
  constructor(scope: Construct, id: string, platform: Platform) {
    const controller = platform.model.ingress.kind;
    if (controller === 'gateway-api') {
      throw new Error('addons.ingress.controller "gateway-api" is served by the gateway add-on (manifests/addons/gateway.ts), not by an Ingress controller, received: "gateway-api"');
    }
    const pin = controller === 'ingress-nginx' ? platform.versions.charts.ingressNginx : platform.versions.charts.nginxIngress;
    super(scope, id, platform, { addon: INGRESS_RELEASES[controller], version: pin.appVersion });
    platform.addNamespace({
      name: INGRESS_NAMESPACE, addon: this.addon, version: this.version, podSecurity: 'baseline',
      reason: 'the controller binds ports 80/443 inside the pod (NET_BIND_SERVICE) and its image runs without a seccomp profile set by the chart',
      allow: ['apiserver', 'same-namespace', 'http-from-anywhere', 'egress-cluster', 'from-monitoring', 'from-nodes'],
    });
    const ip = platform.model.ingress.ip;
    if (controller === 'ingress-nginx') {
      // Retired upstream: the spec loader warns (spec/checks/addons.ts).
      this.addRelease({
        name: INGRESS_RELEASES['ingress-nginx'], namespace: INGRESS_NAMESPACE, chart: pin, wave: 0, dependsOn: ['metallb'],
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
      name: INGRESS_RELEASES.nginx, namespace: INGRESS_NAMESPACE, chart: pin, wave: 0, dependsOn: ['metallb'],
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
