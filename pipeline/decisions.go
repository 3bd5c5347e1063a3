package pipeline

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
)

// A reviewer's decisions (veil review) are data: a Decisions value, saved
// as a decisions file sealed with the key file (it holds original values),
// and applied by the plan stage of a run (Options.Decisions) before it
// decides any replacement. The same decisions over the same files give the
// same output.
//
// A decision names a value (and its entity), not an offset: rejecting a
// finding keeps that value wherever it occurs in the document (or the
// case), because a value redacted in one place and kept in another would
// be found again by verification, and a reader would have it anyway.

// DecisionsVersion is the version of the plaintext of a decisions file.
const DecisionsVersion = 1

// AddedRule is the rule id of a redaction a reviewer added.
const AddedRule = "review/added"

// Verdict is what a reviewer decided.
type Verdict string

// The verdicts.
const (
	// Accept: redact as planned.
	Accept Verdict = "accept"
	// Reject: the finding is not an identifier here; keep the value.
	Reject Verdict = "reject"
	// Add: redact a value the plan left, as the entity the reviewer chose.
	Add Verdict = "add"
)

// Scope is where a decision applies.
type Scope string

// The scopes.
const (
	// ScopeDocument: the value wherever it occurs in the document (the
	// default).
	ScopeDocument Scope = "document"
	// ScopeCase: the value wherever it occurs in any file of the case
	// (every file of the run, including files added since the review).
	ScopeCase Scope = "case"
)

// Decision is one decision of a reviewer.
type Decision struct {
	Verdict Verdict `json:"verdict"`
	Scope   Scope   `json:"scope,omitempty"` // "" is ScopeDocument
	Entity  string  `json:"entity"`
	// Value is the original text the decision is about. Values compare
	// as words, case- and accent-insensitively (ner.Fold).
	Value string `json:"value"`
	// Rule is the rule of the proposed change (accept, reject); "" for add.
	Rule string `json:"rule,omitempty"`
	// Part, Start and End say where the reviewer made the decision (byte
	// offsets in the part's input text); they do not limit it.
	Part  string `json:"part,omitempty"`
	Start int    `json:"start,omitempty"`
	End   int    `json:"end,omitempty"`
}

// DocumentDecisions are the decisions made on one source file.
type DocumentDecisions struct {
	// Key is the source key.
	Key string `json:"key"`
	// SHA256 fingerprints the source file the reviewer saw (hex): a file
	// that changed since gets only its additions and the case-wide
	// decisions.
	SHA256    string     `json:"sha256"`
	Reviewed  bool       `json:"reviewed,omitempty"`
	Decisions []Decision `json:"decisions,omitempty"`
}

// Decisions is the content of a decisions file.
type Decisions struct {
	Version int `json:"version"`
	// Profile is the name of the profile whose proposals were reviewed; a
	// run with another profile refuses the file.
	Profile   string              `json:"profile"`
	Reviewer  string              `json:"reviewer,omitempty"`
	Documents []DocumentDecisions `json:"documents"`
}

// DecisionKey is what a decision is about: its entity and the folded
// words of its value. Two decisions with the same key are about the same
// thing.
func DecisionKey(entity ner.Entity, value string) string { return decisionKey(entity, value) }

func decisionKey(entity ner.Entity, value string) string {
	return string(entity) + "\x00" + strings.Join(ner.Fold(value), " ")
}

// Key returns the decision's DecisionKey.
func (d Decision) Key() string { return decisionKey(ner.Entity(d.Entity), d.Value) }

func (d Decision) key() string { return d.Key() }

func (d Decision) scope() Scope {
	if d.Scope == "" {
		return ScopeDocument
	}
	return d.Scope
}

// Normalize sorts the documents by key and each document's decisions, drops
// repeated decisions and documents without decisions that are not marked
// reviewed, so that the same decisions always encode to the same bytes.
func (ds *Decisions) Normalize() {
	var docs []DocumentDecisions
	for _, d := range ds.Documents {
		sort.SliceStable(d.Decisions, func(i, j int) bool { return lessDecision(d.Decisions[i], d.Decisions[j]) })
		out := d.Decisions[:0:0]
		for i, x := range d.Decisions {
			if i > 0 && x == d.Decisions[i-1] {
				continue
			}
			out = append(out, x)
		}
		d.Decisions = out
		if len(d.Decisions) > 0 || d.Reviewed {
			docs = append(docs, d)
		}
	}
	sort.SliceStable(docs, func(i, j int) bool { return docs[i].Key < docs[j].Key })
	ds.Documents = docs
}

