/** The platform's PrometheusRule: what it alerts on, derived from the same facts the nodes use. */
import { CERT_RENEWAL } from '../../facts';
import { labModel, render } from './helpers';

const rules = () => {
  const rule = render(labModel()).objects.find((o) => o.obj.kind === 'PrometheusRule' && o.obj.metadata.name === 'platform');
  if (!rule) throw new Error('no platform PrometheusRule rendered');
  return (rule.obj.spec.groups as { rules: { alert: string; expr: string; for: string; labels: Record<string, string> }[] }[]).flatMap((g) => g.rules);
};

describe('platform alert rules', () => {
  test('GIVEN kubeadm certificates renewed 60 days before expiry WHEN a client certificate the API server sees has under 30 days left THEN a critical alert fires (the renewal stopped)', () => {
    const alert = rules().find((r) => r.alert === 'KubeadmCertificateNotRenewed');
    expect(alert).toBeDefined();
    expect(alert!.labels.severity).toBe('critical');
    expect(alert!.expr).toContain('apiserver_client_certificate_expiration_seconds_bucket{job="apiserver"}');
    expect(alert!.expr).toMatch(/< 30 \* 24 \* 3600$/);
    // The alert threshold sits well after the renewal point, so a working renewal never fires it.
    expect(CERT_RENEWAL.renewBeforeDays).toBeGreaterThan(30 + 7);
  });

  test('every alert waits before firing and carries a severity', () => {
    for (const r of rules()) {
      expect(r.for).toMatch(/^\d+[mh]$/);
      expect(['warning', 'critical']).toContain(r.labels.severity);
    }
  });
});
