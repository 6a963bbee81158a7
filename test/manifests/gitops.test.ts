/** Argo CD and Flux are two renderings of one release model; the retired ingress-nginx warns. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { CHARTS, loadSpecText } from '../../spec';
import { INGRESS_NGINX_RETIRED_WARNING } from '../../spec/checks/addons';
import { isPlaceholderWarning } from '../../spec/checks/placeholders';
import { Release, synthManifests } from '../../manifests';
import { listFiles } from '../../manifests/writer';
import { labModel, REPO, render, type SpecDoc } from './helpers';

describe('GIVEN one cluster model WHEN rendered for Argo CD and for Flux', () => {
  const argo = render(labModel());
  const flux = render(labModel((d) => { d.addons.gitops.engine = 'flux'; }));
  const apps = argo.objects.map((o) => o.obj).filter((o) => o.kind === 'Application' && o.spec.source?.chart && o.metadata.name !== 'argocd');
  const releases = flux.objects.map((o) => o.obj).filter((o) => o.kind === 'HelmRelease');

  it('THEN both deliver the same releases with the same chart versions and values', () => {
    expect(releases.map((r) => r.metadata.name).sort()).toEqual(apps.map((a) => a.metadata.name).sort());
    for (const app of apps) {
      const hr = releases.find((r) => r.metadata.name === app.metadata.name)!;
      expect(hr.metadata.namespace).toBe(app.spec.destination.namespace);
      expect(hr.spec.values).toEqual(app.spec.source.helm.valuesObject);
      const version = hr.spec.chart?.spec.version ?? flux.objects.find((o) => o.obj.kind === 'OCIRepository' && o.obj.metadata.name === hr.metadata.name)!.obj.spec.ref.tag;
      expect(version).toBe(app.spec.source.targetRevision);
    }
  });

  it('THEN Argo CD orders by sync waves and Flux by dependsOn', () => {
    const wave = (name: string) => Number(apps.find((a) => a.metadata.name === name)!.metadata.annotations!['argocd.argoproj.io/sync-wave']);
    expect(wave('metallb')).toBeLessThan(wave('nginx-ingress'));
    expect(wave('cert-manager')).toBeLessThan(wave('kube-prometheus-stack'));
    const hr = (name: string) => releases.find((r) => r.metadata.name === name)!;
    expect(hr('nginx-ingress').spec.dependsOn).toEqual([{ name: 'metallb', namespace: 'metallb-system' }]);
    expect(hr('alloy').spec.dependsOn).toEqual([{ name: 'loki', namespace: 'logging' }]);
  });

  it('THEN Flux applies custom resources only after their add-on (Kustomization per folder) and Argo CD one wave later', () => {
    const ks = flux.objects.map((o) => o.obj).filter((o) => o.kind === 'Kustomization' && o.metadata.name === 'metallb-config')[0]!;
    expect(ks.spec.dependsOn).toEqual([{ name: 'metallb' }]);
    expect(ks.spec.path).toBe('./dist/lab/manifests/metallb-config');
    expect(flux.manifests.get('kustomization.yaml')).toContain('gitops/Kustomization.flux-system.metallb-config.yaml');
    const pool = argo.objects.find((o) => o.obj.kind === 'IPAddressPool')!.obj;
    expect(pool.metadata.annotations!['argocd.argoproj.io/sync-wave']).toBe(String(Number(apps.find((a) => a.metadata.name === 'metallb')!.metadata.annotations!['argocd.argoproj.io/sync-wave']) + 1));
  });

  it('THEN the Argo CD root application syncs dist/<cluster>/manifests recursively', () => {
    const root = argo.objects.find((o) => o.obj.kind === 'Application' && o.obj.metadata.name === 'root')!.obj;
    expect(root.spec.source).toEqual({ repoURL: 'https://git.lab.example.internal/platform/clusters.git', targetRevision: 'main', path: 'dist/lab/manifests', directory: { recurse: true } });
  });

  it('THEN no Argo CD object is rendered for Flux and vice versa', () => {
    expect(flux.objects.filter((o) => o.obj.apiVersion.startsWith('argoproj.io'))).toEqual([]);
    expect(argo.objects.filter((o) => o.obj.apiVersion.includes('fluxcd.io'))).toEqual([]);
  });
});

/**
 * The loader's warnings for lab.yaml with one edit (what synth prints as `file: field: message`),
 * without those about its example values and its unchecked image (test/spec/placeholders.test.ts,
 * image-checksum.test.ts).
 */
