/**
 * The control planes' certificate renewal: rendered units, and the rendered script run for real
 * with kubeadm, crictl, curl and sleep stubbed (a fake kubelet: a static pod runs while its
 * manifest is in the folder). Nothing outside a temp folder is touched.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapSteps, CERT_RENEWAL, certRenewalWeekday, NODE_PATHS, renderCertRenewalScript } from '../../cloud-init';
import { cloudConfig, fileIn, lab, node } from './helpers';

const STUBS: Record<string, string> = {
  kubeadm: `echo "kubeadm $*" >>"$T/calls"
case "$*" in
  "certs check-expiration -o json") printf '{"certificates":[{"name":"apiserver","residualTime":%d},{"name":"etcd-server","residualTime":%d},{"name":"ext","residualTime":1,"externallyManaged":true}]}' $(( $(cat "$T/days") * 86400 + 3600 )) 31536000 ;;
  "certs renew all") echo 364 >"$T/days" ;;
  *) exit 3 ;;
esac`,
  // A static pod runs while its manifest is in the manifests folder.
  crictl: `name=\${*: -1}; name=\${name#^}; name=\${name%$}; [[ -f "$T/root/etc/kubernetes/manifests/$name.yaml" ]] && echo "id-$name"; exit 0`,
  curl: `url=\${*: -1}
case "$url" in *2379/health) n=etcd ;; *6443/readyz) n=kube-apiserver ;; *10257/healthz) n=kube-controller-manager ;; *10259/healthz) n=kube-scheduler ;; esac
[[ -f "$T/root/etc/kubernetes/manifests/$n.yaml" && " $UNHEALTHY " != *" $n "* ]] || exit 7
echo "healthy $n" >>"$T/calls"
[[ $n == etcd ]] && printf '{"health":"true","reason":""}' || printf ok`,
  sleep: 'exit 0',
};

function renew(days: number, env: Record<string, string> = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'pve-k8s-certs-'));
  try {
    const bin = join(tmp, 'bin');
    const manifests = join(tmp, 'root', 'etc', 'kubernetes', 'manifests');
    mkdirSync(bin);
    mkdirSync(manifests, { recursive: true });
    for (const [name, body] of Object.entries(STUBS)) {
      writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    }
    for (const pod of CERT_RENEWAL.staticPods) writeFileSync(join(manifests, `${pod}.yaml`), `${pod}\n`);
    writeFileSync(join(tmp, 'days'), String(days));
    const m = lab();
    const script = renderCertRenewalScript(m, node(m, 'lab-cp-2')).split('/etc/kubernetes/').join(`${tmp}/root/etc/kubernetes/`);
    writeFileSync(join(tmp, 'renew.sh'), script);
    const r = spawnSync('bash', [join(tmp, 'renew.sh')], { env: { PATH: `${bin}:/usr/bin:/bin`, T: tmp, UNHEALTHY: '', ...env }, encoding: 'utf8' });
    const calls = existsSync(join(tmp, 'calls')) ? readFileSync(join(tmp, 'calls'), 'utf8').split('\n').filter(Boolean) : [];
    return { status: r.status, stderr: r.stderr, calls, manifests: readdirSync(manifests).sort() };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const ALL_MANIFESTS = ['etcd.yaml', 'kube-apiserver.yaml', 'kube-controller-manager.yaml', 'kube-scheduler.yaml'];

describe('certificate renewal on control planes', () => {
  test('GIVEN the first certificate expires in 200 days WHEN the weekly check runs THEN nothing is renewed or restarted', () => {
    const out = renew(200);
    expect(out.status).toBe(0);
    expect(out.calls).toEqual(['kubeadm certs check-expiration -o json']);
    expect(out.stderr).toContain('expires in 200 days; renewal is due at 60: nothing to do');
  });

  test('GIVEN a certificate expires in 30 days WHEN the check runs THEN kubeadm renews all, then etcd, API server, controller-manager and scheduler restart one by one, each healthy before the next', () => {
    const out = renew(30);
    expect(out.status).toBe(0);
    expect(out.calls).toEqual([
      'kubeadm certs check-expiration -o json', 'kubeadm certs renew all',
      'healthy etcd', 'healthy kube-apiserver', 'healthy kube-controller-manager', 'healthy kube-scheduler',
      'kubeadm certs check-expiration -o json',
    ]);
    expect(out.manifests).toEqual(ALL_MANIFESTS);
    expect(out.stderr).toContain('certificates renewed; the first now expires in 364 days');
  });

  test('GIVEN PVE_K8S_RENEW_BEFORE_DAYS=400 WHEN run by hand THEN it renews although 200 days are left', () => {
    expect(renew(200, { PVE_K8S_RENEW_BEFORE_DAYS: '400' }).calls).toContain('kubeadm certs renew all');
  });

  test('GIVEN the API server does not come back healthy WHEN renewing THEN it stops with a failure naming it, its manifest back in place, the later pods untouched', () => {
    const out = renew(30, { UNHEALTHY: 'kube-apiserver' });
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain(`kube-apiserver not healthy ${CERT_RENEWAL.startSeconds}s after its restart`);
    expect(out.manifests).toEqual(ALL_MANIFESTS);
    expect(out.calls).not.toContain('healthy kube-controller-manager');
  });

  test('GIVEN lab THEN every control plane (and no worker) gets the script, the service and a timer on its own weekday, enabled by its bootstrap', () => {
    const m = lab();
    const days = m.controlPlanes.map((n) => certRenewalWeekday(n));
    expect(new Set(days).size).toBe(m.controlPlanes.length);
    for (const n of m.controlPlanes) {
      const cc = cloudConfig(m, n.name);
      expect(fileIn(cc, NODE_PATHS.certRenewalTimer)).toContain(`OnCalendar=${certRenewalWeekday(n)} *-*-* ${CERT_RENEWAL.time}`);
      expect(fileIn(cc, NODE_PATHS.certRenewalService)).toContain(`ExecStart=${NODE_PATHS.certRenewalScript}`);
      expect(bootstrapSteps(m, n).map((s) => s.name)).toContain('certs-renewal');
    }
    const worker = cloudConfig(m, 'lab-worker-1');
    expect(fileIn(worker, NODE_PATHS.certRenewalScript)).toBeUndefined();
    expect(bootstrapSteps(m, node(m, 'lab-worker-1')).map((s) => s.name)).not.toContain('certs-renewal');
  });
});
