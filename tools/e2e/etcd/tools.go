//go:build tools

// Package tools pins etcd v3.5.15, the etcd kubeadm v1.31.4 deploys (registry.k8s.io/etcd:3.5.15-0),
// for the e2e test's local registry: the version its upgrade check goes to. tools/kubernetes/etcd
// pins the etcd of the default Kubernetes version (verify's etcd and the e2e's day 1).
package tools

import (
	_ "go.etcd.io/etcd/etcdctl/v3"
	_ "go.etcd.io/etcd/etcdutl/v3"
	_ "go.etcd.io/etcd/server/v3"
)