func lessDecision(a, b Decision) bool {
	ka, kb := a.key(), b.key()
	switch {
	case ka != kb:
		return ka < kb
	case a.Verdict != b.Verdict:
		return a.Verdict < b.Verdict
	case a.scope() != b.scope():
		return a.scope() < b.scope()
	case a.Value != b.Value:
		return a.Value < b.Value
	case a.Part != b.Part:
		return a.Part < b.Part
	case a.Start != b.Start:
		return a.Start < b.Start
	case a.End != b.End:
		return a.End < b.End
	}
	return a.Rule < b.Rule
}

// Encode validates and normalises ds and returns the plaintext of a
// decisions file (indented JSON).
func (ds *Decisions) Encode() ([]byte, error) {
	ds.Version = DecisionsVersion
	ds.Normalize()
	if err := ds.Validate(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ds); err != nil {
		return nil, fmt.Errorf("decisions: encode: %w", err)
	}
	return b.Bytes(), nil
}

// DecodeDecisions reads the plaintext of a decisions file, strictly
// (unknown fields are errors), and validates it.
func DecodeDecisions(plain []byte) (*Decisions, error) {
	dec := json.NewDecoder(bytes.NewReader(plain))
	dec.DisallowUnknownFields()
	var ds Decisions
	if err := dec.Decode(&ds); err != nil {
		// The JSON error may quote a value: say only where it failed.
		return nil, errors.New("decisions: not valid JSON of a decisions file")
	}
	if ds.Version < 1 || ds.Version > DecisionsVersion {
		return nil, fmt.Errorf("decisions: version %d, this veil reads 1 to %d", ds.Version, DecisionsVersion)
	}
	if err := ds.Validate(); err != nil {
		return nil, err
	}
	return &ds, nil
}

// Validate checks every decision. Errors name documents and decisions by
// their number, never by key or value (both can identify).
func (ds *Decisions) Validate() error {
	if ds.Profile == "" {
		return errors.New("decisions: no profile")
	}
	seenDoc := map[string]bool{}
	// verdict of each key, per scope: document keys per document, case keys
	// across documents.
	caseVerdict := map[string]Verdict{}
	for i, d := range ds.Documents {
		where := fmt.Sprintf("decisions: document %d", i+1)
		if d.Key == "" {
			return fmt.Errorf("%s: no key", where)
		}
		if seenDoc[d.Key] {
			return fmt.Errorf("%s: the same file as an earlier document", where)
		}
		seenDoc[d.Key] = true
		if sum, err := hex.DecodeString(d.SHA256); err != nil || len(sum) != 32 {
			return fmt.Errorf("%s: sha256 is not 64 hex digits", where)
		}
		docVerdict := map[string]Verdict{}
		for j, x := range d.Decisions {
			where := fmt.Sprintf("%s, decision %d", where, j+1)
			switch x.Verdict {
			case Accept, Reject, Add:
			default:
				return fmt.Errorf("%s: verdict %q is not accept, reject or add", where, x.Verdict)
			}
			if x.Scope != "" && x.Scope != ScopeDocument && x.Scope != ScopeCase {
				return fmt.Errorf("%s: scope %q is not document or case", where, x.Scope)
			}
			if !ner.Entity(x.Entity).Valid() {
				return fmt.Errorf("%s: %q is not an entity", where, x.Entity)
			}
			if len(ner.Fold(x.Value)) == 0 {
				return fmt.Errorf("%s: the value has no words", where)
			}
			if x.Start < 0 || x.End < x.Start {
				return fmt.Errorf("%s: span %d:%d", where, x.Start, x.End)
			}
			seen := docVerdict
			if x.scope() == ScopeCase {
				seen = caseVerdict
			}
			if v, ok := seen[x.key()]; ok && v != x.Verdict {
				return fmt.Errorf("%s: %s contradicts an earlier %s of the same value", where, x.Verdict, v)
			}
			seen[x.key()] = x.Verdict
		}
	}
	return nil
}

