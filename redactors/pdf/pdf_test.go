package pdf

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/formattest"
)

var update = flag.Bool("update", false, "update golden files in testdata/")

// tool returns the path of an external judge, failing under CI=true and
// skipping otherwise when it is missing (scripts/setup installs them).
func tool(t testing.TB, name string) string {
	t.Helper()
	return formattest.Tool(t, name)
}

// letter is the main fixture: three pages with text in three kinds of
// fonts, kerning, a name split over two lines, end-of-line hyphenation,
// ligatures, a typographic apostrophe, text in a Form XObject shared by
// pages 1 and 3, and rotated text.
func letter() []byte {
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
	p1 := `BT /F1 12 Tf 72 720 Td [(Dear Ms. El) 20 (lison,)] TJ 0 -16 Td (Our client Brian O\003Neill \001led a claim with Thomas) Tj
0 -16 Td (Ellison about the \002at on the hill. We spoke with Dr. Hart-) Tj 0 -16 Td (mann on Monday.) Tj ET
q 1 0 0 1 0 0 cm /Fm Do Q`
	p2 := `BT /F2 11 Tf 1 0 0 1 72 700 Tm ` + cid("Contact David Okafor at 503-555-0147") + ` Tj ET
BT /F3 12 Tf 72 600 Td (Kate) Tj ET
BT /F1 10 Tf 0 1 -1 0 500 300 Tm (Rotated note for Ellison) Tj ET`
	p3 := `BT /F1 12 Tf 72 720 Td (Page three keeps everything.) Tj ET /Fm Do`
	return pagesDoc([]string{p1, p2, p3}, fonts, nil)
}

func parse(t *testing.T, data []byte) *Document {
	t.Helper()
	d, err := New().Parse(data)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return d.(*Document)
}

