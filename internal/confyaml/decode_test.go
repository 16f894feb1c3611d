package confyaml

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type testStore struct {
	Store      string        `yaml:"store"`
	Connection string        `yaml:"connection"`
	DefaultTTL time.Duration `yaml:"defaultTtl"`
	Redis      struct {
		Cluster *struct {
			RootNodes []struct {
				URL string `yaml:"url"`
			} `yaml:"rootNodes"`
			Defaults struct {
				Password string `yaml:"password"`
			} `yaml:"defaults"`
		} `yaml:"cluster"`
	} `yaml:"redis"`
	MaxIdle int  `yaml:"maxIdleConns"`
	Flag    bool `yaml:"flag"`
}

type testConfig struct {
	testStore `yaml:",inline"`
	Plugin    map[string]testStore `yaml:"plugin"`
}

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func writeFiles(t *testing.T, files ...string) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for i, src := range files {
		p := filepath.Join(dir, []string{"app-config.yaml", "app-config.production.yaml", "third.yaml"}[i])
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func TestDecode(t *testing.T) {
	const base = `app:
  title: ignored ${UNSET_ELSEWHERE}
backend:
  cache:
    store: redis
    connection: redis://:${REDIS_PASSWORD}@127.0.0.1:6379/0
    defaultTtl: { minutes: 5 }
    redis:
      cluster:
        rootNodes: [ { url: redis://127.0.0.1:7000 }, { url: redis://127.0.0.1:7001 } ]
        defaults: { password: ${REDIS_PASSWORD} }
    plugin:
      techdocs: { defaultTtl: 1h }
      search:   { store: memory, defaultTtl: 30s }
`
	paths := writeFiles(t, base, `backend:
  cache:
    defaultTtl: 10s
    plugin:
      techdocs: { store: memcache }
      catalog: { defaultTtl: PT2M }
`)
	tree, err := Parse(paths...)
	if err != nil {
		t.Fatal(err)
	}
	var c testConfig
	if err := tree.Section("backend.cache").Decode(&c, env(map[string]string{"REDIS_PASSWORD": "s3cret"})); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		got  any
		want any
	}{
		{"a key only the first file sets survives", c.Store, "redis"},
		{"${VAR} is replaced inside a block scalar", c.Connection, "redis://:s3cret@127.0.0.1:6379/0"},
		{"${VAR} is replaced inside a flow mapping", c.Redis.Cluster.Defaults.Password, "s3cret"},
		{"the later file wins a scalar", c.DefaultTTL, 10 * time.Second},
		{"flow sequences of mappings decode", len(c.Redis.Cluster.RootNodes), 2},
		{"mappings merge key by key", c.Plugin["techdocs"].DefaultTTL, time.Hour},
		{"the later file adds a key inside a merged mapping", c.Plugin["techdocs"].Store, "memcache"},
		{"the later file adds a new map entry", c.Plugin["catalog"].DefaultTTL, 2 * time.Minute},
		{"the earlier file's other entries stay", c.Plugin["search"].Store, "memory"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s: got %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	if loc := tree.Location("backend.cache.defaultTtl"); !strings.HasSuffix(loc.File, "app-config.production.yaml") || loc.Line != 3 {
		t.Errorf("Location(defaultTtl) = %v, want app-config.production.yaml:3", loc)
	}
	if loc := tree.Location("backend.cache.store"); !strings.HasSuffix(loc.File, "app-config.yaml") || loc.Line != 5 {
		t.Errorf("Location(store) = %v, want app-config.yaml:5", loc)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		wantPath string
		wantLine int
		wantMsg  string
	}{
		{name: "unknown key suggests the nearest", src: "backend:\n  cache:\n    stroe: redis\n", wantPath: "backend.cache.stroe", wantLine: 3, wantMsg: `did you mean "store"`},
		{name: "unknown nested key suggests the nearest", src: "backend:\n  cache:\n    redis:\n      cluster:\n        rootNode: []\n", wantPath: "backend.cache.redis.cluster.rootNode", wantLine: 5, wantMsg: `did you mean "rootNodes"`},
		{name: "unknown key far from all lists them", src: "backend:\n  cache:\n    zzzzzzzz: 1\n", wantPath: "backend.cache.zzzzzzzz", wantLine: 3, wantMsg: "expected one of"},
		{name: "unparsable duration", src: "backend:\n  cache:\n    defaultTtl: soon\n", wantPath: "backend.cache.defaultTtl", wantLine: 3, wantMsg: "expected a duration"},
		{name: "unknown duration key", src: "backend:\n  cache:\n    defaultTtl: { minuts: 5 }\n", wantPath: "backend.cache.defaultTtl", wantLine: 3, wantMsg: `did you mean "minutes"`},
		{name: "string where a number is needed", src: "backend:\n  cache:\n    maxIdleConns: many\n", wantPath: "backend.cache.maxIdleConns", wantLine: 3, wantMsg: "expected a whole number"},
		{name: "mapping where a string is needed", src: "backend:\n  cache:\n    store: { a: 1 }\n", wantPath: "backend.cache.store", wantLine: 3, wantMsg: "expected a single value"},
		{name: "scalar where a list is needed", src: "backend:\n  cache:\n    redis: { cluster: { rootNodes: x } }\n", wantPath: "backend.cache.redis.cluster.rootNodes", wantLine: 3, wantMsg: "expected a list"},
		{name: "unset variable is named", src: "backend:\n  cache:\n    connection: redis://${NOPE_HOST}:6379\n", wantPath: "backend.cache.connection", wantLine: 3, wantMsg: `"NOPE_HOST" is not set`},
		{name: "bad boolean", src: "backend:\n  cache:\n    flag: maybe\n", wantPath: "backend.cache.flag", wantLine: 3, wantMsg: "expected true or false"},
		{name: "a number where the parent mapping should be", src: "app: {}\nbackend: 5\n", wantPath: "backend", wantLine: 2, wantMsg: "expected a mapping of keys, got a number"},
		{name: "a string where the parent mapping should be", src: "backend: memory\n", wantPath: "backend", wantLine: 1, wantMsg: "got a string"},
		{name: "a list where the parent mapping should be", src: "backend:\n  - cache\n", wantPath: "backend", wantLine: 1, wantMsg: "got a list"},
		{name: "a number where the section should be", src: "backend:\n  cache: 5\n", wantPath: "backend.cache", wantLine: 2, wantMsg: "expected a mapping of keys, got a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := Parse(writeFiles(t, tt.src)...)
			if err != nil {
				t.Fatal(err)
			}
			var c testConfig
			err = tree.Section("backend.cache").Decode(&c, env(nil))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("got error %v, want an *Error", err)
			}
			if ce.Path != tt.wantPath || ce.Loc.Line != tt.wantLine || !strings.Contains(ce.Msg, tt.wantMsg) || !strings.HasSuffix(ce.Loc.File, "app-config.yaml") {
				t.Errorf("got %q, want path %s, line %d, message containing %q", err, tt.wantPath, tt.wantLine, tt.wantMsg)
			}
		})
	}
}

