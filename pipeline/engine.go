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
	"github.com/veilhq/veil/redactors/text"
)

// Options configure an Engine.
type Options struct {
	Profile *profiles.Profile
	// DenyList terms are always redacted (entity CUSTOM_TERM).
	DenyList []string
	// AllowList terms are never redacted.
	AllowList []string
	// Aliases hands out aliases; nil means a new table for this engine.
	Aliases profiles.Aliaser
	// Formats overrides the supported formats (DefaultFormats).
	Formats *redactors.Registry
	// NoNER turns the statistical NER model off (rules and gazetteers only).
	NoNER bool
}

// DefaultFormats returns every format Veil reads.
func DefaultFormats() *redactors.Registry {
	return redactors.NewRegistry(text.Plain(), text.Markdown(), docx.New(docx.Options{}), docx.MacroEnabled())
}

// Engine redacts documents. It is safe for concurrent use.
type Engine struct {
	profile  *profiles.Profile
	detect   ner.Detector // everything, for detection
	verify   ner.Detector // deterministic detectors, re-run on outputs
	keys     ner.Detector // detectors for file names
	formats  *redactors.Registry
	aliases  profiles.Aliaser
	allow    map[string]bool
	isCommon func(string) bool
	outKeys  outKeys
}

// NewEngine builds an engine.
func NewEngine(o Options) (*Engine, error) {
	if o.Profile == nil {
		return nil, errors.New("engine: no profile")
	}
	e := &Engine{
		profile:  o.Profile,
		formats:  o.Formats,
		aliases:  o.Aliases,
		allow:    map[string]bool{},
		isCommon: gazetteer.IsCommonWord,
	}
	if e.formats == nil {
		e.formats = DefaultFormats()
	}
	if e.aliases == nil {
		e.aliases = profiles.NewAliases()
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
	e.verify, e.keys = rules, rules
	e.detect = rules
	if !o.NoNER {
		e.detect = append(append(ner.Multi{}, rules...), prose.New())
	}
	return e, nil
}

// Profile returns the engine's profile.
func (e *Engine) Profile() *profiles.Profile { return e.profile }

// Formats returns the engine's formats.
func (e *Engine) Formats() *redactors.Registry { return e.formats }

// Doc is a document between the stages.
type Doc struct {
	Key    string // source key
	Size   int64
	format redactors.Format
	doc    redactors.Document
	parts  []redactors.Part
	found  [][]ner.Finding // resolved findings per part, redacting entities only
	keyFs  []ner.Finding   // findings in the key's text
	err    error           // why the file cannot be written, if it cannot

	// set by Plan
	outKey    string
	edits     []redactors.Edit
	changes   []report.Change
	verifyPh  []ner.Phrase
	verifyEnt []ner.Entity // entity of each verify phrase
	repls     []string
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
	d := &Doc{Key: key, Size: int64(len(data))}
	d.keyFs = e.detectKey(ctx, key)
	d.err = catch(func() error { return e.analyze(ctx, d, data) })
	return d
}

func (e *Engine) analyze(ctx context.Context, d *Doc, data []byte) error {
	f, ok := e.formats.ForKey(d.Key)
	if !ok {
		ext := strings.ToLower(path.Ext(d.Key))
		if ext == "" {
			ext = "(none)"
		}
		return fmt.Errorf("extension %s: %w", ext, redactors.ErrUnsupported)
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
		fs, err := e.detect.Detect(ctx, p.Text)
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

// Plan decides every replacement, alias and the output key. Calls must be
// made in source-key order for aliases to be deterministic.
func (e *Engine) Plan(d *Doc) {
	if d.err == nil {
		d.err = catch(func() error { e.plan(d); return nil })
	}
	d.outKey = e.redactKey(d)
}

func (e *Engine) plan(d *Doc) {
	var texts []string
	for _, p := range d.parts {
		texts = append(texts, p.Text)
	}
	repls := map[string]bool{}
	for i, p := range d.parts {
		delta := 0
		for _, f := range d.found[i] {
			value := p.Text[f.Start:f.End]
			rule := e.profile.For(f.Entity)
			repl, changed := rule.Replace(value, "", e.aliases)
			if !changed {
				continue
			}
			d.edits = append(d.edits, redactors.Edit{Part: i, Start: f.Start, End: f.End, Replacement: repl})
			outStart := f.Start + delta
			delta += len(repl) - (f.End - f.Start)
			d.changes = append(d.changes, report.Change{
				Part: p.Name, Page: p.Page, Start: outStart, End: outStart + len(repl),
				Entity: string(f.Entity), Rule: f.Rule, Score: round2(f.Score),
				Action: string(rule.Action), Replacement: repl, Basis: rule.Basis,
			})
			repls[repl] = true
		}
	}
	// What the verify step must not find again: every redacted value.
	changed := make([][]ner.Finding, len(d.parts))
	for _, ed := range d.edits {
		for _, f := range d.found[ed.Part] {
			if f.Start == ed.Start && f.End == ed.End {
				changed[ed.Part] = append(changed[ed.Part], f)
			}
		}
	}
	var from []ner.Finding
	d.verifyPh, from = ner.ValuePhrases(texts, changed, e.isCommon)
	for _, f := range from {
		d.verifyEnt = append(d.verifyEnt, f.Entity)
	}
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
		rec.Status, rec.Reason, rec.Detail = report.StatusQuarantined, r.Code, safeDetail(d.err)
		return nil, rec
	}
	if n, ok := d.doc.(redactors.Noter); ok {
		rec.Notes = n.Notes()
	}
	rec.Status = report.StatusUnchanged
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

// verifyOutput re-opens the output and checks that no redacted value
// survives in any part (or in the raw encoding, for formats that can hide
// text there), and that the deterministic detectors find nothing the profile
// should have removed.
func (e *Engine) verifyOutput(ctx context.Context, d *Doc, out []byte) error {
	doc2, err := d.format.Parse(out)
	if err != nil {
		if errors.Is(err, redactors.ErrEmpty) && len(d.edits) > 0 {
			return nil // everything was redacted away; nothing can survive
		}
		return fmt.Errorf("%w: output does not parse again: %s", redactors.ErrVerify, redactors.ReasonOf(err).Message)
	}
	mask := maskReplacements(d.repls)
	m := ner.NewPhraseMatcher(d.verifyPh)
	for _, p := range doc2.Parts() {
		masked := mask(p.Text)
		if mt := m.FindAll(masked); len(mt) > 0 {
			return fmt.Errorf("%w: a redacted value survives in %s", redactors.ErrVerify, p.Name)
		}
		fs, err := e.verify.Detect(ctx, masked)
		if err != nil {
			return err
		}
		for _, f := range e.filter(fs, masked) {
			if e.profile.For(f.Entity).Changes(masked[f.Start:f.End]) {
				return fmt.Errorf("%w: re-detection finds %s in %s", redactors.ErrVerify, f.Entity, p.Name)
			}
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

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }
