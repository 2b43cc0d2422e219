package main

// Code generation and linking: what `pulumi package add/gen-sdk`, `pulumi install` (for a
// project's packages) and `pulumi import --out` ask of a Python host.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi-chatcomp/pulumi-chatcomp/scripts/engine/internal/codegen"
	pycodegen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

func (h *pythonHost) GeneratePackage(
	_ context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return codegen.Python.GeneratePackage(name, req)
}

func (h *pythonHost) GenerateProgram(
	_ context.Context, req *pulumirpc.GenerateProgramRequest,
) (*pulumirpc.GenerateProgramResponse, error) {
	return codegen.Python.GenerateProgram(req)
}

// Link adds each generated SDK to the program's dependencies (requirements.txt for pip; the
// toolchain's own file for poetry and uv) and says how to import it: `import <packageName> as
// <name>`, with the package name the schema's `language.python` section gives, as the code that
// `pulumi import --out` prints does.
func (h *pythonHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	opts, err := options(req.GetInfo(), false)
	if err != nil {
		return nil, err
	}
	linked, err := codegen.Python.LinkedPackages(ctx, req)
	if err != nil {
		return nil, err
	}

	packages := map[string]string{} // Python package name -> SDK path
	for _, dep := range req.GetPackages() {
		if dep.GetPackage().GetName() == "pulumi" {
			packages["pulumi"] = dep.GetPath()
		}
	}
	instructions := "You can import the SDK in your Python code with:\n\n"
	if len(linked) > 1 {
		instructions = "You can import the SDKs in your Python code with:\n\n"
	}
	for _, l := range linked {
		packageName, importName := "", ""
		if info, ok := l.Package.Language["python"].(pycodegen.PackageInfo); ok && info.PackageName != "" {
			packageName, importName = info.PackageName, info.PackageName
		}
		if importName == "" {
			importName = strings.ReplaceAll(l.Package.Name, "-", "_")
		}
		if packageName == "" {
			packageName = pycodegen.PyPack(l.Package.Namespace, l.Package.Name)
		}
		packages[packageName] = l.Path
		instructions += fmt.Sprintf("  import %s as %s\n", packageName, importName)
	}

	if opts.Toolchain != toolchain.Pip {
		// Before the first `pulumi install`, a poetry or uv project may still list its
		// dependencies in requirements.txt only: link there, and the install converts it.
		folder := req.GetInfo().GetProgramDirectory()
		if _, err := os.Stat(filepath.Join(folder, "pyproject.toml")); os.IsNotExist(err) {
			if _, err := os.Stat(filepath.Join(folder, "requirements.txt")); os.IsNotExist(err) {
				return nil, fmt.Errorf("no pyproject.toml or requirements.txt found in %s", folder)
			}
			opts.Toolchain = toolchain.Pip
		}
	}
	tc, err := toolchain.ResolveToolchain(opts)
	if err != nil {
		return nil, err
	}
	if err := tc.LinkPackages(ctx, packages); err != nil {
		return nil, fmt.Errorf("linking packages: %w", err)
	}
	return &pulumirpc.LinkResponse{ImportInstructions: instructions}, nil
}
