// Package formattest is the conformance suite every redactors.Format must
// pass, run on real files of the format, as storagetest is for storage and
// rclone's fstests for its backends. A format's test calls it once:
//
//	func TestConformance(t *testing.T) {
//		formattest.Run(t, formattest.Options{Format: text.Plain(), Fixtures: …})
//	}
//
// and its FuzzParse calls Fuzz with the same options. What it checks, on
// every fixture (Run's subtests):
//
//   - Fixtures: Parse accepts it, every Part's Text is valid UTF-8, every
//     Name is set and holds no document text (Marker), two parses give the
//     same parts, and the input bytes are not modified.
//   - Mutations: truncated, bit-flipped, inserted, deleted and repeated
//     bytes (deterministic, Options.Mutations per fixture) never make Parse
//     or Redact panic or fail with ErrInternal; a mutant Parse accepts
//     passes the whole per-file contract (Check).
//   - RoundTrip: Redact with no edits writes a file that parses again with
//     the same parts (parts the format sanitises excepted), and doing it
//     again changes nothing.
//   - Edits: random valid edits (CheckEdits' contract) give an output
//     that parses again and that Options.Compare accepts against the
//     reference splice (redactors.Splice); the same edits give the same
//     bytes.
//   - InvalidEdits: Redact refuses every edit set CheckEdits refuses.
//   - Leaks (formats with a redactors.LeakChecker): once Marker is
//     redacted everywhere Parts show it, Leaks finds it nowhere; a word an
//     edit planted back is found.
//   - LeakCorpus: every Options.Leaks case (see LeakCase).
//
// In all of them, no error of Parse or Redact, no note and no part name
// holds Marker or a secret of a leak case.
//
// The suite is deterministic. To hunt for bugs, vary the seed and scale
// the number of mutations and edit rounds from the environment:
//
//	FORMATTEST_SEED=7 FORMATTEST_SCALE=10 go test -run Conformance ./redactors/...
package formattest

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
)

// Marker is document text the fixtures carry: at least one fixture of
// every format shows it in its Parts (in as many places as the format has:
// body, header, metadata…). The suite checks that it never appears in an
// error, a note or a part name, and, for formats with a LeakChecker, that
// once it is redacted Leaks finds it nowhere. So put it only where the
// format shows text in its Parts; a value hidden elsewhere is a leak case.
// An invented name.
const Marker = "Marlowe Quistgaard"

// Fixture is one real file of the format.
type Fixture struct {
	// Name identifies the fixture in test names ("kitchen_sink").
	Name string
	Data []byte
}

