package main

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/structpb"
)

func TestParseArgs(t *testing.T) {
	got := parseArgs([]string{"--logtostderr", "-v=9", "--tracing", "http://t", "127.0.0.1:1234"})
	want := cliArgs{engineAddress: "127.0.0.1:1234", tracing: "http://t"}
	if got != want {
		t.Fatalf("parseArgs = %+v, want %+v", got, want)
	}
	if got := parseArgs([]string{"--tracing=x", "--unknown", "addr"}); got.tracing != "x" || got.engineAddress != "addr" {
		t.Fatalf("parseArgs with = form: %+v", got)
	}
}

func TestProgramPath(t *testing.T) {
	cases := []struct{ pwd, dir, entry, legacy, want string }{
		{"/p", "/p", ".", "", "."},
		{"/p", "/p", "", "", "."},
		{"/p", "/p", "index.ts", "", "/p/index.ts"},
		{"/p", "/p/src", ".", "", "/p/src"},
		{"/p", "/p", "", "main.js", "/p/main.js"},
		{"/p", "/p", "/abs/x.js", "", "/abs/x.js"},
	}
	for _, c := range cases {
		if got := programPath(c.pwd, c.dir, c.entry, c.legacy); got != c.want {
			t.Errorf("programPath(%q, %q, %q, %q) = %q, want %q", c.pwd, c.dir, c.entry, c.legacy, got, c.want)
		}
	}
}

func TestParseRuntimeOptions(t *testing.T) {
	opts, err := parseRuntimeOptions(nil)
	if err != nil || !opts.typescript {
		t.Fatalf("defaults: %+v, %v", opts, err)
	}
	s, _ := structpb.NewStruct(map[string]any{
		"typescript": false, "nodeargs": " --a  --b=1 ", "tsconfig": "tsconfig.pulumi.json", "packagemanager": "npm",
	})
	opts, err = parseRuntimeOptions(s)
	if err != nil {
		t.Fatal(err)
	}
	want := runtimeOptions{typescript: false, tsconfig: "tsconfig.pulumi.json", nodeargs: []string{"--a", "--b=1"}}
	if !reflect.DeepEqual(opts, want) {
		t.Fatalf("parseRuntimeOptions = %+v, want %+v", opts, want)
	}
	bad, _ := structpb.NewStruct(map[string]any{"nodeargs": 3.0})
	if _, err := parseRuntimeOptions(bad); err == nil {
		t.Fatal("expected an error for a non-string nodeargs")
	}
}

func TestFindSDK(t *testing.T) {
	root := t.TempDir()
	sdk := filepath.Join(root, "node_modules", "@pulumi", "pulumi")
	if err := os.MkdirAll(sdk, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sdk, "package.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := findSDK(deep); err != nil || got != sdk {
		t.Fatalf("findSDK = %q, %v; want %q", got, err, sdk)
	}
	_, err := findSDK(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "npm install") {
		t.Fatalf("findSDK without node_modules: %v", err)
	}
}

func TestCancelKillsOnlyRunningChildren(t *testing.T) {
	h := newHost(context.Background(), "", "")
	before, done := h.childContext(context.Background())
	defer done()
	if _, err := h.Cancel(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-before.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("a child running at Cancel time must be cancelled")
	}
	after, done2 := h.childContext(context.Background())
	defer done2()
	if after.Err() != nil {
		t.Fatal("a child started after Cancel must run")
	}
}
