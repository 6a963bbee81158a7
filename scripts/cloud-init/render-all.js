#!/usr/bin/env node
/*
 * Renders every node of every cluster spec (plus variants of the HA one covering the other
 * Kubernetes minors, Flux, the gateway-api ingress option, the dedicated load-balancer mode,
 * Debian 12 nodes and every package/chart mirror with a tenant)
 * into OUT_DIR with dummy but format-valid secrets, and extracts each cloud-config's write_files. Used by
 * scripts/verify-cloud-init.sh; needs the compiled lib/ (npx tsc -p .).
 *
 *   node scripts/cloud-init/render-all.js OUT_DIR clusters/lab.yaml clusters/dev.yaml ...
 *
 * Writes OUT_DIR/manifest.json: { cloudConfigs, scripts, haproxy, keepalived, kubeadm, aptPreferences }
 * (paths; kubeadm with the Kubernetes version, aptPreferences with the node OS id) and
 * tenantClusters (names of the renders whose spec declares tenants); scripts
 * include each cluster's upgrade.sh, remove-node.sh, backup-identity.sh and their node parts.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');

const root = path.resolve(__dirname, '..', '..');
const spec = require(path.join(root, 'lib', 'spec'));
const ci = require(path.join(root, 'lib', 'cloud-init'));
// What the node bootstrap takes from the manifests (the privileged namespaces): cloud-init does not import them.
const { manifestFacts } = require(path.join(root, 'lib', 'manifests', 'pod-security'));
const upgrade = require(path.join(root, 'lib', 'upgrade'));
const lifecycle = require(path.join(root, 'lib', 'lifecycle'));

const [outDir, ...files] = process.argv.slice(2);
if (!outDir || files.length === 0) {
  console.error('usage: render-all.js OUT_DIR SPEC.yaml...');
  process.exit(2);
}

// Dummy secrets in the real (v2) formats: token [a-z0-9]{6}.[a-z0-9]{16}, 64-hex certificate key,
// base64 of 32 bytes, 8 base64 characters for VRRP (with + and /, which keepalived -t must accept).
const SECRETS = {
  bootstrapToken: 'abcdef.0123456789abcdef',
  certificateKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
  encryptionKey: Buffer.alloc(32, 7).toString('base64'),
  keepalivedPassword: 'vR+p/1a2',
};

// An armored public key in the format the spec takes (the e2e spec's placeholder key).
const EXAMPLE_KEY = spec.loadSpecFile(path.join(root, 'test', 'e2e', 'cluster', 'e2e.yaml')).model.sources.kubernetesSigningKey;

function variants(file) {
  const doc = spec.parseYaml(fs.readFileSync(file, 'utf8'), file);
  const clone = () => JSON.parse(JSON.stringify(doc));
  const out = [];
  const v131 = clone();
  v131.name = `${doc.name}131`;
  v131.kubernetes = { ...(v131.kubernetes || {}), version: '1.31.4' };
  v131.addons = { ...(v131.addons || {}), gitops: { engine: 'flux', repoUrl: 'https://git.example.internal/platform/clusters.git' } };
  out.push(v131);
  const v132 = clone();
  v132.name = `${doc.name}132`;
  v132.kubernetes = { ...(v132.kubernetes || {}), version: '1.32.2' };
  v132.workers = [];
  // The Gateway API ingress option adds a bootstrap step (its CRDs before Cilium).
  v132.addons = { ...(v132.addons || {}), ingress: { ...(v132.addons?.ingress || {}), controller: 'gateway-api' } };
  out.push(v132);
  const ded = clone();
  ded.name = `${doc.name}lb`;
  ded.loadBalancer = { ...(ded.loadBalancer || {}), mode: 'dedicated' };
  out.push(ded);
  // Debian 12 nodes with the default sources and Cilium.
  const deb = clone();
  deb.name = `${doc.name}deb`;
  deb.nodeOs = 'debian-12';
  out.push(deb);
  // Ubuntu with every mirror (deb822 OS sources, Kubernetes key from the spec, Helm, an OCI chart repository) and Argo CD.
  const mir = clone();
  mir.name = `${doc.name}mir`;
  mir.sources = {
    osPackages: { url: 'http://mirror.example.internal/ubuntu', signingKey: EXAMPLE_KEY },
    kubernetesPackages: { baseUrl: 'http://mirror.example.internal/kubernetes', signingKey: EXAMPLE_KEY },
    helm: { baseUrl: 'http://mirror.example.internal/helm' },
    charts: { repository: 'oci://registry.example.internal/charts' },
  };
  // ... and a tenant: kube-apiserver gets AlwaysPullImages (verify-cis checks CIS 1.2.11 on it).
  mir.addons = { ...(mir.addons || {}), gitops: { engine: 'argocd', repoUrl: 'https://git.example.internal/platform/clusters.git' }, tenants: [{ name: 'verify-tenant' }] };
  out.push(mir);
  return out.map((d) => spec.loadSpecDocument(d, `${file} (variant ${d.name})`).model);
}

const models = files.map((f) => spec.loadSpecFile(f).model);
// Variants of the spec with the most control planes (the HA reference cluster).
const ha = models.reduce((a, b) => (b.controlPlanes.length > a.controlPlanes.length ? b : a));
models.push(...variants(ha.file));

const manifest = { cloudConfigs: [], scripts: [], haproxy: [], keepalived: [], kubeadm: [], aptPreferences: [], tenantClusters: models.filter((m) => m.tenants.length > 0).map((m) => m.name) };
for (const model of models) {
  for (const node of model.nodes) {
    const dir = path.join(outDir, model.name, node.name);
    fs.mkdirSync(dir, { recursive: true });
    const text = ci.renderNodeCloudConfig(model, node, SECRETS, manifestFacts(model));
    const cc = path.join(dir, 'cloud-config.yaml');
    fs.writeFileSync(cc, text);
    manifest.cloudConfigs.push(cc);
    // Extract write_files from the parsed YAML: what cloud-init would write.
    const doc = yaml.load(text);
    for (const f of doc.write_files) {
      const dest = path.join(dir, 'files', f.path);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, f.content, { mode: parseInt(f.permissions, 8) });
      if (f.content.startsWith('#!/bin/bash')) manifest.scripts.push(dest);
      if (f.path.endsWith('/haproxy.cfg')) manifest.haproxy.push(dest);
      if (f.path.endsWith('/keepalived.conf')) manifest.keepalived.push(dest);
      if (/\/kubeadm(-init)?\.yaml$/.test(f.path)) manifest.kubeadm.push({ file: dest, version: model.kubernetes.version });
      if (f.path.startsWith('/etc/apt/preferences.d/')) manifest.aptPreferences.push({ file: dest, version: model.os.id });
    }
  }
}
// Each cluster's upgrade and remove-node scripts, and the node parts they pipe to `bash -s`.
for (const model of models) {
  const dir = path.join(outDir, model.name, 'upgrade');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'upgrade.sh'), upgrade.renderUpgradeScript(model));
  fs.writeFileSync(path.join(dir, 'node-upgrade.sh'), `#!/bin/bash\nPHASE=kubeadm ROLE=first\n${upgrade.renderNodeUpgradeScript(model)}`);
  manifest.scripts.push(path.join(dir, 'upgrade.sh'), path.join(dir, 'node-upgrade.sh'));
  fs.writeFileSync(path.join(dir, 'remove-node.sh'), lifecycle.renderRemoveNodeScript(model));
  fs.writeFileSync(path.join(dir, 'node-remove.sh'), `#!/bin/bash\n${lifecycle.renderRemoveNodePart()}`);
  manifest.scripts.push(path.join(dir, 'remove-node.sh'), path.join(dir, 'node-remove.sh'));
  fs.writeFileSync(path.join(dir, 'backup-identity.sh'), lifecycle.renderBackupIdentityScript(model));
  manifest.scripts.push(path.join(dir, 'backup-identity.sh'));
}
fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
console.log(`rendered ${manifest.cloudConfigs.length} nodes of ${models.map((m) => m.name).join(', ')}`);