func partsText(d redactors.Document) string {
	var b strings.Builder
	for _, p := range d.Parts() {
		fmt.Fprintf(&b, "-- %s --\n%s\n", p.Name, p.Text)
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestExtractGolden(t *testing.T) {
	golden(t, "letter.extract", partsText(parse(t, letter())))
}

// editsFor returns edits covering every occurrence of each value in the
// parts, as the pipeline would hand them over (sorted, not overlapping),
// found as the conformance suite's leak checks find them.
func editsFor(d redactors.Document, label string, values ...string) []redactors.Edit {
	return formattest.EditsRemoving(d.Parts(), label, values...)
}

func redact(t *testing.T, data []byte, edits func(d redactors.Document) []redactors.Edit) ([]byte, *Document) {
	t.Helper()
	d := parse(t, data)
	var out bytes.Buffer
	if err := d.Redact(&out, edits(d)); err != nil {
		t.Fatalf("redact: %v", err)
	}
	return out.Bytes(), d
}

// The values the letter test redacts, as they read in the page text, and
// texts that must stay.
var (
	letterValues = []string{"Ellison", "Neill", "Hartmann", "Okafor", "503-555-0147", "Kate"}
	letterKept   = []string{"Dear Ms.", "Our client Brian", "a claim with Thomas", "Page three keeps everything.", "Contact David", "Prepared for Margaret", "Rotated note for"}
)

func TestRedactLetter(t *testing.T) {
	in := letter()
	out, _ := redact(t, in, func(d redactors.Document) []redactors.Edit {
		return editsFor(d, "REDACTED", letterValues...)
	})
	d2 := parse(t, out)
	got := partsText(d2)
	golden(t, "letter.redacted", got)
	for _, v := range letterValues {
		if strings.Contains(got, v) {
			t.Errorf("Veil's own extractor still reads %q", v)
		}
	}
	for _, k := range letterKept {
		if !strings.Contains(got, k) {
			t.Errorf("kept text %q is gone", k)
		}
	}
	leaks, err := d2.Leaks(out, func(s string) bool {
		for _, v := range letterValues {
			if strings.Contains(s, v) {
				return true
			}
		}
		return false
	})
	if err != nil || len(leaks) > 0 {
		t.Errorf("Leaks = %v, %v; want none", leaks, err)
	}
	judge(t, in, out, letterValues, letterKept)
}

// judge checks an output with poppler and qpdf, the way an adversary would.
func judge(t *testing.T, in, out []byte, values, kept []string) {
	t.Helper()
	pdftotext, qpdf := tool(t, "pdftotext"), tool(t, "qpdf")
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
	os.WriteFile(src, in, 0o644)
	os.WriteFile(dst, out, 0o644)
	if b, err := exec.Command(qpdf, "--check", dst).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check: %v\n%s", err, b)
	}
	n1, _ := exec.Command(qpdf, "--show-npages", src).Output()
	n2, _ := exec.Command(qpdf, "--show-npages", dst).Output()
	if string(n1) != string(n2) {
		t.Errorf("page count %s -> %s", n1, n2)
	}
	text, err := exec.Command(pdftotext, dst, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	flat := strings.Join(strings.Fields(string(text)), " ")
	for _, v := range values {
		if strings.Contains(flat, v) || strings.Contains(strings.ReplaceAll(flat, "- ", ""), v) {
			t.Errorf("pdftotext still shows %q", v)
		}
	}
	for _, k := range kept {
		if !strings.Contains(flat, strings.ReplaceAll(k, "fi", "ﬁ")) && !strings.Contains(flat, k) {
			t.Errorf("pdftotext lost kept text %q", k)
		}
	}
	qdf := filepath.Join(dir, "qdf.pdf")
	if b, err := exec.Command(qpdf, "--qdf", "--object-streams=disable", dst, qdf).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --qdf: %v\n%s", err, b)
	}
	raw, _ := os.ReadFile(qdf)
	for _, v := range values {
		if bytes.Contains(raw, []byte(v)) {
			t.Errorf("a decompressed object still holds %q", v)
		}
	}
}

// glyphAt returns the origin of the first glyph of word on a page.
func glyphAt(d *Document, page int, word string) (float32, float32, bool) {
	pm := d.models[page]
	k := strings.Index(pm.text.b.String(), word)
	if k < 0 {
		return 0, 0, false
	}
	for _, g := range pm.text.glyphs {
		if int(g.start) >= k {
			return g.ox, g.oy, true
		}
	}
	return 0, 0, false
}

func TestRedactKeepsPositions(t *testing.T) {
	in := letter()
	out, _ := redact(t, in, func(d redactors.Document) []redactors.Edit {
		return editsFor(d, "X", "Okafor", "Ellison")
	})
	a, b := parse(t, in), parse(t, out)
	for _, w := range []struct {
		page int
		word string
	}{{0, "about the"}, {1, "at 503"}, {0, "Our client"}, {1, "Kate"}} {
		x1, y1, ok1 := glyphAt(a, w.page, w.word)
		x2, y2, ok2 := glyphAt(b, w.page, w.word)
		if !ok1 || !ok2 {
			t.Fatalf("%q not found (%v %v)", w.word, ok1, ok2)
		}
		if d := abs32(x1-x2) + abs32(y1-y2); d > 0.01 {
			t.Errorf("%q moved from (%g,%g) to (%g,%g)", w.word, x1, y1, x2, y2)
		}
	}
}

func abs32(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}

func TestSanitize(t *testing.T) {
	const secret = "SECRETVALUE"
	in := pagesDoc([]string{
		`/Span << /ActualText (` + secret + `1) >> BDC BT /F1 12 Tf 72 700 Td (Visible text) Tj ET EMC`,
	}, func(b *builder) string {
		return "<< /Font << /F1 " + helvFont + " >> >>"
	}, func(b *builder) string {
		info := b.add(`<< /Author (` + secret + `2) >>`)
		_ = info
		meta := b.add(stream("/Type /Metadata /Subtype /XML", []byte("<x:xmpmeta>"+secret+"3</x:xmpmeta>"), false))
		ol := b.add(`<< /Type /Outlines /Count 1 /First 0 0 R >>`)
		js := b.add(`<< /S /JavaScript /JS (app.alert\("` + secret + `4"\)) >>`)
		ef := b.add(stream("/Type /EmbeddedFile", []byte(secret+"5"), false))
		st := b.add(`<< /Type /StructTreeRoot /K << /S /Figure /Alt (` + secret + `6) >> >>`)
		return fmt.Sprintf(`/Metadata %d 0 R /Outlines %d 0 R /OpenAction %d 0 R /StructTreeRoot %d 0 R
  /Names << /EmbeddedFiles << /Names [(f) << /Type /Filespec /EF << /F %d 0 R >> >>] >> >>
  /AcroForm << /Fields [<< /T (`+secret+`7) /V (`+secret+`8) >>] >>`, meta, ol, js, st, ef)
	})
	out, d := redact(t, in, func(redactors.Document) []redactors.Edit { return nil })
	for i := 1; i <= 8; i++ {
		if bytes.Contains(out, []byte(fmt.Sprintf("%s%d", secret, i))) {
			t.Errorf("secret %d survives sanitizing", i)
		}
	}
	if !strings.Contains(strings.Join(d.Notes(), ";"), "form fields") {
		t.Errorf("notes %q do not say what was removed", d.Notes())
	}
	judge(t, in, out, []string{secret}, []string{"Visible text"})
}

func TestStamps(t *testing.T) {
	in := letter()
	d := parse(t, in)
	if d.PageCount() != 3 {
		t.Fatalf("PageCount = %d", d.PageCount())
	}
	if err := d.SetStamps([]string{"ACME000007", "ACME000008", "ACME000009"}, "bottom-left"); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := d.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	got := partsText(parse(t, out.Bytes()))
	for _, s := range []string{"ACME000007", "ACME000008", "ACME000009"} {
		if !strings.Contains(got, s) {
			t.Errorf("stamp %s missing", s)
		}
	}
	if err := parse(t, in).SetStamps([]string{"x"}, ""); err == nil {
		t.Error("SetStamps accepted the wrong number of labels")
	}
}

// quarantineCase is a file that must not be written, with its reason.
type quarantineCase struct {
	name   string
	data   []byte
	reason *redactors.Reason
	redact bool // the reason comes from Redact (with every "Ellison" redacted)
}

func TestQuarantine(t *testing.T) {
	img := func(b *builder) string {
		im := b.add(stream("/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8", []byte{0, 255, 255, 0}, false))
		return fmt.Sprintf("<< /Font << /F1 %s >> /XObject << /Im %d 0 R >> >>", helvFont, im)
	}
	unmapped := func(b *builder) string {
		p := b.add(stream("", []byte("1000 0 0 0 750 750 d1 0 0 750 750 re f"), false))
		return fmt.Sprintf(`<< /Font << /F1 << /Type /Font /Subtype /Type3 /FontBBox [0 0 750 750] /FontMatrix [0.001 0 0 0.001 0 0]
  /CharProcs << /g7 %d 0 R >> /Encoding << /Differences [65 /g7] >> /FirstChar 65 /LastChar 65 /Widths [1000] >> >> >>`, p)
	}
	cases := []quarantineCase{
		{"image only page", pagesDoc([]string{"q 100 0 0 100 0 0 cm /Im Do Q"}, img, nil), redactors.ErrNoText, false},
		{"unmapped font", pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (A) Tj ET"}, unmapped, nil), redactors.ErrUninspectable, false},
		{"inline image under a box", pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (Ms. Ellison wrote) Tj ET q 300 0 0 100 50 650 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q BT 3 Tr /F1 8 Tf 60 655 Td (scan) Tj ET"}, img, nil), redactors.ErrUninspectable, true}, // read by its OCR word, so kept
	}
	cases = append(cases, malformed()...)
	// Text drawn as outlines: a short name ("Maria Lee") is about 40 Bézier
	// segments. A fixed count, so that raising the threshold fails the test.
	var outline strings.Builder
	outline.WriteString("0 g ")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&outline, "%d 700 m %d 710 %d 710 %d 700 c f ", 72+10*i, 74+10*i, 78+10*i, 80+10*i)
	}
	cases = append(cases, quarantineCase{"outlined text, no text layer", pagesDoc([]string{outline.String()}, img, nil), redactors.ErrNoText, false})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := New().Parse(c.data)
			if c.reason == nil {
				return // must only not crash
			}
			if err == nil && c.redact {
				err = d.Redact(&bytes.Buffer{}, editsFor(d, "R", "Ellison"))
			} else if err == nil {
				t.Fatalf("parsed without error")
			}
			if !errors.Is(err, c.reason) {
				t.Fatalf("error %v, want reason %s", err, c.reason.Code)
			}
		})
	}
}