// Options describe a format to the suite. Only Format and Fixtures are
// required; the hooks exist where formats really differ, and each says
// what the suite assumes when it is nil.
type Options struct {
	// Format is the format under test.
	Format redactors.Format
	// Fixtures are real files that Parse accepts; at least one shows
	// Marker in its Parts.
	Fixtures []Fixture

	// Compare checks an output parsed again against the input's parts and
	// the edits (see Compare). Nil: Exact.
	Compare Compare
	// Sanitised reports a part the format rewrites whatever the edits
	// (DOCX: an author becomes "Author", a creator is emptied). Random
	// edits leave these parts alone; the round trip and Compare skip them,
	// and after any edits they must read as after a redaction with no
	// edits. Nil: none; Redact with no edits keeps every part exactly.
	Sanitised func(p redactors.Part) bool
	// Derived reports a part that is another reading of text other parts
	// hold (PDF: a page's character codes read as bytes): an edit there
	// removes what it covers from them too, and it comes and goes with
	// their content. Random edits leave it alone and the round trip and
	// Compare ignore it; the leak check and the leak corpus still read
	// it. Nil: none.
	Derived func(p redactors.Part) bool
	// Kept returns the runes of part p that Redact keeps even when an edit
	// covers them: separators the format puts between pieces of text and
	// that are in no byte of the file (DOCX paragraph ends and tabs).
	// Random edits never cover them, so that the comparison stays exact.
	// Nil: none.
	Kept func(p redactors.Part) string
	// Replacements are the replacement texts of random edits. Nil:
	// DefaultReplacements.
	Replacements []string
	// RedactMayRefuse lists the reasons Redact may give for valid edits
	// on a document Parse accepted (PDF: ErrUninspectable, an image under
	// a box it cannot blank). Nil: Redact must succeed.
	RedactMayRefuse []*redactors.Reason
	// CheckOutput, if set, checks each output of valid edits byte for byte
	// (text: identical to the input outside the edits).
	CheckOutput func(in []byte, parts []redactors.Part, edits []redactors.Edit, out []byte) error
	// InvalidEditsAccepted, if set, says why Redact does not refuse edits
	// that break CheckEdits' contract; the check is then skipped with
	// this reason. Empty: Redact must refuse them.
	InvalidEditsAccepted string

	// Mutations is the number of damaged copies of each fixture Parse
	// gets (default 48); Rounds the number of random edit sets per fixture
	// (default 12). Seed varies both (the default, 0, is a fixed seed:
	// the suite is deterministic).
	Mutations, Rounds int
	Seed              uint64

	// LeaksOmitParts says that the documents' Leaks leaves the text that
	// Parts show to Parts, as the verify step reads the output's Parts
	// anyway (PDF: shown strings are read through their fonts for Parts,
	// and Leaks reads the rest). False: Leaks also finds what Parts show
	// (DOCX reads every entry), and the suite checks that it does.
	LeaksOmitParts bool

	// Leaks is the leak corpus (see LeakCase); Judge is required with it.
	Leaks []LeakCase
	// Judge reads a file as an adversary would, with tools and code that
	// do not share the format's idea of where text lives (text: the bytes;
	// DOCX: every zip entry unzipped, raw and with references decoded, and
	// the text between its tags; PDF: pdftotext and the objects qpdf
	// writes uncompressed). It returns everything it read as one string.
	// A judge that runs a program finds it with Tool.
	Judge func(t testing.TB, file []byte) string
}

func (o Options) withDefaults() Options {
	if s := os.Getenv("FORMATTEST_SEED"); s != "" {
		if n, err := strconv.ParseUint(s, 10, 64); err == nil {
			o.Seed = n
		}
	}
	if o.Compare == nil {
		o.Compare = Exact
	}
	if o.Mutations == 0 {
		o.Mutations = 48
	}
	if o.Rounds == 0 {
		o.Rounds = 12
	}
	if n, err := strconv.Atoi(os.Getenv("FORMATTEST_SCALE")); err == nil && n > 1 {
		o.Mutations *= n
		o.Rounds *= n
	}
	return o
}

// Run runs the suite.
func Run(t *testing.T, o Options) {
	t.Helper()
	o = o.withDefaults()
	if err := o.validate(); err != nil {
		t.Fatal(err)
	}
	t.Run("Fixtures", func(t *testing.T) {
		forFixtures(t, o, func(t *testing.T, f Fixture) { report(t, checkFixture(o, f.Data)) })
	})
	t.Run("Mutations", func(t *testing.T) {
		forFixtures(t, o, func(t *testing.T, f Fixture) {
			for _, m := range Mutants(f.Data, o.Mutations, o.Seed^hash(f.Name)) {
				for _, err := range checkInput(o, m.Data) {
					t.Errorf("%s: %v", m.Name, err)
				}
			}
		})
	})
	t.Run("RoundTrip", func(t *testing.T) {
		forFixtures(t, o, func(t *testing.T, f Fixture) { report(t, checkRoundTrip(o, f.Data)) })
	})
	t.Run("Edits", func(t *testing.T) {
		forFixtures(t, o, func(t *testing.T, f Fixture) { report(t, checkEdits(o, f)) })
	})
	t.Run("InvalidEdits", func(t *testing.T) {
		if o.InvalidEditsAccepted != "" {
			t.Skip(o.InvalidEditsAccepted)
		}
		forFixtures(t, o, func(t *testing.T, f Fixture) { report(t, checkInvalidEdits(o, f.Data)) })
	})
	t.Run("Leaks", func(t *testing.T) {
		if doc, err := parse(o.Format, o.Fixtures[0].Data); err == nil {
			if _, ok := doc.(redactors.LeakChecker); !ok {
				t.Skipf("%s documents have no LeakChecker", o.Format.Name())
			}
		}
		forFixtures(t, o, func(t *testing.T, f Fixture) {
			errs, _ := checkLeakChecker(o, f)
			report(t, errs)
		})
	})
	t.Run("LeakCorpus", func(t *testing.T) {
		if len(o.Leaks) == 0 {
			t.Skip("no leak cases")
		}
		for _, c := range o.Leaks {
			t.Run(c.Name, func(t *testing.T) {
				errs, outcome := leakCase(t, o, c)
				report(t, errs)
				if outcome != "" {
					t.Log(outcome)
				}
			})
		}
	})
}

