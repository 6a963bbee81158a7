/** Bootstrap steps for Kubernetes nodes: packages, runtime, load balancer, kubeadm. */
import { type ClusterModel, KUBERNETES_APT, type NodeModel } from '../../spec';
import { CLUSTER_PROBE, ETCD_CLIENT_PORT, ETCD_PEER_PORT } from '../../facts';
import { KUBELET_CSR_APPROVER } from '../kubelet-csr-approver';
import { isFirstControlPlane } from '../kubeadm';
import { runsLoadBalancer } from '../load-balancer';
import { criToolsPackageVersion, HELD_PACKAGES, kubernetesAptRepo, kubernetesPackageVersion } from '../os';
import { NODE_PATHS } from '../paths';
import { type Step, step } from './os-steps';
import { fn, sq, words } from '../../format/shell';

/** kubectl as root on a control plane, with the admin kubeconfig. */
export const KUBECTL = `kubectl --kubeconfig ${NODE_PATHS.adminKubeconfig}`;

/** The Secret `kubeadm init --upload-certs` writes the encrypted control-plane certificates to. */
export const KUBEADM_CERTS_SECRET = 'kubeadm-certs';

/**
 * How long joining nodes wait for the API behind the VIP: a probe every 5 s for 30 minutes. A
 * fixed interval (not a backoff) so a node joins within seconds of the API coming up; each probe
 * is one cheap HTTPS request.
 */
export const API_WAIT = { attempts: 360, intervalSeconds: 5 } as const;

/** Seconds between control-plane joins (etcd adds one member at a time). */
export const CONTROL_PLANE_JOIN_STAGGER_SECONDS = 60;

function kubePackagesOrigin(model: ClusterModel): string {
  const minor = model.kubernetes.minor.minor;
  return model.sources.kubernetesSigningKey ? `${kubernetesAptRepo(model)} (spec mirror)` : `pkgs.k8s.io v${minor}`;
}

/**
 * The repository key: the spec's armored key (written by cloud-init) is only checked to be one
 * OpenPGP public key; without one, pkgs.k8s.io's Release.key is downloaded, refused unless its
 * fingerprint is the pinned one (KUBERNETES_APT), and dearmored once.
 */
export function kubernetesKeyLines(model: ClusterModel): string[] {
  if (model.sources.kubernetesSigningKey) {
    const key = NODE_PATHS.kubernetesAptSpecKey;
    return [`[[ "$(gpg --batch --show-keys --with-colons ${key} | grep -c '^pub:')" == 1 ]] || { log "${key} is not one OpenPGP public key"; exit 1; }`];
  }
  const keyring = NODE_PATHS.kubernetesAptKeyring;
  return [
    'install -d -m 0755 /etc/apt/keyrings',
    `if [[ ! -s ${keyring} ]]; then`,
    `  retry 5 10 curl -fsSL -o /tmp/kubernetes-release.key ${sq(`${kubernetesAptRepo(model)}Release.key`)}`,
    `  fpr=$(gpg --batch --show-keys --with-colons /tmp/kubernetes-release.key | awk -F: '$1 == "fpr" { print $10; exit }')`,
    `  if [[ "$fpr" != ${KUBERNETES_APT.signingKeyFingerprint} ]]; then`,
    `    log "Release.key of ${kubernetesAptRepo(model)} has fingerprint \${fpr:-none}, not ${KUBERNETES_APT.signingKeyFingerprint}: refused"`,
    '    rm -f /tmp/kubernetes-release.key',
    '    exit 1',
    '  fi',
    `  gpg --batch --yes --dearmor -o ${keyring} /tmp/kubernetes-release.key`,
    '  rm -f /tmp/kubernetes-release.key',
    'fi',
  ];
}

