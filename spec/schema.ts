/**
 * The cluster spec: the shape of clusters/<name>.yaml.
 *
 * This zod model is the single source of the spec's shape: the loader parses with it, the
 * JSON Schema editors use (schema/cluster.schema.json) is generated from it, and every
 * default lives here, documented with `@default` in its description.
 */
import { z } from 'zod';
import { gitRevisionProblem } from './git-ref';
import { isCidr, isIpv4, parseCidr } from './ip';
import { ageRecipientProblem } from './age';
import { DEFAULT_KUBERNETES_VERSION, NODE_OS_IDS, supportedKubernetesVersionList } from './versions';

const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
/** A Kubernetes object name (RFC 1123 subdomain): one label or several joined by dots. */
const DNS_NAME_OR_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const ipv4 = () => z.ipv4({ message: 'must be an IPv4 address like 10.0.0.10' });
const cidr = () =>
  z
    .cidrv4({ message: 'must be an IPv4 CIDR like 10.0.0.0/24' })
    .superRefine((text, ctx) => {
      if (!isCidr(text)) return;
      try {
        parseCidr(text);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message.replace(/^CIDR \S+ /, '') });
      }
    });
const label = (what: string, max = 63) =>
  z
    .string()
    .max(max, { message: `${what} must be at most ${max} characters` })
    .regex(RFC1123_LABEL, { message: `${what} must be an RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit` });
const count = (min: number, max: number) => z.number().int().min(min).max(max);
const vmId = () => z.number().int().min(100).max(999_999_999);

export const StorageSchema = z
  .strictObject({
    image: z.string().min(1).default('local').describe('Storage for the downloaded cloud image (content type import or iso). @default "local"'),
    disk: z.string().min(1).default('local-lvm').describe('Storage for VM disks. @default "local-lvm"'),
    snippets: z.string().min(1).default('local').describe('Storage for cloud-init snippets (content type snippets). @default "local"'),
  })
  .describe('Proxmox storages on this host.');

export const PveHostSchema = z
  .strictObject({
    name: label('PVE host name').describe('Proxmox node name as shown in the PVE UI.'),
    bridge: z.string().min(1).default('vmbr0').describe('Linux bridge the VMs attach to. @default "vmbr0"'),
    storage: StorageSchema.prefault({}).describe('Storages on this host. @default image/snippets "local", disk "local-lvm"'),
  })
  .describe('One Proxmox VE host.');

export const ProxmoxSchema = z
  .strictObject({
    endpoint: z
      .url({ protocol: /^https$/, message: 'must be an https URL like https://pve1.example.com:8006/' })
      .describe('Proxmox API URL. Credentials never go here: set PROXMOX_VE_API_TOKEN in the environment.'),
    insecure: z.boolean().default(false).describe('Skip TLS verification of the Proxmox API. @default false'),
    hosts: z.array(PveHostSchema).min(1).describe('The PVE hosts VMs are spread over, in placement order.'),
    sharedImageStorage: z
      .boolean()
      .default(false)
      .describe('The image storage is shared by all hosts, so the cloud image is downloaded once. @default false'),
    vmIdBase: vmId()
      .default(1000)
      .describe('Base of the default VM IDs: control planes get base+1.., worker pool i gets base+100*(i+1)+1.. @default 1000'),
    ha: z.boolean().default(false).describe('Register every VM as a Proxmox HA resource. @default false'),
    firewall: z
      .strictObject({
        enabled: z.boolean().default(false).describe('@default false'),
        adminCidr: cidr()
          .optional()
          .describe('Admin network allowed to reach the API VIP and SSH to nodes; required when the firewall is enabled. @default none'),
        datacenterEnabled: z
          .boolean()
          .default(false)
          .describe('You enabled the Proxmox datacenter firewall (Datacenter > Firewall > Options > Firewall: Yes), without which guest rules do nothing. pve-k8s does not manage it: it is shared by every guest and host of the PVE cluster. Must be true when the firewall is enabled; the deploy checks it through the Proxmox API. @default false'),
      })
      .prefault({})
      .describe('Proxmox firewall keeping the node network private. @default disabled'),
  })
  .describe('Where the VMs run.');

