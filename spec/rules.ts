/**
 * Cross-field rules of one spec. Each rule returns issues naming the field and the value
 * received; warnings do not stop synth but are printed.
 */
import { cidrsOverlap, ipToInt, isHostAddress, parseCidr, rangeContains, rangeSize, type Cidr, type IpRange } from './ip';
import type { ClusterSpec } from './schema';
import { formatPath, type SpecIssue, type SpecPath } from './errors';
import type { ClusterModel, NodeModel } from './model';
import { statePathProblem } from './state';
import { kubernetesMinor, supportedKubernetesVersions } from './versions';

export interface RuleResult {
  readonly errors: SpecIssue[];
  readonly warnings: SpecIssue[];
}

/** Rules that need only the parsed spec (they run even when the model cannot be derived). */
export function specRules(spec: ClusterSpec): RuleResult {
  const errors: SpecIssue[] = [];
  const warnings: SpecIssue[] = [];
  const err = (path: SpecPath, message: string, received: unknown) => errors.push({ path, message, received });

  if (spec.kubernetes.version !== undefined && !kubernetesMinor(spec.kubernetes.version)) {
    err(['kubernetes', 'version'], `unsupported Kubernetes version; supported: ${supportedKubernetesVersions()}`, spec.kubernetes.version);
  }
  const cp = spec.controlPlane;
  if (cp.count % 2 === 0) {
    err(['controlPlane', 'count'], 'control-plane count must be odd so etcd keeps quorum (1, 3, 5, ...)', cp.count);
  } else if (cp.count === 1) {
    warnings.push({ path: ['controlPlane', 'count'], message: 'a single control plane is not highly available', received: 1 });
  }

  duplicates(spec.proxmox.hosts.map((h) => h.name)).forEach(({ value, index }) =>
    err(['proxmox', 'hosts', index, 'name'], 'duplicate PVE host name', value),
  );
  const poolNames = spec.workers.map((w) => w.name);
  duplicates(poolNames).forEach(({ value, index }) => err(['workers', index, 'name'], 'duplicate worker pool name', value));
  poolNames.forEach((name, i) => {
    if (name === 'cp' || name === 'lb') err(['workers', i, 'name'], 'pool names "cp" and "lb" are reserved', name);
  });
  const hostLists: [SpecPath, readonly string[] | undefined][] = [
    [['controlPlane', 'hosts'], cp.hosts],
    [['loadBalancer', 'dedicated', 'hosts'], spec.loadBalancer.dedicated.hosts],
    ...spec.workers.map((w, i): [SpecPath, readonly string[] | undefined] => [['workers', i, 'hosts'], w.hosts]),
  ];
  for (const [path, list] of hostLists) {
    duplicates(list ?? []).forEach(({ value, index }) => err([...path, index], 'host listed twice', value));
  }
  if (spec.proxmox.sharedImageStorage) {
    const storages = new Set(spec.proxmox.hosts.map((h) => h.storage.image));
    if (storages.size > 1) err(['proxmox', 'sharedImageStorage'], `shared image storage needs one storage name on every host, found ${[...storages].join(', ')}`, true);
  }
  if (spec.addons.storage.provider === 'nfs' && !spec.addons.storage.nfs) {
    err(['addons', 'storage', 'nfs'], 'provider "nfs" needs nfs.server and nfs.share', undefined);
  }
  if (spec.addons.cni === 'none') {
    if (spec.addons.ingress.controller === 'gateway-api') {
      err(['addons', 'ingress', 'controller'], 'gateway-api is served by Cilium\'s Gateway API support: it needs addons.cni "cilium" (or choose nginx)', spec.addons.ingress.controller);
    }
    warnings.push({ path: ['addons', 'cni'], message: 'no CNI is installed: nodes stay NotReady and pods (the GitOps engine too) stay Pending until you install one', received: 'none' });
  }
  const mirrored = spec.containerd.registryMirrors.map((m) => m.registry);
  duplicates(mirrored).forEach(({ value, index }) => err(['containerd', 'registryMirrors', index, 'registry'], 'registry listed twice', value));
  const state = spec.state;
  if (state.backend === 'local' && state.path !== undefined) {
    const problem = statePathProblem(state.path);
    if (problem) err(['state', 'path'], `the state file ${problem}`, state.path);
  }
  if (state.backend === 's3' && state.locking && state.dynamodbTable === undefined) {
    err(['state', 'dynamodbTable'], 'S3 state is locked by default and Terraform 1.8 locks it only with a DynamoDB table: name one, or set state.locking: false', undefined);
  }
  if (state.backend === 's3' && !state.locking && state.dynamodbTable !== undefined) {
    err(['state', 'locking'], 'locking is off but a dynamodbTable is set: remove one of them', false);
  }
  if (spec.workers.reduce((n, w) => n + w.count, 0) === 0) {
    warnings.push({ path: ['workers'], message: 'no workers: workloads will run on the control planes (taint removed)', received: spec.workers });
  }
  return { errors, warnings };
}

