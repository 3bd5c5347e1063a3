package pipeline

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/names"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/docx"
)

// verifier is the third stage's second half: it reads a redacted output
// again, with code that does not share the redactor's idea of where text
// lives (the format's parser over the output bytes, then a detection
// chain over every part), and reports what the profile would still
// change. One verifier serves both veil run, which refuses to write a file
// that fails (verifyOutput), and veil verify, which reports what released
// files hold (checkOutput): both run leftovers, with the same chain.
//
// The chain is the profile's whole detection chain, the one analysis runs
// (ner/chain.Set.Text: rules, name lists, deny lists, then the refiners:
// the statistical model's vote when NER is on, maximum recall), plus a
// search for every value the plan removed. It reads the output's Parts
// and, where the format has one, its independent reading
// (redactors.IndependentReader). A verifier is immutable and safe for
// concurrent use.
type verifier struct {
	profile *profiles.Profile
	chain   ner.Detector
	// rules are the chain's detectors without its refiners
	// (ner/chain.Set.Verify), for outputs seen alone: a refiner's finding
	// next to a replacement, which no rule makes, may be an artefact of
	// the replacement (see refinerArtefact). nil: every finding counts.
	rules  ner.Detector
	filter *findingFilter
	year   int
	// shapes blanks the replacement texts this profile writes (labels,
	// aliases, pseudonyms), for outputs seen without their input.
	shapes func(string) string
	// keys are the word keys of texts searched for removed values
	// (verifykeys.go).
	keys *keyCache
}

func newVerifier(p *profiles.Profile, chain ner.Detector, filter *findingFilter, year int) *verifier {
	return &verifier{profile: p, chain: chain, filter: filter, year: year, shapes: replacementMask(p), keys: &keyCache{}}
}

// withRules sets the verifier's rules (see verifier.rules) and returns v.
func (v *verifier) withRules(rules ner.Detector) *verifier {
	v.rules = rules
	return v
}

// verifyInput is what a run knows of the input of an output it verifies.
type verifyInput struct {
	doc   redactors.Document // the parsed input
	parts []redactors.Part
	found [][]ner.Finding // resolved findings per part (Doc.found)
	edits []redactors.Edit
	// replacements are the texts the plan wrote in place of values.
	replacements []string
	// removed are the values that must not be found again, in the text
	// or (for formats that can hide text there) the raw content.
	removed []ner.Phrase
	// decided is what a reviewer's decisions did (nil without): text
	// inside an occurrence of a value they kept is no leftover.
	decided *docOutcome
	kept    *ner.PhraseMatcher // of the values kept, built on first use
	// outEdits are the edits of each part in output coordinates, made on
	// first need by contextArtefact.
	outEdits [][]outEdit
	// byName is the input part of each name (inputPart, verifyparts.go).
	byName map[string]int
}

// outEdit is an edit seen from the output: its replacement spans
// [start,end) of the output, and after is the output offset minus the
// input offset after it (the sum of the length changes of the edits of
// its part up to it).
type outEdit struct{ start, end, after int }

// Leftover is an identifier found in a file that should already be redacted:
// the profile would still change it. It holds a location, never the value.
type Leftover struct {
	Part  string
	Page  int
	Start int
	End   int
	// Entity and Rule are those of the finding; empty for a removed
	// value found again.
	Entity ner.Entity
	Rule   string
	Kind   LeftoverKind
	// ocr is the guard of input: it is true only for a Redetected
	// leftover in a part that is an OCR re-reading of the input's
	// (ocrRead), and input is then the index of that input part. When
	// ocr is false, input means nothing (-1 where verify sets it, 0 in
	// a Leftover made elsewhere). For engine.apply (ocrreblank.go).
	input int
	ocr   bool
}

// LeftoverKind says how a leftover was found.
type LeftoverKind int

// The kinds of leftover. Outputs seen alone (veil verify) have only
// Redetected ones.
const (
	// Redetected: the verifier's chain finds it in the output's text.
	Redetected LeftoverKind = iota
	// RemovedValue: a value the plan removed is in the output's text
	// (Start and End are those of the first occurrence).
	RemovedValue
	// RawContent: a value the plan removed is in the file's raw content;
	// Part names the places the format reports.
	RawContent
)

// err returns the verification failure for l.
func (l Leftover) err() error {
	switch l.Kind {
	case RemovedValue:
		return fmt.Errorf("%w: a redacted value survives in %s", redactors.ErrVerify, l.Part)
	case RawContent:
		return fmt.Errorf("%w: a redacted value survives in the file's raw content (%s)", redactors.ErrVerify, l.Part)
	}
	return fmt.Errorf("%w: re-detection finds %s in %s", redactors.ErrVerify, l.Entity, l.Part)
}

// verifyOutput reads out, the output of a run for the input in, with
// format f, and returns an ErrVerify error for the first leftover: an
// output that does not parse again (unless every part was redacted away),
// that lost or gained pages, or that holds anything the profile would
// still change.
func (v *verifier) verifyOutput(ctx context.Context, f redactors.Format, out []byte, in *verifyInput) error {
	_, err := v.verifyRead(ctx, f, out, in)
	return err
}

// verifyRead is verifyOutput, and returns the document it read (nil when
// everything was redacted away).
func (v *verifier) verifyRead(ctx context.Context, f redactors.Format, out []byte, in *verifyInput) (redactors.Document, error) {
	doc, _, err := v.verifyLeft(ctx, f, out, in)
	if err != nil {
		return nil, err
	}
	return doc, nil
}

// verifyLeft is verifyRead, and returns with its error the document it
// read and the leftover that failed it (nil when something else did).
func (v *verifier) verifyLeft(ctx context.Context, f redactors.Format, out []byte, in *verifyInput) (redactors.Document, *Leftover, error) {
	doc, err := in.reparse(ctx, f, out)
	if err != nil {
		if errors.Is(err, redactors.ErrEmpty) && len(in.edits) > 0 {
			return nil, nil, nil // everything was redacted away; nothing can survive
		}
		return nil, nil, readFailure("output does not parse again", err)
	}
	left, err := v.leftovers(ctx, doc, out, in)
	if err != nil {
		return nil, nil, err
	}
	if len(left) > 0 {
		return doc, &left[0], left[0].err()
	}
	return doc, nil, nil
}

