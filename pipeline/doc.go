package pipeline

import (
	"crypto/sha256"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/redactors"
)

// Doc is a document between the stages: Analyze fills the first group of
// fields, Plan the second, Apply reads both. A Doc belongs to one stage
// at a time.
type Doc struct {
	SourceKey string // the input's key in the source
	Size      int64

	// set by Analyze
	// sum fingerprints the input, to tell a sanitised file (metadata
	// removed, tracked changes accepted) from one written unchanged.
	sum    [sha256.Size]byte
	format redactors.Format
	doc    redactors.Document
	parts  []redactors.Part
	found  [][]ner.Finding // resolved findings per part, redacting entities only
	// nameFs are the findings in SourceKey (ner/filename).
	nameFs []ner.Finding
	// date is the document's date for the privilege log (docdate.go).
	date string
	// clients and minors are the role cues of each part (ner/roles),
	// read here rather than in the serial plan: the indices in found of
	// the person findings introduced as the client, and of those a
	// minor cue refers to. cued says they were read.
	clients, minors [][]int
	cued            bool
	err             error // why the file cannot be written, if it cannot

	// set by Plan
	counts    map[string]int // findings per entity, changed or not
	outputKey string
	edits     []redactors.Edit
	changes   []report.Change
	// removed are the values the output must not hold again (every
	// removed value, and the identifying words of removed names), with
	// the entity of each; denyTerms the deny-list terms, which verify
	// also searches where the text does not show them (raw content).
	removed       []ner.Phrase
	removedEntity []ner.Entity
	denyTerms     []ner.Phrase
	repls         []string // the replacement texts written, longest first
	bates         []string // production number of each page
	// convertedFrom names the format d was read in when Plan converted
	// it to PDF pages (convert.go); notes are that format's notes, and
	// strict says that verification may excuse nothing as a context
	// artefact (the PDF was never detected on).
	convertedFrom string
	notes         []string
	strict        bool
	// converting is the time the conversion took, which the file's
	// budget does not count (office.Timeout bounds it): the budget bounds
	// Veil's own work, and a file numbered and then refused for it would
	// leave a gap in the Bates numbers.
	converting time.Duration
	// place is where d goes in a production volume (production.go), and
	// outText its text as verification read it back; set by Plan and
	// Apply.
	place   *placement
	outText []byte
	// sources are the findings behind each edit, kept the findings the
	// profile leaves in place and what else could still identify someone
	// (residual.go): the review page shows both (review.go), the report
	// the latter;
	// decided is what a reviewer's decisions did (decisions.go), nil
	// without decisions.
	sources []ner.Finding
	kept    []partFinding
	decided *docOutcome
	// residualsIn is what the could-still-identify review reads, set
	// by Plan and read by keepResiduals (nil: nothing to do).
	residualsIn *residualInput
}

// residualInput is what the could-still-identify review of a document
// reads (residual.go): the texts of its parts and the spans of each
// part's edits, as Plan left them.
type residualInput struct {
	texts []string
	spans [][][2]int
}

// keepResiduals adds what the parts still say that could identify
// someone (residuals) to d.kept, after the findings the plan kept, once.
// Plan leaves it to the stage after it: the plan stage is serial and
// every worker waits for it, while residuals depend on the texts and the
// edits only, and Apply (parallel) and the review's proposal call it.
func (d *Doc) keepResiduals() {
	in := d.residualsIn
	if in == nil {
		return
	}
	d.residualsIn = nil
	for i, text := range in.texts {
		for _, f := range residuals(text, in.spans[i]) {
			d.kept = append(d.kept, partFinding{Part: i, Finding: f})
		}
	}
}

// partFinding is a finding in one part of a document.
type partFinding struct {
	Part int
	ner.Finding
}

// Failed returns the reason the document cannot be written, or nil.
func (d *Doc) Failed() error { return d.err }

// OutputKey returns the output key chosen by Plan.
func (d *Doc) OutputKey() string { return d.outputKey }

// removedEntityOf returns the entity of the redacted value behind removed
// phrase i.
func (d *Doc) removedEntityOf(i int) ner.Entity {
	if i < len(d.removedEntity) {
		return d.removedEntity[i]
	}
	return ner.Person
}

// verifyInput returns what verifying the output of d knows of its input.
func (d *Doc) verifyInput() *verifyInput {
	removed := append(append([]ner.Phrase(nil), d.removed...), d.denyTerms...)
	removed = append(removed, gluedForms(removed)...)
	if d.strict {
		return &verifyInput{doc: d.doc, edits: d.edits, replacements: d.repls, removed: removed}
	}
	return &verifyInput{
		doc:          d.doc,
		parts:        d.parts,
		found:        d.found,
		edits:        d.edits,
		replacements: d.repls,
		removed:      removed,
		decided:      d.decided,
	}
}

// gluedForms returns, for every phrase of two words or more made of
// letters, its words written together ("orsolyaquillanby": a style id, a
// bookmark, a user or host name glues a name so), and for two words, in
// the other order too ("quillanbyorsolya"), when that is 8 letters or more.
// Verify refuses an output that keeps one of a removed value or a
// deny-list term: the detectors and the deny list read words, and the red
// team of issue 13 had a deny-listed name written out as a DOCX style id.
func gluedForms(phrases []ner.Phrase) []ner.Phrase {
	var out []ner.Phrase
	seen := map[string]bool{}
	add := func(k string) {
		if utf8.RuneCountInString(k) >= 8 && !seen[k] {
			seen[k] = true
			out = append(out, ner.Phrase{Keys: []string{k}})
		}
	}
	for _, ph := range phrases {
		if len(ph.Keys) < 2 || !allLetters(ph.Keys) {
			continue
		}
		add(strings.Join(ph.Keys, ""))
		if len(ph.Keys) == 2 {
			add(ph.Keys[1] + ph.Keys[0])
		}
	}
	return out
}

func allLetters(keys []string) bool {
	for _, k := range keys {
		if k == "" {
			return false
		}
		for _, r := range k {
			if !unicode.IsLetter(r) {
				return false
			}
		}
	}
	return true
}

// scrub replaces the source key, its file name and the file name without
// its extension in an error message with their redacted forms. Errors
// are built to carry no key; this is the second line of defence for an
// error text from the OS or a library that names the file anyway.
func (d *Doc) scrub(msg string) string {
	if d.outputKey == d.SourceKey || d.outputKey == "" {
		return msg
	}
	base, outBase := path.Base(d.SourceKey), path.Base(d.outputKey)
	stem, outStem := strings.TrimSuffix(base, path.Ext(base)), strings.TrimSuffix(outBase, path.Ext(outBase))
	msg = strings.ReplaceAll(msg, d.SourceKey, d.outputKey)
	msg = strings.ReplaceAll(msg, base, outBase)
	if stem != "" {
		msg = strings.ReplaceAll(msg, stem, outStem)
	}
	return msg
}
