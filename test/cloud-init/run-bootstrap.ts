/**
 * Runs functions of a rendered bootstrap script for real: the script's own definitions under bash,
 * with curl, timeout, sleep, kubeadm, kubectl and helm replaced by stubs (no network traffic,
 * nothing written outside a temp folder; python3 is the real one).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_PATHS, renderBootstrapScript } from '../../cloud-init';
import { node } from './helpers';
import type { ClusterModel } from '../../spec';

export interface Scenario {
  /** URL that answers, with its HTTP status, from the given probe round on (1-based). */
  readonly answer?: { readonly url: string; readonly code: string; readonly fromRound?: number };
  /** host:port whose TCP connection succeeds. */
  readonly etcdOpen?: string;
  /** Files present before the run (absolute node paths). */
  readonly existing?: readonly string[];
  /** etcd's member list (JSON) that every peer answers; without it no etcd answers. */
  readonly members?: string;
  /** Bootstrap functions to call, in order. */
  readonly run: readonly string[];
}

export interface Outcome {
  readonly mode: string | undefined;
  readonly calls: string[];
  readonly log: string;
}

export const STUBS: Record<string, string> = {
  // curl: 000 (no connection) unless the scenario's URL answers from its round on;
  // etcd's JSON API: the scenario's member list; a removal is recorded with its request body.
  curl: `url="\${*: -1}"
if [[ "$url" == */v3/cluster/member/list ]]; then [[ -n "$MEMBERS" ]] && { printf %s "$MEMBERS"; exit 0; }; exit 7; fi
if [[ "$url" == */v3/cluster/member/remove ]]; then echo "etcd-remove \${*: -2:1} via $url" >>"$T/calls"; exit 0; fi
n=$(( $(cat "$T/curl-$(printf %s "$url" | md5sum | cut -c1-8)" 2>/dev/null || echo 0) + 1 ))
echo $n >"$T/curl-$(printf %s "$url" | md5sum | cut -c1-8)"; echo "curl $url" >>"$T/calls"
if [[ "$url" == "$ANSWER_URL" && $n -ge $ANSWER_FROM ]]; then printf %s "$ANSWER_CODE"; exit 0; fi
printf 000; exit 7`,
  // timeout SECONDS bash -c "exec 3<>/dev/tcp/HOST/PORT": succeeds only for the scenario's host:port.
  timeout: `echo "timeout $*" >>"$T/calls"; [[ -n "$ETCD_OPEN" && "$*" == *"/dev/tcp/\${ETCD_OPEN%:*}/\${ETCD_OPEN##*:}"* ]] && exit 0; exit 124`,
  sleep: 'echo "sleep $*" >>"$T/calls"',
  kubeadm: 'echo "kubeadm $*" >>"$T/calls"',
  kubectl: 'echo "kubectl $*" >>"$T/calls"',
  helm: 'echo "helm $*" >>"$T/calls"',
};

/** Runs `scenario.run` from the rendered script of `nodeName`, paths moved under a temp root. */
export function runScript(model: ClusterModel, nodeName: string, scenario: Scenario): Outcome {
  const tmp = mkdtempSync(join(tmpdir(), 'pve-k8s-cluster-check-'));
  try {
    const root = join(tmp, 'root');
    const bin = join(tmp, 'bin');
    mkdirSync(bin);
    for (const [name, body] of Object.entries(STUBS)) {
      writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    }
    const moved = (text: string) =>
      ['/var/lib/pve-k8s', '/var/log/pve-k8s-bootstrap.log', '/etc/kubernetes', '/etc/pve-k8s'].reduce((t, prefix) => t.split(prefix).join(root + prefix), text);
    const script = moved(renderBootstrapScript(model, node(model, nodeName)));
    for (const file of scenario.existing ?? []) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(root + file, 'present\n');
    }
    mkdirSync(join(root, '/var/log'), { recursive: true });
    mkdirSync(join(root, NODE_PATHS.stateDir), { recursive: true });
    // Keep the definitions and the shell core; replace the run order with the scenario's calls.
    const defs = script.slice(0, script.indexOf('\nlog "bootstrap of '));
    writeFileSync(join(tmp, 'run.sh'), `${defs}\n${moved(scenario.run.join('\n'))}\n`);
    const result = spawnSync('bash', [join(tmp, 'run.sh')], {
      env: {
        PATH: `${bin}:/usr/bin:/bin`, T: tmp,
        ANSWER_URL: scenario.answer?.url ?? '', ANSWER_CODE: scenario.answer?.code ?? '', ANSWER_FROM: String(scenario.answer?.fromRound ?? 1),
        ETCD_OPEN: scenario.etcdOpen ?? '', MEMBERS: scenario.members ?? '',
      },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`${nodeName}: the script failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
    const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : undefined);
    return {
      mode: read(root + NODE_PATHS.bootstrapMode)?.trim(),
      calls: (read(join(tmp, 'calls')) ?? '').split('\n').filter(Boolean),
      log: read(root + NODE_PATHS.log) ?? '',
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}


/** How many calls start with `prefix`. */
export const count = (calls: readonly string[], prefix: string) => calls.filter((c) => c.startsWith(prefix)).length;
