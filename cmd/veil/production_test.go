package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/veilhq/veil/pipeline/loadfile"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/docx/docxtest"
	"github.com/veilhq/veil/redactors/pdf"
)

// needTool finds a program the test needs: under CI=true a missing one
// fails the test (scripts/setup installs it); elsewhere the test skips.
func needTool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	msg := names[0] + " not found: scripts/setup installs it (libreoffice-writer-nogui, poppler-utils)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// toPDF converts the DOCX files with one LibreOffice run (it is slow to
// start) and returns the PDFs by name.
func toPDF(t *testing.T, soffice string, docs map[string][]byte) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	var args []string
	for name, b := range docs {
		p := filepath.Join(dir, name+".docx")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	sort.Strings(args)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--headless", "--norestore", "--convert-to", "pdf", "--outdir", dir}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, msg)
	}
	out := map[string][]byte{}
	for name := range docs {
		b, err := os.ReadFile(filepath.Join(dir, name+".pdf"))
		if err != nil {
			t.Fatalf("%s: no PDF: %v", name, err)
		}
		out[name] = b
	}
	return out
}

// TestProductionVolume produces the fixtures as a paralegal would
// (court profile, a privileged deny list, Bates numbers, a production
// volume) and checks what the other side receives: the layout, the
// Concordance and Opticon load files read back by their own parser and
// written again byte for byte, the redaction and privilege logs, fonts
// embedded, labels readable at 100 % zoom, Bates numbers inside the
// print margin and clear of text.
func TestProductionVolume(t *testing.T) {
	soffice := needTool(t, "soffice", "libreoffice")
	pdftotext, pdftoppm, pdffonts := needTool(t, "pdftotext"), needTool(t, "pdftoppm"), needTool(t, "pdffonts")
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	pdfs := toPDF(t, soffice, map[string][]byte{
		"01-letter": letterheadLetter(), "02-payments": paymentsTable(), "03-deposition": depositionTranscript(),
	})
	write(t, dir, map[string][]byte{
		"in/01-letter.pdf":     pdfs["01-letter"],
		"in/02-payments.pdf":   pdfs["02-payments"],
		"in/03-deposition.pdf": pdfs["03-deposition"],
		"in/04-memo.docx": docxtest.Doc{Body: docxtest.P("Memorandum to file, March 5, 2025") +
			docxtest.P("The Lantern memorandum is attached; the claimant's SSN is 521-38-4410.")}.Build(),
		"in/05-note.txt": []byte("Call log, March 6, 2025: returned Ms. Whitfield's call about the deposition.\n"),
		"deny.txt":       []byte("# label: REDACTED – PRIVILEGED\n# basis: Attorney-client privilege\n" + strings.Join(privileged, "\n") + "\n"),
	})
	code, msg := veil(t, "run", "-q", "--no-ner", "--profile", "court", "--deny-list", filepath.Join(dir, "deny.txt"),
		"--bates", "ACME", "--production", "VOL001", in, out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, msg)
	}
	if keep := os.Getenv("VEIL_TEST_KEEP"); keep != "" {
		exec.Command("cp", "-r", out, keep).Run()
	}
	var rep struct{ Files []report.File }
	b, err := os.ReadFile(filepath.Join(out, "veil-report", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil || len(rep.Files) != 5 {
		t.Fatalf("report: %v %d files", err, len(rep.Files))
	}

	// The load files: read by a parser of their own, then written again.
	datRaw, err := os.ReadFile(filepath.Join(out, "VOL001", "DATA", "VOL001.dat"))
	if err != nil {
		t.Fatal(err)
	}
	fields, recs, err := loadfile.ReadDAT(bytes.NewReader(datRaw))
	if err != nil {
		t.Fatalf("the .dat does not parse: %v", err)
	}
	if strings.Join(fields, ",") != "BEGBATES,ENDBATES,BEGATTACH,ENDATTACH,PAGECOUNT,FILENAME,TEXTPATH,NATIVEPATH,REDACTED" {
		t.Errorf(".dat fields %q", fields)
	}
	var again bytes.Buffer
	dw, _ := loadfile.NewDATWriter(&again, fields)
	for _, r := range recs {
		dw.Write(r)
	}
	dw.Flush()
	if !bytes.Equal(again.Bytes(), datRaw) {
		t.Errorf(".dat round trip differs:\n%q\n%q", datRaw, again.Bytes())
	}
	optRaw, err := os.ReadFile(filepath.Join(out, "VOL001", "DATA", "VOL001.opt"))
	if err != nil {
		t.Fatal(err)
	}
	images, err := loadfile.ReadOPT(bytes.NewReader(optRaw))
	if err != nil {
		t.Fatalf("the .opt does not parse: %v", err)
	}
	again.Reset()
	loadfile.WriteOPT(&again, images)
	if !bytes.Equal(again.Bytes(), optRaw) {
		t.Errorf(".opt round trip differs:\n%q\n%q", optRaw, again.Bytes())
	}
	// Records against the report, the files and the pages.
	if len(recs) != 5 {
		t.Fatalf(".dat has %d records, want 5", len(recs))
	}
	next := 1
	opt := map[string]loadfile.Image{}
	for _, im := range images {
		opt[im.ID] = im
	}
	for i, r := range recs {
		f := rep.Files[i]
		beg, end := f.BatesRange()
		if r[0] != beg || r[1] != end || r[2] != beg || r[3] != end {
			t.Errorf("record %d: Bates %q, report %q", i, r[:4], f.Bates)
		}
		if want := fmt.Sprintf("ACME%06d", next); r[0] != want {
			t.Errorf("record %d begins at %s, want %s (numbers continue across documents)", i, r[0], want)
		}
		pages, _ := strconv.Atoi(r[4])
		text, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(strings.ReplaceAll(r[6], `\`, "/"))))
		if err != nil {
			t.Errorf("record %d: TEXTPATH %s: %v", i, r[6], err)
		}
		for v := range fixtureValues {
			if strings.Contains(string(text), v) {
				t.Errorf("record %d: the text file holds %q", i, v)
			}
		}
		if im, ok := opt[r[0]]; ok {
			// An image: the stamped PDF, its pages counted.
			data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(strings.ReplaceAll(im.Path, `\`, "/"))))
			if err != nil {
				t.Fatalf("record %d: image %s: %v", i, im.Path, err)
			}
			doc, err := pdf.New().Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			if n := doc.(redactors.Stamper).PageCount(); n != pages || im.PageCount != pages || !im.DocBreak || im.Volume != "VOL001" {
				t.Errorf("record %d: %d pages, .dat says %d, .opt %+v", i, n, pages, im)
			}
			if r[7] != "" {
				t.Errorf("record %d: a redacted image has a native too: %s", i, r[7])
			}
			next += pages
		} else {
			if pages != 0 || r[7] == "" {
				t.Errorf("record %d: a native: PAGECOUNT %s, NATIVEPATH %q", i, r[4], r[7])
			}
			if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(strings.ReplaceAll(r[7], `\`, "/")))); err != nil {
				t.Errorf("record %d: NATIVEPATH: %v", i, err)
			}
			next++
		}
	}
	for i, want := range []string{"Y", "Y", "Y", "Y", "N"} {
		if recs[i][8] != want {
			t.Errorf("record %d REDACTED %s, want %s", i, recs[i][8], want)
		}
	}
	if recs[3][5] != "04-memo.pdf" {
		t.Errorf("the Word memo is produced as %q, want 04-memo.pdf", recs[3][5])
	}

	// The redaction log speaks the court's language.
	logRaw, _ := os.ReadFile(filepath.Join(out, "veil-report", "redaction-log.csv"))
	rows, err := csv.NewReader(bytes.NewReader(logRaw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"CUSTOM_TERM", "keep_last", "BIRTH_DATE", "word/document.xml", "deny", "open action", "docProps"} {
		if bytes.Contains(logRaw, []byte(code)) {
			t.Errorf("the redaction log says %q", code)
		}
	}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		seen[r[5]+" — "+r[6]] = true
		if r[1] == "" || r[2] == "" || (r[3] == "" && !strings.HasSuffix(r[0], ".txt")) {
			t.Errorf("log row without Bates or page: %q", r)
		}
		if r[3] != "" && r[4] != "page "+r[3] {
			t.Errorf("log row location %q on page %s", r[4], r[3])
		}
	}
	for _, want := range []string{
		"Social Security number — last four digits shown", "Privileged — attorney-client communication",
		"Name of a minor — initials shown", "Date of birth — year shown", "Financial account number (payment card) — last four digits shown",
	} {
		if !seen[want] {
			t.Errorf("the log has no %q row; it has %v", want, seen)
		}
	}

	// Nothing handed on says how the privileged terms were chosen.
	for _, name := range []string{"redaction-log.csv", "report.md", "privilege-log.csv", "privilege-log.md"} {
		b := mustRead(t, filepath.Join(out, "veil-report", name))
		for _, word := range []string{"deny", "Deny", "term list", "word list", "CUSTOM_TERM"} {
			if bytes.Contains(b, []byte(word)) {
				t.Errorf("%s says %q", name, word)
			}
		}
	}

	// The privilege log: one entry per document with privileged redactions.
	privRaw, _ := os.ReadFile(filepath.Join(out, "veil-report", "privilege-log.csv"))
	priv, err := csv.NewReader(bytes.NewReader(privRaw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(priv) != 5 {
		t.Fatalf("privilege log has %d entries, want 4:\n%s", len(priv)-1, privRaw)
	}
	for _, e := range priv[1:] {
		if e[7] != "Attorney-client privilege" || e[5] != report.ToComplete || e[6] != report.ToComplete || !strings.HasPrefix(e[1], "ACME") {
			t.Errorf("entry %q", e)
		}
		for v := range fixtureValues {
			if strings.Contains(strings.Join(e, " "), v) {
				t.Errorf("the privilege log reveals %q", v)
			}
		}
	}
	if priv[1][3] != "2025-03-03" || priv[4][3] != "2025-03-05" || priv[4][4] != "Word document" {
		t.Errorf("dates and types: %q %q", priv[1], priv[4])
	}

	// What the other side sees on the pages.
	var volumePDFs []string
	for _, im := range images {
		volumePDFs = append(volumePDFs, filepath.Join(out, filepath.FromSlash(strings.ReplaceAll(im.Path, `\`, "/"))))
	}
	for _, p := range volumePDFs {
		checkFontsEmbedded(t, pdffonts, p)
		checkPages(t, pdftotext, pdftoppm, p)
	}

	// veil verify reads the volume, load files included.
	if code, msg := veil(t, "verify", "-q", "--profile", "court", out); code != exitOK {
		t.Errorf("veil verify of the volume: exit %d: %s", code, msg)
	}
	bad := bytes.Replace(datRaw, []byte("04-memo.pdf"), []byte("04-memo 521-38-4410.pdf"), 1)
	os.WriteFile(filepath.Join(out, "VOL001", "DATA", "VOL001.dat"), bad, 0o644)
	if code, _ := veil(t, "verify", "-q", "--profile", "court", out); code != exitIdentifiers {
		t.Errorf("veil verify misses an SSN in the .dat: exit %d", code)
	}
	os.WriteFile(filepath.Join(out, "VOL001", "DATA", "VOL001.dat"), datRaw, 0o644)

	// The DOCX privilege log opens in LibreOffice.
	logs := toPDF(t, soffice, map[string][]byte{"privilege-log": mustRead(t, filepath.Join(out, "veil-report", "privilege-log.docx"))})
	pl := filepath.Join(dir, "privilege-log.pdf")
	os.WriteFile(pl, logs["privilege-log"], 0o600)
	txt, err := exec.Command(pdftotext, pl, "-").Output()
	flat := strings.Join(strings.Fields(string(txt)), " ")
	if err != nil || !strings.Contains(flat, "Privilege Log") || !strings.Contains(flat, "ACME000001") || !strings.Contains(flat, "attorney-client communication") {
		t.Errorf("privilege-log.docx as LibreOffice prints it: %v\n%s", err, txt)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkFontsEmbedded: every font pdffonts lists is embedded, and named
// as the subset it is.
func checkFontsEmbedded(t *testing.T, pdffonts, p string) {
	t.Helper()
	b, err := exec.Command(pdffonts, p).Output()
	if err != nil {
		t.Fatalf("pdffonts: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) < 3 {
		t.Fatalf("%s: pdffonts lists no font:\n%s", filepath.Base(p), b)
	}
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// name type [type…] encoding emb sub uni object ID
		if len(f) < 7 || f[len(f)-5] != "yes" {
			t.Errorf("%s: a font is not embedded: %s", filepath.Base(p), l)
		}
		// Every font here is a subset (LibreOffice's, the label font),
		// and a subset's name carries its tag (ISO 32000-1, 9.6.4).
		if len(f) >= 7 && f[len(f)-4] != "yes" {
			t.Errorf("%s: a subset font is not named as one: %s", filepath.Base(p), l)
		}
		if strings.Contains(l, "Helvetica") {
			t.Errorf("%s: Helvetica is still used: %s", filepath.Base(p), l)
		}
	}
}

var (
	pageRe = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	wordRe = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)
	keyRe  = regexp.MustCompile(`^\[[0-9]{1,2}\]$`)
)

type word struct {
	x0, y0, x1, y1 float64
	text           string
}

// checkPages reads every page's words with their boxes (pdftotext
// -bbox) and renders it at 72 dpi, 100 % zoom (pdftoppm -r 72): the Bates
// number lies 0.5 in or more from every edge and meets no other word;
// every label and key drawn in a box, and the key list, has glyphs at
// least 6 pixels tall.
func checkPages(t *testing.T, pdftotext, pdftoppm, p string) {
	t.Helper()
	name := filepath.Base(p)
	html, err := exec.Command(pdftotext, "-bbox", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	prefix := filepath.Join(t.TempDir(), "page")
	if b, err := exec.Command(pdftoppm, "-r", "72", "-gray", "-png", p, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, b)
	}
	pngs, _ := filepath.Glob(prefix + "*.png")
	sort.Strings(pngs)
	pagesHTML := strings.Split(string(html), "<page ")[1:]
	if len(pagesHTML) != len(pngs) {
		t.Fatalf("%s: %d pages of words, %d images", name, len(pagesHTML), len(pngs))
	}
	labels, boxes := 0, 0
	for i, ph := range pagesHTML {
		m := pageRe.FindStringSubmatch("<page " + ph)
		W, _ := strconv.ParseFloat(m[1], 64)
		H, _ := strconv.ParseFloat(m[2], 64)
		var words []word
		for _, wm := range wordRe.FindAllStringSubmatch(ph, -1) {
			var w word
			w.x0, _ = strconv.ParseFloat(wm[1], 64)
			w.y0, _ = strconv.ParseFloat(wm[2], 64)
			w.x1, _ = strconv.ParseFloat(wm[3], 64)
			w.y1, _ = strconv.ParseFloat(wm[4], 64)
			w.text = wm[5]
			words = append(words, w)
		}
		img := grayImage(t, pngs[i])
		stamps := 0
		for k, w := range words {
			switch {
			case strings.HasPrefix(w.text, "ACME0000"):
				stamps++
				if w.x0 < 36 || w.y0 < 36 || W-w.x1 < 36 || H-w.y1 < 36 {
					t.Errorf("%s page %d: Bates number at (%.1f,%.1f)-(%.1f,%.1f), inside the 0.5 in margin of a %.0fx%.0f page", name, i+1, w.x0, w.y0, w.x1, w.y1, W, H)
				}
				for j, o := range words {
					if j != k && w.x0 < o.x1 && o.x0 < w.x1 && w.y0 < o.y1 && o.y0 < w.y1 {
						t.Errorf("%s page %d: Bates number meets the word %q", name, i+1, o.text)
					}
				}
				checkInk(t, img, w, false, fmt.Sprintf("%s page %d Bates number", name, i+1))
			case keyRe.MatchString(w.text) || w.text == "REDACTED" || w.text == "PRIVILEGED" || strings.HasPrefix(w.text, "XXX"):
				labels++
				// White on black in a box; a key-list line is black on white.
				dark := img.GrayAt(int(w.x0)-1, int((w.y0+w.y1)/2)).Y < 100
				checkInk(t, img, w, dark, fmt.Sprintf("%s page %d label %q", name, i+1, w.text))
			}
		}
		if stamps != 1 {
			t.Errorf("%s page %d: %d Bates numbers", name, i+1, stamps)
		}
		for _, b := range darkBoxes(img) {
			boxes++
			if b.light < 6 {
				t.Errorf("%s page %d: the box at (%d,%d)-(%d,%d) carries no label or key", name, i+1, b.x0, b.y0, b.x1, b.y1)
			}
		}
	}
	if labels == 0 || boxes == 0 {
		t.Errorf("%s: %d labels, %d boxes found: the check would prove nothing", name, labels, boxes)
	}
}

// box is a redaction box found in a page image: the bounds of a region
// of dark pixels that fills most of them, and the light (label) pixels
// inside it.
type box struct {
	x0, y0, x1, y1 int
	light          int
}

// darkBoxes finds the redaction boxes of a page rendered at 72 dpi. A
// box is a stack of 6 or more rows whose dark runs (3 pixels or longer)
// start at the same column, 10 pixels wide or more, with at least two
// rows dark from edge to edge (above and below a label); a glyph of text
// is thinner, a table's rules are one or two pixels thick (and a rule
// that touches a box does not join it). It judges the page as a reader
// sees it, not as Veil drew it: each box of a value, every line of one
// broken over lines included, must hold the light glyphs of a label or
// a key.
func darkBoxes(img *image.Gray) []box {
	r := img.Bounds()
	type group struct {
		box
		last, solid int
	}
	var open, closed []*group
	for y := r.Min.Y; y < r.Max.Y; y++ {
		var next []*group
		for x := r.Min.X; x < r.Max.X; {
			if img.GrayAt(x, y).Y >= 40 {
				x++
				continue
			}
			s := x
			for x < r.Max.X && img.GrayAt(x, y).Y < 40 {
				x++
			}
			if x-s < 3 {
				continue
			}
			var g *group
			for _, o := range open {
				if o.last == y-1 && o.x0-1 <= s && s <= o.x0+1 {
					g = o
					break
				}
			}
			if g == nil {
				for _, o := range next {
					if o.x0-1 <= s && s <= o.x0+1 {
						g = o // a second run of a row through a label
						break
					}
				}
			}
			if g == nil {
				g = &group{box: box{x0: s, y0: y, x1: x - 1, y1: y}, last: y}
			} else if g.last != y {
				g.y1, g.last = y, y
			}
			g.x1 = max(g.x1, x-1)
			if x-s >= 10 && float64(x-s) >= 0.9*float64(g.x1-g.x0+1) {
				g.solid++
			}
			if !slices.Contains(next, g) {
				next = append(next, g)
			}
		}
		for _, o := range open {
			if !slices.Contains(next, o) {
				closed = append(closed, o)
			}
		}
		open = next
	}
	closed = append(closed, open...)
	var kept []box
	for _, g := range closed {
		if b := g.box; b.y1-b.y0+1 >= 6 && b.x1-b.x0+1 >= 10 && g.solid >= 2 {
			kept = append(kept, b)
		}
	}
	var out []box
	for i, b := range kept {
		inside := false // the rows right of a label, within its box
		for j, o := range kept {
			inside = inside || j != i && o.x0 < b.x0 && b.x1 <= o.x1+1 && o.y0 <= b.y0 && b.y1 <= o.y1+1
		}
		if inside {
			continue
		}
		for yy := b.y0 + 1; yy < b.y1; yy++ {
			for xx := b.x0 + 1; xx < b.x1; xx++ {
				if img.GrayAt(xx, yy).Y > 160 {
					b.light++
				}
			}
		}
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].y0 < out[j].y0 || out[i].y0 == out[j].y0 && out[i].x0 < out[j].x0 })
	return out
}

func grayImage(t *testing.T, p string) *image.Gray {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	im, _, err := image.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	g, ok := im.(*image.Gray)
	if !ok {
		b := im.Bounds()
		g = image.NewGray(b)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				g.Set(x, y, im.At(x, y))
			}
		}
	}
	return g
}

// checkInk measures the height of the glyphs of word w in the page image
// (72 dpi: one pixel a point): the rows between the first and the last
// that hold ink, white ink on a dark box or dark ink on white.
func checkInk(t *testing.T, img *image.Gray, w word, whiteOnDark bool, what string) {
	t.Helper()
	first, last := -1, -1
	for y := int(w.y0) - 1; y <= int(w.y1)+1; y++ {
		for x := int(w.x0) + 1; x < int(w.x1); x++ {
			v := img.GrayAt(x, y).Y
			if whiteOnDark && v > 160 && img.GrayAt(x, y).Y != 0 && insideDark(img, x, y) || !whiteOnDark && v < 96 {
				if first < 0 {
					first = y
				}
				last = y
				break
			}
		}
	}
	if h := last - first + 1; first < 0 || h < 6 {
		t.Errorf("%s: glyphs %d pixels tall at 100 %% zoom, want 6 or more", what, h)
	}
}

// insideDark reports whether a light pixel lies inside a dark box: dark
// pixels to its left and right on its row within a few points.
func insideDark(img *image.Gray, x, y int) bool {
	l, r := false, false
	for d := 1; d < 60 && !(l && r); d++ {
		if img.GrayAt(x-d, y).Y < 60 {
			l = true
		}
		if img.GrayAt(x+d, y).Y < 60 {
			r = true
		}
	}
	return l && r
}

// The box judge finds a box without a label, and tells a labelled box,
// a table's rules and a line of text apart.
func TestDarkBoxesJudge(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 200, 60))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	fill := func(x0, y0, x1, y1 int, v uint8) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				img.Pix[y*img.Stride+x] = v
			}
		}
	}
	fill(10, 10, 60, 21, 0)   // a box with a label
	fill(20, 13, 24, 19, 255) // its glyph
	fill(70, 10, 120, 21, 0)  // a box without
	fill(0, 40, 200, 41, 0)   // a table's rules, one touching the boxes
	fill(0, 30, 1, 60, 0)
	fill(60, 0, 61, 60, 0)
	for x := 130; x < 190; x += 4 { // letters of a line of text
		fill(x, 10, x+2, 18, 0)
	}
	got := darkBoxes(img)
	if len(got) != 2 || got[0].light == 0 || got[1].light != 0 || got[1].x0 != 70 {
		t.Errorf("boxes %+v, want a labelled one at x 10 and a blank one at x 70", got)
	}
}
