/** PrometheusRules: node down, certificate expiry (cert-manager's, and kubeadm's when its renewal stopped), etcd backup missing or failed. */
import type { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr as Expr } from '../../imports/monitoring.coreos.com';
import { parseCronSchedule } from '../../spec';
import { CERT_RENEWAL } from '../../facts';
import type { Platform } from '../platform';
import { ETCD_BACKUP_NAMESPACE } from './etcd-backup';

export function renderAlertRules(scope: Construct, platform: Platform, namespace: string): PrometheusRule {
  const interval = parseCronSchedule(platform.model.backups.etcdSchedule).maxIntervalSeconds;
  // Missing = no successful snapshot for two intervals plus half an hour of slack.
  const missingAfter = 2 * interval + 1800;
  const sev = (severity: string) => ({ severity });
  return new PrometheusRule(scope, 'platform-rules', {
    metadata: { name: 'platform', namespace },
    spec: {
      groups: [
        {
          name: 'nodes',
          rules: [
            {
              alert: 'NodeDown',
              expr: Expr.fromString('up{job="node-exporter"} == 0 or kube_node_status_condition{condition="Ready",status="true"} == 0'),
              for: '5m',
              labels: sev('critical'),
              annotations: { summary: 'Node {{ $labels.instance }}{{ $labels.node }} is down or NotReady for 5 minutes.' },
            },
          ],
        },
        {
          name: 'certificates',
          rules: [
            {
              alert: 'CertificateExpiresSoon',
              expr: Expr.fromString('certmanager_certificate_expiration_timestamp_seconds - time() < 14 * 24 * 3600'),
              for: '1h',
              labels: sev('warning'),
              annotations: { summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in less than 14 days.' },
            },
            {
              // kubeadm's certificates are renewed CERT_RENEWAL.renewBeforeDays before expiry; the API server sees the
              // client ones (controller-manager, scheduler, admin.conf; kubelets rotate theirs), in buckets of which
              // 30 days is one. Below it, the renewal has not run or failed for weeks.
              alert: 'KubeadmCertificateNotRenewed',
              expr: Expr.fromString(
                'apiserver_client_certificate_expiration_seconds_count{job="apiserver"} > 0 and on (job, instance) ' +
                  'histogram_quantile(0.01, sum by (job, instance, le) (rate(apiserver_client_certificate_expiration_seconds_bucket{job="apiserver"}[5m]))) < 30 * 24 * 3600',
              ),
              for: '1h',
              labels: sev('critical'),
              annotations: {
                summary: `A client certificate used against the API server ({{ $labels.instance }}) expires within 30 days: kubeadm's renewal (renews ${CERT_RENEWAL.renewBeforeDays} days before expiry, pve-k8s-certs-renew.timer) has not run or failed, or an old admin.conf is in use. See OPERATIONS.md "Certificates".`,
              },
            },
            {
              alert: 'CertificateNotReady',
              expr: Expr.fromString('certmanager_certificate_ready_status{condition="False"} == 1'),
              for: '30m',
              labels: sev('warning'),
              annotations: { summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} is not ready.' },
            },
          ],
        },
        {
          name: 'etcd-backup',
          rules: [
            {
              alert: 'EtcdBackupFailed',
              expr: Expr.fromString(`kube_job_status_failed{namespace="${ETCD_BACKUP_NAMESPACE}"} > 0`),
              for: '5m',
              labels: sev('critical'),
              annotations: { summary: 'etcd snapshot job {{ $labels.job_name }} failed.' },
            },
            {
              alert: 'EtcdBackupMissing',
              expr: Expr.fromString(
                `time() - max by (cronjob) (kube_cronjob_status_last_successful_time{namespace="${ETCD_BACKUP_NAMESPACE}"}) > ${missingAfter}` +
                ` or absent(kube_cronjob_status_last_successful_time{namespace="${ETCD_BACKUP_NAMESPACE}"})`,
              ),
              for: '1h',
              labels: sev('critical'),
              annotations: { summary: `No successful etcd snapshot for more than ${Math.round(missingAfter / 3600)}h ({{ $labels.cronjob }}).` },
            },
          ],
        },
      ],
    },
  });
}
