/**
 * The pre-deploy check (scripts/preflight.js, `npm run preflight|deploy|diff`): the credentials the
 * bpg/proxmox provider reads from the environment, by the provider's own rules, and the version of
 * the Terraform binary cdktf runs.
 */
// scripts/ is plain CommonJS (run by node before any build exists).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { compareVersions, credentialIssues, terraformIssues, MIN_TERRAFORM_VERSION } = require('../../scripts/lib/preflight.js') as {
  compareVersions(a: string, b: string): number;
  credentialIssues(env: Record<string, string | undefined>): { issues: string[]; api?: string; ssh?: string };
  terraformIssues(binary: string, versionJson: string | undefined): string[];
  MIN_TERRAFORM_VERSION: string;
};

const TOKEN = 'terraform@pve!provider=00000000-0000-0000-0000-000000000000';
/** The README's environment: an API token, SSH as root through a running agent. */
const README_ENV = { PROXMOX_VE_API_TOKEN: TOKEN, PROXMOX_VE_SSH_USERNAME: 'root', PROXMOX_VE_SSH_AGENT: 'true', SSH_AUTH_SOCK: '/run/agent.sock' };
const without = (name: string) => ({ ...README_ENV, [name]: undefined });

describe('credentialIssues follows the provider: the first complete API credential, then SSH', () => {
  test('GIVEN the README environment WHEN checked THEN nothing is missing and it says what is used', () => {
    const r = credentialIssues(README_ENV);
    expect(r.issues).toEqual([]);
    expect(r.api).toMatch(/API token/);
    expect(r.ssh).toBe('ssh-agent (PROXMOX_VE_SSH_AGENT) as root');
  });

  test('GIVEN an empty environment WHEN checked THEN API, SSH user and SSH authentication are each named', () => {
    const { issues } = credentialIssues({});
    expect(issues).toHaveLength(3);
    expect(issues[0]).toMatch(/PROXMOX_VE_API_TOKEN .*PROXMOX_VE_USERNAME .*PROXMOX_VE_PASSWORD/);
    expect(issues[1]).toMatch(/PROXMOX_VE_SSH_USERNAME is not set/);
    expect(issues[2]).toMatch(/no SSH authentication/);
  });

  test('GIVEN a token without its secret part WHEN checked THEN it is refused like the provider does, without echoing it', () => {
    const { issues } = credentialIssues({ ...README_ENV, PROXMOX_VE_API_TOKEN: 'terraform@pve!provider' });
    expect(issues).toEqual([expect.stringMatching(/not of the form USER@REALM!TOKENID=SECRET/)]);
    expect(issues.join()).not.toContain('terraform@pve!provider ');
  });

  test('GIVEN the agent switched on without a running agent WHEN checked THEN SSH_AUTH_SOCK is asked for', () => {
    expect(credentialIssues(without('SSH_AUTH_SOCK')).issues).toEqual([expect.stringMatching(/SSH_AUTH_SOCK/)]);
    expect(credentialIssues({ ...without('SSH_AUTH_SOCK'), PROXMOX_VE_SSH_AUTH_SOCK: '/run/a.sock' }).issues).toEqual([]);
  });

  test('GIVEN the agent switch as Go parses booleans WHEN checked THEN 1/t/TRUE count and anything else does not', () => {
    for (const on of ['1', 't', 'TRUE', 'True']) expect(credentialIssues({ ...README_ENV, PROXMOX_VE_SSH_AGENT: on }).issues).toEqual([]);
    for (const off of ['yes', 'on', '0', 'false']) {
      expect(credentialIssues({ ...README_ENV, PROXMOX_VE_SSH_AGENT: off }).issues).toEqual([expect.stringMatching(/no SSH authentication/)]);
    }
  });

  test('GIVEN username and password WHEN no SSH variable is set THEN SSH falls back to that user and password', () => {
    const r = credentialIssues({ PROXMOX_VE_USERNAME: 'root@pam', PROXMOX_VE_PASSWORD: 'x' });
    expect(r.issues).toEqual([]);
    expect(r.ssh).toBe('the API password as root');
  });

  test('GIVEN a username without realm WHEN checked THEN the realm is asked for', () => {
    expect(credentialIssues({ PROXMOX_VE_USERNAME: 'root', PROXMOX_VE_PASSWORD: 'x', PROXMOX_VE_SSH_USERNAME: 'root', PROXMOX_VE_SSH_PASSWORD: 'y' }).issues)
      .toEqual([expect.stringMatching(/USER@REALM/)]);
  });

  test('GIVEN a ticket and its CSRF token WHEN checked THEN they are complete API credentials', () => {
    const r = credentialIssues({ ...without('PROXMOX_VE_API_TOKEN'), PROXMOX_VE_AUTH_TICKET: 'a', PROXMOX_VE_CSRF_PREVENTION_TOKEN: 'b' });
    expect(r.issues).toEqual([]);
    expect(r.api).toMatch(/ticket/);
  });
});

describe('terraformIssues wants a binary that runs, at least the minimum version', () => {
  test('GIVEN the pinned Terraform and OpenTofu versions WHEN checked THEN both pass', () => {
    expect(terraformIssues('terraform', '{"terraform_version":"1.8.5"}')).toEqual([]);
    expect(terraformIssues('tofu', '{"terraform_version":"1.12.6"}')).toEqual([]);
  });

  test('GIVEN Terraform 1.5.7 WHEN checked THEN it is refused with the minimum', () => {
    expect(terraformIssues('terraform', '{"terraform_version":"1.5.7"}')).toEqual([`terraform is 1.5.7: the stacks need >= ${MIN_TERRAFORM_VERSION}`]);
  });

  test('GIVEN a binary that does not run WHEN checked THEN the way to build the pinned ones is named', () => {
    expect(terraformIssues('tofu', undefined)).toEqual([expect.stringMatching(/tofu .*does not run.*scripts\/tools\.sh/)]);
  });

  test('GIVEN versions WHEN compared THEN numerically, ignoring a pre-release suffix', () => {
    expect(compareVersions('1.10.0', '1.6.0')).toBe(1);
    expect(compareVersions('1.6.0-beta1', '1.6.0')).toBe(0);
    expect(compareVersions('1.5.7', '1.6')).toBe(-1);
  });
});
