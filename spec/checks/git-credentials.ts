/** addons.gitops.credentials: the Secret that opens a private repository must fit the URL and the engine. */
import type { ClusterSpec } from '../schema';
import type { Report } from './report';

const PATH = ['addons', 'gitops', 'credentials'] as const;

/**
 * How known_hosts names the server of an SSH repository URL: `host`, or `[host]:port` for another
 * port than 22. Undefined for a URL that is not SSH.
 */
export function sshKnownHostsName(url: string): string | undefined {
  const scp = /^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):(?!\/\/)/.exec(url);
  if (scp) return scp[1]!.toLowerCase();
  const ssh = /^ssh:\/\/(?:[^@/]+@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?(?:\/|$)/i.exec(url);
  if (!ssh) return undefined;
  const host = ssh[1]!.replace(/^\[|\]$/g, '').toLowerCase();
  return ssh[2] === undefined || ssh[2] === '22' ? host : `[${host}]:${ssh[2]}`;
}

export function gitCredentialsRules(spec: ClusterSpec, report: Report): void {
  const g = spec.addons.gitops;
  const c = g.credentials;
  if (!c) return;
  if (g.repoUrl === undefined) {
    report.error([...PATH], 'credentials need addons.gitops.repoUrl, the repository they open', c);
    return;
  }
  if (g.engine === 'none') report.warn([...PATH], 'engine "none": no engine uses these credentials', c);
  if (g.engine === 'argocd' && c.secretName.startsWith('argocd-')) {
    report.error([...PATH, 'secretName'], 'names starting with "argocd-" belong to Argo CD\'s own Secrets (argocd-secret, argocd-redis ...); pick another', c.secretName);
  }
  const host = sshKnownHostsName(g.repoUrl);
  if (c.type === 'https') {
    if (!/^https:\/\//i.test(g.repoUrl)) report.error([...PATH, 'type'], `type https sends a user name and token: repoUrl must be an https:// URL (it is ${JSON.stringify(g.repoUrl)})`, c.type);
    if (c.knownHosts !== undefined) report.error([...PATH, 'knownHosts'], 'host keys belong to type ssh; remove knownHosts or use type ssh', c.knownHosts);
    return;
  }
  if (host === undefined) {
    report.error([...PATH, 'type'], `type ssh needs an ssh://user@host/path repoUrl${g.engine === 'flux' ? '' : ' (or user@host:path)'} (it is ${JSON.stringify(g.repoUrl)})`, c.type);
    return;
  }
  if (c.knownHosts === undefined) {
    report.error([...PATH, 'knownHosts'], `type ssh needs the host keys of ${host} (ssh-keyscan${host.startsWith('[') ? ` -p ${host.split(':').pop()}` : ''} ${host.replace(/^\[|\]:\d+$/g, '')}): both engines refuse unknown host keys`, undefined);
    return;
  }
  const names = c.knownHosts.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.split(' ')[0]!);
  // Hashed names (ssh-keyscan -H: |1|salt|hash) cannot be compared: trusted as given.
  const covered = names.some((n) => n.startsWith('|1|') || n.split(',').some((h) => h.toLowerCase() === host));
  if (!covered) {
    report.error([...PATH, 'knownHosts'], `no line names ${host}, the server of repoUrl (host names found: ${[...new Set(names)].join(', ')})`, c.knownHosts);
  }
}
