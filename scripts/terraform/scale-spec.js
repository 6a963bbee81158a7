#!/usr/bin/env node
// Writes clusters/lab.yaml grown to one worker pool of N workers (network sized for it) to stdout.
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');

const count = Number(process.argv[2]);
if (!Number.isInteger(count) || count < 1 || count > 5000) {
  console.error(`usage: scale-spec.js N (1..5000), received ${JSON.stringify(process.argv[2])}`);
  process.exit(2);
}
const doc = yaml.load(fs.readFileSync(path.join(__dirname, '..', '..', 'clusters', 'lab.yaml'), 'utf8'));
doc.name = 'scale';
doc.network = { ...doc.network, cidr: '10.32.0.0/16', gateway: '10.32.0.1', vip: '10.32.0.10', podCidr: '10.128.0.0/12', metallb: { start: '10.32.255.200', end: '10.32.255.220' } };
doc.controlPlane.ipStart = '10.32.0.11';
doc.workers = [{ ...doc.workers[0], count, ipStart: '10.32.1.1', vmIdStart: 10001 }];
process.stdout.write(yaml.dump(doc, { lineWidth: -1 }));
