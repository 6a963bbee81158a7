/**
 * A private GitOps repository (addons.gitops.credentials): the Flux root references the operator's
 * Secret, Argo CD gets the Git server's host keys, identically in the bootstrap and in dist/;
 * the secret itself is never rendered anywhere.
 */
import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { formatIssue, loadSpecText } from '../../spec';
import { nodeFiles, NODE_PATHS, renderGitopsRoot } from '../../cloud-init';
import { manifestFacts } from '../../manifests';
import { FAKE_SECRETS } from '../cloud-init/helpers';
import { labModel, render, type K8sObject, type SpecDoc } from './helpers';

const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const HOST_KEYS = `# checked against the server's fingerprint\ngit.lab.example.internal ssh-ed25519 ${KEY}\n\n`;
const SSH_URL = 'ssh://git@git.lab.example.internal/platform/clusters.git';

const ssh = (engine: string) => (d: SpecDoc) => {
  d.addons.gitops = { engine, repoUrl: SSH_URL, credentials: { secretName: 'git-deploy-key', type: 'ssh', knownHosts: HOST_KEYS } };
};
const https = (engine: string) => (d: SpecDoc) => {
  d.addons.gitops = { ...d.addons.gitops, engine, credentials: { secretName: 'git-token', type: 'https' } };
};

function firstControlPlaneFiles(edit: (d: SpecDoc) => void) {
  const model = labModel(edit);
  return { model, files: nodeFiles(model, model.controlPlanes[0]!, FAKE_SECRETS, manifestFacts(model)) };
}

describe('GIVEN a private repository and Flux', () => {
  it.each([['ssh', ssh('flux'), 'git-deploy-key'], ['https', https('flux'), 'git-token']])(
    'WHEN the credentials are %s THEN the bootstrap root and the root in dist/ both reference the Secret by name, with identical specs',
    (_type, edit, secret) => {
      const model = labModel(edit);
      const boot = (yaml.loadAll(renderGitopsRoot(model)!) as K8sObject[]).find((o) => o.kind === 'GitRepository')!;
      const dist = render(model).objects.map((o) => o.obj).find((o) => o.kind === 'GitRepository' && o.metadata.name === 'root')!;
      expect(boot.spec.secretRef).toEqual({ name: secret });
      expect(dist.spec).toEqual(boot.spec);
    },
  );

  it('WHEN there are no credentials THEN no root references a Secret', () => {
    const model = labModel((d) => { d.addons.gitops.engine = 'flux'; });
    expect(renderGitopsRoot(model)).not.toContain('secretRef');
    expect(render(model).objects.some((o) => o.obj.spec?.secretRef)).toBe(false);
  });
});

describe('GIVEN a private repository and Argo CD', () => {
  it('WHEN the credentials are ssh THEN the bootstrap installs Argo CD with the host keys and the GitOps release keeps the same values', () => {
    const { model, files } = firstControlPlaneFiles(ssh('argocd'));
    const values = files.find((f) => f.path === NODE_PATHS.argocdValues);
    expect(values?.permissions).toBe('0600');
    const bootValues = yaml.load(values!.content) as { configs: { ssh: { extraHosts: string } } };
    // Comments and blank lines dropped: exactly the key lines, as Argo CD's known_hosts file reads them.
    expect(bootValues.configs.ssh.extraHosts).toBe(`git.lab.example.internal ssh-ed25519 ${KEY}\n`);
    const release = render(model).objects.map((o) => o.obj).find((o) => o.kind === 'Application' && o.metadata.name === 'argocd')!;
    expect(release.spec.source.helm.valuesObject.configs.ssh).toEqual(bootValues.configs.ssh);
    const script = files.find((f) => f.path === NODE_PATHS.bootstrapScript)!.content;
    expect(script).toContain(`--namespace argocd --create-namespace --values ${NODE_PATHS.argocdValues}`);
    expect(script).toContain('the root syncs once the repository Secret argocd/git-deploy-key exists (dist/lab/SECRETS.md)');
  });

  it('WHEN the credentials are https THEN Argo CD is installed with the chart defaults (no values file) and the root is unchanged', () => {
    const plain = firstControlPlaneFiles(() => {});
    const { files } = firstControlPlaneFiles(https('argocd'));
    expect(files.some((f) => f.path === NODE_PATHS.argocdValues)).toBe(false);
    expect(files.find((f) => f.path === NODE_PATHS.gitopsRoot)).toEqual(plain.files.find((f) => f.path === NODE_PATHS.gitopsRoot));
    expect(files.find((f) => f.path === NODE_PATHS.bootstrapScript)!.content).not.toContain('--values /etc/pve-k8s/argocd-values.yaml');
  });
});

describe('GIVEN any credentials', () => {
  it.each([['flux ssh', ssh('flux')], ['argocd ssh', ssh('argocd')], ['flux https', https('flux')], ['argocd https', https('argocd')]])(
    'WHEN %s is rendered THEN no Secret object and no key material is in dist/ or the node files',
    (_name, edit) => {
      const { model, files } = firstControlPlaneFiles(edit);
      const out = render(model);
      const secretNames = [model.gitops.root!.credentials!.secretName];
      expect(out.objects.filter((o) => o.obj.kind === 'Secret' && secretNames.includes(o.obj.metadata.name))).toEqual([]);
      const everything = [...out.manifests.values(), ...files.map((f) => f.content)].join('\n');
      // A password key may appear only emptied (Harbor's internal database password: the chart default removed).
      expect(everything).not.toMatch(/PRIVATE KEY|sshPrivateKey|password:(?! ""$)/m);
    },
  );
});

describe('GIVEN credentials with engine "none"', () => {
  it('WHEN the spec loads THEN it warns that nothing uses them (and renders no reference)', () => {
    const doc = yaml.load(readFileSync('clusters/lab.yaml', 'utf8')) as SpecDoc;
    https('none')(doc);
    const { model, warnings } = loadSpecText(yaml.dump(doc), 'lab.yaml');
    expect(warnings.map((w) => formatIssue('lab.yaml', w))).toContain(
      'lab.yaml: addons.gitops.credentials: engine "none": no engine uses these credentials (received {"secretName":"git-token","type":"https"})',
    );
    expect(renderGitopsRoot(model)).toBeUndefined();
  });
});