function labWarnings(edit: (doc: SpecDoc) => void): string[] {
  const doc = yaml.load(readFileSync(join(REPO, 'clusters', 'lab.yaml'), 'utf8')) as SpecDoc;
  edit(doc);
  return loadSpecText(yaml.dump(doc), 'lab.yaml').warnings.filter((w) => !isPlaceholderWarning(w) && w.path.join('.') !== 'image.checksum').map((w) => `${w.path.join('.')}: ${w.message}`);
}

describe('GIVEN add-on choices that render differently from what the user may expect', () => {
  // Warnings belong to the spec loader (spec/checks/addons.ts), printed by the CLI; renderers stay silent.
  const quiet = <T>(run: () => T): T => {
    const spies = (['log', 'warn', 'error'] as const).map((m) => jest.spyOn(console, m).mockImplementation(() => undefined));
    try {
      const result = run();
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
      return result;
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
  };

  it('WHEN ingress-nginx (retired) is chosen THEN the loader warns on addons.ingress.controller, and the community chart renders without console output', () => {
    const edit = (d: SpecDoc) => { d.addons.ingress = { controller: 'ingress-nginx' }; };
    expect(labWarnings(edit)).toEqual([`addons.ingress.controller: ${INGRESS_NGINX_RETIRED_WARNING}`]);
    const r = quiet(() => render(labModel(edit)));
    const app = r.objects.find((o) => o.obj.kind === 'Application' && o.obj.metadata.name === 'ingress-nginx')!.obj;
    expect(app.spec.source.chart).toBe(CHARTS.ingressNginx.chart);
  });

  it('WHEN Velero is on without addons.backups.s3 THEN the loader warns and no Velero object renders', () => {
    const edit = (d: SpecDoc) => { delete d.addons.backups.s3; };
    expect(labWarnings(edit)).toEqual(['addons.backups.velero: Velero needs an object store: it is not rendered until addons.backups.s3 is set']);
    const r = quiet(() => render(labModel(edit)));
    expect(r.objects.filter((o) => JSON.stringify(o.obj).includes('velero.io'))).toEqual([]);
  });

  it('WHEN the GitOps engine is "none" THEN the loader warns and no Application or HelmRelease renders', () => {
    const edit = (d: SpecDoc) => { d.addons.gitops.engine = 'none'; };
    expect(labWarnings(edit)).toEqual(['addons.gitops.engine: nothing delivers the add-ons: apply dist/<name>/manifests and the Helm releases listed in versions.json yourself']);
    const r = quiet(() => render(labModel(edit)));
    expect(r.objects.filter((o) => ['Application', 'HelmRelease', 'Kustomization'].includes(o.obj.kind))).toEqual([]);
  });

  it('WHEN lab.yaml is loaded as committed THEN no add-on warning', () => {
    expect(labWarnings(() => undefined)).toEqual([]);
  });
});

describe('GIVEN synthManifests', () => {
  it('WHEN run twice THEN the output is byte-identical', () => {
    const model = labModel();
    const [a, b] = [mkdtempSync(join(tmpdir(), 'm-')), mkdtempSync(join(tmpdir(), 'm-'))];
    synthManifests(model, a);
    synthManifests(model, b);
    const files = listFiles(a);
    expect(files).toEqual(listFiles(b));
    expect(files).toEqual(expect.arrayContaining(['versions.json', 'SECRETS.md', 'manifests/metallb-config/IPAddressPool.metallb-system.default.yaml']));
    for (const f of files) expect(readFileSync(join(b, f), 'utf8')).toBe(readFileSync(join(a, f), 'utf8'));
  });
});

describe('GIVEN invalid input', () => {
  it('WHEN a release has a floating chart version THEN it throws with the value received', () => {
    expect(() => new Release({ name: 'x', namespace: 'y', chart: { ...CHARTS.metallb, version: '0.15.x' }, values: {} })).toThrow(/exact semantic version, received: "0.15.x"/);
  });
});
