package pdf

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/formattest"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// markerPages shows formattest.Marker in each kind of font of the test
// fonts: Helvetica (split by kerning), the Identity-H CID font, and text
// drawn by a form on two pages.
func markerPages() []byte {
	cid := func(s string) string {
		var b strings.Builder
		b.WriteByte('<')
		for _, r := range s {
			if r == ' ' {
				b.WriteString("0020")
				continue
			}
			fmt.Fprintf(&b, "%04X", 0x100+strings.IndexRune(alphabet, r))
		}
		b.WriteByte('>')
		return b.String()
	}
	m := formattest.Marker
	p1 := `BT /F1 12 Tf 72 720 Td [(Client: ` + m[:9] + `) 30 (` + m[9:] + `)] TJ 0 -16 Td (Seen on 2025-01-28 with Zo\353 \306rensen.) Tj ET /Fm Do`
	p2 := `BT /F2 11 Tf 1 0 0 1 72 700 Tm ` + cid("Contact "+m+" at 971-555-0182") + ` Tj ET /Fm Do`
	return pagesDoc([]string{p1, p2}, fonts, nil)
}

func options(t testing.TB) formattest.Options {
	// referral_lo.pdf is a real producer's file: LibreOffice 7.4 wrote it
	// from a DOCX made with docxtest (an invented referral letter; subset
	// TrueType fonts, WinAnsi, ToUnicode maps).
	lo, err := os.ReadFile("testdata/referral_lo.pdf")
	if err != nil {
		t.Fatal(err)
	}
	return formattest.Options{
		Format: New(),
		Fixtures: []formattest.Fixture{
			{Name: "letter", Data: letter()},
			{Name: "marker_pages", Data: markerPages()},
			{Name: "one_page", Data: pdftest.OnePage("Referral for "+formattest.Marker+",", "seen on 2025-01-28.")},
			{Name: "referral_lo", Data: lo},
		},
		Compare:         formattest.Redrawn,
		Derived:         isReading,
		LeaksOmitParts:  true,
		RedactMayRefuse: []*redactors.Reason{redactors.ErrUninspectable, ErrNoRoom},
		Leaks:           leakCases(),
		Judge:           judgeTools,
	}
}

// judgeTools reads a PDF as an adversary would, with poppler and qpdf:
// the text pdftotext extracts, and every object qpdf writes uncompressed.
func judgeTools(t testing.TB, data []byte) string {
	t.Helper()
	pdftotext, qpdf := tool(t, "pdftotext"), tool(t, "qpdf")
	dir := t.TempDir()
	in, qdf := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "qdf.pdf")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command(pdftotext, "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// qpdf exits 3 on warnings, with the file written.
	if b, err := exec.Command(qpdf, "--qdf", "--object-streams=disable", in, qdf).CombinedOutput(); err != nil {
		if e, ok := err.(*exec.ExitError); !ok || e.ExitCode() != 3 {
			t.Fatalf("qpdf --qdf: %v\n%s", err, b)
		}
	}
	raw, err := os.ReadFile(qdf)
	if err != nil {
		t.Fatal(err)
	}
	return string(text) + "\n" + string(raw)
}

// leakCases are the PDF leak corpus: values in places Veil handles today.
// Every person is invented.
func leakCases() []formattest.LeakCase {
	helv := func(b *builder) string { return "<< /Font << /F1 " + helvFont + " >> >>" }
	return []formattest.LeakCase{
		{Name: "letter", File: letter(), Secrets: letterValues},
		{Name: "document information", File: pdftest.OnePage("Referral letter, page one."), Secrets: []string{"Margaret Ellison"}},
		{Name: "name split across lines and kerned", File: pagesDoc([]string{
			`BT /F1 12 Tf 72 720 Td 14 TL (Our client Wendeline) Tj T* [(Ab) 40 (ernethy) -250 (called.)] TJ ET`}, helv, nil),
			Secrets: []string{"Wendeline Abernethy"}},
		{Name: "metadata, outline, form, script, attachment, alt text", File: pagesDoc([]string{
			`/Span << /ActualText (Wendeline Abernethy) >> BDC BT /F1 12 Tf 72 700 Td (W. A.) Tj ET EMC`}, helv,
			func(b *builder) string {
				meta := b.add(stream("/Type /Metadata /Subtype /XML", []byte("<x:xmpmeta><dc:creator>Ottilie Fairweather</dc:creator></x:xmpmeta>"), false))
				ol := b.add(`<< /Type /Outlines /Count 1 >>`)
				js := b.add(`<< /S /JavaScript /JS (app.alert\("MRN 5520-7781"\)) >>`)
				ef := b.add(stream("/Type /EmbeddedFile", []byte("Abernethy family history"), false))
				st := b.add(`<< /Type /StructTreeRoot /K << /S /Figure /Alt (Photo of Ottilie Fairweather) >> >>`)
				return fmt.Sprintf(`/Metadata %d 0 R /Outlines %d 0 R /OpenAction %d 0 R /StructTreeRoot %d 0 R
  /Names << /EmbeddedFiles << /Names [(f) << /Type /Filespec /EF << /F %d 0 R >> >>] >> >>
  /AcroForm << /Fields [<< /T (client) /V (Wendeline Abernethy) >>] >>`, meta, ol, js, st, ef)
			}),
			Secrets: []string{"Wendeline Abernethy", "Abernethy", "Ottilie Fairweather", "5520-7781"}},
	}
}

func TestConformance(t *testing.T) { formattest.Run(t, options(t)) }

// A page with a stray /Kids is a page to the reader; sanitizing took it
// for a node of the page tree and dropped its resources, so the output
// showed text without a font and did not parse again. Found by the
// suite's mutations (FORMATTEST_SEED=11), where a damaged /Pages made
// pdfcpu read one dictionary as both.
func TestStrayKidsOnPage(t *testing.T) {
	b := &builder{}
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	b.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.add("<< /Type /Page /Parent 2 0 R /Kids [2 0 R] /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 " + helvFont + " >> >> >>")
	b.add(stream("", []byte("BT /F1 12 Tf 72 700 Td (Dear Ms. Ellison) Tj ET"), false))
	in := b.bytes("")
	out, _ := redact(t, in, func(d redactors.Document) []redactors.Edit { return editsFor(d, "X", "Ellison") })
	if got := parse(t, out).Parts()[0].Text; !strings.Contains(got, "Dear Ms.") || strings.Contains(got, "Ellison") {
		t.Errorf("output text %q", got)
	}
	judge(t, in, out, []string{"Ellison"}, []string{"Dear Ms."})
}

// isReading reports whether p is another reading of a page (its name
// ends in a reading suffix) rather than the page itself.
func isReading(p redactors.Part) bool {
	for _, s := range readingSuffix {
		if strings.HasSuffix(p.Name, s) {
			return true
		}
	}
	return false
}