// SaveFile writes ds to path, sealed with k, atomically and readable by
// the owner only.
func (ds *Decisions) SaveFile(path string, k *profiles.Keys) error {
	plain, err := ds.Encode()
	if err != nil {
		return err
	}
	if err := profiles.WriteSealedFile(path, profiles.DecisionsFile, k, plain); err != nil {
		return fmt.Errorf("decisions: write: %w", err)
	}
	return nil
}

// LoadDecisionsFile reads a decisions file sealed with k.
func LoadDecisionsFile(path string, k *profiles.Keys) (*Decisions, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("decisions: %w", err)
	}
	plain, err := k.Open(profiles.DecisionsFile, b)
	if err != nil {
		return nil, err
	}
	return DecodeDecisions(plain)
}

// decisionSet is a Decisions compiled for the plan stage. It is used by the
// planner only (one goroutine), which also keeps its tallies.
type decisionSet struct {
	reviewer string
	docs     map[string]*docDecisions
	// caseWide are the decisions of scope case, by key.
	caseWide map[string]*applied
	caseAdds []*applied
	all      []*applied
	reviewed int
}

type docDecisions struct {
	sum      string
	reviewed bool
	byKey    map[string]*applied
	adds     []*applied
}

// applied is a decision and whether it applied to any file of the run.
type applied struct {
	Decision
	used bool
}

// compileDecisions checks ds against profile p and compiles it.
func compileDecisions(ds *Decisions, p *profiles.Profile) (*decisionSet, error) {
	if err := ds.Validate(); err != nil {
		return nil, err
	}
	if ds.Profile != p.Name {
		return nil, fmt.Errorf("the decisions were made on the proposals of profile %s, not %s: run with --profile %s", ds.Profile, p.Name, ds.Profile)
	}
	s := &decisionSet{reviewer: ds.Reviewer, docs: map[string]*docDecisions{}, caseWide: map[string]*applied{}}
	for i, d := range ds.Documents {
		dd := &docDecisions{sum: strings.ToLower(d.SHA256), reviewed: d.Reviewed, byKey: map[string]*applied{}}
		if d.Reviewed {
			s.reviewed++
		}
		for j, x := range d.Decisions {
			if x.Verdict == Add && !p.For(ner.Entity(x.Entity)).Changes(x.Value) {
				return nil, fmt.Errorf("decisions: document %d, decision %d: profile %s keeps %s, so adding one changes nothing", i+1, j+1, p.Name, x.Entity)
			}
			a := &applied{Decision: x}
			s.all = append(s.all, a)
			switch {
			case x.scope() == ScopeCase && x.Verdict == Add:
				s.caseAdds = append(s.caseAdds, a)
			case x.scope() == ScopeCase:
				if _, dup := s.caseWide[x.key()]; !dup {
					s.caseWide[x.key()] = a
				}
			case x.Verdict == Add:
				dd.adds = append(dd.adds, a)
			default:
				dd.byKey[x.key()] = a
			}
		}
		s.docs[d.Key] = dd
	}
	return s, nil
}

// docOutcome is what the decisions did to one document.
type docOutcome struct {
	review *report.FileReview
	// rejected are the findings left in place by a decision, per part
	// (input offsets); honoured the keys of their values (folded words),
	// which verification must not count as leftovers.
	rejected [][]ner.Finding
	honoured map[string]bool
	// accepted are the keys accepted by a decision, to count the changes.
	accepted map[string]bool
}

// verdict returns the decision about a finding's value in a document: the
// document's own, else the case-wide one.
func (s *decisionSet) verdict(dd *docDecisions, current bool, key string) *applied {
	if dd != nil && current {
		if a, ok := dd.byKey[key]; ok {
			return a
		}
	}
	return s.caseWide[key]
}

