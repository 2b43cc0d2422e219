// Command pulumi-language-go is a small Go language host for the Pulumi CLI, for tests only: it
// lets the test suite take a Go program through `pulumi package add`, `pulumi up` and `pulumi
// import --out` under the pinned engine, as a user does with Pulumi's own host.
//
// Why it exists: the official host's module, github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3,
// is refused by the Go module proxy our machines reach (403 "This module version is not
// available"). Programs still run on the official Go SDK (github.com/pulumi/pulumi/sdk/v3/go/pulumi,
// from the proxy), which reads everything it needs from the environment this host sets.
//
// What it implements of the LanguageRuntime service, as the official host does:
//   - Run: `go build -trimpath -ldflags "-w -s"` of the program folder into a temporary binary
//     (or the `buildTarget` runtime option's path; or the `binary` option's executable, unbuilt),
//     run in the engine's working folder with PULUMI_MONITOR, PULUMI_ENGINE, PULUMI_PROJECT,
//     PULUMI_STACK, PULUMI_ORGANIZATION, PULUMI_ROOT_DIRECTORY, PULUMI_CONFIG,
//     PULUMI_CONFIG_SECRET_KEYS, PULUMI_DRY_RUN and PULUMI_PARALLEL; interrupted when the engine
//     ends the run or calls Cancel (hostbase.ProgramContext). Exit code 32 (an error the program
//     already reported) ends the run without a second message.
//   - InstallDependencies: `go mod tidy -compat=1.18` in the program folder.
//   - GeneratePackage and GenerateProgram: Pulumi's Go code generators (internal/codegen).
//   - Link: a `replace <module> => ./<sdk path>` directive in go.mod per generated SDK, and the
//     import line to use it. As with the official host, `go mod tidy` (InstallDependencies) then
//     drops the SDK's `require` until some code imports it: run `go mod tidy` again after
//     writing that code.
//   - About (`go version`) and GetProgramDependencies (go.mod's requirements);
//   - from internal/hostbase, as in our Python and Node.js hosts: serving until the engine's
//     SIGINT, GetPluginInfo, Handshake, GetRequiredPackages/Plugins (none: the plugins of a
//     program's packages are found on PATH or through Pulumi.yaml) and Cancel.
//
// RunPlugin (plugins and policy packs written in Go), debugging and packing answer
// Unimplemented, which the CLI treats as "not supported".
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pulumi-chatcomp/pulumi-chatcomp/scripts/engine/internal/codegen"
	"github.com/pulumi-chatcomp/pulumi-chatcomp/scripts/engine/internal/hostbase"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/sdk/v3/go/common/constant"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"golang.org/x/mod/modfile"
)

// The host's name, which prefixes the one line a failure prints and names the generated files'
// generator.
const name = "pulumi-language-go"

func main() {
	// The CLI passes --tracing URL when tracing, the logging flags (-v=N, --logtostderr; glog
	// registers those, through the sdk's logging package), then the engine address.
	flag.String("tracing", "", "emit tracing to a Zipkin-compatible tracing endpoint (ignored)")
	flag.Parse()
	hostbase.Serve(name, &goHost{Base: hostbase.Base{EngineAddress: flag.Arg(0)}})
}

type goHost struct {
	hostbase.Base
}

// options are the runtime options of Pulumi.yaml this host reads.
type options struct {
	binary      string // run this executable (found on PATH or relative to the program) instead of building
	buildTarget string // build the program into this path, and keep it
}

func parseOptions(info *pulumirpc.ProgramInfo) (options, error) {
	var opts options
	raw := info.GetOptions().AsMap()
	for key, into := range map[string]*string{"binary": &opts.binary, "buildTarget": &opts.buildTarget} {
		if v, ok := raw[key]; ok {
			s, ok := v.(string)
			if !ok {
				return opts, fmt.Errorf("%s option must be a string", key)
			}
			*into = s
		}
	}
	if opts.binary != "" && opts.buildTarget != "" {
		return opts, errors.New("binary and buildTarget cannot both be specified")
	}
	return opts, nil
}

