// Day-2 change classes measured by scripts/verify-day2.sh: each is clusters/lab.yaml plus one
// deliberate change (an overlay on the parsed base), never a copy of the spec.
//   base(doc)   this class's own day 1: mutates the parsed base before spec (absent: lab.yaml)
//   spec(doc)   mutates the parsed base spec (absent: the base itself)
//   file        the spec's file name (absent: lab.yaml)
//   stack(tf)   mutates the synthesized cdk.tf.json (a change no spec field makes)
//   removed     node names whose resources this class may delete
//   deletes     a table column ("firewall") whose resources this class may delete
//   seeds       plan against a state whose terraform_data.join_secrets holds these seed keys
//   replace     addresses planned with -replace (an operator's command; replacing them is allowed)
//   secrets     { node, generation }: that new node's snippet must carry the join secrets the
//               state's seeds give under that generation (scripts/day2/secrets.js), i.e. the
//               secrets of the running nodes
//   mustFail    a negative control: the check has to flag it, or the check itself is broken
const crypto = require('node:crypto');

/** A well-formed ssh-ed25519 public key for the "add an SSH key" class (not a real key pair). */
function ed25519Key(comment) {
  const field = (bytes) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(crypto.createHash('sha256').update(comment).digest())]);
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
}

/** Clusters created before the v2 join secrets: their state holds seeds a..f only. */
const V1_SEEDS = { keys: ['a', 'b', 'c', 'd', 'e', 'f'] };
const fiveControlPlanes = (d) => { d.controlPlane.count = 5; };
const firewallOn = (d) => { d.proxmox.firewall = { enabled: true, adminCidr: '10.99.0.0/24', datacenterEnabled: true }; };

