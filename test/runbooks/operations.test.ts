import { firewallSection, renderOperations } from '../../runbooks/operations';
import { terraformAddress } from '../../infra/addresses';
import { CLUSTER_PROBE, NODE_PATHS, renderHaproxyConfig } from '../../cloud-init';
import { spawnSync } from 'node:child_process';
import { renderEncryptionConfig, renderEncryptionConfigKeys } from '../../cloud-init';
import { ENCRYPTION_ROTATION } from '../../runbooks/join-secrets';
import { dev, FAKE_SECRETS, lab, labDedicated } from '../cloud-init/helpers';

describe('OPERATIONS.md', () => {
  const doc = renderOperations(lab());

  test('GIVEN lab WHEN rendered THEN it is deterministic and names this cluster, its stack and its nodes', () => {
    expect(renderOperations(lab())).toBe(doc);
    expect(doc).toMatch(/^# Operations runbook: cluster `lab`/);
    expect(doc).toContain('`cdktf.out/stacks/lab`');
    expect(doc).toContain('lab-cp-1 (10.20.0.11, VM 2001 on pve1)');
    expect(doc).toContain('npx cdktf diff lab');
  });

  test('GIVEN a node removal THEN the generated remove-node.sh takes it out of the cluster before the count is lowered and the VM deleted', () => {
    const removal = doc.slice(doc.indexOf('## Removing a node'), doc.indexOf('## Resizing'));
    expect(removal).toContain('bash dist/lab/remove-node.sh lab-worker-3');
    expect(removal.indexOf('remove-node.sh lab-worker-3')).toBeLessThan(removal.indexOf('npx cdktf deploy lab'));
    expect(removal).toContain('kubectl -n kube-system exec etcd-lab-cp-1 -- etcdctl --endpoints=https://127.0.0.1:2379');
    expect(removal).toMatch(/lower `controlPlane.count`, synth, deploy/);
  });

  test('GIVEN added control planes THEN every existing load balancer gets the current HAProxy backends, one at a time', () => {
    for (const ip of ['10.20.0.11', '10.20.0.12', '10.20.0.13']) expect(doc).toContain(`ssh ubuntu@${ip} 'sudo tee ${NODE_PATHS.haproxyConfig}`);
    expect(doc).toContain('server lab-cp-3 10.20.0.13:6443 check');
    // One file for every load balancer: the rendered config does not depend on the node.
    const m = lab();
    expect(new Set(m.controlPlanes.map((n) => renderHaproxyConfig(m, n))).size).toBe(1);
    const dedicated = renderOperations(labDedicated());
    expect(dedicated).toContain(`ssh ubuntu@${labDedicated().loadBalancers[0]!.ip} 'sudo tee`);
    expect(dedicated).not.toContain(`ssh ubuntu@10.20.0.11 'sudo tee`);
  });

  test('GIVEN a resize THEN nodes reboot one at a time with drain and uncordon, load balancers excluded', () => {
    const resize = doc.slice(doc.indexOf('## Resizing'), doc.indexOf('## Replacing'));
    expect(resize).toContain('for n in lab-cp-1 lab-cp-2 lab-cp-3 lab-worker-1 lab-worker-2 lab-worker-3; do');
    expect(resize).toMatch(/drain[\s\S]*sudo reboot[\s\S]*wait --for=condition=Ready[\s\S]*uncordon/);
  });

  test('GIVEN a replacement THEN the Terraform addresses are the contract ones and the cp-1 probe window is stated', () => {
    expect(doc).toContain(`-replace='${terraformAddress('vm', 'lab-worker-3')}' -replace='${terraformAddress('snippet', 'lab-worker-3')}'`);
    expect(terraformAddress('vm', 'lab-worker-3')).toBe('proxmox_virtual_environment_vm.lab-worker-3');
    expect(doc).toContain(`for ${CLUSTER_PROBE.rounds * CLUSTER_PROBE.intervalSeconds} s and joins`);
  });

  test('GIVEN a cluster without workers THEN it says so and still renders a worker example', () => {
    const d = dev();
    expect(renderOperations({ ...d, workers: [] })).toContain('- Workers: none');
  });

  test('never holds a secret value, only where secrets live', () => {
    expect(doc).not.toMatch(/[a-z0-9]{6}\.[a-z0-9]{16}/);
    expect(doc).toContain('Never replace `terraform_data.join_secrets` except as below');
  });

  test('GIVEN the join-secret rotation WHEN rendered THEN every shell block is valid bash and no value is written to a file', () => {
    const section = doc.slice(doc.indexOf('## Join secrets'));
    const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    for (const block of blocks) {
      // <placeholders> are the operator's to fill in
      const r = spawnSync('bash', ['-n'], { input: block.replace(/<[a-z-]+>/g, 'X'), encoding: 'utf8' });
      expect([block.slice(0, 40), r.status, r.stderr]).toEqual([block.slice(0, 40), 0, '']);
      expect(block).not.toMatch(/join_secrets[^\n]*> *[^/&]/); // terraform output never redirected to a file
    }
    expect(section).toContain('terraform apply -replace=terraform_data.join_secrets');
  });
});

describe('the encryption key rotation', () => {
  type Key = { readonly name: string; readonly secret: string };
  /** Whether every API server can read every stored Secret (each carries its key's name). */
  const readable = (servers: readonly (readonly Key[])[], stored: readonly Key[]) =>
    stored.every((d) => servers.every((keys) => keys.some((k) => k.name === d.name && k.secret === d.secret)));

  /**
   * Rolls `phases` out over three API servers one at a time, as OPERATIONS.md does: after each
   * step every server writes with its first key; a rewrite re-encrypts everything with the first key.
   */
  function rollOut(phases: readonly { keys: readonly Key[]; rewrite: boolean }[]) {
    const start: Key[] = [{ name: 'key1', secret: '${OLD_KEY}' }];
    const servers: (readonly Key[])[] = [start, start, start];
    let stored: Key[] = [start[0]!];
    const unreadable: string[] = [];
    phases.forEach((phase, p) => {
      servers.forEach((_, i) => {
        servers[i] = phase.keys;
        stored = [...stored, ...servers.map((keys) => keys[0]!)];
        if (!readable(servers, stored)) unreadable.push(`phase ${p + 1}, server ${i + 1}`);
      });
      if (phase.rewrite) stored = [phase.keys[0]!];
    });
    return { unreadable, stored: [...new Set(stored.map((k) => `${k.name}=${k.secret}`))], last: phases.at(-1)!.keys };
  }

  test('GIVEN the five phases WHEN rolled out one API server at a time THEN every Secret stays readable by every API server', () => {
    expect(rollOut(ENCRYPTION_ROTATION).unreadable).toEqual([]);
  });

  test('GIVEN the rotation done THEN only the new key is in use, under the day-1 name, in the file a new control plane gets', () => {
    const end = rollOut(ENCRYPTION_ROTATION);
    expect(end.stored).toEqual(['key1=${NEW_KEY}']);
    expect(renderEncryptionConfigKeys(end.last)).toBe(renderEncryptionConfig({ ...FAKE_SECRETS, encryptionKey: '${NEW_KEY}' }));
  });

  test('GIVEN a broken rotation (the new key written before every API server knows it) THEN the simulation catches it', () => {
    const naive = [{ keys: [{ name: 'key2', secret: '${NEW_KEY}' }, { name: 'key1', secret: '${OLD_KEY}' }], rewrite: true }];
    expect(rollOut(naive).unreadable).not.toEqual([]);
  });
});

describe('the Proxmox firewall section', () => {
  test('GIVEN the firewall off THEN OPERATIONS.md says every port is reachable', () => {
    expect(renderOperations(lab())).toContain('## Proxmox firewall');
    expect(firewallSection(lab()).join('\n')).toContain('Off (`proxmox.firewall.enabled: false`)');
  });

  test('GIVEN the firewall on THEN OPERATIONS.md names the admin network and how to check the datacenter firewall it needs', () => {
    const base = lab();
    const on = { ...base, proxmox: { ...base.proxmox, firewall: { enabled: true, adminCidr: '10.99.0.0/24', datacenterEnabled: true } } };
    const text = firewallSection(on).join('\n');
    expect(text).toContain('`10.99.0.0/24`');
    expect(text).toContain('pvesh get /cluster/firewall/options --output-format json');
    expect(text).toContain('pvesh get /nodes/pve1/qemu/2001/firewall/options');
  });
});
