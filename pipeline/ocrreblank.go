package pipeline

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
)

// Words read otherwise beside a box. Verification parses an image's
// output again, and OCR reads it anew: a kept word next to a box Redact
// drew may come back spelt otherwise ("Born" before a blanked birth date
// read as "Bon"), since Tesseract's line analysis takes the box and its
// label in. The pixels are the input's, but the text is not what
// analysis detected on, and the model may flag the new reading (a
// LOCATION). Verification is right to refuse such an output: the text is
// what a reader's OCR finds in the file. So the first pass must redact
// what verification re-detects on the text it reads: engine.apply
// redacts the input words at the place of such a finding too (blanked
// without a label, one change each, a note on the file) and writes and
// verifies the output again, from the start and in full, up to ocrRounds
// times; a finding at no kept input word's place (a box's label or edge),
// or one left after the last round, refuses the file as before.

// ocrRounds is how many times an output is redacted again for what
// verification re-detected in its OCR reading (each round blanks more
// and reads the page anew).
const ocrRounds = 2

// ocrPlacer is an optional interface of input Documents whose output is
// read again by OCR (redactors/images): KeptAt returns the spans of the
// input part's text of the kept input words at the place of the bytes
// [start,end) of the text of part i of out, a parse of the output the
// last Redact wrote, ok false when some of that text stands where no
// kept input word does.
type ocrPlacer interface {
	KeptAt(out redactors.Document, i, start, end int) (spans [][2]int, ok bool)
}

// redactOCRLeftover adds to d's edits the input words at the place of l,
// a leftover verification re-detected in read (the parse of d's output)
// in an OCR re-reading of an input part, and reports whether it did; it
// does nothing (false) for any other leftover, for a document that is no
// ocrPlacer, or when those words are already edited.
func (d *Doc) redactOCRLeftover(p *profiles.Profile, read redactors.Document, l Leftover) bool {
	if l.Kind != Redetected || !l.ocr || l.input < 0 || l.input >= len(d.parts) || read == nil || d.strict {
		return false
	}
	if len(d.changes) != len(d.edits) || len(d.sources) != len(d.edits) {
		return false // the plan's records are not one per edit (a conversion)
	}
	kp, ok := d.doc.(ocrPlacer)
	if !ok {
		return false
	}
	i := l.input
	spans, ok := kp.KeptAt(read, i, l.Start, l.End)
	if !ok || len(spans) == 0 {
		return false
	}
	text := d.parts[i].Text
	// Neighbouring words make one edit.
	var runs [][2]int
	for _, sp := range spans {
		if sp[0] < 0 || sp[1] > len(text) || sp[0] >= sp[1] {
			return false
		}
		if n := len(runs); n > 0 && runs[n-1][1] <= sp[0] && strings.TrimSpace(text[runs[n-1][1]:sp[0]]) == "" {
			runs[n-1][1] = sp[1]
			continue
		}
		runs = append(runs, sp)
	}
	// Every check comes before the first insert, so that a false leaves
	// d as it was: the runs are in order and apart, and none overlaps an
	// edit. The insert loop then cannot meet an overlap (the edits before
	// a run's place end before it: the old ones by this check, the
	// inserted ones as earlier runs).
	for n := 1; n < len(runs); n++ {
		if runs[n][0] < runs[n-1][1] {
			return false
		}
	}
	for _, ed := range d.edits {
		for _, r := range runs {
			if ed.Part == i && ed.Start < r[1] && r[0] < ed.End {
				return false
			}
		}
	}
	rule := p.For(l.Entity)
	log := rule.LogText()
	for _, r := range runs {
		k := sort.Search(len(d.edits), func(k int) bool {
			e := d.edits[k]
			return e.Part > i || (e.Part == i && e.Start >= r[0])
		})
		delta := 0 // the shift of the edits of the part before it
		for _, e := range d.edits[:k] {
			if e.Part == i {
				delta += len(e.Replacement) - (e.End - e.Start)
			}
		}
		ed := redactors.Edit{Part: i, Start: r[0], End: r[1]}
		c := report.Change{
			Part: d.parts[i].Name, Page: d.parts[i].Page, Start: r[0] + delta, End: r[0] + delta,
			Entity: string(l.Entity), Rule: l.Rule, Action: string(profiles.Drop), Basis: rule.Basis,
			Category: log.Category, Reason: "blanked: OCR reads the word otherwise beside a box, and verification's re-detection flags that reading",
			Location: locate(d.doc, i, d.parts[i], r[0]),
		}
		if len(d.bates) == 1 {
			c.Bates = d.bates[0]
		} else if c.Page >= 1 && c.Page <= len(d.bates) {
			c.Bates = d.bates[c.Page-1]
		}
		for m := k; m < len(d.changes); m++ {
			if d.edits[m].Part == i {
				d.changes[m].Start -= r[1] - r[0]
				d.changes[m].End -= r[1] - r[0]
			}
		}
		d.edits = slices.Insert(d.edits, k, ed)
		d.sources = slices.Insert(d.sources, k, ner.Finding{Start: r[0], End: r[1], Entity: l.Entity, Rule: l.Rule})
		d.changes = slices.Insert(d.changes, k, c)
	}
	if d.counts == nil {
		d.counts = map[string]int{}
	}
	d.counts[string(l.Entity)]++
	words := "words"
	if len(spans) == 1 {
		words = "word"
	}
	d.notes = append(d.notes, fmt.Sprintf("%s: %d %s that OCR reads otherwise beside a box, where verification's re-detection flags %s, blanked too", l.Part, len(spans), words, l.Entity))
	return true
}
