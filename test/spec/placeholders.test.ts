/** Synth warns about each field still holding an example value (the list: spec/checks/placeholders.ts). */
import { placeholderIn, placeholderWarnings } from '../../spec/checks/placeholders';
import { formatIssue, loadSpecFile } from '../../spec';
import { labDoc, load } from './helpers';

describe('example values (placeholders)', () => {
  test('GIVEN the reference lab.yaml WHEN loaded THEN each of its example values is a warning in file: field: message form', () => {
    const { warnings } = loadSpecFile('clusters/lab.yaml');
    const lines = warnings.map((w) => formatIssue('clusters/lab.yaml', w)).filter((l) => l.includes('still an example value'));
    expect(lines).toEqual([
      'clusters/lab.yaml: domain: still an example value (the example domain example.internal): replace it with yours before deploying (received "lab.example.internal")',
      'clusters/lab.yaml: proxmox.endpoint: still an example value (the example domain example.internal): replace it with yours before deploying (received "https://pve1.lab.example.internal:8006/")',
      'clusters/lab.yaml: ssh.authorizedKeys[0]: still an example value (the sample SSH key of the reference specs): replace it with yours before deploying (received "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHb6c2F0pXvYc0Qk8wBq1d7n3p4u9mGm0cCq2bY1x5Zt admin@lab")',
      'clusters/lab.yaml: addons.gitops.repoUrl: still an example value (the example domain example.internal): replace it with yours before deploying (received "https://git.lab.example.internal/platform/clusters.git")',
      'clusters/lab.yaml: addons.certManager.acmeEmail: still an example value (the example domain example.internal): replace it with yours before deploying (received "platform@lab.example.internal")',
      'clusters/lab.yaml: addons.backups.s3.endpoint: still an example value (the example domain example.internal): replace it with yours before deploying (received "https://s3.lab.example.internal")',
    ]);
  });

  test('GIVEN lab.yaml with every example value replaced WHEN loaded THEN no placeholder warning is left', () => {
    const doc = labDoc();
    doc.domain = 'k8s.acme.net';
    doc.proxmox.endpoint = 'https://pve1.acme.net:8006/';
    doc.ssh.authorizedKeys = ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK0bSomethingElseEntirely0000000000000000000 ops@acme'];
    doc.addons.gitops.repoUrl = 'https://git.acme.net/platform/example.git';
    doc.addons.certManager.acmeEmail = 'ops@acme.net';
    doc.addons.backups.s3.endpoint = 'https://s3.acme.net';
    expect(load(doc).warnings.filter((w) => w.message.includes('example value'))).toEqual([]);
  });

  test.each([
    ['https://git.example.com/x.git', 'the example domain example.com'],
    ['admin@EXAMPLE.ORG', 'the example domain example.org'],
    ['https://git.example/platform.git', 'the example top-level domain .example'],
    ['example.net', 'the example domain example.net'],
  ])('GIVEN %s WHEN checked THEN it is an example value (%s)', (text, what) => {
    expect(placeholderIn(text)).toBe(what);
  });

  test.each(['https://github.com/example/platform.git', 'https://notexample.com/x', 'https://example.com.acme.net/', 'my-example.internals.net'])(
    'GIVEN %s (a real name that merely contains "example") WHEN checked THEN it is not flagged',
    (text) => expect(placeholderIn(text)).toBeUndefined(),
  );

  test('GIVEN the editor hint $schema WHEN checked THEN it is never flagged', () => {
    expect(placeholderWarnings({ $schema: 'https://schemas.example.com/cluster.json' })).toEqual([]);
  });
});
