/**
 * Whole cloud-configs per role, reference cluster, Kubernetes minor and LB mode, with placeholder
 * secrets (as in the review copies). A snapshot diff is the review of a bootstrap change.
 */
import { PLACEHOLDER_SECRETS, renderNodeCloudConfig } from '../../cloud-init';
import { dev, lab, labDedicated, labOnMinor, node } from './helpers';
import { manifestFacts } from '../../manifests';

const cases = [
  ['lab (1.30, co-located LB): first control plane', lab, 'lab-cp-1'],
  ['lab (1.30, co-located LB): joining control plane', lab, 'lab-cp-2'],
  ['lab (1.30, co-located LB): worker', lab, 'lab-worker-1'],
  ['dev (single control plane): control plane', dev, 'dev-cp-1'],
  ['dev (single control plane): worker', dev, 'dev-worker-1'],
  ['lab on 1.31: first control plane', () => labOnMinor('1.31.4'), 'lab-cp-1'],
  ['lab on 1.31: worker', () => labOnMinor('1.31.4'), 'lab-worker-1'],
  ['lab on 1.32: first control plane', () => labOnMinor('1.32.2'), 'lab-cp-1'],
  ['lab (dedicated LB): load balancer', labDedicated, 'lab-lb-1'],
  ['lab (dedicated LB): first control plane', labDedicated, 'lab-cp-1'],
] as const;

describe('cloud-config snapshots', () => {
  test.each(cases)('%s', (_title, model, name) => {
    const m = model();
    expect(renderNodeCloudConfig(m, node(m, name), PLACEHOLDER_SECRETS, manifestFacts(m))).toMatchSnapshot();
  });
});