export const ImageSchema = z
  .strictObject({
    url: z.url().optional().describe('Cloud image URL; it must hold the nodeOs release. @default the pinned image of nodeOs from spec/versions.ts (Debian: with its SHA-512)'),
    checksum: z
      .strictObject({
        algorithm: z.enum(['sha256', 'sha512']).default('sha256').describe('@default "sha256"'),
        value: z.string().regex(/^[0-9a-f]{64}([0-9a-f]{64})?$/, { message: 'must be a lowercase hex digest' }).describe('The digest in lowercase hex: 64 digits for sha256, 128 for sha512.'),
      })
      .optional()
      .describe('Verify the download against this digest. @default the pinned digest of the default image, if any; none for a custom url'),
  })
  .prefault({})
  .describe('The cloud image the VMs boot from.');

export const IpRangeSchema = z.strictObject({
  start: ipv4().describe('First address (inclusive).'),
  end: ipv4().describe('Last address (inclusive).'),
});

export const NetworkSchema = z
  .strictObject({
    cidr: cidr().describe('Node network, e.g. 10.10.0.0/24.'),
    gateway: ipv4().describe('Default gateway of the node network.'),
    dns: z.array(ipv4()).min(1).optional().describe('DNS servers. @default [gateway]'),
    searchDomain: z.string().regex(DNS_NAME).optional().describe('DNS search domain. @default the cluster domain'),
    ntp: z
      .array(z.string().refine((v) => isIpv4(v) || DNS_NAME.test(v), { message: 'must be an IPv4 address or a DNS name like ntp.example.org' }))
      .min(1)
      .max(8)
      .optional()
      .describe("NTP servers the nodes' chrony uses (an air-gapped site's time servers). @default the node OS's own pool (Ubuntu: ntp.ubuntu.com; Debian: the Debian pool)"),
    vlan: count(1, 4094).optional().describe('VLAN tag on the bridge. @default untagged'),
    mtu: count(576, 9000).optional().describe('Interface MTU. @default the bridge MTU'),
    vip: ipv4().describe('Virtual IP of the Kubernetes API (Keepalived).'),
    apiPort: count(1, 65535).default(6443).describe('Port of the API on the VIP. @default 6443'),
    podCidr: cidr().default('10.244.0.0/16').describe('Pod network. @default "10.244.0.0/16"'),
    serviceCidr: cidr().default('10.96.0.0/12').describe('Service network. @default "10.96.0.0/12"'),
    metallb: IpRangeSchema.describe('Addresses MetalLB hands to LoadBalancer Services; inside the node CIDR.'),
  })
  .describe('Addresses of the cluster.');

const sizing = {
  cores: count(1, 128).default(2).describe('vCPUs. @default 2'),
  memory: count(1024, 1_048_576).default(4096).describe('Memory in MiB. @default 4096'),
  disk: count(10, 65_536).default(40).describe('Root disk in GiB. @default 40'),
};

const addressing = {
  ipStart: ipv4().optional().describe('First node IP; the rest follow. @default the address after the previous pool (control planes: after the VIP)'),
  ips: z.array(ipv4()).optional().describe('Static node IPs, one per node, instead of ipStart.'),
  vmIdStart: vmId().optional().describe('First VM ID; the rest follow. @default derived from proxmox.vmIdBase'),
  hosts: z.array(label('PVE host name')).min(1).optional().describe('PVE hosts to spread this pool over, round-robin. @default all hosts'),
};

export const ControlPlaneSchema = z
  .strictObject({
    count: count(1, 9).default(3).describe('Number of control planes; odd for etcd quorum. @default 3'),
    ...sizing,
    ...addressing,
    allowStacking: z
      .boolean()
      .default(false)
      .describe('Allow two control planes on one PVE host although enough hosts exist. @default false'),
  })
  .prefault({})
  .describe('Control-plane nodes (etcd stacked).');

export const WorkerPoolSchema = z
  .strictObject({
    name: label('pool name', 20).describe('Pool name; nodes are <cluster>-<pool>-<n>.'),
    count: count(0, 5000).default(1).describe('Number of workers. @default 1'),
    ...sizing,
    disk: count(10, 65_536).default(60).describe('Root disk in GiB. @default 60'),
    ...addressing,
    labels: z.record(z.string(), z.string()).default({}).describe('Node labels. @default {}'),
  })
  .describe('A pool of identical worker nodes.');

