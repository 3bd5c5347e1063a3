package pdfscan_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/imagemeta/imagetest"
	"github.com/veilhq/veil/redactors/ocr"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
	"github.com/veilhq/veil/redactors/pdf"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
	"github.com/veilhq/veil/redactors/pdfscan"
)

// need returns the path of a command the test needs: scripts/setup
// installs them; under CI=true a missing one fails the test.
func need(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is needed under CI (scripts/setup installs it)", name)
		}
		t.Skipf("no %s", name)
	}
	return p
}

func requireAll(t testing.TB) {
	t.Helper()
	ocrtest.Require(t)
	for _, c := range []string{"pdftoppm", "pdftotext", "pdfinfo"} {
		need(t, c)
	}
}

// scanPDF builds a scanned PDF with pdfcpu (not with this package): one
// US-letter page per image, the image scaled to fit it, centred.
func scanPDF(t testing.TB, imgs ...[]byte) []byte {
	t.Helper()
	imp := pdfcpu.DefaultImportConfig()
	imp.PageDim, imp.PageSize, imp.UserDim, imp.Pos, imp.Scale = &types.Dim{Width: 612, Height: 792}, "Letter", true, types.Center, 1
	var rs []io.Reader
	for _, b := range imgs {
		rs = append(rs, bytes.NewReader(b))
	}
	var out bytes.Buffer
	if err := api.ImportImages(nil, &out, rs, imp, nil); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// scans returns a referral about p scanned at 200 dpi with grain and saved
// as JPEG, and a declaration at 150 dpi as PNG.
func scans(t testing.TB, p ocrtest.Person) ([]byte, []byte) {
	t.Helper()
	var a, b bytes.Buffer
	if err := jpeg.Encode(&a, ocrtest.Noise(ocrtest.Referral(p, 200).Img, 5, 0.0003, 3), &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(&b, ocrtest.Declaration(p, 150).Img); err != nil {
		t.Fatal(err)
	}
	return a.Bytes(), b.Bytes()
}

func format() *pdfscan.Format { return pdfscan.New(pdf.New(), pdfscan.Options{}) }

// independentWords renders a PDF with pdftoppm at 300 dpi (not the 200
// this package uses) and reads every page with the tesseract command
// (sparse text), and returns the words of each page.
func independentWords(t *testing.T, data []byte) [][]string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "out.pdf")
	os.WriteFile(in, data, 0o600)
	if msg, err := exec.Command(need(t, "pdftoppm"), "-r", "300", "-gray", "-png", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, msg)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "p-*.png"))
	var out [][]string
	for _, f := range files {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		cmd := exec.CommandContext(ctx, need(t, "tesseract"), f, "stdout", "--psm", "11", "-l", "eng")
		cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
		b, err := cmd.Output()
		cancel()
		if err != nil {
			t.Fatalf("tesseract: %v", err)
		}
		out = append(out, strings.Fields(string(b)))
	}
	return out
}

