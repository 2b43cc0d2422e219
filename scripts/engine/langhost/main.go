// Command pulumi-language-python is a small Python language host for the Pulumi CLI.
//
// Why it exists: the official host lives in its own Go module,
// github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3, which the Go module
// proxy reachable from our machines refuses (403 "This module version is not available"
// for @latest, for every pseudo-version and for commit hashes). Everything else of the
// engine is official and pinned: the CLI, the deployment engine, the `python/toolchain`
// package used here to find the interpreter and the virtual environment, Pulumi's code
// generators, and the two Python scripts that run programs (pulumi-language-python-exec) and
// dynamic providers (pulumi-resource-pulumi-python).
//
// The host implements what `pulumi up/preview/refresh/destroy/import`, policy packs, source-based
// plugins and `pulumi package add/gen-sdk` and `pulumi install` call, as the official host does:
//   - Run (here): starts pulumi-language-python-exec (next to this binary) with the program, the
//     engine and monitor addresses, and the stack config in PULUMI_CONFIG; interrupts the program
//     when the engine ends the run or calls Cancel (hostbase.ProgramContext).
//   - RunPlugin and InstallDependencies (plugins.go): policy packs with `python -m pulumi.policy`;
//     plugin folders (PulumiPlugin.yaml) in their own virtualenv (`venv` unless the runtime
//     options name one), run as `python <folder>` when it has a __main__.py and otherwise as
//     `python -m pulumi.run.plugin <project name>` from its pyproject.toml, whose package
//     InstallDependencies installs into that virtualenv.
//   - GeneratePackage, GenerateProgram and Link (codegen.go): Pulumi's Python code generators
//     (internal/codegen) and the toolchain's own linking (requirements.txt).
//   - About and GetProgramDependencies (pip list);
//   - from internal/hostbase, shared with the Node.js and Go hosts: serving until the engine's
//     SIGINT, GetPluginInfo, Handshake, GetRequiredPackages/Plugins (none: a Python program's
//     plugins are found on PATH or through Pulumi.yaml) and Cancel.
//
// Everything else answers Unimplemented, which the CLI treats as "not supported".
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pulumi-chatcomp/pulumi-chatcomp/scripts/engine/internal/hostbase"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// The host's name, which prefixes the one line a failure prints and names the generated files'
// generator.
const name = "pulumi-language-python"

func main() {
	// The CLI passes flags it knows about (for example -tracing) and the engine address
	// as the last positional argument.
	var engineAddress string
	if n := len(os.Args); n > 1 && !strings.HasPrefix(os.Args[n-1], "-") {
		engineAddress = os.Args[n-1]
	}

	self, err := os.Executable()
	if err == nil {
		self, err = filepath.EvalSymlinks(self)
	}
	if err != nil {
		fatal(fmt.Errorf("cannot locate this executable: %w", err))
	}
	execScript := filepath.Join(filepath.Dir(self), "pulumi-language-python-exec")
	if _, err := os.Stat(execScript); err != nil {
		fatal(fmt.Errorf("missing executor %s next to the language host: %w", execScript, err))
	}

	hostbase.Serve(name, &pythonHost{Base: hostbase.Base{EngineAddress: engineAddress}, execScript: execScript})
}

func fatal(err error) { hostbase.Fatal(name, err) }

type pythonHost struct {
	hostbase.Base

	execScript string
}

func (h *pythonHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	tc, err := python(info, false)
	if err != nil {
		return nil, err
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return nil, err
	}

	program := filepath.Join(info.GetProgramDirectory(), info.GetEntryPoint())
	args := []string{"-u", h.execScript}
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flag("monitor", req.GetMonitorAddress())
	flag("engine", h.EngineAddress)
	flag("project", req.GetProject())
	flag("stack", req.GetStack())
	flag("pwd", req.GetPwd())
	flag("dry_run", strconv.FormatBool(req.GetDryRun()))
	flag("parallel", strconv.Itoa(int(req.GetParallel())))
	flag("organization", req.GetOrganization())
	flag("root_directory", info.GetRootDirectory())
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	// As the official host: a stack without config gets no PULUMI_CONFIG at all (the exec
	// script reads a missing variable as "no config", but json "null" would crash it).
	var env []string
	if config := req.GetConfig(); config != nil {
		configJSON, err := json.Marshal(config)
		if err != nil {
			return nil, fmt.Errorf("failed to serialize configuration: %w", err)
		}
		env = append(env, "PULUMI_CONFIG="+string(configJSON))
	}
	if secretKeys := req.GetConfigSecretKeys(); secretKeys != nil {
		secretKeysJSON, err := json.Marshal(secretKeys)
		if err != nil {
			return nil, fmt.Errorf("failed to serialize configuration secret keys: %w", err)
		}
		env = append(env, "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	}

	programCtx, stop := h.ProgramContext(ctx)
	defer stop()
	cmd, err := tc.Command(programCtx, args...)
	if err != nil {
		return nil, err
	}
	hostbase.Interruptible(cmd)
	cmd.Env = append(cmd.Environ(), env...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr

	if err := cmd.Run(); err != nil {
		// Python may exit without flushing; make sure the engine sees what it printed.
		_ = os.Stdout.Sync()
		_ = os.Stderr.Sync()
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			switch code := exitErr.ExitCode(); code {
			case hostbase.ExitAfterUserMessage:
				return &pulumirpc.RunResponse{Bail: true}, nil
			case -1, 0: // killed by a signal, or an error after a clean exit
				return &pulumirpc.RunResponse{Error: fmt.Sprintf("program exited unexpectedly: %v", exitErr)}, nil
			default:
				return &pulumirpc.RunResponse{
					Error: fmt.Sprintf("program exited with non-zero exit code: %d", code),
				}, nil
			}
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("problem executing program (could not run language executor): %v", err),
		}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func (h *pythonHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	tc, err := python(req.GetInfo(), false)
	if err != nil {
		return nil, err
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return nil, err
	}
	about, err := tc.About(ctx)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{
		Executable: about.PythonExecutable,
		Version:    about.PythonVersion.String(),
	}, nil
}

func (h *pythonHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	tc, err := python(req.GetInfo(), false)
	if err != nil {
		return nil, err
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return nil, err
	}
	packages, err := tc.ListPackages(ctx, req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	result := make([]*pulumirpc.DependencyInfo, 0, len(packages))
	for _, p := range packages {
		result = append(result, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: result}, nil
}
