// Package pipeline runs Veil: it walks a source, and for each file parses,
// detects, plans, redacts, verifies and writes, then reports.
//
// The per-file work is split in three so that a batch is both parallel and
// deterministic: Analyze (parse + detect, parallel), Plan (aliases and
// output names, in source-key order), Apply (redact + verify, parallel).
// Each stage is its own unit, in its own file:
//
//	analyze.go  analyzer: parse, detect with the text chain, propagate
//	plan.go     planner: the case table, roles, aliases, replacements
//	outnames.go output names (redacted source keys), unique across a run
//	bates.go    Bates numbers
//	verify.go   verifier: the second reading of an output, for veil run
//	            (before a file is written) and veil verify (after)
//
// Engine (this file) builds the three from Options and runs them; Run
// (run.go) runs an Engine over a source.
//
// Four things are called keys, and each has its own name here: the
// source key (Doc.SourceKey, the input's object key), the output key
// (Doc.OutputKey, the key it is written under, redacted), the secrets of a
// key file (Options.Secrets, of type profiles.Keys) and a person's subject
// key in the case table (profiles.SubjectKey, the order-free form of a
// name that pseudonyms and date shifts are derived from).
package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/chain"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/docx"
	"github.com/veilhq/veil/redactors/email"
	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/office"
	"github.com/veilhq/veil/redactors/pdf"
	"github.com/veilhq/veil/redactors/pdfscan"
	"github.com/veilhq/veil/redactors/table"
	"github.com/veilhq/veil/redactors/text"
	"github.com/veilhq/veil/redactors/xlsx"
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
	// Case is the case table: it links names to people and holds their
	// aliases and roles across the files of a case; nil means a new case
	// for this engine.
	Case *profiles.Case
	// Secrets are the keyed-pseudonym and date-shift secrets of a key
	// file (--key-file); required when the profile has a rule that uses
	// them.
	Secrets *profiles.Keys
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
	// Production, if set, writes a production volume (production.go);
	// it needs Bates.
	Production *Production
	// Decisions, if set, are a reviewer's decisions (veil review), which
	// the plan applies before it decides anything (decisions.go).
	Decisions *Decisions
	// OCR configures the reading of images and scans (--ocr-languages,
	// --ocr-layer).
	OCR OCROptions
}

// DenyList is a list of terms that are always redacted, with the label and
// basis of its rows ("" uses the profile's CUSTOM_TERM rule).
type DenyList = ner.TermList

// ErrNoKey is returned by NewEngine for a profile that needs a key when
// Options.Secrets is nil.
var ErrNoKey = errors.New("needs a key: give --key-file FILE (veil keygen FILE makes one)")

// DefaultFormats returns every format Veil reads, with the format
// options of the default profile settings.
func DefaultFormats() *redactors.Registry {
	return newFormats(profiles.ImagesDrop, profiles.ImagesDrop, profiles.NoTextUnread, profiles.FormsFlatten, OCROptions{})
}

// OCROptions configure the reading of images and scans.
type OCROptions struct {
	// Languages are the Tesseract languages every image is read with
	// (--ocr-languages); nil means ocr.DefaultLanguages. Check them with
	// ocr.Default().Check first: an image read without its language
	// data fails.
	Languages []string
	// Layer writes an invisible text layer of the kept words into every
	// scanned PDF (--ocr-layer), so that the output is searchable.
	Layer bool
}

// formatsFor returns every format Veil reads, set up as profile p says
// (what to do with images) and with the OCR options o.
func formatsFor(p *profiles.Profile, o OCROptions) *redactors.Registry {
	return newFormats(p.Images, p.ImagesUnread, p.ImagesNoText, p.Forms, o)
}