func TestSyntaxErrorNamesFileAndLineWithoutSecrets(t *testing.T) {
	src := "backend:\n  cache:\n    connection: redis://:hunter2@h:1\n    store: [unclosed\n"
	_, err := Parse(writeFiles(t, src)...)
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("got %v, want an *Error", err)
	}
	if !strings.HasSuffix(ce.Loc.File, "app-config.yaml") || ce.Loc.Line == 0 {
		t.Errorf("got location %v, want app-config.yaml with a line", ce.Loc)
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %q shows the password", err)
	}
}

func TestEscapedVariableIsLiteral(t *testing.T) {
	tree, err := ParseFiles(File{Name: "c.yaml", Data: []byte("a:\n  store: $${LITERAL}\n  connection: \"x${V}y\"\n")})
	if err != nil {
		t.Fatal(err)
	}
	var c testStore
	if err := tree.Section("a").Decode(&c, env(map[string]string{"V": "-"})); err != nil {
		t.Fatal(err)
	}
	if c.Store != "${LITERAL}" || c.Connection != "x-y" {
		t.Errorf("got store %q connection %q, want ${LITERAL} and x-y", c.Store, c.Connection)
	}
}

func TestFileWithLiteralParenDollarKeepsItsText(t *testing.T) {
	tree, err := ParseFiles(File{Name: "c.yaml", Data: []byte("a:\n  store: \"$(not-a-var)\"\n  connection: ${V}\n")})
	if err != nil {
		t.Fatal(err)
	}
	var c testStore
	if err := tree.Section("a").Decode(&c, env(map[string]string{"V": "v"})); err != nil {
		t.Fatal(err)
	}
	if c.Store != "$(not-a-var)" || c.Connection != "v" {
		t.Errorf("got store %q connection %q, want $(not-a-var) and v", c.Store, c.Connection)
	}
}

func TestMissingSectionDecodesNothing(t *testing.T) {
	tests := []struct {
		name string
		src  string
	}{
		{"a file without the section", "app: {}\n"},
		{"an empty file", ""},
		{"a file of comments only", "# nothing yet\n"},
		{"a null document", "~\n"},
		{"an empty parent key", "backend:\n"},
		{"a null section", "backend:\n  cache: ~\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := ParseFiles(File{Name: "c.yaml", Data: []byte(tt.src)})
			if err != nil {
				t.Fatalf("ParseFiles: got error %v, want nil", err)
			}
			c := testStore{Store: "kept"}
			if err := tree.Section("backend.cache").Decode(&c, env(nil)); err != nil || c.Store != "kept" {
				t.Errorf("got %v, %q; want no error and the struct untouched", err, c.Store)
			}
		})
	}
}

func TestDocumentThatIsNotAMappingIsAnError(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		wantLine int
		wantMsg  string
	}{
		{name: "a number", src: "5\n", wantLine: 1, wantMsg: "got a number"},
		{name: "a string after a comment", src: "# config\nstore memory\n", wantLine: 2, wantMsg: "got a string"},
		{name: "a list", src: "- backend\n- cache\n", wantLine: 1, wantMsg: "got a list"},
		{name: "a later document that is a string", src: "backend: {}\n---\nmemory\n", wantLine: 3, wantMsg: "got a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFiles(File{Name: "c.yaml", Data: []byte(tt.src)})
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("got error %v, want an *Error", err)
			}
			if ce.Loc != (Location{File: "c.yaml", Line: tt.wantLine}) || !strings.Contains(ce.Msg, "expected a mapping of keys at the top of the file") || !strings.Contains(ce.Msg, tt.wantMsg) {
				t.Errorf("got %q, want an error at c.yaml:%d about the top of the file, containing %q", err, tt.wantLine, tt.wantMsg)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("backend:\n  cache:\n    store: redis\n    defaultTtl: { minutes: 5 }\n"))
	f.Add([]byte("a: ${X}\nb: [ { c: $${Y} } ]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		tree, err := ParseFiles(File{Name: "f.yaml", Data: src})
		if err != nil {
			return
		}
		var c testConfig
		_ = tree.Section("backend.cache").Decode(&c, env(nil))
	})
}
