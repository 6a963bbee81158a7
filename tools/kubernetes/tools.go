//go:build tools

// Package tools pins k8s.io/kubernetes v1.30.3 so that scripts/k8s-tools.sh can
// build kubeadm, kubelet, kubectl and the control-plane binaries reproducibly with `go build` from
// this module (go.mod + go.sum). k8s.io/kubernetes points its staging modules
// (k8s.io/api, k8s.io/client-go, ...) at v0.0.0 + `replace => ./staging/...`;
// replace directives are ignored in dependencies, so go.mod here replaces every
// staging module with its published v0.30.3 tag.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubeadm"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
