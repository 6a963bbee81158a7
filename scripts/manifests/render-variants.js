// Renders every clusters/*.yaml into <out>/<name>/ as written, and into <out>/flux/<name>/ with
// addons.gitops.engine = "flux", and into <out>/options/<name>/ with S3 backups (Velero), a
// tenant (with its own MetalLB range), HTTPS repository credentials, SOPS decryption and signed commits as well, into <out>/trust/<name>/ the same
// with Argo CD, single sign-on and the server's ingress allowlist, and into <out>/gateway/<name>/ (as specified) and <out>/gateway-flux/<name>/ with
// addons.ingress.controller = "gateway-api" (and SSH repository credentials), so verify covers both GitOps renderings, the Gateway
// API option and the optional objects.
// Usage: node scripts/manifests/render-variants.js <out>   (after `npx tsc -p .`)
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const yaml = require('js-yaml');
const root = join(__dirname, '..', '..');
const { loadSpecText, specFilesIn } = require(join(root, 'lib', 'spec'));
const { synthManifests } = require(join(root, 'lib', 'manifests'));

const out = process.argv[2];
if (!out) throw new Error('usage: render-variants.js <outdir>');
for (const file of specFilesIn(join(root, 'clusters'))) {
  const doc = yaml.load(readFileSync(file, 'utf8'));
  const { model } = loadSpecText(yaml.dump(doc), file);
  synthManifests(model, join(out, model.name));
  doc.addons = { ...(doc.addons ?? {}), gitops: { ...(doc.addons?.gitops ?? {}), engine: 'flux' } };
  synthManifests(loadSpecText(yaml.dump(doc), file).model, join(out, 'flux', model.name));
  // Options the reference specs leave off: S3 (etcd upload + Velero) and a tenant namespace.
  doc.addons.backups = { ...(doc.addons.backups ?? {}), s3: { endpoint: 'https://s3.verify.invalid', bucket: `${model.name}-backups` } };
  // The tenant has its own MetalLB range (an IPAddressPool checked against the CRD): the 10th to
  // 13th addresses after the platform pool (the spec loader refuses it if that is not free).
  const after = (ip, n) => { const v = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0) + n; return [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.'); };
  const loadBalancerAddresses = { start: after(doc.network.metallb.end, 10), end: after(doc.network.metallb.end, 13) };
  doc.addons.tenants = [{ name: 'verify-tenant', adminGroups: ['verify-admins'], viewGroups: ['verify-viewers'], loadBalancerAddresses }];
  // A private repository over HTTPS (Flux: the root GitRepository's secretRef).
  // ... and SOPS-encrypted Secrets in apps/<name>/ (the Kustomization apps decrypts; a throwaway key's public half).
  if (doc.addons.gitops.repoUrl) {
    doc.addons.gitops.credentials = { secretName: 'verify-git-token', type: 'https' };
    doc.addons.gitops.sops = { ageRecipients: ['age1u9dfdgma289g2fuxj34akw5vw3e404qwx2tthdrev2xw9q6nyc9st60fzn'] };
  }
  // ... and GitOps trust: signed commits only, a cluster-scoped kind granted to apps/<name>/.
  if (doc.addons.gitops.repoUrl) {
    doc.addons.gitops.commitSigning = { keyIds: ['4AEE18F83AFDEB23'] };
    doc.addons.gitops.appsClusterKinds = ['Namespace'];
  }
  synthManifests(loadSpecText(yaml.dump(doc), file).model, join(out, 'options', model.name));
  // Argo CD with the same options, single sign-on and the server's ingress allowlist (F5 NGINX Policy).
  const argo = yaml.load(yaml.dump(doc));
  argo.addons.gitops = { ...argo.addons.gitops, engine: 'argocd', sops: undefined };
  delete argo.addons.gitops.sops;
  argo.addons.gitops.argocd = {
    oidc: { issuer: 'https://sso.verify.invalid/realms/platform', clientId: 'argocd', adminGroups: ['platform-admins'] },
    ingressAllowlist: ['198.18.0.0/24'],
  };
  synthManifests(loadSpecText(yaml.dump(argo), file).model, join(out, 'trust', model.name));
  // The Gateway API ingress option (Cilium Gateway, HTTPRoutes, CRDs from Git), with either engine.
  const gw = yaml.load(readFileSync(file, 'utf8'));
  gw.addons = { ...(gw.addons ?? {}), ingress: { ...(gw.addons?.ingress ?? {}), controller: 'gateway-api' } };
  // A private repository over SSH (Argo CD: the host keys in its chart values; Flux: secretRef).
  if (gw.addons.gitops?.repoUrl) {
    gw.addons.gitops = {
      ...gw.addons.gitops, repoUrl: 'ssh://git@git.verify.invalid/platform/clusters.git',
      credentials: { secretName: 'verify-deploy-key', type: 'ssh', knownHosts: 'git.verify.invalid ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n' },
    };
  }
  synthManifests(loadSpecText(yaml.dump(gw), file).model, join(out, 'gateway', model.name));
  gw.addons.gitops = { ...(gw.addons.gitops ?? {}), engine: 'flux' };
  synthManifests(loadSpecText(yaml.dump(gw), file).model, join(out, 'gateway-flux', model.name));
  console.log(`[verify-manifests] rendered ${model.name} (as specified; flux; flux + s3/velero + tenant (+ https repo credentials, sops, signed commits); the same with Argo CD (+ OIDC, ingress allowlist); gateway-api (+ ssh repo credentials); gateway-api + flux (+ ssh repo credentials))`);
}
