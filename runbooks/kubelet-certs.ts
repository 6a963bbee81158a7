/**
 * OPERATIONS.md section: kubelet serving certificates from the cluster CA, their approver, and how
 * a cluster bootstrapped with self-signed kubelet certificates switches (kubelets first, then
 * kube-apiserver's --kubelet-certificate-authority). Pure: model in, Markdown lines out.
 */
import { KUBELET_CSR_APPROVER, KUBELET_SERVING_CERTS, NODE_PATHS } from '../cloud-init';
import type { ClusterModel, NodeModel } from '../spec';
import { sh } from './markdown';

export function kubeletCertsSection(model: ClusterModel): string[] {
  const a = KUBELET_CSR_APPROVER;
  const ca = KUBELET_SERVING_CERTS.apiServerKubeletCa;
  const first = model.controlPlanes[0]!;
  const ssh = (n: NodeModel) => `ssh ${model.ssh.user}@${n.ip}`;
  const nodes = [...model.controlPlanes, ...model.workers];
  const v4 = model.kubernetes.minor.kubeadmApiVersion === 'kubeadm.k8s.io/v1beta4';
  const files = [NODE_PATHS.kubeletCsrApproverScript, NODE_PATHS.kubeletCsrApproverService, NODE_PATHS.kubeletCsrApproverTimer];
  return [
    '## Kubelet serving certificates',
    '',
    'Every kubelet serves a certificate signed by the cluster CA (`serverTLSBootstrap: true`), and kube-apiserver',
    `verifies it (\`--kubelet-certificate-authority=${ca}\`); so does metrics-server. On every control plane`,
    `\`${a.unit}.timer\` runs \`${NODE_PATHS.kubeletCsrApproverScript}\` every ${a.intervalSeconds} s. It approves a CSR of signer`,
    `\`${a.signerName}\` only when it comes from user \`system:node:<name>\` in group \`system:nodes\`, its subject is`,
    'that node, its usages are a serving certificate\'s, and every SAN is that Node\'s hostname or an IP address the',
    'Node reports, claimed by no other Node. Anything else stays Pending and is logged once. Until a node\'s CSR is',
    'approved, `kubectl logs`/`exec` to its pods fail with a TLS error; a kubelet asks again when its certificate',
    'nears expiry (rotation), and the timer approves that too.',
    '',
    ...sh(
      'kubectl get csr --sort-by=.metadata.creationTimestamp',
      `${ssh(first)} sudo journalctl -u ${a.unit}.service --since -1h`,
      "kubectl get csr <name> -o jsonpath='{.spec.request}' | base64 -d | openssl req -noout -text   # a refused one",
    ),
    'Approve a refused CSR by hand (`kubectl certificate approve <name>`) only when its SANs really are that node\'s.',
    '',
    '### Switching a cluster bootstrapped with self-signed kubelet certificates',
    '',
    'The snippets are `ignore_changes`: running nodes keep their day-1 kubelet config. In this order (the API',
    'server flag last: set earlier, it breaks `kubectl logs`/`exec` on every node still serving a self-signed',
    'certificate). Finish steps 1-3 before GitOps syncs this version\'s `dist/`: its metrics-server verifies kubelets.',
    '',
    `1. On each control plane, install the approver: the write_files entries ${files.map((f) => `\`${f}\``).join(', ')}`,
    `   from \`dist/${model.name}/nodes/<node>.cloud-config.yaml\` (script mode 0755), then`,
    `   \`sudo systemctl daemon-reload && sudo systemctl enable --now ${a.unit}.timer\`.`,
    '2. Kubelets, for nodes joining later: in the ConfigMap set `serverTLSBootstrap: true`; then on each node, one',
    '   at a time, the same in its kubelet config, restart the kubelet, and check its CSR is Approved:',
    '',
    ...sh(
      'kubectl -n kube-system edit configmap kubelet-config   # serverTLSBootstrap: true',
      `${ssh(nodes[0]!)} "sudo sed -i '/^serverTLSBootstrap:/d' /var/lib/kubelet/config.yaml && echo 'serverTLSBootstrap: true' | sudo tee -a /var/lib/kubelet/config.yaml && sudo systemctl restart kubelet"`,
      `kubectl get csr --field-selector spec.signerName=${a.signerName}   # ${nodes[0]!.name}: Approved,Issued`,
    ),
    `3. Check every node serves a CA-signed certificate (from a control plane; \`Verify return code: 0 (ok)\`):`,
    '',
    ...sh(
      ...nodes.map((n) => `${ssh(first)} "echo | sudo openssl s_client -connect ${n.ip}:10250 -CAfile ${ca} 2>/dev/null | grep 'Verify return code'"   # ${n.name}`),
    ),
    '4. kube-apiserver: add the flag to the stored ClusterConfiguration (for `kubeadm upgrade` and joining control',
    `   planes), then on each control plane, one at a time, to its static pod, and wait for \`/readyz\`:`,
    '',
    ...sh(
      `kubectl -n kube-system edit configmap kubeadm-config   # apiServer.extraArgs: ${v4 ? `- {name: kubelet-certificate-authority, value: ${ca}}` : `kubelet-certificate-authority: ${ca}`}`,
      `${ssh(first)} "sudo cp /etc/kubernetes/manifests/kube-apiserver.yaml /root/ && sudo sed -i 's|^    - kube-apiserver$|&\\n    - --kubelet-certificate-authority=${ca}|' /etc/kubernetes/manifests/kube-apiserver.yaml"`,
      `kubectl -n kube-system logs kube-apiserver-${first.name} --tail=1   # works: the API server verified ${first.name}'s kubelet`,
    ),
    '5. Then let GitOps sync this version\'s `dist/` (metrics-server without `--kubelet-insecure-tls`).',
    '',
  ];
}
