#!/usr/bin/env python3
"""Split Kubernetes manifests into one file per document and print them in
Argo CD sync order (used by scripts/verify-apiserver.sh).

    plan.py OUTDIR PATH...      PATH = a .yaml/.yml file or a directory (searched recursively)

Order: argocd.argoproj.io/sync-wave (default 0), then Argo CD's / Helm's kind
order (Namespace first, CRDs before RBAC, workloads, ...), then kind, namespace,
name, source path. One TSV line per document on stdout:

    seq  wave  setup  expect  expect_msg  kind  ns/name  source#doc  docfile

setup=1 for Namespace and CustomResourceDefinition (the harness creates those
for real; everything else is a server-side dry-run). expect/expect_msg come from
the annotations verify.pve-k8s.io/expect (accept|reject, default accept) and
verify.pve-k8s.io/expect-message (a substring of the rejection); the
deliberately broken self-test fixtures use them. A document that is not a
Kubernetes object (no apiVersion/kind/metadata.name) is printed with
kind=INVALID and the YAML error or reason in expect_msg.
"""
import os
import sys

import yaml

# gitops-engine pkg/sync/syncwaves + kind order (same list as Helm's InstallOrder)
KIND_ORDER = [
    "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
    "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap",
    "StorageClass", "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition",
    "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList",
    "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod",
    "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler",
    "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
]
SETUP_KINDS = {"Namespace", "CustomResourceDefinition"}
WAVE = "argocd.argoproj.io/sync-wave"
EXPECT = "verify.pve-k8s.io/expect"
EXPECT_MSG = "verify.pve-k8s.io/expect-message"


def clean(s):
    return " ".join(str(s).split()).replace("\t", " ")


def files(paths):
    for p in paths:
        if os.path.isdir(p):
            for d, dirs, fs in os.walk(p):
                dirs.sort()
                for f in sorted(fs):
                    if f.endswith((".yaml", ".yml")):
                        yield os.path.join(d, f)
        elif os.path.isfile(p):
            yield p
        else:
            sys.exit(f"plan.py: no such file or directory: {p}")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, paths = sys.argv[1], sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    rows = []
    n = 0
    for f in files(paths):
        with open(f, encoding="utf-8") as fh:
            text = fh.read()
        try:
            docs = list(yaml.safe_load_all(text))
        except yaml.YAMLError as e:
            rows.append((-10**9, -1, "", "", "", f, 0, "INVALID", "-", f"{f}#0", "-", clean(e)))
            continue
        for i, doc in enumerate(docs):
            if doc is None:
                continue
            src = f"{f}#{i}"
            meta = doc.get("metadata") if isinstance(doc, dict) else None
            if not isinstance(doc, dict) or not doc.get("apiVersion") or not doc.get("kind") \
                    or not isinstance(meta, dict) or not meta.get("name"):
                rows.append((-10**9, -1, "", "", "", f, i, "INVALID", "-", src, "-",
                             "not a Kubernetes object (apiVersion, kind and metadata.name are required)"))
                continue
            ann = meta.get("annotations") or {}
            try:
                wave = int(str(ann.get(WAVE, "0")).strip())
            except ValueError:
                rows.append((-10**9, -1, "", "", "", f, i, "INVALID", "-", src, "-",
                             f"{WAVE} is not an integer: {ann.get(WAVE)!r}"))
                continue
            kind = doc["kind"]
            korder = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
            n += 1
            docfile = os.path.join(out, f"{n:05d}.yaml")
            with open(docfile, "w", encoding="utf-8") as fh:
                yaml.safe_dump(doc, fh, sort_keys=False)
            ns = meta.get("namespace") or ""
            rows.append((wave, korder, kind, ns, meta["name"], f, i, kind,
                         f"{ns + '/' if ns else ''}{meta['name']}", src, docfile,
                         (clean(ann.get(EXPECT, "accept")), clean(ann.get(EXPECT_MSG, "")))))
    rows.sort(key=lambda r: r[:7])
    for seq, r in enumerate(rows, 1):
        wave, kind, obj, src, docfile = r[0], r[7], r[8], r[9], r[10]
        if kind == "INVALID":
            print("\t".join(map(str, (seq, "-", 0, "invalid", r[11], kind, obj, src, docfile))))
            continue
        expect, emsg = r[11]
        setup = 1 if kind in SETUP_KINDS else 0
        print("\t".join(map(str, (seq, wave, setup, expect, emsg or "-", kind, obj, src, docfile))))


if __name__ == "__main__":
    main()
