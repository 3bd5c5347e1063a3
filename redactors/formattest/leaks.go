package formattest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
)

// LeakCase is a file that hides identifying values, for the leak corpus
// (issue 13): every class of place a value can hide in a format gets a
// small case, written by hand with invented people.
//
// For each case the suite checks that the judge sees every secret in the
// input (else the case proves nothing), parses the file, checks that the
// verifier's reading of it (Parts, and Leaks where the format has a
// LeakChecker) sees every secret, plans edits that remove every occurrence
// of every secret in the Parts (EditsRemoving), redacts, and asks the
// judge whether any secret survives in the output. The case passes when no
// secret survives, the output parses again, its Parts and Leaks no longer
// find a secret; or when Parse or Redact refused the file with a sentinel
// error other than ErrInternal (fail closed: the pipeline quarantines it).
// Secrets are compared case-insensitively, ignoring white space and
// invisible format characters, so make them distinctive (a full name, an
// identifier), not a common word.
type LeakCase struct {
	Name    string
	File    []byte
	Secrets []string
}

// Label is the replacement of the edits the leak checks plan.
const Label = "[REDACTED]"

// EditsRemoving returns edits that replace every occurrence of every value
// in parts by repl, sorted and merged where they overlap. Occurrences are
// found as the leak checks compare (fold): case-insensitively, across white
// space and invisible format characters, so that "SANDOVAL", "San\u00addoval"
// and a letter-spaced "S a n d o v a l" are all occurrences of "Sandoval";
// an edit covers the whole run, spaces included.
func EditsRemoving(parts []redactors.Part, repl string, values ...string) []redactors.Edit {
	var out []redactors.Edit
	for i, p := range parts {
		f, offs := foldMap(p.Text)
		var spans []span
		for _, v := range values {
			fv := fold(v)
			if fv == "" {
				continue
			}
			for from := 0; ; {
				k := strings.Index(f[from:], fv)
				if k < 0 {
					break
				}
				a, b := from+k, from+k+len(fv)
				spans = append(spans, span{offs[a], offs[b-1] + runeLenAt(p.Text, offs[b-1])})
				from = a + 1
			}
		}
		sort.Slice(spans, func(a, b int) bool { return spans[a].s < spans[b].s })
		var merged []span
		for _, s := range spans {
			if n := len(merged); n > 0 && s.s <= merged[n-1].e {
				merged[n-1].e = max(merged[n-1].e, s.e)
				continue
			}
			merged = append(merged, s)
		}
		for _, s := range merged {
			out = append(out, redactors.Edit{Part: i, Start: s.s, End: s.e, Replacement: repl})
		}
	}
	return out
}

// foldMap folds s as fold does and returns, for each byte of the result,
// the offset in s of the rune it comes from.
func foldMap(s string) (string, []int) {
	var b strings.Builder
	var offs []int
	for i, r := range s {
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		n := b.Len()
		b.WriteRune(unicode.ToLower(r))
		for range b.Len() - n {
			offs = append(offs, i)
		}
	}
	return b.String(), offs
}

func runeLenAt(s string, i int) int {
	_, n := utf8.DecodeRuneInString(s[i:])
	return n
}

// shows reports whether a text, read as the leak checks read, holds v.
func shows(text, v string) bool {
	fv := fold(v)
	return fv != "" && strings.Contains(fold(text), fv)
}

func finder(values ...string) func(string) bool {
	return func(s string) bool {
		for _, v := range values {
			if shows(s, v) {
				return true
			}
		}
		return false
	}
}

