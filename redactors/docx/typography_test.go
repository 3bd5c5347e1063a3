package docx

import (
	"strings"
	"testing"
)

// FuzzCSSGenericFont: every font-family of a style, and nothing else, is
// replaced by genericFont; the declarations keep their number and order.
func FuzzCSSGenericFont(f *testing.F) {
	for _, s := range []string{
		`font-family:"Orsolya Quillanby";font-size:20pt`,
		`position:absolute;width:180pt;Font-Family : Tamsin Hand ;font-size:11pt`,
		`font-family:;;font-family`, ``, `:`, `font-family:"Arial"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, style string) {
		out, found := cssGenericFont(style)
		in, got := strings.Split(style, ";"), strings.Split(out, ";")
		if len(in) != len(got) {
			t.Fatalf("%d declarations, want %d", len(got), len(in))
		}
		want := false
		for k, d := range in {
			p, _, ok := strings.Cut(d, ":")
			if ok && strings.EqualFold(strings.TrimSpace(p), "font-family") {
				want = true
				if got[k] != `font-family:"`+genericFont+`"` {
					t.Fatalf("declaration %d: font-family not replaced", k)
				}
			} else if got[k] != d {
				t.Fatalf("declaration %d changed", k)
			}
		}
		if want != found {
			t.Fatalf("found %v, want %v", found, want)
		}
	})
}
