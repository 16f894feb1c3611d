package confyaml

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

type kind int

const (
	null kind = iota
	scalar
	mapping
	sequence
)

// node is one value of the merged config, with where it came from.
type node struct {
	kind  kind
	value any    // scalar: string, int64, uint64, float64 or bool
	text  string // scalar: the value as written, for string fields given a number
	keys  []string
	vals  []*node // mapping: vals[i] is the value of keys[i]
	items []*node // sequence
	loc   Location
	// placeholders reports that the file's ${VAR} were rewritten to $(VAR)
	// before parsing; see rewriteVars.
	placeholders bool
}

// Tree is a merged config document, or a section of one. A nil *Tree is an
// absent section: it decodes to nothing and has no locations.
type Tree struct {
	root *node
	path string // dotted path of root within the document
	locs map[string]Location
}

// File is a config file's name, as errors give it, and its contents.
type File struct {
	Name string
	Data []byte
}

// Parse reads the files in order and merges them key by key: a later file's
// scalar or sequence replaces the earlier one, and mappings merge. Errors name
// the file and line.
func Parse(paths ...string) (*Tree, error) {
	files := make([]File, len(paths))
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		files[i] = File{Name: p, Data: data}
	}
	return ParseFiles(files...)
}

// ParseFiles is Parse for files already read, such as one embedded in the
// program with go:embed.
func ParseFiles(files ...File) (*Tree, error) {
	var merged *node
	for _, f := range files {
		n, err := parseFile(f.Name, f.Data)
		if err != nil {
			return nil, err
		}
		merged = merge(merged, n)
	}
	t := &Tree{root: merged, locs: map[string]Location{}}
	t.index(merged, "")
	return t, nil
}

// Section returns the subtree at a dotted path such as "backend.cache", or nil
// when the document has nothing there. A key on the way that holds a value
// other than a mapping, as "backend: 5" does, is not nothing: it is a mistake
// that would otherwise read as an absent section, so Section returns a section
// whose Decode reports it, with the key and where it stands.
func (t *Tree) Section(path string) *Tree {
	if t == nil {
		return nil
	}
	n, at := t.root, t.path
	for _, k := range strings.Split(path, ".") {
		if n == nil || n.kind == null {
			return nil
		}
		if n.kind != mapping {
			// The value itself, where it stands: decoding it into the
			// section's struct reports it.
			return &Tree{root: n, path: at, locs: t.locs}
		}
		n, at = n.get(k), joinPath(at, k)
	}
	if n == nil || n.kind == null {
		return nil
	}
	return &Tree{root: n, path: joinPath(t.path, path), locs: t.locs}
}

// Keys returns the keys of the mapping at the section's root, in the order of
// the files, or nil when the section is absent or not a mapping.
func (t *Tree) Keys() []string {
	if t == nil || t.root == nil || t.root.kind != mapping {
		return nil
	}
	return slices.Clone(t.root.keys)
}

// Location returns where the key at a dotted path was set (the last file that
// set it wins). Paths inside a Section are relative to the whole document.
func (t *Tree) Location(path string) Location {
	if t == nil {
		return Location{}
	}
	return t.locs[path]
}

func (t *Tree) index(n *node, path string) {
	if n == nil {
		return
	}
	switch n.kind {
	case mapping:
		for i, k := range n.keys {
			p := joinPath(path, k)
			t.locs[p] = n.vals[i].loc
			t.index(n.vals[i], p)
		}
	case sequence:
		for i, it := range n.items {
			p := fmt.Sprintf("%s[%d]", path, i)
			t.locs[p] = it.loc
			t.index(it, p)
		}
	}
}

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func (n *node) get(key string) *node {
	if n == nil || n.kind != mapping {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// merge lays over onto base: mappings merge key by key, anything else in over
// replaces what base had. It reuses the nodes of both.
func merge(base, over *node) *node {
	if base == nil {
		return over
	}
	if over == nil {
		return base
	}
	if base.kind != mapping || over.kind != mapping {
		return over
	}
	out := &node{kind: mapping, loc: over.loc, keys: append([]string(nil), base.keys...), vals: append([]*node(nil), base.vals...)}
	for i, k := range over.keys {
		found := false
		for j, bk := range out.keys {
			if bk == k {
				out.vals[j] = merge(out.vals[j], over.vals[i])
				found = true
				break
			}
		}
		if !found {
			out.keys = append(out.keys, k)
			out.vals = append(out.vals, over.vals[i])
		}
	}
	return out
}

// varRef matches ${NAME} and its escape $${NAME}.
var varRef = regexp.MustCompile(`\$?\$\{([^{}\s]*)\}`)

// rewriteVars turns ${NAME} into $(NAME), which has the same length and, unlike
// braces, may stand inside a YAML flow mapping such as
// "defaults: { password: ${REDIS_PASSWORD} }". A file that already holds "$(" is
// left as written, so that nothing it says literally is read as a variable.
func rewriteVars(src []byte) ([]byte, bool) {
	if strings.Contains(string(src), "$(") || !varRef.Match(src) {
		return src, false
	}
	return varRef.ReplaceAllFunc(src, func(m []byte) []byte {
		out := bytes.Clone(m)
		out[bytes.IndexByte(out, '{')] = '('
		out[len(out)-1] = ')'
		return out
	}), true
}

func parseFile(name string, src []byte) (*node, error) {
	src, placeholders := rewriteVars(src)
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, positioned(name, err)
	}
	var root *node
	for _, doc := range f.Docs {
		if doc.Body == nil {
			continue
		}
		n, err := convert(name, doc.Body, placeholders)
		if err != nil {
			return nil, err
		}
		switch n.kind {
		case null: // "~" or "null" alone, an empty file
			continue
		case scalar, sequence:
			// Every key would be absent, and a config of defaults would
			// hide a file that is not a config at all.
			return nil, &Error{Loc: n.loc, Msg: fmt.Sprintf("expected a mapping of keys at the top of the file, got %s", describe(n))}
		}
		root = merge(root, n)
	}
	if root == nil {
		root = &node{kind: mapping, loc: Location{File: name}}
	}
	return root, nil
}

// positioned turns a go-yaml error into an Error with a location and without
// go-yaml's source excerpt, which could show a secret.
func positioned(file string, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		p := ye.GetToken().Position
		return &Error{Loc: Location{File: file, Line: p.Line}, Msg: "invalid YAML: " + ye.GetMessage()}
	}
	return &Error{Loc: Location{File: file}, Msg: "invalid YAML: " + err.Error()}
}

