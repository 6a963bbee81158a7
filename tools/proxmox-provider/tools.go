//go:build tools

// Package tools pins github.com/bpg/terraform-provider-proxmox v0.80.0 so that scripts/tools.sh can build it
// reproducibly with `go build` from this module (go.mod + go.sum).
package tools

import (
	_ "github.com/bpg/terraform-provider-proxmox"
)
