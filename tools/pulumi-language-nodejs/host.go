package main

import (
	"context"
	"os/exec"
	"strings"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// host implements pulumirpc.LanguageRuntimeServer. Methods it does not implement (code generation,
// packing, linking, templates) answer Unimplemented through the embedded type.
type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	// parent is done when the host shuts down (the engine went away).
	parent  context.Context
	tracing string

	mu            sync.Mutex
	engineAddress string
	// running is done when the Cancel RPC arrives: it kills the node processes running then. Cancel
	// replaces it, so that later requests run normally (an engine attached to a long-lived host
	// calls Cancel each time it closes its connection, and then reconnects).
	running context.Context
	cancel  context.CancelFunc
}

func newHost(parent context.Context, engineAddress, tracing string) *host {
	h := &host{parent: parent, engineAddress: engineAddress, tracing: tracing}
	h.running, h.cancel = context.WithCancel(parent)
	return h
}

func (h *host) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

// Handshake is only sent by an engine that attaches to an already running host; it carries the
// engine's address. A host the engine launches itself gets the address on its command line.
func (h *host) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if addr := req.GetEngineAddress(); addr != "" {
		h.mu.Lock()
		h.engineAddress = addr
		h.mu.Unlock()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// About reports the node executable on PATH and its version (empty when node is missing).
func (h *host) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	resp := &pulumirpc.AboutResponse{Metadata: map[string]string{"languageHost": "pulumi-instance-refresh " + version}}
	node, err := exec.LookPath("node")
	if err != nil {
		return resp, nil
	}
	resp.Executable = node
	if out, err := exec.CommandContext(ctx, node, "--version").Output(); err == nil {
		resp.Version = strings.TrimPrefix(strings.TrimSpace(string(out)), "v")
	}
	return resp, nil
}

// GetRequiredPlugins reports no plugins: plugin acquisition is disabled in this project, and the one
// plugin its programs use (the dynamic provider pulumi-resource-pulumi-nodejs) is found on PATH.
func (h *host) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

// GetRequiredPackages reports no packages, for the same reason as GetRequiredPlugins.
func (h *host) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// GetProgramDependencies reports no dependencies (it only feeds `pulumi about`).
func (h *host) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

// InstallDependencies succeeds without doing anything: the project installs its npm dependencies
// itself. Returning ends the stream, which the engine reads as success.
func (h *host) InstallDependencies(
	*pulumirpc.InstallDependenciesRequest, grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	return nil
}

// RuntimeOptionsPrompts asks nothing during `pulumi new`.
func (h *host) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// Cancel kills the node processes that are running now.
func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cancel()
	h.running, h.cancel = context.WithCancel(h.parent)
	return &emptypb.Empty{}, nil
}

// childContext is a context for one node child process: done when the RPC that started it ends
// (the engine cancelled it), on Cancel, or when the host shuts down.
func (h *host) childContext(rpc context.Context) (context.Context, context.CancelFunc) {
	h.mu.Lock()
	running := h.running
	h.mu.Unlock()
	ctx, cancel := context.WithCancel(rpc)
	stop := context.AfterFunc(running, cancel)
	return ctx, func() { stop(); cancel() }
}
