// Pre-deploy checks (scripts/preflight.js, `npm run preflight|deploy|diff`): is the environment
// the bpg/proxmox provider reads its credentials from complete, and is the Terraform binary cdktf
// will run there and new enough? Pure functions of the environment and a version string; they name
// variables, never print their values. The rules are the provider's own (v0.80.0,
// fwprovider/provider.go and proxmox/api/credentials.go): the first complete API credential wins
// (token, then ticket, then username + password); SSH (our stacks upload cloud-init snippets over
// SSH) falls back to the API user and password only with username/password credentials.
'use strict';

/** Terraform and OpenTofu: the S3 backend's `endpoints` and `use_path_style` (written for a spec'd
 * `state.s3.endpoint`) first exist in 1.6 (Terraform 1.5.7 and 1.6.0 sources compared); OpenTofu
 * starts at 1.6. `terraform_data` needs 1.4. */
const MIN_TERRAFORM_VERSION = '1.6.0';

// proxmox/api/credentials.go: newTokenCredentials.
const API_TOKEN = /^\S+@\S+!\S+=([a-zA-Z0-9-]+)$/;

/** Go's strconv.ParseBool, which the provider's GetAnyBoolEnv uses. */
function goBool(value) {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value ?? '');
}

/**
 * @param {Record<string, string | undefined>} env
 * @returns {{ issues: string[], api?: string, ssh?: string }} what is missing or malformed, and
 *   which API and SSH authentication the provider will use when nothing is.
 */
function credentialIssues(env) {
  const set = (name) => (env[name] ?? '') !== '';
  const issues = [];
  let api;
  let userCredentials = false;
  if (set('PROXMOX_VE_API_TOKEN')) {
    if (API_TOKEN.test(env.PROXMOX_VE_API_TOKEN)) api = 'API token (PROXMOX_VE_API_TOKEN)';
    else issues.push('PROXMOX_VE_API_TOKEN is not of the form USER@REALM!TOKENID=SECRET (for example terraform@pve!provider=<uuid>)');
  } else if (set('PROXMOX_VE_AUTH_TICKET') && set('PROXMOX_VE_CSRF_PREVENTION_TOKEN')) {
    api = 'ticket (PROXMOX_VE_AUTH_TICKET, PROXMOX_VE_CSRF_PREVENTION_TOKEN)';
  } else if (set('PROXMOX_VE_USERNAME') && set('PROXMOX_VE_PASSWORD')) {
    if (env.PROXMOX_VE_USERNAME.includes('@')) {
      api = 'username and password (PROXMOX_VE_USERNAME, PROXMOX_VE_PASSWORD)';
      userCredentials = true;
    } else issues.push('PROXMOX_VE_USERNAME must name the realm too, as USER@REALM (for example root@pam)');
  } else {
    issues.push(
      'no Proxmox VE API credentials: set PROXMOX_VE_API_TOKEN (USER@REALM!TOKENID=SECRET), ' +
        'or PROXMOX_VE_USERNAME (USER@REALM) and PROXMOX_VE_PASSWORD',
    );
  }

  // SSH: snippets (each node's cloud-config) are uploaded over SSH to every PVE host.
  // A user name is no secret: said back as the provider will log in.
  const sshUser = set('PROXMOX_VE_SSH_USERNAME')
    ? env.PROXMOX_VE_SSH_USERNAME
    : userCredentials
      ? env.PROXMOX_VE_USERNAME.split('@')[0]
      : undefined;
  if (sshUser === undefined) {
    issues.push('PROXMOX_VE_SSH_USERNAME is not set: cloud-init snippets are uploaded over SSH (usually as root), and an API token names no SSH user');
  }
  let sshAuth;
  if (set('PROXMOX_VE_SSH_PRIVATE_KEY')) sshAuth = 'private key (PROXMOX_VE_SSH_PRIVATE_KEY)';
  else if (set('PROXMOX_VE_SSH_PASSWORD')) sshAuth = 'password (PROXMOX_VE_SSH_PASSWORD)';
  else if (goBool(env.PROXMOX_VE_SSH_AGENT)) {
    if (set('SSH_AUTH_SOCK') || set('PROXMOX_VE_SSH_AUTH_SOCK')) sshAuth = 'ssh-agent (PROXMOX_VE_SSH_AGENT)';
    else issues.push('PROXMOX_VE_SSH_AGENT is on but neither SSH_AUTH_SOCK nor PROXMOX_VE_SSH_AUTH_SOCK is set: start ssh-agent and ssh-add the key');
  } else if (userCredentials) sshAuth = 'the API password';
  else {
    issues.push('no SSH authentication: set PROXMOX_VE_SSH_AGENT=true (with a running ssh-agent), PROXMOX_VE_SSH_PRIVATE_KEY or PROXMOX_VE_SSH_PASSWORD');
  }
  const ssh = sshUser !== undefined && sshAuth !== undefined ? `${sshAuth} as ${sshUser}` : undefined;
  return { issues, api, ssh };
}

/** -1, 0, 1 as a is older, equal, newer than b (dotted numeric versions; a pre-release suffix is ignored). */
function compareVersions(a, b) {
  const pa = a.split('-')[0].split('.').map(Number);
  const pb = b.split('-')[0].split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/**
 * @param {string} binary what cdktf runs (TERRAFORM_BINARY_NAME, default terraform)
 * @param {string | undefined} versionJson the output of `<binary> version -json`, undefined if it did not run
 * @returns {string[]} issues
 */
function terraformIssues(binary, versionJson) {
  if (versionJson === undefined) {
    return [`${binary} (TERRAFORM_BINARY_NAME, default terraform) does not run: install Terraform or OpenTofu >= ${MIN_TERRAFORM_VERSION}, or build the pinned ones (bash scripts/tools.sh && source scripts/tools-env.sh)`];
  }
  let version;
  try {
    version = JSON.parse(versionJson).terraform_version;
  } catch {
    version = undefined;
  }
  if (typeof version !== 'string') return [`${binary} version -json printed no terraform_version`];
  return compareVersions(version, MIN_TERRAFORM_VERSION) < 0 ? [`${binary} is ${version}: the stacks need >= ${MIN_TERRAFORM_VERSION}`] : [];
}

module.exports = { MIN_TERRAFORM_VERSION, compareVersions, credentialIssues, terraformIssues };
