package demo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadConfig(t *testing.T) {
	const base = "backend:\n  cache:\n    defaultTtl: 5m\n    plugin:\n      catalog:\n        defaultTtl: 30s\n"
	dir := t.TempDir()
	layer, bad, missing := filepath.Join(dir, "layer.yaml"), filepath.Join(dir, "bad.yaml"), filepath.Join(dir, "missing.yaml")
	for name, content := range map[string]string{
		layer: "backend:\n  cache:\n    defaultTtl: 1m\n",
		bad:   "backend:\n  cache:\n    defaultTtl: soon\n",
	} {
		if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name        string
		embedded    string
		files       []string
		wantTTL     time.Duration // backend.cache.defaultTtl
		wantCatalog time.Duration // the catalog plugin's defaultTtl
		wantErr     []string      // parts of the error; nil for none
	}{
		{"the embedded file alone", base, nil, 5 * time.Minute, 30 * time.Second, nil},
		{"a later file wins key by key", base, []string{layer}, time.Minute, 30 * time.Second, nil},
		{"an error in the embedded file names its path in the repository", "backend:\n  cache:\n    stroe: redis\n", nil, 0, 0, []string{"examples/test/app-config.yaml:3", "stroe"}},
		{"an error in a file names it as given, with the line", base, []string{bad}, 0, 0, []string{bad + ":3", "defaultTtl"}},
		{"a missing file is named", base, []string{missing}, 0, 0, []string{missing}},
	}
	for _, tt := range tests {
		p := Program{Name: "test", Config: []byte(tt.embedded)}
		cfg, err := p.LoadConfig(tt.files)
		if tt.wantErr != nil {
			if err == nil {
				t.Errorf("%s: got nil error, want one containing %q", tt.name, tt.wantErr)
			}
			for _, w := range tt.wantErr {
				if err != nil && !strings.Contains(err.Error(), w) {
					t.Errorf("%s: got %q, want it to contain %q", tt.name, err, w)
				}
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: got %v, want no error", tt.name, err)
			continue
		}
		if cfg.DefaultTTL != tt.wantTTL {
			t.Errorf("%s: defaultTtl: got %v, want %v", tt.name, cfg.DefaultTTL, tt.wantTTL)
		}
		if got := cfg.Plugin["catalog"].DefaultTTL; got != tt.wantCatalog {
			t.Errorf("%s: catalog defaultTtl: got %v, want %v", tt.name, got, tt.wantCatalog)
		}
	}
}
