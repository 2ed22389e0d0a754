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
	"sync"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// exitCodeAlreadyReported is the exit code @pulumi/pulumi's cmd/run uses after it has reported the
// program's error to the engine itself: the host must then bail without printing anything more.
const exitCodeAlreadyReported = 32

// childWaitDelay bounds how long a finished node process's output pipes are drained, in case a
// grandchild process keeps them open.
const childWaitDelay = 5 * time.Second

// Run executes a Pulumi program with `node [nodeargs] <@pulumi/pulumi>/cmd/run <flags> <program> [args]`.
// The program's stdout and stderr are this host's own, which the engine displays.
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir := info.GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	opts, err := parseRuntimeOptions(info.GetOptions())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	sdk, err := findSDK(programDir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "cannot find node on PATH: install Node.js"}, nil
	}

	args := append([]string{}, opts.nodeargs...)
	args = append(args, filepath.Join(sdk, "cmd", "run"))
	args = append(args, h.runFlags(req)...)
	args = append(args, programPath(req.GetPwd(), programDir, info.GetEntryPoint(), req.GetProgram()))
	args = append(args, req.GetArgs()...)

	env, err := runEnv(req, opts)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "encoding config: %v", err)
	}

	cctx, cancel := h.childContext(ctx)
	defer cancel()
	cmd := exec.CommandContext(cctx, node, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.WaitDelay = childWaitDelay

	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitCodeAlreadyReported:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() > 0:
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program failed to run: %v", err)}, nil
	}
}

// runFlags are the flags @pulumi/pulumi's cmd/run/index.js reads (see its usage()).
func (h *host) runFlags(req *pulumirpc.RunRequest) []string {
	flags := []string{"--monitor=" + req.GetMonitorAddress()}
	add := func(name, value string) {
		if value != "" {
			flags = append(flags, "--"+name+"="+value)
		}
	}
	add("engine", h.engine())
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("stack", req.GetStack())
	add("pwd", req.GetPwd())
	add("root-directory", req.GetInfo().GetRootDirectory())
	add("tracing", h.tracing)
	if req.GetParallel() > 0 {
		add("parallel", strconv.Itoa(int(req.GetParallel())))
	}
	if req.GetDryRun() {
		flags = append(flags, "--dry-run")
	}
	return flags
}

// programPath is the program argument for cmd/run. When the entry point is the program directory
// itself and that is also the working directory, it passes "." so that cmd/run looks up the entry
// point in package.json ("exports" or "main"), as it does for a project without a `main` setting.
func programPath(pwd, programDir, entryPoint, legacyProgram string) string {
	if entryPoint == "" {
		entryPoint = legacyProgram
	}
	if entryPoint == "" {
		entryPoint = "."
	}
	if filepath.IsAbs(entryPoint) {
		return entryPoint
	}
	if entryPoint == "." && filepath.Clean(programDir) == filepath.Clean(pwd) {
		return "."
	}
	return filepath.Join(programDir, entryPoint)
}

// runEnv is this host's environment plus the stack config (as cmd/run's runtime/config.js reads it)
// and the TypeScript settings (as cmd/run/run.js reads them).
func runEnv(req *pulumirpc.RunRequest, opts runtimeOptions) ([]string, error) {
	config := req.GetConfig()
	if config == nil {
		config = map[string]string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(configJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON),
		"PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(opts.typescript),
	)
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	return env, nil
}

// RunPlugin starts a policy pack (kind "analyzer") with `node <@pulumi/pulumi>/cmd/run-policy-pack
// <args> <pack dir>`, or another plugin with `node <@pulumi/pulumi>/cmd/run-plugin <dir> <args>`,
// in the plugin's directory and with the environment the engine sends. It streams the process's
// stdout (whose first line is the plugin's gRPC port, read by the engine) and stderr back, then
// its exit code.
func (h *host) RunPlugin(
	req *pulumirpc.RunPluginRequest, stream grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	info := req.GetInfo()
	dir := info.GetProgramDirectory()
	if dir == "" {
		dir = req.GetPwd()
	}
	opts, err := parseRuntimeOptions(info.GetOptions())
	if err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	sdk, err := findSDK(dir)
	if err != nil {
		return status.Error(codes.FailedPrecondition, err.Error())
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return status.Error(codes.FailedPrecondition, "cannot find node on PATH: install Node.js")
	}

	args := append([]string{}, opts.nodeargs...)
	if req.GetKind() == "analyzer" {
		args = append(args, filepath.Join(sdk, "cmd", "run-policy-pack"))
		args = append(args, req.GetArgs()...)
		args = append(args, dir)
	} else {
		args = append(args, filepath.Join(sdk, "cmd", "run-plugin"), dir)
		args = append(args, req.GetArgs()...)
	}

	ctx, cancel := h.childContext(stream.Context())
	defer cancel()
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = dir
	if env := req.GetEnv(); len(env) > 0 {
		cmd.Env = env
	}
	out := &pluginOutput{stream: stream}
	cmd.Stdout = out.writer(false)
	cmd.Stderr = out.writer(true)
	cmd.WaitDelay = childWaitDelay

	if err := cmd.Start(); err != nil {
		return status.Errorf(codes.Internal, "starting node: %v", err)
	}
	waitErr := cmd.Wait()
	if ctx.Err() != nil {
		// The engine closed the plugin (or the host is shutting down): nobody reads the exit code.
		return nil
	}
	var exitErr *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &exitErr) {
		return status.Errorf(codes.Internal, "running node: %v", waitErr)
	}
	return out.send(&pulumirpc.RunPluginResponse{
		Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(cmd.ProcessState.ExitCode())},
	})
}

// pluginOutput forwards a plugin's stdout and stderr as RunPluginResponse messages; gRPC streams
// must not be sent on concurrently, hence the lock.
type pluginOutput struct {
	mu     sync.Mutex
	stream grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]
}

func (o *pluginOutput) send(msg *pulumirpc.RunPluginResponse) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.stream.Send(msg)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func (o *pluginOutput) writer(stderr bool) writerFunc {
	return func(p []byte) (int, error) {
		chunk := append([]byte(nil), p...)
		msg := &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: chunk}}
		if stderr {
			msg.Output = &pulumirpc.RunPluginResponse_Stderr{Stderr: chunk}
		}
		if err := o.send(msg); err != nil {
			return 0, err
		}
		return len(p), nil
	}
}
