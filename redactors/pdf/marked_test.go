package pdf

import (
	"fmt"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// Marked-content properties and custom tags are not in the objects part
// (issue 19: a tagged PDF whose /E, /Lang or role-mapped tag spelled a
// term was quarantined): the rewriter writes them as a plain BMC with a
// standard tag, and the output holds neither; MCID-only properties and
// standard tags stay, and the text they mark is still extracted.
func TestMarkedContentRewritten(t *testing.T) {
	in := pagesDoc([]string{`/Sandoval <</MCID 0>> BDC BT /F1 12 Tf 72 700 Td (Visit notes) Tj ET EMC
/Span <</E (Maria Sandoval) /Lang (en-US)>> BDC BT /F1 12 Tf 72 680 Td (Follow up) Tj ET EMC
/P <</MCID 2>> BDC BT /F1 12 Tf 72 660 Td (Plain paragraph) Tj ET EMC
/Sandoval BMC BT /F1 12 Tf 72 640 Td (Last line) Tj ET EMC`}, helvRes, nil)
	d := parse(t, in)
	if k := partNamed(d, objectsPartName); k >= 0 && strings.Contains(d.Parts()[k].Text, "Sandoval") {
		t.Errorf("the objects part reads what the rewriter drops: %q", d.Parts()[k].Text)
	}
	out, _ := redact(t, in, func(redactors.Document) []redactors.Edit { return nil })
	qdf := qdfText(t, out)
	for _, want := range []string{"/P <</MCID 2>> BDC", "/Span BMC"} {
		if !strings.Contains(qdf, want) {
			t.Errorf("output lacks %q:\n%s", want, qdf)
		}
	}
	if strings.Contains(qdf, "en-US") {
		t.Errorf("the marked-content properties are still written")
	}
	judge(t, in, out, []string{"Sandoval"}, []string{"Visit notes", "Follow up", "Plain paragraph", "Last line"})
	if where, err := parse(t, out).Leaks(out, wordFinder("sandoval")); err != nil || len(where) > 0 {
		t.Errorf("Leaks = %v, %v; want none", where, err)
	}
}

// markedBlanks keeps offsets and blanks only what the rewriter drops.
func TestMarkedBlanks(t *testing.T) {
	in := []byte("/Custom <</MCID 0 /Alt (x)>> BDC EMC /P <</MCID 1>> BDC EMC /OC /L0 BDC EMC /Art BMC EMC")
	got := string(markedBlanks(in))
	want := "        " + strings.Repeat(" ", len("<</MCID 0 /Alt (x)>>")) + " BDC EMC /P <</MCID 1>> BDC EMC /OC /L0 BDC EMC /Art BMC EMC"
	if got != want {
		t.Errorf("markedBlanks\n got %q\nwant %q", got, want)
	}
}

// The same in a form the page draws.
func TestMarkedContentInForm(t *testing.T) {
	in := pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (Visit notes) Tj ET /Fm Do"}, func(b *builder) string {
		fm := b.add(stream("/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources << /Font << /F1 "+helvFont+" >> >>",
			[]byte("/Sandoval <</Alt (Maria Sandoval)>> BDC BT /F1 12 Tf 72 600 Td (Form words) Tj ET EMC"), true))
		return fmt.Sprintf("<< /Font << /F1 %s >> /XObject << /Fm %d 0 R >> >>", helvFont, fm)
	}, nil)
	d := parse(t, in)
	if k := partNamed(d, objectsPartName); k >= 0 && strings.Contains(d.Parts()[k].Text, "Sandoval") {
		t.Errorf("the objects part reads what the rewriter drops: %q", d.Parts()[k].Text)
	}
	out, _ := redact(t, in, func(redactors.Document) []redactors.Edit { return nil })
	judge(t, in, out, []string{"Sandoval"}, []string{"Visit notes", "Form words"})
	if where, err := parse(t, out).Leaks(out, wordFinder("sandoval")); err != nil || len(where) > 0 {
		t.Errorf("Leaks = %v, %v; want none", where, err)
	}
}
