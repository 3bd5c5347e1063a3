package zipview

import (
	"strings"
	"testing"
)

// FuzzValidString: validString is strings.ToValidUTF8(string(b), " ") for
// every input, valid UTF-8 or not.
func FuzzValidString(f *testing.F) {
	for _, s := range []string{"", "plain ASCII", "Tamsin Everard, Zoë", "a\xffb", "\xc3", "\xed\xa0\x80x", "ok\x00\xfe\xfe end", "日本\xe6\x97"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validString(b), strings.ToValidUTF8(string(b), " "); got != want {
			t.Fatalf("validString(%q) = %q, want %q", b, got, want)
		}
	})
}