// Check runs the per-file contract on any input, as Fuzz does: Parse
// returns a document or an error that wraps a sentinel other than
// ErrInternal, without panicking and without document text; a document
// has valid parts, and random valid edits give an output that parses
// again and that Compare accepts. Formats call it from their own fuzz
// targets that build inputs (a DOCX around fuzzed XML).
func Check(t testing.TB, o Options, data []byte) {
	t.Helper()
	report(t, checkInput(o.withDefaults(), data))
}

// Fuzz fuzzes Parse and Redact with the fixtures as seeds: every input
// must pass Check. Seeds added with f.Add before the call (one []byte
// argument) are kept. Inputs over 4 MiB are skipped.
func Fuzz(f *testing.F, o Options) {
	o = o.withDefaults()
	for _, fx := range o.Fixtures {
		f.Add(fx.Data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4<<20 {
			t.Skip("input over 4 MiB")
		}
		report(t, checkInput(o, data))
	})
}

func (o Options) validate() error {
	if o.Format == nil || len(o.Fixtures) == 0 {
		return errors.New("formattest: Options need a Format and at least one fixture")
	}
	if len(o.Leaks) > 0 && o.Judge == nil {
		return errors.New("formattest: leak cases need a Judge")
	}
	for _, f := range o.Fixtures {
		doc, err := parse(o.Format, f.Data)
		if err != nil {
			return fmt.Errorf("formattest: fixture %s does not parse: %v", f.Name, err)
		}
		if markerIn(doc.Parts()) {
			return nil
		}
	}
	return fmt.Errorf("formattest: no fixture shows formattest.Marker in its parts, so the checks that no document text reaches errors, notes and names would prove nothing")
}

func forFixtures(t *testing.T, o Options, fn func(t *testing.T, f Fixture)) {
	for _, f := range o.Fixtures {
		t.Run(f.Name, func(t *testing.T) { fn(t, f) })
	}
}

func report(t testing.TB, errs []error) {
	t.Helper()
	for _, err := range errs {
		t.Error(err)
	}
}

func hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// parse calls Parse and turns a panic into an error.
func parse(f redactors.Format, data []byte) (doc redactors.Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("Parse panicked: %v\n%s", r, debug.Stack())
		}
	}()
	return f.Parse(data)
}

// redact calls Redact and turns a panic into an error.
func redact(doc redactors.Document, edits []redactors.Edit) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("Redact panicked: %v\n%s", r, debug.Stack())
		}
	}()
	var b bytes.Buffer
	if err := doc.Redact(&b, edits); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// leaks calls Leaks and turns a panic into an error.
func leaks(lc redactors.LeakChecker, data []byte, find func(string) bool) (where []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			where, err = nil, fmt.Errorf("Leaks panicked: %v\n%s", r, debug.Stack())
		}
	}()
	return lc.Leaks(data, find)
}

// errorOK reports an error that breaks the error contract: a recovered
// panic, an internal error, document text in the message. allowed are the
// reasons it may carry; nil allows every sentinel but ErrInternal.
func errorOK(op string, err error, allowed []*redactors.Reason, secrets []string) error {
	msg := err.Error()
	if holds(msg, secrets) {
		return fmt.Errorf("%s: the error holds document text (%d bytes of message)", op, len(msg))
	}
	r := redactors.ReasonOf(err)
	if r == redactors.ErrInternal {
		return fmt.Errorf("%s: internal error (a panic, or no sentinel wrapped): %v", op, err)
	}
	if allowed != nil && !slices.Contains(allowed, r) {
		return fmt.Errorf("%s: refused with %s, which the format does not declare: %v", op, r.Code, err)
	}
	return nil
}

// markerWords are the words of Marker, and of leak secrets, that must
// never reach an error, a note or a name.
var markerWords = strings.Fields(Marker)