// reparser is a parsed input that parses the output written from it as
// its format's parser would, with the same result and errors, taking what
// it read already where the output holds it unchanged (redactors/docx: the
// inflated XML of entries copied byte for byte).
type reparser interface {
	Reparse(ctx context.Context, out []byte) (redactors.Document, error)
}

// reparse parses out, the output written from in's document, with f, or
// through the input document where it is a reparser and of format f.
func (in *verifyInput) reparse(ctx context.Context, f redactors.Format, out []byte) (redactors.Document, error) {
	if in != nil {
		if rp, ok := in.doc.(reparser); ok {
			if _, isDOCX := f.(docx.Format); isDOCX {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				return rp.Reparse(ctx, out)
			}
		}
	}
	return redactors.Parse(ctx, f, out)
}

// checkOutput reads data, a file released earlier, with format f, and
// returns every leftover in it. An error means the file cannot be read
// (its Reason says why).
func (v *verifier) checkOutput(ctx context.Context, f redactors.Format, data []byte) ([]Leftover, error) {
	doc, err := redactors.Parse(ctx, f, data)
	if err != nil {
		return nil, err
	}
	return v.leftovers(ctx, doc, data, nil)
}

// leftovers re-detects in every part of doc, the parse of out, with the
// verifier's chain, and returns what the profile would still change, in
// part order.
//
// With in (a run verifying its own output) it knows what was replaced:
// it blanks the replacements written, searches the text and the raw
// content for every removed value, checks that a paged document kept its
// page count, and takes a finding the detectors did not make in the input,
// in text the redaction left unchanged, for a context artefact (see
// contextArtefact); each finding is judged on its own, and it stops at the
// first leftover, which is enough to refuse the file.
//
// Without in (an output seen alone) it blanks the shapes of the profile's
// replacements, resolves overlapping findings, and does not count a value
// that the profile's action would leave as it is (a year, a month and
// year: the action's own output).
func (v *verifier) leftovers(ctx context.Context, doc redactors.Document, out []byte, in *verifyInput) ([]Leftover, error) {
	mask := v.shapes
	var removed *ner.PhraseMatcher
	if in != nil {
		// A paged format keeps every page.
		if s1, ok := in.doc.(redactors.Stamper); ok {
			if s2, ok := doc.(redactors.Stamper); ok && s1.PageCount() != s2.PageCount() {
				return nil, fmt.Errorf("%w: the output has %d pages, the input %d", redactors.ErrVerify, s2.PageCount(), s1.PageCount())
			}
		}
		mask = maskReplacements(in.replacements)
		removed = ner.NewPhraseMatcher(in.removed)
	}
	var scratch *profiles.Env // for outputs seen alone: aliases handed out here go nowhere
	if in == nil {
		scratch = &profiles.Env{Case: profiles.NewCase(), Year: v.year}
	}
	parts := doc.Parts()
	sameParts := in != nil && len(parts) == len(in.parts)
	read := make(map[string]bool, len(parts)) // part texts read, for the independent reading
	var found []Leftover
	for i, p := range parts {
		read[p.Text] = true
		masked := mask(p.Text)
		kept := in.keptSpans(masked)
		if removed != nil {
			if mt := outside(notEponyms(masked, removed.FindAll(masked)), kept); len(mt) > 0 {
				if j := in.inputPart(i, p.Name, sameParts); j >= 0 && j < len(in.found) && p.Text == redactors.Splice(in.parts[j].Text, redactors.EditsOf(in.edits, j)) {
					mt = in.notAcrossReplacements(j, p.Text, masked, removed, mt, kept)
				}
				if len(mt) > 0 {
					return []Leftover{{Part: p.Name, Page: p.Page, Start: mt[0].Start, End: mt[0].End, Kind: RemovedValue}}, nil
				}
			}
		}
		if columnKept(v.profile, p) {
			continue // the profile keeps the column (columns.go); removed values were searched for above
		}
		j := in.inputPart(i, p.Name, sameParts) // the input part it reads as, -1 for none
		if j >= 0 && j < len(in.found) {
			edits := redactors.EditsOf(in.edits, j)
			if p.Text == redactors.Splice(in.parts[j].Text, edits) {
				// The output reads as the input with the plan's edits:
				// the chain runs where it changed, and the rest is
				// judged by what analysis found there (see changedOnly).
				if l, err := v.changedOnly(ctx, in, j, p, masked, edits, kept); err != nil || l != nil {
					return l, err
				}
				continue
			}
		}
		masked = in.withoutOCRNoise(doc, i, masked)
		fs, err := v.detect(ctx, masked, p.Field, in == nil)
		if err != nil {
			return nil, err
		}
		var rules []ner.Finding // for outputs seen alone, when first needed
		for _, f := range fs {
			if !v.changes(p, masked, f, in == nil, scratch) {
				continue
			}
			if in.honours(masked[f.Start:f.End], f.Start, f.End, kept) {
				continue // a value the reviewer kept, exactly
			}
			if sameParts && j >= 0 && j < len(in.found) {
				if in.ocrRead(doc, i) {
					if in.ocrArtefact(doc, i, j, f) {
						continue
					}
				} else if in.piecesArtefact(j, f, masked) {
					continue
				}
			}
			if in == nil && v.rules != nil {
				if rules == nil {
					if rules, err = v.rulesIn(ctx, masked, p.Field); err != nil {
						return nil, err
					}
				}
				if refinerArtefact(p.Text, masked, f, rules) {
					continue
				}
			}
			l := Leftover{Part: p.Name, Page: p.Page, Start: f.Start, End: f.End, Entity: f.Entity, Rule: f.Rule, input: -1}
			if sameParts && j >= 0 && j < len(in.found) && in.ocrRead(doc, i) {
				l.input, l.ocr = j, true
			}
			if in != nil {
				return []Leftover{l}, nil
			}
			found = append(found, l)
		}
	}
	if ir, ok := doc.(redactors.IndependentReader); ok {
		l, err := v.independent(ctx, ir, out, read, parts, mask, removed, in, scratch)
		if err != nil {
			return nil, err
		}
		if in != nil && len(l) > 0 {
			return l[:1], nil
		}
		found = append(found, l...)
	}
	if lc, ok := doc.(redactors.LeakChecker); ok && removed != nil && removed.Len() > 0 {
		where, err := lc.Leaks(out, func(t string) bool {
			t = mask(t)
			return v.keys.mayMatch(removed, t) && len(outside(removed.FindAll(t), in.keptSpans(t))) > 0
		})
		if err != nil {
			return nil, readFailure("the search of the raw content fails", err)
		}
		if len(where) > 0 {
			return []Leftover{{Part: strings.Join(where, ", "), Kind: RawContent}}, nil
		}
	}
	// Text in pixels (scans, pictures in a document) is read again by
	// OCR, which misreads: the input's document searches its output's
	// images for the removed values fuzzily.
	if pc, ok := in.pixelChecker(); ok && removed != nil && removed.Len() > 0 {
		where, err := pc.PixelLeaks(ctx, out, pixelValues(in.removed))
		if err != nil {
			return nil, readFailure("the OCR reading of the output's images fails", err)
		}
		if len(where) > 0 {
			return []Leftover{{Part: strings.Join(where, ", "), Kind: RawContent}}, nil
		}
	}
	return found, nil
}

