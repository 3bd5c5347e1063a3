package ner

import (
	"strings"
	"testing"
)

// TestASCIIHelpers: IsASCII is true exactly when no byte is beyond ASCII,
// and AppendLowerASCII of an ASCII string is strings.ToLower's, appended.
func TestASCIIHelpers(t *testing.T) {
	for _, c := range []struct {
		s     string
		ascii bool
	}{
		{"", true}, {"Orsolya QUILLANBY 12-b_@", true}, {"\x7f", true},
		{"Zoë", false}, {"\x80", false}, {"TAMSIN\xff", false},
	} {
		if got := IsASCII(c.s); got != c.ascii {
			t.Errorf("IsASCII(%q) = %v, want %v", c.s, got, c.ascii)
		}
		if c.ascii {
			if got, want := string(AppendLowerASCII([]byte("x:"), c.s)), "x:"+strings.ToLower(c.s); got != want {
				t.Errorf("AppendLowerASCII(%q) = %q, want %q", c.s, got, want)
			}
		}
	}
}
