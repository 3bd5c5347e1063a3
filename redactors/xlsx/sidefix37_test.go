package xlsx_test

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors/formattest"
)

// TestCalculatedFieldQuotedName: a field whose name holds a quote is
// written doubled in a calculated field's quoted name (two quotes);
// whether the formula names the field is read from its tokens, not from
// the raw text, so renaming the field rewrites the formula with it
// (session "sidefix37": the field was renamed and the formula kept the
// old name).
func TestCalculatedFieldQuotedName(t *testing.T) {
	in := formattest.RewriteZip(t, pivotNamedBook(t, true), func(name, x string) string {
		x = strings.ReplaceAll(x, `formula="Quillanby*2"`, `formula="'Quil''lanby'*2"`)
		return strings.ReplaceAll(x, "Quillanby", "Quil'lanby")
	})
	d := parse(t, in)
	edits := formattest.EditsRemoving(d.Parts(), formattest.Label, "Quil'lanby")
	if len(edits) == 0 {
		t.Fatal("no edit of the field's name")
	}
	var out bytes.Buffer
	if err := d.Redact(&out, edits); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(zipTexts(t, out.Bytes()), "")
	if strings.Contains(strings.ToLower(html.UnescapeString(text)), "quil") {
		t.Error("the name is left")
	}
	m := regexp.MustCompile(` formula="([^"]*)"`).FindStringSubmatch(text)
	if want := "'" + formattest.Label + "'*2"; m == nil || html.UnescapeString(m[1]) != want {
		t.Errorf("formula %q, want %q", m, want)
	}
}
