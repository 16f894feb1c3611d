package confyaml

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Unmarshaler is implemented by config types that read themselves from a plain
// YAML value: string, int64, uint64, float64, bool, map[string]any or []any,
// with ${VAR} already replaced.
type Unmarshaler interface {
	UnmarshalConfig(value any) error
}

var (
	durationType    = reflect.TypeFor[time.Duration]()
	unmarshalerType = reflect.TypeFor[Unmarshaler]()
)

// Decode stores the section into v, a pointer to a struct, strictly: a key that
// matches no field is an error that suggests the nearest field. Struct fields
// are matched by their yaml tag; `yaml:",inline"` flattens an embedded struct.
// time.Duration fields take the forms ParseDuration does. ${VAR} in strings is
// replaced through lookup. All errors are returned, joined; each is an *Error.
func (t *Tree) Decode(v any, lookup func(string) (string, bool)) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		panic("confyaml: Decode needs a non-nil pointer")
	}
	if t == nil {
		return nil
	}
	d := &decoder{lookup: lookup}
	d.decode(t.root, rv.Elem(), t.path)
	return errors.Join(d.errs...)
}

type decoder struct {
	lookup func(string) (string, bool)
	errs   []error
}

func (d *decoder) fail(n *node, path, format string, args ...any) {
	d.errs = append(d.errs, &Error{Path: path, Loc: n.loc, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) decode(n *node, v reflect.Value, path string) {
	if n.kind == null {
		return // an empty key leaves the field as it was
	}
	if v.CanAddr() && v.Addr().Type().Implements(unmarshalerType) {
		plain, ok := d.plain(n, path)
		if !ok {
			return
		}
		if err := v.Addr().Interface().(Unmarshaler).UnmarshalConfig(plain); err != nil {
			d.fail(n, path, "%v", err)
		}
		return
	}
	if v.Type() == durationType {
		plain, ok := d.plain(n, path)
		if !ok {
			return
		}
		dur, err := DurationFromValue(plain)
		if err != nil {
			d.fail(n, path, "%v", err)
			return
		}
		v.SetInt(int64(dur))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.decode(n, v.Elem(), path)
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Map:
		d.decodeMap(n, v, path)
	case reflect.Slice:
		if n.kind != sequence {
			d.fail(n, path, "expected a list, got %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.items), len(n.items))
		for i, it := range n.items {
			d.decode(it, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.String:
		if s, ok := d.scalarText(n, path); ok {
			v.SetString(s)
		}
	case reflect.Bool:
		s, ok := d.scalarText(n, path)
		if !ok {
			return
		}
		b, err := strconv.ParseBool(s)
		if err != nil {
			d.fail(n, path, "expected true or false")
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s, ok := d.scalarText(n, path)
		if !ok {
			return
		}
		i, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 0, v.Type().Bits())
		if err != nil {
			d.fail(n, path, "expected a whole number")
			return
		}
		v.SetInt(i)
	case reflect.Float32, reflect.Float64:
		s, ok := d.scalarText(n, path)
		if !ok {
			return
		}
		f, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil {
			d.fail(n, path, "expected a number")
			return
		}
		v.SetFloat(f)
	default:
		panic("confyaml: cannot decode into " + v.Type().String())
	}
}

func (d *decoder) decodeStruct(n *node, v reflect.Value, path string) {
	if n.kind != mapping {
		d.fail(n, path, "expected a mapping of keys, got %s", describe(n))
		return
	}
	fields := structFields(v.Type())
	for i, k := range n.keys {
		p := joinPath(path, k)
		idx, ok := fields[k]
		if !ok {
			d.fail(n.vals[i], p, "unknown key%s", hint(k, slices.Sorted(maps.Keys(fields))))
			continue
		}
		d.decode(n.vals[i], v.FieldByIndex(idx), p)
	}
}

func (d *decoder) decodeMap(n *node, v reflect.Value, path string) {
	if n.kind != mapping {
		d.fail(n, path, "expected a mapping, got %s", describe(n))
		return
	}
	if v.Type().Key().Kind() != reflect.String {
		panic("confyaml: map keys must be strings")
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(v.Type()))
	}
	for i, k := range n.keys {
		elem := reflect.New(v.Type().Elem()).Elem()
		if old := v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())); old.IsValid() {
			elem.Set(old)
		}
		d.decode(n.vals[i], elem, joinPath(path, k))
		v.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), elem)
	}
}

// structFields maps yaml key names to field indexes, flattening inline fields.
func structFields(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() && !(f.Anonymous && opts == "inline") {
			continue
		}
		if name == "-" {
			continue
		}
		if opts == "inline" {
			for k, idx := range structFields(f.Type) {
				out[k] = append([]int{i}, idx...)
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name[:1]) + f.Name[1:]
		}
		out[name] = []int{i}
	}
	return out
}

// scalarText is a scalar's text with ${VAR} replaced.
func (d *decoder) scalarText(n *node, path string) (string, bool) {
	if n.kind != scalar {
		d.fail(n, path, "expected a single value, got %s", describe(n))
		return "", false
	}
	s, err := n.expand(n.text, d.lookup)
	if err != nil {
		d.fail(n, path, "%v", err)
		return "", false
	}
	return s, true
}

// plain turns a node into plain Go values, with ${VAR} replaced in strings. A
// string that held a variable stays a string.
func (d *decoder) plain(n *node, path string) (any, bool) {
	switch n.kind {
	case scalar:
		if _, ok := n.value.(string); ok {
			return d.scalarText(n, path)
		}
		return n.value, true
	case mapping:
		m := make(map[string]any, len(n.keys))
		for i, k := range n.keys {
			v, ok := d.plain(n.vals[i], joinPath(path, k))
			if !ok {
				return nil, false
			}
			m[k] = v
		}
		return m, true
	case sequence:
		s := make([]any, len(n.items))
		for i, it := range n.items {
			v, ok := d.plain(it, fmt.Sprintf("%s[%d]", path, i))
			if !ok {
				return nil, false
			}
			s[i] = v
		}
		return s, true
	}
	return nil, true
}

func describe(n *node) string {
	switch n.kind {
	case mapping:
		return "a mapping"
	case sequence:
		return "a list"
	case null:
		return "nothing"
	}
	switch n.value.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case float64:
		if math.IsInf(n.value.(float64), 0) || math.IsNaN(n.value.(float64)) {
			return "a special number"
		}
	}
	return "a number"
}
