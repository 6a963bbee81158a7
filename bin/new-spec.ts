/**
 * The spec `npm run new -- <name>` writes: clusters/lab.yaml's shape (3 control planes, 3 workers
 * over 3 PVE hosts), defaults left out, and a `# CHANGE ME` on every value that is the user's to
 * give. The values that must differ from the other clusters (VM IDs, Keepalived router ID, node
 * network) are chosen free by freeSlots() from their models. Pure: text from values.
 */
import { cidrsOverlap, parseCidr } from '../spec/ip';
import type { ClusterModel } from '../spec/model';
import { SAMPLE_SSH_KEY_BLOB } from '../spec/checks/placeholders';
import { DEFAULT_KUBERNETES_VERSION } from '../spec/versions';

/** Free values for a new cluster, given the existing ones. */
export interface NewClusterSlots {
  /** A multiple of 1,000 whose whole block of 1,000 VM IDs no existing VM uses. */
  readonly vmIdBase: number;
  /** A Keepalived virtual router ID no existing cluster uses (from the default 51 up, then 1 up). */
  readonly routerId: number;
  /** The second octet of a 10.<n>.0.0/24 node network that overlaps no existing one. */
  readonly networkOctet: number;
}

/** The block size of one cluster's VM IDs: control planes base+1.., pools base+101.., base+201... */
const VM_ID_BLOCK = 1000;
/** Proxmox VM IDs end at 999,999,999. */
const MAX_VM_ID_BLOCK = 999_999;

/** Picks free values, or says which one ran out. */
export function freeSlots(models: readonly ClusterModel[]): NewClusterSlots | { readonly exhausted: string } {
  const usedBlocks = new Set(models.flatMap((m) => [m.proxmox.vmIdBase, ...m.nodes.map((n) => n.vmId)].map((id) => Math.floor(id / VM_ID_BLOCK))));
  let block = 1;
  while (usedBlocks.has(block) && block <= MAX_VM_ID_BLOCK) block++;
  if (block > MAX_VM_ID_BLOCK) return { exhausted: 'no free block of 1,000 VM IDs' };

  const usedRouterIds = new Set(models.map((m) => m.loadBalancer.routerId));
  const routerId = [...range(51, 255), ...range(1, 50)].find((id) => !usedRouterIds.has(id));
  if (routerId === undefined) return { exhausted: 'every Keepalived router ID (1-255) is in use' };

  const networks = models.map((m) => parseCidr(m.network.cidr));
  // 10.10, 10.20, ... read well; any other 10.<n> when those are taken.
  const networkOctet = [...range(1, 25).map((n) => n * 10), ...range(1, 255)].find((n) => !networks.some((c) => cidrsOverlap(c, parseCidr(`10.${n}.0.0/24`))));
  if (networkOctet === undefined) return { exhausted: 'every 10.<n>.0.0/24 overlaps an existing node network' };
  return { vmIdBase: block * VM_ID_BLOCK, routerId, networkOctet };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Column the trailing comments start at (longer lines get one space). */
const COMMENT_COLUMN = 44;

/** The spec text for cluster `name` with the given free values. */
export function newSpecText(name: string, slots: NewClusterSlots): string {
  const net = `10.${slots.networkOctet}.0`;
  const base = slots.vmIdBase;
  const lines: [string, string?][] = [
    ['# yaml-language-server: $schema=./cluster.schema.json'],
    [`# Cluster ${name}, written by \`npm run new -- ${name}\`: 3 control planes + 3 workers over 3 PVE hosts.`],
    ['# Replace every value marked CHANGE ME with yours (synth warns about the example values it still'],
    ['# finds), then run `npm run synth`. Every field and default: cluster.schema.json, README.md.'],
    [`name: ${name}`],
    [`domain: ${name}.example.internal`, 'CHANGE ME: DNS domain of the platform hostnames'],
    ['proxmox:'],
    [`  endpoint: https://pve1.${name}.example.internal:8006/`, 'CHANGE ME: your Proxmox API (credentials come from the environment)'],
    ['  hosts:', 'CHANGE ME: your PVE node names'],
    ['    - name: pve1'],
    ['    - name: pve2'],
    ['    - name: pve3'],
    [`  vmIdBase: ${base}`, `free among the other specs: VM IDs ${base + 1}-${base + 3}, ${base + 101}-${base + 103}`],
    ['network:', 'CHANGE ME: your node network (this one is free among the other specs)'],
    [`  cidr: ${net}.0/24`],
    [`  gateway: ${net}.1`],
    [`  vip: ${net}.10`, 'Keepalived VIP of the Kubernetes API'],
    [`  metallb: { start: ${net}.200, end: ${net}.220 }`, 'LoadBalancer Service addresses'],
    ['controlPlane:'],
    ['  count: 3'],
    [`  ipStart: ${net}.11`],
    ['workers:'],
    ['  - name: worker'],
    ['    count: 3'],
    [`    ipStart: ${net}.21`],
    ['ssh:'],
    ['  authorizedKeys:', 'CHANGE ME: your public key(s)'],
    [`    - ssh-ed25519 ${SAMPLE_SSH_KEY_BLOB} admin@${name}`],
    ['loadBalancer:'],
    [`  routerId: ${slots.routerId}`, 'Keepalived virtual router ID, free among the other specs'],
    ['kubernetes:'],
    [`  version: "${DEFAULT_KUBERNETES_VERSION}"`, 'pinned: a later toolkit default never moves it; upgrade with upgrade.sh'],
    ['addons:'],
    ['  gitops:'],
    ['    repoUrl: https://git.example.internal/platform/clusters.git', 'CHANGE ME: the Git repository you push dist/ to'],
    ['  backups:'],
    ['    velero: false', 'Velero needs an object store: set s3 { endpoint, bucket }, remove this line'],
  ];
  return lines.map(([text, comment]) => (comment === undefined ? text : `${text.padEnd(COMMENT_COLUMN - 1)} # ${comment}`)).join('\n') + '\n';
}
