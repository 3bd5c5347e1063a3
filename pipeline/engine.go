// Package pipeline runs Veil: it walks a source, and for each file parses,
// detects, plans, redacts, verifies and writes, then reports.
//
// The per-file work is split in three so that a batch is both parallel and
// deterministic: Analyze (parse + detect, parallel), Plan (aliases and
// output names, in source-key order), Apply (redact + verify, parallel).
package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/ner/names"
	"github.com/veilhq/veil/ner/pattern"
	"github.com/veilhq/veil/ner/prose"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/docx"
	"github.com/veilhq/veil/redactors/pdf"
	"github.com/veilhq/veil/redactors/text"
)

// Options configure an Engine.
type Options struct {
	Profile *profiles.Profile
	// DenyList terms are always redacted (entity CUSTOM_TERM).
	DenyList []string
	// DenyLists are further deny lists, each with its own label and basis
	// (a privileged list labelled "REDACTED – PRIVILEGED", a confidential
	// one "REDACTED – CONFIDENTIAL").
	DenyLists []DenyList
	// AllowList terms are never redacted.
	AllowList []string
	// Case links names to people and holds their aliases and roles across
	// the files of a case; nil means a new case for this engine.
	Case *profiles.Case
	// Keys are the keyed-pseudonym and date-shift secrets (--key-file);
	// required when the profile has a rule that uses them.
	Keys *profiles.Keys
	// Minors names people known to be minors (--minors).
	Minors []string
	// Year is the reference year for ages implied by dates and for minors;
	// 0 means the current year.
	Year int
	// CheckOnly makes an engine that only checks outputs (Check, veil
	// verify): a profile that needs a key does not need one then.
	CheckOnly bool
	// Formats overrides the supported formats (DefaultFormats).
	Formats *redactors.Registry
	// NoNER turns the statistical NER model off (rules and gazetteers only).
	NoNER bool
	// Bates, if set, stamps production numbers on every page (bates.go).
	Bates *Bates
}

// DenyList is a list of terms that are always redacted, with the label and
// basis of its rows ("" uses the profile's CUSTOM_TERM rule).
type DenyList struct {
	Terms        []string
	Label, Basis string
}

// ErrNoKey is returned by NewEngine for a profile that needs a key when
// Options.Keys is nil.
var ErrNoKey = errors.New("needs a key: give --key-file FILE (veil keygen FILE makes one)")

// DefaultFormats returns every format Veil reads.
func DefaultFormats() *redactors.Registry {
	return redactors.NewRegistry(text.Plain(), text.Markdown(), pdf.New(), docx.New(docx.Options{}), docx.MacroEnabled())
}

// Engine redacts documents. It is safe for concurrent use.
type Engine struct {
	profile *profiles.Profile
	detect  ner.Detector    // the rule detectors, for detection
	prose   *prose.Detector // the statistical model, where it can change the outcome
	verify  ner.Detector    // deterministic detectors, re-run on outputs
	keys    ner.Detector    // detectors for file names
	formats *redactors.Registry
	cases   *profiles.Case
	secrets *profiles.Keys
	year    int
	deny    map[string]DenyList // by rule id
	// denyPh are every deny-list term: verify searches the whole output
	// for them, also where the text does not show them (raw content).
	denyPh []ner.Phrase
	minors []string // identities
	allow  map[string]bool
	// words that mark the roles (profiles.DefaultContext or the profile's)
	clientWords, minorWords []string
	isCommon                func(string) bool
	outKeys                 outKeys
	bates                   *batesCounter
}

