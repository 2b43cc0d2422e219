package main

// Options, plugins and dependencies: how the host finds a program's or a plugin's Python, runs
// policy packs and plugin folders, and installs what they need, as the official host does.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// pluginVirtualenv is where a plugin folder's dependencies go when its runtime options name no
// virtualenv: plugins never run in the global or ambient Python, unlike programs (which may, for
// compatibility), so that each has its own dependencies.
const pluginVirtualenv = "venv"

// options reads the runtime options of Pulumi.yaml or PulumiPlugin.yaml that choose the Python
// to use: `virtualenv` (relative to the root folder), `toolchain` (pip, poetry or uv; by default
// the one whose lock file is found, else pip) and `typechecker` (accepted, not run).
func options(info *pulumirpc.ProgramInfo, isPlugin bool) (toolchain.PythonOptions, error) {
	opts := toolchain.PythonOptions{Root: info.GetRootDirectory(), ProgramDir: info.GetProgramDirectory()}
	raw := info.GetOptions().AsMap()
	if v, ok := raw["virtualenv"]; ok {
		s, ok := v.(string)
		if !ok {
			return opts, errors.New("virtualenv option must be a string")
		}
		opts.Virtualenv = s
	}
	if v, ok := raw["typechecker"]; ok {
		switch s, _ := v.(string); s {
		case "mypy":
			opts.Typechecker = toolchain.TypeCheckerMypy
		case "pyright":
			opts.Typechecker = toolchain.TypeCheckerPyright
		default:
			return opts, fmt.Errorf("unsupported typechecker option: %v", v)
		}
	}
	if v, ok := raw["toolchain"]; ok {
		switch s, _ := v.(string); s {
		case "pip":
			opts.Toolchain = toolchain.Pip
		case "poetry":
			opts.Toolchain = toolchain.Poetry
		case "uv":
			opts.Toolchain = toolchain.Uv
		default:
			return opts, fmt.Errorf("unsupported toolchain option: %v", v)
		}
	}
	if isPlugin && (opts.Toolchain == toolchain.Auto || opts.Toolchain == toolchain.Pip) && opts.Virtualenv == "" {
		opts.Virtualenv = pluginVirtualenv
	}
	return opts, nil
}

// python resolves the toolchain of a program (isPlugin false) or a plugin folder.
func python(info *pulumirpc.ProgramInfo, isPlugin bool) (toolchain.Toolchain, error) {
	opts, err := options(info, isPlugin)
	if err != nil {
		return nil, err
	}
	return toolchain.ResolveToolchain(opts)
}

func (h *pythonHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	ctx := server.Context()
	info := req.GetInfo()
	analyzer := req.GetKind() == string(apitype.AnalyzerPlugin)
	opts, err := options(info, !analyzer)
	if err != nil {
		return err
	}
	tc, err := toolchain.ResolveToolchain(opts)
	if err != nil {
		return err
	}

	var cmd *exec.Cmd
	switch {
	case analyzer:
		// The CLI passes the engine address; the Python SDK's `pulumi.policy` module serves the
		// Analyzer protocol for the pack named last.
		args := append([]string{"-u", "-m", "pulumi.policy"}, req.GetArgs()...)
		cmd, err = tc.Command(ctx, append(args, info.GetProgramDirectory())...)
	default:
		var args []string
		args, err = pluginCommand(ctx, tc, opts.Root, info.GetProgramDirectory())
		if err == nil {
			cmd, err = tc.Command(ctx, append(args, req.GetArgs()...)...)
		}
	}
	if err != nil {
		return err
	}

	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	// Policy packs have always run in their own folder; plugins run where the engine runs.
	if analyzer {
		cmd.Dir = info.GetProgramDirectory()
	} else {
		cmd.Dir = req.GetPwd()
	}
	// The interpreter's environment (its virtualenv activated), then the engine's.
	cmd.Env = append(cmd.Env, req.GetEnv()...)
	cmd.Stdout, cmd.Stderr = stdout, stderr

	if err := cmd.Run(); err != nil {
		// An exit code (-1 when a signal ended it) is the plugin's answer, not the host's error.
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return server.Send(&pulumirpc.RunPluginResponse{
				Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(exitErr.ExitCode())},
			})
		}
		return fmt.Errorf("problem executing plugin program (could not run language executor): %w", err)
	}
	return closer.Close()
}

// pluginCommand is how a plugin folder runs: its __main__.py (`python <folder>`), or else the
// package its pyproject.toml builds, through the SDK's `python -m pulumi.run.plugin <name>`
// (which serves the package's components, or runs its module's __main__). An SDK too old to have
// that module gets `python <folder>`, whose error then says what is missing.
func pluginCommand(ctx context.Context, tc toolchain.Toolchain, root, folder string) ([]string, error) {
	if _, err := os.Stat(filepath.Join(root, "__main__.py")); err == nil {
		return []string{folder}, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("looking for __main__.py: %w", err)
	}
	if !hasPluginRunModule(ctx, tc) {
		return []string{folder}, nil
	}
	buildable, err := toolchain.IsBuildablePackage(root)
	if err != nil {
		return nil, fmt.Errorf("checking if plugin is a buildable package: %w", err)
	}
	if !buildable {
		return nil, errors.New("plugin is not runnable, it provides neither __main__.py nor a buildable pyproject.toml")
	}
	pyproject, err := toolchain.LoadPyproject(root)
	if err != nil {
		return nil, fmt.Errorf("loading pyproject: %w", err)
	}
	return []string{"-m", "pulumi.run.plugin", pyproject.Project.Name}, nil
}

func hasPluginRunModule(ctx context.Context, tc toolchain.Toolchain) bool {
	check, err := tc.Command(ctx, "-c", "import pulumi.run.plugin")
	if err != nil {
		return true
	}
	out, err := check.CombinedOutput()
	return err == nil || !strings.Contains(string(out), "ModuleNotFoundError")
}

func (h *pythonHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	ctx := server.Context()
	info := req.GetInfo()
	tc, err := python(info, req.GetIsPlugin())
	if err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()
	fmt.Fprintf(stdout, "Installing dependencies...\n\n")

	folder := info.GetProgramDirectory()
	languageTools := req.GetUseLanguageVersionTools()
	// A plugin folder that is a Python package (a pyproject.toml with a build backend) is
	// installed itself, into its own virtualenv; requirements.txt, if any, comes after.
	if req.GetIsPlugin() {
		buildable, err := toolchain.IsBuildablePackage(folder)
		if err != nil {
			return fmt.Errorf("checking if plugin is a buildable package: %w", err)
		}
		if buildable {
			if err := tc.InstallPackage(ctx, folder, languageTools, true, stdout, stderr); err != nil {
				return err
			}
		}
	}
	if err := tc.InstallDependencies(ctx, folder, languageTools, true, stdout, stderr); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Finished installing dependencies\n\n")
	return closer.Close()
}
