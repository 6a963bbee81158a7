/**
 * The API audit log shipper of the logging add-on: a second Alloy release, a DaemonSet on the
 * control planes only, tails kube-apiserver's audit log (facts/audit-log.ts: the path kubeadm
 * gives kube-apiserver) through a read-only hostPath and pushes it to Loki.
 *
 * It lives in its own namespace because a hostPath volume needs Pod Security `privileged`; the
 * pod itself is not privileged: root (the log is root's, mode 0600; uid 0 reads it as its owner,
 * so no capability is needed) with every capability dropped, no privilege escalation, a read-only
 * root filesystem and the RuntimeDefault seccomp profile. It reads no Kubernetes API (file source:
 * no RBAC, no API egress); its only egress is DNS and Loki's push port.
 */
import { API_AUDIT_LOG } from '../../facts';
import type { AddonChart } from '../addon-chart';
import { MEDIUM } from './resources';

export const AUDIT_SHIPPER_NAMESPACE = 'logging-audit';
export const AUDIT_SHIPPER_RELEASE = 'alloy-audit';
/** The shipper's pods (the Alloy chart's selector labels for this release). */
export const AUDIT_SHIPPER_PODS: Readonly<Record<string, string>> = { 'app.kubernetes.io/name': 'alloy', 'app.kubernetes.io/instance': AUDIT_SHIPPER_RELEASE };
/**
 * Alloy's storage path, a hostPath on each control plane: it holds the read position in the audit
 * log, so a restarted or upgraded pod resumes where it stopped instead of sending the whole file
 * (up to maxSizeMb) to Loki again, as it would with an emptyDir (gone with the pod).
 */
export const AUDIT_SHIPPER_STATE_DIR = '/var/lib/alloy-audit';
/** Loki labels of every audit line (besides `filename`, which loki.source.file adds). */
export const AUDIT_LOG_JOB = 'kubernetes-audit';

const NODE_ROLE = 'node-role.kubernetes.io/control-plane';

/** The Alloy component both logging pipelines end in: push to Loki at `lokiPushUrl`. */
export function lokiWrite(lokiPushUrl: string): string[] {
  return ['loki.write "default" {', '  endpoint {', `    url = "${lokiPushUrl}"`, '  }', '}'];
}

/**
 * Alloy pipeline: this control plane's audit log -> entry time from the event -> Loki.
 * Only the active file is tailed: at rotation kube-apiserver renames it to audit-<timestamp>.log
 * (lines already read) and the tailer reopens the new audit.log by name; matching the renamed
 * copies would send them again from their first line (positions are kept per path). The entry
 * timestamp is the event's stageTimestamp, so Loki orders events by when they happened.
 */
export function alloyAuditConfig(lokiPushUrl: string): string {
  return [
    'local.file_match "audit" {',
    '  path_targets = [{',
    `    "__path__" = "${API_AUDIT_LOG.path}",`,
    `    "job"      = "${AUDIT_LOG_JOB}",`,
    '    "node"     = sys.env("HOSTNAME"),',
    '  }]',
    '}',
    'loki.source.file "audit" {',
    '  targets    = local.file_match.audit.targets',
    '  forward_to = [loki.process.audit.receiver]',
    '}',
    'loki.process "audit" {',
    '  stage.json {',
    '    expressions = { ts = "stageTimestamp" }',
    '  }',
    '  stage.timestamp {',
    '    source = "ts"',
    '    format = "RFC3339Nano"',
    '  }',
    '  forward_to = [loki.write.default.receiver]',
    '}',
    ...lokiWrite(lokiPushUrl),
    '',
  ].join('\n');
}

/** The Alloy chart values of the audit shipper (keys of the Alloy chart pinned in spec/versions.ts). */
export function alloyAuditValues(lokiPushUrl: string): Record<string, unknown> {
  const volumes = { auditLog: 'audit-log', state: 'alloy-state' };
  return {
    // The PodLogs CRD belongs to the main Alloy release; this one creates no cluster-scoped object.
    crds: { create: false },
    rbac: { create: false },
    service: { enabled: false },
    configReloader: { enabled: false }, // a config change rolls the pods (the chart's checksum annotation)
    controller: {
      type: 'daemonset',
      nodeSelector: { [NODE_ROLE]: '' },
      tolerations: [{ key: NODE_ROLE, operator: 'Exists', effect: 'NoSchedule' }],
      volumes: {
        extra: [
          { name: volumes.auditLog, hostPath: { path: API_AUDIT_LOG.dir, type: 'Directory' } },
          { name: volumes.state, hostPath: { path: AUDIT_SHIPPER_STATE_DIR, type: 'DirectoryOrCreate' } },
        ],
      },
    },
    global: { podSecurityContext: { seccompProfile: { type: 'RuntimeDefault' } } },
    alloy: {
      configMap: { create: true, content: alloyAuditConfig(lokiPushUrl) },
      storagePath: AUDIT_SHIPPER_STATE_DIR,
      enableReporting: false,
      mounts: {
        extra: [
          { name: volumes.auditLog, mountPath: API_AUDIT_LOG.dir, readOnly: true },
          { name: volumes.state, mountPath: AUDIT_SHIPPER_STATE_DIR },
        ],
      },
      securityContext: {
        runAsUser: 0,
        runAsGroup: 0,
        runAsNonRoot: false,
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      resources: MEDIUM,
    },
  };
}

/** Declares the shipper's namespace and registers its release (call from the logging add-on). */
export function addAuditShipper(chart: AddonChart, lokiPushUrl: string, lokiRelease: string): void {
  chart.platform.addNamespace({
    name: AUDIT_SHIPPER_NAMESPACE, addon: chart.addon, version: chart.version, podSecurity: 'privileged',
    reason: `the API audit log shipper mounts ${API_AUDIT_LOG.dir} (read-only) and its position folder from the control planes (hostPath); it runs as root with no capability, read-only root filesystem, RuntimeDefault seccomp`,
    allow: ['egress-loki'],
  });
  chart.addRelease({
    name: AUDIT_SHIPPER_RELEASE, namespace: AUDIT_SHIPPER_NAMESPACE, chart: chart.platform.versions.charts.alloy, wave: 9, dependsOn: [lokiRelease],
    values: alloyAuditValues(lokiPushUrl),
  });
}