export const LoadBalancerSchema = z
  .strictObject({
    mode: z
      .enum(['colocated', 'dedicated'])
      .default('colocated')
      .describe('HAProxy + Keepalived on the control planes, or on two dedicated VMs. @default "colocated"'),
    routerId: count(1, 255).default(51).describe('Keepalived VRRP virtual_router_id, unique per L2 segment. @default 51'),
    dedicated: z
      .strictObject({
        cores: count(1, 16).default(1).describe('@default 1'),
        memory: count(512, 65_536).default(1024).describe('@default 1024'),
        disk: count(10, 1024).default(10).describe('@default 10'),
        ...addressing,
      })
      .prefault({})
      .describe('Sizing and addresses of the two load-balancer VMs (mode dedicated).'),
  })
  .prefault({})
  .describe('How the API VIP is served.');

/** One known_hosts line: host pattern(s), key type, base64 key (an optional comment after it). */
const KNOWN_HOSTS_LINE = /^\S+ (ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,2}( .*)?$/;

export const GitCredentialsSchema = z
  .strictObject({
    secretName: z
      .string()
      .max(253, { message: 'a Secret name has at most 253 characters' })
      .regex(DNS_NAME_OR_LABEL, { message: "must be a Kubernetes Secret name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit" })
      .describe('Name of the Secret holding the credentials, in the namespace of the engine (argocd or flux-system). You create it; synth only references it.'),
    type: z
      .enum(['ssh', 'https'])
      .describe('ssh = a deploy key (repoUrl ssh://... or, Argo CD only, git@host:path); https = a user name and token (repoUrl https://...).'),
    knownHosts: z
      .string()
      .superRefine((text, ctx) => {
        const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
        if (lines.length === 0) ctx.addIssue({ code: 'custom', message: 'holds no known_hosts line' });
        const bad = lines.find((l) => !KNOWN_HOSTS_LINE.test(l));
        if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `not a known_hosts line ("<host> <key type> <base64 key>", as ssh-keyscan prints): ${JSON.stringify(bad.slice(0, 60))}` });
      })
      .optional()
      .describe('type ssh: the Git server\'s public host keys as known_hosts lines (ssh-keyscan <host>, checked against a fingerprint you trust). Both engines refuse unknown host keys: Argo CD gets them in its argocd-ssh-known-hosts-cm, Flux in the Secret (SECRETS.md). @default none (required with type ssh)'),
  })
  .describe('How the GitOps engine authenticates to a private repository.');