func (h *goHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	opts, err := parseOptions(info)
	if err != nil {
		return nil, err
	}
	env, err := programEnv(req, h.EngineAddress)
	if err != nil {
		return nil, fmt.Errorf("failed to prepare environment: %w", err)
	}

	program := opts.binary
	if program != "" {
		if program, err = exec.LookPath(program); err != nil {
			return nil, fmt.Errorf("unable to find '%s' executable: %w", opts.binary, err)
		}
	} else {
		if program, err = build(ctx, info.GetProgramDirectory(), opts.buildTarget); err != nil {
			return nil, fmt.Errorf("error in compiling Go: %w", err)
		}
		if opts.buildTarget == "" {
			defer os.Remove(program)
		}
	}

	programCtx, stop := h.ProgramContext(ctx)
	defer stop()
	cmd := exec.CommandContext(programCtx, program)
	hostbase.Interruptible(cmd)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return &pulumirpc.RunResponse{Error: err.Error()}, nil
		}
		switch code := exitErr.ExitCode(); code {
		case constant.ExitStatusLoggedError:
			return &pulumirpc.RunResponse{Bail: true}, nil
		case -1:
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("program exited unexpectedly: %v", exitErr)}, nil
		default:
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("program exited with non-zero exit code: %d", code)}, nil
		}
	}
	return &pulumirpc.RunResponse{}, nil
}

// build compiles the program folder into target (a temporary file when empty); the compiler's
// messages go to the engine as the program's output.
func build(ctx context.Context, folder, target string) (string, error) {
	if matches, err := filepath.Glob(filepath.Join(folder, "*.go")); err != nil || len(matches) == 0 {
		return "", fmt.Errorf("found no go files for 'go build' in %s", folder)
	}
	if target == "" {
		f, err := os.CreateTemp("", "pulumi-go.*")
		if err != nil {
			return "", fmt.Errorf("unable to create go program temp file: %w", err)
		}
		if err := f.Close(); err != nil {
			return "", err
		}
		target = f.Name()
	}
	// -buildvcs=false: a program in a folder of a repository must not need git to build.
	cmd := exec.CommandContext(ctx, "go", "build", "-buildvcs=false", "-o", target, "-trimpath", "-ldflags", "-w -s")
	cmd.Dir = folder
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("unable to run `go build`: %w", err)
	}
	return target, nil
}

// programEnv is how a Go program learns about its run: the Go SDK reads these variables.
func programEnv(req *pulumirpc.RunRequest, engineAddress string) ([]string, error) {
	env := os.Environ()
	set := func(key, value string) {
		if value != "" {
			env = append(env, key+"="+value)
		}
	}
	if config := req.GetConfig(); config != nil {
		configJSON, err := json.Marshal(config)
		if err != nil {
			return nil, err
		}
		set("PULUMI_CONFIG", string(configJSON))
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	set("PULUMI_CONFIG_SECRET_KEYS", string(secretKeysJSON))
	set("PULUMI_ORGANIZATION", req.GetOrganization())
	set("PULUMI_PROJECT", req.GetProject())
	set("PULUMI_ROOT_DIRECTORY", req.GetInfo().GetRootDirectory())
	set("PULUMI_STACK", req.GetStack())
	set("PULUMI_DRY_RUN", strconv.FormatBool(req.GetDryRun()))
	set("PULUMI_PARALLEL", strconv.Itoa(int(req.GetParallel())))
	set("PULUMI_MONITOR", req.GetMonitorAddress())
	set("PULUMI_ENGINE", engineAddress)
	return env, nil
}

func (h *goHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()
	fmt.Fprintf(stdout, "Installing dependencies...\n\n")
	cmd := exec.CommandContext(server.Context(), "go", "mod", "tidy", "-compat=1.18")
	cmd.Dir = req.GetInfo().GetProgramDirectory()
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("`go mod tidy` failed to install dependencies: %w", err)
	}
	fmt.Fprintf(stdout, "Finished installing dependencies\n\n")
	return closer.Close()
}

func (h *goHost) GeneratePackage(
	_ context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return codegen.Go.GeneratePackage(name, req)
}

func (h *goHost) GenerateProgram(
	_ context.Context, req *pulumirpc.GenerateProgramRequest,
) (*pulumirpc.GenerateProgramResponse, error) {
	return codegen.Go.GenerateProgram(req)
}