// NewEngine builds an engine.
func NewEngine(o Options) (*Engine, error) {
	if o.Profile == nil {
		return nil, errors.New("engine: no profile")
	}
	if need := o.Profile.NeedsKey(); len(need) > 0 && o.Keys == nil && !o.CheckOnly {
		return nil, fmt.Errorf("profile %s: %s %w", o.Profile.Name, strings.Join(need, ", "), ErrNoKey)
	}
	e := &Engine{
		profile:  o.Profile,
		formats:  o.Formats,
		cases:    o.Case,
		secrets:  o.Keys,
		year:     o.Year,
		deny:     map[string]DenyList{},
		allow:    map[string]bool{},
		isCommon: gazetteer.IsCommonWord,
	}
	if e.formats == nil {
		e.formats = DefaultFormats().With(docx.New(docx.Options{Images: docx.ImagePolicy(o.Profile.Images)}))
	}
	if e.cases == nil {
		e.cases = profiles.NewCase()
	}
	e.clientWords, e.minorWords = roleWords(o.Profile, profiles.Client), roleWords(o.Profile, profiles.Minor)
	if len(o.Minors) > 0 && !o.Profile.Redacts(ner.Person) {
		return nil, fmt.Errorf("profile %s keeps every name: a list of minors has no effect (add a rule for role minor)", o.Profile.Name)
	}
	for _, m := range o.Minors {
		if id := profiles.Identity(m); id != "" && !strings.HasPrefix(strings.TrimSpace(m), "#") {
			e.minors = append(e.minors, id)
		}
	}
	if o.Bates != nil {
		if err := o.Bates.Validate(); err != nil {
			return nil, err
		}
		e.bates = &batesCounter{cfg: *o.Bates, next: o.Bates.Start}
	}
	for _, t := range o.AllowList {
		if k := strings.Join(ner.Fold(t), " "); k != "" && !strings.HasPrefix(strings.TrimSpace(t), "#") {
			e.allow[k] = true
		}
	}
	rules := ner.Multi{pattern.Default(), names.New()}
	if len(o.DenyList) > 0 {
		rules = append(rules, ner.NewTerms(o.DenyList))
	}
	if o.Profile.Redacts(ner.Custom) {
		all := append([]string(nil), o.DenyList...)
		for _, dl := range o.DenyLists {
			all = append(all, dl.Terms...)
		}
		for _, t := range all {
			if keys := ner.Fold(t); len(keys) > 0 && !strings.HasPrefix(strings.TrimSpace(t), "#") {
				e.denyPh = append(e.denyPh, ner.Phrase{Keys: keys})
			}
		}
	}
	for i, dl := range o.DenyLists {
		rule := denyRule(i + 1)
		e.deny[rule] = dl
		rules = append(rules, newPhraseDetector(dl.Terms, ner.Custom, rule))
	}
	if len(o.Minors) > 0 {
		rules = append(rules, newPhraseDetector(o.Minors, ner.Person, "minors-list"))
	}
	e.verify, e.keys = rules, rules
	e.detect = rules
	// The statistical model is one vote among the rules. It runs only
	// where it can change the outcome: not when the profile keeps every
	// name, place and organisation, not in maximum-recall mode (where every
	// capitalised word that is not ordinary vocabulary is redacted anyway),
	// and then only on sentences with a word no rule has decided.
	if !o.NoNER && !o.Profile.MaxRecall() &&
		(o.Profile.Redacts(ner.Person) || o.Profile.Redacts(ner.Location) || o.Profile.Redacts(ner.Organization)) {
		p := prose.New()
		e.prose = &p
	}
	return e, nil
}