// readFailure is the error of a reading of an output that failed (what
// says which): ErrVerify with the format's error, which names the part
// and the cause and, like every format error, no document text
// (safeDetail), so that the report says why and never just "internal
// error"; a reading that ran out of time keeps ErrTooSlow, as the
// machine, not the output, is what failed (the file is not written
// either way).
func readFailure(what string, err error) error {
	if errors.Is(err, redactors.ErrTooSlow) {
		return fmt.Errorf("verify: %s: %w", what, err)
	}
	return fmt.Errorf("%w: %s: %v", redactors.ErrVerify, what, err)
}

// ocrNoiser is an optional interface of input Documents whose output is
// read again by OCR (redactors/images, redactors/pdfscan; the pictures of
// redactors/docx and the images of redactors/pdf, see ocrParts): OCRNoise returns
// the byte spans of the text of part i of out, the parse of the output,
// that are OCR's reading of the boxes Redact drew (labels, slivers of
// blanked glyphs at their edges, misreads next to them), never a digit, an
// '@' or a word read with confidence.
//
// OCRSource returns, for the bytes [start,end) of the text of part i of
// out, the spans of the input part's text of the words the input's OCR
// read at that place and Redact kept, when the output's text reads as
// them (ok false otherwise).
type ocrNoiser interface {
	OCRNoise(out redactors.Document, part int) [][2]int
	OCRSource(out redactors.Document, part, start, end int) (spans [][2]int, ok bool)
}

// ocrParts is an optional interface of an ocrNoiser whose parts are not
// all OCR readings (a DOCX with pictures, a text PDF with images):
// OCRPart reports whether part i of out, a parse of its output, is one.
// An ocrNoiser without it reads every part by OCR.
type ocrParts interface {
	OCRPart(out redactors.Document, part int) bool
}

// ocrRead reports whether part i of out is a new OCR reading of its
// pixels (in.doc is an ocrNoiser, and says so of the part): its offsets
// say nothing about the input's text with the plan's edits, so no finding
// is excused as a context artefact by them (piecesArtefact would map a
// name left beside a box onto whatever input text has its offset).
func (in *verifyInput) ocrRead(out redactors.Document, i int) bool {
	if in == nil {
		return false
	}
	if _, ok := in.doc.(ocrNoiser); !ok {
		return false
	}
	if op, ok := in.doc.(ocrParts); ok {
		return op.OCRPart(out, i)
	}
	return true
}

// ocrArtefact is contextArtefact for an OCR re-reading (ocrRead): a
// finding f in part i of out (input part j) is an artefact when its text
// reads as words the input's OCR read at that place and Redact kept
// (OCRSource), none of which analysis flagged: re-detection fires on a
// misread ("Patien") or on a box beside a word, not on a value the input
// showed. A finding that reads as nothing the input kept there, or as
// words analysis flagged (a value the boxes missed), is no artefact.
func (in *verifyInput) ocrArtefact(out redactors.Document, i, j int, f ner.Finding) bool {
	spans, ok := in.doc.(ocrNoiser).OCRSource(out, i, f.Start, f.End)
	if !ok {
		return false
	}
	for _, sp := range spans {
		for _, fs := range [][]ner.Finding{in.found[j], in.decided.rejectedIn(j)} {
			g := sort.Search(len(fs), func(g int) bool { return fs[g].End > sp[0] })
			if g < len(fs) && fs[g].Start < sp[1] {
				return false
			}
		}
	}
	return true
}

// withoutOCRNoise returns masked (the text of part i of out) with the OCR
// noise around the boxes of in's redaction blanked, for re-detection only:
// removed values were searched for in the whole text, and PixelLeaks reads
// the output's pixels again apart from these boxes.
func (in *verifyInput) withoutOCRNoise(out redactors.Document, i int, masked string) string {
	if in == nil {
		return masked
	}
	n, ok := in.doc.(ocrNoiser)
	if !ok {
		return masked
	}
	spans := n.OCRNoise(out, i)
	if len(spans) == 0 {
		return masked
	}
	b := []byte(masked)
	for _, sp := range spans {
		if sp[0] < 0 || sp[1] > len(b) || sp[0] > sp[1] {
			continue
		}
		for k := sp[0]; k < sp[1]; k++ {
			b[k] = ' '
		}
	}
	return string(b)
}