export function kubePackagesStep(model: ClusterModel): Step {
  const v = kubernetesPackageVersion(model);
  const pins = ['kubelet', 'kubeadm', 'kubectl'].map((p) => `${p}=${v}`).concat(`cri-tools=${criToolsPackageVersion(model)}`);
  return step('kube-packages', `${kubePackagesOrigin(model)}: kubeadm, kubelet, kubectl ${v}, held.`, [
    ...kubernetesKeyLines(model),
    `install -m 0644 ${NODE_PATHS.kubernetesAptSource} /etc/apt/sources.list.d/kubernetes.list`,
    'retry 5 10 apt-get update -o DPkg::Lock::Timeout=300',
    `apt_install --allow-downgrades --allow-change-held-packages ${pins.join(' ')}`,
    `apt-mark hold ${HELD_PACKAGES.slice(0, 4).join(' ')}`,
    'systemctl enable kubelet',
  ]);
}

export function containerdStep(): Step {
  return step('containerd', 'containerd with our config (SystemdCgroup, pause image).', [
    'install -d -m 0755 /etc/containerd/certs.d',
    'systemctl enable containerd',
    'systemctl restart containerd',
    'retry 10 2 crictl info >/dev/null',
  ]);
}

export function loadBalancerStep(): Step {
  return step('load-balancer', 'HAProxy + Keepalived for the API VIP (configs written by cloud-init).', [
    `haproxy -c -f ${NODE_PATHS.haproxyConfig}`,
    'systemctl enable haproxy keepalived',
    'systemctl restart haproxy',
    'systemctl restart keepalived',
  ]);
}

export function waitForApiStep(model: ClusterModel): Step {
  const url = `https://${model.network.controlPlaneEndpoint}/healthz`;
  const { attempts, intervalSeconds } = API_WAIT;
  return step('wait-api', `Wait (bounded: ${(attempts * intervalSeconds) / 60} min) for the API behind the VIP: ${url}`, [
    'local n',
    `for ((n = 1; n <= ${attempts}; n++)); do`,
    `  curl --silent --fail --insecure --max-time 5 --output /dev/null ${sq(url)} && return 0`,
    `  (( n % 12 == 0 )) && log "wait-api: no answer yet from ${url} ($((n * ${intervalSeconds}))s)"`,
    `  sleep ${intervalSeconds}`,
    'done',
    `log "wait-api: ${url} did not answer in ${(attempts * intervalSeconds) / 60} minutes"`,
    'return 1',
  ]);
}

/** The API server and etcd endpoints of this cluster that a booting first control plane probes. */
export function clusterProbeTargets(model: ClusterModel, node: NodeModel): { readonly urls: string[]; readonly etcd: string[] } {
  const peers = model.controlPlanes.filter((n) => n.name !== node.name);
  return {
    urls: [
      `https://${model.network.controlPlaneEndpoint}/healthz`,
      ...peers.map((n) => `https://${n.ip}:${model.network.apiServerPort}/healthz`),
    ],
    etcd: peers.map((n) => `${n.ip}:${ETCD_CLIENT_PORT}`),
  };
}

/**
 * First control plane: decide between `kubeadm init` and joining. A fresh disk on the first
 * control plane (a rebuilt VM, a replaced disk) must never create a second cluster: it runs
 * init only when, for the whole probe window, no API server answers at the VIP or at another
 * control plane and no other control plane accepts etcd client connections. The decision is
 * kept in NODE_PATHS.bootstrapMode, so reruns and the later steps follow it.
 */
