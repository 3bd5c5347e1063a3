package images

import (
	"context"
	"fmt"
	"image"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr"
)

// The noise rule on words placed by hand: a box at x 100–300 on the line
// y 100–130, and the words the input's OCR read and Redact kept.
func TestNoiseSpans(t *testing.T) {
	regs := []region{{rect: image.Rect(100, 100, 300, 130), label: "[REDACTED]"}}
	kept := []ocr.Word{
		{Text: "Patient:", Box: image.Rect(10, 102, 90, 128), Conf: 95},
		{Text: "Quillanby", Box: image.Rect(310, 102, 400, 128), Conf: 95},
		{Text: "reports", Box: image.Rect(10, 302, 90, 328), Conf: 95},
		{Text: "Vane", Box: image.Rect(120, 134, 180, 160), Conf: 95},
	}
	for _, c := range []struct {
		name, text string
		box        image.Rectangle
		conf       float64
		want       string // the word with its noise blanked
	}{
		{"label inside the box", "(NEDACTEL)", image.Rect(110, 104, 290, 126), 40, "          "},
		{"sliver at the box's edge", "fg", image.Rect(296, 104, 312, 126), 30, "  "},
		{"sliver under the box", "__", image.Rect(150, 128, 250, 136), 20, "  "},
		{"box merged with the name beside it", "BOuillanby", image.Rect(290, 102, 400, 128), 30, " Ouillanby"},
		{"box merged with a label word: letters match nothing kept", "eeevitslalea", image.Rect(10, 100, 300, 130), 20, "            "},
		{"a number beside the box", "48213377", image.Rect(310, 102, 400, 128), 20, "48213377"},
		{"an address beside the box", "ab@example.net", image.Rect(310, 102, 440, 128), 20, "ab@example.net"},
		{"the name beside the box, read well", "Quillanby", image.Rect(310, 102, 400, 128), 95, "Quillanby"},
		{"a misread far from any box", "Xq", image.Rect(10, 302, 40, 328), 10, "Xq"},
		{"a short word under the box, one letter changed", "Vine", image.Rect(120, 134, 180, 160), 90, "Vine"},
		{"a short word under the box, two letters changed", "Vino", image.Rect(120, 134, 180, 160), 90, "    "},
	} {
		tx := ocr.Text{String: c.text, Words: []ocr.Placed{{Start: 0, End: len(c.text), Word: ocr.Word{Text: c.text, Box: c.box, Conf: c.conf}}}}
		b := []byte(c.text)
		for _, sp := range noiseSpans(tx, regs, kept) {
			for k := sp[0]; k < sp[1]; k++ {
				b[k] = ' '
			}
		}
		if got := string(b); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	// Without a box nothing is noise.
	tx := ocr.Text{String: "fg", Words: []ocr.Placed{{Start: 0, End: 2, Word: ocr.Word{Text: "fg", Box: image.Rect(296, 104, 312, 126)}}}}
	if sp := noiseSpans(tx, nil, kept); len(sp) != 0 || strings.TrimSpace(tx.String) == "" {
		t.Errorf("no regions: %v", sp)
	}
}

// An OCR reading of an output that fails says why in a reason of
// redactors, never as an error without one (reported as "internal
// error"): a budget run out under load is too_slow.
func TestVerifyErrReasons(t *testing.T) {
	for _, c := range []struct {
		err  error
		want *redactors.Reason
	}{
		{fmt.Errorf("%w (1m0s)", ocr.ErrTimeout), redactors.ErrTooSlow},
		{fmt.Errorf("%w: tesseract: killed", ocr.ErrFailed), redactors.ErrUninspectable},
		{ocr.ErrUnavailable, redactors.ErrNoText},
		{context.Canceled, redactors.ErrUninspectable},
	} {
		if got := redactors.ReasonOf(verifyErr(c.err)); got != c.want {
			t.Errorf("verifyErr(%v): reason %s, want %s", c.err, got.Code, c.want.Code)
		}
	}
}

// placedText lays words out as one OCR text, separated by spaces.
func placedText(ws ...ocr.Word) ocr.Text {
	var t ocr.Text
	for _, w := range ws {
		if t.String != "" {
			t.String += " "
		}
		t.Words = append(t.Words, ocr.Placed{Start: len(t.String), End: len(t.String) + len(w.Text), Word: w})
		t.String += w.Text
	}
	return t
}

// OCRSource takes a short word of the output that the input's OCR read at
// the same place, one letter apart, for that word read again (rereadOf),
// and nothing else: not a word in another place, not a word next to a
// blanked region, not two letters changed, not a two-letter word.
// Words placed by hand: a region blanked at x 100–300 on the line
// y 100–130; "Home" kept far from it at y 300, "Ward" kept beside it.
func TestOCRSourceRereads(t *testing.T) {
	regs := []region{{rect: image.Rect(100, 100, 300, 130), label: "[REDACTED]"}}
	in := placedText(
		ocr.Word{Text: "Patient:", Box: image.Rect(10, 102, 90, 128), Conf: 95},
		ocr.Word{Text: "Ward", Box: image.Rect(310, 102, 370, 128), Conf: 95},
		ocr.Word{Text: "Home", Box: image.Rect(10, 302, 80, 328), Conf: 95},
		ocr.Word{Text: "visit", Box: image.Rect(90, 302, 150, 328), Conf: 95},
		ocr.Word{Text: "Dr", Box: image.Rect(10, 402, 40, 428), Conf: 95},
	)
	d := &Document{pages: []*page{{text: in, blanked: regs}}}
	for _, c := range []struct {
		name string
		word ocr.Word
		want string // the input word it is taken for, "" for none
	}{
		{"the same word, read the same", ocr.Word{Text: "Home", Box: image.Rect(10, 302, 80, 328)}, "Home"},
		{"one letter changed, same box", ocr.Word{Text: "Hone", Box: image.Rect(10, 302, 80, 328)}, "Home"},
		{"one letter changed, box a few pixels off", ocr.Word{Text: "Hone", Box: image.Rect(12, 300, 79, 329)}, "Home"},
		{"one letter changed, one line lower", ocr.Word{Text: "Hone", Box: image.Rect(10, 342, 80, 368)}, ""},
		{"one letter changed, the next word's place", ocr.Word{Text: "Hone", Box: image.Rect(90, 302, 150, 328)}, ""},
		{"two letters changed, same box", ocr.Word{Text: "Hane", Box: image.Rect(10, 302, 80, 328)}, ""},
		{"one letter changed, beside the blanked region", ocr.Word{Text: "Wand", Box: image.Rect(310, 102, 370, 128)}, ""},
		{"a two-letter word changed", ocr.Word{Text: "Di", Box: image.Rect(10, 402, 40, 428)}, ""},
	} {
		out := &Document{pages: []*page{{text: placedText(ocr.Word{Text: "Notes", Box: image.Rect(10, 10, 80, 36)}, c.word)}}}
		start := len("Notes ")
		spans, ok := d.OCRSource(out, 0, start, start+len(c.word.Text))
		got := ""
		if ok {
			for _, sp := range spans {
				got += in.String[sp[0]:sp[1]]
			}
		}
		if got != c.want {
			t.Errorf("%s: taken for %q, want %q", c.name, got, c.want)
		}
	}
}
