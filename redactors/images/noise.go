package images

import (
	"image"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr"
)

// OCR noise. The verify step parses an output again, and the OCR of that
// parse reads the boxes Redact drew: their labels, misread ("PERSON-e55b"
// as "PERS0N-€SSb"), slivers of blanked glyphs or the box's own edge as
// letters, and a box merged with the word beside it into one misread
// word ("Patient: ████" as "eeevitsla"). Maximum-recall detection takes
// such strings for unknown names, and the file would be refused for them
// although the value is gone.
//
// What OCR reads where Redact blanked is not the document's: the letters
// of an output word that fall on a blanked region (grown up and down by a
// quarter of its height for the box's edge) are noise, placed by spreading the
// word's letters evenly over its box. The rest of a word that touches a
// region, or that stands within half a region's height of one, is read by
// verify when it
//
//   - holds a digit or an '@' (a number, a date, an address: never noise);
//   - or is three letters or more that read as the text the input's OCR
//     found at that place and Redact kept (ocr.Fuzzy, a quarter of the
//     letters may differ; or, for a word read whole, the input's word in
//     the same box one edit away, as rereadOf aligns them): a real word
//     next to a box, a name the plan left, is judged like any other text;
//
// and is noise otherwise: a fragment of one or two letters, or letters
// that match nothing the input showed there (the box's edge, misread).
// Words farther from every region are read whole, at any confidence: the
// input showed the same pixels to analysis.

// OCRNoise returns the byte spans of the text of part i of out, a parse of
// the output the last Redact of d wrote, that are OCR noise (see above),
// in order. out must be a Document of this format read from that output;
// otherwise, or before Redact, it returns nil (nothing is noise).
func (d *Document) OCRNoise(out redactors.Document, part int) [][2]int {
	od, ok := out.(*Document)
	if !ok || part < 0 || part >= len(d.pages) || part >= len(od.pages) {
		return nil
	}
	in := d.pages[part]
	if len(in.blanked) == 0 {
		return nil
	}
	var kept []ocr.Word // what the input read and Redact kept
	for _, w := range in.text.Words {
		if !touches(w.Box, in.blanked, 0) {
			kept = append(kept, w.Word)
		}
	}
	return noiseSpans(od.pages[part].text, in.blanked, kept)
}

// noiseSpans returns the spans of t (an output page's OCR text) that are
// noise around regs (the regions blanked on that page), given the words
// the input's OCR read there outside them.
func noiseSpans(t ocr.Text, regs []region, kept []ocr.Word) [][2]int {
	var out [][2]int
	for _, w := range t.Words {
		out = append(out, wordNoise(w, regs, kept)...)
	}
	return out
}

// touches reports whether box overlaps a region grown by frac of its
// height on every side.
func touches(box image.Rectangle, regs []region, frac float64) bool {
	for _, r := range regs {
		g := int(frac * float64(r.rect.Dy()))
		if box.Overlaps(r.rect.Inset(-g)) {
			return true
		}
	}
	return false
}

