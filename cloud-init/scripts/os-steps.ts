/** Bootstrap steps for the operating system, shared by every role. */
import type { ClusterModel, NodeModel } from '../../spec';
import { basePackages, KUBERNETES_MODULES, osName, runsKubernetes } from '../os';
import { fn, words } from '../../format/shell';

export interface Step {
  /** Marker name (done/<name>) and the name written to the failure marker. */
  readonly name: string;
  /** Bash function name. */
  readonly func: string;
  /** Function definition. */
  readonly body: string;
}

/** A step; `helpers` are extra top-level function definitions the step calls. */
export function step(name: string, comment: string, body: readonly string[], helpers: readonly string[] = []): Step {
  const func = `step_${name.replace(/-/g, '_')}`;
  return { name, func, body: [...helpers, fn(func, comment, body)].join('\n') };
}

export function osSteps(model: ClusterModel, node: NodeModel): Step[] {
  const steps: Step[] = [];
  if (runsKubernetes(node)) {
    steps.push(
      step('swap-off', 'The kubelet refuses to run with swap on.', [
        'swapoff -a',
        "sed -ri '/\\sswap\\s/s/^#?/#/' /etc/fstab",
      ]),
    );
  }
  steps.push(
    step('kernel', 'Load kernel modules and apply sysctls (files written by cloud-init).', [
      ...(runsKubernetes(node) ? KUBERNETES_MODULES.map((m) => `modprobe ${m}`) : []),
      'sysctl --system >/dev/null',
    ]),
    step('base-packages', `${osName(model)} packages (cloud-init installed them already; this makes sure).`, [
      'retry 5 10 apt-get update -o DPkg::Lock::Timeout=300',
      `apt_install ${words(basePackages(model, node))}`,
    ]),
    step('services', 'Guest agent, time sync and security updates.', [
      '# The agent starts when Proxmox exposes its virtio port; never block on it.',
      'systemctl start --no-block qemu-guest-agent',
      'systemctl enable --now chrony unattended-upgrades',
      'chronyc waitsync 12 1 || log "warning: clock not synchronised yet (continuing)"',
    ]),
  );
  return steps;
}
