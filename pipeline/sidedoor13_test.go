package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/veilhq/veil/pipeline"
)

// TestMarkupAttributeValues: a name, record number or address in an HTML
// attribute's value in a .txt or .md file (a tooltip, an image's alt
// text, a data-* attribute, a <meta>'s content, a form field's value, a
// link's mailto: or query string, written with character references or
// percent-escapes, quoted or not), or in a URL of the text (a Markdown
// link, an autolink, a bare URL, percent-encoded), is redacted in place, and the markup
// still reads as the same elements and attributes (session "sidedoor13",
// issue 13: each was written with the value, or with the tag broken,
// under the profile named). Judged by golang.org/x/net/html's tokenizer
// (an autolink, which it reads as a tag, aside) and by searching the
// output's bytes. Invented values only.
func TestMarkupAttributeValues(t *testing.T) {
	cases := []struct {
		name, profile, text string
		deny                []string
		gone                []string
	}{
		// the tag must stay whole, and the value go: the body's reading
		// covers `title="Orsolya` (session "markfix": "[organisation]
		// Quillanby" was written)
		{"abbr title alone", "supervision", `Seen by <abbr title="Orsolya Quillanby">OQ</abbr> today.`, nil, []string{"Quillanby"}},
		{"abbr title", "supervision", `Seen by <abbr title="Mrs Orsolya Quillanby">OQ</abbr> today.`, nil, []string{"Quillanby", "Orsolya"}},
		{"abbr title, research", "research", `Seen by <abbr title="Orsolya Quillanby">OQ</abbr> today.`, nil, []string{"Quillanby", "Orsolya"}},
		{"title with references", "research", `Seen by <abbr title="&#79;rsolya Quill&#x61;nby, MRN 4821&#51;907">OQ</abbr> today.`, nil,
			[]string{"Quill&#x61;nby", "&#79;rsolya", "4821&#51;907"}},
		{"img alt", "supervision", `Photo <img alt="Photo of Mrs Orsolya Quillanby" src="scan.png"> filed.`, nil, []string{"Quillanby"}},
		{"img alt, research", "research", `Photo <img alt="Orsolya Quillanby" src="scan.png"> filed.`, nil, []string{"Quillanby"}},
		{"unquoted, research", "research", `Seen by <abbr title=Quill&#x61;nby>Q</abbr> today.`, nil, []string{"Quill&#x61;nby"}},
		{"data attributes", "supervision", `The <span data-patient-name="Orsolya Quillanby" data-mrn="MRN 48213907">patient</span> came.`, nil,
			[]string{"Quillanby", "48213907"}},
		{"meta content", "supervision", "<meta name=\"author\" content=\"Orsolya Quillanby\">\n\nNotes of the visit.", nil, []string{"Quillanby"}},
		{"query string", "supervision", `Open <a href="https://portal.example.org/chart?patient=Orsolya%20Quillanby&amp;mrn=48213907">the chart</a> now.`, nil,
			[]string{"Quillanby", "48213907"}},
		{"mailto subject", "supervision", `Write to <a title="Tamsin Everard" href="mailto:tamsin.everard@example.net?subject=MRN%2048213907">her</a> now.`, nil,
			[]string{"Everard", "everard", "48213907"}},
		{"unquoted", "court", `Seen by <abbr title=Quillanby>Q</abbr> today.`, []string{"Quillanby"}, []string{"Quillanby"}},
		{"single quotes", "court", `Seen by <abbr title='Orsolya Quillanby'>OQ</abbr> today.`, []string{"Orsolya Quillanby"}, []string{"Quillanby"}},
		// URLs in the text itself: a Markdown link, a bare URL, an autolink
		{"markdown link", "court", `See [the chart](https://portal.example.org/chart?patient=Orsolya%20Quillanby&mrn=48213907).`,
			[]string{"Orsolya Quillanby"}, []string{"Quillanby"}},
		{"bare url", "court", `Chart: https://portal.example.org/chart?patient=Orsolya%20Quillanby (open it).`,
			[]string{"Orsolya Quillanby"}, []string{"Quillanby"}},
		{"autolink", "research", `Mail <mailto:tamsin.everard@example.net?subject=Orsolya%20Quillanby%20MRN%2048213907> today.`, nil,
			[]string{"Quillanby", "48213907"}},
		{"input value", "court", `Name: <input value="Orsolya&#32;Quillanby" placeholder="Tamsin Everard"> (typed).`, []string{"Orsolya Quillanby", "Tamsin Everard"},
			[]string{"Quillanby", "Everard"}},
	}
	for _, c := range cases {
		for _, ext := range []string{".txt", ".md"} {
			t.Run(c.name+ext, func(t *testing.T) {
				src := t.TempDir()
				if err := os.WriteFile(filepath.Join(src, "note"+ext), []byte(c.text+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				var o pipeline.Options
				o.DenyList = c.deny
				out, rep, _, totals := runFolder(t, c.profile, src, o)
				if totals.NotWritten() != 0 {
					t.Fatalf("not written: %+v\n%s", totals, rep["report.md"])
				}
				b, err := os.ReadFile(filepath.Join(out, "note"+ext))
				if err != nil {
					t.Fatal(err)
				}
				got := string(b)
				for _, s := range c.gone {
					if strings.Contains(got, s) {
						t.Errorf("%q left in the output:\n%s", s, got)
					}
				}
				// An autolink (<mailto:…>) is no HTML: the tokenizer
				// reads it as a start tag whose name and attributes are
				// the address itself, so its "tag" changes exactly when
				// the address is redacted. Its markup is not compared
				// here: for it the case checks only that the values
				// are gone.
				if a, b := elements(c.text), elements(got); a != b && !strings.Contains(c.text, "<mailto:") {
					t.Errorf("the markup changed:\n%s\n%s\n%s", a, b, got)
				}
			})
		}
	}
}

// elements returns the tags of s as golang.org/x/net/html reads them:
// each tag's name and its attributes' names, in order.
func elements(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return b.String()
		}
		if tt == html.StartTagToken || tt == html.EndTagToken || tt == html.SelfClosingTagToken {
			name, more := z.TagName()
			b.WriteString("<" + string(name))
			for more {
				var k []byte
				k, _, more = z.TagAttr()
				b.WriteString(" " + string(k))
			}
			b.WriteString(">")
		}
	}
}

