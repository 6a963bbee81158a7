import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { type ClusterModel, loadSpecDocument, loadSpecFile, type NodeModel } from '../../spec';
import { type BootstrapSecrets, renderNodeCloudConfig } from '../../cloud-init';
import { manifestFacts } from '../../manifests';

export const lab = (): ClusterModel => loadSpecFile('clusters/lab.yaml').model;
export const dev = (): ClusterModel => loadSpecFile('clusters/dev.yaml').model;

/** The lab spec with a change applied, as a model. */
export function labWith(change: (doc: Record<string, any>) => void): ClusterModel {
  const doc = yaml.load(readFileSync('clusters/lab.yaml', 'utf8')) as Record<string, any>;
  change(doc);
  return loadSpecDocument(doc, 'test.yaml').model;
}

export const labOnMinor = (version: string): ClusterModel => labWith((d) => { d.kubernetes = { version }; });
export const labDedicated = (): ClusterModel => labWith((d) => { d.loadBalancer = { mode: 'dedicated' }; });
export const labWithoutWorkers = (): ClusterModel => labWith((d) => { d.workers = []; });

/** Format-valid but obviously fake secrets (never used anywhere real). */
export const FAKE_SECRETS: BootstrapSecrets = {
  bootstrapToken: 'abcdef.0123456789abcdef',
  certificateKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
  encryptionKey: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  keepalivedPassword: 'vrrp1234',
};

/** Markers like the infra layer passes (replaced by Terraform references later). */
export const MARKER_SECRETS: BootstrapSecrets = {
  bootstrapToken: '@@TF_BOOTSTRAP_TOKEN@@',
  certificateKey: '@@TF_CERTIFICATE_KEY@@',
  encryptionKey: '@@TF_ENCRYPTION_KEY@@',
  keepalivedPassword: '@@TF_VRRP@@',
};

export function node(model: ClusterModel, name: string): NodeModel {
  const n = model.nodes.find((x) => x.name === name);
  if (!n) throw new Error(`no node ${name} in ${model.name}`);
  return n;
}

export interface CloudConfig {
  readonly packages: string[];
  readonly write_files: { path: string; content: string; permissions: string; defer?: boolean }[];
  readonly runcmd: unknown[];
  readonly [key: string]: unknown;
}

export function parse(text: string): CloudConfig {
  return yaml.load(text) as CloudConfig;
}

/** The node's rendered cloud-config, parsed. */
export function cloudConfig(model: ClusterModel, name: string, secrets: BootstrapSecrets = FAKE_SECRETS): CloudConfig {
  return parse(renderNodeCloudConfig(model, node(model, name), secrets, manifestFacts(model)));
}

/** Content of one written file, or undefined. */
export function fileIn(cc: CloudConfig, path: string): string | undefined {
  return cc.write_files.find((f) => f.path === path)?.content;
}

export function paths(cc: CloudConfig): string[] {
  return cc.write_files.map((f) => f.path);
}

/** Parses a multi-document YAML file (kubeadm config). */
export function docs(text: string): Record<string, any>[] {
  return yaml.loadAll(text) as Record<string, any>[];
}