// Link points go.mod at each generated SDK with a replace directive (module path: the schema's
// `language.go.modulePath`, else the folder above its importBasePath) and says what to import.
func (h *goHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	linked, err := codegen.Go.LinkedPackages(ctx, req)
	if err != nil {
		return nil, err
	}
	replaces := map[string]string{} // module path -> SDK folder
	for _, dep := range req.GetPackages() {
		if dep.GetPackage().GetName() == "pulumi" {
			replaces["github.com/pulumi/pulumi/sdk/v3"] = dep.GetPath()
		}
	}
	instructions := "You can import the SDK in your Go code with:\n\n  import (\n"
	if len(linked) > 1 {
		instructions = "You can import the SDKs in your Go code with:\n\n  import (\n"
	}
	for _, l := range linked {
		module := ""
		if info, ok := l.Package.Language["go"].(gogen.GoPackageInfo); ok {
			module = info.ModulePath
			if module == "" && info.ImportBasePath != "" {
				module = path.Dir(info.ImportBasePath)
			}
		}
		if module == "" {
			module = gogen.ExtractModulePath(l.Package.Reference())
		}
		replaces[module] = l.Path
		instructions += fmt.Sprintf("    %q\n", gogen.ExtractImportBasePath(l.Package.Reference()))
	}
	instructions += "  )\n"

	gomodPath := filepath.Join(req.GetInfo().GetProgramDirectory(), "go.mod")
	stat, err := os.Stat(gomodPath)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(gomodPath)
	if err != nil {
		return nil, err
	}
	gomod, err := modfile.Parse(gomodPath, data, nil)
	if err != nil {
		return nil, fmt.Errorf("go.mod parse: %w", err)
	}
	for module, folder := range replaces {
		// A relative replacement must start with ./ (https://go.dev/ref/mod#go-mod-file-replace).
		if !filepath.IsAbs(folder) && !strings.HasPrefix(folder, "./") && !strings.HasPrefix(folder, "../") {
			folder = "./" + folder
		}
		if err := gomod.AddReplace(module, "", folder, ""); err != nil {
			return nil, fmt.Errorf("could not add replace statement: %w", err)
		}
	}
	if data, err = gomod.Format(); err != nil {
		return nil, fmt.Errorf("formatting go.mod: %w", err)
	}
	if err := os.WriteFile(gomodPath, data, stat.Mode().Perm()); err != nil {
		return nil, err
	}
	return &pulumirpc.LinkResponse{ImportInstructions: instructions}, nil
}

func (h *goHost) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("could not find executable 'go': %w", err)
	}
	out, err := exec.CommandContext(ctx, gobin, "version").Output()
	if err != nil {
		return nil, fmt.Errorf("failed to execute '%s version': %w", gobin, err)
	}
	return &pulumirpc.AboutResponse{Executable: gobin, Version: strings.TrimSpace(string(out))}, nil
}

// GetProgramDependencies lists go.mod's requirements (the indirect ones only when asked); a
// module replaced by a folder has no version.
func (h *goHost) GetProgramDependencies(
	_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	gomodPath := filepath.Join(req.GetInfo().GetProgramDirectory(), "go.mod")
	data, err := os.ReadFile(gomodPath)
	if err != nil {
		return nil, fmt.Errorf("load go.mod: %w", err)
	}
	gomod, err := modfile.Parse(gomodPath, data, nil)
	if err != nil {
		return nil, fmt.Errorf("load go.mod: %w", err)
	}
	replaced := map[string]bool{}
	for _, r := range gomod.Replace {
		replaced[strings.TrimRight(r.Old.Path, "/")] = true
	}
	var result []*pulumirpc.DependencyInfo
	for _, r := range gomod.Require {
		if r.Indirect && !req.GetTransitiveDependencies() {
			continue
		}
		version := r.Mod.Version
		if replaced[strings.TrimRight(r.Mod.Path, "/")] {
			version = ""
		}
		result = append(result, &pulumirpc.DependencyInfo{Name: r.Mod.Path, Version: version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: result}, nil
}
