/**
 * The kubelet serving CSR approver run for real: kubectl is a stub answering from a list of Nodes
 * and CSRs (in the line format of the script's jsonpath templates; the last test checks that format
 * against a real kubectl), and the CSRs are real ones made by openssl. No network; a temp folder only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapSteps, KUBELET_CSR_APPROVER, NODE_PATHS, renderKubeletCsrApproverScript, renderKubeletCsrApproverTimer } from '../../cloud-init';
import { cloudConfig, lab, node } from './helpers';

interface Node { readonly name: string; readonly addresses: readonly [type: string, address: string][] }
interface Csr {
  readonly name: string;
  readonly signerName?: string;
  readonly username: string;
  readonly groups?: readonly string[];
  readonly usages?: readonly string[];
  readonly conditions?: readonly string[];
  /** The PEM request (base64-encoded by the stub, as the API does). */
  readonly pem: string;
}

const NODES: Node[] = [
  { name: 'lab-cp-1', addresses: [['InternalIP', '198.18.0.11'], ['Hostname', 'lab-cp-1']] },
  { name: 'lab-worker-1', addresses: [['InternalIP', '198.18.0.21'], ['Hostname', 'lab-worker-1']] },
  { name: 'lab-worker-2', addresses: [['InternalIP', '198.18.0.22'], ['Hostname', 'lab-worker-2']] },
];

