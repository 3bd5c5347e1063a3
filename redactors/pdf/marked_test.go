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

// A tagged PDF (issue 19): the structure tree's /Alt, /ActualText, /T and
// /E and its role map leave with the tree (Veil keeps no structure: a
// tree whose texts were not shown to the detectors cannot be written),
// the text they describe stays page text, and standard structure types
// and artifact properties that spell a redacted word (/Figure, /Table,
// /Redaction) are vocabulary, not leaks.
func TestTaggedPDF(t *testing.T) {
	content := `/Figure <</MCID 0>> BDC BT /F1 12 Tf 72 700 Td (Figure of Ottoline Brackenbury) Tj ET EMC
/Table <</MCID 1>> BDC BT /F1 12 Tf 72 680 Td (Table of visits) Tj ET EMC
/Artifact <</Type /Pagination /Subtype /PageNum>> BDC BT /F1 9 Tf 300 40 Td (Page 1) Tj ET EMC
/Clientname <</MCID 2>> BDC BT /F1 12 Tf 72 660 Td (Redaction notice) Tj ET EMC`
	in := pagesDoc([]string{content}, helvRes, func(b *builder) string {
		root := b.add("")
		el := b.add(fmt.Sprintf(`<< /Type /StructElem /S /Figure /P %d 0 R /Alt (Portrait of Ottoline Brackenbury) /ActualText (Ottoline Brackenbury) /T (Brackenbury photo) /E (O. Brackenbury) /K 0 >>`, root))
		b.set(root, fmt.Sprintf(`<< /Type /StructTreeRoot /K [%d 0 R] /RoleMap << /Clientname /P >> >>`, el))
		return fmt.Sprintf("/StructTreeRoot %d 0 R /MarkInfo << /Marked true >>", root)
	})
	d := parse(t, in)
	if !strings.Contains(d.Parts()[0].Text, "Figure of Ottoline Brackenbury") {
		t.Fatalf("page text %q", d.Parts()[0].Text)
	}
	out, d := redact(t, in, func(d redactors.Document) []redactors.Edit {
		return editsIn(d, 0, "NAME", "Figure", "Ottoline Brackenbury", "Table", "Redaction")
	})
	if !strings.Contains(strings.Join(d.Notes(), "; "), "structure tree") {
		t.Errorf("notes %q do not say the structure tree was removed", d.Notes())
	}
	qdf := qdfText(t, out)
	for _, gone := range []string{"/StructTreeRoot", "/RoleMap", "Clientname", "/Alt", "/ActualText"} {
		if strings.Contains(qdf, gone) {
			t.Errorf("output still holds %s", gone)
		}
	}
	judge(t, in, out, []string{"Brackenbury", "Ottoline"}, []string{"of visits", "notice", "Page 1"})
	for _, w := range []string{"figure", "table", "redaction", "brackenbury"} {
		if where, err := parse(t, out).Leaks(out, wordFinder(w)); err != nil || len(where) > 0 {
			t.Errorf("%s: Leaks = %v, %v; want none", w, where, err)
		}
	}
}

// The vocabulary of PDF 2.0's tagging (ISO 32000-2 14.8) is PDF
// vocabulary: artifact subtypes, attribute owners, namespace keys.
func TestStructureVocabulary(t *testing.T) {
	for _, n := range []string{"Figure", "Artifact", "Pagination", "PageNum", "Bates", "LineNum", "Redaction", "RoleMap", "RoleMapNS", "NS", "ARIA-1.1", "CSS-2.00", "ListNumbering", "Ordered", "Scope", "Both", "FENote", "DocumentFragment", "Aside", "Title"} {
		if !pdfName(n) {
			t.Errorf("%s is not vocabulary", n)
		}
	}
	for _, n := range []string{"Clientname", "Heading1", "Brackenbury"} {
		if pdfName(n) {
			t.Errorf("%s is vocabulary", n)
		}
	}
}
