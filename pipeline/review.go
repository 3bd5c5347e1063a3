package pipeline

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"runtime"

	"github.com/veilhq/veil/internal/par"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/redactors"
)

// Proposal is what a run would do to one source file, for a person to
// check before anything is released (veil review). It holds the file's
// original text: keep it in memory, never write it anywhere.
type Proposal struct {
	SourceKey string
	// OutputKey is the key the run would write (redacted like the text).
	OutputKey string
	Format    string
	// SHA256 fingerprints the source file (hex), for
	// DocumentDecisions.SHA256.
	SHA256 string
	// Status is the report status the run would give (report.Status…);
	// Reason and Detail say why a file would not be written.
	Status, Reason, Detail string
	// Notes are the format's facts about the file (content not inspected).
	Notes []string
	Parts []ProposalPart
	// Changes are the proposed changes in part order; Kept the findings
	// the profile leaves in place, which could still identify someone.
	Changes []ProposedChange
	Kept    []KeptFinding
	// Pages is the number of pages of a paged file whose text can be
	// located (PDF): the page images show Boxes. Input is then the source
	// file, for rendering them; nil otherwise.
	Pages int
	Input []byte
}

// ProposalPart is one text part of a file.
type ProposalPart struct {
	Name string
	Page int // 1-based page, 0 for unpaged parts
	Text string
}

// ProposedChange is one change the run would make.
type ProposedChange struct {
	Part int
	// Start and End are the span of the part's text the change replaces;
	// ValueStart and ValueEnd the finding's value inside it (the value a
	// decision names; the span may also take a title or a space).
	Start, End           int
	ValueStart, ValueEnd int
	Entity, Rule         string
	Score                float64
	Action, Replacement  string
	Basis                string
	// Boxes are where the span is drawn on its page, for paged formats
	// that can say (redactors.Locator).
	Boxes []redactors.Rect
}

// KeptFinding is a finding the profile leaves in place (a party's name in
// a court filing, an age under 90).
type KeptFinding struct {
	Part, Start, End int
	Entity, Rule     string
	Score            float64
	Boxes            []redactors.Rect
}

// ReviewConfig configures Propose.
type ReviewConfig struct {
	Engine *Engine
	Source storage.Source
	// MaxFileSize is the largest file read (default DefaultMaxFileSize);
	// Workers the files analysed at once (default: cores).
	MaxFileSize int64
	Workers     int
}

// Propose runs the analysis, the plan, the redaction and its verification
// over every file of the source, in memory, and returns what a run would
// do to each, in key order. Nothing is written. The engine's case (aliases)
// is advanced as a run would; use a fresh engine for the run itself.
//
// Everything is held in memory (the text of every file, and PDF inputs):
// it is meant for a case a person reviews, not an archive.
func Propose(ctx context.Context, c ReviewConfig) ([]*Proposal, error) {
	if c.MaxFileSize <= 0 {
		c.MaxFileSize = DefaultMaxFileSize
	}
	if c.Workers <= 0 {
		c.Workers = runtime.NumCPU()
	}
	var objs []storage.Object
	if err := c.Source.Walk(ctx, func(o storage.Object) error { objs = append(objs, o); return nil }); err != nil {
		return nil, fmt.Errorf("list %s: %w", c.Source, err)
	}
	e := c.Engine
	docs := make([]*Doc, len(objs))
	inputs := make([][]byte, len(objs))
	par.For(len(objs), c.Workers, func(i int) {
		data, err := readObject(ctx, c.Source, objs[i], c.MaxFileSize)
		if err != nil {
			docs[i] = e.Reject(ctx, objs[i].Key, objs[i].Size, err)
			return
		}
		docs[i] = e.Analyze(ctx, objs[i].Key, data)
		inputs[i] = data
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The case as a run settles it before planning (gather.go), so that
	// the review shows the aliases the run will write.
	for _, d := range docs {
		e.Gather(d)
	}
	e.Settle()
	out := make([]*Proposal, len(docs))
	for i, d := range docs {
		e.Plan(d)
		out[i] = propose(d)
		if out[i].Pages > 0 {
			out[i].Input = inputs[i]
		}
	}
	par.For(len(docs), c.Workers, func(i int) {
		_, rec := e.Apply(ctx, docs[i])
		out[i].Status, out[i].Reason, out[i].Detail, out[i].Notes = rec.Status, rec.Reason, rec.Detail, rec.Notes
	})
	return out, ctx.Err()
}

// propose describes the plan of d; call it after Plan and before Apply
// (a Locator must be asked before Redact).
func propose(d *Doc) *Proposal {
	p := &Proposal{SourceKey: d.SourceKey, OutputKey: d.outputKey, SHA256: hex.EncodeToString(d.sum[:])}
	if d.format != nil {
		p.Format = d.format.Name()
	}
	if d.err != nil {
		return p
	}
	d.keepResiduals()
	for _, part := range d.parts {
		p.Parts = append(p.Parts, ProposalPart{Name: part.Name, Page: part.Page, Text: part.Text})
	}
	loc, _ := d.doc.(redactors.Locator)
	if st, ok := d.doc.(redactors.Stamper); ok && loc != nil {
		p.Pages = st.PageCount()
	} else {
		loc = nil
	}
	boxes := func(part, start, end int) []redactors.Rect {
		if loc == nil {
			return nil
		}
		return loc.Locate(part, start, end)
	}
	for i, ed := range d.edits {
		f, c := d.sources[i], d.changes[i]
		p.Changes = append(p.Changes, ProposedChange{
			Part: ed.Part, Start: ed.Start, End: ed.End, ValueStart: f.Start, ValueEnd: f.End,
			Entity: c.Entity, Rule: c.Rule, Score: c.Score, Action: c.Action, Replacement: c.Replacement, Basis: c.Basis,
			Boxes: boxes(ed.Part, ed.Start, ed.End),
		})
	}
	for _, k := range d.kept {
		p.Kept = append(p.Kept, KeptFinding{Part: k.Part, Start: k.Start, End: k.End, Entity: string(k.Entity), Rule: k.Rule,
			Score: round2(k.Score), Boxes: boxes(k.Part, k.Start, k.End)})
	}
	return p
}

// readObject reads one object of at most limit bytes.
func readObject(ctx context.Context, src storage.Source, o storage.Object, limit int64) ([]byte, error) {
	if o.Size < 0 {
		return nil, fmt.Errorf("not a regular file: %w", redactors.ErrUnsupported)
	}
	if o.Size > limit {
		return nil, fmt.Errorf("%d bytes, limit %d: %w", o.Size, limit, redactors.ErrTooLarge)
	}
	rc, err := src.Open(ctx, o.Key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", redactors.ErrRead, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", redactors.ErrRead, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("grew past the limit of %d bytes: %w", limit, redactors.ErrTooLarge)
	}
	return data, nil
}
