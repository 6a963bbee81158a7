import * as yaml from 'js-yaml';
import { NODE_PATHS, PLACEHOLDER_SECRETS, renderNodeCloudConfig, renderReviewCopies } from '../../cloud-init';
import { cloudConfig, dev, FAKE_SECRETS, fileIn, lab, labDedicated, MARKER_SECRETS, node, paths } from './helpers';
import { manifestFacts } from '../../manifests';
import { HELM_DOWNLOAD } from '../../spec';

describe('cloud-config document', () => {
  const models = [lab(), dev(), labDedicated()];
  const everyNode = models.flatMap((m) => m.nodes.map((n) => [m.loadBalancers.length > 0 ? `${m.name} (dedicated LB)` : m.name, n.name, m, n] as const));

  test.each(everyNode)('%s/%s starts with #cloud-config and parses as a YAML mapping', (_c, _n, model, n) => {
    // GIVEN a node WHEN its cloud-config is rendered
    const text = renderNodeCloudConfig(model, n, FAKE_SECRETS, manifestFacts(model));
    // THEN it is a #cloud-config YAML mapping with files and a bootstrap run
    expect(text.startsWith('#cloud-config\n')).toBe(true);
    const doc = yaml.load(text) as Record<string, unknown>;
    expect(typeof doc).toBe('object');
    expect(doc.write_files).toEqual(expect.any(Array));
    expect(doc.runcmd).toEqual([['bash', NODE_PATHS.bootstrapScript]]);
  });

  test.each(everyNode)('%s/%s renders deterministically (twice -> equal)', (_c, _n, model, n) => {
    expect(renderNodeCloudConfig(model, n, FAKE_SECRETS, manifestFacts(model))).toBe(renderNodeCloudConfig(model, n, FAKE_SECRETS, manifestFacts(model)));
  });

  test('sets hostname, FQDN and the spec SSH user with its keys only (no password login)', () => {
    const cc = cloudConfig(lab(), 'lab-worker-2');
    expect(cc.hostname).toBe('lab-worker-2');
    expect(cc.fqdn).toBe('lab-worker-2.lab.example.internal');
    expect(cc.ssh_pwauth).toBe(false);
    expect(cc.users).toEqual([
      expect.objectContaining({ name: 'ubuntu', lock_passwd: true, ssh_authorized_keys: lab().ssh.authorizedKeys }),
    ]);
  });

  test('review copies use placeholders and still parse as YAML', () => {
    // GIVEN the lab cluster WHEN review copies are rendered
    const copies = renderReviewCopies(lab(), manifestFacts(lab()));
    // THEN there is one per node, under nodes/, with placeholders in place of secrets
    expect(copies.map((c) => c.path)).toEqual(lab().nodes.map((n) => `nodes/${n.name}.cloud-config.yaml`));
    for (const c of copies) expect(() => yaml.load(c.content)).not.toThrow();
    const cp1 = yaml.load(copies[0]!.content) as { write_files: { path: string; content: string }[] };
    const kubeadm = cp1.write_files.find((f) => f.path === NODE_PATHS.kubeadmConfig)!.content;
    expect(kubeadm).toContain(`token: "${PLACEHOLDER_SECRETS.bootstrapToken}"`);
    expect(kubeadm).toContain(`certificateKey: "${PLACEHOLDER_SECRETS.certificateKey}"`);
    expect(() => yaml.loadAll(kubeadm)).not.toThrow();
  });

  test('review copies contain no secret-looking literal', () => {
    const secretShapes = [
      /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/, // bootstrap token
      /\b[0-9a-f]{64}\b/, // certificate key
      /[A-Za-z0-9+/]{43}=/, // 32-byte base64 key
      /auth_pass (?!<)/, // VRRP password that is not a placeholder
    ];
    // Published checksums (the Helm tarballs' SHA-256) have a certificate key's shape but are public.
    const published = Object.values(HELM_DOWNLOAD.sha256);
    for (const model of [lab(), dev(), labDedicated()]) {
      for (const copy of renderReviewCopies(model, manifestFacts(model))) {
        const content = published.reduce((text, sum) => text.replaceAll(sum, '<published sha256>'), copy.content);
        for (const re of secretShapes) expect({ path: copy.path, hit: re.exec(content)?.[0] }).toEqual({ path: copy.path, hit: undefined });
      }
    }
  });

  test('secret values are inserted verbatim, and only into root-only files', () => {
    // GIVEN the markers the infra layer passes
    const model = lab();
    for (const n of model.nodes) {
      const cc = cloudConfig(model, n.name, MARKER_SECRETS);
      for (const f of cc.write_files) {
        const holds = Object.values(MARKER_SECRETS).some((m) => f.content.includes(m));
        // THEN a file holding a secret is mode 0600 and is not a script
        if (holds) expect({ path: f.path, permissions: f.permissions }).toEqual({ path: f.path, permissions: '0600' });
      }
    }
    const cp1 = cloudConfig(model, 'lab-cp-1', MARKER_SECRETS);
    expect(fileIn(cp1, NODE_PATHS.kubeadmConfig)).toContain('"@@TF_BOOTSTRAP_TOKEN@@"');
    expect(fileIn(cp1, NODE_PATHS.kubeadmConfig)).toContain('"@@TF_CERTIFICATE_KEY@@"');
    expect(fileIn(cp1, NODE_PATHS.encryptionConfig)).toContain('"@@TF_ENCRYPTION_KEY@@"');
    expect(fileIn(cp1, NODE_PATHS.keepalivedConfig)).toContain('auth_pass @@TF_VRRP@@');
    expect(fileIn(cp1, NODE_PATHS.bootstrapScript)).not.toMatch(/@@TF_/);
  });

  test('the worker gets its join secret but no encryption key, certificate key or VRRP password', () => {
    const text = renderNodeCloudConfig(lab(), node(lab(), 'lab-worker-1'), MARKER_SECRETS, manifestFacts(lab()));
    expect(text).toContain('@@TF_BOOTSTRAP_TOKEN@@');
    expect(text).not.toContain('@@TF_CERTIFICATE_KEY@@');
    expect(text).not.toContain('@@TF_ENCRYPTION_KEY@@');
    expect(text).not.toContain('@@TF_VRRP@@');
  });

  test('files a package also ships are written after package installation (defer)', () => {
    const cc = cloudConfig(lab(), 'lab-cp-1');
    const deferred = cc.write_files.filter((f) => f.defer).map((f) => f.path);
    expect(deferred).toEqual(expect.arrayContaining([NODE_PATHS.containerdConfig, NODE_PATHS.haproxyConfig, NODE_PATHS.keepalivedConfig]));
    expect(deferred).not.toContain(NODE_PATHS.bootstrapScript);
  });

  test('file paths are unique within a cloud-config', () => {
    for (const n of lab().nodes) {
      const p = paths(cloudConfig(lab(), n.name));
      expect(new Set(p).size).toBe(p.length);
    }
  });
});
