// Command pulumi-language-python is a small Python language host for the Pulumi CLI.
//
// Why it exists: the official host lives in its own Go module,
// github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3, which the Go module
// proxy reachable from our machines refuses (403 "This module version is not available"
// for @latest, for every pseudo-version and for commit hashes). Everything else of the
// engine is official and pinned: the CLI, the deployment engine, the `python/toolchain`
// package used here to find the interpreter and the virtual environment, and the two
// Python scripts that run programs (pulumi-language-python-exec) and dynamic providers
// (pulumi-resource-pulumi-python).
//
// The host implements the parts of the LanguageRuntime service that `pulumi
// up/preview/refresh/destroy/import` and policy packs need:
//   - Run: starts pulumi-language-python-exec (next to this binary) with the program,
//     the engine and monitor addresses, and the stack config in PULUMI_CONFIG, exactly
//     as the official host passes them.
//   - RunPlugin: runs policy packs with `python -m pulumi.policy <engine> <pack dir>`,
//     the Python SDK's own policy entry point, and other plugins with `python <dir>`.
//   - About, GetProgramDependencies (pip list), InstallDependencies (pip install -r
//     requirements.txt into the configured venv);
//   - from internal/hostbase, shared with the Node.js host: serving until the engine's
//     SIGINT, GetPluginInfo, Handshake, GetRequiredPackages/Plugins (none: a Python
//     program's plugins are found on PATH) and Cancel.
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
	"syscall"

	"github.com/pulumi-chatcomp/pulumi-chatcomp/scripts/engine/internal/hostbase"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// The host's name, which prefixes the one line a failure prints.
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

// python resolves the interpreter the way the official host does: the `virtualenv`
// runtime option (relative to the project root) if set, else python3/python on PATH.
func python(info *pulumirpc.ProgramInfo, validate bool) (toolchain.Toolchain, error) {
	opts := toolchain.PythonOptions{
		Root:       info.GetRootDirectory(),
		ProgramDir: info.GetProgramDirectory(),
		Toolchain:  toolchain.Pip,
	}
	if raw, ok := info.GetOptions().AsMap()["virtualenv"].(string); ok && raw != "" {
		opts.Virtualenv = raw
	}
	tc, err := toolchain.ResolveToolchain(opts)
	if err != nil {
		return nil, err
	}
	if validate && opts.Virtualenv != "" {
		if err := tc.ValidateVenv(context.Background()); err != nil {
			return nil, err
		}
	}
	return tc, nil
}

func (h *pythonHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	tc, err := python(info, true)
	if err != nil {
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

	cmd, err := tc.Command(ctx, args...)
	if err != nil {
		return nil, err
	}
	cmd.Env = append(cmd.Environ(), env...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr

	if err := cmd.Run(); err != nil {
		// Python may exit without flushing; make sure the engine sees what it printed.
		_ = os.Stdout.Sync()
		_ = os.Stderr.Sync()
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if status, ok := exitErr.Sys().(syscall.WaitStatus); ok {
				if status.ExitStatus() == hostbase.ExitAfterUserMessage {
					return &pulumirpc.RunResponse{Bail: true}, nil
				}
				return &pulumirpc.RunResponse{
					Error: fmt.Sprintf("program exited with non-zero exit code: %d", status.ExitStatus()),
				}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("program exited unexpectedly: %v", exitErr)}, nil
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("problem executing program (could not run language executor): %v", err),
		}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func (h *pythonHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	info := req.GetInfo()
	tc, err := python(info, true)
	if err != nil {
		return err
	}
	ctx := server.Context()

	var cmd *exec.Cmd
	if req.GetKind() == "analyzer" {
		// The CLI passes the engine address as the only argument; the Python SDK's
		// `pulumi.policy` module serves the Analyzer protocol for the pack.
		args := append([]string{"-u", "-m", "pulumi.policy"}, req.GetArgs()...)
		args = append(args, info.GetProgramDirectory())
		cmd, err = tc.Command(ctx, args...)
	} else {
		args := append([]string{"-u", info.GetProgramDirectory()}, req.GetArgs()...)
		cmd, err = tc.Command(ctx, args...)
	}
	if err != nil {
		return err
	}

	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	cmd.Dir = req.GetPwd()
	env := req.GetEnv()
	if venv, verr := tc.VirtualEnvPath(ctx); verr == nil && venv != "" {
		env = toolchain.ActivateVirtualEnv(env, venv)
	}
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr

	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if status, ok := exitErr.Sys().(syscall.WaitStatus); ok {
				return server.Send(&pulumirpc.RunPluginResponse{
					Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(status.ExitStatus())},
				})
			}
		}
		return fmt.Errorf("problem executing plugin program: %w", err)
	}
	return closer.Close()
}

func (h *pythonHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	tc, err := python(req.GetInfo(), true)
	if err != nil {
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
	tc, err := python(req.GetInfo(), true)
	if err != nil {
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

func (h *pythonHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	// A missing venv is what InstallDependencies creates, so resolve without validating.
	tc, err := python(req.GetInfo(), false)
	if err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()
	if err := tc.EnsureVenv(server.Context(), req.GetInfo().GetProgramDirectory(),
		req.GetUseLanguageVersionTools(), true, stdout, stderr); err != nil {
		return err
	}
	if err := tc.InstallDependencies(server.Context(), req.GetInfo().GetProgramDirectory(),
		req.GetUseLanguageVersionTools(), true, stdout, stderr); err != nil {
		return err
	}
	return closer.Close()
}
