/** Compute resource presets for Helm values and our own containers (requests and limits always). */

export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export function resources(cpu: string, memory: string, cpuLimit: string, memoryLimit: string): Resources {
  return { requests: { cpu, memory }, limits: { cpu: cpuLimit, memory: memoryLimit } };
}

export const SMALL = resources('10m', '32Mi', '200m', '128Mi');
export const MEDIUM = resources('50m', '128Mi', '500m', '512Mi');
export const LARGE = resources('200m', '512Mi', '2', '2Gi');
