#!/usr/bin/env node
/*
 * Renders haproxy.cfg, keepalived.conf and check_apiserver.sh of every load-balancer node for a
 * test copy of a cluster spec whose node network is moved into 198.18.0.0/24 (RFC 2544 benchmark
 * space; used only inside the namespaces of scripts/verify-vip-failover.sh): VIP 198.18.0.10,
 * control planes from .11, workers from .21, MetalLB .200-.220. Needs the compiled lib/.
 *
 *   node scripts/vip-failover/render.js SPEC.yaml OUT_DIR KEEPALIVED_PASSWORD
 *
 * Writes OUT_DIR/<node>/{haproxy.cfg,keepalived.conf,check_apiserver.sh} and OUT_DIR/model.json
 * ({ vip, prefix, apiPort, apiServerPort, iface, nodes: [{ name, ip, priority }] }).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');

const root = path.resolve(__dirname, '..', '..');
const spec = require(path.join(root, 'lib', 'spec'));
const ci = require(path.join(root, 'lib', 'cloud-init'));
const { NODE_INTERFACE } = require(path.join(root, 'lib', 'cloud-init', 'paths'));

const [file, outDir, password] = process.argv.slice(2);
if (!file || !outDir || !password) {
  console.error('usage: render.js SPEC.yaml OUT_DIR KEEPALIVED_PASSWORD');
  process.exit(2);
}
const doc = yaml.load(fs.readFileSync(file, 'utf8'));
doc.network = { ...doc.network, cidr: '198.18.0.0/24', gateway: '198.18.0.1', vip: '198.18.0.10', metallb: { start: '198.18.0.200', end: '198.18.0.220' } };
doc.controlPlane = { ...doc.controlPlane, ipStart: '198.18.0.11' };
(doc.workers || []).forEach((w, i) => { w.ipStart = `198.18.0.${21 + 10 * i}`; });
const text = yaml.dump(doc);
const { model } = spec.loadSpecText(text, `${file} (198.18.0.0/24 test copy)`);
if (model.loadBalancers.length > 0) throw new Error('expected co-located load balancers (control planes run HAProxy + Keepalived)');
const secrets = { ...ci.PLACEHOLDER_SECRETS, keepalivedPassword: password };
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'spec.yaml'), text);
const nodes = model.loadBalancer.nodes.map((node, i) => {
  const dir = path.join(outDir, node.name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'haproxy.cfg'), ci.renderHaproxyConfig(model, node));
  fs.writeFileSync(path.join(dir, 'keepalived.conf'), ci.renderKeepalivedConfig(model, node, secrets));
  fs.writeFileSync(path.join(dir, 'check_apiserver.sh'), ci.renderKeepalivedCheckScript(model, node), { mode: 0o755 });
  return { name: node.name, ip: node.ip, priority: ci.keepalivedPriority(i) };
});
const n = model.network;
fs.writeFileSync(path.join(outDir, 'model.json'), JSON.stringify({
  vip: n.vip, prefix: n.prefix, apiPort: n.apiPort, apiServerPort: n.apiServerPort, iface: NODE_INTERFACE, nodes,
}, null, 1));
console.log(`${model.name}: ${nodes.map((x) => `${x.name} ${x.ip} prio ${x.priority}`).join(', ')}; VIP ${n.vip}:${n.apiPort}`);
