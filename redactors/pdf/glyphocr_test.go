package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
	"github.com/veilhq/veil/redactors/poppler"
)

// The glyphs of these fixtures are Go Regular's (golang.org/x/image, BSD
// licence), drawn by Veil's own code from the font program: outlines as
// Type 3 paths, the same rasterised as Type 3 image masks (TeX's pk
// fonts), and the program itself with its cmap and post tables removed
// as a CID TrueType font. Nothing in the file names a glyph: only glyph
// OCR reads them.

const glyphName = "Tamsin Everard"

// goGlyph returns the glyph index of r in Go Regular.
func goGlyph(t *testing.T, f *sfnt.Font, r rune) sfnt.GlyphIndex {
	t.Helper()
	g, err := f.GlyphIndex(&sfnt.Buffer{}, r)
	if err != nil || g == 0 {
		t.Fatalf("no glyph for %q", r)
	}
	return g
}

// goProc returns the glyph procedure (in 1000 units an em, y up) and
// advance of r: its outline as a path, or rasterised as a 1-bit image
// mask.
func goProc(t *testing.T, f *sfnt.Font, r rune, bitmap bool) (string, int) {
	t.Helper()
	proc, adv, err := pdftest.GoGlyph(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bitmap {
		return proc, adv
	}
	// The same outline rasterised by Veil at 40 pixels an em, as a 1-bit
	// image mask placed over the glyph's box.
	s, err := (&reader{}).type3ShapeData([]byte(proc), nil, matrix{0.001, 0, 0, 0.001, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	img := s.render(40, 0)
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var bits []byte
	for y := 0; y < h; y++ {
		row := make([]byte, (w+7)/8)
		for x := 0; x < w; x++ {
			if img.Pix[y*img.Stride+x] >= 128 {
				row[x/8] |= 0x80 >> (x % 8) // 1: not painted (Decode [0 1])
			}
		}
		bits = append(bits, row...)
	}
	box := s.box
	return fmt.Sprintf("%d 0 d0 %.2f 0 0 %.2f %.2f %.2f cm BI /W %d /H %d /IM true /BPC 1 /F /AHx ID %X> EI",
		adv, (box.x1-box.x0)*1000, (box.y1-box.y0)*1000, box.x0*1000, box.y0*1000, w, h, bits), adv
}

// type3Doc builds a page that shows glyphName in a Type 3 font of Go
// Regular glyphs with generated names ("g1", "g2", …) and no ToUnicode.
func type3Doc(t *testing.T, bitmap bool) []byte { return type3DocMatrix(t, bitmap, "0.001") }

// type3DocMatrix is type3Doc with the FontMatrix scale k (a smaller k,
// smaller glyphs in the font's em).
func type3DocMatrix(t *testing.T, bitmap bool, k string) []byte {
	return type3DocText(t, bitmap, k, glyphName)
}

// type3DocText is type3DocMatrix showing text.
func type3DocText(t *testing.T, bitmap bool, k, text string) []byte {
	f, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[rune]int{' ': 32}
	var show strings.Builder
	for _, r := range text {
		if _, ok := codes[r]; !ok {
			codes[r] = 64 + len(codes)
		}
		fmt.Fprintf(&show, "%02X", codes[r])
	}
	return pagesDoc([]string{"BT /F1 24 Tf 72 700 Td <" + show.String() + "> Tj ET"}, func(b *builder) string {
		procs, diffs := "", ""
		widths := make([]string, 128-32)
		for i := range widths {
			widths[i] = "0"
		}
		for r, c := range codes {
			proc, adv := "250 0 d0", 250
			if r != ' ' {
				proc, adv = goProc(t, f, r, bitmap)
			}
			n := b.add(stream("", []byte(proc), true))
			procs += fmt.Sprintf("/g%d %d 0 R ", c, n)
			diffs += fmt.Sprintf("%d /g%d ", c, c)
			widths[c-32] = fmt.Sprint(adv)
		}
		return fmt.Sprintf(`<< /Font << /F1 << /Type /Font /Subtype /Type3 /FontBBox [-100 -250 1100 1000] /FontMatrix [%s 0 0 %s 0 0]
  /CharProcs << %s >> /Encoding << /Type /Encoding /Differences [%s] >> /Resources << >>
  /FirstChar 32 /LastChar 127 /Widths [%s] >> >> >>`, k, k, procs, diffs, strings.Join(widths, " "))
	}, nil)
}

// withoutTables rewrites an sfnt program without the tables named, its
// glyf table keeping only the outlines of keep (as a subset does).
func withoutTables(t *testing.T, prog []byte, keep map[int]bool, drop ...string) []byte {
	n := int(binary.BigEndian.Uint16(prog[4:]))
	tables := map[string][]byte{}
	for i := 0; i < n; i++ {
		rec := prog[12+16*i:]
		tag := string(rec[:4])
		off, ln := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		tables[tag] = prog[off : off+ln]
	}
	for _, d := range drop {
		if _, ok := tables[d]; !ok {
			t.Fatalf("no %s table", d)
		}
		delete(tables, d)
	}
	head, loca, glyf := tables["head"], tables["loca"], tables["glyf"]
	long := binary.BigEndian.Uint16(head[50:]) == 1
	at := func(g int) int {
		if long {
			return int(binary.BigEndian.Uint32(loca[4*g:]))
		}
		return 2 * int(binary.BigEndian.Uint16(loca[2*g:]))
	}
	n = len(loca)/2 - 1
	if long {
		n = len(loca)/4 - 1
	}
	var nglyf []byte
	nloca := make([]byte, 4*(n+1))
	for g := 0; g < n; g++ {
		binary.BigEndian.PutUint32(nloca[4*g:], uint32(len(nglyf)))
		if keep[g] {
			nglyf = append(nglyf, glyf[at(g):at(g+1)]...)
			for len(nglyf)%4 != 0 {
				nglyf = append(nglyf, 0)
			}
		}
	}
	binary.BigEndian.PutUint32(nloca[4*n:], uint32(len(nglyf)))
	nhead := append([]byte(nil), head...)
	binary.BigEndian.PutUint16(nhead[50:], 1)
	tables["head"], tables["loca"], tables["glyf"] = nhead, nloca, nglyf
	return sfntFile(tables)
}

// cidDoc builds a page that shows glyphName in an Identity-H CID TrueType
// font: Go Regular without cmap and post, no ToUnicode.
func cidDoc(t *testing.T) []byte {
	f, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	var show strings.Builder
	keep := map[int]bool{}
	for _, r := range glyphName {
		g := int(goGlyph(t, f, r))
		fmt.Fprintf(&show, "%04X", g)
		keep[g] = true
	}
	prog := withoutTables(t, goregular.TTF, keep, "cmap", "post")
	return pagesDoc([]string{"BT /F1 24 Tf 72 700 Td <" + show.String() + "> Tj ET"}, func(b *builder) string {
		p := b.add(stream(fmt.Sprintf("/Length1 %d", len(prog)), prog, true))
		fd := b.add(fmt.Sprintf("<< /Type /FontDescriptor /FontName /GoSub /Flags 4 /FontBBox [0 -250 1000 1000] /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 %d 0 R >>", p))
		cf := b.add(fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /QKWZRT+GoSub /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 600 /CIDToGIDMap /Identity >>", fd))
		f := b.add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /QKWZRT+GoSub /Encoding /Identity-H /DescendantFonts [%d 0 R] >>", cf))
		return fmt.Sprintf("<< /Font << /F1 %d 0 R >> >>", f)
	}, nil)
}

// Letters that nothing in the file names stay unread under glyph OCR too:
// the page is uninspectable with the reason, with OCR or without it
// (glyph OCR takes marks only; a lone glyph's OCR misreads some fonts'
// letters, so a name could be spelt wrong and leak).
func TestGlyphOCRLeavesLetters(t *testing.T) {
	ocrtest.Require(t)
	for _, c := range []struct {
		name   string
		doc    func(*testing.T) []byte
		reason string
	}{
		{"Type 3 outlines", func(t *testing.T) []byte { return type3Doc(t, false) }, "generated glyph name"},
		{"Type 3 bitmaps", func(t *testing.T) []byte { return type3Doc(t, true) }, "generated glyph name"},
		{"CID TrueType without cmap and post", cidDoc, "no cmap or post table"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := c.doc(t)
			if _, err := New().Parse(in); !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), c.reason) {
				t.Fatalf("without OCR: error %v, want uninspectable with %q", err, c.reason)
			}
			// Without a renderer: such a page is not read as an image
			// either (raster.go; raster_test.go reads it so).
			_, err := New(Options{Images: ImagesOCR, Poppler: poppler.New("veil-no-such-pdftoppm", "")}).Parse(in)
			if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "glyph OCR") || !strings.Contains(err.Error(), "read as an image when pdftoppm (poppler-utils) is installed") {
				t.Fatalf("with OCR, without pdftoppm: error %v, want uninspectable, glyph OCR and pdftoppm named", err)
			}
		})
	}
}

