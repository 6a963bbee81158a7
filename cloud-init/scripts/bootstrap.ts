/** The per-node bootstrap script: the shell core, the role's steps, and the run order. */
import type { ClusterModel, NodeModel } from '../../spec';
import { isFirstControlPlane } from '../kubeadm';
import { forgetJoinSecretsStep, loadBalancerStep, kubeSteps } from './kube-steps';
import { addonSteps } from './addon-steps';
import { shellLib } from './lib';
import { osSteps, type Step } from './os-steps';

/** Human name of the node's bootstrap role. */
export function bootstrapRole(model: ClusterModel, node: NodeModel): string {
  if (node.role === 'load-balancer') return 'dedicated API load balancer';
  if (node.role === 'worker') return 'worker';
  return isFirstControlPlane(model, node) ? 'first control plane (kubeadm init, or join if a cluster exists)' : 'control plane (kubeadm join)';
}

/** The ordered steps of a node's bootstrap. */
export function bootstrapSteps(model: ClusterModel, node: NodeModel): Step[] {
  const steps = osSteps(model, node);
  if (node.role === 'load-balancer') return [...steps, loadBalancerStep()];
  steps.push(...kubeSteps(model, node));
  if (isFirstControlPlane(model, node)) steps.push(...addonSteps(model, node));
  return [...steps, forgetJoinSecretsStep(model, node)];
}

/** /usr/local/sbin/pve-k8s-bootstrap for the node. */
export function renderBootstrapScript(model: ClusterModel, node: NodeModel): string {
  const steps = bootstrapSteps(model, node);
  return [
    '#!/bin/bash',
    `# pve-k8s bootstrap of ${node.name}: ${bootstrapRole(model, node)} of cluster ${model.name}.`,
    '# Run once by cloud-init; safe to rerun by hand: completed steps are skipped.',
    '# Steps: ' + steps.map((s) => s.name).join(', '),
    'set -euo pipefail',
    '',
    shellLib(),
    ...steps.map((s) => s.body),
    `log "bootstrap of ${node.name} (${bootstrapRole(model, node)}) starting"`,
    ...steps.map((s) => `run_step ${s.name} ${s.func}`),
    'finish',
    '',
  ].join('\n');
}