export const SopsSchema = z
  .strictObject({
    ageRecipients: z
      .array(
        z.string().superRefine((text, ctx) => {
          const problem = ageRecipientProblem(text);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      )
      .min(1, { message: 'needs at least one age public key' })
      .describe('Public keys (age1...) the Secrets of apps/<name>/ are encrypted for, written into dist/<name>/.sops.yaml: the cluster\'s key (age-keygen -o age.agekey prints its public key) and, if you like, one per person who edits them. Never a private key.'),
    secretName: z
      .string()
      .max(253, { message: 'a Secret name has at most 253 characters' })
      .regex(DNS_NAME_OR_LABEL, { message: "must be a Kubernetes Secret name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit" })
      .default('sops-age')
      .describe('Secret in flux-system holding the cluster\'s age private key (key age.agekey), which Flux decrypts with. You create it (dist/<name>/SECRETS.md); synth only references it. @default "sops-age"'),
  })
  .describe('SOPS-encrypted Secrets in apps/<name>/, decrypted by Flux (engine flux only: Argo CD has no native SOPS decryption).');

/** Cluster-scoped kinds the users' folder may be granted (addons.gitops.appsClusterKinds); model: APPS_CLUSTER_RESOURCES. */
export const APPS_CLUSTER_KINDS = ['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'IngressClass', 'StorageClass', 'PriorityClass'] as const;

const SECRET_NAME = () =>
  z
    .string()
    .max(253, { message: 'a Secret name has at most 253 characters' })
    .regex(DNS_NAME_OR_LABEL, { message: "must be a Kubernetes Secret name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit" });

export const ArgoCdOidcSchema = z
  .strictObject({
    issuer: z
      .url({ protocol: /^https$/, message: 'must be an https:// URL (the OIDC issuer, as in its /.well-known/openid-configuration)' })
      .describe('OIDC issuer URL (https://, the provider\'s /.well-known/openid-configuration lives under it).'),
    clientId: z.string().min(1).describe('The client ID Argo CD is registered with at the provider (not secret).'),
    clientSecretRef: SECRET_NAME()
      .default('argocd-oidc')
      .describe('Secret in the argocd namespace with key clientSecret, labelled app.kubernetes.io/part-of=argocd (Argo CD only reads labelled Secrets). You create it (dist/<name>/SECRETS.md); synth only references it. @default "argocd-oidc"'),
    adminGroups: z
      .array(z.string().regex(/^[^,"\n]+$/, { message: 'must be a group name without commas, quotes or line breaks (a line of Argo CD\'s policy.csv)' }))
      .default([])
      .describe('OIDC groups (the groups claim) that get Argo CD\'s role:admin. Everyone else who signs in gets role:readonly. @default [] (nobody is admin through the UI: changes go through Git)'),
  })
  .describe('Single sign-on for Argo CD. With it the local admin account is disabled (argocd-cm admin.enabled: false) and the default role is readonly.');

export const ArgoCdSchema = z
  .strictObject({
    oidc: ArgoCdOidcSchema.optional().describe('@default none (the local admin, its initial password in the argocd-initial-admin-secret Secret; a warning says so)'),
    ingressAllowlist: z
      .array(cidr())
      .min(1, { message: 'needs at least one CIDR (leave the field out to use proxmox.firewall.adminCidr)' })
      .optional()
      .describe('Client networks allowed to reach the Argo CD UI/API through the ingress (enforced by the ingress controller: nginx Policy accessControl, ingress-nginx whitelist-source-range; not with gateway-api, a warning says so). @default [proxmox.firewall.adminCidr] when set, else open to every client'),
  })
  .describe('Argo CD\'s own access (engine argocd).');

export const CommitSigningSchema = z
  .strictObject({
    keyIds: z
      .array(z.string().regex(/^([0-9A-F]{16}|[0-9A-F]{40})$/, { message: 'must be an OpenPGP key ID: 16 (long ID) or 40 (fingerprint) upper-case hex digits, as gpg --list-keys --keyid-format long prints' }))
      .min(1, { message: 'needs at least one key ID' })
      .describe('OpenPGP key IDs whose signatures the engine accepts on the synced commit. Argo CD: the projects\' signatureKeys (the keys must be in its GnuPG keyring: publicKeysSecret is not read by Argo CD, see SECRETS.md); Flux: the root GitRepository verifies HEAD.'),
    publicKeysSecret: SECRET_NAME()
      .default('git-signing-keys')
      .describe('Flux: Secret in flux-system with the armored public keys (one <name>.asc key each) the root GitRepository verifies with. You create it (dist/<name>/SECRETS.md). @default "git-signing-keys"'),
  })
  .describe('Only signed commits are synced.');

export const AddonsSchema = z
  .strictObject({
    cni: z
      .enum(['cilium', 'none'])
      .default('cilium')
      .describe('cilium = the bootstrap installs Cilium (kube-proxy replacement) and GitOps keeps it; none = kube-proxy runs and you bring the CNI yourself (nodes stay NotReady until it runs). @default "cilium"'),
    gitops: z
      .strictObject({
        engine: z.enum(['argocd', 'flux', 'none']).default('argocd').describe('@default "argocd"'),
        repoUrl: z.string().min(1).optional().describe('Git repository holding dist/. @default none (no root application is bootstrapped)'),
        revision: z
          .string()
          .min(1)
          .superRefine((revision, ctx) => {
            const problem = gitRevisionProblem(revision);
            if (problem) ctx.addIssue({ code: 'custom', message: problem });
          })
          .default('main')
          .describe('What the root syncs: a branch name, refs/tags/<tag> for a tag, or a full 40-digit commit SHA. @default "main"'),
        credentials: GitCredentialsSchema.optional().describe(
          'Credentials of a private repoUrl: the name of a Secret you create in the engine\'s namespace (dist/<name>/SECRETS.md has the command); never the secret itself. @default none (a public repository)',
        ),
        sops: SopsSchema.optional().describe(
          'Encrypted Secrets in Git: Flux\'s Kustomization of apps/<name>/ decrypts SOPS files with the age key of a Secret you create; dist/<name>/.sops.yaml holds the creation rule. @default none (no decryption: Secrets are created with kubectl)',
        ),
        appsClusterKinds: z
          .array(z.enum(APPS_CLUSTER_KINDS))
          .default([])
          .describe('Cluster-scoped kinds the users\' folder apps/<name>/ may create (Argo CD: the apps project\'s whitelist; Flux: a ClusterRole of its ServiceAccount). Namespace lets it relabel any namespace, a platform one included (pod security): prefer addons.tenants. @default [] (none)'),
        argocd: ArgoCdSchema.prefault({}).describe('Argo CD\'s sign-in and network access (engine argocd only).'),
        commitSigning: CommitSigningSchema.optional().describe('Require signed commits on the synced revision. @default none (any commit the repository holds is synced: protect the branch on the Git server)'),
      })
      .prefault({})
      .describe('The GitOps engine that applies dist/ from Git.'),
    ingress: z
      .strictObject({
        controller: z
          .enum(['nginx', 'ingress-nginx', 'gateway-api'])
          .default('nginx')
          .describe('nginx = F5 NGINX Ingress Controller; ingress-nginx is retired (warning); gateway-api = the Gateway API implementation of Cilium (a Gateway on the ingress IP, HTTPRoutes instead of Ingresses). @default "nginx"'),
        ip: ipv4().optional().describe('LoadBalancer IP of the ingress. @default the first MetalLB address'),
      })
      .prefault({})
      .describe('How platform hostnames are served.'),
    certManager: z
      .strictObject({
        acmeEmail: z.email().optional().describe('Contact for the ACME issuers. @default admin@<domain>'),
      })
      .prefault({})
      .describe('cert-manager and its ACME issuers.'),
    monitoring: z
      .strictObject({
        enabled: z.boolean().default(true).describe('@default true'),
        retention: z.string().regex(/^\d+[dhw]$/).default('30d').describe('@default "30d"'),
        prometheusStorage: z.string().regex(/^\d+(Mi|Gi|Ti)$/).default('50Gi').describe('@default "50Gi"'),
        grafanaStorage: z.string().regex(/^\d+(Mi|Gi|Ti)$/).default('10Gi').describe('@default "10Gi"'),
      })
      .prefault({})
      .describe('Prometheus, Alertmanager and Grafana.'),
    logging: z.strictObject({ enabled: z.boolean().default(true).describe('@default true') }).prefault({}).describe('Loki and Alloy collecting pod logs.'),
    harbor: z.strictObject({ enabled: z.boolean().default(true).describe('@default true') }).prefault({}).describe('Harbor container registry.'),
    storage: z
      .strictObject({
        provider: z.enum(['local-path', 'nfs']).default('local-path').describe('@default "local-path"'),
        nfs: z
          .strictObject({
            server: z.string().min(1).describe('NFS server host name or IP.'),
            share: z.string().startsWith('/').describe('Exported path, e.g. /export/k8s.'),
          })
          .optional()
          .describe('The NFS export (provider "nfs").'),
      })
      .prefault({})
      .describe('Default StorageClass for persistent volumes.'),
    backups: z
      .strictObject({
        etcdSchedule: z.string().default('0 */6 * * *').describe('@default every 6 hours'),
        etcdKeep: count(1, 1000).default(12).describe('Snapshots kept on each control plane. @default 12'),
        s3: z
          .strictObject({
            endpoint: z.url().describe('S3 API URL, e.g. https://s3.example.com (credentials come from a Secret, never from here).'),
            bucket: z.string().min(3).describe('Bucket name (S3 naming rules).'),
            region: z.string().default('us-east-1').describe('@default "us-east-1"'),
          })
          .optional()
          .describe('Off-cluster copy of etcd snapshots and Velero backups. @default none'),
        velero: z.boolean().default(true).describe('@default true'),
      })
      .prefault({})
      .describe('etcd snapshots and Velero backups.'),
    tenants: z
      .array(
        z.strictObject({
          name: label('tenant namespace').describe('Namespace of the tenant.'),
          adminGroups: z.array(z.string().min(1)).default([]).describe('Groups bound to the admin ClusterRole in the namespace. @default []'),
          editGroups: z.array(z.string().min(1)).default([]).describe('Groups bound to the edit ClusterRole in the namespace. @default []'),
          viewGroups: z.array(z.string().min(1)).default([]).describe('Groups bound to the view ClusterRole in the namespace. @default []'),
          quota: z
            .strictObject({
              cpu: z.string().default('8').describe('CPU requests limit, a Kubernetes quantity. @default "8"'),
              memory: z.string().default('16Gi').describe('Memory requests limit, a Kubernetes quantity. @default "16Gi"'),
              pods: z.number().int().min(1).default(50).describe('Pod count limit. @default 50'),
            })
            .prefault({})
            .describe('ResourceQuota of the namespace.'),
          loadBalancerAddresses: IpRangeSchema.optional().describe(
            'Addresses MetalLB hands to LoadBalancer Services of this tenant: its own IPAddressPool, serving only its namespace. Inside the node network; outside network.metallb (the platform pool, which never serves tenant namespaces), the VIP, the gateway, every node IP and other tenants\' ranges. @default none: the tenant gets no LoadBalancer address',
          ),
        }),
      )
      .default([])
      .describe('Tenant namespaces with RBAC, quota and limits. @default []'),
  })
  .prefault({})
  .describe('Platform add-ons.');

export const RegistryMirrorSchema = z
  .strictObject({
    registry: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d+)?$/, { message: 'must be a registry host like docker.io or ghcr.io' })
      .describe('Registry whose pulls go through the mirror, e.g. docker.io.'),
    endpoint: z.url({ protocol: /^https?$/ }).describe('Mirror URL, e.g. a Harbor proxy-cache project https://harbor.example.com/v2/dockerhub.'),
    overridePath: z
      .boolean()
      .default(false)
      .describe('The endpoint already holds the /v2/<project> path (Harbor proxy cache). @default false'),
  })
  .describe('Pull through a mirror first; the upstream registry stays the fallback.');

const packageRepoUrl = () =>
  z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL like http://mirror.example.internal/debian' })
    .refine((u) => !/^https?:\/\/[^/]*@/.test(u), { message: 'must not hold credentials (user:password@); use a mirror that needs none or a proxy' })
    .refine((u) => !u.endsWith('/'), { message: 'must not end with "/"' });
const armoredKey = () =>
  z
    .string()
    .regex(/^-----BEGIN PGP PUBLIC KEY BLOCK-----\n[\s\S]+\n-----END PGP PUBLIC KEY BLOCK-----\n?$/, {
      message: 'must be an ASCII-armored OpenPGP public key (-----BEGIN PGP PUBLIC KEY BLOCK----- ... -----END PGP PUBLIC KEY BLOCK-----)',
    });

export const SourcesSchema = z
  .strictObject({
    osPackages: z
      .strictObject({
        url: packageRepoUrl().describe('Mirror of the distribution archive with the suites <codename> and <codename>-updates, e.g. http://mirror.example.internal/debian.'),
        securityUrl: packageRepoUrl().optional().describe('Mirror holding <codename>-security. @default url'),
        signingKey: armoredKey()
          .optional()
          .describe('Key the mirror signs its Release files with, checked by apt. @default the distribution\'s archive keyring (a mirror that keeps the signed Release files)'),
      })
      .optional()
      .describe('OS package mirror replacing the distribution archive on every node. @default the image\'s own sources'),
    kubernetesPackages: z
      .strictObject({
        baseUrl: packageRepoUrl().describe('Mirror with the pkgs.k8s.io layout: the repository of minor 1.30 is <baseUrl>/v1.30/deb/ (flat, "/" suite).'),
        signingKey: armoredKey().describe('Key the repository is signed with. Written to the nodes and checked by apt; never downloaded.'),
      })
      .optional()
      .describe('Kubernetes package repository (kubeadm, kubelet, kubectl, cri-tools). @default https://pkgs.k8s.io/core:/stable: (its Release.key downloaded at boot)'),
    helm: z
      .strictObject({
        baseUrl: packageRepoUrl().describe('Where helm-<version>-linux-<arch>.tar.gz is (the get.helm.sh layout); the tarball must be the upstream one: its SHA-256 is pinned in spec/versions.ts.'),
      })
      .optional()
      .describe('Where the first control plane downloads the Helm CLI. @default https://get.helm.sh'),
    charts: z
      .strictObject({
        repository: z
          .string()
          .regex(/^(https?|oci):\/\/[^\s/@]+(\/[^\s@]*)?$/, { message: 'must be a Helm repository URL (http(s)://... or oci://...) without credentials' })
          .refine((u) => !u.endsWith('/'), { message: 'must not end with "/"' })
          .describe('One Helm repository holding every chart the bootstrap installs (cilium, argo-cd) under its upstream name and version.'),
      })
      .optional()
      .describe('Where the node bootstrap pulls Helm charts from (GitOps releases keep their upstream repositories). @default each chart\'s upstream repository'),
  })
  .prefault({})
  .describe('Where nodes download packages, Helm and charts: mirrors for air-gapped installs. Container images: containerd.registryMirrors. @default the public upstreams');

export const StateSchema = z
  .discriminatedUnion('backend', [
    z.strictObject({
      backend: z.literal('local').describe('Terraform state in a local file.'),
      path: z
        .string()
        .min(1)
        .optional()
        .describe(
          'State file path, relative to the folder that holds cdktf.out/ (the project root), or absolute. Never inside cdktf.out/, dist/ or .cdk8s.out/ (synth writes there). @default "state/<name>.tfstate"',
        ),
    }),
    z.strictObject({
      backend: z.literal('s3').describe('Terraform state in an S3 bucket.'),
      bucket: z.string().min(3).describe('Bucket name (S3 naming rules).'),
      key: z.string().min(1).optional().describe('@default "pve-k8s/<name>.tfstate"'),
      region: z.string().default('us-east-1').describe('@default "us-east-1"'),
      endpoint: z.url().optional().describe('S3-compatible endpoint (MinIO, Ceph RGW). @default AWS'),
      encrypt: z
        .boolean()
        .default(true)
        .describe('Server-side encryption of the state object (it holds the join secrets and the Secret encryption key). @default true'),
      dynamodbTable: z
        .string()
        .min(3)
        .optional()
        .describe('DynamoDB table that locks the state (Terraform 1.8 locks S3 state only this way; S3 lock files need 1.10). Required while locking is true.'),
      locking: z
        .boolean()
        .default(true)
        .describe('Lock the state during plan/apply. false is only for a store without DynamoDB (MinIO, Ceph): then one operator at a time. @default true'),
    }),
  ])
  .prefault({ backend: 'local' })
  .describe('Where Terraform keeps state. Credentials for s3 come from the environment (AWS_*). @default local');

export const ClusterSpecSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Editor hint; ignored.'),
    name: label('cluster name', 20)
      .regex(/^[a-z]/, { message: 'cluster name must start with a letter (it names Terraform resources)' })
      .describe('Cluster name; prefixes node names and is the cdktf stack name.'),
    domain: z.string().regex(DNS_NAME, { message: 'must be a DNS name like lab.example.com' }).describe('Base DNS domain of platform hostnames.'),
    proxmox: ProxmoxSchema,
    nodeOs: z
      .enum(NODE_OS_IDS)
      .default('ubuntu-24.04')
      .describe('Operating system of every node: its cloud image and the packages the bootstrap installs. Changing it affects only nodes created afterwards. @default "ubuntu-24.04"'),
    image: ImageSchema,
    network: NetworkSchema,
    controlPlane: ControlPlaneSchema,
    workers: z.array(WorkerPoolSchema).default([]).describe('Worker pools. @default []'),
    loadBalancer: LoadBalancerSchema,
    containerd: z
      .strictObject({
        registryMirrors: z.array(RegistryMirrorSchema).default([]).describe('Registry mirrors for every node. @default []'),
      })
      .prefault({})
      .describe('Container runtime settings.'),
    sources: SourcesSchema,
    ssh: z
      .strictObject({
        authorizedKeys: z
          .array(z.string().regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/=]+( .*)?$/, { message: 'must be an OpenSSH public key line' }))
          .min(1)
          .describe('OpenSSH public key lines allowed to log in as the SSH user.'),
        user: label('SSH user', 32).default('ubuntu').describe('@default "ubuntu"'),
      })
      .describe('Admin access to the nodes (public keys only).'),
    kubernetes: z
      .strictObject({
        version: z
          .string()
          .optional()
          .meta({ enum: supportedKubernetesVersionList() })
          .describe(`Exact Kubernetes version (a quoted string). Pin it: the default is the newest patch of the default minor and moves with toolkit releases (synth then refuses a cluster that relied on it until you pin one). @default "${DEFAULT_KUBERNETES_VERSION}"`),
        clusterDomain: z.string().regex(DNS_NAME).default('cluster.local').describe('@default "cluster.local"'),
      })
      .prefault({})
      .describe('Kubernetes version and in-cluster DNS domain.'),
    addons: AddonsSchema,
    state: StateSchema,
  })
  .describe('One Kubernetes cluster on Proxmox VE.');

/** The spec as written (defaults optional). */
export type ClusterSpecInput = z.input<typeof ClusterSpecSchema>;
/** The spec after defaults are applied. */
export type ClusterSpec = z.output<typeof ClusterSpecSchema>;
