/** cdk8s app entry (cdk8s.yaml): `cdk8s synth` regenerates dist/<cluster>/ (see bin/cdk8s-run.ts). */
import { runCdk8sApp } from './cdk8s-run';

const code = runCdk8sApp();
if (code !== 0) process.exit(code);
