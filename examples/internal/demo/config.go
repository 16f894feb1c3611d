package demo

import (
	"os"
	"strings"

	"github.com/plugcache/plugcache"
)

// LoadConfig reads backend.cache from p's embedded app-config.yaml, which
// errors name examples/<Name>/app-config.yaml (the file to edit), and then
// from each of files, read from disk and named as given. A later file wins
// key by key, as Backstage layers app-config.production.yaml over
// app-config.yaml.
func (p Program) LoadConfig(files []string) (*plugcache.Config, error) {
	layers := []plugcache.ConfigFile{{Name: "examples/" + p.Name + "/app-config.yaml", Data: p.Config}}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		layers = append(layers, plugcache.ConfigFile{Name: name, Data: data})
	}
	return plugcache.ParseConfig(layers...)
}

// configFiles is the -config flag, which may be given more than once.
type configFiles []string

// String returns the files given so far, for the flag package.
func (f *configFiles) String() string { return strings.Join(*f, ",") }

// Set adds one -config file after those given before it.
func (f *configFiles) Set(v string) error { *f = append(*f, v); return nil }
