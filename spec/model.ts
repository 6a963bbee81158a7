/**
 * The resolved cluster model: every network fact, node, address and VM ID derived once
 * from the spec. infra/, cloud-init/ and manifests/ read this, never the raw spec.
 */
import { intToIp, ipToInt, parseCidr } from './ip';
import { localStatePath } from './state';
import type { APPS_CLUSTER_KINDS, ClusterSpec } from './schema';
import type { SpecIssue, SpecPath } from './errors';
import { type GitRevision, parseGitRevision } from './git-ref';
import { DEFAULT_KUBERNETES_VERSION, etcdImageFor, HELM_DOWNLOAD, KUBERNETES_APT, type KubernetesMinor, kubernetesMinor, NODE_OS, type NodeOsRelease } from './versions';

export type NodeRole = 'control-plane' | 'worker' | 'load-balancer';

export interface PveHostModel {
  readonly name: string;
  readonly bridge: string;
  readonly storage: { readonly image: string; readonly disk: string; readonly snippets: string };
}

export interface NodeModel {
  /** Hostname and VM name: `<cluster>-cp-<n>`, `<cluster>-lb-<n>`, `<cluster>-<pool>-<n>`. Stable: it keys the VM. */
  readonly name: string;
  readonly role: NodeRole;
  /** Pool name: "cp", "lb" or the worker pool's name. */
  readonly pool: string;
  /** 1-based index in its pool. */
  readonly index: number;
  readonly ip: string;
  readonly vmId: number;
  readonly host: PveHostModel;
  readonly cores: number;
  readonly memory: number;
  readonly disk: number;
  readonly labels: Readonly<Record<string, string>>;
  /** Where the node comes from in the spec, for error messages. */
  readonly specPath: SpecPath;
  /** The spec field its IP comes from (`ips[i]` or `ipStart`). */
  readonly ipPath: SpecPath;
  /** The spec field its VM ID comes from: the pool's `vmIdStart`, or `proxmox.vmIdBase`. */
  readonly vmIdPath: SpecPath;
}

/** The Proxmox API and cluster-wide VM settings (spec proxmox; the hosts are ClusterModel.hosts). */
export interface ProxmoxModel {
  readonly endpoint: string;
  readonly insecure: boolean;
  readonly vmIdBase: number;
  /** One image download serves every host. */
  readonly sharedImageStorage: boolean;
  /** Every VM is registered as a Proxmox HA resource. */
  readonly ha: boolean;
  /** Proxmox firewall: adminCidr is set whenever enabled (spec rules); the datacenter firewall is the operator's. */
  readonly firewall: { readonly enabled: boolean; readonly adminCidr?: string; readonly datacenterEnabled: boolean };
}

/** Where Terraform keeps state (spec state), defaults resolved. */
export type StateModel =
  | {
    readonly backend: 'local';
    /** Relative to the project root (the folder holding cdktf.out/), or absolute: state/<name>.tfstate by default. */
    readonly path: string;
    /** Where synths before state/ kept it, relative to the stack folder (infra/state-files.ts moves it). */
    readonly legacyPath: string;
  }
  | (Readonly<Extract<ClusterSpec['state'], { backend: 's3' }>> & { readonly key: string });

type SpecAddons = ClusterSpec['addons'];

export interface NetworkModel {
  readonly cidr: string;
  readonly prefix: number;
  readonly gateway: string;
  readonly dns: readonly string[];
  /** NTP servers for chrony; empty: the node OS's own pool. */
  readonly ntp: readonly string[];
  readonly searchDomain: string;
  readonly vlan?: number;
  readonly mtu?: number;
  readonly vip: string;
  readonly apiPort: number;
  /** Port each kube-apiserver listens on (on its node IP). */
  readonly apiServerPort: number;
  /** `vip:port`: kubeadm's controlPlaneEndpoint and Cilium's k8sServiceHost/Port. */
  readonly controlPlaneEndpoint: string;
  readonly podCidr: string;
  /** Prefix length of the slice of podCidr each node gets (Cilium cluster-pool clusterPoolIPv4MaskSize). */
  readonly podCidrMaskSize: number;
  readonly serviceCidr: string;
  /** First service IP: the in-cluster `kubernetes` Service (a cert SAN). */
  readonly kubernetesServiceIp: string;
  readonly clusterDnsIp: string;
  readonly metallb: { readonly start: string; readonly end: string };
}

