// Command pulumi-language-nodejs is a small Node.js language host for the Pulumi CLI, for
// tests only: it lets the test suite run TypeScript and JavaScript programs (for example
// ones that use a generated Node.js SDK) under the pinned engine.
//
// Why it exists: the official host's module,
// github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3, is refused by the Go
// module proxy our machines reach (403 "This module version is not available"). Programs
// still run through the official Node.js SDK: this host starts `node` on the run entry of
// the program's own @pulumi/pulumi (`@pulumi/pulumi/cmd/run`), which loads TypeScript with
// ts-node and typescript from the program's node_modules (or the SDK's vendored copies).
//
// What it implements of the LanguageRuntime service, which is what `pulumi
// up/preview/refresh/destroy/import`, `pulumi install` and `pulumi package add/gen-sdk` call:
//   - Run: the run entry with the arguments and environment the official host passes
//     (monitor, engine, organization, project, root directory, stack, program directory,
//     dry run, parallelism, tracing; PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS;
//     PULUMI_NODEJS_TYPESCRIPT and PULUMI_NODEJS_TSCONFIG_PATH from the `typescript` and
//     `tsconfig` runtime options); interrupted when the engine ends the run or calls Cancel
//     (hostbase.ProgramContext). Unlike the official host it connects the program to the
//     engine's monitor directly: the official host's proxy and pipes serve only the
//     deprecated synchronous invokes.
//   - GeneratePackage and GenerateProgram: Pulumi's Node.js code generators (internal/codegen);
//     an SDK generated for `pulumi package add` compiles itself with tsc in its postinstall.
//   - Link: the SDK as a `file:` dependency of package.json (the package manager's own linking,
//     from sdk/v3's npm package), and the `import * as` line to use it.
//   - About (node), GetProgramDependencies and InstallDependencies (the official
//     npm/yarn/pnpm/bun package of sdk/v3, as the `packagemanager` option or the lock file says:
//     the lock file's packages, `npm install`);
//   - from internal/hostbase, as in our Python host: serving until the engine's SIGINT,
//     GetPluginInfo, Handshake, GetRequiredPackages/Plugins (none: the plugins of a
//     program's packages are found on PATH or through Pulumi.yaml) and Cancel.
//
// The other runtime options (nodeargs, production) are ignored; RunPlugin (policy packs and plugins written in TypeScript), debugging and packing
// answer Unimplemented, which the CLI treats as "not supported".
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pulumi-chatcomp/pulumi-chatcomp/scripts/engine/internal/codegen"
	"github.com/pulumi-chatcomp/pulumi-chatcomp/scripts/engine/internal/hostbase"
	"github.com/pulumi/pulumi/pkg/v3/codegen/cgstrings"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/fsutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// The host's name, which prefixes the one line a failure prints.
const name = "pulumi-language-nodejs"

// The module that runs a program, resolved from the program's folder.
const runModule = "@pulumi/pulumi/cmd/run"

func main() {
	// The CLI passes --tracing URL when tracing, the logging flags (-v=N, --logtostderr; glog
	// registers those, through the sdk's logging package), then the engine address.
	tracing := flag.String("tracing", "", "emit tracing to a Zipkin-compatible tracing endpoint")
	flag.Parse()
	engineAddress := flag.Arg(0)

	hostbase.Serve(name, &nodeHost{Base: hostbase.Base{EngineAddress: engineAddress}, tracing: *tracing})
}

type nodeHost struct {
	hostbase.Base

	tracing string
}

// options are the runtime options of Pulumi.yaml this host reads; typescript defaults to true,
// packagemanager to the one whose lock file is found (else npm).
type options struct {
	typescript     bool
	tsconfig       string
	packagemanager npm.PackageManagerType
}

func parseOptions(info *pulumirpc.ProgramInfo) (options, error) {
	opts := options{typescript: true}
	raw := info.GetOptions().AsMap()
	if v, ok := raw["typescript"]; ok {
		b, ok := v.(bool)
		if !ok {
			return opts, errors.New("the typescript runtime option must be a boolean")
		}
		opts.typescript = b
	}
	if v, ok := raw["tsconfig"]; ok {
		s, ok := v.(string)
		if !ok {
			return opts, errors.New("the tsconfig runtime option must be a string")
		}
		opts.tsconfig = s
	}
	opts.packagemanager = npm.AutoPackageManager
	if v, ok := raw["packagemanager"]; ok {
		s, ok := v.(string)
		if !ok {
			return opts, errors.New("the packagemanager runtime option must be a string")
		}
		opts.packagemanager = npm.PackageManagerType(s)
	}
	return opts, nil
}