// newFormats returns the formats, with the images inside documents (DOCX
// pictures, email attachments) read by OCR, dropped or quarantined as the
// profile's images and images_unread say. Image files and scanned PDFs
// (redactors/pdfscan) are always read by OCR, and a picture without text
// is quarantined: dropping it would leave nothing to write.
//
// The images of text PDFs follow images too: read by OCR (ocr), written
// blank (drop: the default, as before OCR), or the file refused
// (quarantine); under ocr, images_unread decides the images OCR cannot
// read, except that images_no_text: keep keeps a PDF's pictures without
// text (redactors/pdf/pictures.go).
func newFormats(imgs, unread profiles.ImagePolicy, noText profiles.NoTextPolicy, forms profiles.FormsPolicy, o OCROptions) *redactors.Registry {
	langs := o.Languages
	po := pdf.Options{OCR: images.Options{Languages: langs}}
	if forms == profiles.FormsDrop {
		po.Forms = pdf.FormsDrop // PDF forms (forms.go): flattened unless dropped
	}
	switch imgs {
	case profiles.ImagesQuarantine:
		po.Images = pdf.ImagesQuarantine
	case profiles.ImagesOCR:
		po.Images = pdf.ImagesOCR
		if unread != profiles.ImagesDrop {
			po.Unread = pdf.ImagesQuarantine
		}
		if noText == profiles.NoTextKeep {
			po.Pictures = pdf.PicturesKeep
		}
	}
	scan := pdfscan.Options{Images: images.New(images.Options{Languages: langs}), Layer: o.Layer}
	// Images inside a document (a text's data: URLs, attachments of a
	// message) as the profile's images and images_unread say.
	emb := embeddedImages(imgs, unread)
	emb.Languages = langs
	to := text.Options{Images: images.New(emb)}
	base := []redactors.Format{text.PlainWith(to), text.MarkdownWith(to), pdfscan.New(pdf.New(po), scan),
		docx.New(docx.Options{Images: docx.ImagePolicy(imgs), Unread: docx.ImagePolicy(unread), OCR: images.Options{Languages: langs}}), docx.MacroEnabled(),
		images.New(images.Options{Languages: langs}), table.CSV(table.Options{}), table.TSV(table.Options{}),
		xlsx.New(xlsx.Options{}), xlsx.MacroEnabled()}
	// Attachments of a message go through the same formats, images as
	// images inside a document.
	attached := redactors.NewRegistry(base...).With(images.New(emb))
	return redactors.NewRegistry(append(base, email.Formats(attached, email.Options{})...)...)
}

// embeddedImages are the options of the image format for images inside a
// document: read by OCR (ocr) or not (drop, quarantine); what cannot be
// read written blank (drop) or refused (quarantine); what shows nothing
// kept; the image data of an image left as it was kept too.
func embeddedImages(imgs, unread profiles.ImagePolicy) images.Options {
	o := images.Options{KeepPlain: true, KeepEncoding: true, NoText: images.NoTextDrop}
	if imgs != profiles.ImagesOCR {
		o.NoOCR, unread = true, imgs
	}
	if unread != profiles.ImagesDrop {
		o.NoText = images.NoTextQuarantine
	}
	return o
}

// Engine redacts documents. It is safe for concurrent use; Plan calls must
// come from one goroutine (see Plan).
type Engine struct {
	// warm is closed when warmup's loading is done (warmOnce starts it).
	warmOnce sync.Once
	warm     <-chan struct{}
	profile  *profiles.Profile
	formats  *redactors.Registry
	analyzer *analyzer
	planner  *planner
	// verifier re-reads outputs with the profile's whole detection
	// chain, for Apply and Check.
	verifier *verifier
	// gathered is what Gather learnt for Settle (gather.go).
	gathered gathering
	// loadModels loads the chain's statistical model (nil: none).
	loadModels func()
}

// NewEngine builds an engine.
func NewEngine(o Options) (*Engine, error) {
	defer lessGCForLoading()() // the rules and lists it compiles stay live
	if o.Profile == nil {
		return nil, errors.New("engine: no profile")
	}
	if need := o.Profile.NeedsKey(); len(need) > 0 && o.Secrets == nil && !o.CheckOnly {
		return nil, fmt.Errorf("profile %s: %s %w", o.Profile.Name, strings.Join(need, ", "), ErrNoKey)
	}
	if len(o.Minors) > 0 && !o.Profile.Redacts(ner.Person) {
		return nil, fmt.Errorf("profile %s keeps every name: a list of minors has no effect (add a rule for role minor)", o.Profile.Name)
	}
	formats := o.Formats
	if formats == nil {
		formats = formatsFor(o.Profile, o.OCR)
	}
	if o.Production != nil {
		if o.Bates == nil {
			return nil, errors.New("a production volume needs Bates numbers (--bates PREFIX)")
		}
		if err := o.Production.Validate(); err != nil {
			return nil, err
		}
	}
	pl, err := newPlanner(o)
	if err != nil {
		return nil, err
	}
	chains := chain.Build(chainConfig(o))
	filter := newFindingFilter(o.Profile, o.AllowList)
	refYear := (&profiles.Env{Year: o.Year}).RefYear()
	e := &Engine{
		profile:    o.Profile,
		formats:    formats,
		analyzer:   newAnalyzer(formats, chains.Text, chains.FileName, filter, pl.roles, refYear),
		planner:    pl,
		verifier:   newVerifier(o.Profile, chains.Text, filter, o.Year).withRules(chains.Verify),
		loadModels: chains.Load,
	}
	if o.Bates != nil {
		// Word documents become PDF pages to be numbered (convert.go).
		if c, err := office.Find(); err == nil {
			pl.office = c
		}
		pl.verify = e.verifier.verifyOutput
	}
	return e, nil
}