// A glyph OCR cannot read (an empty frame, as fonts draw the glyph of a
// missing character, and a checkered block) keeps the page
// uninspectable, with the reason.
func TestGlyphOCRUnread(t *testing.T) {
	ocrtest.Require(t)
	for name, proc := range map[string]string{
		"frame":   "600 0 0 -100 500 700 d1 100 -100 400 40 re f 100 660 400 40 re f 100 -60 40 720 re f 460 -60 40 720 re f",
		"checker": "600 0 0 0 480 480 d1 480 0 0 480 0 0 cm BI /W 8 /H 8 /IM true /BPC 1 ID \xaa\x55\xaa\x55\xaa\x55\xaa\x55 EI",
	} {
		t.Run(name, func(t *testing.T) {
			in := pagesDoc([]string{"BT /F1 24 Tf 72 700 Td <01> Tj ET"}, func(b *builder) string {
				g := b.add(stream("", []byte(proc), false))
				return fmt.Sprintf(`<< /Font << /F1 << /Type /Font /Subtype /Type3 /FontBBox [0 -100 600 700] /FontMatrix [0.001 0 0 0.001 0 0]
  /CharProcs << /G1 %d 0 R >> /Encoding << /Type /Encoding /Differences [1 /G1] >>
  /FirstChar 1 /LastChar 1 /Widths [600] >> >> >>`, g)
			}, nil)
			// Glyph OCR alone: not read as an image (raster.go).
			_, err := New(Options{Images: ImagesOCR, Poppler: poppler.New("veil-no-such-pdftoppm", "")}).Parse(in)
			if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "glyph OCR cannot read") {
				t.Fatalf("error %v, want uninspectable: glyph OCR cannot read", err)
			}
		})
	}
}

