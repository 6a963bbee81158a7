// A Terraform v4 state "as if day 1 had been applied": every resource of a saved plan with its
// planned values, unknown (computed) attributes filled with plausible values of their schema type.
const crypto = require('node:crypto');

/** Plausible ids for what the provider computes on create. */
const ids = {
  proxmox_virtual_environment_vm: (v) => String(v.vm_id),
  proxmox_virtual_environment_file: (v) => `${v.datastore_id}:${v.content_type}/${v.source_raw?.[0]?.file_name ?? v.file_name}`,
  proxmox_virtual_environment_download_file: (v) => `${v.datastore_id}:${v.content_type}/${v.file_name}`,
};

/** A fixed UUID per label, so the state is the same on every run. */
const uuid = (label) => {
  const h = crypto.createHash('sha256').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** A value of cty type `type` (schema JSON form). */
function plausible(type, label) {
  if (type === 'string') return `day1-${label}`;
  if (type === 'number') return 1;
  if (type === 'bool') return false;
  if (Array.isArray(type) && (type[0] === 'list' || type[0] === 'set')) return [];
  if (Array.isArray(type) && type[0] === 'map') return {};
  if (Array.isArray(type) && type[0] === 'object') return Object.fromEntries(Object.keys(type[1]).map((k) => [k, null]));
  throw new Error(`day2 state: no plausible value for ${JSON.stringify(type)} (${label})`);
}

/** Fills `values` where `unknown` is true, guided by the schema block. */
function fill(values, unknown, block, label) {
  for (const [key, u] of Object.entries(unknown ?? {})) {
    const attr = block?.attributes?.[key];
    const nested = block?.block_types?.[key];
    if (u === true) {
      if (key === 'id' && ids[label.type]) values.id = ids[label.type](values);
      else if (attr) values[key] = plausible(attr.type, `${label.address}.${key}`);
      else if (nested) values[key] = nested.nesting_mode === 'single' ? null : [];
      else throw new Error(`day2 state: ${label.address}.${key} is unknown and not in the provider schema`);
    } else if (Array.isArray(u)) {
      u.forEach((item, i) => {
        if (item === true) values[key][i] = attr ? plausible(attr.type[1], `${label.address}.${key}`) : {};
        else if (item && typeof item === 'object') fill(values[key][i], item, nested?.block, label);
      });
    } else if (u && typeof u === 'object' && nested) {
      fill(values[key], u, nested.block, label);
    }
  }
}

/** Terraform's sensitive-values tree -> state v4 `sensitive_attributes` paths. */
function sensitivePaths(tree, prefix = []) {
  if (tree === true) return [prefix];
  if (Array.isArray(tree)) return tree.flatMap((t, i) => sensitivePaths(t, [...prefix, { type: 'index', value: { value: i, type: 'number' } }]));
  if (tree && typeof tree === 'object') return Object.entries(tree).flatMap(([k, t]) => sensitivePaths(t, [...prefix, { type: 'get_attr', value: k }]));
  return [];
}

/** terraform_data input and output: a map of uuid() calls, stored with its type (a dynamic attribute). */
function seedAttributes(address, keys) {
  const input = Object.fromEntries(keys.map((k) => [k, uuid(`${address}.${k}`)]));
  const typed = { value: input, type: ['object', Object.fromEntries(keys.map((k) => [k, 'string']))] };
  return { input: typed, output: typed };
}

/** A copy of `state` whose terraform_data `name` holds the seeds `keys` (e.g. an older generation's). */
function withSeeds(state, name, keys) {
  const copy = structuredClone(state);
  const r = copy.resources.find((x) => x.type === 'terraform_data' && x.name === name);
  Object.assign(r.instances[0].attributes, seedAttributes(`terraform_data.${name}`, keys));
  return copy;
}

/** The seed values of terraform_data `name` in `state`. */
const seedsOf = (state, name) => state.resources.find((x) => x.type === 'terraform_data' && x.name === name).instances[0].attributes.output.value;

/**
 * plan: `terraform show -json` of the day-1 plan; schemas: `terraform providers schema -json`;
 * config: the stack's cdk.tf.json (terraform_data's input is uuid() calls, unknown until apply).
 */
function day1State(plan, schemas, config) {
  const changes = new Map(plan.resource_changes.map((rc) => [rc.address, rc]));
  const resources = plan.planned_values.root_module.resources.map((r) => {
    const schema = schemas.provider_schemas[r.provider_name]?.resource_schemas?.[r.type];
    if (!schema) throw new Error(`day2 state: no schema for ${r.type} (${r.provider_name})`);
    const values = structuredClone(r.values);
    if (r.type === 'terraform_data') {
      const input = config.resource.terraform_data[r.name].input;
      // Seeds (uuid() calls) get fixed stand-ins; a known input (e.g. the datacenter firewall check's) is kept.
      const seeded = Object.values(input).every((v) => v === '${uuid()}');
      const known = { value: input, type: ['object', Object.fromEntries(Object.keys(input).map((k) => [k, 'string']))] };
      Object.assign(values, { id: uuid(r.address), triggers_replace: null }, seeded ? seedAttributes(r.address, Object.keys(input)) : { input: known, output: known });
    } else {
      fill(values, changes.get(r.address).change.after_unknown, schema.block, r);
    }
    return {
      mode: r.mode,
      type: r.type,
      name: r.name,
      provider: `provider["${r.provider_name}"]`,
      instances: [{ schema_version: r.schema_version, attributes: values, sensitive_attributes: sensitivePaths(r.sensitive_values) }],
    };
  });
  return { version: 4, terraform_version: plan.terraform_version, serial: 1, lineage: uuid('day1'), outputs: {}, resources, check_results: null };
}

module.exports = { day1State, withSeeds, seedsOf };
