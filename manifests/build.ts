/**
 * Assembles the platform: every add-on chart in dependency order, then the cross-cutting
 * renderers (certificates, namespaces, GitOps delivery, sync waves).
 */
import { ApiObject, type App, Chart } from 'cdk8s';
import { AddonChart } from './addon-chart';
import { ArgoCdChart } from './addons/argocd';
import { CertManagerChart } from './addons/cert-manager';
import { CiliumChart } from './addons/cilium';
import { EtcdBackupChart } from './addons/etcd-backup';
import { GatewayChart } from './addons/gateway';
import { HarborChart } from './addons/harbor';
import { IngressChart } from './addons/ingress';
import { LoggingChart } from './addons/logging';
import { MetallbChart } from './addons/metallb';
import { MetricsServerChart } from './addons/metrics-server';
import { MonitoringChart } from './addons/monitoring';
import { SecurityChart } from './addons/security';
import { StorageChart } from './addons/storage';
import { TenantsChart } from './addons/tenants';
import { VeleroChart } from './addons/velero';
import { renderArgoApplication, renderArgoGitApplication, renderArgoRoot } from './gitops/argocd';
import { renderFluxGitManifests, renderFluxKustomizations, renderFluxRelease } from './gitops/flux';
import { standardLabels, SYNC_OPTIONS, SYNC_WAVE } from './labels';
import type { Platform } from './platform';
import { validateReleaseGraph } from './release';

/** Folder under manifests/ a chart is written to: its construct path, '/' -> '-'. */
export function chartFolder(chart: Chart): string {
  return chart.node.path.split('/').filter(Boolean).join('-');
}

const SECURITY_WAVE = -20;

function isAddon(chart: Chart): chart is AddonChart {
  return chart instanceof AddonChart;
}

export function buildPlatform(app: App, platform: Platform): Chart[] {
  const { model } = platform;
  const security = new SecurityChart(app, 'security', platform);
  const charts: AddonChart[] = [
    // addons.cni none: the operator's CNI is theirs to deploy; nothing here depends on Cilium.
    ...(model.cni === 'cilium' ? [new CiliumChart(app, 'cilium', platform)] : []),
    new MetallbChart(app, 'metallb', platform),
    new StorageChart(app, 'storage', platform),
    new MetricsServerChart(app, 'metrics-server', platform),
  ];
  const certManager = new CertManagerChart(app, 'cert-manager', platform);
  // Gateway API option: a Gateway with HTTPRoutes (Cilium) instead of an Ingress controller release.
  const gateway = platform.gatewayApi ? new GatewayChart(app, 'gateway', platform) : undefined;
  charts.push(certManager, gateway ?? new IngressChart(app, 'ingress', platform));
  if (model.monitoring.enabled) charts.push(new MonitoringChart(app, 'monitoring', platform));
  if (model.logging.enabled) charts.push(new LoggingChart(app, 'logging', platform));
  if (model.harbor.enabled) charts.push(new HarborChart(app, 'harbor', platform));
  charts.push(new EtcdBackupChart(app, 'etcd-backup', platform));
  if (model.backups.velero) {
    // Without an object store Velero is left out; the spec loader warns (spec/checks/addons.ts).
    if (model.backups.s3) charts.push(new VeleroChart(app, 'velero', platform));
  }
  if (platform.engine === 'argocd') charts.push(new ArgoCdChart(app, 'argocd', platform));
  const tenants = model.tenants.length > 0 ? new TenantsChart(app, 'tenants', platform) : undefined;

  certManager.renderCertificates();
  gateway?.renderRoutes();
  security.renderNamespaces();
  validateReleaseGraph(platform.releases.map((r) => r.release));

  const gitops = new Chart(app, 'gitops', { labels: standardLabels('gitops', gitopsVersion(platform)) });
  const all: Chart[] = [security, ...charts, ...(tenants ? [tenants] : [])];
  renderDelivery(platform, gitops, security, all, tenants);
  // Every chart, including the nested config charts, in construct order.
  return app.node.findAll().filter((c): c is Chart => Chart.isChart(c));
}

function gitopsVersion(platform: Platform): string {
  return platform.engine === 'flux' ? platform.versions.components.flux : platform.versions.charts.argoCd.appVersion;
}

/** Lowest wave among a chart's releases and Git manifests (native objects of a chart without either: 0). */
function chartWave(platform: Platform, chart: Chart): number {
  const waves = [
    ...platform.releases.filter((r) => r.scope === chart).map((r) => r.release.wave),
    ...platform.gitManifests.filter((g) => g.scope === chart).map((g) => g.manifests.wave),
  ];
  return waves.length > 0 ? Math.min(...waves) : 0;
}

function annotateWave(chart: Chart, wave: number, customResources: boolean): void {
  for (const obj of chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart)) {
    if (obj.metadata.toJson().annotations?.[SYNC_WAVE] !== undefined) continue;
    obj.metadata.addAnnotation(SYNC_WAVE, String(wave));
    if (customResources) obj.metadata.addAnnotation(SYNC_OPTIONS, 'SkipDryRunOnMissingResource=true');
  }
}

function renderDelivery(platform: Platform, gitops: Chart, security: Chart, charts: readonly Chart[], tenants?: Chart): void {
  // Nothing delivers the add-ons: the spec loader warns (spec/checks/addons.ts).
  if (platform.engine === 'none') return;
  for (const { release, scope } of platform.releases) {
    if (platform.engine === 'argocd') renderArgoApplication(scope, release);
    else renderFluxRelease(scope, release, platform);
  }
  for (const { manifests, scope } of platform.gitManifests) {
    if (platform.engine === 'argocd') renderArgoGitApplication(scope, manifests);
    else renderFluxGitManifests(scope, manifests);
  }
  if (platform.engine === 'argocd') {
    renderArgoRoot(gitops, platform, charts);
    annotateWave(security, SECURITY_WAVE, false);
    if (tenants) annotateWave(tenants, SECURITY_WAVE + 1, false);
    for (const chart of charts) {
      if (chart === security || chart === tenants) continue;
      const wave = chartWave(platform, chart);
      annotateWave(chart, wave, false);
      const config = isAddon(chart) && chart.hasConfig ? chart.config : undefined;
      if (config) annotateWave(config, (isAddon(chart) ? chart.configWave : undefined) ?? wave + 1, true);
    }
    return;
  }
  // Flux: one Kustomization per folder; a folder follows security, the folders of the releases
  // its own releases depend on, and the folders of Git manifests (CRDs) of a lower wave; a config
  // folder follows its add-on folder.
  const folderOfRelease = new Map(platform.releases.map((r) => [r.release.name, chartFolder(r.scope)]));
  const folders = new Map<string, readonly string[]>();
  folders.set(chartFolder(security), []);
  for (const chart of charts) {
    if (chart === security) continue;
    const deps = platform.releases
      .filter((r) => r.scope === chart)
      .flatMap((r) => r.release.dependsOn.map((d) => folderOfRelease.get(d)!))
      .filter((f) => f !== chartFolder(chart));
    const wave = chartWave(platform, chart);
    const crds = platform.gitManifests.filter((g) => g.manifests.wave < wave && g.scope !== chart).map((g) => chartFolder(g.scope));
    folders.set(chartFolder(chart), [...new Set([chartFolder(security), ...deps, ...crds])]);
    if (isAddon(chart) && chart.hasConfig) folders.set(chartFolder(chart.config), [chartFolder(chart)]);
  }
  renderFluxKustomizations(gitops, platform, folders);
}
