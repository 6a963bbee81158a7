import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, TerraformOutput, TerraformStack } from 'cdktf';
import { loadSpecFile, loadSpecSet } from '../../spec';
import { buildInfraApp } from '../../infra/app';
import { ClusterStack } from '../../infra/stack';

/** Every stack's cdk.tf.json of one app synth per group of specs, by group and stack name. */
function synthAll(groups: readonly (readonly string[])[]): Record<string, string> {
  return Object.assign({}, ...groups.map((files, i) => Object.fromEntries(Object.entries(synthApp(files)).map(([k, v]) => [`${i}/${k}`, v]))));
}

function synthApp(files: readonly string[], edit: (app: App) => void = () => {}): Record<string, string> {
  const out = mkdtempSync(join(tmpdir(), 'pve-k8s-prepare-'));
  try {
    const models = files.length > 1 ? loadSpecSet(files).map((s) => s.model) : [loadSpecFile(files[0]!).model];
    const app = buildInfraApp(models, { outdir: out });
    edit(app);
    app.synth();
    const stacks = join(out, 'stacks');
    return Object.fromEntries(readdirSync(stacks).map((name) => [name, readFileSync(join(stacks, name, 'cdk.tf.json'), 'utf8')]));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('ClusterStack skips cdktf\'s cross-stack preparing pass', () => {
  // The examples together in one app (as npm run synth builds them), each accepted fixture alone.
  const files = [
    ['clusters/lab.yaml', 'clusters/dev.yaml'],
    ...readdirSync('test/fixtures/accept').map((f) => [join('test', 'fixtures', 'accept', f)]),
  ];

  /** Runs `fn` with cdktf's own prepareStack in place of ours. */
  function withCdktfPrepare<T>(fn: () => T): T {
    const spy = jest.spyOn(ClusterStack.prototype, 'prepareStack').mockImplementation(function (this: ClusterStack) {
      TerraformStack.prototype.prepareStack.call(this);
    });
    try {
      const result = fn();
      expect(spy).toHaveBeenCalled();
      return result;
    } finally {
      spy.mockRestore();
    }
  }

  test('writes exactly what cdktf\'s own prepareStack would, for every example and accepted fixture', () => {
    // GIVEN every cluster we ship or accept
    const ours = synthAll(files);
    // WHEN the same app runs cdktf's full prepareStack (the resolve that finds cross-stack references)
    const cdktfs = withCdktfPrepare(() => synthAll(files));
    // THEN the outputs are byte-identical: no stack references another
    expect(Object.keys(ours).sort()).toEqual(Object.keys(cdktfs).sort());
    expect(Object.keys(ours).length).toBeGreaterThan(2);
    for (const name of Object.keys(ours)) expect(ours[name]).toBe(cdktfs[name]);
  });

  test('the comparison would notice a cross-stack reference (control: the rule above can fail)', () => {
    // GIVEN the dev stack with an output that references a VM of the lab stack
    const crossRef = (app: App) => {
      const [lab, dev] = ['lab', 'dev'].map((id) => app.node.findChild(id) as ClusterStack);
      new TerraformOutput(dev!, 'lab_vm', { value: lab!.nodes[0]!.vm.vmId });
    };
    const pair = ['clusters/lab.yaml', 'clusters/dev.yaml'];
    // WHEN synthesized with and without cdktf's preparing pass
    const ours = synthApp(pair, crossRef);
    const cdktfs = withCdktfPrepare(() => synthApp(pair, crossRef));
    // THEN they differ: only cdktf's pass wires the reference through remote state
    expect(cdktfs.dev).toContain('terraform_remote_state');
    expect(ours.dev).not.toContain('terraform_remote_state');
  });
});
