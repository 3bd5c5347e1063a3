package images

import (
	"sort"

	"github.com/veilhq/veil/redactors"
)

// KeptAt tells which input words stand where some text of an output is:
// for the bytes [start,end) of the text of part i of out (a parse of the
// output the last Redact of d wrote), the spans of the input part's text
// of the words the input's OCR read at the place of every output word
// that text touches, and Redact kept (they touch no blanked region). The
// place alone decides, not the spelling: OCR may read a kept word
// otherwise in the output than in the input ("Born" as "Bon") when a box
// stands beside it, since Tesseract's line analysis takes the box in,
// and a detector may flag the output's reading. An output word is at an
// input word's place when their boxes overlap by half the smaller box at
// least, and the output word lies on such input words by half its own box
// at least. ok is false when some output word of the text is at no kept
// input word's place (a box's label or edge, a misread of blanked ink):
// the text is not the input's, and nothing in the input can be redacted
// for it. The spans are in text order, without repeats.
//
// For the pipeline (engine.apply): a finding of verification's
// re-detection in such text is redacted by redacting those input words
// too, and the new output is verified again in full.
func (d *Document) KeptAt(out redactors.Document, i, start, end int) (spans [][2]int, ok bool) {
	od, isDoc := out.(*Document)
	if !isDoc || i < 0 || i >= len(d.pages) || i >= len(od.pages) || start >= end {
		return nil, false
	}
	t := od.pages[i].text
	if start < 0 || end > len(t.String) {
		return nil, false
	}
	in := d.pages[i]
	seen := map[[2]int]bool{}
	n := 0
	for _, w := range t.Words {
		if w.Start >= end || w.End <= start || w.Box.Empty() {
			continue
		}
		n++
		hit, on := false, 0
		for _, k := range in.text.Words {
			if k.Box.Empty() || touches(k.Box, in.blanked, 0) {
				continue
			}
			ov := w.Box.Intersect(k.Box)
			a := min(w.Box.Dx()*w.Box.Dy(), k.Box.Dx()*k.Box.Dy())
			if ov.Empty() || ov.Dx()*ov.Dy()*2 < a {
				continue
			}
			hit, on = true, on+ov.Dx()*ov.Dy()
			if sp := [2]int{k.Start, k.End}; !seen[sp] {
				seen[sp] = true
				spans = append(spans, sp)
			}
		}
		if !hit || on*2 < w.Box.Dx()*w.Box.Dy() {
			return nil, false
		}
	}
	if n == 0 {
		return nil, false
	}
	sort.Slice(spans, func(a, b int) bool { return spans[a][0] < spans[b][0] })
	return spans, true
}