// pixelChecker returns the input document's PixelChecker, if it has one.
func (in *verifyInput) pixelChecker() (redactors.PixelChecker, bool) {
	if in == nil {
		return nil, false
	}
	pc, ok := in.doc.(redactors.PixelChecker)
	return pc, ok
}

// pixelValues are the removed values for a fuzzy search in OCR text: their
// folded words joined, except names that are also ordinary words (they
// match only capitalised, which OCR text cannot promise; the exact search
// above reads them).
func pixelValues(removed []ner.Phrase) []string {
	var out []string
	for _, ph := range removed {
		if !ph.CapitalOnly && len(ph.Keys) > 0 {
			out = append(out, strings.Join(ph.Keys, " "))
		}
	}
	return out
}

// detect runs the verifier's chain over a (masked) text, the value of
// field (a part's Field, "" for none), and returns the findings the
// profile redacts, resolved when the output is seen alone.
func (v *verifier) detect(ctx context.Context, masked, field string, alone bool) ([]ner.Finding, error) {
	fs, err := inChunks(ctx, masked, fieldDetect(v.chain, field))
	if err != nil {
		return nil, err
	}
	fs = v.filter.filter(fs, masked)
	if alone {
		fs = ner.Resolve(fs)
	}
	return fs, nil
}

// judged returns what analysis found in part i that verification judges
// again: the findings the plan acted on and those a reviewer's decision
// left in place (which only the decision may keep), sorted by start.
func (in *verifyInput) judged(i int) []ner.Finding {
	fs := in.found[i]
	if in.decided == nil || i >= len(in.decided.rejected) || len(in.decided.rejected[i]) == 0 {
		return fs
	}
	all := append(append([]ner.Finding(nil), fs...), in.decided.rejected[i]...)
	sort.SliceStable(all, func(a, b int) bool { return all[a].Start < all[b].Start })
	return all
}

// changedOnly verifies part i of a run's output, p (masked: its text with
// the replacements blanked), which reads exactly as the input part with
// edits (the plan's edits of the part) applied. The chain, which is
// deterministic and reads words in their sentence, finds in text the
// redaction left as it was what analysis found there, and what it finds
// there anew is a context artefact (contextArtefact) and no leftover. So
// it runs only over the sentences around each replacement (windows), and
// every finding analysis made elsewhere (less what propagation added,
// which the chain does not make) is judged as the chain's would be: one
// the profile changes is a leftover. A part the plan left alone costs no
// detection at all. It returns the first leftover, or nil.
func (v *verifier) changedOnly(ctx context.Context, in *verifyInput, i int, p redactors.Part, masked string, edits []redactors.Edit, kept []ner.Match) ([]Leftover, error) {
	wins := changedWindows(p.Text, edits)
	inWindow := func(s, e int) bool {
		k := sort.Search(len(wins), func(k int) bool { return wins[k][1] > s })
		return k < len(wins) && wins[k][0] <= s && e <= wins[k][1]
	}
	leftover := func(f ner.Finding) []Leftover {
		return []Leftover{{Part: p.Name, Page: p.Page, Start: f.Start, End: f.End, Entity: f.Entity, Rule: f.Rule}}
	}
	k, delta := 0, 0 // edits before the finding, and the shift they make
	for _, f := range in.judged(i) {
		for k < len(edits) && edits[k].End <= f.Start {
			delta += len(edits[k].Replacement) - (edits[k].End - edits[k].Start)
			k++
		}
		if k < len(edits) && edits[k].Start < f.End {
			continue // replaced, so in a window
		}
		f.Start, f.End = f.Start+delta, f.End+delta
		if strings.HasPrefix(f.Rule, ner.PropagatedPrefix) || inWindow(f.Start, f.End) ||
			masked[f.Start:f.End] != p.Text[f.Start:f.End] || !v.changes(p, masked, f, false, nil) ||
			in.honours(masked[f.Start:f.End], f.Start, f.End, kept) { // a value the reviewer kept
			continue
		}
		return leftover(f), nil
	}
	for _, w := range wins {
		fs, err := v.detect(ctx, masked[w[0]:w[1]], p.Field, false)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			f.Start, f.End = f.Start+w[0], f.End+w[0]
			if v.changes(p, masked, f, false, nil) && !in.piecesArtefact(i, f, masked) &&
				!in.honours(masked[f.Start:f.End], f.Start, f.End, kept) {
				return leftover(f), nil
			}
		}
	}
	return nil, nil
}

// Windows around a replacement: the sentence it is in, from at least
// windowMargin bytes before it to windowMargin bytes after it, at most
// windowReach bytes on each side. A fragment of a value left next to a
// replacement, what only this reading can find, is in the replacement's
// sentence; a sentence longer than windowReach is cut at a space.
const (
	windowMargin = 0
	windowReach  = 160
)

// changedWindows returns the spans of text, the output of edits, that the
// verifier reads again: around every replacement, from the start of its
// sentence to the end of the next, sorted and merged. Windows that
// overlap or touch are one window, and so are windows with only white
// space between them (the space after a sentence's full stop, which ends
// one window, before the next sentence, which starts the next): each
// window is read whole, never narrower, and the chain runs once over
// the run of sentences instead of once a sentence (on judgments, 4,066
// windows, 2,208 of them one space after the window before).
func changedWindows(text string, edits []redactors.Edit) [][2]int {
	var out [][2]int
	delta := 0
	for _, ed := range edits {
		os := ed.Start + delta
		oe := os + len(ed.Replacement)
		delta += len(ed.Replacement) - (ed.End - ed.Start)
		lo, hi := sentenceBefore(text, os), sentenceAfter(text, oe)
		if n := len(out); n > 0 && (lo <= out[n-1][1] || onlySpace(text[out[n-1][1]:lo])) {
			out[n-1][1] = max(out[n-1][1], hi)
			continue
		}
		out = append(out, [2]int{lo, hi})
	}
	return out
}

