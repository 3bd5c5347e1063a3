package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/sfnt"

	"github.com/veilhq/veil/redactors"
)

// onePage builds a Letter page (rotated by rotate degrees) that shows
// content with /F1, Helvetica.
func onePage(content string, rotate int) []byte {
	b := &builder{}
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	b.add("")
	f := b.add(helvFont)
	cs := b.add(stream("", []byte(content), false))
	p := b.add(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Rotate %d /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>", rotate, cs, f))
	b.set(2, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", p))
	return b.bytes("")
}

// stamped redacts data with edits and a Bates number, and returns the
// output parsed again.
func stamped(t *testing.T, data []byte, edits func(redactors.Document) []redactors.Edit, at string) *Document {
	t.Helper()
	d := parse(t, data)
	if err := d.SetStamps([]string{"ACME000042"}, at); err != nil {
		t.Fatal(err)
	}
	var es []redactors.Edit
	if edits != nil {
		es = edits(d)
	}
	var out bytes.Buffer
	if err := d.Redact(&out, es); err != nil {
		t.Fatalf("redact: %v", err)
	}
	return parse(t, out.Bytes())
}

// bounds returns the page-space bounds of the glyphs that read as s on
// page 0 of d (the first occurrence).
func bounds(t *testing.T, d *Document, s string) rect {
	t.Helper()
	pm := d.models[0]
	text := pm.text.b.String()
	i := strings.Index(text, s)
	if i < 0 {
		t.Fatalf("%q not in the page text %q", s, text)
	}
	var r rect
	first := true
	for k := range pm.text.glyphs {
		g := &pm.text.glyphs[k]
		if int(g.start) >= i && int(g.end) <= i+len(s) {
			q := quadRect(g.corners())
			if first {
				r, first = q, false
			} else {
				r = rect{math.Min(r.x0, q.x0), math.Min(r.y0, q.y0), math.Max(r.x1, q.x1), math.Max(r.y1, q.y1)}
			}
		}
	}
	return r
}

// The Bates number goes to the asked corner, inside the 0.5 in margin; to
// another corner when text is there; the document is refused when no
// corner is free.
func TestStampPlacement(t *testing.T) {
	free := stamped(t, onePage("BT /F1 11 Tf 72 700 Td (Body text.) Tj ET", 0), nil, "bottom-right")
	r := bounds(t, free, "ACME000042")
	if r.x1 > 612-36 || r.x1 < 612-60 || r.y0 < 36 || r.y0 > 50 {
		t.Errorf("bottom-right stamp at %+v, want inside the margin at the corner", r)
	}
	// A page number in the bottom-right corner: the stamp moves.
	busy := stamped(t, onePage("BT /F1 11 Tf 72 700 Td (Body text.) Tj ET BT /F1 11 Tf 520 40 Td (Page 7) Tj ET", 0), nil, "bottom-right")
	r, pn := bounds(t, busy, "ACME000042"), bounds(t, busy, "Page 7")
	if r.intersects(pn) || r.x0 < 36 || r.y0 < 36 {
		t.Errorf("stamp %+v meets the page number %+v or leaves the margin", r, pn)
	}
	// Every corner taken by a line across the foot and the head: the
	// stamp slides in over the foot's line, inside the margin, clear of
	// the text.
	var lines strings.Builder
	for _, y := range []int{40, 745} {
		fmt.Fprintf(&lines, "BT /F1 11 Tf 30 %d Td (%s) Tj ET ", y, strings.Repeat("corner text ", 12))
	}
	slid := stamped(t, onePage(lines.String(), 0), nil, "")
	r = bounds(t, slid, "ACME000042")
	for _, y := range []int{40, 745} {
		line := rect{0, float64(y) - 3, 612, float64(y) + 9}
		if r.intersects(line) {
			t.Errorf("stamp %+v meets the line at %d", r, y)
		}
	}
	if r.x0 < 36 || r.x1 > 612-36 || r.y0 < 36 || r.y0 > 36+36+12 {
		t.Errorf("stamp at %+v, want inside the margin near the foot", r)
	}
	// A page full of text: refused, not stamped over text.
	var full strings.Builder
	for y := 30; y < 780; y += 11 {
		fmt.Fprintf(&full, "BT /F1 11 Tf 30 %d Td (%s) Tj ET ", y, strings.Repeat("corner text ", 12))
	}
	d := parse(t, onePage(full.String(), 0))
	d.SetStamps([]string{"ACME000042"}, "")
	if err := d.Redact(&bytes.Buffer{}, nil); !errors.Is(err, ErrNoRoom) {
		t.Errorf("every place taken: %v, want ErrNoRoom", err)
	}
}

// On a page shown rotated, the stamp sits in the corner the reader sees.
func TestStampRotated(t *testing.T) {
	d := stamped(t, onePage("BT /F1 11 Tf 72 700 Td (Body text.) Tj ET", 90), nil, "bottom-right")
	r := bounds(t, d, "ACME000042")
	// /Rotate 90 shows the page turned clockwise: the visible bottom
	// right is the top right of the page as written.
	v := visibleFrame(&d.pages[0]).fromPage(r)
	if v.x1 > 792-36 || v.x1 < 792-70 || v.y0 < 36 || v.y0 > 50 {
		t.Errorf("stamp at %+v in the visible frame, want the bottom-right corner", v)
	}
}

// A label too long for its box becomes a key, never a smaller label; each
// line of a value broken over two lines carries it; the key list says what
// the key stands for, and lies clear of the text.
func TestKeysAndMultiLineLabels(t *testing.T) {
	page := onePage("BT /F1 11 Tf 72 700 Td 14 TL (The Kestrel) Tj T* (acquisition was discussed.) Tj ET", 0)
	out := stamped(t, page, func(d redactors.Document) []redactors.Edit {
		text := d.Parts()[0].Text
		i := strings.Index(text, "Kestrel")
		j := strings.Index(text, "acquisition") + len("acquisition")
		return []redactors.Edit{{Part: 0, Start: i, End: j, Replacement: "REDACTED – PRIVILEGED"}}
	}, "")
	text := out.parts[0].Text
	if strings.Count(text, "[1]") != 3 || !strings.Contains(text, "[1] REDACTED – PRIVILEGED") {
		t.Errorf("keys: want [1] in each of two boxes and in the key list: %q", text)
	}
	for _, gone := range []string{"Kestrel", "acquisition"} {
		if strings.Contains(text, gone) {
			t.Errorf("%q survives: %q", gone, text)
		}
	}
	key, body := bounds(t, out, "[1] REDACTED"), bounds(t, out, "was discussed")
	if key.intersects(body) || key.x0 < 36 || key.y0 < 36 {
		t.Errorf("key list %+v meets the text %+v or leaves the margin", key, body)
	}
	// No glyph on the page is smaller than LabelMinSize (the text is
	// 11 pt, the Bates number 9).
	pm := out.models[0]
	for k := range pm.text.glyphs {
		g := &pm.text.glyphs[k]
		if size := math.Hypot(float64(g.ey[0]), float64(g.ey[1])); size < LabelMinSize-0.01 {
			t.Errorf("a glyph at %.1f pt: %q", size, pm.text.b.String()[g.start:g.end])
		}
	}
}

// The label font is a valid TrueType subset: every glyph id stays, the
// glyphs drawn keep their outlines, the rest are empty.
func TestSubsetTrueType(t *testing.T) {
	full, err := sfnt.Parse(gobold.TTF)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	keep := map[uint16]bool{}
	for _, r := range "[1] REDACTED" {
		g, _ := full.GlyphIndex(&buf, r)
		keep[uint16(g)] = true
	}
	sub, err := subsetTrueType(gobold.TTF, keep)
	if err != nil {
		t.Fatal(err)
	}
	f, err := sfnt.Parse(sub)
	if err != nil {
		t.Fatalf("the subset does not parse: %v", err)
	}
	if f.NumGlyphs() != full.NumGlyphs() || len(sub) > len(gobold.TTF)/4 {
		t.Errorf("subset: %d glyphs of %d, %d bytes of %d", f.NumGlyphs(), full.NumGlyphs(), len(sub), len(gobold.TTF))
	}
	gR, _ := f.GlyphIndex(&buf, 'R')
	segs, err := f.LoadGlyph(&buf, gR, 2048<<6, nil)
	if err != nil || len(segs) == 0 {
		t.Errorf("R lost its outline: %v", err)
	}
	gZ, _ := f.GlyphIndex(&buf, 'Z')
	if segs, _ := f.LoadGlyph(&buf, gZ, 2048<<6, nil); len(segs) != 0 {
		t.Errorf("Z kept its outline in the subset")
	}
	if checksum(sub) != 0xB1B0AFBA {
		t.Errorf("font checksum %#x, want 0xB1B0AFBA", checksum(sub))
	}
}

// On a slide (a page smaller than Letter) whose text fills the area inside
// the 0.5 in margin, the Bates number goes inside the margin the slide has
// printed fitted to Letter paper, clear of the text.
func TestStampSmallPage(t *testing.T) {
	var content strings.Builder
	for y := 40; y < 236; y += 12 {
		fmt.Fprintf(&content, "BT /F1 11 Tf 30 %d Td (%s) Tj ET ", y, strings.Repeat("slide text ", 6))
	}
	b := &builder{}
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	b.add("")
	f := b.add(helvFont)
	cs := b.add(stream("", []byte(content.String()), false))
	p := b.add(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 362 272] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>", cs, f))
	b.set(2, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", p))
	d := stamped(t, b.bytes(""), nil, "bottom-right")
	r := bounds(t, d, "ACME000042")
	fm := 36 / (612.0 / 362)
	if r.y0 < fm-0.5 || r.y1 > 40 || r.x0 < fm-0.5 || r.x1 > 362-fm+0.5 {
		t.Errorf("stamp at %+v, want inside the fitted margin %.1f below the text", r, fm)
	}
}