const classes = [
  { name: 'add a worker', spec: (d) => { d.workers[0].count = 4; } },
  { name: 'add a pool', spec: (d) => { d.workers.push({ name: 'batch', count: 2, cores: 2, memory: 4096, disk: 50, ipStart: '10.20.0.41' }); } },
  { name: 'kubernetes 1.30.3 -> 1.30.4', spec: (d) => { d.kubernetes.version = '1.30.4'; } },
  { name: 'kubernetes 1.30.3 -> 1.31.10', spec: (d) => { d.kubernetes.version = '1.31.10'; } },
  { name: 'add an SSH key', spec: (d) => { d.ssh.authorizedKeys.push(ed25519Key('second@lab')); } },
  { name: 'control planes 3 -> 5', spec: fiveControlPlanes, secrets: { node: 'lab-cp-4', generation: 'v2' } },
  // A cluster created by an older pve-k8s keeps its (weaker, v1) secrets: a control plane added
  // now must get the encryption key the running ones have, or it cannot read the Secrets.
  { name: 'control planes 3 -> 5, cluster created with v1 seeds', spec: fiveControlPlanes, seeds: V1_SEEDS, secrets: { node: 'lab-cp-4', generation: 'v1' } },
  // OPERATIONS.md "Rotating the join secrets": new seeds; every VM and snippet keeps its day-1 content.
  { name: 'rotate the join secrets (v1 cluster, -replace seeds)', seeds: V1_SEEDS, replace: ['terraform_data.join_secrets'] },
  { name: 'containerd.registryMirrors', spec: (d) => { d.containerd = { registryMirrors: [{ registry: 'docker.io', endpoint: 'https://mirror.lab.example.internal' }] }; } },
  { name: 'addons.gitops.revision', spec: (d) => { d.addons.gitops.revision = 'release-2'; } },
  { name: 'addons.gitops.engine flux', spec: (d) => { d.addons.gitops.engine = 'flux'; } },
  // GitOps trust: Argo CD's sign-in and allowlist live in dist/ only; signed commits with Flux also
  // change the first control plane's bootstrap (its root GitRepository), whose user data is ignored.
  {
    name: 'addons.gitops.argocd oidc + ingressAllowlist, appsClusterKinds',
    spec: (d) => {
      d.addons.gitops.argocd = { oidc: { issuer: 'https://sso.lab.example.internal/realms/platform', clientId: 'argocd' }, ingressAllowlist: ['10.99.0.0/24'] };
      d.addons.gitops.appsClusterKinds = ['Namespace'];
    },
  },
  { name: 'addons.gitops.commitSigning (flux)', spec: (d) => { d.addons.gitops.engine = 'flux'; d.addons.gitops.commitSigning = { keyIds: ['4AEE18F83AFDEB23'] }; } },
  { name: 'ingress gateway-api', spec: (d) => { d.addons.ingress = { controller: 'gateway-api' }; } },
  { name: 'same spec, other file name', file: 'lab-platform.yaml' },
  { name: 'worker memory/cores', spec: (d) => { d.workers[0].memory = 32768; d.workers[0].cores = 8; } },
  { name: 'remove a worker', spec: (d) => { d.workers[0].count = 2; }, removed: ['lab-worker-3'] },
  { name: 'add a PVE host', spec: (d) => { d.proxmox.hosts.push({ name: 'pve4' }); } },
  // Placement is round-robin over the host list: reordering it moves every node on paper.
  { name: 'reorder the PVE hosts (placement moves)', spec: (d) => { d.proxmox.hosts.reverse(); } },
  { name: 'nodeOs ubuntu-24.04 -> debian-12', spec: (d) => { d.nodeOs = 'debian-12'; } },
  { name: 'addons.cni cilium -> none', spec: (d) => { d.addons.cni = 'none'; } },
  // Tenants: the control planes' kubeadm config gains AlwaysPullImages (day-1 user data, ignored);
  // the admission policies and MetalLB pools live in dist/ only.
  { name: 'addons.tenants (a tenant with its own MetalLB range)', spec: (d) => { d.addons.tenants = [{ name: 'team-a', loadBalancerAddresses: { start: '10.20.0.230', end: '10.20.0.239' } }]; } },
  { name: 'network.ntp (site time servers)', spec: (d) => { d.network.ntp = ['ntp1.lab.example.internal', '10.20.0.2']; } },
  { name: 'change the cloud image', spec: (d) => { d.image = { url: 'https://cloud-images.lab.example.internal/noble-server-cloudimg-amd64-20990101.img' }; } },
  // The Proxmox firewall: enabling it creates the firewall objects and flips the VMs' network
  // device flag in place; a new admin network updates one alias per VM; a new control plane
  // updates the control planes' rule lists in place (etcd and VRRP peers); disabling it deletes
  // the firewall objects only.
  { name: 'enable the Proxmox firewall', spec: firewallOn },
  { name: 'proxmox.firewall.adminCidr (firewall on)', base: firewallOn, spec: (d) => { d.proxmox.firewall.adminCidr = '10.98.0.0/24'; } },
  { name: 'control planes 3 -> 5 (firewall on)', base: firewallOn, spec: fiveControlPlanes, secrets: { node: 'lab-cp-4', generation: 'v2' } },
  { name: 'disable the Proxmox firewall', base: firewallOn, spec: (d) => { d.proxmox.firewall.enabled = false; }, deletes: 'firewall' },
  {
    name: 'toolkit renderer change',
    stack: (tf) => {
      for (const file of Object.values(tf.resource.proxmox_virtual_environment_file)) file.source_raw.data += '\n# rendered by a newer pve-k8s\n';
    },
  },
  { name: 'NEGATIVE CONTROL: rename the worker pool', spec: (d) => { d.workers[0].name = 'general'; }, mustFail: true },
  {
    // Seeds no longer frozen: the next apply re-rolls them, and a new control plane gets secrets
    // unknown to the running ones (no resource is replaced: only the secrets assertion sees it).
    name: 'NEGATIVE CONTROL: v1 cluster, seeds without ignore_changes',
    spec: fiveControlPlanes,
    seeds: V1_SEEDS,
    stack: (tf) => { delete tf.resource.terraform_data.join_secrets.lifecycle; },
    secrets: { node: 'lab-cp-4', generation: 'v1' },
    mustFail: true,
  },
  {
    // A "harmless" refactor of a derivation (seeds in another order) changes the key new nodes get.
    name: 'NEGATIVE CONTROL: encryption key derivation changed',
    spec: fiveControlPlanes,
    stack: (tf) => {
      const before = tf.locals.encryption_key;
      tf.locals.encryption_key = before.replace('encryption_1, local.join_seeds.encryption_2', 'encryption_2, local.join_seeds.encryption_1');
      if (tf.locals.encryption_key === before) throw new Error('day2 classes: the encryption key derivation has another form; update this negative control');
    },
    secrets: { node: 'lab-cp-4', generation: 'v2' },
    mustFail: true,
  },
];

module.exports = { classes };