// checkLeakChecker runs the LeakChecker checks on one fixture; ok is false
// when the format's documents have no LeakChecker.
func checkLeakChecker(o Options, f Fixture) (errs []error, ok bool) {
	doc, err := parse(o.Format, f.Data)
	if err != nil {
		return []error{err}, true
	}
	if _, ok := doc.(redactors.LeakChecker); !ok {
		return nil, false
	}
	// Marker, redacted everywhere the parts show it, is found nowhere.
	if markerIn(doc.Parts()) {
		clean, shown, err := removeAndRead(o, f.Data, markerWords, -1)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("Marker removed: %v", err))
		case shown:
			errs = append(errs, errors.New("Marker redacted everywhere the parts show it, the output's parts still show it"))
		case len(clean) > 0:
			errs = append(errs, fmt.Errorf("Marker redacted everywhere the parts show it, Leaks still finds it in %v", clean))
		}
	}
	// A word planted back where an edit removed it is found by Leaks (with
	// LeaksOmitParts, by the output's Parts or Leaks), and Leaks finds it
	// in the input too. The control: the same word removed everywhere is
	// found nowhere; a word that lives where Parts do not show it fails
	// the control and is skipped, since planting it would prove nothing.
	rng := rand.New(rand.NewPCG(o.Seed, hash(f.Name)))
	tried := 0
	for _, w := range plantWords(rng, o, doc.Parts(), 12) {
		if tried == 4 {
			break
		}
		clean, shown, err := removeAndRead(o, f.Data, []string{w}, -1)
		if errors.Is(err, errRefused) || err == nil && (shown || len(clean) > 0) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("plant check, control: %v", err))
			continue
		}
		tried++
		inLeaks, err := leaks(doc.(redactors.LeakChecker), f.Data, finder(w))
		if err != nil {
			errs = append(errs, fmt.Errorf("Leaks on the input: %v", err))
			continue
		}
		planted, shown, err := removeAndRead(o, f.Data, []string{w}, rng.IntN(1<<16))
		switch {
		case errors.Is(err, errRefused):
		case err != nil:
			errs = append(errs, fmt.Errorf("plant check: %v", err))
		case len(planted) == 0 && !shown:
			errs = append(errs, fmt.Errorf("a word of %d letters planted back where an edit removed it is found neither in the output's parts nor by Leaks", len(w)))
		case o.LeaksOmitParts:
		case len(planted) == 0:
			errs = append(errs, fmt.Errorf("Leaks does not find a word of %d letters planted back where an edit removed it", len(w)))
		case len(inLeaks) == 0:
			errs = append(errs, fmt.Errorf("Leaks does not find a word of %d letters that the input's parts show", len(w)))
		}
	}
	if tried == 0 {
		errs = append(errs, errors.New("no word of the fixture could be planted back (each is found where Parts do not show it): the check proves nothing"))
	}
	return errs, true
}

var errRefused = errors.New("redaction refused with a declared reason")

// removeAndRead parses data, removes every occurrence of the words from
// the parts (but, if plant >= 0, puts the removed text back in edit
// plant mod n), redacts and parses the output. It returns where the
// output's Leaks finds any of the words, and whether its parts show one.
func removeAndRead(o Options, data []byte, words []string, plant int) (where []string, shown bool, err error) {
	doc, err := parse(o.Format, data)
	if err != nil {
		return nil, false, err
	}
	parts := doc.Parts()
	edits := EditsRemoving(parts, Label, words...)
	if len(edits) == 0 {
		return nil, false, errors.New("nothing to remove")
	}
	if plant >= 0 {
		// Planted in a part of its own: an edit of a derived part (another
		// reading of the same glyphs) removes what the edit of the text
		// it reads removes, so planting there puts nothing back.
		var own []int
		for i, e := range edits {
			if !o.derived(parts[e.Part]) {
				own = append(own, i)
			}
		}
		if len(own) == 0 {
			return nil, false, errRefused
		}
		e := &edits[own[plant%len(own)]]
		e.Replacement = parts[e.Part].Text[e.Start:e.End]
	}
	out, err := redact(doc, edits)
	if err != nil {
		if e := errorOK("redact", err, o.RedactMayRefuse, nil); e != nil {
			return nil, false, e
		}
		return nil, false, errRefused
	}
	doc2, err := parse(o.Format, out)
	if err != nil {
		return nil, false, fmt.Errorf("the output does not parse again: %v", err)
	}
	find := finder(words...)
	for _, p := range doc2.Parts() {
		shown = shown || find(p.Text)
	}
	where, err = leaks(doc2.(redactors.LeakChecker), out, find)
	return where, shown, err
}

