import { KUBELET_SERVING_CERTS } from '../../cloud-init';
import { labModel, render } from './helpers';

describe('kubelet serving certificates are verified by their clients', () => {
  test.each(['lab', 'dev'])('GIVEN %s THEN metrics-server is deployed and verifies kubelets (no --kubelet-insecure-tls anywhere)', (name) => {
    expect(KUBELET_SERVING_CERTS.metricsServerKubeletInsecureTls).toBe(false);
    const { objects } = render(labModel(undefined, name));
    expect(objects.some(({ obj }) => obj.metadata.name === 'metrics-server')).toBe(true);
    for (const { file, obj } of objects) expect([file, JSON.stringify(obj)]).not.toEqual([file, expect.stringContaining('kubelet-insecure-tls')]);
  });
});
