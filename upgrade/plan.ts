/**
 * The order and the steps of a Kubernetes upgrade of one cluster, in kubeadm's documented order:
 * the first control plane runs `kubeadm upgrade apply`, the other control planes then the workers
 * `kubeadm upgrade node`; one node at a time, each drained (PodDisruptionBudgets respected) before
 * its kubelet changes. The script (script.ts) and UPGRADE.md (runbook.ts) both read this plan.
 */
import { isFirstControlPlane } from '../cloud-init/kubeadm';
import { criToolsPackageVersion, kubernetesPackageVersion } from '../cloud-init/os';
import type { ClusterModel, NodeModel } from '../spec';

/** How a node's control-plane part is upgraded. */
export type UpgradeRole = 'first' | 'control-plane' | 'worker';

export interface UpgradeNode {
  readonly name: string;
  readonly ip: string;
  readonly role: UpgradeRole;
}

/** Bounds of the waits; each can be raised through the environment variable named. */
export const UPGRADE_TIMEOUTS = {
  /** `kubectl drain --timeout` (PVE_K8S_DRAIN_TIMEOUT). */
  drain: '600s',
  /** A node Ready again at the new version after its kubelet restart (PVE_K8S_READY_TIMEOUT). */
  ready: '300s',
} as const;

export interface UpgradePlan {
  /** Target version, e.g. `1.31.4`. */
  readonly version: string;
  readonly minor: string;
  /** apt versions the nodes pin. */
  readonly packages: { readonly kube: string; readonly criTools: string };
  readonly nodes: readonly UpgradeNode[];
  /** Login of the nodes (ssh.user), for the default SSH transport. */
  readonly sshUser: string;
}

const roleOf = (model: ClusterModel, node: NodeModel): UpgradeRole =>
  isFirstControlPlane(model, node) ? 'first' : node.role === 'control-plane' ? 'control-plane' : 'worker';

export function upgradePlan(model: ClusterModel): UpgradePlan {
  const kubeNodes = [...model.controlPlanes, ...model.workers];
  const order = (n: NodeModel) => ['first', 'control-plane', 'worker'].indexOf(roleOf(model, n));
  return {
    version: model.kubernetes.version,
    minor: model.kubernetes.minor.minor,
    packages: { kube: kubernetesPackageVersion(model), criTools: criToolsPackageVersion(model) },
    nodes: [...kubeNodes].sort((a, b) => order(a) - order(b)).map((n) => ({ name: n.name, ip: n.ip, role: roleOf(model, n) })),
    sshUser: model.ssh.user,
  };
}
