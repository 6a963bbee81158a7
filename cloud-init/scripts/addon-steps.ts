/** Bootstrap steps of the first control plane after kubeadm init: Helm, Cilium, GitOps. */
import type { ClusterModel, NodeModel } from '../../spec';
import type { ChartPin } from '../../spec';
import { CHARTS, COMPONENTS, FLUX_INSTALL_MANIFEST, GATEWAY_API_INSTALL_MANIFEST, HELM_DOWNLOAD } from '../../spec';
import { renderArgoCdBootstrapValues } from '../addons';
import { CILIUM_RELEASE, GITOPS_BOOTSTRAP } from '../../facts';
import { NODE_PATHS } from '../paths';
import { IS_INIT_MODE, KUBECTL } from './kube-steps';
import { type Step, step as anyStep } from './os-steps';
import { sq } from '../../format/shell';

/**
 * An add-on step runs only on the node that created the cluster: a first control plane that
 * joined an existing cluster (a rebuilt VM) finds the add-ons there already, kept by GitOps.
 */
function step(name: string, comment: string, body: readonly string[], helpers: readonly string[] = []): Step {
  const guard = [`if ! ${IS_INIT_MODE}; then`, '  log "joined an existing cluster: its add-ons are already there"', '  return 0', 'fi'];
  return anyStep(name, comment, [...guard, ...body], helpers);
}
const HELM = `helm --kubeconfig ${NODE_PATHS.adminKubeconfig}`;

/**
 * The chart argument of `helm upgrade --install`: `<chart> --repo <repository>` for an HTTP
 * repository, `oci://<registry>/<path>/<chart>` for an OCI one. The repository is the spec's
 * chart mirror (sources.charts) when set, else the chart's upstream.
 */
export function chartRef(model: ClusterModel, pin: ChartPin): string {
  const repo = model.sources.chartRepository ?? pin.repo;
  return repo.startsWith('oci://') ? sq(`${repo}/${pin.chart}`) : `${pin.chart} --repo ${sq(repo)}`;
}

/** The Helm tarballs the bootstrap accepts: SHA-256 by Debian architecture. */
export type HelmChecksums = Readonly<Record<string, string>>;

export function helmStep(model: ClusterModel, sha256: HelmChecksums = HELM_DOWNLOAD.sha256): Step {
  const version = COMPONENTS.helm;
  const base = model.sources.helmBaseUrl;
  return step('helm', `Helm ${version} from ${base}, checked against the SHA-256 pinned in spec/versions.ts.`, [
    'local arch tarball tmp sum',
    `if command -v helm >/dev/null && [[ "$(helm version --template '{{.Version}}')" == ${sq(version)} ]]; then`,
    '  return 0',
    'fi',
    'arch="$(dpkg --print-architecture)"',
    'case "$arch" in',
    ...Object.entries(sha256).map(([arch, sum]) => `  ${arch}) sum=${sq(sum)} ;;`),
    `  *) log "no pinned Helm ${version} checksum for architecture $arch: refused"; return 1 ;;`,
    'esac',
    `tarball="helm-${version}-linux-$arch.tar.gz"`,
    'tmp="$(mktemp -d)"',
    `retry 5 10 curl -fsSL -o "$tmp/$tarball" ${sq(`${base}/`)}"$tarball"`,
    'if ! printf \'%s  %s\\n\' "$sum" "$tmp/$tarball" | sha256sum --check --status; then',
    '  log "$tarball: SHA-256 $(sha256sum "$tmp/$tarball" | cut -d" " -f1), not the pinned $sum: refused"',
    '  rm -rf "$tmp"',
    '  return 1',
    'fi',
    'tar -xzf "$tmp/$tarball" -C "$tmp"',
    'install -m 0755 "$tmp/linux-$arch/helm" /usr/local/bin/helm',
    'rm -rf "$tmp"',
  ]);
}

/**
 * Gateway API option: the standard-channel CRDs before Cilium, whose operator enables Gateway API
 * only when they exist at its start. GitOps keeps the same CRDs afterwards.
 */
export function gatewayApiCrdsStep(model: ClusterModel): Step | undefined {
  if (model.ingress.kind !== 'gateway-api') return undefined;
  return step('gateway-api-crds', `Gateway API ${COMPONENTS.gatewayApi} CRDs (standard channel) before Cilium enables its Gateway API support.`, [
    `retry 5 15 ${KUBECTL} apply --server-side -f ${sq(GATEWAY_API_INSTALL_MANIFEST)}`,
    `${KUBECTL} wait --for=condition=Established crd/gatewayclasses.gateway.networking.k8s.io crd/gateways.gateway.networking.k8s.io crd/httproutes.gateway.networking.k8s.io --timeout=5m`,
  ]);
}