/** How platform hostnames are served (spec addons.ingress). */
export interface IngressModel {
  /** nginx: F5 NGINX Ingress Controller; ingress-nginx: the retired community controller; gateway-api: Cilium's Gateway. */
  readonly kind: 'nginx' | 'ingress-nginx' | 'gateway-api';
  /** LoadBalancer IP of the ingress controller or Gateway: addons.ingress.ip, else the first MetalLB address. */
  readonly ip: string;
}

/** The default StorageClass (spec addons.storage). */
export interface StorageModel {
  readonly provider: 'local-path' | 'nfs';
  /** Name of the default StorageClass: local-path or nfs-csi. */
  readonly className: string;
  /** The NFS export (provider nfs; the spec rules refuse nfs without it). */
  readonly nfs?: { readonly server: string; readonly share: string };
}

/**
 * Server-side encryption every object the cluster writes to the backup bucket asks for: SSE-S3
 * (`AES256`, the store's own keys; the spec names no KMS key). The etcd snapshot upload (`aws s3 cp
 * --sse`) and Velero's BackupStorageLocation (velero-plugin-for-aws `serverSideEncryption`) both
 * read it from here. An S3-compatible store must support it (MinIO: with a KMS configured).
 */
export const BACKUP_BUCKET_SSE = 'AES256';

/** The backup bucket (spec addons.backups.s3) with its encryption decided. */
export interface BackupBucketModel extends Readonly<NonNullable<SpecAddons['backups']['s3']>> {
  readonly serverSideEncryption: typeof BACKUP_BUCKET_SSE;
}

/** etcd snapshots and Velero (spec addons.backups). */
export interface BackupsModel extends Readonly<Omit<SpecAddons['backups'], 's3'>> {
  /** @default none (no off-cluster copy, no Velero) */
  readonly s3?: BackupBucketModel;
}

/** The API load balancer (spec loadBalancer). */
export interface LoadBalancerModel {
  /** colocated: HAProxy + Keepalived on every control plane; dedicated: on two load-balancer VMs. */
  readonly mode: 'colocated' | 'dedicated';
  readonly routerId: number;
  /** The nodes that run HAProxy + Keepalived and hold the VIP: the load-balancer VMs, or the control planes. */
  readonly nodes: readonly NodeModel[];
}

/** Where nodes download from: the spec's mirrors or the public upstreams (spec field sources). */
export interface SourcesModel {
  /** OS package mirror; undefined keeps the image's own apt sources. */
  readonly osPackages?: { readonly url: string; readonly securityUrl: string; readonly signingKey?: string };
  /** The Kubernetes apt repository of the cluster's minor (flat, ends with "/"). */
  readonly kubernetesRepository: string;
  /** Armored key of that repository from the spec; undefined: pkgs.k8s.io's Release.key is downloaded at boot. */
  readonly kubernetesSigningKey?: string;
  /** Base URL of the Helm CLI downloads (get.helm.sh layout). */
  readonly helmBaseUrl: string;
  /** One Helm repository for every bootstrap chart; undefined: each chart's upstream repository. */
  readonly chartRepository?: string;
}

/** How the engine opens a private repository (spec addons.gitops.credentials). */
export interface GitCredentialsModel {
  /** The Secret, in the engine's namespace; created by the operator, only referenced here. */
  readonly secretName: string;
  readonly type: 'ssh' | 'https';
  /** type ssh: known_hosts lines of the Git server, one per line, ending with a newline. */
  readonly knownHosts?: string;
}

/** SOPS decryption of the users' folder (spec addons.gitops.sops). */
export interface SopsModel {
  /** Secret in flux-system holding the age private key (key age.agekey); created by the operator, only referenced here. */
  readonly secretName: string;
  /** age public keys the creation rule of dist/<name>/.sops.yaml encrypts for, in spec order. */
  readonly ageRecipients: readonly string[];
}

