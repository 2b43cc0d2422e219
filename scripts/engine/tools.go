//go:build tools

// Package engine pins the Pulumi CLI that scripts/install-engine.sh builds.
package engine

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
