// Command pulumi-language-nodejs is a small Node.js language host for the Pulumi engine.
//
// The engine starts a language host as `pulumi-language-nodejs [flags] <engine-address>`, reads the
// gRPC port it listens on from the first line of its standard output, and then calls the
// pulumirpc.LanguageRuntime service on that port: Run to execute a Pulumi program, RunPlugin to
// start a policy pack (or a plugin) written in JavaScript or TypeScript. Both delegate to the
// runners the @pulumi/pulumi npm package ships (cmd/run, cmd/run-policy-pack, cmd/run-plugin),
// found in a node_modules directory at or above the program.
//
// Plugin acquisition is out of scope: GetRequiredPackages and friends report nothing, and
// InstallDependencies does nothing (the project installs its own npm dependencies).
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// version is reported by GetPluginInfo; override with -ldflags "-X main.version=...".
var version = "0.1.0"

// engineHealthInterval is how often the host checks that the engine that started it is still alive.
const engineHealthInterval = 5 * time.Minute

// maxMessageSize matches the engine's own gRPC limit, so large programs' messages get through.
const maxMessageSize = 400 * 1024 * 1024

// cliArgs are the command-line arguments the engine passes: an optional tracing endpoint, logging
// flags this host ignores, and the engine's gRPC address as the last positional argument.
type cliArgs struct {
	engineAddress string
	tracing       string
}

// parseArgs reads `[--logtostderr] [-v=N] [--tracing <url>] [<engine-address>]`. Unknown flags are
// ignored rather than fatal, so that a newer engine passing a new flag still starts the host.
func parseArgs(args []string) cliArgs {
	var out cliArgs
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			out.engineAddress = arg
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if name == "tracing" {
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			out.tracing = value
		}
	}
	return out
}

func main() {
	if err := serve(parseArgs(os.Args[1:])); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

// serve listens on a free local port, prints it as the first line of stdout (which is how the engine
// learns where to connect), and serves until the engine goes away or cancels the host.
func serve(args cliArgs) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listening on a local TCP port: %w", err)
	}
	srv := grpc.NewServer(grpc.MaxRecvMsgSize(maxMessageSize), grpc.MaxSendMsgSize(maxMessageSize))
	pulumirpc.RegisterLanguageRuntimeServer(srv, newHost(ctx, args.engineAddress, args.tracing))
	healthpb.RegisterHealthServer(srv, health.NewServer())

	if args.engineAddress != "" {
		if err := watchEngine(ctx, args.engineAddress, cancel); err != nil {
			return err
		}
	}
	go func() {
		<-ctx.Done()
		srv.GracefulStop()
	}()

	fmt.Printf("%d\n", lis.Addr().(*net.TCPAddr).Port)
	return srv.Serve(lis)
}

// watchEngine asks the engine's gRPC health service every engineHealthInterval whether it is still
// there, and calls stop when it is not (an engine without the service counts as alive).
func watchEngine(ctx context.Context, addr string, stop context.CancelFunc) error {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return fmt.Errorf("connecting to the engine at %s: %w", addr, err)
	}
	go func() {
		defer conn.Close()
		client := healthpb.NewHealthClient(conn)
		ticker := time.NewTicker(engineHealthInterval)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.C:
				_, err := client.Check(ctx, &healthpb.HealthCheckRequest{})
				if err != nil && status.Code(err) != codes.Unimplemented {
					stop()
					return
				}
			}
		}
	}()
	return nil
}