// The glyph shape readers survive any procedure and any glyf table, and
// what they draw stays within their limits.
func FuzzGlyphShape(f *testing.F) {
	f.Add([]byte("500 0 0 0 500 500 d1 0 0 500 500 re f"), []byte{0, 1, 0, 0, 0, 0, 0, 10, 0, 10, 0, 0, 0, 0, 1, 0, 0})
	f.Add([]byte("q 10 0 0 10 0 0 cm BI /W 8 /H 8 /IM true /BPC 1 ID \xff\x81\x81\x81\x81\x81\x81\xff EI Q"), []byte{0xff, 0xff})
	f.Add([]byte("0 0 m 100 0 l 100 100 50 150 0 100 c h f"), []byte{})
	f.Fuzz(func(t *testing.T, proc, glyf []byte) {
		r := &reader{budget: 1 << 20, fonts: map[int]*font{}, streams: map[int][]byte{}}
		if s, err := r.type3ShapeData(proc, nil, matrix{0.001, 0, 0, 0.001, 0, 0}); err == nil {
			if img := s.render(glyphPx, glyphPad); img != nil && img.Rect.Dx()*img.Rect.Dy() > maxGlyphPixels {
				t.Fatalf("image of %v", img.Rect)
			}
		}
		loca := []byte{0, 0, byte(len(glyf) / 2 >> 8), byte(len(glyf) / 2)}
		tt := &trueType{glyf: glyf, loca: loca, upem: 1000}
		if s, err := tt.glyfShape(0); err == nil {
			if img := s.render(glyphPx, glyphPad); img != nil && img.Rect.Dx()*img.Rect.Dy() > maxGlyphPixels {
				t.Fatalf("image of %v", img.Rect)
			}
		}
	})
}

