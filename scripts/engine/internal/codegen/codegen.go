// Package codegen is Pulumi's code generators for the languages of our test-only hosts (pkg/v3's
// codegen/nodejs, codegen/go and codegen/python), called as the official language hosts call them.
//
// One table (Python, NodeJS, Go) says, per language, which generator writes an SDK from a schema,
// which writes a program from PCL (what `pulumi import --out` and `pulumi convert` print), and how
// the program is bound; chatcomp-gen-sdk and every host's GeneratePackage, GenerateProgram and Link
// use it, so an SDK or a program is generated the same way whichever asks.
//
//	files, err := codegen.NodeJS.Package("chatcomp-gen-sdk", pkg, nil, nil, false, loader)
package codegen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/blang/semver"
	"github.com/hashicorp/hcl/v2"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	hclsyntax "github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Language is one language's generators.
type Language struct {
	// Name is the language's key in a schema's `language` section and a project's runtime.
	Name string
	// Importer decodes the schema's `language.<Name>` section (package name, import path).
	Importer schema.Language

	pkg     func(tool string, pkg *schema.Package, extra map[string][]byte, local map[string]string, localSDK bool, loader schema.ReferenceLoader) (map[string][]byte, error)
	program func(*pcl.Program) (map[string][]byte, hcl.Diagnostics, error)
	// strictPrograms: the official Go host binds every program strictly, whatever the request
	// asks; the Node.js and Python hosts relax binding for `pulumi import`'s programs.
	strictPrograms bool
}

// Python is codegen/python, as pulumi-language-python calls it.
var Python = Language{
	Name:     "python",
	Importer: python.Importer,
	pkg: func(tool string, pkg *schema.Package, extra map[string][]byte, _ map[string]string, _ bool, loader schema.ReferenceLoader) (map[string][]byte, error) {
		return python.GeneratePackage(tool, pkg, extra, loader)
	},
	program: python.GenerateProgram,
}

// NodeJS is codegen/nodejs, as pulumi-language-nodejs calls it: `local` SDKs (what `pulumi package
// add` asks for) build themselves with tsc in their postinstall script.
var NodeJS = Language{
	Name:     "nodejs",
	Importer: nodejs.Importer,
	pkg:      nodejs.GeneratePackage,
	program:  nodejs.GenerateProgram,
}

// Go is codegen/go, as pulumi-language-go calls it.
var Go = Language{
	Name:     "go",
	Importer: gogen.Importer,
	pkg: func(tool string, pkg *schema.Package, extra map[string][]byte, local map[string]string, _ bool, _ schema.ReferenceLoader) (map[string][]byte, error) {
		if len(extra) > 0 {
			return nil, errors.New("overlays are not supported for Go")
		}
		return gogen.GeneratePackage(tool, pkg, local)
	},
	program:        gogen.GenerateProgram,
	strictPrograms: true,
}

// ByName finds a language of the table by its name.
func ByName(name string) (Language, bool) {
	for _, l := range []Language{Python, NodeJS, Go} {
		if l.Name == name {
			return l, true
		}
	}
	return Language{}, false
}

// Package writes the SDK of pkg: file names (relative to the SDK's folder) and contents.
func (l Language) Package(
	tool string, pkg *schema.Package, extraFiles map[string][]byte, localDependencies map[string]string,
	local bool, loader schema.ReferenceLoader,
) (map[string][]byte, error) {
	return l.pkg(tool, pkg, extraFiles, localDependencies, local, loader)
}

// GeneratePackage answers the LanguageRuntime call: bind the schema through the engine's loader,
// generate, write the files into the requested folder. Schema errors are diagnostics, not failures.
func (l Language) GeneratePackage(
	tool string, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	cached := schema.NewCachedLoader(loader)

	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, err
	}
	pkg, diags, err := schema.BindSpec(spec, cached, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	response := &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}
	if diags.HasErrors() {
		return response, nil
	}
	files, err := l.Package(tool, pkg, req.GetExtraFiles(), req.GetLocalDependencies(), req.GetLocal(), cached)
	if err != nil {
		return nil, err
	}
	return response, WriteFiles(req.GetDirectory(), files)
}

// GenerateProgram answers the LanguageRuntime call: parse and bind the PCL program the engine
// sends (a `pulumi import` prints one per imported resource), then generate it in this language.
func (l Language) GenerateProgram(req *pulumirpc.GenerateProgramRequest) (*pulumirpc.GenerateProgramResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()

	parser := hclsyntax.NewParser()
	for path, contents := range req.GetSource() {
		if err := parser.ParseFile(strings.NewReader(contents), path); err != nil {
			return nil, err
		}
		if parser.Diagnostics.HasErrors() {
			return nil, parser.Diagnostics
		}
	}
	// Every official host prefers the output forms of invokes in the programs it writes.
	options := []pcl.BindOption{pcl.PreferOutputVersionedInvokes}
	if !req.GetStrict() && !l.strictPrograms {
		options = append(options, pcl.NonStrictBindOptions()...)
	}
	program, diags, err := pcl.BindProgram(parser.Files, schema.NewCachedLoader(loader), options...)
	if err != nil {
		return nil, err
	}
	response := &pulumirpc.GenerateProgramResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}
	if diags.HasErrors() {
		return response, nil
	}
	if program == nil {
		return nil, errors.New("internal error: the program did not bind")
	}
	files, diags, err := l.program(program)
	if err != nil {
		return nil, err
	}
	response.Source = files
	response.Diagnostics = append(response.Diagnostics, plugin.HclDiagnosticsToRPCDiagnostics(diags)...)
	return response, nil
}

// Linked is one package of a Link request: its schema, with this language's section decoded, and
// the path of its generated SDK relative to the program.
type Linked struct {
	Package *schema.Package
	Path    string
}

// LinkedPackages loads each package of a Link request through the engine's loader, skipping the
// `pulumi` SDK itself (which needs no schema), and returns the packages in request order.
func (l Language) LinkedPackages(ctx context.Context, req *pulumirpc.LinkRequest) ([]Linked, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	cached := schema.NewCachedLoader(loader)

	var linked []Linked
	for _, dep := range req.GetPackages() {
		described := dep.GetPackage()
		if described.GetName() == "pulumi" {
			continue
		}
		descriptor := &schema.PackageDescriptor{Name: described.GetName(), DownloadURL: described.GetServer()}
		if v, err := semver.New(described.GetVersion()); err == nil {
			descriptor.Version = v
		}
		if p := described.GetParameterization(); p != nil {
			descriptor.Parameterization = &schema.ParameterizationDescriptor{Name: p.GetName(), Value: p.GetValue()}
			if v, err := semver.New(p.GetVersion()); err == nil {
				descriptor.Parameterization.Version = *v
			}
		}
		ref, err := schema.LoadPackageReferenceV2(ctx, cached, descriptor)
		if err != nil {
			return nil, err
		}
		pkg, err := ref.Definition()
		if err != nil {
			return nil, err
		}
		if err := pkg.ImportLanguages(map[string]schema.Language{l.Name: l.Importer}); err != nil {
			return nil, err
		}
		linked = append(linked, Linked{Package: pkg, Path: dep.GetPath()})
	}
	return linked, nil
}

// WriteFiles writes generated files (names relative to dir) into dir, making folders as needed.
func WriteFiles(dir string, files map[string][]byte) error {
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("could not create the folder of %s: %w", name, err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return fmt.Errorf("could not write %s: %w", name, err)
		}
	}
	return nil
}
