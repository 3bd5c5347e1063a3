package images

import (
	"image"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr"
)

// KeptAt takes an output word for the kept input word at its place,
// however it is spelt ("Born" read as "Bon" beside the box of a birth
// date), and refuses text where no kept input word stands: a box's label,
// a blanked word's place, a word of another line. Words placed by hand:
// a region blanked at x 100–300 on the line y 100–130.
func TestKeptAtPlace(t *testing.T) {
	regs := []region{{rect: image.Rect(100, 100, 300, 130), label: "1959"}}
	in := placedText(
		ocr.Word{Text: "Born", Box: image.Rect(20, 102, 90, 128), Conf: 93},
		ocr.Word{Text: "05/28/1961", Box: image.Rect(110, 102, 290, 128), Conf: 95}, // blanked
		ocr.Word{Text: "Tel.", Box: image.Rect(20, 142, 70, 168), Conf: 95},
		ocr.Word{Text: "Harbour", Box: image.Rect(20, 182, 120, 208), Conf: 95},
		ocr.Word{Text: "Lane", Box: image.Rect(130, 182, 190, 208), Conf: 95},
	)
	d := &Document{pages: []*page{{text: in, blanked: regs}}}
	for _, c := range []struct {
		name  string
		words []ocr.Word
		want  []string // the input words it stands on, nil for none (ok false)
	}{
		{"a kept word read otherwise beside the box", []ocr.Word{{Text: "Bon", Box: image.Rect(22, 103, 88, 128)}}, []string{"Born"}},
		{"two kept words read as one", []ocr.Word{{Text: "HarbourLane", Box: image.Rect(20, 182, 190, 208)}}, []string{"Harbour", "Lane"}},
		{"two kept words read as two", []ocr.Word{{Text: "Harbor", Box: image.Rect(20, 182, 120, 208)}, {Text: "Lane", Box: image.Rect(130, 182, 190, 208)}}, []string{"Harbour", "Lane"}},
		{"the box's label", []ocr.Word{{Text: "1959", Box: image.Rect(110, 104, 160, 126)}}, nil},
		{"a word half on the box", []ocr.Word{{Text: "Bon1959", Box: image.Rect(20, 102, 240, 128)}}, nil},
		{"a word where nothing was read", []ocr.Word{{Text: "Bon", Box: image.Rect(20, 302, 90, 328)}}, nil},
		{"a kept word and the box's label", []ocr.Word{{Text: "Bon", Box: image.Rect(22, 103, 88, 128)}, {Text: "1959", Box: image.Rect(110, 104, 160, 126)}}, nil},
	} {
		out := &Document{pages: []*page{{text: placedText(append([]ocr.Word{{Text: "Notes", Box: image.Rect(10, 10, 80, 36)}}, c.words...)...)}}}
		start := len("Notes ")
		spans, ok := d.KeptAt(out, 0, start, len(out.pages[0].text.String))
		var got []string
		for _, sp := range spans {
			got = append(got, in.String[sp[0]:sp[1]])
		}
		if ok != (c.want != nil) || len(got) != len(c.want) {
			t.Errorf("%s: %q (ok %t), want %q", c.name, got, ok, c.want)
			continue
		}
		for k := range got {
			if got[k] != c.want[k] {
				t.Errorf("%s: %q, want %q", c.name, got, c.want)
			}
		}
	}
	// Out of range, another format, an empty span: nothing.
	out := &Document{pages: []*page{{text: placedText(ocr.Word{Text: "Bon", Box: image.Rect(22, 103, 88, 128)})}}}
	for _, c := range []struct {
		out           redactors.Document
		i, start, end int
	}{{out, 1, 0, 3}, {out, 0, 2, 2}, {out, 0, 0, 9}, {nil, 0, 0, 3}} {
		if sp, ok := d.KeptAt(c.out, c.i, c.start, c.end); ok || sp != nil {
			t.Errorf("KeptAt(%d, %d, %d): %v %t", c.i, c.start, c.end, sp, ok)
		}
	}
}

// A run of blanked words on one line takes the first label that is not
// empty: a word blanked without one (before a birth date) leaves the
// date's label ("1959") in the box.
func TestRegionLabelNotEmpty(t *testing.T) {
	words := placedText(
		ocr.Word{Text: "Born", Box: image.Rect(20, 102, 90, 128), Conf: 93},
		ocr.Word{Text: "05/28/1961", Box: image.Rect(100, 102, 290, 128), Conf: 95},
		ocr.Word{Text: "Tel.", Box: image.Rect(20, 142, 70, 168), Conf: 95},
	)
	for k := range words.Words {
		words.Words[k].Line = image.Rect(0, words.Words[k].Box.Min.Y, 400, words.Words[k].Box.Max.Y)
	}
	d := &Document{f: &Format{o: Options{Margin: 0.1, LowConf: 60}}}
	p := &page{text: words, bounds: image.Rect(0, 0, 400, 300)}
	regs, _ := d.regions(p, []redactors.Edit{{Start: 0, End: 4}, {Start: 5, End: 15, Replacement: "1961"}})
	if len(regs) != 1 || regs[0].label != "1961" {
		t.Fatalf("regions %+v, want one with the label 1961", regs)
	}
	regs, _ = d.regions(p, []redactors.Edit{{Start: 0, End: 4, Replacement: "[X]"}, {Start: 5, End: 15, Replacement: "1961"}})
	if len(regs) != 1 || regs[0].label != "[X]" {
		t.Fatalf("regions %+v, want one with the first label", regs)
	}
}
