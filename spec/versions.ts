/**
 * The one place every version is pinned: Kubernetes matrix, node packages and images,
 * Helm charts, container images used by our own objects, and the node OS cloud images.
 * Nothing else in the repo may spell a version number.
 */

export interface KubernetesMinor {
  /** e.g. "1.30" */
  readonly minor: string;
  /** Highest patch release we have checked for this minor. */
  readonly latestPatch: number;
  /** kubeadm configuration API group/version for this minor. */
  readonly kubeadmApiVersion: 'kubeadm.k8s.io/v1beta3' | 'kubeadm.k8s.io/v1beta4';
  /** Sandbox image kubeadm expects (`kubeadm config images list`). */
  readonly pauseImage: string;
  /** etcd image kubeadm deploys at the minor's later patches (see `etcdImageFor`). */
  readonly etcdImage: string;
  /** The etcd image of the patches before `patch`, when kubeadm changed it within the minor. */
  readonly earlierEtcd?: { readonly beforePatch: number; readonly image: string };
  /** cri-tools (crictl) version matching the minor. */
  readonly crictl: string;
}

/** The supported Kubernetes matrix. A spec outside it is rejected. */
export const KUBERNETES_MATRIX: readonly KubernetesMinor[] = [
  {
    minor: '1.30',
    latestPatch: 14,
    kubeadmApiVersion: 'kubeadm.k8s.io/v1beta3',
    pauseImage: 'registry.k8s.io/pause:3.9',
    etcdImage: 'registry.k8s.io/etcd:3.5.15-0',
    // kubeadm v1.30.3's constants say 3.5.12-0; 3.5.15-0 came with kubernetes/kubernetes#126395 (v1.30.5).
    earlierEtcd: { beforePatch: 5, image: 'registry.k8s.io/etcd:3.5.12-0' },
    crictl: 'v1.30.1',
  },
  {
    minor: '1.31',
    latestPatch: 10,
    kubeadmApiVersion: 'kubeadm.k8s.io/v1beta4',
    pauseImage: 'registry.k8s.io/pause:3.10',
    etcdImage: 'registry.k8s.io/etcd:3.5.15-0',
    crictl: 'v1.31.1',
  },
  {
    minor: '1.32',
    latestPatch: 6,
    kubeadmApiVersion: 'kubeadm.k8s.io/v1beta4',
    pauseImage: 'registry.k8s.io/pause:3.10',
    etcdImage: 'registry.k8s.io/etcd:3.5.16-0',
    crictl: 'v1.32.0',
  },
];

/** The minor a spec gets when it names no version. */
export const DEFAULT_KUBERNETES_MINOR = '1.30';

/**
 * The version a spec gets when it names none: the newest patch we have checked of the default
 * minor. It moves with toolkit releases, so a cluster that relies on it is refused at synth once
 * it moved (spec/upgrade-path.ts): `npm run new` pins the version in the spec it writes.
 */
export const DEFAULT_KUBERNETES_VERSION = `${DEFAULT_KUBERNETES_MINOR}.${KUBERNETES_MATRIX.find((m) => m.minor === DEFAULT_KUBERNETES_MINOR)!.latestPatch}`;

export function kubernetesMinor(version: string): KubernetesMinor | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) return undefined;
  const entry = KUBERNETES_MATRIX.find((m) => m.minor === `${match[1]}.${match[2]}`);
  if (!entry || Number(match[3]) > entry.latestPatch) return undefined;
  return entry;
}

/** The etcd image kubeadm deploys for this exact version (also the backup job's etcdctl). */
export function etcdImageFor(version: string): string {
  const minor = kubernetesMinor(version);
  if (!minor) throw new Error(`unsupported Kubernetes version, received: ${JSON.stringify(version)}`);
  const patch = Number(version.split('.')[2]);
  return minor.earlierEtcd && patch < minor.earlierEtcd.beforePatch ? minor.earlierEtcd.image : minor.etcdImage;
}

export function supportedKubernetesVersions(): string {
  return KUBERNETES_MATRIX.map((m) => `${m.minor}.0-${m.minor}.${m.latestPatch}`).join(', ');
}

/** Ubuntu 24.04 (noble) cloud image. The release directory is pinned so the image is reproducible. */
export const UBUNTU_IMAGE = {
  release: 'noble',
  version: '24.04',
  serial: '20250805',
  url: 'https://cloud-images.ubuntu.com/releases/noble/release-20250805/ubuntu-24.04-server-cloudimg-amd64.img',
  /** Name of the file on the PVE storage (import content needs .qcow2/.raw/.img). */
  fileName: 'ubuntu-24.04-server-cloudimg-amd64-20250805.img',
} as const;

/**
 * Debian 12 (bookworm) genericcloud image (virtio drivers only, cloud-init with NoCloud), pinned
 * build and the SHA-512 of that build as published in its directory's SHA512SUMS.
 */
