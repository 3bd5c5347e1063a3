package pipeline

import (
	"context"
	"crypto/sha256"
	"path"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/filename"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/ner/names"
	"github.com/veilhq/veil/ner/roles"
	"github.com/veilhq/veil/redactors"
)

// analyzer is the first stage: it parses a file and finds what the
// profile redacts in every part and in the file's name. It writes nothing
// and keeps no state between files, so it runs on many files at once: it
// is safe for concurrent use.
type analyzer struct {
	formats *redactors.Registry
	// text is the detection of a text part (ner/chain.Set.Text);
	// fileName the detection in file names and paths.
	text, fileName ner.Detector
	filter         *findingFilter
	isCommon       func(string) bool // ordinary words, for propagation
	// roles reads the role cues of the findings (nil: Plan reads them),
	// refYear is the reference year for birth years.
	roles   *roles.Cues
	refYear int
}

func newAnalyzer(formats *redactors.Registry, text, fileName ner.Detector, filter *findingFilter, cues *roles.Cues, refYear int) *analyzer {
	return &analyzer{formats: formats, text: text, fileName: fileName, filter: filter, isCommon: gazetteer.IsCommonWord, roles: cues, refYear: refYear}
}

// analyze parses data and detects identifiers in every part and in the
// source key. It never returns an error: a document that cannot be
// processed carries the reason (Doc.Failed) and goes on to Plan so that
// its name is redacted too.
func (a *analyzer) analyze(ctx context.Context, sourceKey string, data []byte) *Doc {
	d := &Doc{SourceKey: sourceKey, Size: int64(len(data)), sum: sha256.Sum256(data)}
	d.nameFs = a.nameFindings(ctx, sourceKey)
	d.err = catch(func() error { return a.detect(ctx, d, data) })
	return d
}

// reject returns a Doc for a file that cannot be processed (see
// Engine.Reject).
func (a *analyzer) reject(ctx context.Context, sourceKey string, size int64, err error) *Doc {
	if size < 0 {
		size = 0
	}
	return &Doc{SourceKey: sourceKey, Size: size, nameFs: a.nameFindings(ctx, sourceKey), err: err}
}

func (a *analyzer) detect(ctx context.Context, d *Doc, data []byte) error {
	f, ok := a.formats.ForKey(d.SourceKey)
	if !ok {
		return unsupported(d.SourceKey)
	}
	d.format = f
	doc, err := redactors.Parse(ctx, f, data)
	if err != nil {
		return err
	}
	d.doc, d.parts = doc, doc.Parts()
	texts := make([]string, len(d.parts))
	d.found = make([][]ner.Finding, len(d.parts))
	var raw [][]ner.Finding // unfiltered findings of table cells, for the column refiner
	dated, textDate := contentPart(d.parts), ""
	for i, p := range d.parts {
		texts[i] = p.Text
		if fs, ok := a.filter.columnFindings(p); ok {
			d.found[i] = fs // the profile says what the column holds
			continue
		}
		fs, err := a.detectPart(ctx, p)
		if err != nil {
			return err
		}
		if p.Cell.Table > 0 {
			if raw == nil {
				raw = make([][]ner.Finding, len(d.parts))
			}
			raw[i] = fs
		}
		if i == dated {
			textDate = firstDate(p.Text, fs, a.filter.profile.Threshold)
		}
		d.found[i] = ner.Resolve(a.filter.filter(fs, p.Text))
	}
	if raw != nil {
		a.filter.refineColumns(d, raw) // colrefine.go; before propagation, which spreads what it finds
	}
	d.date = documentDate(doc, textDate)
	// A value found once is redacted wherever it occurs in the document.
	more := ner.Propagate(texts, d.found, a.isCommon)
	for i := range d.found {
		if more[i] = names.DropEponyms(texts[i], more[i]); len(more[i]) > 0 {
			d.found[i] = ner.Resolve(append(d.found[i], a.filter.filter(more[i], texts[i])...))
		}
	}
	a.filter.columnDecides(d) // columns.go
	if a.roles != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
		d.clients, d.minors = readRoles(a.roles, d.parts, d.found, a.refYear)
		d.cued = true
	}
	return nil
}

// readRoles returns the role cues of the findings of every part (see
// Doc.clients and Doc.minors).
func readRoles(cues *roles.Cues, parts []redactors.Part, found [][]ner.Finding, refYear int) (clients, minors [][]int) {
	clients, minors = make([][]int, len(parts)), make([][]int, len(parts))
	for i, part := range parts {
		// A value labelled as the client ("Client | <name>" in a table,
		// a form field) is the client: its first person.
		labelled := cues.ClientLabel(part.Field)
		for j, f := range found[i] {
			if f.Entity == ner.Person && (labelled || cues.Client(part.Text, f)) {
				clients[i] = append(clients[i], j)
				labelled = false
			}
		}
		minors[i] = cues.Minors(part.Text, found[i], refYear)
	}
	return clients, minors
}

// detectPart runs the text chain over a part, chunk by chunk when it is
// long, and returns the findings in part coordinates (unfiltered). The
// part's Field, the label its layout gives it, is the context of every
// chunk (ner.FieldDetector).
func (a *analyzer) detectPart(ctx context.Context, p redactors.Part) ([]ner.Finding, error) {
	return inChunks(ctx, p.Text, fieldDetect(a.text, p.Field))
}

// fieldDetect returns d's detection of texts that are values of field.
func fieldDetect(d ner.Detector, field string) func(context.Context, string) ([]ner.Finding, error) {
	if field == "" {
		return d.Detect
	}
	return func(ctx context.Context, text string) ([]ner.Finding, error) {
		return ner.DetectField(ctx, d, field, text)
	}
}

// nameFindings returns the findings in a file name, key or path
// (ner/filename) that the profile redacts, resolved. It ignores ctx's
// cancellation: a run that is stopping still reports the files it
// touched, and their keys must be redacted then too (a key is short; this
// is quick).
func (a *analyzer) nameFindings(ctx context.Context, name string) []ner.Finding {
	fs, err := a.fileName.Detect(context.WithoutCancel(ctx), name)
	if err != nil {
		// The file-name detectors are rules and lists, which fail only
		// on a cancelled context; treat the whole name as identifying
		// rather than none of it.
		return []ner.Finding{{Start: 0, End: len(name) - len(path.Ext(name)), Entity: ner.ID, Score: 1, Rule: "pattern/key-undetectable"}}
	}
	return ner.Resolve(a.filter.filter(fs, filename.Text(name)))
}
