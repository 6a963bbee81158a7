/**
 * OPERATIONS.md "Join secrets": where they live, their strength, and how to rotate them on a
 * running cluster (a leak, or a cluster created before the full-strength v2 secrets).
 */
import { ENCRYPTION_KEY_NAME, NODE_PATHS, renderEncryptionConfigKeys, type EncryptionKey } from '../cloud-init';
import { KUBEADM_CERTS_SECRET } from '../cloud-init/scripts/kube-steps';
import type { ClusterModel, NodeModel } from '../spec';
import { sh } from './markdown';

/** The key names of the rotation: the new key passes through a second name, then returns to the day-1 name. */
const OLD = { name: ENCRYPTION_KEY_NAME, secret: '${OLD_KEY}' };
const NEW = { name: ENCRYPTION_KEY_NAME, secret: '${NEW_KEY}' };
const NEW_ASIDE = { name: 'rotation', secret: '${NEW_KEY}' };

/**
 * Phases of the key rotation. An API server may encrypt with a key only once every API server can
 * decrypt with it; the cluster ends with the day-1 file (the new key named key1), which is what a
 * control plane added later gets from Terraform.
 */
export const ENCRYPTION_ROTATION: readonly { readonly keys: readonly EncryptionKey[]; readonly rewrite: boolean; readonly why: string }[] = [
  { keys: [OLD, NEW_ASIDE], rewrite: false, why: 'every API server can read the new key' },
  { keys: [NEW_ASIDE, OLD], rewrite: true, why: 'writes use the new key; then every Secret is rewritten with it' },
  { keys: [NEW_ASIDE, NEW], rewrite: false, why: 'no Secret uses the old key any more: its name now means the new key' },
  { keys: [NEW, NEW_ASIDE], rewrite: true, why: 'writes use the day-1 name; then every Secret is rewritten under it' },
  { keys: [NEW], rewrite: false, why: 'the day-1 file with the new key, as new control planes get it' },
];

