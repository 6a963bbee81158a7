import { apiServerCertSans, controlPlaneMetrics, KUBELET_SERVING_CERTS } from '../../cloud-init';
import { lab } from './helpers';

describe('facts exported for the manifests side', () => {
  test('control-plane metrics targets are every control plane at the bound ports', () => {
    const m = controlPlaneMetrics(lab());
    expect(m.controllerManager).toEqual({ bindAddress: '0.0.0.0', port: 10257, scheme: 'https', targets: ['10.20.0.11:10257', '10.20.0.12:10257', '10.20.0.13:10257'] });
    expect(m.scheduler.targets).toEqual(['10.20.0.11:10259', '10.20.0.12:10259', '10.20.0.13:10259']);
    expect(m.etcd).toEqual({ bindAddress: 'node IP', port: 2381, scheme: 'http', targets: ['10.20.0.11:2381', '10.20.0.12:2381', '10.20.0.13:2381'] });
    expect(m.apiServer.targets).toEqual(['10.20.0.11:6443', '10.20.0.12:6443', '10.20.0.13:6443']);
  });

  test('kubelet serving certificates come from the cluster CA, so kube-apiserver and metrics-server verify them', () => {
    expect(KUBELET_SERVING_CERTS).toEqual({ serverTLSBootstrap: true, apiServerKubeletCa: '/etc/kubernetes/pki/ca.crt', metricsServerKubeletInsecureTls: false });
  });

  test('certificate SANs have no duplicates', () => {
    const sans = apiServerCertSans(lab());
    expect(new Set(sans).size).toBe(sans.length);
  });
});
