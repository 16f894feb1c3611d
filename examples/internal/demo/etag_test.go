package demo

import "testing"

func TestETagMatches(t *testing.T) {
	const etag = `"0123456789abcdef"`
	tests := []struct {
		name        string
		ifNoneMatch string
		want        bool
	}{
		{"the same tag matches", etag, true},
		{"RFC 9110 §13.1.2 compares weakly: W/ on the request's tag matches", "W/" + etag, true},
		{"a tag in a list matches", `"other", ` + etag, true},
		{"* matches any representation", "*", true},
		{"another tag does not match", `"fedcba9876543210"`, false},
		{"an empty field does not match", "", false},
	}
	for _, tt := range tests {
		if got := etagMatches(tt.ifNoneMatch, etag); got != tt.want {
			t.Errorf("%s: etagMatches(%q): got %v, want %v", tt.name, tt.ifNoneMatch, got, tt.want)
		}
	}
}

func TestETagOf(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
		same bool
	}{
		{"the same parts give the same tag", []string{"a", "b"}, []string{"a", "b"}, true},
		{"other parts give another tag", []string{"a", "b"}, []string{"a", "c"}, false},
		{"parts are separated: ab,c is not a,bc", []string{"ab", "c"}, []string{"a", "bc"}, false},
	}
	for _, tt := range tests {
		a, b := etagOf(tt.a...), etagOf(tt.b...)
		if (a == b) != tt.same {
			t.Errorf("%s: got %s and %s, want same=%v", tt.name, a, b, tt.same)
		}
		if len(a) != 18 || a[0] != '"' || a[17] != '"' {
			t.Errorf("%s: got %s, want 16 hex digits, quoted", tt.name, a)
		}
	}
}