// A page with no text and only a few curves or straight lines (a circle, a
// rule, a table grid) is not outlined text and is written.
func TestFewCurvesWithoutTextAccepted(t *testing.T) {
	res := func(b *builder) string { return "<< >>" }
	circle := "100 100 m 100 155 145 200 200 200 c 255 200 300 155 300 100 c 300 45 255 0 200 0 c 145 0 100 45 100 100 c S"
	grid := "72 72 m 540 72 l 72 720 l S 72 72 468 648 re S"
	for name, c := range map[string]string{"circle": circle, "grid": grid} {
		if _, err := New().Parse(pagesDoc([]string{c}, res, nil)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A file with a user password is refused; one with an empty user password
// is opened (TestEmptyUserPassword).
func TestEncrypted(t *testing.T) {
	qpdf := tool(t, "qpdf")
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "enc.pdf")
	os.WriteFile(src, letter(), 0o644)
	for _, pw := range []string{"secret"} {
		if b, err := exec.Command(qpdf, "--encrypt", pw, "owner", "256", "--", src, dst).CombinedOutput(); err != nil {
			t.Fatalf("qpdf --encrypt: %v %s", err, b)
		}
		data, _ := os.ReadFile(dst)
		if _, err := New().Parse(data); !errors.Is(err, redactors.ErrEncrypted) {
			t.Errorf("user password %q: error %v, want encrypted", pw, err)
		}
	}
}
