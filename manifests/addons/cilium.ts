/** Cilium: GitOps adopts the release the node bootstrap installed, with the very same values. */
import type { Construct } from 'constructs';
import { CILIUM_RELEASE, ciliumValues } from '../../facts';
import { AddonChart } from '../addon-chart';
import type { Platform } from '../platform';

export class CiliumChart extends AddonChart {
  constructor(scope: Construct, id: string, platform: Platform) {
    const pin = platform.versions.charts.cilium;
    super(scope, id, platform, { addon: 'cilium', version: pin.appVersion });
    this.addRelease({ name: CILIUM_RELEASE.name, namespace: CILIUM_RELEASE.namespace, chart: pin, values: ciliumValues(platform.model), wave: -10 });
  }
}
