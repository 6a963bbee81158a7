/**
 * Terraform addresses of the per-node resources (a contract: README "Terraform addresses").
 * Plain strings, no cdktf import, so runbooks can print them; test/infra checks them against
 * the synthesized stack.
 */
export const NODE_RESOURCE_TYPES = {
  vm: 'proxmox_virtual_environment_vm',
  snippet: 'proxmox_virtual_environment_file',
} as const;

/** `proxmox_virtual_environment_vm.<node>` and the like: addresses derive from node names only. */
export function terraformAddress(kind: keyof typeof NODE_RESOURCE_TYPES, node: string): string {
  return `${NODE_RESOURCE_TYPES[kind]}.${node}`;
}