// TestMarkupAttributeValuesCheck: verify (Engine.Check, as `veil verify`
// runs it on released files) reads attribute values and URLs decoded, as
// parts of their own: a record number written with a character reference
// in a tooltip or a data-* attribute, a name so written, a record number
// percent-encoded in a link's query is a leftover found in the decoded
// value (session "sidedoor13": on c8cd546 no reading showed them
// decoded).
func TestMarkupAttributeValuesCheck(t *testing.T) {
	e := nerEngine(t, "supervision")
	for _, text := range []string{
		`Seen by <abbr title="MRN 4821&#51;907">her</abbr> today.`,
		`Seen <span data-mrn="4821&#51;907"> x</span> today.`,
		`Seen <span data-patient="&#79;rsolya Quill&#x61;nby"> x</span> today.`,
		`Open [the chart](https://portal.example.org/c?mrn=4821%33907) now.`,
	} {
		for _, key := range []string{"note.txt", "note.md"} {
			ls, err := e.Check(context.Background(), key, []byte(text+"\n"))
			if err != nil {
				t.Fatalf("%s %q: %v", key, text, err)
			}
			decoded := false
			for _, l := range ls {
				decoded = decoded || strings.HasPrefix(l.Part, "attribute value ")
			}
			if !decoded {
				t.Errorf("%s %q: no leftover in the decoded value: %+v", key, text, ls)
			}
		}
	}
}
