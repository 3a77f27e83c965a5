package runner

import (
	_ "embed"
	"fmt"
	"os"
	"strings"

	"orchcore.dev/contracts/config-schema/config"
	cfgload "orchcore.dev/contracts/config-schema/load"
)

//go:embed default.yaml
var defaultConfig []byte

// DefaultConfig is the pool configuration used without --config.
func DefaultConfig() []byte { return append([]byte(nil), defaultConfig...) }

// loadConfig reads path (or the default) in strict mode; every error
// diagnostic is reported, one per line.
func loadConfig(path string) (*config.Config, error) {
	name, data := "default.yaml", defaultConfig
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("--config: %w", err)
		}
		name, data = path, b
	}
	c, diags, err := cfgload.Parse(name, data, cfgload.Strict)
	if err != nil {
		return nil, err
	}
	if c == nil {
		var lines []string
		for _, d := range diags {
			lines = append(lines, d.String())
		}
		return nil, fmt.Errorf("invalid configuration:\n%s", strings.Join(lines, "\n"))
	}
	return c, nil
}