// wordNoise returns the noise spans of one placed output word.
func wordNoise(w ocr.Placed, regs []region, kept []ocr.Word) [][2]int {
	box := w.Box
	if box.Empty() || !touches(box, regs, nearRegion) {
		return nil
	}
	text := w.Text
	n := utf8.RuneCountInString(text)
	if n == 0 {
		return nil
	}
	// Each rune's share of the box, and whether it falls on a region.
	type piece struct {
		start, end int // bytes in text
		x0, x1     int // pixels
		on         bool
	}
	pieces := make([]piece, 0, n)
	k := 0
	for i, r := range text {
		x0 := box.Min.X + k*box.Dx()/n
		x1 := box.Min.X + (k+1)*box.Dx()/n
		cx := (x0 + x1) / 2
		on := false
		for _, rg := range regs {
			g := rg.rect.Dy() / 4
			gr := image.Rect(rg.rect.Min.X, rg.rect.Min.Y-g, rg.rect.Max.X, rg.rect.Max.Y+g)
			ov := min(box.Max.Y, gr.Max.Y) - max(box.Min.Y, gr.Min.Y)
			if ov*2 >= box.Dy() && cx >= gr.Min.X && cx < gr.Max.X {
				on = true
				break
			}
		}
		pieces = append(pieces, piece{start: i, end: i + utf8.RuneLen(r), x0: x0, x1: x1, on: on})
		k++
	}
	var rest strings.Builder
	restBox := image.Rectangle{}
	for _, p := range pieces {
		if !p.on {
			rest.WriteString(text[p.start:p.end])
			restBox = restBox.Union(image.Rect(p.x0, box.Min.Y, max(p.x1, p.x0+1), box.Max.Y))
		}
	}
	whole := [][2]int{{w.Start, w.End}}
	r := rest.String()
	if r == "" {
		return whole
	}
	if !identifierShaped(r) && (alnums(r) < 3 || !readsAs(r, restBox, kept)) {
		return whole
	}
	// Only the letters on a region are noise.
	var out [][2]int
	for _, p := range pieces {
		if !p.on {
			continue
		}
		if n := len(out); n > 0 && out[n-1][1] == w.Start+p.start {
			out[n-1][1] = w.Start + p.end
			continue
		}
		out = append(out, [2]int{w.Start + p.start, w.Start + p.end})
	}
	return out
}

// readsAs reports whether s, read at box on an output page, is (within
// ocr's misread tolerance) part of what the input's OCR read at that
// place: the words of kept that overlap box across and share most of its
// height.
func readsAs(s string, box image.Rectangle, kept []ocr.Word) bool {
	var there []string
	for _, w := range kept {
		ov := min(box.Max.Y, w.Box.Max.Y) - max(box.Min.Y, w.Box.Min.Y)
		if w.Box.Min.X < box.Max.X && box.Min.X < w.Box.Max.X && ov*2 >= min(box.Dy(), w.Box.Dy()) {
			there = append(there, w.Text)
		}
	}
	if len(there) == 0 {
		return false
	}
	if len(ocr.NewFuzzy([]string{s}, 0.25).Find(there)) > 0 {
		return true
	}
	// A short word read again with one letter changed (rereadOf's
	// place and edit rule, without its distance from the regions: here
	// a match makes verify read the word, it excuses nothing).
	for _, w := range kept {
		if aligned(box, w.Box) && ocr.OneEdit(s, w.Text) {
			return true
		}
	}
	return false
}

// One word read again. Away from the regions Redact blanked, an output's
// pixels are the input's, and OCR reads them again as the input's OCR
// did, but for a letter here and there: a short word comes back with one
// letter changed ("Home" as "Hone"), which ocr.Fuzzy, exact under
// ocr.MinFuzzyLen, does not take for the word, and maximum recall may
// take for a name. An output word w is the input word k read again when
//
//   - w's box is k's within a quarter of k's height (at least
//     alignSlack pixels) on every side, and no other input word's box is
//     (the place decides, not the spelling: a kept word elsewhere on the
//     page that spells like w says nothing of w);
//   - w and k stand clear of every blanked region (touches, grown by
//     nearRegion of its height): next to a box the output's pixels are
//     not the input's, and a word there is judged by OCRNoise;
//   - and the two are one edit apart at most (ocr.OneEdit: three letters
//     or more each).
//
// The caller (verify) still refuses the word when analysis flagged k: a
// value the plan left is refused however OCR reads it again.
func rereadOf(w ocr.Word, in []ocr.Placed, blanked []region) (ocr.Placed, bool) {
	var found ocr.Placed
	n := 0
	for _, k := range in {
		if aligned(w.Box, k.Box) {
			found = k
			n++
		}
	}
	if n != 1 || touches(w.Box, blanked, nearRegion) || touches(found.Box, blanked, nearRegion) || !ocr.OneEdit(w.Text, found.Text) {
		return ocr.Placed{}, false
	}
	return found, true
}

