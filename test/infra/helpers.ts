import { Testing } from 'cdktf';
import { loadSpecFile, loadSpecText, type ClusterModel } from '../../spec';
import { ClusterStack } from '../../infra/stack';

/** Synthesizes one cluster's stack and returns the parsed Terraform JSON. */
export function synthStack(model: ClusterModel): any {
  const app = Testing.app();
  const stack = new ClusterStack(app, model.name, { model });
  return JSON.parse(Testing.synth(stack));
}

export function labModel(): ClusterModel {
  return loadSpecFile('clusters/lab.yaml').model;
}

export function modelFromText(text: string): ClusterModel {
  return loadSpecText(text, 'test.yaml').model;
}

export const vms = (tf: any): Record<string, any> => tf.resource.proxmox_virtual_environment_vm ?? {};
export const snippets = (tf: any): Record<string, any> => tf.resource.proxmox_virtual_environment_file ?? {};