// apply changes d.found as the decisions say, before the plan: added
// values become findings (with the parts of added names elsewhere in the
// document), rejected values are taken out. It never fails; a file that
// changed since the review gets only the additions and the case-wide
// decisions.
func (s *decisionSet) apply(d *Doc, isCommon func(string) bool) *docOutcome {
	dd := s.docs[d.SourceKey]
	current := dd != nil && dd.sum == hex.EncodeToString(d.sum[:])
	out := &docOutcome{
		review:   &report.FileReview{Reviewed: current && dd.reviewed, Changed: dd != nil && !current},
		rejected: make([][]ner.Finding, len(d.parts)),
		honoured: map[string]bool{},
		accepted: map[string]bool{},
	}
	texts := make([]string, len(d.parts))
	for i, p := range d.parts {
		texts[i] = p.Text
	}

	// 1. Additions: every occurrence of the value, as the entity chosen.
	adds := append([]*applied(nil), s.caseAdds...)
	if dd != nil {
		adds = append(adds, dd.adds...)
	}
	if len(adds) > 0 {
		phrases := make([]ner.Phrase, len(adds))
		for k, a := range adds {
			phrases[k] = ner.Phrase{Keys: ner.Fold(a.Value)}
		}
		m := ner.NewPhraseMatcher(phrases)
		added := make([][]ner.Finding, len(texts))
		for i, t := range texts {
			for _, mt := range m.FindAll(t) {
				a := adds[mt.Index]
				a.used = true
				added[i] = append(added[i], ner.Finding{Start: mt.Start, End: mt.End, Entity: ner.Entity(a.Entity), Score: ner.TermScore, Rule: AddedRule})
			}
		}
		// The parts of an added name elsewhere ("Ms Quill" after "Ada
		// Quill"), as detection does for names it finds.
		more := ner.Propagate(texts, added, isCommon)
		for i := range texts {
			add := added[i]
			for _, f := range more[i] {
				if !overlapsAny(f, added[i]) { // Propagate finds the added values again
					add = append(add, f)
				}
			}
			if len(add) == 0 {
				continue
			}
			// What the reviewer chose wins over what a detector found
			// there: the span grows to cover both, the entity is theirs.
			add = ner.Resolve(add)
			var keep []ner.Finding
			for _, f := range d.found[i] {
				hit := false
				for k := range add {
					if f.Start < add[k].End && add[k].Start < f.End {
						add[k].Start, add[k].End = min(add[k].Start, f.Start), max(add[k].End, f.End)
						hit = true
					}
				}
				if !hit {
					keep = append(keep, f)
				} else if a := s.verdict(dd, current, decisionKey(f.Entity, texts[i][f.Start:f.End])); a != nil && a.Verdict == Accept {
					a.used = true // accepted, and redacted inside the addition: not stale
				}
			}
			d.found[i] = ner.Resolve(append(keep, add...))
		}
	}

	// 2. Rejections and acceptances: by value, after the additions, so
	// that a rejected value stays even where an added name's parts would
	// reach it.
	for i, p := range d.parts {
		var keep []ner.Finding
		for _, f := range d.found[i] {
			key := decisionKey(f.Entity, p.Text[f.Start:f.End])
			a := s.verdict(dd, current, key)
			switch {
			case a != nil && a.Verdict == Reject && f.Rule != AddedRule:
				a.used = true
				out.rejected[i] = append(out.rejected[i], f)
				out.honoured[strings.Join(ner.Fold(p.Text[f.Start:f.End]), " ")] = true
				out.review.Rejected++
				continue
			case a != nil && a.Verdict == Accept:
				a.used = true
				out.accepted[key] = true
			}
			keep = append(keep, f)
		}
		d.found[i] = keep
	}
	return out
}

// summary returns the report's summary of the decisions; reviewer, if not
// empty, is the name the run gives (--reviewer).
func (s *decisionSet) summary(reviewer string) *report.Review {
	r := &report.Review{Reviewer: s.reviewer, Documents: len(s.docs), Reviewed: s.reviewed}
	if reviewer != "" {
		r.Reviewer = reviewer
	}
	for _, a := range s.all {
		switch {
		case !a.used:
			r.Stale++
		case a.Verdict == Accept:
			r.Accepted++
		case a.Verdict == Reject:
			r.Rejected++
		case a.Verdict == Add:
			r.Added++
		}
	}
	return r
}