// plantWords picks up to n distinct words of ASCII letters (what a reader
// that knows no font or encoding still reads), six letters or more, from
// the parts that are not sanitised.
func plantWords(rng *rand.Rand, o Options, parts []redactors.Part, n int) []string {
	seen := map[string]bool{}
	var all []string
	for _, p := range parts {
		if o.Sanitised != nil && o.Sanitised(p) {
			continue
		}
		for _, w := range words(p.Text) {
			s := p.Text[w.s:w.e]
			f := fold(s)
			if len(s) < 6 || seen[f] || !asciiLetters(s) || strings.Contains(fold(Label), f) || holds(s, nil) {
				continue
			}
			seen[f] = true
			all = append(all, s)
		}
	}
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	return all[:min(n, len(all))]
}

func asciiLetters(s string) bool {
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// leakCase runs one case of the leak corpus. It returns what breaks the
// contract, and how the case ended when it passed ("clean", or the reason
// Parse or Redact refused the file with).
func leakCase(t testing.TB, o Options, c LeakCase) (errs []error, outcome string) {
	if len(c.Secrets) == 0 {
		return []error{errors.New("a leak case needs secrets")}, ""
	}
	seen := o.Judge(t, c.File)
	for i, s := range c.Secrets {
		if !shows(seen, s) {
			errs = append(errs, fmt.Errorf("the judge does not see secret %d (%q) in the input: the case proves nothing", i, s))
		}
	}
	if errs != nil {
		return errs, ""
	}
	doc, err := parse(o.Format, c.File)
	if err != nil {
		if e := errorOK("parse", err, nil, c.Secrets); e != nil {
			return []error{e}, ""
		}
		return nil, "refused by Parse: " + redactors.ReasonOf(err).Code
	}
	errs = checkParts(doc, c.Secrets)
	parts := doc.Parts()
	lc, _ := doc.(redactors.LeakChecker)
	for i, s := range c.Secrets {
		if len(EditsRemoving(parts, Label, s)) > 0 {
			continue
		}
		if lc != nil {
			where, err := leaks(lc, c.File, finder(s))
			if err != nil {
				errs = append(errs, fmt.Errorf("Leaks on the input: %v", err))
				continue
			}
			if len(where) > 0 {
				continue
			}
		}
		errs = append(errs, fmt.Errorf("secret %d (%q) is in the file, but neither Parts nor Leaks read it: verify could not catch it", i, s))
	}
	out, err := redact(doc, EditsRemoving(parts, Label, c.Secrets...))
	if err != nil {
		if e := errorOK("redact", err, nil, c.Secrets); e != nil {
			return append(errs, e), ""
		}
		return errs, "refused by Redact: " + redactors.ReasonOf(err).Code
	}
	seen = o.Judge(t, out)
	for i, s := range c.Secrets {
		if shows(seen, s) {
			errs = append(errs, fmt.Errorf("secret %d (%q) survives in the output (the judge reads it)", i, s))
		}
	}
	doc2, err := parse(o.Format, out)
	if err != nil {
		return append(errs, fmt.Errorf("the output does not parse again: %v", err)), ""
	}
	for _, p := range doc2.Parts() {
		for i, s := range c.Secrets {
			if shows(p.Text, s) {
				errs = append(errs, fmt.Errorf("part %s of the output still shows secret %d", p.Name, i))
			}
		}
	}
	if lc, ok := doc2.(redactors.LeakChecker); ok {
		where, err := leaks(lc, out, finder(c.Secrets...))
		if err != nil {
			errs = append(errs, fmt.Errorf("Leaks on the output: %v", err))
		} else if len(where) > 0 {
			errs = append(errs, fmt.Errorf("Leaks finds a secret in %v of the output, which the judge does not see", where))
		}
	}
	return errs, "clean"
}

// Tool returns the path of the first of names found on PATH, for judges
// that run a program (pdftotext, qpdf, exiftool). scripts/setup installs
// them: under CI=true a missing tool fails t; elsewhere it skips t.
func Tool(t testing.TB, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	msg := fmt.Sprintf("%s not found; scripts/setup installs it", strings.Join(names, " or "))
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (required under CI=true)")
	}
	t.Skip(msg)
	return ""
}