/** Rules on the derived network facts and nodes. */
export function modelRules(spec: ClusterSpec, model: ClusterModel): RuleResult {
  const errors: SpecIssue[] = [];
  const warnings: SpecIssue[] = [];
  const err = (path: SpecPath, message: string, received: unknown) => errors.push({ path, message, received });
  const net = spec.network;

  const cidrs: [SpecPath, Cidr | undefined][] = (
    [
      [['network', 'cidr'], net.cidr],
      [['network', 'podCidr'], net.podCidr],
      [['network', 'serviceCidr'], net.serviceCidr],
    ] as [SpecPath, string][]
  ).map(([path, text]) => {
    try {
      return [path, parseCidr(text)];
    } catch (e) {
      err(path, (e as Error).message, text);
      return [path, undefined];
    }
  });
  for (let i = 0; i < cidrs.length; i++) {
    for (let j = i + 1; j < cidrs.length; j++) {
      const [pa, a] = cidrs[i]!;
      const [pb, b] = cidrs[j]!;
      if (a && b && cidrsOverlap(a, b)) err(pb, `overlaps ${pa.join('.')} ${a.text}`, b.text);
    }
  }
  const nodeCidr = cidrs[0]![1];
  const podCidr = cidrs[1]![1];
  const serviceCidr = cidrs[2]![1];
  if (serviceCidr && serviceCidr.prefix < 12) err(['network', 'serviceCidr'], 'kube-apiserver allows at most a /12 service network', net.serviceCidr);
  if (podCidr) {
    const mask = model.network.podCidrMaskSize;
    const perNode = podCidr.prefix >= mask ? 0 : 2 ** (mask - podCidr.prefix);
    if (perNode < model.nodes.length) {
      err(['network', 'podCidr'], `too small: Cilium gives each node a /${mask}, so ${model.nodes.length} nodes need a /${mask - Math.ceil(Math.log2(Math.max(2, model.nodes.length)))} or larger`, net.podCidr);
    }
  }

  if (nodeCidr) {
    const inside = (path: SpecPath, ip: string, what: string) => {
      if (!isHostAddress(nodeCidr, ip)) err(path, `${what} must be a host address inside the node network ${net.cidr}`, ip);
    };
    inside(['network', 'gateway'], net.gateway, 'the gateway');
    inside(['network', 'vip'], net.vip, 'the VIP');
    inside(['network', 'metallb', 'start'], net.metallb.start, 'the MetalLB range');
    inside(['network', 'metallb', 'end'], net.metallb.end, 'the MetalLB range');
    for (const node of model.nodes) inside(node.ipPath, node.ip, `node ${node.name}'s IP`);
  }

  const pool: IpRange = { start: ipToInt(net.metallb.start), end: ipToInt(net.metallb.end) };
  if (pool.start > pool.end) err(['network', 'metallb', 'end'], `must not be below start ${net.metallb.start}`, net.metallb.end);
  if (rangeContains(pool, net.vip)) err(['network', 'vip'], `the VIP is inside the MetalLB pool ${net.metallb.start}-${net.metallb.end}`, net.vip);
  if (rangeContains(pool, net.gateway)) err(['network', 'metallb'], `the MetalLB pool contains the gateway ${net.gateway}`, net.metallb);
  if (!rangeContains(pool, model.ingress.ip)) {
    err(['addons', 'ingress', 'ip'], `the ingress IP must be inside the MetalLB pool ${net.metallb.start}-${net.metallb.end}`, model.ingress.ip);
  }
  if (pool.start <= pool.end && rangeSize(pool) < 1) err(['network', 'metallb'], 'the MetalLB pool is empty', net.metallb);
  if (net.vip === net.gateway) err(['network', 'vip'], 'the VIP must not be the gateway', net.vip);

  const byName = new Map<string, NodeModel>();
  const byIp = new Map<string, NodeModel>();
  const byVmId = new Map<number, NodeModel>();
  for (const node of model.nodes) {
    const sameName = byName.get(node.name);
    if (sameName) err([...node.specPath, 'name'], `node name ${node.name} is generated twice (also from ${formatPath(sameName.specPath)})`, node.name);
    byName.set(node.name, node);
    if (node.name.length > 63) err(node.specPath, `node name ${node.name} is longer than 63 characters`, node.name);
    const sameIp = byIp.get(node.ip);
    if (sameIp) err(node.ipPath, `IP ${node.ip} of ${node.name} is already used by ${sameIp.name}`, node.ip);
    byIp.set(node.ip, node);
    const sameId = byVmId.get(node.vmId);
    if (sameId) err([...node.specPath, 'vmIdStart'], `VM ID ${node.vmId} of ${node.name} is already used by ${sameId.name}`, node.vmId);
    byVmId.set(node.vmId, node);
    if (node.ip === net.vip) err(['network', 'vip'], `the VIP is also the IP of node ${node.name}`, net.vip);
    if (node.ip === net.gateway) err(node.ipPath, `node ${node.name} has the gateway's address`, node.ip);
    if (rangeContains(pool, node.ip)) err(['network', 'metallb'], `the MetalLB pool ${net.metallb.start}-${net.metallb.end} contains node ${node.name}'s IP ${node.ip}`, net.metallb);
  }

  spreadRule(spec, model.controlPlanes, ['controlPlane'], spec.controlPlane.allowStacking, errors, warnings);
  if (model.loadBalancer.mode === 'dedicated') spreadRule(spec, model.loadBalancers, ['loadBalancer', 'dedicated'], false, errors, warnings);
  return { errors, warnings };
}