// TestScannedPDF is the scanned-PDF case of issue 20: a two-page scan (a
// JPEG referral, a PNG declaration) made by pdfcpu is read by OCR page by
// page, the values an oracle finds in the OCR text are blanked on the
// pixels, and the output is a valid PDF (qpdf --check) of two pages with no
// text layer, on which an independent reading (pdftoppm at another
// resolution, tesseract with sparse segmentation) finds none of the values
// and most of the clinical words; the format's PixelLeaks agrees, and
// finds the name when it is left on the page; the output parsed again is
// read by OCR too.
func TestScannedPDF(t *testing.T) {
	requireAll(t)
	p := ocrtest.NewPerson(41)
	a, b := scans(t, p)
	in := scanPDF(t, a, b)
	f := format()
	doc, err := f.Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	parts := doc.Parts()
	if len(parts) != 2 || parts[0].Name != "page 1" || parts[1].Page != 2 {
		t.Fatalf("parts: %d", len(parts))
	}
	ids := p.Identifiers()
	if n := len(ocr.NewFuzzy(ids, 0).Find(strings.Fields(parts[0].Text))); n < len(ids) {
		t.Fatalf("page 1: %d of %d values in the OCR text", n, len(ids))
	}
	edits := ocrtest.Oracle(parts, ids, "[REDACTED]")
	var out bytes.Buffer
	if err := doc.Redact(&out, edits); err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(doc.(redactors.Noter).Notes(), "\n")
	for _, want := range []string{"page 1: OCR (eng) read", "regions blanked", "page 2: OCR", "rendered at 200 dpi"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, p.Family) {
		t.Error("a note names the person")
	}

	dir := t.TempDir()
	file := filepath.Join(dir, "out.pdf")
	os.WriteFile(file, out.Bytes(), 0o600)
	if msg, err := exec.Command(need(t, "qpdf"), "--check", file).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check: %v\n%s", err, msg)
	}
	if txt, err := exec.Command(need(t, "pdftotext"), file, "-").Output(); err != nil || strings.TrimSpace(string(txt)) != "" {
		t.Errorf("pdftotext finds text in the output (%v): %d bytes", err, len(strings.TrimSpace(string(txt))))
	}
	pages := independentWords(t, out.Bytes())
	if len(pages) != 2 {
		t.Fatalf("%d pages rendered", len(pages))
	}
	fz := ocr.NewFuzzy(append(ids, p.Family), 0.25)
	for i, words := range pages {
		for _, m := range fz.Find(words) {
			t.Errorf("page %d: value %d read again (distance %.2f)", i+1, m.Value, m.Dist)
		}
	}
	body := strings.Fields(strings.ToLower(ocrtest.ReferralBody + " " + ocrtest.DeclarationBody))
	seen := map[string]bool{}
	for _, words := range pages {
		for _, w := range words {
			seen[strings.ToLower(strings.Trim(w, ".,"))] = true
		}
	}
	kept := 0
	for _, w := range body {
		if seen[strings.Trim(w, ".,")] {
			kept++
		}
	}
	if float64(kept) < 0.95*float64(len(body)) {
		t.Errorf("clinical text: %d of %d words readable", kept, len(body))
	}

	ctx := context.Background()
	pc := doc.(redactors.PixelChecker)
	if where, err := pc.PixelLeaks(ctx, out.Bytes(), ids); err != nil || len(where) > 0 {
		t.Errorf("PixelLeaks on the output: %v %v", where, err)
	}
	again, err := f.Parse(out.Bytes())
	if err != nil {
		t.Fatalf("the output does not parse again: %v", err)
	}
	if len(again.Parts()) != 2 || len(ocr.NewFuzzy(ids, 0).Find(strings.Fields(again.Parts()[0].Text))) > 0 {
		t.Errorf("the output read again: %d parts, values found", len(again.Parts()))
	}

	var less []redactors.Edit
	for _, e := range edits {
		if !strings.Contains(parts[e.Part].Text[e.Start:e.End], p.Given) {
			less = append(less, e)
		}
	}
	if len(less) == len(edits) {
		t.Fatal("no edit holds the name")
	}
	var leaky bytes.Buffer
	if err := doc.Redact(&leaky, less); err != nil {
		t.Fatal(err)
	}
	where, err := pc.PixelLeaks(ctx, leaky.Bytes(), ids)
	if err != nil || len(where) != 2 {
		t.Errorf("PixelLeaks on an output that shows the name on both pages: %v %v", where, err)
	}
}

// TestStamps: production numbers go into the page images, where OCR
// reads them.
func TestStamps(t *testing.T) {
	requireAll(t)
	p := ocrtest.NewPerson(42)
	_, b := scans(t, p)
	doc, err := format().Parse(scanPDF(t, b))
	if err != nil {
		t.Fatal(err)
	}
	st := doc.(redactors.Stamper)
	if st.PageCount() != 1 || st.SetStamps([]string{"ACME000101"}, "bottom-left") != nil {
		t.Fatalf("stamper: %d pages", st.PageCount())
	}
	if st.SetStamps([]string{"X"}, "middle") == nil {
		t.Error("an unknown position is accepted")
	}
	st.SetStamps([]string{"ACME000101"}, "bottom-left")
	var out bytes.Buffer
	if err := doc.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	words := independentWords(t, out.Bytes())
	// OCR reads the Go font's slashed zero as "@" at times.
	if len(words) != 1 || len(ocr.NewFuzzy([]string{"ACME000101"}, 0.2).Find(words[0])) != 1 {
		t.Errorf("the stamp is not read on the page: %q", words)
	}
}