// holds reports whether s holds a word of Marker or one of secrets.
func holds(s string, secrets []string) bool {
	f := fold(s)
	for _, w := range markerWords {
		if strings.Contains(f, fold(w)) {
			return true
		}
	}
	for _, v := range secrets {
		if fv := fold(v); fv != "" && strings.Contains(f, fv) {
			return true
		}
	}
	return false
}

func markerIn(parts []redactors.Part) bool {
	for _, p := range parts {
		if strings.Contains(fold(p.Text), fold(Marker)) {
			return true
		}
	}
	return false
}

// fold is the form in which texts are compared for leaks: lower case,
// without white space and invisible format characters (soft hyphens,
// zero-width spaces and joiners), so that a value split across lines or
// letter-spaced still matches.
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// checkParts checks the parts of a document and its notes.
func checkParts(doc redactors.Document, secrets []string) []error {
	var errs []error
	for i, p := range doc.Parts() {
		if !utf8.ValidString(p.Text) {
			errs = append(errs, fmt.Errorf("part %d (%s): text is not valid UTF-8", i, p.Name))
		}
		if p.Name == "" {
			errs = append(errs, fmt.Errorf("part %d has no name", i))
		} else if holds(p.Name, secrets) {
			errs = append(errs, fmt.Errorf("part %d: the name holds document text", i))
		}
		if p.Page < 0 {
			errs = append(errs, fmt.Errorf("part %d (%s): page %d", i, p.Name, p.Page))
		}
	}
	if n, ok := doc.(redactors.Noter); ok {
		for i, s := range n.Notes() {
			if holds(s, secrets) {
				errs = append(errs, fmt.Errorf("note %d holds document text", i))
			}
		}
	}
	return errs
}

// checkFixture: the fixture parses, twice to the same parts, with valid
// parts, and Parse does not touch the input.
func checkFixture(o Options, data []byte) []error {
	orig := clone(data)
	doc, err := parse(o.Format, data)
	if err != nil {
		return []error{fmt.Errorf("fixture does not parse: %v", err)}
	}
	errs := checkParts(doc, nil)
	doc2, err := parse(o.Format, data)
	if err != nil {
		return append(errs, fmt.Errorf("second parse: %v", err))
	}
	if !slices.Equal(doc.Parts(), doc2.Parts()) {
		errs = append(errs, errors.New("two parses of the same bytes give different parts"))
	}
	if len(doc.Parts()) == 0 {
		errs = append(errs, errors.New("no parts: a document always has at least one"))
	}
	if !bytes.Equal(data, orig) {
		errs = append(errs, errors.New("Parse modified its input"))
	}
	return errs
}

// plan returns the random edit plan for parts: no edits in sanitised or
// derived parts.
func (o Options) plan() EditPlan {
	return EditPlan{Replacements: o.Replacements, Kept: o.Kept, Skip: func(_ int, p redactors.Part) bool {
		return o.Sanitised != nil && o.Sanitised(p) || o.derived(p)
	}}
}

func (o Options) derived(p redactors.Part) bool { return o.Derived != nil && o.Derived(p) }

// checkInput is the per-file contract (Check, Fuzz, Mutations).
func checkInput(o Options, data []byte) []error {
	doc, err := parse(o.Format, data)
	if err != nil {
		if e := errorOK("parse", err, nil, nil); e != nil {
			return []error{e}
		}
		return nil
	}
	errs := checkParts(doc, nil)
	rng := rand.New(rand.NewPCG(o.Seed, hash(string(data))))
	edits := RandomEdits(rng, doc.Parts(), o.plan())
	errs = append(errs, checkRedaction(o, data, doc, edits, nil)...)
	return errs
}

