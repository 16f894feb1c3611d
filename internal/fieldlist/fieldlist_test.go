package fieldlist

import (
	"slices"
	"testing"
)

func TestMembers(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string
	}{
		{"no lines", nil, nil},
		{"one member", []string{"gzip"}, []string{"gzip"}},
		{"whitespace around members is dropped (§5.6.3)", []string{" gzip ,\tbr\t"}, []string{"gzip", "br"}},
		{"empty members are ignored (§5.6.1)", []string{",a,, ,b,"}, []string{"a", "b"}},
		{"members of several lines are one list (§5.3)", []string{"a, b", "c"}, []string{"a", "b", "c"}},
		{"case and order are kept", []string{"B, a"}, []string{"B", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := slices.Collect(Members(tt.lines...)); !slices.Equal(got, tt.want) {
				t.Errorf("Members(%q): got %q, want %q", tt.lines, got, tt.want)
			}
		})
	}
}

func TestMembersStopsWhenAsked(t *testing.T) {
	var got []string
	for m := range Members("a, b, c") {
		got = append(got, m)
		if m == "b" {
			break
		}
	}
	if !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("got %q, want [a b]", got)
	}
}

func TestTrimOWS(t *testing.T) {
	for in, want := range map[string]string{"": "", " \t": "", " a b\t": "a b", "a": "a", "\ta ": "a"} {
		if got := TrimOWS(in); got != want {
			t.Errorf("TrimOWS(%q): got %q, want %q", in, got, want)
		}
	}
}
