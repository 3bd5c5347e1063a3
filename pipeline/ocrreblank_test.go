package pipeline

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
)

// A finding verification re-detects in the OCR reading of an image's
// output, at the place of a word the input kept (a word OCR reads
// otherwise beside a box), is redacted by blanking that input word:
// redactOCRLeftover adds the edit, its change (offsets of the later
// changes shifted, as the output's text now reads) and a note, and the
// new output, verified in full by apply, no longer shows the word. A
// leftover where no kept input word stands (a box's label), or of
// another kind, changes nothing. Real Tesseract reads a drawn page of an
// invented person; the leftover is made by hand, since Tesseract's
// misreads beside a box cannot be called up on purpose.
func TestOCRLeftoverBlanked(t *testing.T) {
	ocrtest.Require(t)
	s := ocrtest.NewSheet(8.5, 4, 200)
	s.Line(72, 72, ocrtest.Style{Size: 14, Bold: true}, "Declaration of witness")
	s.Line(72, 110, ocrtest.Style{Size: 12}, "Signed: Tamsin Everard")
	s.Line(72, 150, ocrtest.Style{Size: 12}, "Received")
	s.Line(72, 190, ocrtest.Style{Size: 12}, "Tel. (617) 555-0143")
	var img bytes.Buffer
	if err := png.Encode(&img, s.Img); err != nil {
		t.Fatal(err)
	}
	e, d := planScan(t, "research", "scan.png", img.Bytes(), "ocr leftover test key, not a secret")
	p := e.profile
	ctx := context.Background()
	if len(d.parts) != 1 {
		t.Fatalf("analyze: %d parts", len(d.parts))
	}
	in := d.parts[0].Text
	ws, we := strings.Index(in, "Received"), strings.Index(in, "Received")+len("Received")
	if ws < 0 || len(d.edits) < 2 || len(d.changes) != len(d.edits) {
		t.Fatalf("the plan does not blank the name and the number and keep the word (%d edits)", len(d.edits))
	}
	for _, ed := range d.edits {
		if ed.Start < we && ed.End > ws {
			t.Fatalf("the plan blanks the kept word")
		}
	}
	var out bytes.Buffer
	if err := redactors.Redact(ctx, d.doc, &out, d.edits); err != nil {
		t.Fatal(err)
	}
	od, err := redactors.Parse(ctx, d.format, out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	read := od.Parts()[0].Text
	at := strings.Index(read, "Received")
	if at < 0 {
		t.Fatalf("OCR of the output does not read the kept word")
	}
	leftover := func(start, end int, kind LeftoverKind) Leftover {
		return Leftover{Part: "page 1", Page: 1, Start: start, End: end, Entity: ner.Location, Rule: "model/location", Kind: kind, input: 0, ocr: true}
	}
	n := len(d.edits)
	// The label of the name's box is no input word.
	lbl := strings.Index(read, "PERSON")
	if lbl < 0 {
		t.Fatalf("OCR of the output does not read the pseudonym drawn in the box")
	}
	if d.redactOCRLeftover(p, od, leftover(lbl, lbl+len("PERSON"), Redetected)) || len(d.edits) != n {
		t.Errorf("a leftover on a box's label is redacted again")
	}
	if d.redactOCRLeftover(p, od, leftover(at, at+len("Received"), RemovedValue)) || len(d.edits) != n {
		t.Errorf("a removed value found again is taken for a word read otherwise")
	}
	// Spans that overlap one another (no contract of KeptAt forbids it)
	// are refused before any edit is added, so d is left as it was.
	kept := d.doc
	d.doc = overlapPlacer{kept, [][2]int{{ws, we}, {ws + 2, we}}}
	if d.redactOCRLeftover(p, od, leftover(at, at+len("Received"), Redetected)) || len(d.edits) != n || len(d.changes) != n || len(d.sources) != n {
		t.Errorf("overlapping spans: %d edits, %d changes, %d sources, want %d each, unchanged", len(d.edits), len(d.changes), len(d.sources), n)
	}
	d.doc = kept
	var phone int // the change of the number after the word, in the output's text
	for k, ed := range d.edits {
		if ed.Start > we {
			phone = d.changes[k].Start
			break
		}
	}
	if !d.redactOCRLeftover(p, od, leftover(at, at+len("Received"), Redetected)) {
		t.Fatalf("the leftover at the kept word's place is not redacted")
	}
	if len(d.edits) != n+1 || len(d.changes) != n+1 || len(d.sources) != n+1 {
		t.Fatalf("%d edits, %d changes, %d sources, want %d each", len(d.edits), len(d.changes), len(d.sources), n+1)
	}
	if err := redactors.CheckEdits(d.parts, d.edits); err != nil {
		t.Fatalf("the edits: %v", err)
	}
	added := -1
	for k, ed := range d.edits {
		if ed.Start == ws && ed.End == we {
			added = k
		}
	}
	if added < 0 || d.edits[added].Replacement != "" || d.changes[added].Action != string(profiles.Drop) || d.changes[added].Entity != string(ner.Location) {
		t.Fatalf("no blank edit of the kept word: %+v", d.edits)
	}
	if got := d.changes[added+1].Start; got != phone-(we-ws) {
		t.Errorf("the next change starts at %d, want %d (shifted by the word removed)", got, phone-(we-ws))
	}
	if d.redactOCRLeftover(p, od, leftover(at, at+len("Received"), Redetected)) {
		t.Errorf("the word, already edited, is redacted again")
	}
	written, err := e.apply(ctx, d)
	if err != nil {
		t.Fatalf("the output with the word blanked fails verification: %v", err)
	}
	od2, err := redactors.Parse(ctx, d.format, written)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(od2.Parts()[0].Text, "Received") {
		t.Errorf("the output still shows the word")
	}
	if !strings.Contains(strings.Join(d.notes, "\n"), "LOCATION") {
		t.Errorf("no note says the word was blanked: %q", d.notes)
	}
}

// overlapPlacer is a Document whose KeptAt gives fixed spans.
type overlapPlacer struct {
	redactors.Document
	spans [][2]int
}

func (o overlapPlacer) KeptAt(redactors.Document, int, int, int) ([][2]int, bool) {
	return o.spans, true
}
