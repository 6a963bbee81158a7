/** Argo CD managing itself (the bootstrap installed it): ingress with TLS, Application health, OCI repos. */
import type { Construct } from 'constructs';
import { argoCdRepositoryValues, GITOPS_BOOTSTRAP } from '../../facts';
import { AddonChart } from '../addon-chart';
import { argoRepoUrl } from '../gitops/argocd';
import { ApiObject } from 'cdk8s';
import { ARGOCD_ALLOWLIST_POLICY, argoCdIngressAnnotations, argoCdSignInValues } from './argocd-access';
import type { Platform } from '../platform';
import { LARGE, MEDIUM, SMALL } from './resources';

/** Lets sync waves wait for child Applications to be healthy (removed from Argo CD defaults in 1.8). */
const APPLICATION_HEALTH_LUA = [
  'hs = {}',
  'hs.status = "Progressing"',
  'hs.message = ""',
  'if obj.status ~= nil and obj.status.health ~= nil then',
  '  hs.status = obj.status.health.status',
  '  if obj.status.health.message ~= nil then',
  '    hs.message = obj.status.health.message',
  '  end',
  'end',
  'return hs',
  '',
].join('\n');

/** The allowlist Policy's CRD comes with the ingress release (wave 0): one wave after it. */
const ARGOCD_CONFIG_WAVE = 1;

export class ArgoCdChart extends AddonChart {
  public get configWave(): number {
    return ARGOCD_CONFIG_WAVE;
  }

  /** Build after every other add-on: the OCI repositories come from their releases. */
  constructor(scope: Construct, id: string, platform: Platform) {
    const pin = platform.versions.charts.argoCd;
    super(scope, id, platform, { addon: 'argo-cd', version: pin.appVersion });
    const ns = GITOPS_BOOTSTRAP.argocd.namespace;
    platform.addNamespace({
      name: ns, addon: this.addon, version: this.version,
      // No metrics are scraped here (the chart's metrics are off): no allow from monitoring.
      allow: ['apiserver', 'same-namespace', 'from-ingress', 'egress-external'],
    });
    const tls = 'argocd-server-tls';
    // <fullname>-server (nameOverride argocd), server.service.servicePortHttp 80 (server.insecure)
    // -> server.containerPorts.server 8080.
    const host = platform.addHostname('argocd', ns, tls, 'argo-cd', { service: `${GITOPS_BOOTSTRAP.argocd.release}-server`, port: 80, targetPort: 8080 });
    const ociRepos = platform.releases.map((r) => r.release).filter((r) => r.isOci);
    const access = platform.model.gitops.argocd;
    const allowlist = access?.ingressAllowlist ?? [];
    const signIn = argoCdSignInValues(access);
    const annotations = argoCdIngressAnnotations(platform.model.ingress.kind, allowlist);
    const repoConfigs = argoCdRepositoryValues(platform.model)?.configs;
    if (allowlist.length > 0 && platform.model.ingress.kind === 'nginx') {
      // F5 NGINX: an accessControl Policy the Ingress references (nginx.org/policies). Its CRD comes
      // with the ingress release: applied in the config wave, after it.
      new ApiObject(this.config, 'allowlist', {
        apiVersion: 'k8s.nginx.org/v1',
        kind: 'Policy',
        metadata: { name: ARGOCD_ALLOWLIST_POLICY, namespace: ns },
        spec: { accessControl: { allow: [...allowlist] } },
      });
    }
    this.addRelease({
      name: GITOPS_BOOTSTRAP.argocd.release, namespace: ns, chart: pin, wave: -15,
      values: {
        global: { domain: host },
        configs: {
          params: { 'server.insecure': true },
          cm: { 'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA, ...signIn.cm },
          ...(signIn.rbac ? { rbac: signIn.rbac } : {}),
          repositories: Object.fromEntries(ociRepos.map((r) => [r.name, { name: r.name, url: argoRepoUrl(r), type: 'helm', enableOCI: 'true' }])),
          // The Git server's SSH host keys of a private root repository: the bootstrap installed
          // Argo CD with the same values (cloud-init/addons.ts).
          ...repoConfigs,
        },
        server: {
          replicas: 2,
          // Gateway API option: an HTTPRoute of the gateway add-on serves the UI instead.
          ingress: platform.gatewayApi
            ? { enabled: false }
            : { enabled: true, ingressClassName: platform.ingressClass, tls: true, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
          resources: MEDIUM,
        },
        controller: { resources: LARGE },
        repoServer: { replicas: 2, resources: MEDIUM },
        applicationSet: { resources: SMALL },
        notifications: { resources: SMALL },
        redis: { resources: SMALL },
        dex: { enabled: false },
      },
    });
  }
}
