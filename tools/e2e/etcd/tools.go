//go:build tools

// Package tools pins etcd v3.5.12, the etcd kubeadm v1.30.3 deploys by default
// (registry.k8s.io/etcd:3.5.12-0), for the e2e test's local registry.
// tools/kubernetes/etcd pins the etcd of spec/versions.ts (the backup image).
package tools

import (
	_ "go.etcd.io/etcd/etcdctl/v3"
	_ "go.etcd.io/etcd/server/v3"
)