/** Argo CD single sign-on (spec addons.gitops.argocd.oidc). */
export interface ArgoCdOidcModel {
  readonly issuer: string;
  readonly clientId: string;
  /** Secret in the argocd namespace, key clientSecret, labelled app.kubernetes.io/part-of=argocd; created by the operator. */
  readonly clientSecretRef: string;
  /** OIDC groups bound to role:admin; everyone else signed in is readonly. */
  readonly adminGroups: readonly string[];
}

/** Who may reach and sign in to Argo CD (engine argocd only). */
export interface ArgoCdAccessModel {
  /** Set: the local admin is disabled and the default role is readonly. */
  readonly oidc?: ArgoCdOidcModel;
  /**
   * Client CIDRs the ingress lets through to the Argo CD server: addons.gitops.argocd.ingressAllowlist,
   * else [proxmox.firewall.adminCidr] when set, else [] (open to every client).
   */
  readonly ingressAllowlist: readonly string[];
}

/** A cluster-scoped kind with its API group and resource (RBAC's name for it). */
export interface ClusterKindModel {
  readonly group: string;
  readonly kind: string;
  readonly resource: string;
}

/** Group and resource of each kind addons.gitops.appsClusterKinds accepts. */
export const APPS_CLUSTER_RESOURCES: Readonly<Record<(typeof APPS_CLUSTER_KINDS)[number], ClusterKindModel>> = {
  Namespace: { group: '', kind: 'Namespace', resource: 'namespaces' },
  CustomResourceDefinition: { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', resource: 'customresourcedefinitions' },
  ClusterRole: { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', resource: 'clusterroles' },
  ClusterRoleBinding: { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', resource: 'clusterrolebindings' },
  IngressClass: { group: 'networking.k8s.io', kind: 'IngressClass', resource: 'ingressclasses' },
  StorageClass: { group: 'storage.k8s.io', kind: 'StorageClass', resource: 'storageclasses' },
  PriorityClass: { group: 'scheduling.k8s.io', kind: 'PriorityClass', resource: 'priorityclasses' },
};

/** Signed commits only (spec addons.gitops.commitSigning). */
export interface CommitSigningModel {
  /** OpenPGP key IDs (16 or 40 upper-case hex digits). */
  readonly keyIds: readonly string[];
  /** Flux: Secret in flux-system with the armored public keys (<name>.asc); created by the operator. */
  readonly publicKeysSecret: string;
}

/** The GitOps engine and the root it syncs (spec addons.gitops). */
export interface GitopsModel {
  /** Engine that applies dist/<name>/manifests; none: nothing does (the loader warns). */
  readonly engine: 'argocd' | 'flux' | 'none';
  /** Folder of the repository the engine syncs: dist/<name>/manifests. */
  readonly path: string;
  /**
   * The users' folder of the repository, apps/<name>: their own manifests and Applications. Synth
   * never writes or deletes anything in it (dist/ is entirely generated and replaced); with a root,
   * an Application (Argo CD) or Kustomization (Flux) in dist/ syncs it.
   */
  readonly appsPath: string;
  /** The repository and revision the root points at; undefined without addons.gitops.repoUrl. */
  readonly root?: {
    readonly repoUrl: string;
    /** What addons.gitops.revision names: a commit, a tag or a branch (spec/git-ref.ts). */
    readonly revision: GitRevision;
    /** A private repository: the Secret the operator creates (addons.gitops.credentials). */
    readonly credentials?: GitCredentialsModel;
  };
  /** Engine the first control plane installs with the root: undefined with engine none or without a root. */
  readonly bootstrap?: 'argocd' | 'flux';
  /**
   * Flux's Kustomization of appsPath decrypts SOPS-encrypted files with this key: only with
   * bootstrap flux (the spec rules refuse addons.gitops.sops with Argo CD, warn with engine none).
   */
  readonly sops?: SopsModel;
  /** Argo CD's sign-in and ingress allowlist; undefined unless engine argocd. */
  readonly argocd?: ArgoCdAccessModel;
  /** Cluster-scoped kinds the users' folder may create (spec order, no repeats); [] by default. */
  readonly appsClusterKinds: readonly ClusterKindModel[];
  /** Only commits signed by these keys are synced; undefined: any commit. */
  readonly commitSigning?: CommitSigningModel;
}

export interface ClusterModel {
  readonly name: string;
  readonly domain: string;
  /** Spec file the model came from (as given to the loader). */
  readonly file: string;
  readonly kubernetes: {
    readonly version: string;
    /** False when the spec names no version and the toolkit's default applies (it moves with releases). */
    readonly pinned: boolean;
    readonly minor: KubernetesMinor;
    readonly clusterDomain: string;
    /** The etcd image kubeadm deploys for this version (etcdImageFor). */
    readonly etcdImage: string;
  };
  readonly network: NetworkModel;
  /** DNS name of the API (a cert SAN). */
  readonly apiHostname: string;
  readonly hosts: readonly PveHostModel[];
  /** The node operating system (spec nodeOs) and what comes with it. */
  readonly os: NodeOsRelease;
  readonly image: { readonly url: string; readonly fileName: string; readonly checksum?: { readonly algorithm: string; readonly value: string } };
  /** CNI the bootstrap installs (cilium) or none (bring your own; kube-proxy runs). */
  readonly cni: 'cilium' | 'none';
  readonly sources: SourcesModel;
  readonly controlPlanes: readonly NodeModel[];
  readonly workers: readonly NodeModel[];
  readonly loadBalancers: readonly NodeModel[];
  /** Every VM: control planes, load balancers, then workers. */
  readonly nodes: readonly NodeModel[];
  readonly loadBalancer: LoadBalancerModel;
  readonly ingress: IngressModel;
  readonly storage: StorageModel;
  readonly gitops: GitopsModel;
  readonly proxmox: ProxmoxModel;
  /** Admin access to the nodes. */
  readonly ssh: { readonly user: string; readonly authorizedKeys: readonly string[] };
  readonly containerd: { readonly registryMirrors: readonly Readonly<ClusterSpec['containerd']['registryMirrors'][number]>[] };
  readonly state: StateModel;
  readonly certManager: { /** addons.certManager.acmeEmail, else admin@<domain>. */ readonly acmeEmail: string };
  readonly backups: BackupsModel;
  readonly monitoring: Readonly<SpecAddons['monitoring']>;
  readonly logging: Readonly<SpecAddons['logging']>;
  readonly harbor: Readonly<SpecAddons['harbor']>;
  readonly tenants: readonly Readonly<SpecAddons['tenants'][number]>[];
}

interface PoolRequest {
  readonly pool: string;
  readonly role: NodeRole;
  readonly count: number;
  readonly nodeName: (index: number) => string;
  readonly cores: number;
  readonly memory: number;
  readonly disk: number;
  readonly ipStart?: string;
  readonly ips?: readonly string[];
  readonly vmIdStart: number;
  /** The spec field vmIdStart comes from. */
  readonly vmIdPath: SpecPath;
  readonly hosts?: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly specPath: SpecPath;
}

const BASE_PATH: SpecPath = ['proxmox', 'vmIdBase'];

/** Control planes default to VM IDs base+1.., load balancers base+91.., worker pool i to base+100*(i+1)+1.. */
function poolRequests(spec: ClusterSpec): PoolRequest[] {
  const base = spec.proxmox.vmIdBase;
  const cp = spec.controlPlane;
  const requests: PoolRequest[] = [
    {
      pool: 'cp', role: 'control-plane', count: cp.count, nodeName: (i) => `${spec.name}-cp-${i}`,
      cores: cp.cores, memory: cp.memory, disk: cp.disk, ipStart: cp.ipStart, ips: cp.ips,
      vmIdStart: cp.vmIdStart ?? base + 1, vmIdPath: cp.vmIdStart !== undefined ? ['controlPlane', 'vmIdStart'] : BASE_PATH, hosts: cp.hosts, labels: {}, specPath: ['controlPlane'],
    },
  ];
  if (spec.loadBalancer.mode === 'dedicated') {
    const lb = spec.loadBalancer.dedicated;
    requests.push({
      pool: 'lb', role: 'load-balancer', count: 2, nodeName: (i) => `${spec.name}-lb-${i}`,
      cores: lb.cores, memory: lb.memory, disk: lb.disk, ipStart: lb.ipStart, ips: lb.ips,
      vmIdStart: lb.vmIdStart ?? base + 91, vmIdPath: lb.vmIdStart !== undefined ? ['loadBalancer', 'dedicated', 'vmIdStart'] : BASE_PATH, hosts: lb.hosts, labels: {}, specPath: ['loadBalancer', 'dedicated'],
    });
  }
  spec.workers.forEach((pool, p) => {
    requests.push({
      pool: pool.name, role: 'worker', count: pool.count, nodeName: (i) => `${spec.name}-${pool.name}-${i}`,
      cores: pool.cores, memory: pool.memory, disk: pool.disk, ipStart: pool.ipStart, ips: pool.ips,
      vmIdStart: pool.vmIdStart ?? base + 100 * (p + 1) + 1,
      vmIdPath: pool.vmIdStart !== undefined ? ['workers', p, 'vmIdStart'] : BASE_PATH, hosts: pool.hosts, labels: pool.labels,
      specPath: ['workers', p],
    });
  });
  return requests;
}

function toHostModel(host: ClusterSpec['proxmox']['hosts'][number]): PveHostModel {
  return { name: host.name, bridge: host.bridge, storage: { ...host.storage } };
}

/**
 * Derives the model. Problems that make derivation impossible (unknown host, IP list of the
 * wrong length, address overflow) are returned as issues; the rules check the rest.
 */
export function deriveModel(spec: ClusterSpec, file: string): { model?: ClusterModel; issues: SpecIssue[] } {
  const issues: SpecIssue[] = [];
  const hosts = spec.proxmox.hosts.map(toHostModel);
  const hostByName = new Map(hosts.map((h) => [h.name, h]));
  const nodesByPool: NodeModel[][] = [];
  let cursor = ipToInt(spec.network.vip) + 1;

  for (const req of poolRequests(spec)) {
    const placement: PveHostModel[] = [];
    (req.hosts ?? hosts.map((h) => h.name)).forEach((name, i) => {
      const host = hostByName.get(name);
      if (host) placement.push(host);
      else issues.push({ path: [...req.specPath, 'hosts', i], message: `unknown PVE host; known hosts: ${hosts.map((h) => h.name).join(', ')}`, received: name });
    });
    if (req.ips && req.ips.length !== req.count) {
      issues.push({ path: [...req.specPath, 'ips'], message: `needs exactly one IP per node (${req.count})`, received: req.ips });
    }
    if (req.ips && req.ipStart) {
      issues.push({ path: [...req.specPath, 'ipStart'], message: 'give either ips or ipStart, not both', received: req.ipStart });
    }
    if (req.ipStart) cursor = ipToInt(req.ipStart);
    const nodes: NodeModel[] = [];
    for (let i = 0; i < req.count; i++) {
      const explicit = req.ips?.[i];
      const ipValue = explicit !== undefined ? ipToInt(explicit) : cursor++;
      if (ipValue > 0xffffffff) {
        issues.push({ path: [...req.specPath, 'ipStart'], message: 'address allocation runs past 255.255.255.255', received: req.ipStart });
        break;
      }
      if (placement.length === 0) break;
      nodes.push({
        name: req.nodeName(i + 1), role: req.role, pool: req.pool, index: i + 1, ip: intToIp(ipValue),
        vmId: req.vmIdStart + i, host: placement[i % placement.length]!, cores: req.cores, memory: req.memory,
        disk: req.disk, labels: req.labels, specPath: req.specPath,
        ipPath: explicit !== undefined ? [...req.specPath, 'ips', i] : [...req.specPath, 'ipStart'],
        vmIdPath: req.vmIdPath,
      });
    }
    nodesByPool.push(nodes);
  }

  const version = spec.kubernetes.version ?? DEFAULT_KUBERNETES_VERSION;
  const minor = kubernetesMinor(version);
  if (!minor) return { issues };

  const os = NODE_OS[spec.nodeOs];
  const service = parseCidr(spec.network.serviceCidr);
  const net = spec.network;
  const controlPlanes = nodesByPool[0] ?? [];
  const loadBalancers = spec.loadBalancer.mode === 'dedicated' ? nodesByPool[1] ?? [] : [];
  const workers = nodesByPool.slice(spec.loadBalancer.mode === 'dedicated' ? 2 : 1).flat();
  const model: ClusterModel = {
    name: spec.name,
    domain: spec.domain,
    file,
    kubernetes: { version, pinned: spec.kubernetes.version !== undefined, minor, clusterDomain: spec.kubernetes.clusterDomain, etcdImage: etcdImageFor(version) },
    network: {
      cidr: net.cidr,
      prefix: parseCidr(net.cidr).prefix,
      gateway: net.gateway,
      dns: net.dns ?? [net.gateway],
      ntp: net.ntp ?? [],
      searchDomain: net.searchDomain ?? spec.domain,
      vlan: net.vlan,
      mtu: net.mtu,
      vip: net.vip,
      apiPort: net.apiPort,
      apiServerPort: 6443,
      controlPlaneEndpoint: `${net.vip}:${net.apiPort}`,
      podCidr: net.podCidr,
      podCidrMaskSize: 24,
      serviceCidr: net.serviceCidr,
      kubernetesServiceIp: intToIp(service.network + 1),
      clusterDnsIp: intToIp(service.network + 10),
      metallb: { start: net.metallb.start, end: net.metallb.end },
    },
    apiHostname: `api.${spec.domain}`,
    hosts,
    os,
    image: imageOf(spec, os),
    cni: spec.addons.cni,
    sources: sourcesOf(spec, minor),
    controlPlanes,
    workers,
    loadBalancers,
    nodes: [...controlPlanes, ...loadBalancers, ...workers],
    loadBalancer: {
      mode: spec.loadBalancer.mode,
      routerId: spec.loadBalancer.routerId,
      nodes: spec.loadBalancer.mode === 'dedicated' ? loadBalancers : controlPlanes,
    },
    ingress: { kind: spec.addons.ingress.controller, ip: spec.addons.ingress.ip ?? net.metallb.start },
    storage: storageOf(spec),
    gitops: gitopsOf(spec),
    proxmox: proxmoxOf(spec.proxmox),
    ssh: { user: spec.ssh.user, authorizedKeys: spec.ssh.authorizedKeys },
    containerd: { registryMirrors: spec.containerd.registryMirrors },
    state: stateOf(spec),
    certManager: { acmeEmail: spec.addons.certManager.acmeEmail ?? `admin@${spec.domain}` },
    backups: backupsOf(spec.addons.backups),
    monitoring: spec.addons.monitoring,
    logging: spec.addons.logging,
    harbor: spec.addons.harbor,
    tenants: spec.addons.tenants,
  };
  return { model, issues };
}

function backupsOf(b: SpecAddons['backups']): BackupsModel {
  const { s3, ...rest } = b;
  return s3 ? { ...rest, s3: { ...s3, serverSideEncryption: BACKUP_BUCKET_SSE } } : rest;
}

/** A custom image URL gets a cluster-prefixed file name and only the spec's checksum; the default image its pinned one. */
function imageOf(spec: ClusterSpec, os: NodeOsRelease): ClusterModel['image'] {
  if (spec.image.url) return { url: spec.image.url, fileName: `${spec.name}-${spec.image.url.split('/').pop()}`, checksum: spec.image.checksum };
  return { url: os.image.url, fileName: os.image.fileName, checksum: spec.image.checksum ?? os.image.checksum };
}

function proxmoxOf(p: ClusterSpec['proxmox']): ProxmoxModel {
  const firewall = { enabled: p.firewall.enabled, ...(p.firewall.adminCidr ? { adminCidr: p.firewall.adminCidr } : {}), datacenterEnabled: p.firewall.datacenterEnabled };
  return { endpoint: p.endpoint, insecure: p.insecure, vmIdBase: p.vmIdBase, sharedImageStorage: p.sharedImageStorage, ha: p.ha, firewall };
}

function stateOf(spec: ClusterSpec): StateModel {
  const s = spec.state;
  if (s.backend === 's3') return { ...s, key: s.key ?? `pve-k8s/${spec.name}.tfstate` };
  return { backend: 'local', path: localStatePath(spec.name, s.path), legacyPath: s.path ?? `terraform.${spec.name}.tfstate` };
}

function storageOf(spec: ClusterSpec): StorageModel {
  const s = spec.addons.storage;
  if (s.provider === 'local-path') return { provider: 'local-path', className: 'local-path' };
  return { provider: 'nfs', className: 'nfs-csi', ...(s.nfs ? { nfs: { server: s.nfs.server, share: s.nfs.share } } : {}) };
}

function argoCdAccessOf(spec: ClusterSpec): ArgoCdAccessModel | undefined {
  const g = spec.addons.gitops;
  if (g.engine !== 'argocd') return undefined;
  const o = g.argocd.oidc;
  const adminCidr = spec.proxmox.firewall.adminCidr;
  return {
    ...(o ? { oidc: { issuer: o.issuer, clientId: o.clientId, clientSecretRef: o.clientSecretRef, adminGroups: [...o.adminGroups] } } : {}),
    ingressAllowlist: g.argocd.ingressAllowlist ? [...g.argocd.ingressAllowlist] : adminCidr ? [adminCidr] : [],
  };
}

function gitopsOf(spec: ClusterSpec): GitopsModel {
  const g = spec.addons.gitops;
  const path = `dist/${spec.name}/manifests`;
  const appsPath = `apps/${spec.name}`;
  const argocd = argoCdAccessOf(spec);
  const trust = {
    appsClusterKinds: [...new Set(g.appsClusterKinds)].map((k) => APPS_CLUSTER_RESOURCES[k]),
    ...(argocd ? { argocd } : {}),
    ...(g.commitSigning ? { commitSigning: { keyIds: [...g.commitSigning.keyIds], publicKeysSecret: g.commitSigning.publicKeysSecret } } : {}),
  };
  if (!g.repoUrl) return { engine: g.engine, path, appsPath, ...trust };
  const c = g.credentials;
  const credentials: GitCredentialsModel | undefined = c && {
    secretName: c.secretName,
    type: c.type,
    ...(c.knownHosts !== undefined ? { knownHosts: knownHostsLines(c.knownHosts) } : {}),
  };
  const root = { repoUrl: g.repoUrl, revision: parseGitRevision(g.revision), ...(credentials ? { credentials } : {}) };
  const sops = g.sops && g.engine === 'flux' ? { sops: { secretName: g.sops.secretName, ageRecipients: g.sops.ageRecipients } } : {};
  return { engine: g.engine, path, appsPath, root, ...(g.engine !== 'none' ? { bootstrap: g.engine } : {}), ...sops, ...trust };
}

/** known_hosts text as the engines read it: its key lines, trimmed, one per line (comments and blank lines dropped). */
function knownHostsLines(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).join('\n') + '\n';
}

function sourcesOf(spec: ClusterSpec, minor: KubernetesMinor): SourcesModel {
  const s = spec.sources;
  const k8s = s.kubernetesPackages;
  return {
    ...(s.osPackages
      ? { osPackages: { url: s.osPackages.url, securityUrl: s.osPackages.securityUrl ?? s.osPackages.url, ...(s.osPackages.signingKey ? { signingKey: s.osPackages.signingKey } : {}) } }
      : {}),
    kubernetesRepository: `${k8s?.baseUrl ?? KUBERNETES_APT.baseUrl}/v${minor.minor}/deb/`,
    ...(k8s ? { kubernetesSigningKey: k8s.signingKey } : {}),
    helmBaseUrl: s.helm?.baseUrl ?? HELM_DOWNLOAD.baseUrl,
    ...(s.charts ? { chartRepository: s.charts.repository } : {}),
  };
}