// TestRefused: what this package does not read stays refused with
// no_text, and a file with a text layer is the PDF format's.
func TestRefused(t *testing.T) {
	requireAll(t)
	p := ocrtest.NewPerson(43)
	_, b := scans(t, p)
	scan := scanPDF(t, b)
	text := pdftest.OnePage("Referral letter", "Patient: Oriel Tansley")

	doc, err := format().Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := doc.(*pdf.Document); !ok {
		t.Errorf("a text PDF is read as %T", doc)
	}

	// A page of text then a scanned page.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.pdf"), text, 0o600)
	os.WriteFile(filepath.Join(dir, "b.pdf"), scan, 0o600)
	mixed := filepath.Join(dir, "m.pdf")
	if msg, err := exec.Command(need(t, "qpdf"), "--empty", "--pages", filepath.Join(dir, "a.pdf"), filepath.Join(dir, "b.pdf"), "--", mixed).CombinedOutput(); err != nil {
		t.Fatalf("qpdf: %v %s", err, msg)
	}
	mixedData, _ := os.ReadFile(mixed)

	photo, _ := imagetest.JPEG(p.Name())
	var flat bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, 300, 200))
	for i := range img.Pix {
		img.Pix[i] = uint8(40 + (i%300)/2 + (i/300)%37)
	}
	png.Encode(&flat, img)
	_ = photo

	cases := []struct {
		name string
		f    *pdfscan.Format
		data []byte
		want *redactors.Reason
		msg  string
	}{
		{"mixed", format(), mixedData, redactors.ErrNoText, "images: ocr"},
		{"picture", format(), scanPDF(t, flat.Bytes()), redactors.ErrNoText, "picture"},
		{"no pdftoppm", pdfscan.New(pdf.New(), pdfscan.Options{Pdftoppm: filepath.Join(dir, "absent")}), scan, redactors.ErrNoText, "pdftoppm"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.f.Parse(c.data)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("err %v, want %s with %q", err, c.want.Code, c.msg)
			}
			if err != nil && strings.Contains(err.Error(), p.Family) {
				t.Error("the error names the person")
			}
		})
	}
}

// TestOCRLayer: with Layer (--ocr-layer) the output of a scanned PDF gets
// an invisible text layer of the words kept: pdftotext reads the clinical
// text from it and none of the values, qpdf finds the file sound, and the
// output parsed again reads as a PDF with text.
func TestOCRLayer(t *testing.T) {
	requireAll(t)
	p := ocrtest.NewPerson(43)
	a, _ := scans(t, p)
	in := scanPDF(t, a)
	f := pdfscan.New(pdf.New(), pdfscan.Options{Layer: true})
	doc, err := f.Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	ids := p.Identifiers()
	var out bytes.Buffer
	if err := doc.Redact(&out, ocrtest.Oracle(doc.Parts(), ids, "[REDACTED]")); err != nil {
		t.Fatal(err)
	}
	if notes := strings.Join(doc.(redactors.Noter).Notes(), "\n"); !strings.Contains(notes, "invisible text layer") {
		t.Errorf("notes do not say there is a text layer:\n%s", notes)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "out.pdf")
	os.WriteFile(file, out.Bytes(), 0o600)
	if msg, err := exec.Command(need(t, "qpdf"), "--check", file).CombinedOutput(); err != nil {
		t.Errorf("qpdf --check: %v\n%s", err, msg)
	}
	txt, err := exec.Command(need(t, "pdftotext"), file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	words := strings.Fields(string(txt))
	for _, m := range ocr.NewFuzzy(append(ids, p.Family), 0.2).Find(words) {
		t.Errorf("value %d in the text layer", m.Value)
	}
	low := strings.ToLower(string(txt))
	kept := 0
	body := strings.Fields(strings.ToLower(ocrtest.ReferralBody))
	for _, w := range body {
		if strings.Contains(low, strings.Trim(w, ".,")) {
			kept++
		}
	}
	if float64(kept) < 0.9*float64(len(body)) {
		t.Errorf("text layer: %d of %d clinical words", kept, len(body))
	}
	again, err := f.Parse(out.Bytes())
	if err != nil {
		t.Fatalf("the output does not parse again: %v", err)
	}
	if _, ok := again.(*pdfscan.Document); ok {
		t.Error("the output with a text layer was read as a scan")
	}
}
