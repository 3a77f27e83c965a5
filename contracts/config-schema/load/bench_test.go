package load_test

import (
	"os"
	"path/filepath"
	"testing"

	"orchcore.dev/contracts/config-schema/load"
)

func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"minimal.yaml", "multi-pool.yaml"} {
		data, err := os.ReadFile(filepath.Join("..", "examples", name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if cfg, _, _ := load.Parse(name, data, load.Strict); cfg == nil {
					b.Fatal("example did not parse")
				}
			}
		})
	}
}
