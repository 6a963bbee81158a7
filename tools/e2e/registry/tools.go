//go:build tools

// Package tools pins github.com/distribution/distribution/v3 v3.0.0 for scripts/e2e/ (built by scripts/e2e/build-tools.sh).
package tools

import _ "github.com/distribution/distribution/v3/cmd/registry"
