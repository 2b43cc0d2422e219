// Package hostbase is what our language hosts (langhost for Python, langhost-nodejs and
// langhost-go for the tests' Node.js and Go programs) share: serving the LanguageRuntime service
// until the engine stops them, the answers that do not depend on the language, and stopping a
// program the way the official hosts do when the engine gives up on it.
package hostbase

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// ExitAfterUserMessage is the code a program's runner exits with after it has shown the user
// an actionable message; the engine must then stop without adding a second error.
const ExitAfterUserMessage = 32

// Base answers the LanguageRuntime calls that are the same for every language; a host
// embeds it and adds Run and the rest. Anything neither implements answers Unimplemented,
// which the CLI treats as "not supported".
type Base struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	// EngineAddress is the engine's gRPC address: from the command line, then the handshake.
	EngineAddress string

	makeOnce, closeOnce sync.Once
	canceled            chan struct{} // closed by the first Cancel call
}

// Handshake records the engine's address.
func (b *Base) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	b.EngineAddress = req.GetEngineAddress()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

// GetPluginInfo reports the engine's own version, which these hosts are built with.
func (b *Base) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(version.Version, "v")}, nil
}

// GetRequiredPlugins answers none: a program's plugins are found on PATH or through
// Pulumi.yaml.
func (b *Base) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

// GetRequiredPackages answers none, for the same reason.
func (b *Base) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// Cancel stops every program this host runs (see ProgramContext). The engine calls it when it
// shuts its plugins down, after an error as after a successful run.
func (b *Base) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	canceled := b.cancelChannel()
	b.closeOnce.Do(func() { close(canceled) })
	return &emptypb.Empty{}, nil
}

func (b *Base) cancelChannel() chan struct{} {
	b.makeOnce.Do(func() { b.canceled = make(chan struct{}) })
	return b.canceled
}

// ProgramContext is the context to run a program in: it ends when the Run call's ctx does or when
// the engine calls Cancel, whichever comes first, as in the official hosts. The engine ends a Run
// that way after an error (for example a provider that refused its configuration), and a program
// still running then is interrupted: see Interruptible.
func (b *Base) ProgramContext(ctx context.Context) (context.Context, context.CancelFunc) {
	programCtx, cancel := context.WithCancel(ctx)
	canceled := b.cancelChannel()
	go func() {
		select {
		case <-canceled:
			cancel()
		case <-programCtx.Done():
		}
	}()
	return programCtx, cancel
}

// Interruptible makes cmd, started with exec.CommandContext, stop as the official hosts stop a
// program when its context ends: SIGINT first (a Python program then prints the KeyboardInterrupt
// traceback of whatever it was doing), and a kill if it has not exited five seconds later.
func Interruptible(cmd *exec.Cmd) {
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = 5 * time.Second
}

// Serve serves host, prints its port for the engine and returns when the engine stops it.
// name prefixes the one line a failure prints.
func Serve(name string, host pulumirpc.LanguageRuntimeServer) {
	// The engine stops a plugin with SIGINT to its process group and kills it five seconds
	// later if it is still there. Handle SIGINT as the official hosts do (stop serving, then
	// exit): a process started with SIGINT ignored, such as a background job of a
	// non-interactive shell, keeps it ignored unless a handler is installed, and every pulumi
	// command then waited those five seconds for the language host to go.
	interrupted, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cancel := make(chan bool)
	go func() {
		<-interrupted.Done()
		stop() // from here on SIGINT is treated as it was before
		close(cancel)
	}()

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		Fatal(name, fmt.Errorf("could not start the language host RPC server: %w", err))
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		Fatal(name, fmt.Errorf("language host RPC server stopped: %w", err))
	}
}

// Fatal prints err on one line, prefixed with the host's name, and exits 1.
func Fatal(name string, err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	os.Exit(1)
}
