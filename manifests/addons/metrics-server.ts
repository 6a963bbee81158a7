/** metrics-server for HPA; kubelet TLS handling follows the kubelet config (facts/bootstrap.ts). */
import type { Construct } from 'constructs';
import { KUBELET_SERVING_CERTS } from '../../facts';
import { AddonChart } from '../addon-chart';
import type { Platform } from '../platform';
import { resources } from './resources';

export class MetricsServerChart extends AddonChart {
  constructor(scope: Construct, id: string, platform: Platform) {
    const pin = platform.versions.charts.metricsServer;
    super(scope, id, platform, { addon: 'metrics-server', version: pin.appVersion });
    this.addRelease({
      name: 'metrics-server', namespace: 'kube-system', chart: pin, wave: -5,
      values: {
        replicas: 2,
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
        // Kubelets serve certificates from the cluster CA (serverTLSBootstrap), which metrics-server
        // verifies with the CA of its service account; --kubelet-insecure-tls only if that changes.
        ...(KUBELET_SERVING_CERTS.metricsServerKubeletInsecureTls ? { args: ['--kubelet-insecure-tls'] } : {}),
        resources: resources('50m', '128Mi', '500m', '256Mi'),
      },
    });
  }
}
