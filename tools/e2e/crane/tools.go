//go:build tools

// Package tools pins github.com/google/go-containerregistry v0.20.2 for scripts/e2e/ (built by scripts/e2e/build-tools.sh).
package tools

import _ "github.com/google/go-containerregistry/cmd/crane"