export function ciliumStep(model: ClusterModel): Step {
  const c = CHARTS.cilium;
  return step('cilium', `Cilium ${c.version} (kube-proxy replacement) with the values the GitOps release uses.`, [
    `retry 5 15 ${HELM} upgrade --install ${CILIUM_RELEASE.name} ${chartRef(model, c)} --version ${sq(c.version)} \\`,
    `  --namespace ${CILIUM_RELEASE.namespace} --values ${NODE_PATHS.ciliumValues}`,
    `retry 3 10 ${KUBECTL} --namespace ${CILIUM_RELEASE.namespace} rollout status daemonset/cilium --timeout=10m`,
  ]);
}

export function nodeReadyStep(node: NodeModel): Step {
  return step('node-ready', 'The first control plane is Ready (CNI up).', [
    `retry 3 10 ${KUBECTL} wait --for=condition=Ready ${sq(`node/${node.name}`)} --timeout=10m`,
  ]);
}

export function gitopsStep(model: ClusterModel): Step | undefined {
  const { bootstrap: engine, root } = model.gitops;
  if (!root) return undefined;
  // A private repository: the operator's Secret may exist before this step (with its namespace:
  // helm --create-namespace and a server-side apply both accept an existing one) or come later
  // (the engine retries the fetch). Nothing here reads, creates or replaces it.
  const secret = root.credentials && engine ? `${GITOPS_BOOTSTRAP[engine].namespace}/${root.credentials.secretName}` : undefined;
  const waitForSecret = secret
    ? [`log ${sq(`the root syncs once the repository Secret ${secret} exists (dist/${model.name}/SECRETS.md)`)}`]
    : [];
  if (engine === 'argocd') {
    const c = CHARTS.argoCd;
    const a = GITOPS_BOOTSTRAP.argocd;
    const values = renderArgoCdBootstrapValues(model) ? ` --values ${NODE_PATHS.argocdValues}` : '';
    return step('gitops', `Argo CD ${c.version} and the root Application (${root.repoUrl}).`, [
      `retry 5 15 ${HELM} upgrade --install ${a.release} ${chartRef(model, c)} --version ${sq(c.version)} \\`,
      `  --namespace ${a.namespace} --create-namespace${values}`,
      `${KUBECTL} wait --for=condition=Established crd/applications.argoproj.io --timeout=5m`,
      `retry 5 10 ${KUBECTL} apply -f ${NODE_PATHS.gitopsRoot}`,
      ...waitForSecret,
    ]);
  }
  if (engine === 'flux') {
    return step('gitops', `Flux ${COMPONENTS.flux} and the root GitRepository/Kustomization (${root.repoUrl}).`, [
      `retry 5 15 ${KUBECTL} apply --server-side -f ${sq(FLUX_INSTALL_MANIFEST)}`,
      `${KUBECTL} wait --for=condition=Established crd/gitrepositories.source.toolkit.fluxcd.io crd/kustomizations.kustomize.toolkit.fluxcd.io --timeout=5m`,
      `retry 5 10 ${KUBECTL} apply -f ${NODE_PATHS.gitopsRoot}`,
      ...waitForSecret,
    ]);
  }
  return undefined;
}

/**
 * Helm (only when a chart is installed: Cilium or Argo CD), the Gateway API CRDs, Cilium and the
 * wait for the first node to be Ready (addons.cni cilium only: with cni none no CNI exists yet, so
 * nothing waits for Ready), then the GitOps engine.
 */
export function addonSteps(model: ClusterModel, node: NodeModel): Step[] {
  const gitops = gitopsStep(model);
  const gatewayCrds = gatewayApiCrdsStep(model);
  const cilium = model.cni === 'cilium';
  const needsHelm = cilium || model.gitops.bootstrap === 'argocd';
  return [
    ...(needsHelm ? [helmStep(model)] : []),
    ...(gatewayCrds ? [gatewayCrds] : []),
    ...(cilium ? [ciliumStep(model), nodeReadyStep(node)] : []),
    ...(gitops ? [gitops] : []),
  ];
}
