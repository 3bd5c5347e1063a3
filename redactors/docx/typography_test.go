package docx

import (
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors/ooxml"
)

// FuzzCSSFonts: every font name of a style (font properties, the family
// of a font shorthand), and nothing else, is replaced; the declarations
// keep their number and order; and the independent reading's
// styleStructure reads the style written with genericFont as the
// redactor's parts show it (fonts emptied), so verify judges the same
// line the analysis judged.
func FuzzCSSFonts(f *testing.F) {
	for _, s := range []string{
		`font-family:"Orsolya Quillanby";font-size:20pt`,
		`position:absolute;width:180pt;Font-Family : Tamsin Hand ;font-size:11pt`,
		`font-family:;;font-family`, ``, `:`, `font-family:"Arial"`,
		`mso-ascii-font-family:"Quillanby Hand";mso-bidi-font-family:Quillanby;mso-generic-font-family:roman`,
		`mso-font-alt:Everard;font:italic bold 20pt Quillanby Script;v-text-kern:t`,
		`font:Quillanby`, `font: 10pt/12pt  "Tamsin  Everard" `, `font:bold`, `FONT:.5in x;font-family:"a;b"`,
	} {
		f.Add(s)
	}
	vocab := ooxml.Standard()
	f.Fuzz(func(t *testing.T, style string) {
		out, found := cssFonts(style, genericFont)
		in, got := strings.Split(style, ";"), strings.Split(out, ";")
		if len(in) != len(got) {
			t.Fatalf("%d declarations, want %d", len(got), len(in))
		}
		want := false
		for k, d := range in {
			p, v, ok := strings.Cut(d, ":")
			name := strings.ToLower(strings.TrimSpace(p))
			switch {
			case ok && fontProperty(name):
				want = true
				if got[k] != p+`:"`+genericFont+`"` {
					t.Fatalf("declaration %d: font not replaced: %q", k, got[k])
				}
			case ok && name == "font":
				want = true
				if !strings.HasPrefix(got[k], p+":") || !strings.HasSuffix(got[k], `"`+genericFont+`"`) {
					t.Fatalf("declaration %d: shorthand's family not replaced: %q", k, got[k])
				}
				// what is kept is the words of the value up to a size
				kept := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(got[k], p+":"), `"`+genericFont+`"`))
				if words := strings.Fields(v); len(kept) > len(words) || strings.Join(words[:len(kept)], " ") != strings.Join(kept, " ") {
					t.Fatalf("declaration %d: shorthand kept %q of %q", k, kept, v)
				}
			default:
				if got[k] != d {
					t.Fatalf("declaration %d changed", k)
				}
			}
		}
		if want != found {
			t.Fatalf("found %v, want %v", found, want)
		}
		empty, _ := cssFonts(style, "")
		if r := styleStructure(vocab, out); r != empty {
			t.Fatalf("the independent reading of %q is %q, the parts show %q", out, r, empty)
		}
	})
}

// TestStyleStructureKeepsUnlistedFonts: the independent reading empties
// only the fonts the vocabulary lists; a user's font name stays to be read.
func TestStyleStructureKeepsUnlistedFonts(t *testing.T) {
	vocab := ooxml.Standard()
	for in, want := range map[string]string{
		`width:1pt;font-family:"Quillanby Hand";x:y`:         `width:1pt;font-family:"Quillanby Hand";x:y`,
		`width:1pt;font-family:Arial;x:y`:                    `width:1pt;font-family:"";x:y`,
		`font:bold 12pt Quillanby`:                           `font:bold 12pt Quillanby`,
		`font:bold 12pt "Times New Roman";q:r`:               `font:bold 12pt "";q:r`,
		`mso-font-alt:Everard;mso-hansi-font-family:Calibri`: `mso-font-alt:Everard;mso-hansi-font-family:""`,
	} {
		if got := styleStructure(vocab, in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
