package text

import (
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// MaskStructure blanks the names of tags and attributes that are HTML's
// own words, as x/net/html reads the tags, and nothing else: not text,
// not values, not a custom element's or data-* attribute's name, not a
// "tag" of plain text that HTML does not read as one (session "side36").
func TestMaskStructure(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`<abbr title="Title Holdings">Title</abbr>`, `<xxxx xxxxx="Title Holdings">Title</xxxx>`},
		{"<table class=x>\n<tr><td>table</td></tr></table>", "<xxxxx xxxxx=x>\n<xx><xx>table</xx></xx></xxxxx>"},
		{`<span data-title="Title" aria-label='Label'>x</span>`, `<xxxx data-title="Title" xxxxxxxxxx='Label'>x</xxxx>`},
		{`<quillanby-card title=Title>x</quillanby-card>`, `<quillanby-card xxxxx=Title>x</quillanby-card>`},
		{`a < b and title > c`, `a < b and title > c`},
		{`<Orsolya Quillanby> wrote`, `<Orsolya Quillanby> wrote`},
		{`<!-- <title> --> title`, `<!-- <title> --> title`},
		{`no markup, title`, `no markup, title`},
	} {
		d := &Document{}
		if got := d.MaskStructure(0, c.in); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.in, got, c.want)
		}
		if got := d.MaskStructure(1, c.in); got != c.in {
			t.Errorf("part 1 %q changed: %q", c.in, got)
		}
	}
}

// FuzzMaskStructure: the mask keeps the text's length, changes only
// ASCII name bytes into "x", and never a byte x/net/html reads as text
// or as an attribute value.
func FuzzMaskStructure(f *testing.F) {
	for _, s := range []string{`<abbr title="T">x</abbr>`, `<a href=x title>`, `<p =a b= c='d'>`, `<table/><tr/x y="<z>">`, "<t\x00itle>", `<a title="x`, `</p a=b>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := maskTagNames(s)
		if len(got) != len(s) {
			t.Fatalf("length %d, want %d", len(got), len(s))
		}
		for i := 0; i < len(s); i++ {
			if got[i] != s[i] && (got[i] != 'x' || !isAlnum(s[i]) && s[i] != '-') {
				t.Fatalf("byte %d: %q became %q", i, s[i], got[i])
			}
		}
		if got == s {
			return
		}
		// what x/net/html reads as text and values is kept, in order
		// (tags blanked can read as text: only s's must be in got)
		read := func(s string) []string {
			z := xhtml.NewTokenizer(strings.NewReader(s))
			var out []string
			for {
				switch z.Next() {
				case xhtml.ErrorToken:
					return out
				case xhtml.TextToken:
					if v := strings.TrimSpace(string(z.Text())); v != "" {
						out = append(out, v)
					}
				case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
					_, more := z.TagName()
					for more {
						var v []byte
						_, v, more = z.TagAttr()
						if v := strings.TrimSpace(string(v)); v != "" {
							out = append(out, v)
						}
					}
				}
			}
		}
		all := strings.Join(read(got), "\x00")
		raw := strings.ReplaceAll(got, "\x00", "\uFFFD") // as the tokenizer reads a NUL
		for _, v := range read(s) {
			if !strings.Contains(all, v) && !strings.Contains(raw, v) {
				t.Fatalf("%q is no longer read in %q", v, got)
			}
		}
	})
}
