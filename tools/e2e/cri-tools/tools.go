//go:build tools

// Package tools pins sigs.k8s.io/cri-tools v1.34.0 for scripts/e2e/ (built by scripts/e2e/build-tools.sh).
package tools

import _ "sigs.k8s.io/cri-tools/cmd/crictl"
