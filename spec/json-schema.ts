/** The JSON Schema editors use for clusters/*.yaml, generated from the zod model. */
import { z } from 'zod';
import { ClusterSpecSchema } from './schema';

export function clusterJsonSchema(): string {
  const schema = z.toJSONSchema(ClusterSpecSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'pve-k8s cluster spec' }, null, 2)}\n`;
}