// onlySpace reports whether s is nothing but ASCII white space (a gap
// between two windows that changedWindows joins).
func onlySpace(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r', '\v', '\f':
		default:
			return false
		}
	}
	return true
}

// sentenceBefore returns where the sentence that holds text[at] starts,
// windowMargin bytes before at or further: after a line break or a
// sentence's end, else at a space within windowReach bytes, else at a
// rune boundary.
func sentenceBefore(text string, at int) int {
	for i := at - windowMargin; i > max(0, at-windowReach); i-- {
		if text[i-1] == '\n' || i >= 2 && text[i-1] == ' ' && strings.IndexByte(".?!;", text[i-2]) >= 0 {
			return i
		}
	}
	if at-windowReach <= 0 {
		return 0
	}
	return cutNear(text, at-windowReach, windowReach/4)
}

// sentenceAfter returns where the sentence that holds text[at-1] ends,
// windowMargin bytes after at or further (see sentenceBefore).
func sentenceAfter(text string, at int) int {
	for i := at + windowMargin; i < min(len(text), at+windowReach); i++ {
		if text[i] == '\n' || strings.IndexByte(".?!;", text[i]) >= 0 && i+1 < len(text) && text[i+1] == ' ' {
			return i + 1
		}
	}
	if at+windowReach >= len(text) {
		return len(text)
	}
	return cutNear(text, at+windowReach, windowReach/4)
}

// rulesIn returns the findings of the verifier's rules in masked (the value
// of field), filtered, never nil.
func (v *verifier) rulesIn(ctx context.Context, masked, field string) ([]ner.Finding, error) {
	fs, err := inChunks(ctx, masked, fieldDetect(v.rules, field))
	if err != nil {
		return nil, err
	}
	return append(v.filter.filter(fs, masked), ner.Finding{Start: -1, End: -1}), nil
}

// artefactReach is how far from a replacement, in bytes, a refiner's
// finding in an output seen alone may be an artefact of it.
const artefactReach = 24

// refinerArtefact reports whether f, a finding in an output seen alone
// (masked is text with the profile's replacements blanked), may be an
// artefact of a replacement rather than a leak: no rule finds it (only a
// refiner, whose output shifts with context: maximum recall reads "OR"
// after a city as a state, alone as a word) and a replacement lies within
// artefactReach bytes of it on its line. A run verifying its own output
// knows its input and uses contextArtefact instead.
func refinerArtefact(text, masked string, f ner.Finding, rules []ner.Finding) bool {
	for _, g := range rules {
		if g.Start < f.End && f.Start < g.End {
			return false
		}
	}
	for i := f.Start - 1; i >= max(0, f.Start-artefactReach) && text[i] != '\n'; i-- {
		if masked[i] != text[i] {
			return true
		}
	}
	for i := f.End; i < min(len(text), f.End+artefactReach) && text[i] != '\n'; i++ {
		if masked[i] != text[i] {
			return true
		}
	}
	return false
}

// changes reports whether the profile would change the value of f in
// masked, the text of part p (the zero Part for a text outside the parts):
// by the rule of p's column when the profile gives it one. Seen alone, a value that the profile's action leaves as it is
// (a year, a month and year: the action's own output) is no change.
func (v *verifier) changes(p redactors.Part, masked string, f ner.Finding, alone bool, scratch *profiles.Env) bool {
	value := masked[f.Start:f.End]
	rule := columnVerifyRule(v.profile, p, f.Entity) // columns.go: a column's own rule, else the profile's
	if !rule.Changes(value) {
		return false
	}
	if alone {
		if repl, changed := rule.Replace(value, "", scratch); !changed || repl == value {
			return false
		}
	}
	return true
}

// independent reads out a second time with the format's independent
// reader and returns what the profile would change in a text of that
// reading that the output's Parts do not show: a text equal to a part is
// skipped (read holds the part texts), and so is a finding whose value
// the parts show, which the parts' check judged in its context already;
// so is a line of a text equal to a line of a part (the independent
// reading of a DOCX has the body's paragraphs as lines, which the parts'
// check judged in their context). Lines and values are compared with
// white space folded (fold): another reader lays out the same words on
// other lines (pdftotext breaks a PDF's lines by position), so a line of
// a text read from a page (Page > 0) that the parts of that page show
// anywhere, even across their lines, is shown too; such a line next to
// one that is not stays, as its context. A removed
// value, or a finding, that a reviewer's decision kept is no leftover,
// as in the parts. in is nil for an output seen alone.
func (v *verifier) independent(ctx context.Context, ir redactors.IndependentReader, out []byte, read map[string]bool, parts []redactors.Part,
	mask func(string) string, removed *ner.PhraseMatcher, in *verifyInput, scratch *profiles.Env) ([]Leftover, error) {
	alone := in == nil
	// The spread mask's expression is compiled when first used: most
	// readings (a text file's bytes) show nothing the parts did not.
	partMask := mask
	var spread func(string) string
	mask = func(s string) string {
		if spread == nil {
			spread = func(s string) string { return s }
			if in != nil {
				spread = maskSpread(in.replacements)
			}
		}
		return blankKeys(spread(partMask(s)))
	}
	texts, err := ir.IndependentText(out)
	if err != nil {
		return nil, readFailure("the independent reading of the output fails", err)
	}
	var found []Leftover
	var shown []string        // the masked part texts, folded, when first needed
	var lines map[string]bool // their lines, folded, when first needed
	var pages map[int]string  // the parts of each page, folded, when first needed
	for _, t := range texts {
		if read[t.Text] {
			continue
		}
		read[t.Text] = true
		masked := mask(t.Text)
		kept := in.keptSpans(masked)
		if removed != nil && v.keys.mayMatch(removed, masked) {
			if mt := outside(notEponyms(masked, removed.FindAll(masked)), kept); len(mt) > 0 {
				return []Leftover{{Part: t.Name, Page: t.Page, Start: mt[0].Start, End: mt[0].End, Kind: RemovedValue}}, nil
			}
		}
		if lines == nil {
			lines = map[string]bool{}
			for _, p := range parts {
				for _, l := range strings.Split(mask(p.Text), "\n") {
					lines[fold(l)] = true
				}
			}
		}
		// A line the parts show as it is was judged in its part already.
		page := ""
		if t.Page > 0 {
			if pages == nil {
				pages = pageTexts(parts, mask)
			}
			page = pages[t.Page]
		}
		if masked = unshownLines(masked, lines, page); masked == "" {
			continue
		}
		kept = in.keptSpans(masked)
		fs, err := v.detect(ctx, masked, t.Field, alone)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			if !v.changes(redactors.Part{}, masked, f, alone, scratch) || in.honours(masked[f.Start:f.End], f.Start, f.End, kept) {
				continue
			}
			if shown == nil {
				for _, p := range parts {
					shown = append(shown, fold(mask(p.Text)))
				}
			}
			if shownIn(shown, fold(masked[f.Start:f.End])) {
				continue
			}
			found = append(found, Leftover{Part: t.Name, Page: t.Page, Start: f.Start, End: f.End, Entity: f.Entity, Rule: f.Rule})
			if !alone {
				return found, nil
			}
		}
	}
	return found, nil
}