export const DEBIAN_IMAGE = {
  release: 'bookworm',
  version: '12',
  serial: '20250210-2019',
  url: 'https://cloud.debian.org/images/cloud/bookworm/20250210-2019/debian-12-genericcloud-amd64-20250210-2019.qcow2',
  /** The PVE "iso" content type only accepts .img/.iso names; the qcow2 is imported by content, not name. */
  fileName: 'debian-12-genericcloud-amd64-20250210-2019.qcow2.img',
  checksum: {
    algorithm: 'sha512',
    value: 'a58d86525d75fd8e139a2302531ce5d2ab75ef0273cfe78f9d53aada4b23efd45f8433b4806fa4570cfe981c8fae26f5e5e855cbd66ba2198862f28125fd2d45',
  },
} as const;

/** Node operating systems a spec can choose (spec field nodeOs). */
export const NODE_OS_IDS = ['ubuntu-24.04', 'debian-12'] as const;
export type NodeOsId = (typeof NODE_OS_IDS)[number];

/** What differs between the node operating systems: image, release and archive components. */
export interface NodeOsRelease {
  readonly id: NodeOsId;
  readonly family: 'ubuntu' | 'debian';
  /** Release codename: the apt suite prefix. */
  readonly codename: string;
  readonly image: { readonly url: string; readonly fileName: string; readonly checksum?: { readonly algorithm: 'sha256' | 'sha512'; readonly value: string } };
  /** Archive components the nodes install from (an OS package mirror must carry them). */
  readonly components: readonly string[];
  /**
   * The containerd series the release's archive ships (major.minor). An apt preferences file
   * (cloud-init/os.ts) keeps the install and unattended upgrades inside it (the series' security
   * updates still apply) and refuses every other version, so a new series (containerd 2.x reads
   * our config version 2 differently) arrives only with a toolkit change.
   */
  readonly containerdSeries: string;
}

export const NODE_OS: Readonly<Record<NodeOsId, NodeOsRelease>> = {
  'ubuntu-24.04': {
    id: 'ubuntu-24.04',
    family: 'ubuntu',
    codename: UBUNTU_IMAGE.release,
    image: { url: UBUNTU_IMAGE.url, fileName: UBUNTU_IMAGE.fileName },
    components: ['main', 'restricted', 'universe', 'multiverse'],
    containerdSeries: '1.7',
  },
  'debian-12': {
    id: 'debian-12',
    family: 'debian',
    codename: DEBIAN_IMAGE.release,
    image: { url: DEBIAN_IMAGE.url, fileName: DEBIAN_IMAGE.fileName, checksum: DEBIAN_IMAGE.checksum },
    components: ['main'],
    containerdSeries: '1.6',
  },
};

/**
 * Node packages, the same names on Ubuntu 24.04 and Debian 12. containerd comes from the
 * distribution's archive, pinned to its series (NODE_OS containerdSeries): 1.7.x on noble, 1.6.x
 * on bookworm (both read config version 2).
 */
export const NODE_PACKAGES = {
  containerd: 'containerd',
  haproxy: 'haproxy',
  keepalived: 'keepalived',
} as const;

/** A Helm chart pin: repository, chart name, chart version and the app version it ships. */
export interface ChartPin {
  readonly repo: string;
  readonly chart: string;
  readonly version: string;
  readonly appVersion: string;
}