// locateRunModule resolves the run entry the way Node.js loads it from the program.
func locateRunModule(ctx context.Context, node, programDir string) (string, error) {
	script := fmt.Sprintf(`try { console.log(require.resolve(%q)) } catch (e) {`+
		` console.error(e.code === "MODULE_NOT_FOUND"`+
		` ? "It looks like the Pulumi SDK has not been installed. Have you run pulumi install?"`+
		` : e.message); process.exit(1) }`, runModule)
	cmd := exec.CommandContext(ctx, node, "-e", script)
	cmd.Dir = programDir
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return "", errors.New(strings.TrimSpace(string(exitErr.Stderr)))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	opts, err := parseOptions(info)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not find node on the $PATH: %v", err)}, nil
	}
	runPath, err := locateRunModule(ctx, node, info.GetProgramDirectory())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	args := []string{runPath}
	option := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	option("monitor", req.GetMonitorAddress())
	option("engine", h.EngineAddress)
	option("organization", req.GetOrganization())
	option("project", req.GetProject())
	option("root-directory", info.GetRootDirectory())
	option("stack", req.GetStack())
	option("pwd", info.GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	option("parallel", strconv.Itoa(int(req.GetParallel())))
	option("tracing", h.tracing)
	// The engine always names an entry point, "." for the program folder itself.
	args = append(args, info.GetEntryPoint())
	args = append(args, req.GetArgs()...)

	// The SDK accepts config keys in both the "<ns>:<name>" form the engine sends and the old
	// "<ns>:config:<name>" one, so they are passed unchanged.
	config := req.GetConfig()
	if config == nil {
		config = map[string]string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nil, fmt.Errorf("failed to serialize configuration: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("failed to serialize configuration secret keys: %w", err)
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	programCtx, stop := h.ProgramContext(ctx)
	defer stop()
	cmd := exec.CommandContext(programCtx, node, args...)
	hostbase.Interruptible(cmd)
	cmd.Env = env
	// Node.js may switch the file descriptors it inherits to non-blocking mode, which would
	// break this process's own writes to them: hiding the files behind plain writers makes
	// the os/exec package copy the output through pipes instead.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}

	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			switch code := exitErr.ExitCode(); code {
			case hostbase.ExitAfterUserMessage:
				return &pulumirpc.RunResponse{Bail: true}, nil
			case -1:
				return &pulumirpc.RunResponse{Error: fmt.Sprintf("program exited unexpectedly: %v", exitErr)}, nil
			default:
				return &pulumirpc.RunResponse{
					Error: fmt.Sprintf("program exited with non-zero exit code: %d", code),
				}, nil
			}
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("problem executing program (could not run node): %v", err),
		}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func (h *nodeHost) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("could not run %s --version: %w", node, err)
	}
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimSpace(string(out))}, nil
}

func (h *nodeHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	opts, err := parseOptions(req.GetInfo())
	if err != nil {
		return nil, err
	}
	dir := req.GetInfo().GetProgramDirectory()
	pm, err := npm.ResolvePackageManager(opts.packagemanager, dir)
	if err != nil {
		return nil, err
	}
	packages, err := pm.ListPackages(ctx, dir, req.GetTransitiveDependencies())
	if err != nil {
		return nil, fmt.Errorf("failed to get node dependencies: %w", err)
	}
	result := make([]*pulumirpc.DependencyInfo, 0, len(packages))
	for _, p := range packages {
		result = append(result, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: result}, nil
}

func (h *nodeHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	opts, err := parseOptions(req.GetInfo())
	if err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()
	fmt.Fprintln(stdout, "Installing dependencies...")
	if _, err := npm.Install(server.Context(), opts.packagemanager,
		req.GetInfo().GetProgramDirectory(), false, stdout, stderr); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Finished installing dependencies")
	return closer.Close()
}

func (h *nodeHost) GeneratePackage(
	_ context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return codegen.NodeJS.GeneratePackage(name, req)
}

func (h *nodeHost) GenerateProgram(
	_ context.Context, req *pulumirpc.GenerateProgramRequest,
) (*pulumirpc.GenerateProgramResponse, error) {
	return codegen.NodeJS.GenerateProgram(req)
}

// Link adds each generated SDK to package.json as a `file:` dependency, under the npm name the
// schema's `language.nodejs` section gives, and says how to import it (`import * as` in a
// TypeScript or ES module program, `require` otherwise).
func (h *nodeHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	info := req.GetInfo()
	opts, err := parseOptions(info)
	if err != nil {
		return nil, err
	}
	dir := info.GetProgramDirectory()
	pm, err := npm.ResolvePackageManager(opts.packagemanager, dir)
	if err != nil {
		return nil, err
	}
	typescript := opts.typescript || opts.tsconfig != ""
	if !typescript {
		_, err := fsutil.Searchup(dir, "tsconfig.json")
		typescript = err == nil
	}
	modules := typescript
	if !modules {
		if manifest, err := npm.SearchupPackageManifest(dir); err == nil {
			if data, _, err := npm.ReadPackageManifest(filepath.Dir(manifest)); err == nil {
				modules = data["type"] == "module"
			}
		}
	}

	linked, err := codegen.NodeJS.LinkedPackages(ctx, req)
	if err != nil {
		return nil, err
	}
	instructions := "You can import the SDK in your JavaScript code with:\n\n"
	if typescript {
		instructions = "You can import the SDK in your TypeScript code with:\n\n"
	}
	for _, l := range linked {
		packageName := "@pulumi/" + l.Package.Name
		if l.Package.Namespace != "" {
			packageName = "@" + l.Package.Namespace + "/" + l.Package.Name
		}
		if info, ok := l.Package.Language["nodejs"].(nodejs.NodePackageInfo); ok && info.PackageName != "" {
			packageName = info.PackageName
		}
		if err := pm.Link(ctx, dir, packageName, l.Path); err != nil {
			return nil, err
		}
		importName := cgstrings.Camel(l.Package.Name)
		if modules {
			instructions += fmt.Sprintf("  import * as %s from \"%s\";\n", importName, packageName)
		} else {
			instructions += fmt.Sprintf("  const %s = require(\"%s\");\n", importName, packageName)
		}
	}
	return &pulumirpc.LinkResponse{ImportInstructions: instructions}, nil
}
