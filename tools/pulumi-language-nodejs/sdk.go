package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"
)

// sdkPackage is the npm package whose cmd/* runners execute programs, policy packs and plugins.
const sdkPackage = "@pulumi/pulumi"

// findSDK returns the directory of the @pulumi/pulumi package that Node.js would resolve from dir:
// the first <d>/node_modules/@pulumi/pulumi (with a package.json) for d = dir and its ancestors.
func findSDK(dir string) (string, error) {
	start, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := start; ; {
		candidate := filepath.Join(d, "node_modules", filepath.FromSlash(sdkPackage))
		if _, err := os.Stat(filepath.Join(candidate, "package.json")); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return "", fmt.Errorf("cannot find the %s npm package in a node_modules directory at or above %s: "+
		"run \"npm install\" (or \"npm ci\") in the project so that node_modules/%s exists",
		sdkPackage, start, sdkPackage)
}

// runtimeOptions are the `runtime.options` of Pulumi.yaml / PulumiPolicy.yaml / PulumiPlugin.yaml that
// this host honours.
type runtimeOptions struct {
	// typescript: run .ts sources through ts-node (default true).
	typescript bool
	// tsconfig: path of the tsconfig.json to use, relative to the program directory.
	tsconfig string
	// nodeargs: extra arguments for node itself, e.g. "--max-old-space-size=4096 --enable-source-maps".
	nodeargs []string
}

// parseRuntimeOptions reads the options struct the engine forwards in ProgramInfo.options. Unknown
// options (packagemanager, ...) are ignored; a wrongly typed known option is an error.
func parseRuntimeOptions(opts *structpb.Struct) (runtimeOptions, error) {
	out := runtimeOptions{typescript: true}
	if opts == nil {
		return out, nil
	}
	var errs []error
	for name, value := range opts.AsMap() {
		switch name {
		case "typescript":
			switch v := value.(type) {
			case bool:
				out.typescript = v
			case string:
				out.typescript = v != "false"
			default:
				errs = append(errs, fmt.Errorf("runtime option typescript must be a boolean, got %v", value))
			}
		case "tsconfig":
			if s, ok := value.(string); ok {
				out.tsconfig = s
			} else {
				errs = append(errs, fmt.Errorf("runtime option tsconfig must be a string, got %v", value))
			}
		case "nodeargs":
			if s, ok := value.(string); ok {
				out.nodeargs = strings.Fields(s)
			} else {
				errs = append(errs, fmt.Errorf("runtime option nodeargs must be a string, got %v", value))
			}
		}
	}
	return out, errors.Join(errs...)
}