// checkRedaction redacts doc (parsed from in) with valid edits, parses the
// output again and compares. base, if set, are the parts of the output of
// a redaction with no edits, which the sanitised parts must match.
func checkRedaction(o Options, in []byte, doc redactors.Document, edits []redactors.Edit, base []redactors.Part) []error {
	parts := slices.Clone(doc.Parts())
	if err := redactors.CheckEdits(parts, edits); err != nil {
		return []error{fmt.Errorf("formattest made invalid edits (a bug in the suite): %v", err)}
	}
	out, err := redact(doc, edits)
	if err != nil {
		if e := errorOK("redact", err, o.RedactMayRefuse, nil); e != nil {
			return []error{e}
		}
		return nil
	}
	doc2, err := parse(o.Format, out)
	if err != nil {
		if errors.Is(err, redactors.ErrEmpty) && allEmpty(parts, edits) {
			return nil // everything was redacted away
		}
		return []error{fmt.Errorf("the output of %d valid edits %s does not parse again: %v", len(edits), showEdits(edits), err)}
	}
	var errs []error
	parts2 := doc2.Parts()
	errs = append(errs, checkParts(doc2, nil)...)
	in1, edits1 := o.unsanitised(parts, edits)
	out1, _ := o.unsanitised(parts2, nil)
	if err := o.Compare(in1, edits1, out1); err != nil {
		errs = append(errs, fmt.Errorf("after %d edits: %v", len(edits), err))
	}
	if base != nil {
		if a, b := o.sanitised(parts2), o.sanitised(base); !slices.Equal(a, b) {
			errs = append(errs, fmt.Errorf("after %d edits elsewhere, the sanitised parts differ from a redaction without edits", len(edits)))
		}
	}
	if o.CheckOutput != nil {
		if err := o.CheckOutput(in, parts, edits, out); err != nil {
			errs = append(errs, fmt.Errorf("output of %d edits: %v", len(edits), err))
		}
	}
	if lc, ok := doc2.(redactors.LeakChecker); ok {
		if _, err := leaks(lc, out, func(string) bool { return false }); err != nil {
			errs = append(errs, fmt.Errorf("Leaks on the output: %v", err))
		}
	}
	return errs
}

// showEdits writes edits for a failure message: offsets and the suite's
// own replacements, no document text.
func showEdits(edits []redactors.Edit) string {
	var b strings.Builder
	for i, e := range edits {
		if i == 8 {
			fmt.Fprintf(&b, " …%d more", len(edits)-i)
			break
		}
		fmt.Fprintf(&b, " %d:%d-%d→%q", e.Part, e.Start, e.End, e.Replacement)
	}
	return "[" + strings.TrimSpace(b.String()) + "]"
}

// allEmpty reports whether every part is empty once the edits are applied.
func allEmpty(parts []redactors.Part, edits []redactors.Edit) bool {
	for i, p := range parts {
		if strings.TrimSpace(redactors.Splice(p.Text, redactors.EditsOf(edits, i))) != "" {
			return false
		}
	}
	return true
}

// unsanitised drops the sanitised and derived parts and renumbers the
// edits (which never touch them).
func (o Options) unsanitised(parts []redactors.Part, edits []redactors.Edit) ([]redactors.Part, []redactors.Edit) {
	if o.Sanitised == nil && o.Derived == nil {
		return parts, edits
	}
	var out []redactors.Part
	index := map[int]int{}
	for i, p := range parts {
		if !(o.Sanitised != nil && o.Sanitised(p)) && !o.derived(p) {
			index[i] = len(out)
			out = append(out, p)
		}
	}
	var es []redactors.Edit
	for _, e := range edits {
		e.Part = index[e.Part]
		es = append(es, e)
	}
	return out, es
}

func (o Options) sanitised(parts []redactors.Part) []redactors.Part {
	var out []redactors.Part
	for _, p := range parts {
		if o.Sanitised != nil && o.Sanitised(p) {
			out = append(out, p)
		}
	}
	return out
}

// checkRoundTrip: no edits, twice.
func checkRoundTrip(o Options, data []byte) []error {
	doc, err := parse(o.Format, data)
	if err != nil {
		return []error{err}
	}
	out, err := redact(doc, nil)
	if err != nil {
		return []error{fmt.Errorf("Redact with no edits: %v", err)}
	}
	doc2, err := parse(o.Format, out)
	if err != nil {
		return []error{fmt.Errorf("the output of Redact with no edits does not parse again: %v", err)}
	}
	var errs []error
	a, _ := o.unsanitised(doc.Parts(), nil)
	b, _ := o.unsanitised(doc2.Parts(), nil)
	if err := samePartsErr(a, b); err != nil {
		errs = append(errs, fmt.Errorf("Redact with no edits: %v", err))
	}
	out2, err := redact(doc2, nil)
	if err != nil {
		return append(errs, fmt.Errorf("second Redact with no edits: %v", err))
	}
	doc3, err := parse(o.Format, out2)
	if err != nil {
		return append(errs, fmt.Errorf("the output of a second Redact with no edits does not parse again: %v", err))
	}
	if err := samePartsErr(doc2.Parts(), doc3.Parts()); err != nil {
		errs = append(errs, fmt.Errorf("a second Redact with no edits changes the parts again: %v", err))
	}
	return errs
}

