/** Add-on rules: backup schedule, tenant namespaces, Git and S3 URLs, image checksum. */
import { CronError, parseCronSchedule } from '../cron';
import type { ClusterSpec } from '../schema';
import { NODE_OS } from '../versions';
import { repeats, type Report } from './report';
import { gitCredentialsRules } from './git-credentials';
import { sopsRules } from './sops';
import { gitopsTrustRules } from './gitops-trust';
import { noCredentials } from './urls';

/**
 * Namespaces Kubernetes and the platform own (whether or not an add-on is enabled today, so
 * enabling one later never meets a tenant). test/spec/reserved-namespaces.test.ts proves every namespace the
 * manifests create is listed.
 */
export const RESERVED_NAMESPACES: readonly string[] = [
  'default', 'kube-system', 'kube-public', 'kube-node-lease',
  'argocd', 'flux-system', 'cert-manager', 'etcd-backup', 'gateway', 'harbor', 'ingress', 'local-path-storage',
  'logging', 'logging-audit', 'metallb-system', 'monitoring', 'monitoring-node', 'velero',
];

/** S3 bucket naming rules (AWS; MinIO and Ceph RGW follow them for DNS-style access). */
export function bucketProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63) return 'an S3 bucket name has 3-63 characters';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket)) return 'an S3 bucket name has only lowercase letters, digits, "." and "-", and starts and ends with a letter or digit';
  if (bucket.includes('..') || bucket.includes('.-') || bucket.includes('-.')) return 'an S3 bucket name has no ".." and no "-" next to a "."';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(bucket)) return 'an S3 bucket name must not look like an IP address';
  if (/^(xn--|sthree-)/.test(bucket) || /(-s3alias|--ol-s3)$/.test(bucket)) return 'an S3 bucket name must not use the reserved prefixes xn--, sthree- or suffixes -s3alias, --ol-s3';
  return undefined;
}

/** Printed by synth for a spec that still picks the retired controller (spec rule, not an error: it renders). */
export const INGRESS_NGINX_RETIRED_WARNING =
  'the community ingress-nginx controller was retired in March 2026 and gets no security fixes; use "nginx" (F5 NGINX Ingress Controller) or "gateway-api"';

const DIGEST_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha512: 128 };

export function addonRules(spec: ClusterSpec, report: Report): void {
  const addons = spec.addons;
  try {
    parseCronSchedule(addons.backups.etcdSchedule);
  } catch (e) {
    if (!(e instanceof CronError)) throw e;
    report.error(['addons', 'backups', 'etcdSchedule'], `not a schedule Kubernetes accepts: ${e.message}`, addons.backups.etcdSchedule);
  }

  const tenants = addons.tenants.map((t) => t.name);
  repeats(tenants).forEach(({ value, index }) => report.error(['addons', 'tenants', index, 'name'], 'duplicate tenant name', value));
  tenants.forEach((name, i) => {
    if (RESERVED_NAMESPACES.includes(name) || name.startsWith('kube-')) {
      report.error(['addons', 'tenants', i, 'name'], `the namespace ${name} belongs to Kubernetes or the platform; pick another tenant name`, name);
    }
  });

  const git = addons.gitops;
  if (git.repoUrl !== undefined && noCredentials(report, ['addons', 'gitops', 'repoUrl'], git.repoUrl)) {
    const problem = repoUrlProblem(git.engine, git.repoUrl);
    if (problem) report.error(['addons', 'gitops', 'repoUrl'], problem, git.repoUrl);
  }
  gitCredentialsRules(spec, report);
  sopsRules(spec, report);
  gitopsTrustRules(spec, report);

  const buckets: [readonly (string | number)[], string | undefined][] = [
    [['addons', 'backups', 's3', 'bucket'], addons.backups.s3?.bucket],
    [['state', 'bucket'], spec.state.backend === 's3' ? spec.state.bucket : undefined],
  ];
  for (const [path, bucket] of buckets) {
    const problem = bucket === undefined ? undefined : bucketProblem(bucket);
    if (problem) report.error(path, problem, bucket);
  }
  const endpoints: [readonly (string | number)[], string | undefined][] = [
    [['addons', 'backups', 's3', 'endpoint'], addons.backups.s3?.endpoint],
    [['state', 'endpoint'], spec.state.backend === 's3' ? spec.state.endpoint : undefined],
  ];
  for (const [path, endpoint] of endpoints) {
    if (endpoint === undefined || !noCredentials(report, path, endpoint)) continue;
    if (/^http:/i.test(endpoint)) report.warn(path, 'plain http: object storage credentials and backups cross the network unencrypted', endpoint);
  }
  // What the add-on renderers leave out or deliver differently: said here, on load, through the
  // CLI's warning lines (file: field: message), never printed from inside a renderer.
  if (addons.ingress.controller === 'ingress-nginx') report.warn(['addons', 'ingress', 'controller'], INGRESS_NGINX_RETIRED_WARNING, 'ingress-nginx');
  if (addons.backups.velero && !addons.backups.s3) {
    report.warn(['addons', 'backups', 'velero'], 'Velero needs an object store: it is not rendered until addons.backups.s3 is set', true);
  }
  if (addons.gitops.engine === 'none') {
    report.warn(['addons', 'gitops', 'engine'], 'nothing delivers the add-ons: apply dist/<name>/manifests and the Helm releases listed in versions.json yourself', 'none');
  }
  noCredentials(report, ['image', 'url'], spec.image.url);
  spec.containerd.registryMirrors.forEach((m, i) => noCredentials(report, ['containerd', 'registryMirrors', i, 'endpoint'], m.endpoint));

  const checksum = spec.image.checksum;
  if (checksum && checksum.value.length !== DIGEST_LENGTH[checksum.algorithm]) {
    report.error(['image', 'checksum', 'value'], `a ${checksum.algorithm} digest has ${DIGEST_LENGTH[checksum.algorithm]} hex digits, this one has ${checksum.value.length}`, checksum.value);
  }
  if (!checksum && (spec.image.url || !NODE_OS[spec.nodeOs].image.checksum)) {
    report.warn(['image', 'checksum'], 'Proxmox downloads the node image without checking it: whoever can change it at the source or in transit runs every node; set image.checksum (the release\'s SHA256SUMS)', spec.image.url ?? NODE_OS[spec.nodeOs].image.url);
  }
}

/** Why the GitOps engine cannot clone this URL, or undefined. */
export function repoUrlProblem(engine: string, url: string): string | undefined {
  const scpLike = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/\/)/.test(url);
  if (scpLike) {
    return engine === 'flux'
      ? 'Flux clones only http(s):// and ssh:// URLs: write ssh://' + url.replace(':', '/')
      : undefined;
  }
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/]+)/i.exec(url);
  if (!match) return 'must be a Git URL like https://git.example.com/org/repo.git or ssh://git@git.example.com/org/repo.git';
  if (!['http', 'https', 'ssh'].includes(match[1]!.toLowerCase())) return `the scheme ${match[1]} is not supported; use https:// or ssh://`;
  return undefined;
}