/** A real PKCS#10 request from openssl (a fresh EC key each time). */
function opensslCsr(subject: string, sans: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pve-k8s-csr-'));
  try {
    const args = ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key'), '-subj', subject];
    return execFileSync('openssl', sans ? [...args, '-addext', `subjectAltName=${sans}`] : args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const kubeletCsr = (node: string, sans: string) => opensslCsr(`/O=system:nodes/CN=system:node:${node}`, sans);

/** A kubelet's serving CSR as the kubelet makes it; `change` gives the one deliberate difference. */
function csr(name: string, node: string, change: Partial<Csr> = {}): Csr {
  const n = NODES.find((x) => x.name === node);
  const sans = n ? `DNS:${node},IP:${n.addresses[0]![1]}` : `DNS:${node}`;
  return {
    name, signerName: KUBELET_CSR_APPROVER.signerName, username: `system:node:${node}`, groups: ['system:nodes', 'system:authenticated'],
    usages: ['digital signature', 'server auth'], pem: kubeletCsr(node, sans), ...change,
  };
}

// The lines the script's jsonpath templates make of the API's objects.
const nodeLines = (nodes: readonly Node[]) => nodes.map((n) => `${n.name}|${n.addresses.map(([t, a]) => `${t}=${a} `).join('')}\n`).join('');
const csrLines = (csrs: readonly Csr[]) => csrs.map((c) => [
  c.name, c.signerName ?? '', c.username, (c.groups ?? []).join(' '), (c.conditions ?? []).join(' '),
  JSON.stringify(c.usages ?? []), Buffer.from(c.pem).toString('base64'),
].join('|') + '\n').join('');

const KUBECTL = String.raw`#!/bin/bash
echo "kubectl $*" >>"$T/calls"
[[ -f "$T/down" ]] && { echo "The connection to the server was refused" >&2; exit 1; }
case "$*" in
  *"get nodes -o jsonpath="*) cat "$T/nodes" ;;
  *"get csr -o jsonpath="*) cat "$T/csrs" ;;
  *"certificate approve "*) echo "${'$'}{@: -1}" >>"$T/approved" ;;
  *) echo "unexpected kubectl $*" >&2; exit 3 ;;
esac
`;

function runApprover(csrs: readonly Csr[], { nodes = NODES, runs = 1, apiDown = false }: { nodes?: readonly Node[]; runs?: number; apiDown?: boolean } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'pve-k8s-approver-'));
  try {
    const bin = join(tmp, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'kubectl'), KUBECTL);
    chmodSync(join(bin, 'kubectl'), 0o755);
    writeFileSync(join(tmp, 'nodes'), nodeLines(nodes));
    writeFileSync(join(tmp, 'csrs'), csrLines(csrs));
    writeFileSync(join(tmp, 'approver'), renderKubeletCsrApproverScript());
    if (apiDown) writeFileSync(join(tmp, 'down'), '');
    let stderr = '';
    let status: number | null = 0;
    for (let i = 0; i < runs; i++) {
      const r = spawnSync('bash', [join(tmp, 'approver')], {
        env: { PATH: `${bin}:/usr/bin:/bin`, T: tmp, PVE_K8S_CSR_STATE: join(tmp, 'state'), PVE_K8S_KUBECONFIG: join(tmp, 'admin.conf') },
        encoding: 'utf8',
      });
      stderr += r.stderr;
      status = status || r.status;
    }
    const read = (f: string) => (existsSync(join(tmp, f)) ? readFileSync(join(tmp, f), 'utf8').split('\n').filter(Boolean) : []);
    return { status, stderr, approved: read('approved'), calls: read('calls') };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describe('kubelet serving CSR approver: approves only a kubelet asking for its own Node\'s names', () => {
  test('GIVEN the serving CSRs kubelets make (DNS name + InternalIP of their Node) WHEN it runs THEN each is approved with the admin kubeconfig', () => {
    const out = runApprover([csr('csr-cp1', 'lab-cp-1'), csr('csr-w1', 'lab-worker-1')]);
    expect(out.status).toBe(0);
    expect(out.approved).toEqual(['csr-cp1', 'csr-w1']);
    expect(out.calls.filter((c) => c.includes('certificate approve'))[0]).toMatch(/--kubeconfig \S+admin\.conf certificate approve csr-cp1$/);
    expect(out.stderr).toContain('csr-w1 approved: serving certificate of lab-worker-1');
  });

  test.each([
    ['an extra SAN (a name the Node does not report)', csr('c', 'lab-worker-1', { pem: kubeletCsr('lab-worker-1', 'DNS:lab-worker-1,IP:198.18.0.21,DNS:kubernetes.default') }), /SAN DNS:kubernetes.default is not an address of Node lab-worker-1/],
    ["another Node's IP", csr('c', 'lab-worker-1', { pem: kubeletCsr('lab-worker-1', 'DNS:lab-worker-1,IP:198.18.0.22') }), /SAN IP Address:198.18.0.22 is not an address of Node lab-worker-1 alone \(reported by: lab-worker-2\)/],
    ["another Node's name", csr('c', 'lab-worker-1', { pem: kubeletCsr('lab-worker-1', 'DNS:lab-cp-1,IP:198.18.0.21') }), /SAN DNS:lab-cp-1 is not an address of Node lab-worker-1/],
    ['an e-mail SAN', csr('c', 'lab-worker-1', { pem: kubeletCsr('lab-worker-1', 'DNS:lab-worker-1,email:a@b.c') }), /neither a DNS name nor an IP address/],
    ['no SAN at all', csr('c', 'lab-worker-1', { pem: kubeletCsr('lab-worker-1', '') }), /no subject alternative name/],
    ['the wrong signer (a client certificate for the API)', csr('c', 'lab-worker-1', { signerName: 'kubernetes.io/kube-apiserver-client' }), null],
    ['the wrong user (a service account)', csr('c', 'lab-worker-1', { username: 'system:serviceaccount:default:x' }), /requested by system:serviceaccount:default:x, not a node/],
    ['one node asking for another node', csr('c', 'lab-worker-1', { username: 'system:node:lab-worker-2' }), /subject CN=system:node:lab-worker-1,O=system:nodes, not CN=system:node:lab-worker-2/],
    ['a node user outside group system:nodes', csr('c', 'lab-worker-1', { groups: ['system:authenticated'] }), /not in group system:nodes/],
    ['a Node that does not exist', csr('c', 'lab-worker-9'), /no Node lab-worker-9/],
    ['a client-auth usage', csr('c', 'lab-worker-1', { usages: ['digital signature', 'server auth', 'client auth'] }), /usage client auth is not for a kubelet serving certificate/],
    ['no server-auth usage', csr('c', 'lab-worker-1', { usages: ['digital signature'] }), /lack server auth/],
    ['a subject outside system:nodes', csr('c', 'lab-worker-1', { pem: opensslCsr('/O=system:masters/CN=system:node:lab-worker-1', 'DNS:lab-worker-1,IP:198.18.0.21') }), /subject .*O=system:masters/],
    ['a request that is not a CSR', csr('c', 'lab-worker-1', { pem: 'not a request' }), /does not parse/],
  ])('GIVEN a kubelet-serving CSR with %s WHEN it runs THEN it stays pending', (_what, bad, logged) => {
    const out = runApprover([bad, csr('good', 'lab-cp-1')]);
    expect(out.status).toBe(0);
    expect(out.approved).toEqual(['good']);
    if (logged) expect(out.stderr).toMatch(logged);
    else expect(out.stderr).not.toMatch(/\bc left pending/);
  });

  test('GIVEN two Nodes reporting the same IP WHEN a kubelet asks for it THEN neither may have it', () => {
    const nodes: Node[] = [...NODES, { name: 'lab-worker-3', addresses: [['InternalIP', '198.18.0.21'], ['Hostname', 'lab-worker-3']] }];
    const out = runApprover([csr('c', 'lab-worker-1')], { nodes });
    expect(out.approved).toEqual([]);
    expect(out.stderr).toMatch(/SAN IP Address:198.18.0.21 is not an address of Node lab-worker-1 alone/);
  });

  test('GIVEN CSRs already approved or denied WHEN it runs THEN it leaves them alone, silently', () => {
    const out = runApprover([csr('a', 'lab-cp-1', { conditions: ['Approved'] }), csr('d', 'lab-worker-1', { conditions: ['Denied'] })]);
    expect(out.approved).toEqual([]);
    expect(out.stderr).toBe('');
  });

  test('GIVEN a refused CSR WHEN the timer runs three times THEN it is logged once', () => {
    const out = runApprover([csr('c', 'lab-worker-1', { username: 'system:node:lab-worker-2' })], { runs: 3 });
    expect(out.stderr.match(/c left pending/g)).toHaveLength(1);
  });

  test('GIVEN the API does not answer WHEN it runs THEN it fails (the unit shows it) and approves nothing', () => {
    const out = runApprover([csr('c', 'lab-cp-1')], { apiDown: true });
    expect(out.status).not.toBe(0);
    expect(out.approved).toEqual([]);
  });

  test("GIVEN a real kubectl WHEN it evaluates the script's jsonpath templates on Nodes and CSRs THEN it prints the lines the stub serves", () => {
    const kubectl = [join(process.cwd(), '.cache/tools/bin/kubectl'), '/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((k) => existsSync(k));
    if (!kubectl) throw new Error('no kubectl (.cache/tools/bin/kubectl: scripts/tools.sh builds it)');
    const script = renderKubeletCsrApproverScript();
    // The per-item part of each template (kubectl patch --local prints a List item by item).
    const template = (kind: string) => {
      const m = new RegExp(`get ${kind} -o jsonpath='\\{range \\.items\\[\\*\\]\\}(.*)\\{end\\}'`).exec(script);
      if (!m) throw new Error(`no jsonpath template for ${kind}`);
      return m[1]!.replaceAll('\\\\n', '\\n');
    };
    const eval_ = (items: unknown[], kind: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'pve-k8s-jsonpath-'));
      try {
        writeFileSync(join(dir, 'list.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
        return execFileSync(kubectl, ['patch', '--local', '-f', join(dir, 'list.json'), '--type', 'merge', '-p', '{}', '-o', `jsonpath=${template(kind)}`], { encoding: 'utf8' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const nodes = NODES.map((n) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: n.name }, status: { addresses: n.addresses.map(([type, address]) => ({ type, address })) } }));
    expect(eval_(nodes, 'nodes')).toBe(nodeLines(NODES));
    const csrs = [csr('p', 'lab-cp-1'), csr('a', 'lab-worker-1', { conditions: ['Approved'] })];
    const objects = csrs.map((c) => ({
      apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: c.name },
      spec: { signerName: c.signerName, username: c.username, groups: c.groups, usages: c.usages, request: Buffer.from(c.pem).toString('base64') },
      status: c.conditions ? { conditions: c.conditions.map((type) => ({ type, status: 'True' })) } : {},
    }));
    expect(eval_(objects, 'csr')).toBe(csrLines(csrs));
  });

  test('GIVEN lab THEN every control plane (and no worker) gets the approver, enabled right after kubeadm init/join', () => {
    const m = lab();
    const steps = (name: string) => bootstrapSteps(m, node(m, name)).map((s) => s.name);
    for (const n of m.controlPlanes) {
      const files = (cloudConfig(m, n.name).write_files as { path: string; permissions: string }[]);
      expect(files.find((f) => f.path === NODE_PATHS.kubeletCsrApproverScript)?.permissions).toBe('0755');
      expect(files.map((f) => f.path)).toEqual(expect.arrayContaining([NODE_PATHS.kubeletCsrApproverService, NODE_PATHS.kubeletCsrApproverTimer]));
      expect(cloudConfig(m, n.name).packages).toContain('openssl');
      const s = steps(n.name);
      expect(s[s.indexOf('kubeadm-join') + 1]).toBe('kubelet-csr-approver');
    }
    expect(steps('lab-worker-1')).not.toContain('kubelet-csr-approver');
    expect((cloudConfig(m, 'lab-worker-1').write_files as { path: string }[]).map((f) => f.path)).not.toContain(NODE_PATHS.kubeletCsrApproverScript);
  });

  test('GIVEN the timer WHEN rendered THEN it fires right after activation and every interval', () => {
    const timer = renderKubeletCsrApproverTimer();
    expect(timer).toContain('OnActiveSec=1s');
    expect(timer).toContain(`OnUnitActiveSec=${KUBELET_CSR_APPROVER.intervalSeconds}s`);
  });
});
