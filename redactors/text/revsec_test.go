package text

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// TestRevsecTagNameEdits: session "htmlfix", the safety reviewer's repros
// of side36, which dropped an edit that covered only an HTML word's tag or
// attribute name. In a .txt or .md a `<Word>` may be a chat nickname or a
// bracketed term: every edit of such a name is made (the name rewritten)
// or the file refused, never dropped. "Mark", "Ruby", "Meta" and "Max"
// are HTML's own element and attribute names.
func TestRevsecTagNameEdits(t *testing.T) {
	term := regexp.MustCompile(`(?i)\b(mark|ruby|meta|max)\b`)
	for _, c := range []struct {
		f    Format
		text string
	}{
		{Plain(), "[10:02] <Mark> called\n[10:03] <Ruby> ok\n"},
		{Plain(), "Contract signed with <Meta> last week."},
		{Markdown(), "Ask `<Ruby>` about it."},
		{Plain(), "<RUBY>hello</RUBY>"},
		{Plain(), `<MeTa name="x">`},
		{Plain(), "<b Ruby Max>: ok"},
		{Plain(), `Client <Max id="7">`},
		{Markdown(), `Client <Max id="7"> paid.`},
		{Plain(), `<p><mark>Mark</mark> and <b>x</b></p>`},
	} {
		d, err := c.f.Parse([]byte(c.text))
		if err != nil {
			t.Fatal(err)
		}
		var es []redactors.Edit
		for _, m := range term.FindAllStringIndex(c.text, -1) {
			es = append(es, ed(0, m[0], m[1], "R"))
		}
		var b bytes.Buffer
		if err := d.Redact(&b, es); err != nil {
			continue // refused: fail closed
		}
		if got := b.String(); term.MatchString(got) || strings.Count(got, "R") < len(es) {
			t.Errorf("%s %q: an edit was dropped: %q", c.f.Name(), c.text, got)
		}
	}
}
