//go:build tools

// Package tools pins github.com/yannh/kubeconform v0.7.0 so that scripts/tools.sh can build it
// reproducibly with `go build` from this module (go.mod + go.sum).
package tools

import (
	_ "github.com/yannh/kubeconform/cmd/kubeconform"
)