// count counts an edit made from finding f of a part with text in the
// file's review record: added by the reviewer, or accepted.
func (o *docOutcome) count(f ner.Finding, text string) {
	if o == nil {
		return
	}
	switch {
	case f.Rule == AddedRule || f.Rule == ner.PropagatedPrefix+AddedRule:
		o.review.Added++
	case o.accepted[decisionKey(f.Entity, text[f.Start:f.End])]:
		o.review.Accepted++
	}
}

// rejectedIn returns the findings of part i a reviewer rejected (input
// offsets): verification counts them as flagged input, so that nothing
// wider than the kept value passes for a context artefact.
func (o *docOutcome) rejectedIn(i int) []ner.Finding {
	if o == nil || i >= len(o.rejected) {
		return nil
	}
	return o.rejected[i]
}

// keptSpans returns the occurrences in text (an output part, masked) of
// the values the reviewer kept in this document; nil without decisions.
func (in *verifyInput) keptSpans(text string) []ner.Match {
	if in == nil || in.decided == nil || len(in.decided.honoured) == 0 {
		return nil
	}
	if in.kept == nil {
		var phs []ner.Phrase
		for k := range in.decided.honoured {
			phs = append(phs, ner.Phrase{Keys: strings.Fields(k)})
		}
		sort.Slice(phs, func(i, j int) bool { return strings.Join(phs[i].Keys, " ") < strings.Join(phs[j].Keys, " ") })
		in.kept = ner.NewPhraseMatcher(phs)
	}
	return in.kept.FindAll(text)
}

// outside returns the matches that do not lie inside one of spans.
func outside(ms, spans []ner.Match) []ner.Match {
	if len(spans) == 0 {
		return ms
	}
	out := ms[:0:0]
	for _, m := range ms {
		if !insideAny(m.Start, m.End, spans) {
			out = append(out, m)
		}
	}
	return out
}

// insideAny reports whether start:end lies inside one of spans.
func insideAny(start, end int, spans []ner.Match) bool {
	for _, s := range spans {
		if start >= s.Start && end <= s.End {
			return true
		}
	}
	return false
}

// honours reports whether a finding that verification made in an output
// part is a value the reviewer kept: its text is exactly a kept value (as
// words: "(503) 555-0183" is "503 555 0183"), or it lies inside an
// occurrence of one (kept: keptSpans of the part).
func (in *verifyInput) honours(text string, start, end int, kept []ner.Match) bool {
	if in == nil || in.decided == nil || len(in.decided.honoured) == 0 {
		return false
	}
	return in.decided.honoured[strings.Join(ner.Fold(text), " ")] || insideAny(start, end, kept)
}

func overlapsAny(f ner.Finding, fs []ner.Finding) bool {
	for _, g := range fs {
		if f.Start < g.End && g.Start < f.End {
			return true
		}
	}
	return false
}

// honourLeftovers drops from ls, the leftovers veil verify found in data
// (format f), those that are a value the reviewer kept in any document or
// lie inside one.
func (s *decisionSet) honourLeftovers(f redactors.Format, data []byte, ls []Leftover) ([]Leftover, error) {
	honoured := map[string]bool{}
	for _, a := range s.all {
		if a.Verdict == Reject {
			honoured[strings.Join(ner.Fold(a.Value), " ")] = true
		}
	}
	if len(honoured) == 0 {
		return ls, nil
	}
	doc, err := f.Parse(data)
	if err != nil {
		return nil, err
	}
	in := &verifyInput{decided: &docOutcome{honoured: honoured}}
	texts := map[string]string{}
	for _, p := range doc.Parts() {
		texts[p.Name+"\x00"+strconv.Itoa(p.Page)] = p.Text
	}
	out := ls[:0:0]
	for _, l := range ls {
		text, ok := texts[l.Part+"\x00"+strconv.Itoa(l.Page)]
		if ok && l.Kind == Redetected && l.End <= len(text) && in.honours(text[l.Start:l.End], l.Start, l.End, in.keptSpans(text)) {
			continue
		}
		out = append(out, l)
	}
	return out, nil
}
