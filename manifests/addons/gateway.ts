/**
 * Gateway API option (addons.ingress.controller "gateway-api"): Cilium's built-in Gateway API
 * implementation instead of an Ingress controller. The Gateway API CRDs (standard channel,
 * COMPONENTS.gatewayApi) are delivered from their Git repository; the node bootstrap applies the
 * same CRDs before Cilium starts (its operator only enables Gateway API when they exist). One
 * Gateway (class cilium) on the spec's ingress IP with an HTTP listener (redirects to HTTPS) and
 * an HTTPS listener (one cert-manager Certificate covering every platform hostname), and an
 * HTTPRoute per platform hostname pointing at the Service the add-on registered.
 */
import type { Construct } from 'constructs';
import {
  Gateway,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
  HttpRoute,
  HttpRouteSpecRulesFiltersRequestRedirectScheme,
  HttpRouteSpecRulesFiltersRequestRedirectStatusCode,
  HttpRouteSpecRulesFiltersType,
} from '../../imports/gateway.networking.k8s.io';
import { GATEWAY_API_CRDS_SOURCE } from '../../spec';
import { AddonChart } from '../addon-chart';
import type { Platform } from '../platform';
import { GitManifests } from '../release';
import { loadBalancerIpAnnotation } from './ingress';

export const GATEWAY_NAMESPACE = 'gateway';
export const GATEWAY_NAME = 'platform';
/** GatewayClass Cilium creates when gatewayAPI.enabled (gatewayAPI.gatewayClass.create "auto"). */
export const GATEWAY_CLASS = 'cilium';
/** TLS Secret of the HTTPS listener: one Certificate for every platform hostname. */
export const GATEWAY_TLS_SECRET = 'gateway-tls';
export const GATEWAY_LISTENERS = { http: 'http', https: 'https' } as const;
/** Delivery unit of the CRDs (Argo CD Application / Flux GitRepository + Kustomization). */
export const GATEWAY_API_CRDS = 'gateway-api-crds';
/** CRDs after Argo CD itself (-15), before Cilium (-10) and everything using them. */
export const GATEWAY_API_CRDS_WAVE = -12;
/** Gateway and routes: the wave an Ingress controller release would have (after cert-manager, MetalLB). */
export const GATEWAY_WAVE = 0;

export class GatewayChart extends AddonChart {
  constructor(scope: Construct, id: string, platform: Platform) {
    const version = platform.versions.components.gatewayApi;
    super(scope, id, platform, { addon: 'gateway-api', version });
    platform.addNamespace({ name: GATEWAY_NAMESPACE, addon: this.addon, version: this.version });
    platform.addGitManifests(this, new GitManifests({
      name: GATEWAY_API_CRDS,
      repo: GATEWAY_API_CRDS_SOURCE.repo,
      path: GATEWAY_API_CRDS_SOURCE.path,
      revision: version,
      wave: GATEWAY_API_CRDS_WAVE,
    }));
  }

  /** Custom resources of this add-on (Gateway, HTTPRoutes) are applied in this wave. */
  public get configWave(): number {
    return GATEWAY_WAVE;
  }

  /** The Gateway and one HTTPRoute per platform hostname (call after every add-on registered its hostnames). */
  public renderRoutes(): void {
    const { platform } = this;
    const hostnames = [...platform.hostnames].sort((a, b) => a.host.localeCompare(b.host));
    const routeNamespaces = [...new Set(hostnames.map((h) => h.namespace))].sort();
    new Gateway(this.config, 'gateway', {
      metadata: { name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE },
      spec: {
        gatewayClassName: GATEWAY_CLASS,
        // Cilium copies these onto the Gateway's LoadBalancer Service: MetalLB assigns the ingress IP.
        infrastructure: { annotations: loadBalancerIpAnnotation(platform.model.ingress.ip) },
        listeners: [
          {
            name: GATEWAY_LISTENERS.http,
            protocol: 'HTTP',
            port: 80,
            // The HTTPS redirect, and cert-manager's HTTP-01 solver routes (created in the namespace
            // of each ACME Certificate, wherever that is).
            allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL } },
          },
          {
            name: GATEWAY_LISTENERS.https,
            protocol: 'HTTPS',
            port: 443,
            tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ group: '', kind: 'Secret', name: GATEWAY_TLS_SECRET }] },
            allowedRoutes: {
              namespaces: {
                from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
                selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: routeNamespaces }] },
              },
            },
          },
        ],
      },
    });
    const parent = (sectionName: string) => ({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE, sectionName });
    new HttpRoute(this.config, 'https-redirect', {
      metadata: { name: 'https-redirect', namespace: GATEWAY_NAMESPACE },
      spec: {
        parentRefs: [parent(GATEWAY_LISTENERS.http)],
        hostnames: hostnames.map((h) => h.host),
        rules: [{
          filters: [{
            type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
            requestRedirect: {
              scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
              statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
            },
          }],
        }],
      },
    });
    for (const h of hostnames) {
      new HttpRoute(this.config, `route-${h.host}`, {
        metadata: { name: h.addon, namespace: h.namespace },
        spec: {
          parentRefs: [parent(GATEWAY_LISTENERS.https)],
          hostnames: [h.host],
          rules: [{ backendRefs: [{ group: '', kind: 'Service', name: h.backend.service, port: h.backend.port }] }],
        },
      });
    }
  }
}
