/** Base of every add-on chart: standard labels, its Platform, and an optional config sub-chart. */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { standardLabels } from './labels';
import type { Platform } from './platform';
import { Release, type ReleaseProps } from './release';

export interface AddonChartProps {
  /** app.kubernetes.io/name of every object in the chart. */
  readonly addon: string;
  /** app.kubernetes.io/version of every object in the chart. */
  readonly version: string;
}

/**
 * One add-on: written to manifests/<id>/. Custom resources whose CRDs the add-on's own release
 * installs go into `config` (manifests/<id>-config/), applied one wave after the release.
 */
export class AddonChart extends Chart {
  public readonly platform: Platform;
  public readonly addon: string;
  public readonly version: string;
  private configChart?: Chart;

  constructor(scope: Construct, id: string, platform: Platform, props: AddonChartProps) {
    super(scope, id, { labels: standardLabels(props.addon, props.version) });
    this.platform = platform;
    this.addon = props.addon;
    this.version = props.version;
  }

  /** The chart of this add-on's custom resources (created on first use). */
  public get config(): Chart {
    if (!this.configChart) {
      this.configChart = new Chart(this, 'config', { labels: standardLabels(this.addon, this.version) });
    }
    return this.configChart;
  }

  /** Argo CD wave of the config chart; undefined: one wave after the add-on's lowest release wave. */
  public get configWave(): number | undefined {
    return undefined;
  }

  public get hasConfig(): boolean {
    return this.configChart !== undefined;
  }

  /** Registers a Helm release of this add-on; the GitOps renderer places it in this chart. */
  public addRelease(props: ReleaseProps): Release {
    return this.platform.addRelease(this, new Release(props));
  }
}
