#!/usr/bin/env node
// clusters/lab.yaml grown to one worker pool of N workers, on networks sized for it, as YAML.
//   node scripts/lib/scale-spec.js N > spec.yaml        (verify-terraform, check-bundle)
//   require('./scale-spec.js').scaledSpecText(N)        (bench)
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');

function scaledSpecText(count) {
  if (!Number.isInteger(count) || count < 1 || count > 5000) throw new Error(`scale-spec: N must be an integer in 1..5000, received ${JSON.stringify(count)}`);
  const doc = yaml.load(fs.readFileSync(path.join(__dirname, '..', '..', 'clusters', 'lab.yaml'), 'utf8'));
  doc.name = 'scale';
  // Coexists with every clusters/*.yaml (synth --spec checks against them): own VM IDs and router ID.
  doc.proxmox.vmIdBase = 9000;
  doc.loadBalancer = { ...doc.loadBalancer, routerId: 99 };
  doc.network = { ...doc.network, cidr: '10.32.0.0/16', gateway: '10.32.0.1', vip: '10.32.0.10', podCidr: '10.128.0.0/12', metallb: { start: '10.32.255.200', end: '10.32.255.220' } };
  doc.controlPlane.ipStart = '10.32.0.11';
  doc.workers = [{ ...doc.workers[0], count, ipStart: '10.32.1.1', vmIdStart: 10001 }];
  return yaml.dump(doc, { lineWidth: -1 });
}

module.exports = { scaledSpecText };

if (require.main === module) {
  const arg = process.argv[2];
  const count = /^\d+$/.test(arg ?? '') ? Number(arg) : NaN;
  if (!(count >= 1 && count <= 5000)) {
    console.error(`usage: scale-spec.js N (1..5000), received ${JSON.stringify(arg)}`);
    process.exit(2);
  }
  process.stdout.write(scaledSpecText(count));
}
