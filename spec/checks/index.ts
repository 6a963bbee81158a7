/**
 * Rules that refuse specs which would synthesize and then fail on Proxmox, in kubeadm or in the
 * cluster. One file per area; `spec/rules.ts` holds the original shape and address rules.
 */
import type { RuleResult } from '../rules';
import type { ClusterModel } from '../model';
import type { ClusterSpec } from '../schema';
import { addonRules } from './addons';
import { kubernetesRules } from './kubernetes';
import { networkRules, nodeNetworkRules } from './network';
import { proxmoxRules, vmIdRules } from './proxmox';
import { Report } from './report';

/** Rules on the parsed spec alone (they run even when the model cannot be derived). */
export function deploySpecRules(spec: ClusterSpec): RuleResult {
  const report = new Report();
  proxmoxRules(spec, report);
  networkRules(spec, report);
  kubernetesRules(spec, report);
  addonRules(spec, report);
  return report;
}

/** Rules on the derived nodes. */
export function deployModelRules(spec: ClusterSpec, model: ClusterModel): RuleResult {
  const report = new Report();
  vmIdRules(model, report);
  nodeNetworkRules(spec, model, report);
  return report;
}