// chainConfig reads the profile and the options into the detection
// chains' configuration (ner/chain.Build lists the chains themselves).
func chainConfig(o Options) chain.Config {
	var lists []chain.List
	for i, dl := range o.DenyLists {
		lists = append(lists, chain.List{Terms: dl.Terms, Entity: ner.Custom, Rule: denyRule(i + 1)})
	}
	if len(o.Minors) > 0 {
		lists = append(lists, chain.List{Terms: o.Minors, Entity: ner.Person, Rule: "minors-list"})
	}
	p := o.Profile
	return chain.Config{
		DenyList: o.DenyList,
		Lists:    lists,
		// The statistical model is one vote among the rules. It runs only
		// where it can change the outcome: not when the profile keeps
		// every name, place and organisation, not in maximum-recall mode
		// (where every capitalised word that is not ordinary vocabulary
		// is redacted anyway), and then only on sentences with a word no
		// rule has decided (prose.Vote).
		Model: !o.NoNER && !p.MaxRecall() && (p.Redacts(ner.Person) || p.Redacts(ner.Location) || p.Redacts(ner.Organization)),
		// Veil's own model runs over all of the text wherever names,
		// places or organisations are redacted, and leads maximum recall.
		Tagger:    !o.NoNER && (p.MaxRecall() || p.Redacts(ner.Person) || p.Redacts(ner.Location) || p.Redacts(ner.Organization)),
		Threshold: p.Threshold,
		MaxRecall: p.MaxRecall(),
		// What a number measures stays where the profile says so.
		KeepMeasurements: p.KeepMeasurements(),
	}
}

// denyRule is the rule id of deny list n (1-based) of Options.DenyLists.
func denyRule(n int) string { return fmt.Sprintf("deny-list/%d", n) }

// warmup loads the word lists, which detection loads on first use (about
// a tenth of a CPU second, from prebuilt tables), and returns a channel
// closed when they are loaded; it starts loading on its first call only
// (later calls return the same channel), which a run makes when the
// source lists its first file: a run with nothing to do (an empty
// source, every file done by an earlier attempt) loads nothing. A run
// waits for it before it times the first file against its budget; the
// lists load while the source is listed, instead of in the first file's
// analysis, where every worker would wait for them. The statistical model
// of a chain that has one (prose's, ~0.2 s CPU) loads meanwhile too, but is
// not waited for: a worker that needs it before it is loaded waits for it
// then, as it would have loaded it itself; so are the lists of the
// could-still-identify review (residual.go), which the serial plan stage
// would otherwise load on its first file while the workers wait.
func (e *Engine) warmup() <-chan struct{} {
	e.warmOnce.Do(func() { e.warm = e.load() })
	return e.warm
}

func (e *Engine) load() <-chan struct{} {
	done := make(chan struct{})
	loaded := lessGCForLoading()
	var loads sync.WaitGroup
	loads.Go(func() { defer close(done); gazetteer.Lookup("") })
	if e.loadModels != nil {
		loads.Go(e.loadModels)
	}
	if e.profile != nil && residualsWanted(e.profile) {
		// the plan stage, which is serial, reads them on its first file
		loads.Go(func() { residualLists(); residualFilters(); smallPlaces(); smallPlaceFirstWords() })
	}
	go func() { loads.Wait(); loaded() }()
	return done
}

// Profile returns the engine's profile.
func (e *Engine) Profile() *profiles.Profile { return e.profile }

// ReviewSummary returns what the engine's decisions did in the files
// planned so far, for the report (reviewer: --reviewer, "" for the name
// the decisions file holds); nil without decisions. Call it after Run.
func (e *Engine) ReviewSummary(reviewer string) *report.Review {
	if e.planner.decisions == nil {
		return nil
	}
	return e.planner.decisions.summary(reviewer)
}

// Formats returns the engine's formats.
func (e *Engine) Formats() *redactors.Registry { return e.formats }

// Analyze parses data and detects identifiers in every part. It never
// returns an error: a document that cannot be processed carries the reason
// (Doc.Failed) and goes on to Plan so that its name is redacted too.
func (e *Engine) Analyze(ctx context.Context, sourceKey string, data []byte) *Doc {
	return e.analyzer.analyze(ctx, sourceKey, data)
}

// Reject returns a Doc for a file that cannot be processed, so that it goes
// through Plan (its name is redacted too) and is reported with err.
func (e *Engine) Reject(ctx context.Context, sourceKey string, size int64, err error) *Doc {
	return e.analyzer.reject(ctx, sourceKey, size, err)
}

// Plan decides every replacement, alias and the output key. Calls must be
// made in source-key order, from one goroutine, for aliases to be
// deterministic. Output keys differ from each other but are not checked
// against a source: Run, which writes them next to each other, also keeps
// redacted keys off source keys.
func (e *Engine) Plan(d *Doc) { e.planner.plan(context.Background(), d, nil) }

