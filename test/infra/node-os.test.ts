import { DEBIAN_IMAGE, UBUNTU_IMAGE } from '../../spec';
import { labModel, modelFromText, synthStack } from './helpers';
import { readFileSync } from 'node:fs';

const downloads = (tf: any): any[] => Object.values(tf.resource.proxmox_virtual_environment_download_file ?? {});

describe('cloud image per node OS (nodeOs)', () => {
  test('GIVEN the default Ubuntu WHEN the stack is synthesized THEN each host downloads the pinned Ubuntu image (no digest pinned)', () => {
    const images = downloads(synthStack(labModel()));
    expect(images.length).toBe(3);
    for (const d of images) {
      expect([d.url, d.file_name, d.checksum]).toEqual([UBUNTU_IMAGE.url, UBUNTU_IMAGE.fileName, undefined]);
    }
  });

  test('GIVEN nodeOs debian-12 WHEN the stack is synthesized THEN each host downloads the genericcloud image checked against its SHA-512, VMs keep their addresses', () => {
    const text = readFileSync('clusters/lab.yaml', 'utf8') + '\nnodeOs: debian-12\n';
    const tf = synthStack(modelFromText(text));
    const images = downloads(tf);
    expect(images.length).toBe(3);
    for (const d of images) {
      expect(d).toMatchObject({ url: DEBIAN_IMAGE.url, file_name: DEBIAN_IMAGE.fileName, checksum: DEBIAN_IMAGE.checksum.value, checksum_algorithm: 'sha512', content_type: 'iso' });
    }
    // Same Terraform addresses as the Ubuntu cluster: switching nodeOs renames nothing.
    expect(Object.keys(tf.resource.proxmox_virtual_environment_vm).sort()).toEqual(Object.keys(synthStack(labModel()).resource.proxmox_virtual_environment_vm).sort());
  });
});