func convert(file string, an ast.Node, placeholders bool) (*node, error) {
	loc := locOf(file, an)
	n := &node{loc: loc, placeholders: placeholders}
	switch v := an.(type) {
	case *ast.NullNode:
		n.kind = null
	case *ast.StringNode:
		n.kind, n.value, n.text = scalar, v.Value, v.Value
	case *ast.LiteralNode:
		n.kind, n.value, n.text = scalar, v.Value.Value, v.Value.Value
	case *ast.IntegerNode:
		n.kind, n.value, n.text = scalar, v.Value, v.GetToken().Value
	case *ast.FloatNode:
		n.kind, n.value, n.text = scalar, v.Value, v.GetToken().Value
	case *ast.BoolNode:
		n.kind, n.value, n.text = scalar, v.Value, v.GetToken().Value
	case *ast.InfinityNode, *ast.NanNode:
		n.kind, n.value, n.text = scalar, v.GetToken().Value, v.GetToken().Value
	case *ast.TagNode:
		return convert(file, v.Value, placeholders)
	case *ast.AnchorNode:
		return convert(file, v.Value, placeholders)
	case *ast.MappingNode:
		n.kind = mapping
		for _, mv := range v.Values {
			if err := addPair(n, file, mv, placeholders); err != nil {
				return nil, err
			}
		}
	case *ast.MappingValueNode:
		n.kind = mapping
		if err := addPair(n, file, v, placeholders); err != nil {
			return nil, err
		}
	case *ast.SequenceNode:
		n.kind = sequence
		for _, it := range v.Values {
			c, err := convert(file, it, placeholders)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, c)
		}
	default:
		return nil, &Error{Loc: loc, Msg: fmt.Sprintf("unsupported YAML construct (%s)", an.Type())}
	}
	return n, nil
}

func addPair(n *node, file string, mv *ast.MappingValueNode, placeholders bool) error {
	if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
		return &Error{Loc: locOf(file, mv), Msg: "merge keys (<<) are not supported"}
	}
	key := mv.Key.GetToken().Value
	if sn, ok := mv.Key.(*ast.StringNode); ok {
		key = sn.Value
	}
	val, err := convert(file, mv.Value, placeholders)
	if err != nil {
		return err
	}
	val.loc = locOf(file, mv.Key) // errors point at the key, where the reader looks
	for i, k := range n.keys {
		if k == key {
			n.vals[i] = val
			return nil
		}
	}
	n.keys = append(n.keys, key)
	n.vals = append(n.vals, val)
	return nil
}

func locOf(file string, an ast.Node) Location {
	loc := Location{File: file}
	if tk := an.GetToken(); tk != nil && tk.Position != nil {
		loc.Line = tk.Position.Line
	}
	return loc
}

// expand replaces ${NAME} in s from lookup. $${NAME} stands for a literal
// ${NAME}. An unset variable is an error that names it.
func (n *node) expand(s string, lookup func(string) (string, bool)) (string, error) {
	open, close := "${", "}"
	if n.placeholders {
		open, close = "$(", ")"
	}
	if !strings.Contains(s, open) {
		return s, nil
	}
	var b strings.Builder
	for {
		i := strings.Index(s, open)
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		j := strings.Index(s[i:], close)
		if j < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		name := s[i+len(open) : i+j]
		if i > 0 && s[i-1] == '$' { // escaped: $${NAME}
			b.WriteString(s[:i-1])
			b.WriteString("${" + name + "}")
		} else {
			v, ok := lookup(name)
			if !ok {
				return "", fmt.Errorf("environment variable %s is not set", strconv.Quote(name))
			}
			b.WriteString(s[:i])
			b.WriteString(v)
		}
		s = s[i+j+len(close):]
	}
}