// nearRegion is how far, as a share of a region's height, a word is next
// to it (OCRNoise reads the words within it for noise).
const nearRegion = 0.5

// alignSlack is the least slack, in pixels, between the boxes of one word
// read twice (aligned).
const alignSlack = 2

// aligned reports whether box a is box b read again: every side within a
// quarter of b's height, and at least alignSlack pixels.
func aligned(a, b image.Rectangle) bool {
	tol := max(alignSlack, b.Dy()/4)
	d := func(x, y int) bool { return x-y <= tol && y-x <= tol }
	return !a.Empty() && !b.Empty() && d(a.Min.X, b.Min.X) && d(a.Max.X, b.Max.X) && d(a.Min.Y, b.Min.Y) && d(a.Max.Y, b.Max.Y)
}

// identifierShaped reports whether s holds a digit or an '@': what a
// number, a date or an address is made of, never taken for noise.
func identifierShaped(s string) bool {
	return strings.ContainsRune(s, '@') || strings.IndexFunc(s, unicode.IsDigit) >= 0
}

// alnums counts the letters and digits of s.
func alnums(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// OCRSource tells where text of an output stands in the input: for the
// bytes [start,end) of the text of part i of out (a parse of the output
// the last Redact of d wrote), the spans of the input part's text of the
// words the input's OCR read at that place and Redact kept, when the text
// reads as them (ocr.Fuzzy, a quarter of the letters may differ), or is
// one word that is one of them read again with a letter changed
// (rereadOf); ok is false when it reads as nothing the input kept there. Verify judges a
// finding in an OCR re-reading by what analysis found in those spans:
// the output's own offsets say nothing about the input's.
func (d *Document) OCRSource(out redactors.Document, part, start, end int) (spans [][2]int, ok bool) {
	od, isDoc := out.(*Document)
	if !isDoc || part < 0 || part >= len(d.pages) || part >= len(od.pages) || start >= end {
		return nil, false
	}
	t := od.pages[part].text
	if start < 0 || end > len(t.String) {
		return nil, false
	}
	box := image.Rectangle{}
	for _, w := range t.Words {
		if w.Start < end && w.End > start {
			box = box.Union(w.Box)
		}
	}
	if box.Empty() {
		return nil, false
	}
	in := d.pages[part]
	var there []ocr.Placed
	for _, w := range in.text.Words {
		if touches(w.Box, in.blanked, 0) {
			continue
		}
		ov := min(box.Max.Y, w.Box.Max.Y) - max(box.Min.Y, w.Box.Min.Y)
		if w.Box.Min.X < box.Max.X && box.Min.X < w.Box.Max.X && ov*2 >= min(box.Dy(), w.Box.Dy()) {
			there = append(there, w)
		}
	}
	if len(there) == 0 {
		return nil, false
	}
	texts := make([]string, len(there))
	for i, w := range there {
		texts[i] = w.Text
	}
	ms := ocr.NewFuzzy([]string{t.String[start:end]}, 0.25).Find(texts)
	if len(ms) == 0 {
		// A short word read again with one letter changed (see
		// rereadOf): the text lies in one output word only.
		var one []ocr.Placed
		for _, w := range t.Words {
			if w.Start < end && w.End > start {
				one = append(one, w)
			}
		}
		if len(one) != 1 {
			return nil, false
		}
		k, ok := rereadOf(one[0].Word, in.text.Words, in.blanked)
		if !ok {
			return nil, false
		}
		return [][2]int{{k.Start, k.End}}, true
	}
	for _, m := range ms {
		for _, w := range there[m.First : m.Last+1] {
			spans = append(spans, [2]int{w.Start, w.End})
		}
	}
	return spans, true
}