export function renderJoinSecrets(model: ClusterModel): string[] {
  const cps = model.controlPlanes;
  const lbs = model.loadBalancer.nodes;
  const user = model.ssh.user;
  const ssh = (n: NodeModel) => `ssh ${user}@${n.ip}`;
  const second = cps[1] ?? cps[0]!;
  const stack = `cdktf.out/stacks/${model.name}`;
  const value = (key: string) => `"$(terraform output -json join_secrets | jq -r .${key})"`;
  const phases = ENCRYPTION_ROTATION.flatMap((phase, i) => [
    `# phase ${i + 1}/${ENCRYPTION_ROTATION.length}: ${phase.why}`,
    `phase "$(cat <<EOF`,
    ...renderEncryptionConfigKeys(phase.keys).trimEnd().split('\n'),
    'EOF',
    ')"',
    ...(phase.rewrite ? ['kubectl get secrets --all-namespaces -o json | kubectl replace -f - >/dev/null'] : []),
  ]);
  return [
    '## Join secrets',
    '',
    'The bootstrap token, certificate key, Secret encryption key and Keepalived password live only in',
    'Terraform state (`terraform_data.join_secrets`, the sensitive output `join_secrets`) and in each',
    'node\'s snippet on its PVE host (mode 0600). On a node, the kubeadm configs that hold the token and',
    'key are deleted when its bootstrap succeeds; kubeadm prints neither. The encryption key and the',
    'Keepalived password stay where the API server and Keepalived read them.',
    '',
    'A cluster created by this version has full-strength secrets: a 256-bit encryption key and',
    'certificate key, a token of 22 random `[a-z0-9]` characters (83 bits in its secret half) and a',
    'Keepalived password of 8 base64 characters (48 bits: VRRP carries at most 8 characters, in clear',
    'text, so it only keeps a stray VRRP speaker out). A cluster created before keeps the secrets it',
    'has (128-bit encryption key, 64-bit token secret, 32-bit Keepalived password: seeds `a`..`f` in',
    'its state) until you rotate them as below.',
    '',
    'Never replace `terraform_data.join_secrets` except as below: new control planes would get another',
    'encryption key than the running ones and could not read Secrets. To stop all joins (a leaked token):',
    '',
    ...sh(
      `${ssh(second)} sudo kubeadm token list`,
      `${ssh(second)} sudo kubeadm token delete <token-id>`,
    ),
    'and re-create the same token when nodes must join again:',
    `\`${ssh(second)} sudo kubeadm token create ${value('bootstrap_token')} --ttl 0\` (in \`${stack}\`).`,
    '',
    '### Rotating the join secrets',
    '',
    'After a leak, or to give a cluster created before the full-strength secrets new ones. New seeds',
    'replace only `terraform_data.join_secrets`: every VM and snippet keeps its day-1 content (measured',
    'by the day-2 check). Then the running cluster is given the new values, so that nodes added later',
    '(which get them from Terraform) match it. Run everything from one shell, in order, with the admin',
    'kubeconfig and `jq`; no value is written to a file. First deploy once with this version (it plans',
    'no resource change and records the `join_secrets` output), then:',
    '',
    ...sh(
      `cd ${stack}`,
      `OLD_KEY=${value('encryption_key')}`,
      'terraform apply -replace=terraform_data.join_secrets',
      `NEW_KEY=${value('encryption_key')}`,
    ),
    `**Encryption key.** Each phase writes \`${NODE_PATHS.encryptionConfig}\` on every control plane and`,
    'restarts its API server, one at a time (Kubernetes "Rotating a decryption key"); `phase` stops at',
    'the first control plane whose API server does not come back:',
    '',
    ...sh(
      'phase() {',
      `  for ip in ${cps.map((n) => n.ip).join(' ')}; do`,
      `    printf '%s\\n' "$1" | ssh ${user}@"$ip" 'sudo install -m 0600 /dev/stdin ${NODE_PATHS.encryptionConfig} && sudo crictl stop $(sudo crictl ps -q --name kube-apiserver) >/dev/null'`,
      '    sleep 10',
      '    for _ in $(seq 60); do kubectl --server "https://$ip:6443" get --raw=/readyz >/dev/null 2>&1 && break; sleep 5; done',
      '    kubectl --server "https://$ip:6443" get --raw=/readyz >/dev/null || { echo "API server on $ip is not ready: stop and check it" >&2; return 1; }',
      '  done',
      '}',
      ...phases,
    ),
    `**Certificate key.** Upload the control-plane certificates again, encrypted with the new key, and keep them (as bootstrap does):`,
    '',
    ...sh(
      `${ssh(second)} sudo kubeadm init phase upload-certs --upload-certs --certificate-key ${value('certificate_key')}`,
      `kubectl -n kube-system patch secret ${KUBEADM_CERTS_SECRET} --type=merge --patch='{"metadata":{"ownerReferences":null}}'`,
    ),
    '**Bootstrap token.** Create the new one, then delete the old one (`kubeadm token list`):',
    '',
    ...sh(
      `${ssh(second)} sudo kubeadm token create ${value('bootstrap_token')} --ttl 0`,
      `${ssh(second)} sudo kubeadm token delete <old-token-id>`,
    ),
    `**Keepalived password.** Change it on every load balancer in quick succession (until all have it, they ignore each other's adverts and more than one may hold the VIP):`,
    '',
    ...sh(
      `NEW_VRRP=${value('keepalived_password')}`,
      `for ip in ${lbs.map((n) => n.ip).join(' ')}; do`,
      `  printf '%s\\n' "$NEW_VRRP" | ssh ${user}@"$ip" 'sudo sed -i "s|^\\( *auth_pass \\).*|\\1$(cat)|" ${NODE_PATHS.keepalivedConfig} && sudo systemctl reload keepalived'`,
      'done',
      'unset OLD_KEY NEW_KEY NEW_VRRP',
    ),
  ];
}