// fold returns s with its white space runs as single spaces, trimmed, and
// the Unicode compatibility ligatures (U+FB00–FB06, a typeface's forms of
// letters) spelled out: how two readers of one page compare.
func fold(s string) string {
	return ligatures.Replace(strings.Join(strings.Fields(s), " "))
}

var ligatures = strings.NewReplacer("\uFB00", "ff", "\uFB01", "fi", "\uFB02", "fl", "\uFB03", "ffi", "\uFB04", "ffl", "\uFB05", "st", "\uFB06", "st")

// labelKeys are the keys a PDF writes in a box whose label does not fit
// ("[1]", listed at the page's foot): replacements, which independent
// blanks in both readings (keeping offsets) as it blanks labels.
var labelKeys = regexp.MustCompile(`\[[0-9]{1,4}\]`)

// blankKeys returns s with every label key blanked.
func blankKeys(s string) string {
	if !strings.Contains(s, "[") {
		return s
	}
	return labelKeys.ReplaceAllStringFunc(s, func(m string) string { return strings.Repeat(" ", len(m)) })
}

// unshownLines returns the lines of text that are not in shown (folded)
// nor, when page is not empty, in page (the folded text of the parts of
// the page the text was read from), one a line, "" when there is none.
// With a page, a shown line next to one that is not is kept, as its
// context.
func unshownLines(text string, shown map[string]bool, page string) string {
	ls := strings.Split(text, "\n")
	keep := make([]bool, len(ls))
	for i, l := range ls {
		t := fold(l)
		keep[i] = t != "" && !shown[t] && (page == "" || !containsWords(page, t))
	}
	var b strings.Builder
	for i, l := range ls {
		context := page != "" && (i > 0 && keep[i-1] || i+1 < len(ls) && keep[i+1]) && strings.TrimSpace(l) != ""
		if keep[i] || context {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// containsWords reports whether s holds t where t neither starts nor ends
// inside a word of s (a line "Ann Lee" is not shown by "Joann Leeds").
func containsWords(s, t string) bool {
	for off := 0; off < len(s); {
		k := strings.Index(s[off:], t)
		if k < 0 {
			return false
		}
		a, b := off+k, off+k+len(t)
		before, _ := utf8.DecodeLastRuneInString(s[:a])
		after, _ := utf8.DecodeRuneInString(s[b:])
		first, _ := utf8.DecodeRuneInString(t)
		last, _ := utf8.DecodeLastRuneInString(t)
		if !(a > 0 && wordRune(before) && wordRune(first)) && !(b < len(s) && wordRune(after) && wordRune(last)) {
			return true
		}
		_, n := utf8.DecodeRuneInString(s[a:])
		off = a + n
	}
	return false
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// pageTexts returns the masked text of the parts of each page (Page >
// 0), folded, the parts joined by a space.
func pageTexts(parts []redactors.Part, mask func(string) string) map[int]string {
	by := map[int][]string{}
	for _, p := range parts {
		if p.Page > 0 {
			by[p.Page] = append(by[p.Page], fold(mask(p.Text)))
		}
	}
	out := make(map[int]string, len(by))
	for pg, ts := range by {
		out[pg] = strings.Join(ts, " ")
	}
	return out
}

// shownIn reports whether value is in one of texts.
func shownIn(texts []string, value string) bool {
	for _, t := range texts {
		if strings.Contains(t, value) {
			return true
		}
	}
	return false
}

// piecesArtefact is contextArtefact for a finding that may span
// replacements (blank in masked, the output part's text with them
// masked): maximum recall joins words across the blank a label left
// ("2-0 WIN . [blank] Euro"). Such a finding is an artefact when every
// piece of it outside the replacements is: it holds no letter or digit,
// or it is a context artefact and does not continue a word a replacement
// ends or starts (the rest of a name cut at a wrong boundary, "[blank]son",
// is a leftover).
func (in *verifyInput) piecesArtefact(part int, f ner.Finding, masked string) bool {
	if in.outEdits == nil {
		in.outEdits = outputEdits(in.edits, len(in.parts))
	}
	eds := in.outEdits[part]
	k := sort.Search(len(eds), func(k int) bool { return eds[k].end > f.Start })
	if k == len(eds) || eds[k].start >= f.End {
		return in.contextArtefact(part, f) // touches no replacement
	}
	wordRune := func(i int) bool {
		r, _ := utf8.DecodeRuneInString(masked[i:])
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	lastRune := func(i int) bool { // the rune ending at i
		r, _ := utf8.DecodeLastRuneInString(masked[:i])
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	piece := func(a, b int, afterRepl, beforeRepl bool) bool {
		if strings.IndexFunc(masked[a:b], func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
			return true
		}
		if afterRepl && wordRune(a) || beforeRepl && lastRune(b) {
			return false // continues the word of a replacement
		}
		g := f
		g.Start, g.End = a, b
		return in.contextArtefact(part, g)
	}
	s, after := f.Start, false
	for ; k < len(eds) && eds[k].start < f.End; k++ {
		if eds[k].start > s && !piece(s, eds[k].start, after, true) {
			return false
		}
		s, after = max(s, eds[k].end), true
	}
	return s >= f.End || piece(s, f.End, after, false)
}

// contextArtefact reports whether a finding that re-detection makes in the
// output of part i lies in text the redaction left unchanged and that the
// detectors did not flag in the input: context-sensitive rules can fire
// once a neighbouring word is replaced ("DC'D AT [TIME]. RIGHT"), which is
// no leak. A finding that touches a replacement, or covers input text that
// was flagged, is never an artefact.
//
// It costs O(log n) in the edits and findings of the part, so that judging
// every finding of a long part stays linear.
func (in *verifyInput) contextArtefact(part int, f ner.Finding) bool {
	if in.outEdits == nil {
		in.outEdits = outputEdits(in.edits, len(in.parts))
	}
	eds := in.outEdits[part]
	// The edits whose replacement starts before the finding ends: the
	// finding overlaps one of them only if it overlaps the last.
	k := sort.Search(len(eds), func(k int) bool { return eds[k].start >= f.End })
	delta := 0
	if k > 0 {
		if f.Start < eds[k-1].end {
			return false // overlaps a replacement
		}
		delta = eds[k-1].after
	}
	start, end := f.Start-delta, f.End-delta
	if start < 0 || end > len(in.parts[part].Text) {
		return false
	}
	// found is resolved: sorted and without overlaps, so ends are sorted
	// too, and only the first finding that ends after start can overlap;
	// so are the findings a reviewer's decision left in place (a subset).
	for _, fs := range [][]ner.Finding{in.found[part], in.decided.rejectedIn(part)} {
		g := sort.Search(len(fs), func(g int) bool { return fs[g].End > start })
		if g < len(fs) && fs[g].Start < end {
			return false
		}
	}
	return true
}

// notAcrossReplacements returns the matches ms of removed values in
// masked (the output text of input part part, out, with the replacements
// blanked) less those that read across a replacement the redactor wrote
// there: "3 [REDACTED] boxes" does not show the removed value "3 boxes",
// whose words stand apart with another word between them. Only a
// replacement at an edit of the plan counts (a replacement's text that
// the input held itself proves nothing), only one that holds a letter or
// digit (a value removed without a trace, or replaced by punctuation,
// leaves its neighbours reading together), and only one the mask blanked
// whole, and only one in place of input text that holds a letter or
// digit (the value's words stood apart in the input too: a replacement
// written where nothing was removed would split nothing). The text is
// searched again between such replacements, so that a
// removed value that a longer match across one hid ("boxes" in "3 [X]
// boxes") is still found; matches that cross none are kept as they are.
// It is called only when ms is not empty, and costs one more search of
// the text.
func (in *verifyInput) notAcrossReplacements(part int, out, masked string, removed *ner.PhraseMatcher, ms, kept []ner.Match) []ner.Match {
	if in.outEdits == nil {
		in.outEdits = outputEdits(in.edits, len(in.parts))
	}
	var cuts [][2]int // the replacements that read as words, in order
	src, before := in.parts[part].Text, 0
	for _, e := range in.outEdits[part] {
		// The input text it replaced: [e.start-before, e.end-e.after).
		a, b := e.start-before, e.end-e.after
		before = e.after
		if e.start < e.end && e.end <= len(masked) && strings.TrimSpace(masked[e.start:e.end]) == "" &&
			strings.IndexFunc(out[e.start:e.end], wordRune) >= 0 &&
			0 <= a && a < b && b <= len(src) && strings.IndexFunc(src[a:b], wordRune) >= 0 {
			cuts = append(cuts, [2]int{e.start, e.end})
		}
	}
	across := func(m ner.Match) bool {
		k := sort.Search(len(cuts), func(k int) bool { return cuts[k][0] >= m.Start })
		return k < len(cuts) && cuts[k][1] <= m.End
	}
	if !slices.ContainsFunc(ms, across) {
		return ms
	}
	out2 := slices.DeleteFunc(slices.Clone(ms), across)
	var found []ner.Match
	for k, a := 0, 0; k <= len(cuts); k++ {
		b := len(masked)
		if k < len(cuts) {
			b = cuts[k][0]
		}
		for _, m := range removed.FindAll(masked[a:b]) {
			m.Start, m.End = m.Start+a, m.End+a
			found = append(found, m)
		}
		if k < len(cuts) {
			a = cuts[k][1]
		}
	}
	out2 = append(out2, outside(notEponyms(masked, found), kept)...)
	sort.SliceStable(out2, func(x, y int) bool { return out2[x].Start < out2[y].Start })
	return out2
}

// outputEdits returns the edits of each of n parts in output
// coordinates, in order.
func outputEdits(edits []redactors.Edit, n int) [][]outEdit {
	byPart := make([][]redactors.Edit, n)
	for _, ed := range edits {
		if ed.Part >= 0 && ed.Part < n {
			byPart[ed.Part] = append(byPart[ed.Part], ed)
		}
	}
	out := make([][]outEdit, n)
	for i, eds := range byPart {
		sort.SliceStable(eds, func(a, b int) bool { return eds[a].Start < eds[b].Start })
		delta := 0
		for _, ed := range eds {
			s := ed.Start + delta
			delta += len(ed.Replacement) - (ed.End - ed.Start)
			out[i] = append(out[i], outEdit{start: s, end: s + len(ed.Replacement), after: delta})
		}
	}
	return out
}

// maskReplacements blanks replacement texts (same byte length) so that
// verification does not mistake them for identifiers.
func maskReplacements(repls []string) func(string) string {
	if len(repls) == 0 {
		return func(s string) string { return s }
	}
	var pairs, olds []string
	seen := map[string]bool{}
	for _, r := range repls {
		if r != "" {
			pairs = append(pairs, r, strings.Repeat(" ", len(r)))
			if !seen[r] {
				seen[r] = true
				olds = append(olds, r)
			}
		}
	}
	rp := strings.NewReplacer(pairs...)
	if len(olds) > 32 {
		return rp.Replace
	}
	// Most texts verify reads (zipview's views of every entry) hold no
	// replacement: a search for each is much cheaper than the Replacer's
	// walk of every byte, and a text that holds none is its own mask.
	return func(s string) string {
		for _, o := range olds {
			if strings.Contains(s, o) {
				return rp.Replace(s)
			}
		}
		return s
	}
}

// maskSpread blanks the replacements of several words wherever another
// reader lays their words out apart (pdftotext breaks "January 2024"
// across two lines), keeping byte offsets and line breaks; maskReplacements
// blanks them where they stand as written.
func maskSpread(repls []string) func(string) string {
	const maxSpreadFirsts = 16
	var alts, firsts []string
	seen, first := map[string]bool{}, map[string]bool{}
	for _, r := range repls {
		words := strings.Fields(r)
		if len(words) < 2 || seen[r] || !utf8.ValidString(r) {
			// (a replacement not in UTF-8 would not compile: it is not
			// blanked spread out, which can only make verify stricter)
			continue
		}
		seen[r] = true
		if !first[words[0]] {
			first[words[0]] = true
			firsts = append(firsts, words[0])
		}
		for i, w := range words {
			words[i] = regexp.QuoteMeta(w)
		}
		alts = append(alts, strings.Join(words, `\s+`))
	}
	if len(alts) == 0 {
		return func(s string) string { return s }
	}
	sort.Slice(alts, func(i, j int) bool {
		return len(alts[i]) > len(alts[j]) || len(alts[i]) == len(alts[j]) && alts[i] < alts[j]
	})
	re := regexp.MustCompile(strings.Join(alts, "|"))
	return func(s string) string {
		// Every match begins with the first word of a replacement, as
		// written: a text that holds none of them (most texts, their
		// replacements as written blanked already) is not run through
		// the expression, which has no literal prefix to skip by.
		// With many first words the search per word would cost more
		// than the expression (words × text): then it is not made.
		if len(firsts) <= maxSpreadFirsts && !slices.ContainsFunc(firsts, func(w string) bool { return strings.Contains(s, w) }) {
			return s
		}
		ms := re.FindAllStringIndex(s, -1)
		if ms == nil {
			return s
		}
		b := []byte(s)
		for _, m := range ms {
			for k := m[0]; k < m[1]; k++ {
				if b[k] != '\n' {
					b[k] = ' '
				}
			}
		}
		return string(b)
	}
}

// replacementMask blanks the replacement texts profile p writes, keeping
// byte offsets: every label, every alias ("Person A", "Client BC"), every
// keyed pseudonym ("PERSON-7f3a9c01").
func replacementMask(p *profiles.Profile) func(string) string {
	var labels []string
	var prefixes, tokens []string
	seen := map[string]bool{}
	rules := p.RoleRules()
	for _, ent := range ner.Entities() {
		rules = append(rules, p.For(ent))
	}
	for _, r := range rules {
		for _, l := range r.FixedReplacements() {
			if !seen[l] {
				labels = append(labels, l)
				seen[l] = true
			}
		}
		switch r.Action {
		case profiles.Alias:
			if !seen["alias:"+r.Alias] {
				prefixes = append(prefixes, regexp.QuoteMeta(r.Alias))
				seen["alias:"+r.Alias] = true
			}
		case profiles.Pseudonym:
			if p := r.TokenPrefix(); !seen["token:"+p] {
				tokens = append(tokens, regexp.QuoteMeta(p))
				seen["token:"+p] = true
			}
		}
	}
	sort.Slice(labels, func(i, j int) bool { return len(labels[i]) > len(labels[j]) })
	var pairs []string
	for _, l := range labels {
		pairs = append(pairs, l, strings.Repeat(" ", len(l)))
	}
	labelRp := strings.NewReplacer(pairs...)
	var alts []string
	if len(prefixes) > 0 {
		sort.Strings(prefixes)
		alts = append(alts, `\b(?:`+strings.Join(prefixes, "|")+`) [A-Z]{1,3}\b`)
	}
	if len(tokens) > 0 {
		sort.Strings(tokens)
		alts = append(alts, `\b(?:`+strings.Join(tokens, "|")+`)-[0-9a-f]{`+strconv.Itoa(profiles.PseudonymLen)+`}\b`)
	}
	var aliasRe *regexp.Regexp
	if len(alts) > 0 {
		aliasRe = regexp.MustCompile(strings.Join(alts, "|"))
	}
	return func(s string) string {
		if len(pairs) > 0 {
			s = labelRp.Replace(s)
		}
		if aliasRe != nil {
			s = aliasRe.ReplaceAllStringFunc(s, func(m string) string { return strings.Repeat(" ", len(m)) })
		}
		return s
	}
}

// notEponyms returns the matches of removed values in text that are not a
// clinical eponym (names.IsEponym): a surname removed as a person's stays
// in "Parkinson's disease", which analysis read as no person.
func notEponyms(text string, ms []ner.Match) []ner.Match {
	out := ms[:0:0]
	for _, m := range ms {
		if !names.IsEponym(text, ner.Finding{Start: m.Start, End: m.End, Entity: ner.Person}) {
			out = append(out, m)
		}
	}
	return out
}
