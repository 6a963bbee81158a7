#!/usr/bin/env node
/** Writes clusters/cluster.schema.json (the editor schema) from the zod model. */
import { writeFileSync } from 'node:fs';
import { clusterJsonSchema } from '../spec/json-schema';

writeFileSync(process.argv[2] ?? 'clusters/cluster.schema.json', clusterJsonSchema());
