import {
  KEEPALIVED_CHECK_WEIGHT, keepalivedPriority, NODE_PATHS, renderHaproxyConfig, renderKeepalivedCheckScript,
  renderKeepalivedConfig,
} from '../../cloud-init';
import { cloudConfig, dev, FAKE_SECRETS, fileIn, lab, labDedicated, node, paths } from './helpers';

const serverLines = (cfg: string) => cfg.split('\n').filter((l) => l.trim().startsWith('server '));

describe('API load balancing (HAProxy + Keepalived)', () => {
  describe('co-located (default)', () => {
    test('every control plane runs haproxy and keepalived', () => {
      const m = lab();
      expect(m.loadBalancer.nodes.map((n) => n.name)).toEqual(['lab-cp-1', 'lab-cp-2', 'lab-cp-3']);
      for (const cp of m.controlPlanes) {
        const cc = cloudConfig(m, cp.name);
        expect(cc.packages).toEqual(expect.arrayContaining(['haproxy', 'keepalived']));
        expect(paths(cc)).toEqual(expect.arrayContaining([NODE_PATHS.haproxyConfig, NODE_PATHS.keepalivedConfig, NODE_PATHS.keepalivedCheck]));
      }
    });

    test('worker does not run haproxy', () => {
      const cc = cloudConfig(lab(), 'lab-worker-1');
      expect(cc.packages).not.toContain('haproxy');
      expect(cc.packages).not.toContain('keepalived');
      expect(paths(cc)).not.toContain(NODE_PATHS.haproxyConfig);
      expect(fileIn(cc, NODE_PATHS.bootstrapScript)).not.toMatch(/haproxy|keepalived/);
    });

    test('HAProxy binds VIP:apiPort while kube-apiserver binds node IP:apiServerPort (no port clash)', () => {
      const m = lab();
      const cfg = renderHaproxyConfig(m, node(m, 'lab-cp-2'));
      expect(cfg).toMatch(/^ {4}bind 10\.20\.0\.10:6443$/m);
      const sysctl = fileIn(cloudConfig(m, 'lab-cp-2'), '/etc/sysctl.d/90-pve-k8s.conf');
      expect(sysctl).toMatch(/^net\.ipv4\.ip_nonlocal_bind = 1$/m);
    });

    test('HAProxy balances over every control plane', () => {
      const m = lab();
      const cfg = renderHaproxyConfig(m, node(m, 'lab-cp-1'));
      expect(serverLines(cfg)).toEqual(m.controlPlanes.map((cp) => `    server ${cp.name} ${cp.ip}:6443 check check-ssl verify none`));
      expect(cfg).toMatch(/^ {4}balance roundrobin$/m);
    });

    test('HAProxy proxies TCP and health-checks /healthz over TLS', () => {
      const m = lab();
      const cfg = renderHaproxyConfig(m, node(m, 'lab-cp-1'));
      expect(cfg).toMatch(/^ {4}mode tcp$/m);
      expect(cfg).toMatch(/^ {4}option httpchk GET \/healthz$/m);
      expect(cfg).toMatch(/^ {4}http-check expect status 200$/m);
    });

    test('Keepalived uses unicast VRRP with the other control planes as peers', () => {
      const m = lab();
      const cfg = renderKeepalivedConfig(m, node(m, 'lab-cp-2'), FAKE_SECRETS);
      expect(cfg).toContain('    unicast_src_ip 10.20.0.12\n    unicast_peer {\n        10.20.0.11\n        10.20.0.13\n    }');
      expect(cfg).toContain(`    virtual_router_id ${m.loadBalancer.routerId}`);
      expect(cfg).toContain('        10.20.0.10/24 dev eth0');
    });

    test('the router id comes from the spec (unique per cluster)', () => {
      const m = dev();
      expect(renderKeepalivedConfig(m, node(m, 'dev-cp-1'), FAKE_SECRETS)).toContain('virtual_router_id 52');
    });

    test('priorities fall per node, first highest; first node starts MASTER', () => {
      const m = lab();
      const prio = m.controlPlanes.map((cp) => /priority (\d+)/.exec(renderKeepalivedConfig(m, cp, FAKE_SECRETS))![1]);
      expect(prio).toEqual(['150', '145', '140']);
      expect(renderKeepalivedConfig(m, node(m, 'lab-cp-1'), FAKE_SECRETS)).toContain('state MASTER');
      expect(renderKeepalivedConfig(m, node(m, 'lab-cp-3'), FAKE_SECRETS)).toContain('state BACKUP');
    });

    test('a failing check weighs a node below every healthy one, but the first node keeps the VIP while none is healthy', () => {
      const priorities = Array.from({ length: 9 }, (_, i) => keepalivedPriority(i));
      // any healthy node beats any unhealthy one
      expect(Math.min(...priorities)).toBeGreaterThan(Math.max(...priorities) + KEEPALIVED_CHECK_WEIGHT);
      // with all checks failing (kubeadm init), the order is kept: the first node wins
      const failing = priorities.map((p) => p + KEEPALIVED_CHECK_WEIGHT);
      expect(failing.indexOf(Math.max(...failing))).toBe(0);
      const m = lab();
      const cfg = renderKeepalivedConfig(m, node(m, 'lab-cp-1'), FAKE_SECRETS);
      expect(cfg).toContain(`weight ${KEEPALIVED_CHECK_WEIGHT}`);
      expect(cfg).not.toMatch(/\bfault\b|\bnopreempt\b/);
    });

    test('VRRP is authenticated with the given password', () => {
      const m = lab();
      expect(renderKeepalivedConfig(m, node(m, 'lab-cp-1'), FAKE_SECRETS)).toContain('auth_type PASS\n        auth_pass vrrp1234\n');
    });

    test('the track script checks the local kube-apiserver and haproxy', () => {
      const m = lab();
      const script = renderKeepalivedCheckScript(m, node(m, 'lab-cp-3'));
      expect(script).toContain('https://10.20.0.13:6443/healthz');
      expect(script).toContain('systemctl is-active --quiet haproxy');
      expect(renderKeepalivedConfig(m, node(m, 'lab-cp-3'), FAKE_SECRETS)).toContain(`script "${NODE_PATHS.keepalivedCheck}"`);
    });

    test('a single control plane keeps the VIP without unicast peers (keepalived rejects unicast without peers)', () => {
      const m = dev();
      const cfg = renderKeepalivedConfig(m, node(m, 'dev-cp-1'), FAKE_SECRETS);
      expect(cfg).not.toContain('unicast');
      expect(cfg).toContain('10.30.0.10/24 dev eth0');
    });

    test('renderers refuse nodes that do not run the load balancer', () => {
      const m = lab();
      expect(() => renderHaproxyConfig(m, node(m, 'lab-worker-1'))).toThrow(/does not run the API load balancer/);
    });
  });

  describe('dedicated load balancers', () => {
    test('two load-balancer VMs run haproxy and keepalived; control planes do not', () => {
      const m = labDedicated();
      expect(m.loadBalancer.nodes.map((n) => n.name)).toEqual(['lab-lb-1', 'lab-lb-2']);
      const cp = cloudConfig(m, 'lab-cp-1');
      expect(cp.packages).not.toContain('haproxy');
      expect(paths(cp)).not.toContain(NODE_PATHS.keepalivedConfig);
    });

    test('a load balancer runs only haproxy and keepalived (no Kubernetes)', () => {
      const cc = cloudConfig(labDedicated(), 'lab-lb-1');
      expect(cc.packages).toEqual(expect.arrayContaining(['haproxy', 'keepalived']));
      expect(cc.packages).not.toContain('containerd');
      expect(paths(cc)).not.toContain(NODE_PATHS.kubeadmConfig);
      const script = fileIn(cc, NODE_PATHS.bootstrapScript)!;
      expect(script).not.toMatch(/kubeadm|kubelet|containerd/);
      expect(script).toContain('run_step load-balancer step_load_balancer');
    });

    test('HAProxy on a load balancer binds apiPort on all addresses and balances over every control plane', () => {
      const m = labDedicated();
      const cfg = renderHaproxyConfig(m, node(m, 'lab-lb-2'));
      expect(cfg).toMatch(/^ {4}bind \*:6443$/m);
      expect(serverLines(cfg)).toHaveLength(3);
    });

    test('the load balancers are each other\'s only VRRP peer', () => {
      const m = labDedicated();
      const [lb1, lb2] = m.loadBalancers;
      const cfg = renderKeepalivedConfig(m, lb1!, FAKE_SECRETS);
      expect(cfg).toContain(`unicast_src_ip ${lb1!.ip}\n    unicast_peer {\n        ${lb2!.ip}\n    }`);
    });

    test('the track script checks the API through the local HAProxy', () => {
      const m = labDedicated();
      expect(renderKeepalivedCheckScript(m, node(m, 'lab-lb-1'))).toContain('https://127.0.0.1:6443/healthz');
    });
  });
});
