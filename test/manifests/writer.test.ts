import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { buildPlatform } from '../../manifests/build';
import { Platform } from '../../manifests/platform';
import { defaultVersions } from '../../manifests/versions';
import { renderFiles, toYaml } from '../../manifests/writer';
import { labModel } from './helpers';

describe('GIVEN the charts of a platform WHEN renderFiles writes one file per object', () => {
  const model = labModel();
  const app = new App({ outdir: 'unused' });
  const charts = buildPlatform(app, new Platform(model, defaultVersions(model)));

  test('every object of every chart is written, exactly as Chart.toJson() serialises it', () => {
    const files = renderFiles(charts);
    const expected = charts.flatMap((c) => c.toJson()).map((o) => toYaml(o)).sort();
    expect([...files.values()].sort()).toEqual(expected);
  });

  test('a failing construct validation stops rendering with cdk8s\' message and the construct path', () => {
    // GIVEN a chart holding a construct whose validation fails
    const bad = new App({ outdir: 'unused' });
    const chart = new Chart(bad, 'broken');
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    new Construct(chart, 'guard').node.addValidation({ validate: () => ['the guard failed'] });
    // WHEN / THEN
    expect(() => renderFiles([chart])).toThrow('Validation failed with the following errors:\n  [broken/guard] the guard failed');
  });
});