// roleWords returns the lower-case words that mark role r: the profile's
// role rule's context, or the defaults.
func roleWords(p *profiles.Profile, r profiles.Role) []string {
	words := profiles.DefaultContext(r)
	if rule, ok := p.ForRole(r); ok {
		words = rule.Context
	}
	out := make([]string, 0, len(words))
	for _, w := range words {
		if w = strings.ToLower(strings.Join(strings.Fields(w), " ")); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// Profile returns the engine's profile.
func (e *Engine) Profile() *profiles.Profile { return e.profile }

// Formats returns the engine's formats.
func (e *Engine) Formats() *redactors.Registry { return e.formats }

// Doc is a document between the stages.
type Doc struct {
	Key  string // source key
	Size int64
	// sum fingerprints the input, to tell a sanitised file (metadata
	// removed, tracked changes accepted) from one written unchanged.
	sum    [sha256.Size]byte
	format redactors.Format
	doc    redactors.Document
	parts  []redactors.Part
	found  [][]ner.Finding // resolved findings per part, redacting entities only
	keyFs  []ner.Finding   // findings in the key's text
	err    error           // why the file cannot be written, if it cannot

	// set by Plan
	counts    map[string]int // findings per entity, changed or not
	outKey    string
	edits     []redactors.Edit
	changes   []report.Change
	verifyPh  []ner.Phrase
	verifyEnt []ner.Entity // entity of each verify phrase
	repls     []string
	bates     []string // production number of each page
}

// Failed returns the reason the document cannot be written, or nil.
func (d *Doc) Failed() error { return d.err }

// OutKey returns the output key chosen by Plan.
func (d *Doc) OutKey() string { return d.outKey }

// keep reports whether a finding survives the threshold, the profile and
// the allow list.
func (e *Engine) keep(f ner.Finding, text string) bool {
	if f.Score < e.profile.Threshold || !e.profile.Redacts(f.Entity) {
		return false
	}
	if len(e.allow) > 0 && e.allow[strings.Join(ner.Fold(text[f.Start:f.End]), " ")] {
		return false
	}
	return true
}

func (e *Engine) filter(fs []ner.Finding, text string) []ner.Finding {
	out := fs[:0:0]
	for _, f := range fs {
		if e.keep(f, text) {
			out = append(out, f)
		}
	}
	return out
}

// Analyze parses data and detects identifiers in every part. It never
// returns an error: a document that cannot be processed carries the reason
// (Doc.Failed) and goes on to Plan so that its name is redacted too.
func (e *Engine) Analyze(ctx context.Context, key string, data []byte) *Doc {
	d := &Doc{Key: key, Size: int64(len(data)), sum: sha256.Sum256(data)}
	d.keyFs = e.detectKey(ctx, key)
	d.err = catch(func() error { return e.analyze(ctx, d, data) })
	return d
}

func (e *Engine) analyze(ctx context.Context, d *Doc, data []byte) error {
	f, ok := e.formats.ForKey(d.Key)
	if !ok {
		return unsupported(d.Key)
	}
	d.format = f
	doc, err := f.Parse(data)
	if err != nil {
		return err
	}
	d.doc, d.parts = doc, doc.Parts()
	texts := make([]string, len(d.parts))
	d.found = make([][]ner.Finding, len(d.parts))
	for i, p := range d.parts {
		texts[i] = p.Text
		fs, err := e.detectPart(ctx, p.Text)
		if err != nil {
			return err
		}
		d.found[i] = ner.Resolve(e.filter(fs, p.Text))
	}
	// A value found once is redacted wherever it occurs in the document.
	more := ner.Propagate(texts, d.found, e.isCommon)
	for i := range d.found {
		if len(more[i]) > 0 {
			d.found[i] = ner.Resolve(append(d.found[i], e.filter(more[i], texts[i])...))
		}
	}
	return nil
}

// decidedBy reports, for a span, whether a finding at or above the
// threshold overlaps it: the rules have decided that text already.
func decidedBy(fs []ner.Finding, threshold float64) func(start, end int) bool {
	var iv []ner.Finding
	for _, f := range fs {
		if f.Score >= threshold {
			iv = append(iv, f)
		}
	}
	iv = ner.Resolve(iv) // sorted, non-overlapping
	return func(start, end int) bool {
		i := sort.Search(len(iv), func(i int) bool { return iv[i].End > start })
		return i < len(iv) && iv[i].Start < end
	}
}

// unsupported is the error for a key whose extension no format handles. It
// names the extension only.
func unsupported(key string) error {
	ext := strings.ToLower(path.Ext(key))
	if ext == "" {
		ext = "(none)"
	}
	return fmt.Errorf("extension %s: %w", ext, redactors.ErrUnsupported)
}

// Plan decides every replacement, alias and the output key. Calls must be
// made in source-key order for aliases to be deterministic. Output keys
// differ from each other but are not checked against a source: Run, which
// writes them next to each other, also keeps redacted keys off source keys.
func (e *Engine) Plan(d *Doc) { e.planIn(d, nil) }

// planIn is Plan in a run over a source; inSource reports whether a key
// names a source object (see redactKey).
func (e *Engine) planIn(d *Doc, inSource func(string) (bool, error)) {
	if d.err == nil {
		d.err = catch(func() error { e.plan(d); return nil })
	}
	if d.err == nil && e.bates != nil {
		d.err = catch(func() error { return e.stamp(d) })
	}
	var err error
	d.outKey, err = e.redactKey(d, inSource)
	if err != nil && d.err == nil {
		d.err = err
	}
}

func (e *Engine) plan(d *Doc) {
	var texts []string
	for _, p := range d.parts {
		texts = append(texts, p.Text)
	}
	pl := e.newPlanner(d)
	repls := map[string]bool{}
	for i, p := range d.parts {
		delta := 0
		for _, x := range pl.part(i) {
			ed := x.edit
			d.edits = append(d.edits, ed)
			outStart := ed.Start + delta
			delta += len(ed.Replacement) - (ed.End - ed.Start)
			d.changes = append(d.changes, report.Change{
				Part: p.Name, Page: p.Page, Start: outStart, End: outStart + len(ed.Replacement),
				Entity: string(x.f.Entity), Rule: x.f.Rule, Score: round2(x.f.Score),
				Action: string(x.rule.Action), Replacement: ed.Replacement, Basis: x.rule.Basis,
			})
			repls[ed.Replacement] = true
		}
	}
	d.counts = map[string]int{}
	for _, fs := range d.found {
		for _, f := range fs {
			d.counts[string(f.Entity)]++
		}
	}
	// What the verify step must not find again: every removed value.
	d.verifyPh, d.verifyEnt = pl.verifyPhrases(texts)
	for r := range repls {
		d.repls = append(d.repls, r)
	}
	sort.Slice(d.repls, func(i, j int) bool {
		if len(d.repls[i]) != len(d.repls[j]) {
			return len(d.repls[i]) > len(d.repls[j])
		}
		return d.repls[i] < d.repls[j]
	})
}

// Apply writes the redacted document and verifies it. It returns the output
// bytes and the report record; out is nil unless the file may be written.
func (e *Engine) Apply(ctx context.Context, d *Doc) (out []byte, rec report.File) {
	rec = report.File{Key: d.outKey, KeyRedacted: d.outKey != d.Key, Bytes: d.Size}
	if d.format != nil {
		rec.Format = d.format.Name()
	}
	if d.err == nil {
		d.err = catch(func() error {
			var err error
			out, err = e.apply(ctx, d)
			return err
		})
	}
	if d.err != nil {
		r := redactors.ReasonOf(d.err)
		rec.Status, rec.Reason, rec.Detail = report.StatusQuarantined, r.Code, d.scrub(safeDetail(d.err))
		return nil, rec
	}
	if n, ok := d.doc.(redactors.Noter); ok {
		rec.Notes = n.Notes()
	}
	switch len(d.bates) {
	case 0:
	case 1:
		rec.Bates = d.bates[0]
	default:
		rec.Bates = d.bates[0] + "–" + d.bates[len(d.bates)-1]
	}
	rec.Status = report.StatusUnchanged
	if len(d.counts) > 0 {
		rec.Found = d.counts
	}
	if sha256.Sum256(out) != d.sum {
		// Changed without findings: the format sanitised it (see Notes).
		rec.Status = report.StatusRedacted
	}
	if len(d.changes) > 0 {
		rec.Status = report.StatusRedacted
		rec.Changes = d.changes
		rec.Entities, rec.Actions = map[string]int{}, map[string]int{}
		for _, c := range d.changes {
			rec.Entities[c.Entity]++
			rec.Actions[c.Action]++
		}
	}
	return out, rec
}

func (e *Engine) apply(ctx context.Context, d *Doc) ([]byte, error) {
	var buf bytes.Buffer
	if err := d.doc.Redact(&buf, d.edits); err != nil {
		return nil, err
	}
	out := buf.Bytes()
	if err := e.verifyOutput(ctx, d, out); err != nil {
		return nil, err
	}
	return out, nil
}

// verifyOutput re-opens the output and checks that a paged document kept
// its page count, that no redacted value survives in any part (or in the
// raw encoding, for formats that can hide text there), and that the
// deterministic detectors find nothing the profile should have removed.
func (e *Engine) verifyOutput(ctx context.Context, d *Doc, out []byte) error {
	doc2, err := d.format.Parse(out)
	if err != nil {
		if errors.Is(err, redactors.ErrEmpty) && len(d.edits) > 0 {
			return nil // everything was redacted away; nothing can survive
		}
		return fmt.Errorf("%w: output does not parse again: %s", redactors.ErrVerify, redactors.ReasonOf(err).Message)
	}
	// A paged format keeps every page.
	if s1, ok := d.doc.(redactors.Stamper); ok {
		if s2, ok := doc2.(redactors.Stamper); ok && s1.PageCount() != s2.PageCount() {
			return fmt.Errorf("%w: the output has %d pages, the input %d", redactors.ErrVerify, s2.PageCount(), s1.PageCount())
		}
	}
	mask := maskReplacements(d.repls)
	// Every removed value, and every deny-list term whether or not the
	// text showed it: a term in a font name or a metadata field is found
	// only in the raw content.
	m := ner.NewPhraseMatcher(append(append([]ner.Phrase(nil), d.verifyPh...), e.denyPh...))
	parts2 := doc2.Parts()
	sameParts := len(parts2) == len(d.parts)
	for i, p := range parts2 {
		masked := mask(p.Text)
		if mt := m.FindAll(masked); len(mt) > 0 {
			return fmt.Errorf("%w: a redacted value survives in %s", redactors.ErrVerify, p.Name)
		}
		fs, err := inChunks(ctx, masked, e.verify.Detect)
		if err != nil {
			return err
		}
		for _, f := range e.filter(fs, masked) {
			if !e.profile.For(f.Entity).Changes(masked[f.Start:f.End]) {
				continue
			}
			if sameParts && d.parts[i].Name == p.Name && d.contextArtefact(i, f) {
				continue
			}
			return fmt.Errorf("%w: re-detection finds %s in %s", redactors.ErrVerify, f.Entity, p.Name)
		}
	}
	if lc, ok := doc2.(redactors.LeakChecker); ok && m.Len() > 0 {
		where, err := lc.Leaks(out, func(t string) bool { return len(m.FindAll(mask(t))) > 0 })
		if err != nil {
			return fmt.Errorf("%w: %s", redactors.ErrVerify, redactors.ReasonOf(err).Message)
		}
		if len(where) > 0 {
			return fmt.Errorf("%w: a redacted value survives in the file's raw content (%s)", redactors.ErrVerify, strings.Join(where, ", "))
		}
	}
	return nil
}

// contextArtefact reports whether a finding that re-detection makes in the
// output of part i lies in text the redaction left unchanged and that the
// detectors did not flag in the input: context-sensitive rules can fire
// once a neighbouring word is replaced ("DC'D AT [TIME]. RIGHT"), which is
// no leak. A finding that touches a replacement, or covers input text that
// was flagged, is never an artefact.
func (d *Doc) contextArtefact(part int, f ner.Finding) bool {
	var edits []redactors.Edit
	for _, ed := range d.edits {
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
	if start < 0 || end > len(d.parts[part].Text) {
		return false
	}
	for _, g := range d.found[part] {
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

// Redact runs the three stages on one document; for single files and
// streams. Calls on one Engine share its aliases.
func (e *Engine) Redact(ctx context.Context, key string, data []byte) ([]byte, report.File) {
	d := e.Analyze(ctx, key, data)
	e.Plan(d)
	return e.Apply(ctx, d)
}

// catch runs fn and turns a panic into ErrInternal. The panic value and
// stack are not kept: they could hold document text.
func catch(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w (recovered panic)", redactors.ErrInternal)
		}
	}()
	return fn()
}

// safeDetail returns an error message for the report. Errors in this
// program are built to carry no document text: format errors name parts,
// pages and codes only.
func safeDetail(err error) string {
	var r *redactors.Reason
	if errors.As(err, &r) && err.Error() == r.Message {
		return r.Message
	}
	return err.Error()
}

// scrub replaces the original key, its file name and the file name without
// its extension in an error message with their redacted forms. Errors
// are built to carry no key; this is the second line of defence for an
// error text from the OS or a library that names the file anyway.
func (d *Doc) scrub(msg string) string {
	if d.outKey == d.Key || d.outKey == "" {
		return msg
	}
	base, outBase := path.Base(d.Key), path.Base(d.outKey)
	stem, outStem := strings.TrimSuffix(base, path.Ext(base)), strings.TrimSuffix(outBase, path.Ext(outBase))
	msg = strings.ReplaceAll(msg, d.Key, d.outKey)
	msg = strings.ReplaceAll(msg, base, outBase)
	if stem != "" {
		msg = strings.ReplaceAll(msg, stem, outStem)
	}
	return msg
}

// stamp gives the document's pages their Bates numbers and puts them in
// the changes.
func (e *Engine) stamp(d *Doc) error {
	labels, err := e.bates.assign(d)
	if err != nil || labels == nil {
		return err
	}
	d.bates = labels
	for i := range d.changes {
		if p := d.changes[i].Page; p >= 1 && p <= len(labels) {
			d.changes[i].Bates = labels[p-1]
		}
	}
	return nil
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
