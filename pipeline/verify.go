package pipeline

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
)

// verifier is the third stage's second half: it reads a redacted output
// again, with code that does not share the redactor's idea of where text
// lives (the format's parser over the output bytes, then a detection
// chain over every part), and reports what the profile would still
// change. One verifier serves both veil run, which refuses to write a file
// that fails (verifyOutput), and veil verify, which reports what released
// files hold (checkOutput): both run leftovers, with the same chain.
//
// The chain is a parameter: today it is the rule detectors without the
// refiners (ner/chain.Set.Verify), plus a search for every value the plan
// removed; a later change can give it the profile's full text chain. A
// verifier is immutable and safe for concurrent use.
type verifier struct {
	profile *profiles.Profile
	chain   ner.Detector
	filter  *findingFilter
	year    int
	// shapes blanks the replacement texts this profile writes (labels,
	// aliases, pseudonyms), for outputs seen without their input.
	shapes func(string) string
}

func newVerifier(p *profiles.Profile, chain ner.Detector, filter *findingFilter, year int) *verifier {
	return &verifier{profile: p, chain: chain, filter: filter, year: year, shapes: replacementMask(p)}
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
}

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
	doc, err := f.Parse(out)
	if err != nil {
		if errors.Is(err, redactors.ErrEmpty) && len(in.edits) > 0 {
			return nil // everything was redacted away; nothing can survive
		}
		return fmt.Errorf("%w: output does not parse again: %s", redactors.ErrVerify, redactors.ReasonOf(err).Message)
	}
	left, err := v.leftovers(ctx, doc, out, in)
	if err != nil {
		return err
	}
	if len(left) > 0 {
		return left[0].err()
	}
	return nil
}

// checkOutput reads data, a file released earlier, with format f, and
// returns every leftover in it. An error means the file cannot be read
// (its Reason says why).
func (v *verifier) checkOutput(ctx context.Context, f redactors.Format, data []byte) ([]Leftover, error) {
	doc, err := f.Parse(data)
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
	var found []Leftover
	for i, p := range parts {
		masked := mask(p.Text)
		kept := in.keptSpans(masked)
		if removed != nil {
			if mt := outside(removed.FindAll(masked), kept); len(mt) > 0 {
				return []Leftover{{Part: p.Name, Page: p.Page, Start: mt[0].Start, End: mt[0].End, Kind: RemovedValue}}, nil
			}
		}
		fs, err := inChunks(ctx, masked, v.chain.Detect)
		if err != nil {
			return nil, err
		}
		fs = v.filter.filter(fs, masked)
		if in == nil {
			fs = ner.Resolve(fs)
		}
		for _, f := range fs {
			value := masked[f.Start:f.End]
			rule := v.profile.For(f.Entity)
			if !rule.Changes(value) {
				continue
			}
			if in.honours(value, f.Start, f.End, kept) {
				continue // a value the reviewer kept, exactly
			}
			if in != nil && sameParts && in.parts[i].Name == p.Name && in.contextArtefact(i, f) {
				continue
			}
			if in == nil {
				// Idempotent actions (year, month_year) leave their own
				// output as it is: that output is not a leftover.
				if repl, changed := rule.Replace(value, "", scratch); !changed || repl == value {
					continue
				}
			}
			l := Leftover{Part: p.Name, Page: p.Page, Start: f.Start, End: f.End, Entity: f.Entity, Rule: f.Rule}
			if in != nil {
				return []Leftover{l}, nil
			}
			found = append(found, l)
		}
	}
	if lc, ok := doc.(redactors.LeakChecker); ok && removed != nil && removed.Len() > 0 {
		where, err := lc.Leaks(out, func(t string) bool {
			t = mask(t)
			return len(outside(removed.FindAll(t), in.keptSpans(t))) > 0
		})
		if err != nil {
			return nil, fmt.Errorf("%w: %s", redactors.ErrVerify, redactors.ReasonOf(err).Message)
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
			return nil, fmt.Errorf("%w: %s", redactors.ErrVerify, redactors.ReasonOf(err).Message)
		}
		if len(where) > 0 {
			return []Leftover{{Part: strings.Join(where, ", "), Kind: RawContent}}, nil
		}
	}
	return found, nil
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

// contextArtefact reports whether a finding that re-detection makes in the
// output of part i lies in text the redaction left unchanged and that the
// detectors did not flag in the input: context-sensitive rules can fire
// once a neighbouring word is replaced ("DC'D AT [TIME]. RIGHT"), which is
// no leak. A finding that touches a replacement, or covers input text that
// was flagged, is never an artefact.
func (in *verifyInput) contextArtefact(part int, f ner.Finding) bool {
	var edits []redactors.Edit
	for _, ed := range in.edits {
		if ed.Part == part {
			edits = append(edits, ed)
		}
	}
	sort.Slice(edits, func(a, b int) bool { return edits[a].Start < edits[b].Start })
	delta := 0 // output offset - input offset before the current edit
	for _, ed := range edits {
		os := ed.Start + delta
		oe := os + len(ed.Replacement)
		if f.End <= os {
			break
		}
		if f.Start < oe {
			return false // overlaps a replacement
		}
		delta += len(ed.Replacement) - (ed.End - ed.Start)
	}
	start, end := f.Start-delta, f.End-delta
	if start < 0 || end > len(in.parts[part].Text) {
		return false
	}
	for _, g := range append(in.found[part], in.decided.rejectedIn(part)...) {
		if g.Start < end && start < g.End {
			return false
		}
	}
	return true
}

// maskReplacements blanks replacement texts (same byte length) so that
// verification does not mistake them for identifiers.
func maskReplacements(repls []string) func(string) string {
	if len(repls) == 0 {
		return func(s string) string { return s }
	}
	var pairs []string
	for _, r := range repls {
		if r != "" {
			pairs = append(pairs, r, strings.Repeat(" ", len(r)))
		}
	}
	rp := strings.NewReplacer(pairs...)
	return rp.Replace
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
