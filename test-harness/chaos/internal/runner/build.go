package runner

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// EnginePackage is the refengine command's import path.
const EnginePackage = "orchcore.dev/test-harness/refengine/cmd/refengine"

// BuildEngine compiles the refengine into dir and returns the binary's
// path. It needs the Go toolchain and this workspace.
func BuildEngine(ctx context.Context, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "refengine")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, EnginePackage)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", EnginePackage, err, out)
	}
	return bin, nil
}
