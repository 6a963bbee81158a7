/** Builds the CDKTF app: one stack per cluster, named after the cluster (`cdktf deploy <name>`). */
import { App } from 'cdktf';
import type { ClusterModel } from '../spec';
import { ClusterStack } from './stack';

export interface InfraAppOptions {
  /** Output folder. @default cdktf's own (CDKTF_OUTDIR set by cdktf-cli, else "cdktf.out") */
  readonly outdir?: string;
}

export function buildInfraApp(models: readonly ClusterModel[], options: InfraAppOptions = {}): App {
  const app = new App({ outdir: options.outdir, skipValidation: false });
  for (const model of models) new ClusterStack(app, model.name, { model });
  return app;
}

export function synthInfra(models: readonly ClusterModel[], outdir: string): void {
  buildInfraApp(models, { outdir }).synth();
}
