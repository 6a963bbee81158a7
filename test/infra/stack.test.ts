import { terraformAddress } from '../../infra/addresses';
import { readFileSync } from 'node:fs';
import { loadSpecFile } from '../../spec';
import { labModel, modelFromText, snippets, synthStack, vms } from './helpers';

describe('the cluster stack (lab)', () => {
  const model = labModel();
  const tf = synthStack(model);

  test('matches the snapshot (snippet bodies elided: test/cloud-init snapshots hold them)', () => {
    const elided = JSON.parse(JSON.stringify(tf));
    for (const snippet of Object.values<any>(snippets(elided))) {
      expect(snippet.source_raw.data.startsWith('#cloud-config\n')).toBe(true);
      snippet.source_raw.data = '<#cloud-config: see test/cloud-init snapshots>';
    }
    expect(elided).toMatchSnapshot();
  });

  test('has one VM per node, with the role counts of the spec', () => {
    const all = Object.values(vms(tf));
    expect(all).toHaveLength(6);
    expect(all.filter((vm) => vm.tags.includes('control-plane'))).toHaveLength(3);
    expect(all.filter((vm) => vm.tags.includes('worker'))).toHaveLength(3);
  });

  test('Terraform addresses are the node names (renaming one would recreate a VM)', () => {
    expect(Object.keys(vms(tf)).sort()).toEqual(model.nodes.map((n) => n.name).sort());
    expect(Object.keys(snippets(tf)).sort()).toEqual(model.nodes.map((n) => n.name).sort());
    expect(Object.keys(tf.resource.proxmox_virtual_environment_download_file).sort()).toEqual(['cloud-image-pve1', 'cloud-image-pve2', 'cloud-image-pve3']);
    expect(Object.keys(tf.resource.terraform_data)).toEqual(['join_secrets']);
  });

  test('control planes are spread over distinct PVE hosts', () => {
    const hosts = model.controlPlanes.map((n) => vms(tf)[n.name].node_name);
    expect(new Set(hosts).size).toBe(3);
  });

  test('every VM boots its own snippet, on its own host, with its static IP', () => {
    for (const node of model.nodes) {
      const vm = vms(tf)[node.name];
      const snippet = snippets(tf)[node.name];
      expect(vm.initialization.user_data_file_id).toBe(`\${proxmox_virtual_environment_file.${node.name}.id}`);
      expect(snippet.node_name).toBe(vm.node_name);
      expect(snippet.content_type).toBe('snippets');
      expect(vm.initialization.ip_config[0].ipv4).toEqual({ address: `${node.ip}/24`, gateway: '10.20.0.1' });
      expect(vm.vm_id).toBe(node.vmId);
    }
  });

  test('VMs use host CPU, virtio-scsi-single, discard + iothread, the guest agent, a serial console and start on boot', () => {
    for (const vm of Object.values(vms(tf))) {
      expect(vm.cpu.type).toBe('host');
      expect(vm.scsi_hardware).toBe('virtio-scsi-single');
      expect(vm.disk[0]).toMatchObject({ discard: 'on', iothread: true, interface: 'scsi0' });
      expect(vm.agent.enabled).toBe(true);
      expect(vm.serial_device).toEqual([{ device: 'socket' }]);
      expect(vm.on_boot).toBe(true);
      expect(vm.network_device[0]).toMatchObject({ bridge: 'vmbr0', vlan_id: 20 });
    }
  });

  test('the per-node addresses that runbooks print are the ones the stack synthesizes', () => {
    for (const kind of ['vm', 'snippet'] as const) {
      const [type, name] = terraformAddress(kind, 'lab-cp-1').split('.');
      expect(tf.resource[type!][name!]).toBeDefined();
    }
  });

  test('the provider holds no credential: only the endpoint from the spec', () => {
    expect(tf.provider.proxmox).toEqual([{ endpoint: 'https://pve1.lab.example.internal:8006/', insecure: false }]);
  });

  test('join secrets are Terraform references inside the snippets, never literals', () => {
    const data: string = snippets(tf)['lab-cp-1'].source_raw.data;
    expect(data).toContain('${local.bootstrap_token}');
    expect(data).toContain('${local.certificate_key}');
    expect(data).not.toMatch(/@@PVE_K8S_SECRET/);
    // Every other ${ is escaped for Terraform.
    const unescaped = data.match(/(?<!\$)\$\{[^}]*\}/g) ?? [];
    expect(new Set(unescaped)).toEqual(new Set(['${local.bootstrap_token}', '${local.certificate_key}', '${local.encryption_key}', '${local.keepalived_password}']));
    expect(tf.locals.bootstrap_token).toMatch(/^\$\{sensitive\(/);
  });

  test('GIVEN the join secrets output WHEN Terraform shows outputs THEN it is sensitive and holds only the four secrets', () => {
    expect(tf.output.join_secrets.sensitive).toBe(true);
    expect(tf.output.join_secrets.value).toEqual({
      bootstrap_token: '${local.bootstrap_token}',
      certificate_key: '${local.certificate_key}',
      encryption_key: '${local.encryption_key}',
      keepalived_password: '${local.keepalived_password}',
    });
  });

  test('the outputs name the nodes, the API endpoint and the kubeconfig command', () => {
    expect(tf.output.api_endpoint.value).toBe('https://10.20.0.10:6443');
    expect(Object.keys(tf.output.nodes.value)).toHaveLength(6);
    expect(tf.output.kubeconfig_command.value).toMatch(/^\(umask 077 && ssh ubuntu@10.20.0.11 sudo cat \/etc\/kubernetes\/admin.conf > kubeconfig-lab.yaml.new /);
  });

  test('day 2: a VM never reboots for an in-place change, keeps its day-1 image and user data, and shuts down cleanly when removed', () => {
    for (const [name, vm] of Object.entries(vms(tf))) {
      expect([name, vm.reboot_after_update, vm.stop_on_destroy, vm.timeout_shutdown_vm]).toEqual([name, false, false, 300]);
      expect(vm.lifecycle.ignore_changes).toEqual(['disk[0].file_id', 'initialization[0].user_data_file_id', 'node_name']);
    }
  });

  test('day 2: a snippet is readable by root only and keeps its day-1 content (a new one would re-run cloud-init)', () => {
    for (const [name, file] of Object.entries(snippets(tf))) {
      expect([name, file.file_mode, file.lifecycle.ignore_changes]).toEqual([name, '0600', ['source_raw', 'file_mode', 'node_name']]);
    }
  });

  test('the state is local by default, in state/ next to cdktf.out/ (outside every folder synth writes), the same path on every machine', () => {
    // Terraform runs in cdktf.out/stacks/lab/: three levels up is the project root.
    expect(tf.terraform.backend).toEqual({ local: { path: '../../../state/lab.tfstate' } });
  });
});

describe('stack options', () => {
  test('shared image storage downloads the image once', () => {
    const tf = synthStack(loadSpecFile('test/fixtures/accept/flux-k8s132.yaml').model);
    expect(Object.keys(tf.resource.proxmox_virtual_environment_download_file)).toEqual(['cloud-image-shared']);
  });

  test('HA and firewall resources are added per VM when enabled', () => {
    const model = loadSpecFile('test/fixtures/accept/dedicated-lb-k8s131.yaml').model;
    const tf = synthStack(model);
    expect(Object.keys(tf.resource.proxmox_virtual_environment_haresource)).toHaveLength(model.nodes.length);
    expect(Object.keys(tf.resource.proxmox_virtual_environment_firewall_options)).toHaveLength(model.nodes.length);
    const lbRules = tf.resource.proxmox_virtual_environment_firewall_rules['prod-lb-1'].rule;
    expect(lbRules).toContainEqual(expect.objectContaining({ dest: '10.40.0.10', dport: '8443' }));
    expect(lbRules).toContainEqual(expect.objectContaining({ source: 'pvek8s-admin', dport: '22' }));
    expect(tf.resource.proxmox_virtual_environment_firewall_alias['prod-lb-1']).toMatchObject({ name: 'pvek8s-admin', cidr: '10.99.0.0/24' });
    const workerRules = tf.resource.proxmox_virtual_environment_firewall_rules['prod-general-1'].rule;
    expect(workerRules).not.toContainEqual(expect.objectContaining({ dest: '10.40.0.10' }));
  });

  test('an s3 state backend is configured from the spec, without credentials', () => {
    const tf = synthStack(loadSpecFile('test/fixtures/accept/dedicated-lb-k8s131.yaml').model);
    expect(tf.terraform.backend.s3).toMatchObject({ bucket: 'tfstate', key: 'pve-k8s/prod.tfstate', use_path_style: true });
  });

  test('an s3 state is encrypted and locked with the DynamoDB table by default', () => {
    const base = readFileSync('clusters/lab.yaml', 'utf8');
    const tf = synthStack(modelFromText(`${base}state: { backend: s3, bucket: tfstate, dynamodbTable: tfstate-lock }\n`));
    expect(tf.terraform.backend.s3).toEqual({ bucket: 'tfstate', key: 'pve-k8s/lab.tfstate', region: 'us-east-1', encrypt: true, dynamodb_table: 'tfstate-lock' });
  });

  test('a spec\'d local state path is relative to the project root', () => {
    const base = readFileSync('clusters/lab.yaml', 'utf8');
    expect(synthStack(modelFromText(`${base}state: { backend: local, path: ../states/lab.tfstate }\n`)).terraform.backend.local.path).toBe('../../../../states/lab.tfstate');
    expect(synthStack(modelFromText(`${base}state: { backend: local, path: /srv/tf/lab.tfstate }\n`)).terraform.backend.local.path).toBe('/srv/tf/lab.tfstate');
  });

  test('a spec with 100 workers synthesizes one VM each with unique IDs and IPs', () => {
    const text = readFileSync('clusters/lab.yaml', 'utf8').replace(/count: 3\n {4}cores: 4\n {4}memory: 16384/, 'count: 100\n    cores: 4\n    memory: 16384');
    const model = modelFromText(text);
    const tf = synthStack(model);
    const all = Object.values(vms(tf));
    expect(all).toHaveLength(103);
    expect(new Set(all.map((vm) => vm.vm_id)).size).toBe(103);
    expect(new Set(all.map((vm) => vm.initialization.ip_config[0].ipv4.address)).size).toBe(103);
  });
});