export function clusterCheckStep(model: ClusterModel, node: NodeModel): Step {
  const { urls, etcd } = clusterProbeTargets(model, node);
  const p = CLUSTER_PROBE;
  return step('cluster-check', `kubeadm init only if no cluster answers within ${p.rounds * p.intervalSeconds}s; otherwise join it.`, [
    `if [[ -f ${NODE_PATHS.kubeletKubeconfig} ]]; then`,
    `  log "this node is already part of a cluster (${NODE_PATHS.kubeletKubeconfig} exists)"`,
    `  [[ -s ${NODE_PATHS.bootstrapMode} ]] || echo join >${NODE_PATHS.bootstrapMode}`,
    '  return 0',
    'fi',
    'local round',
    `for ((round = 1; round <= ${p.rounds}; round++)); do`,
    // A single control plane has no peer etcd to ask (and shellcheck refuses an argument-less call).
    `  if api_answers ${words(urls)}${etcd.length > 0 ? ` || etcd_answers ${words(etcd)}` : ''}; then`,
    `    echo join >${NODE_PATHS.bootstrapMode}`,
    '    log "an existing cluster answers: joining it (no kubeadm init)"',
    '    return 0',
    '  fi',
    `  (( round == ${p.rounds} )) || sleep ${p.intervalSeconds}`,
    'done',
    `echo init >${NODE_PATHS.bootstrapMode}`,
    `log "no cluster answered in ${p.rounds} rounds: this node creates it (kubeadm init)"`,
  ], [
    fn('api_answers', 'True when any URL gets an HTTP answer, whatever its status (an API server is there).', [
      'local url code',
      'for url in "$@"; do',
      `  code="$(curl --silent --insecure --max-time ${p.timeoutSeconds} --output /dev/null --write-out '%{http_code}' "$url" || true)"`,
      '  if [[ -n $code && $code != 000 ]]; then',
      '    log "cluster-check: $url answered (HTTP $code)"',
      '    return 0',
      '  fi',
      'done',
      'return 1',
    ]),
    ...(etcd.length === 0 ? [] : [fn('etcd_answers', 'True when any HOST:PORT accepts a TCP connection (an etcd member is there).', [
      'local target',
      'for target in "$@"; do',
      `  if timeout ${p.timeoutSeconds} bash -c "exec 3<>/dev/tcp/\${target%:*}/\${target##*:}" 2>/dev/null; then`,
      '    log "cluster-check: etcd accepts connections at $target"',
      '    return 0',
      '  fi',
      'done',
      'return 1',
    ])]),
  ]);
}

/** True (in bash) when the first control plane decided to create the cluster. */
export const IS_INIT_MODE = `[[ "$(cat ${NODE_PATHS.bootstrapMode} 2>/dev/null)" == init ]]`;

export function kubeadmInitStep(): Step {
  const cfg = NODE_PATHS.kubeadmInitConfig;
  return step('kubeadm-init', 'First control plane, no cluster yet: kubeadm init, certificates uploaded; no secret printed.', [
    `if ! ${IS_INIT_MODE}; then`,
    '  log "joining an existing cluster: no kubeadm init"',
    '  return 0',
    'fi',
    `if [[ -f ${NODE_PATHS.adminKubeconfig} ]]; then`,
    `  log "kubeadm init already ran (${NODE_PATHS.adminKubeconfig} exists); to redo it: kubeadm reset -f"`,
    '  return 0',
    'fi',
    `retry 5 10 kubeadm config images pull --config ${cfg}`,
    `kubeadm init --upload-certs --skip-token-print --skip-certificate-key-print --config ${cfg}`,
  ]);
}

/**
 * kubeadm deletes the uploaded control-plane certificates after two hours (the Secret is owned
 * by a short-lived token). Dropping that owner keeps them, encrypted with the certificate key,
 * so a control plane added at any later time joins with no manual step.
 */
export function keepJoinCertsStep(): Step {
  return step('keep-join-certs', 'Keep the uploaded (encrypted) control-plane certificates for later joins.', [
    `if ! ${IS_INIT_MODE}; then`,
    '  return 0',
    'fi',
    `retry 5 5 ${KUBECTL} --namespace kube-system patch secret ${KUBEADM_CERTS_SECRET} --type=merge \\`,
    `  --patch='{"metadata":{"ownerReferences":null}}'`,
  ]);
}

/** kubeadm's certificates folder on a node (ClusterConfiguration certificatesDir default). */
const PKI = '/etc/kubernetes/pki';

/**
 * A control plane rebuilt on a fresh disk (same name, same IP) is still an etcd member from its
 * earlier life: kubeadm's etcd health check waits for that dead member and the join never ends.
 * Before joining, this step fetches the control-plane certificates the join would fetch anyway
 * (the certificate key), asks a peer's etcd for its members and removes the one that is this node:
 * same name or same peer URL. Never while this node's own etcd runs (a member here is alive), and
 * never more than that one member; any failure is logged and left to kubeadm join to report.
 */