// Apply writes the redacted document and verifies it. It returns the output
// bytes and the report record; out is nil unless the file may be written.
func (e *Engine) Apply(ctx context.Context, d *Doc) (out []byte, rec report.File) {
	rec = report.File{Key: d.outputKey, KeyRedacted: d.outputKey != d.SourceKey, Bytes: d.Size}
	if d.format != nil {
		rec.Format = d.format.Name()
	}
	if d.convertedFrom != "" {
		rec.Format = d.convertedFrom
	}
	if d.err == nil {
		d.err = catch(func() error {
			d.keepResiduals() // left by Plan to this parallel stage
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
	rec.Notes = append(append([]string(nil), d.notes...), notesOf(d.doc)...)
	rec.StillIdentify = stillIdentify(d) // residual.go
	switch len(d.bates) {
	case 0:
	case 1:
		rec.Bates = d.bates[0]
	default:
		rec.Bates = d.bates[0] + report.BatesRangeSep + d.bates[len(d.bates)-1]
	}
	if st, ok := d.doc.(redactors.Stamper); ok {
		rec.Pages = st.PageCount()
	}
	if d.decided != nil {
		rec.Review = d.decided.review
	}
	rec.Status = report.StatusUnchanged
	if len(d.counts) > 0 {
		rec.Found = d.counts
	}
	if len(d.changes) == 0 && (int64(len(out)) != d.Size || sha256.Sum256(out) != d.sum) {
		// Changed without findings: the format sanitised it (see Notes).
		// (A file with changes is redacted below: no hash needed.)
		rec.Status = report.StatusRedacted
	}
	if d.place != nil {
		rec.Production = e.planner.production.record(d, d.place, len(d.changes) > 0)
	}
	if len(d.changes) > 0 {
		rec.Status = report.StatusRedacted
		rec.Changes = d.changes
		if rec.Privileged() && e.profile.For(ner.Date).Action == profiles.Keep {
			// Dates are no secret under this profile (court).
			rec.Date = d.date
		}
		rec.Entities, rec.Actions = map[string]int{}, map[string]int{}
		for _, c := range d.changes {
			rec.Entities[c.Entity]++
			rec.Actions[c.Action]++
		}
	}
	return out, rec
}

// apply redacts d and verifies the output; for a production volume it
// keeps the text the verifier read (d.outText).
func (e *Engine) apply(ctx context.Context, d *Doc) ([]byte, error) {
	var out []byte
	var read redactors.Document
	for round := 0; ; round++ {
		var buf bytes.Buffer
		if err := redactors.Redact(ctx, d.doc, &buf, d.edits); err != nil {
			return nil, err
		}
		out = buf.Bytes()
		doc, left, err := e.verifier.verifyLeft(ctx, d.format, out, d.verifyInput())
		if err == nil {
			read = doc
			break
		}
		// A word OCR reads otherwise beside a box, which re-detection
		// flags, is redacted too, and the new output verified again in
		// full (ocrreblank.go).
		if round >= ocrRounds || left == nil || !d.redactOCRLeftover(e.profile, doc, *left) {
			return nil, err
		}
	}
	if d.place != nil {
		var parts []redactors.Part
		if read != nil {
			parts = read.Parts()
		}
		d.outText = extractedText(parts, d.place.image)
	}
	return out, nil
}

// Redact runs the three stages on one document; for single files and
// streams. Calls on one Engine share its aliases.
func (e *Engine) Redact(ctx context.Context, sourceKey string, data []byte) ([]byte, report.File) {
	d := e.Analyze(ctx, sourceKey, data)
	e.Plan(d)
	return e.Apply(ctx, d)
}

// Check re-detects identifiers in an already redacted file (veil verify),
// with the verifier that Apply uses. Text that has the shape of this
// profile's replacements (labels, aliases) is not an identifier. The
// chain is the profile's, as the run's (the statistical model votes
// unless Options.NoNER). It returns the leftovers, or an error when the file cannot be read (its
// Reason says why). A panic in a parser or detector is the file's error
// (ErrInternal), not the end of the command. With Options.Decisions, a
// value a reviewer kept (rejected) is not a leftover: exactly that value,
// in any file, since an output's key need not be its source's.
func (e *Engine) Check(ctx context.Context, key string, data []byte) (out []Leftover, err error) {
	v := e.verifier
	err = catch(func() error {
		f, ok := e.formats.ForKey(key)
		if !ok {
			return unsupported(key)
		}
		out, err = v.checkOutput(ctx, f, data)
		if err == nil && len(out) > 0 && e.planner.decisions != nil {
			out, err = e.planner.decisions.honourLeftovers(f, data, out)
		}
		return err
	})
	return out, err
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
