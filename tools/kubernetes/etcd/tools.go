//go:build tools

// Package tools pins etcd v3.5.12 (server, etcdctl, etcdutl), the etcd kubeadm v1.30.3 deploys, so that
// scripts/k8s-tools.sh can build them reproducibly with `go build` from this
// module. It is a separate module from ../ (k8s.io/kubernetes v1.30.3) so that
// etcd's newer grpc/otel requirements do not change the Kubernetes build graph.
// Debian bookworm's etcd-server is 3.4.23, hence the source build.
package tools

import (
	_ "go.etcd.io/etcd/etcdctl/v3"
	_ "go.etcd.io/etcd/etcdutl/v3"
	_ "go.etcd.io/etcd/server/v3"
)