export function etcdForgetSelfStep(model: ClusterModel, node: NodeModel): Step {
  const cfg = NODE_PATHS.kubeadmConfig;
  const first = isFirstControlPlane(model, node);
  const peers = model.controlPlanes.filter((n) => n.name !== node.name).map((n) => `${n.ip}:${ETCD_CLIENT_PORT}`);
  const self = { name: node.name, peerUrl: `https://${node.ip}:${ETCD_PEER_PORT}` };
  const tls = `--cacert ${PKI}/etcd/ca.crt --cert ${PKI}/apiserver-etcd-client.crt --key ${PKI}/apiserver-etcd-client.key`;
  return step('etcd-forget-self', 'Remove this node\'s own stale etcd member (a control plane rebuilt on a fresh disk) before it joins.', [
    ...(first ? [`if ${IS_INIT_MODE}; then`, '  return 0', 'fi'] : []),
    `if [[ -f ${NODE_PATHS.kubeletKubeconfig} ]]; then`,
    '  return 0',
    'fi',
    `if timeout 3 bash -c "exec 3<>/dev/tcp/${node.ip}/${ETCD_CLIENT_PORT}" 2>/dev/null; then`,
    `  log "etcd answers on this node (${node.ip}:${ETCD_CLIENT_PORT}): its member is alive, nothing to remove"`,
    '  return 0',
    'fi',
    `if ! { retry 3 10 kubeadm join phase control-plane-prepare download-certs --config ${cfg} \\`,
    `    && kubeadm join phase control-plane-prepare certs --config ${cfg}; } >/dev/null; then`,
    '  log "etcd-forget-self: could not fetch the etcd client certificate; kubeadm join checks etcd itself"',
    '  return 0',
    'fi',
    'local endpoint members id',
    `for endpoint in ${words(peers)}; do`,
    `  members="$(etcd_call "$endpoint" member/list '{}')" || continue`,
    `  id="$(stale_member_id ${words([self.name, self.peerUrl])} <<<"$members")"`,
    '  if [[ -z $id ]]; then',
    `    log "etcd (via $endpoint): no member left from an earlier life of ${node.name}"`,
    '    return 0',
    '  fi',
    `  log "etcd (via $endpoint): removing member $id, ${node.name} before its rebuild"`,
    `  etcd_call "$endpoint" member/remove "{\\"ID\\":\\"$id\\"}" >/dev/null`,
    '  return 0',
    'done',
    'log "etcd-forget-self: no peer etcd answered; kubeadm join checks etcd itself"',
  ], [
    fn('etcd_call', "etcd_call HOST:PORT PATH JSON: one call to etcd's v3 JSON API with the etcd client certificate.", [
      `curl --silent --show-error --fail --max-time 10 ${tls} \\`,
      '  --data "$3" "https://$1/v3/cluster/$2"',
    ]),
    fn('stale_member_id', 'stale_member_id NAME PEER_URL < member list: the ID of the one member with that name or peer URL.', [
      "python3 -c 'import json, sys; name, peer = sys.argv[1:3]; found = [m[\"ID\"] for m in json.load(sys.stdin).get(\"members\", []) \\",
      "  if m.get(\"name\") == name or peer in m.get(\"peerURLs\", [])]; print(found[0] if len(found) == 1 else \"\")' \"$@\"",
    ]),
  ]);
}

