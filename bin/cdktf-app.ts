/** Entry point for cdktf-cli (`cdktf synth`, `cdktf deploy <cluster>`; see cdktf.json "app"). */
import { runInfraApp } from './cdktf-run';

const code = runInfraApp();
if (code !== 0) process.exit(code);