/** Every Helm chart the platform installs. Matches ../shared/upstream/SOURCES.md. */
export const CHARTS = {
  cilium: { repo: 'https://helm.cilium.io', chart: 'cilium', version: '1.18.12', appVersion: '1.18.12' },
  metallb: { repo: 'https://metallb.github.io/metallb', chart: 'metallb', version: '0.15.3', appVersion: 'v0.15.3' },
  certManager: { repo: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.18.6', appVersion: 'v1.18.6' },
  nginxIngress: { repo: 'oci://ghcr.io/nginx/charts', chart: 'nginx-ingress', version: '2.6.4', appVersion: '5.5.4' },
  ingressNginx: { repo: 'https://kubernetes.github.io/ingress-nginx', chart: 'ingress-nginx', version: '4.13.3', appVersion: '1.13.3' },
  kubePrometheusStack: { repo: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '79.12.0', appVersion: 'v0.86.2' },
  loki: { repo: 'https://grafana.github.io/helm-charts', chart: 'loki', version: '6.46.0', appVersion: '3.5.7' },
  alloy: { repo: 'https://grafana.github.io/helm-charts', chart: 'alloy', version: '1.4.0', appVersion: 'v1.11.3' },
  harbor: { repo: 'https://helm.goharbor.io', chart: 'harbor', version: '1.18.4', appVersion: '2.14.4' },
  localPath: { repo: 'https://charts.containeroo.ch', chart: 'local-path-provisioner', version: '0.0.33', appVersion: 'v0.0.33' },
  nfsCsi: { repo: 'https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/master/charts', chart: 'csi-driver-nfs', version: '4.12.1', appVersion: 'v4.12.1' },
  velero: { repo: 'https://vmware-tanzu.github.io/helm-charts', chart: 'velero', version: '11.4.0', appVersion: '1.17.1' },
  argoCd: { repo: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', version: '10.1.1', appVersion: 'v3.4.4' },
  metricsServer: { repo: 'https://kubernetes-sigs.github.io/metrics-server', chart: 'metrics-server', version: '3.13.1', appVersion: '0.8.1' },
} as const satisfies Record<string, ChartPin>;

/** Non-Helm components pinned by version. */
export const COMPONENTS = {
  flux: '2.9.0',
  gatewayApi: 'v1.3.0',
  helm: 'v3.18.6',
} as const;

// ---------------------------------------------------------------------------------------------
// manifests/: container images of the objects the platform builds itself (not from a chart).
// etcdctl comes from the etcd image of the Kubernetes matrix above (etcdImageFor).
// ---------------------------------------------------------------------------------------------
export const MANIFEST_IMAGES = {
  /** Shell for the etcd snapshot rotation step (the etcd image has no shell). */
  shell: 'docker.io/library/busybox:1.37.0',
  /** Optional S3 upload of etcd snapshots. */
  awsCli: 'docker.io/amazon/aws-cli:2.27.0',
  /** Velero object-store plugin (S3); 1.13.x pairs with Velero 1.17. */
  veleroPluginAws: 'docker.io/velero/velero-plugin-for-aws:v1.13.1',
} as const;

// ---------------------------------------------------------------------------
// Node bootstrap (cloud-init/): where node packages and bootstrap tools come from.
// ---------------------------------------------------------------------------

/** pkgs.k8s.io: one apt repository per minor; packages are versioned `<patch>-<debRevision>`. */
export const KUBERNETES_APT = {
  /** Repository of a minor is `${baseUrl}/v<minor>/deb/`; its signing key is `Release.key` in it. */
  baseUrl: 'https://pkgs.k8s.io/core:/stable:',
  /** Debian revision pkgs.k8s.io gives kubeadm/kubelet/kubectl/cri-tools (e.g. 1.30.3-1.1). */
  debRevision: '1.1',
  /**
   * Fingerprint of the key that signs every minor's repository (isv:kubernetes OBS Project; re-signed
   * with a later expiry in November 2024, same fingerprint: kubernetes/kubernetes#128609). A downloaded
   * Release.key with another fingerprint stops the bootstrap.
   */
  signingKeyFingerprint: 'DE15B14486CD377B9E876E1A234654DA9A296436',
} as const;

/**
 * Helm CLI release downloads (COMPONENTS.helm): `helm-<version>-linux-<arch>.tar.gz` under `baseUrl`.
 * `sha256` pins each tarball the nodes may install (from the v3.18.6 release notes,
 * github.com/helm/helm/releases/tag/v3.18.6, the same values get.helm.sh's `.sha256sum` files
 * carry): a checksum fetched from the same host as the tarball would prove nothing.
 */
export const HELM_DOWNLOAD = {
  baseUrl: 'https://get.helm.sh',
  sha256: {
    amd64: '3f43c0aa57243852dd542493a0f54f1396c0bc8ec7296bbb2c01e802010819ce',
    arm64: '5b8e00b6709caab466cbbb0bc29ee09059b8dc9417991dd04b497530e49b1737',
  },
} as const;

/** Flux bootstrap manifest for COMPONENTS.flux (controllers + CRDs in flux-system). */
export const FLUX_INSTALL_MANIFEST = `https://github.com/fluxcd/flux2/releases/download/v${COMPONENTS.flux}/install.yaml`;

/**
 * Gateway API CRDs (standard channel) for COMPONENTS.gatewayApi: the release's install manifest
 * (node bootstrap, applied before Cilium so its operator enables Gateway API) and the same CRDs
 * from the Git repository (GitOps keeps them in sync afterwards).
 */
export const GATEWAY_API_INSTALL_MANIFEST = `https://github.com/kubernetes-sigs/gateway-api/releases/download/${COMPONENTS.gatewayApi}/standard-install.yaml`;
export const GATEWAY_API_CRDS_SOURCE = {
  repo: 'https://github.com/kubernetes-sigs/gateway-api',
  path: 'config/crd/standard',
  revision: COMPONENTS.gatewayApi,
} as const;

/** Every version the matrix accepts, e.g. 1.30.0 ... 1.30.14 (the editor schema lists them). */
export function supportedKubernetesVersionList(): string[] {
  return KUBERNETES_MATRIX.flatMap((m) => Array.from({ length: m.latestPatch + 1 }, (_, p) => `${m.minor}.${p}`));
}
