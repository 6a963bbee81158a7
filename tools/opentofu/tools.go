//go:build tools

// Package tools pins github.com/opentofu/opentofu v1.12.6 so that scripts/tools.sh can build it
// reproducibly with `go build` from this module (go.mod + go.sum).
package tools

import (
	_ "github.com/opentofu/opentofu/cmd/tofu"
)
