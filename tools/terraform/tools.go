//go:build tools

// Package tools pins github.com/hashicorp/terraform v1.8.5 so that scripts/tools.sh can build it
// reproducibly with `go build` from this module (go.mod + go.sum).
package tools

import (
	_ "github.com/hashicorp/terraform"
)