// The decision from two readings: agreement, one sure reading against
// noise, two readings kept as text and second reading, marks; and what
// stays unread.
func TestDecideGlyph(t *testing.T) {
	r := func(text string, conf float64) sheetRead {
		return sheetRead{text: text, conf: conf, ctx: true, ok: plausibleGlyph(text)}
	}
	lost := sheetRead{} // the context not read as drawn
	for _, c := range []struct {
		name     string
		a, b     sheetRead
		narrow   bool
		text, ev string
		ok       bool
	}{
		{"letters agree", r("e", 90), r("e", 60), false, "", "", false},
		{"a stroke read as a letter", r("l", 90), r("l", 90), true, "", "", false},
		{"sure letter against noise", r("i", 86), r("", 7), true, "", "", false},
		{"letters differ", r("\\", 60), r("y\\", 32), false, "", "", false},
		{"mark", r(")", 80), r("", 33), true, symbolText, "l", true},
		{"mark, both read", r("(", 60), r("(", 30), false, symbolText, "", true},
		{"mark against a letter", r("", 60), r("a", 40), false, "", "", false},
		{"mark against an unsure letter", r("~", 21), r("r", 19), false, "", "", false},
		{"mark against lost context", r(")", 80), lost, true, "", "", false},
		{"nothing read twice", r("", 30), r("", 30), false, "", "", false},
		{"mark, neither sure", r(")", 10), r("", 5), false, "", "", false},
		{"mark, the other's noise wide", r("", 28), r("=-", 17), false, "", "", false},
		{"nothing", lost, lost, false, "", "", false},
	} {
		g, ok := decideGlyph(c.a, c.b, c.narrow, false)
		if ok != c.ok || g.text != c.text || g.ev != c.ev {
			t.Errorf("%s: got %q/%q %v, want %q/%q %v", c.name, g.text, g.ev, ok, c.text, c.ev, c.ok)
		}
	}
	// An enlarged glyph (a Type 3 font's small em) is taken only as a
	// bracket, both readings a bracket or nothing (pdffix37).
	for _, c := range []struct {
		name string
		a, b sheetRead
		ok   bool
	}{
		{"grown bracket", r(")", 80), r("", 33), true},
		{"grown brackets, both read", r("(", 60), r("{", 30), true},
		{"grown other mark", r("/", 80), r("", 33), false},
		{"grown bracket against another mark", r(")", 80), r("~", 30), false},
		{"grown bracket with a mark", r(")-", 80), r(")", 60), false},
	} {
		if _, ok := decideGlyph(c.a, c.b, false, true); ok != c.ok {
			t.Errorf("%s: got %v, want %v", c.name, ok, c.ok)
		}
	}
}

// A batch holds each glyph that needs OCR once: the code asked for first,
// then the others no earlier batch tried (no OCR here: the batch is only
// listed).
func TestGlyphJobs(t *testing.T) {
	data := type3Doc(t, false)
	pc, _, err := readContext(data)
	if err != nil {
		t.Fatal(err)
	}
	r := newReader(pc.XRefTable, len(data))
	pages, err := r.pages()
	if err != nil {
		t.Fatal(err)
	}
	f := r.loadFont(r.dict(r.dict(pages[0].res["Font"])["F1"]))
	letters := map[rune]bool{}
	for _, c := range glyphName {
		if c != ' ' {
			letters[c] = true
		}
	}
	jobs := f.glyphJobs(66)
	if len(jobs) != len(letters) || jobs[0].keys[0] != 66 {
		t.Fatalf("first batch: %d glyphs starting with code %d, want %d starting with 66", len(jobs), jobs[0].keys[0], len(letters))
	}
	f.ocrRead = map[uint32]glyphRead{}
	for _, j := range jobs[:5] {
		for _, k := range j.keys {
			f.ocrRead[k] = glyphRead{}
		}
	}
	if again := f.glyphJobs(jobs[7].keys[0]); len(again) != len(letters)-5 {
		t.Errorf("second batch: %d glyphs, want %d (the ones not tried)", len(again), len(letters)-5)
	}
}