/** Control planes (and dedicated load balancers) must sit on distinct PVE hosts when enough exist. */
function spreadRule(spec: ClusterSpec, nodes: readonly NodeModel[], path: SpecPath, allow: boolean, errors: SpecIssue[], warnings: SpecIssue[]): void {
  const used = new Set(nodes.map((n) => n.host.name));
  if (used.size === nodes.length) return;
  const placement = nodes.map((n) => `${n.name}@${n.host.name}`).join(', ');
  if (spec.proxmox.hosts.length >= nodes.length && !allow) {
    errors.push({
      path: [...path, 'hosts'],
      message: `${nodes.length} nodes are stacked on ${used.size} PVE host(s) (${placement}) although ${spec.proxmox.hosts.length} hosts exist; spread them or set allowStacking: true`,
      received: (valueHosts(spec, path) ?? spec.proxmox.hosts.map((h) => h.name)),
    });
  } else if (nodes.length > 1) {
    warnings.push({ path: [...path, 'hosts'], message: `losing one PVE host takes down several of ${placement}`, received: [...used] });
  }
}

function valueHosts(spec: ClusterSpec, path: SpecPath): readonly string[] | undefined {
  return path[0] === 'controlPlane' ? spec.controlPlane.hosts : spec.loadBalancer.dedicated.hosts;
}

function duplicates(values: readonly string[]): { value: string; index: number }[] {
  const seen = new Set<string>();
  const out: { value: string; index: number }[] = [];
  values.forEach((value, index) => {
    if (seen.has(value)) out.push({ value, index });
    seen.add(value);
  });
  return out;
}
