//go:build tools

// Package tools pins SOPS and age (age-keygen) at the versions go.mod names, so that
// scripts/tools.sh builds them reproducibly with `go build` from this module (go.mod + go.sum):
// the operator encrypts the Secrets of apps/<cluster>/ with them (dist/<cluster>/SECRETS.md) and
// scripts/verify-sops.sh checks the generated .sops.yaml with them.
package tools

import (
	_ "filippo.io/age/cmd/age-keygen"
	_ "github.com/getsops/sops/v3/cmd/sops"
)