func samePartsErr(a, b []redactors.Part) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d parts, then %d", len(a), len(b))
	}
	for i := range a {
		switch {
		case a[i].Name != b[i].Name:
			return fmt.Errorf("part %d is %s, then %s", i, a[i].Name, b[i].Name)
		case a[i].Page != b[i].Page:
			return fmt.Errorf("part %d (%s) is on page %d, then %d", i, a[i].Name, a[i].Page, b[i].Page)
		case a[i].Text != b[i].Text:
			return fmt.Errorf("part %d (%s) changes %s", i, a[i].Name, diffAt(a[i].Text, b[i].Text))
		}
	}
	return nil
}

// checkEdits: random valid edits, Rounds times, each on a fresh parse.
func checkEdits(o Options, f Fixture) []error {
	doc, err := parse(o.Format, f.Data)
	if err != nil {
		return []error{err}
	}
	var base []redactors.Part
	if o.Sanitised != nil {
		out, err := redact(doc, nil)
		if err != nil {
			return []error{fmt.Errorf("Redact with no edits: %v", err)}
		}
		d, err := parse(o.Format, out)
		if err != nil {
			return []error{fmt.Errorf("the output of Redact with no edits does not parse again: %v", err)}
		}
		base = d.Parts()
	}
	rng := rand.New(rand.NewPCG(o.Seed, hash(f.Name)))
	var errs []error
	for round := 0; round < o.Rounds; round++ {
		doc, err := parse(o.Format, f.Data)
		if err != nil {
			return append(errs, err)
		}
		edits := RandomEdits(rng, doc.Parts(), o.plan())
		for _, err := range checkRedaction(o, f.Data, doc, edits, base) {
			errs = append(errs, fmt.Errorf("round %d: %v", round, err))
		}
		if round == 0 {
			errs = append(errs, checkDeterministic(o, f.Data, edits)...)
		}
	}
	return errs
}

// checkDeterministic: the same edits on two parses give the same bytes.
func checkDeterministic(o Options, data []byte, edits []redactors.Edit) []error {
	var outs [2][]byte
	for i := range outs {
		doc, err := parse(o.Format, data)
		if err != nil {
			return []error{err}
		}
		if outs[i], err = redact(doc, edits); err != nil {
			return nil // refused: reported by checkRedaction
		}
	}
	if !bytes.Equal(outs[0], outs[1]) {
		return []error{errors.New("the same edits on the same file give different bytes")}
	}
	return nil
}

// checkInvalidEdits: Redact refuses what CheckEdits refuses, without
// document text in the error.
func checkInvalidEdits(o Options, data []byte) []error {
	doc, err := parse(o.Format, data)
	if err != nil {
		return []error{err}
	}
	parts := slices.Clone(doc.Parts())
	var errs []error
	cases := invalidEdits(parts)
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		edits := cases[name]
		if redactors.CheckEdits(parts, edits) == nil {
			errs = append(errs, fmt.Errorf("%s: CheckEdits accepts the edits (a bug in the suite)", name))
			continue
		}
		doc, err := parse(o.Format, data) // a fresh document: some formats redact once
		if err != nil {
			return append(errs, err)
		}
		_, err = redact(doc, edits)
		switch {
		case err == nil:
			errs = append(errs, fmt.Errorf("%s: Redact accepted edits that break CheckEdits' contract", name))
		case strings.Contains(err.Error(), "panicked"):
			errs = append(errs, fmt.Errorf("%s: %v", name, err))
		case holds(err.Error(), nil):
			errs = append(errs, fmt.Errorf("%s: the error holds document text", name))
		}
	}
	return errs
}
