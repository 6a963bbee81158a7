//go:build tools

// Package tools pins k8s.io/kubernetes at the version go.mod names (here: the default version,
// built by scripts/k8s-tools.sh; tools/e2e/kubernetes-next, whose tools.go links here: the e2e
// upgrade's target, built by scripts/e2e/build-tools.sh) so that kubeadm, kubelet, kubectl and the
// control-plane binaries build reproducibly with `go build` from the module (go.mod + go.sum).
// k8s.io/kubernetes points its staging modules (k8s.io/api, k8s.io/client-go, ...) at v0.0.0 +
// `replace => ./staging/...`; replace directives are ignored in dependencies, so go.mod replaces
// every staging module with its published v0.<minor>.<patch> tag.
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