export function kubeadmJoinStep(model: ClusterModel, node: NodeModel): Step {
  const cfg = NODE_PATHS.kubeadmConfig;
  const first = isFirstControlPlane(model, node);
  const stagger = node.role === 'control-plane' ? Math.max(0, node.index - 2) * CONTROL_PLANE_JOIN_STAGGER_SECONDS : 0;
  const kind = node.role === 'control-plane' ? 'control plane' : 'worker';
  return step('kubeadm-join', `Join as a ${kind}; a failed attempt is reset before the next one.`, [
    ...(first ? [`if ${IS_INIT_MODE}; then`, '  return 0', 'fi'] : []),
    `if [[ -f ${NODE_PATHS.kubeletKubeconfig} ]]; then`,
    `  log "already joined (${NODE_PATHS.kubeletKubeconfig} exists)"`,
    '  return 0',
    'fi',
    ...(stagger > 0 ? [`log "waiting ${stagger}s so control planes join one at a time"`, `sleep ${stagger}`] : []),
    'retry 3 30 kubeadm_join_once',
  ], [
    fn('kubeadm_join_once', 'One join attempt; a failed attempt is reset so the next starts clean.', [
      `if kubeadm join --config ${cfg}; then`,
      '  return 0',
      'fi',
      'log "kubeadm join failed; resetting before the next attempt"',
      'kubeadm reset -f',
      'return 1',
    ]),
  ]);
}

/** Control planes: the weekly certificate renewal timer (cloud-init wrote its units). */
export function certRenewalStep(): Step {
  return step('certs-renewal', 'Weekly check that renews kubeadm certificates 60 days before expiry (pve-k8s-certs-renew.timer).', [
    'systemctl daemon-reload',
    'systemctl enable --now pve-k8s-certs-renew.timer',
  ]);
}

/**
 * Control planes, right after kubeadm init/join: the kubelet serving CSR approver's timer, so every
 * kubelet (this one included) gets its serving certificate within seconds (kubelet-csr-approver.ts).
 */
export function kubeletCsrApproverStep(): Step {
  const a = KUBELET_CSR_APPROVER;
  return step('kubelet-csr-approver', `Approve kubelet serving CSRs that match their Node, every ${a.intervalSeconds}s (${a.unit}.timer).`, [
    'systemctl daemon-reload',
    `systemctl enable --now ${a.unit}.timer`,
  ]);
}

export function kubectlAccessStep(): Step {
  return step('kubectl-access', 'root can use kubectl on control planes.', [
    'install -d -m 0700 /root/.kube',
    `ln -sf ${NODE_PATHS.adminKubeconfig} /root/.kube/config`,
  ]);
}

/**
 * Shreds the files that hold the bootstrap token and certificate key once the bootstrap has
 * succeeded (a rerun after success skips every step that needs them; nothing later reads them:
 * upgrade.sh and the certificate renewal take kubeadm's configuration from the cluster).
 */
export function forgetJoinSecretsStep(model: ClusterModel, node: NodeModel): Step {
  const files = [NODE_PATHS.kubeadmConfig, ...(isFirstControlPlane(model, node) ? [NODE_PATHS.kubeadmInitConfig] : [])];
  // Overwritten before unlinking (a plain rm leaves the blocks on the disk until reused); a rerun finds them gone.
  return step('forget-join-secrets', 'Shred the kubeadm configs (bootstrap token, certificate key): they are not needed any more.', [
    ...files.flatMap((f) => [`if [[ -e ${f} ]]; then`, `  shred --zero --remove ${f}`, 'fi']),
  ]);
}

/** Kubernetes steps up to a joined (or created) node. */
export function kubeSteps(model: ClusterModel, node: NodeModel): Step[] {
  const steps = [kubePackagesStep(model), containerdStep()];
  // A lone control plane has no peer to hold a stale member of it (rebuilt, it creates the cluster anew).
  const forgetSelf = node.role === 'control-plane' && model.controlPlanes.length > 1 ? [etcdForgetSelfStep(model, node)] : [];
  if (runsLoadBalancer(model, node)) steps.push(loadBalancerStep());
  if (isFirstControlPlane(model, node)) {
    return [
      ...steps, clusterCheckStep(model, node), kubeadmInitStep(), keepJoinCertsStep(),
      ...forgetSelf, kubeadmJoinStep(model, node), kubeletCsrApproverStep(), kubectlAccessStep(), certRenewalStep(),
    ];
  }
  steps.push(waitForApiStep(model), ...forgetSelf, kubeadmJoinStep(model, node));
  if (node.role === 'control-plane') steps.push(kubeletCsrApproverStep(), kubectlAccessStep(), certRenewalStep());
  return steps;
}
