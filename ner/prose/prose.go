// Package prose adapts the prose/v2 named-entity recogniser to ner.Detector.
//
// prose returns entities as token text without offsets, so the adapter aligns
// prose's tokens to the source text itself and builds spans from the tokens'
// IOB labels. The model is loaded once per process and shared: prose's model
// is read-only after loading and safe for concurrent use.
package prose

import (
	"context"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/jdkato/prose/v2"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
)

// Scores given to prose's labels. prose is a newswire model with no published
// accuracy on clinical or legal text: one vote among several.
var labelMap = map[string]struct {
	entity ner.Entity
	score  float64
}{
	"PERSON":       {ner.Person, 0.6},
	"GPE":          {ner.Location, 0.6},
	"ORGANIZATION": {ner.Organization, 0.55},
	"FACILITY":     {ner.Location, 0.5},
}

var model = sync.OnceValue(func() *prose.Model {
	doc, err := prose.NewDocument("", prose.WithSegmentation(false))
	if err != nil {
		panic("prose: load model: " + err.Error())
	}
	return doc.Model
})

// Detector implements ner.Detector with prose/v2.
type Detector struct{}

var _ ner.Detector = Detector{}

// New returns the prose detector. The model loads on first use (~0.5 s).
func New() Detector { return Detector{} }

// Name implements ner.Detector.
func (Detector) Name() string { return "prose" }

// Detect implements ner.Detector. prose runs only on the sentences that
// hold a word it could add (see DetectWhere).
func (d Detector) Detect(ctx context.Context, text string) ([]ner.Finding, error) {
	return d.DetectWhere(ctx, text, nil)
}

// DetectWhere runs prose only on the sentences of text where it can change
// the outcome: those with a capitalised word that is not ordinary
// vocabulary (prose's findings made only of ordinary words are dropped
// anyway) and that decided does not report as decided by other detectors.
// decided may be nil. prose costs about 10 µs per word, so this is what
// keeps detection fast: on court judgments only a few sentences are left.
func (d Detector) DetectWhere(ctx context.Context, text string, decided func(start, end int) bool) ([]ner.Finding, error) {
	var out []ner.Finding
	for _, seg := range Candidates(text, decided) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fs, err := d.detect(ctx, text[seg[0]:seg[1]])
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			f.Start += seg[0]
			f.End += seg[0]
			out = append(out, f)
		}
	}
	return out, nil
}

// Candidates returns the byte ranges of the sentences of text that DetectWhere
// gives to prose, in order. A sentence ends at a line break or at . ! ?
// followed by a space; consecutive candidate sentences form one range.
func Candidates(text string, decided func(start, end int) bool) [][2]int {
	var out [][2]int
	start := 0
	want := false
	flush := func(end int) {
		if want && strings.TrimSpace(text[start:end]) != "" {
			if n := len(out); n > 0 && out[n-1][1] == start {
				out[n-1][1] = end
			} else {
				out = append(out, [2]int{start, end})
			}
		}
		start, want = end, false
	}
	for _, w := range ner.Words(text) {
		// sentence breaks between the previous word and this one
		for i := start; i < w.Start; i++ {
			if c := text[i]; c == '\n' || ((c == '.' || c == '!' || c == '?') && i+1 < len(text) && (text[i+1] == ' ' || text[i+1] == '\n')) {
				if i+1 > start && i+1 <= w.Start {
					flush(i + 1)
				}
			}
		}
		if want || !w.Capital {
			continue
		}
		if allCaps(text[w.Start:w.End]) || gazetteer.IsCommonWord(w.Key) {
			continue
		}
		if decided != nil && decided(w.Start, w.End) {
			continue
		}
		want = true
	}
	flush(len(text))
	return out
}

func allCaps(w string) bool {
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// detect runs prose on one piece of text.
func (Detector) detect(ctx context.Context, text string) (fs []ner.Finding, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	// prose may panic on odd input; one text must not take the process down.
	defer func() {
		if r := recover(); r != nil {
			fs, err = nil, nil
		}
	}()
	doc, err := prose.NewDocument(text, prose.UsingModel(model()), prose.WithSegmentation(false))
	if err != nil {
		return nil, nil
	}
	toks := doc.Tokens()
	offs := Align(text, toks)
	var out []ner.Finding
	for _, f := range entities(toks, offs) {
		f, ok := ner.TrimName(text, f)
		if ok && identifying(text[f.Start:f.End]) && plausible(text, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// identifying reports whether an entity prose found has a word that is not
// ordinary English or medical vocabulary. prose tags headings and clinical
// words ("Objective", "Plan", "Oxygen", "UNITED STATES") as names; on its
// own it is not evidence enough for those.
func identifying(span string) bool {
	for _, w := range ner.Words(span) {
		if !gazetteer.IsCommonWord(w.Key) {
			return true
		}
	}
	return false
}

// plausible rejects what prose takes for names in clinical shorthand:
// words with digits ("PPx4", "Q4prn"), capitals inside a word ("PMed",
// "SVo2"), and one-word entities at the start of a sentence that the name
// lists do not know ("Integrelin conts", "Nuero: confused").
func plausible(text string, f ner.Finding) bool {
	ws := ner.Words(text[f.Start:f.End])
	for _, w := range ws {
		if shorthand(text[f.Start+w.Start : f.Start+w.End]) {
			return false
		}
	}
	if len(ws) == 1 && sentenceInitial(text, f.Start) {
		k := ws[0].Key
		return gazetteer.FirstNames().Has(k) || gazetteer.LastNames().Has(k)
	}
	return true
}

// shorthand reports a word with a digit, or with capitals that no name
// has: "PMed", "MDIs", "SVo2", "RLarm" (but "McDonald", "DeMarco", "USA").
func shorthand(word string) bool {
	rs := []rune(word)
	for i, r := range rs {
		if unicode.IsDigit(r) {
			return true
		}
		if i == 0 {
			continue
		}
		switch {
		case unicode.IsUpper(r) && unicode.IsLower(rs[i-1]):
			prefix := string(rs[:i])
			if prefix != "Mc" && prefix != "Mac" && prefix != "De" && prefix != "Di" && prefix != "La" && prefix != "Le" && prefix != "Van" && prefix != "Von" && prefix != "Du" {
				return true
			}
		case unicode.IsLower(r) && i >= 2 && unicode.IsUpper(rs[i-1]) && unicode.IsUpper(rs[i-2]):
			return true // "PMed", "MDIs"
		}
	}
	return false
}

func sentenceInitial(text string, i int) bool {
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:i])
		if r == ' ' || r == '\t' || r == '\r' {
			i -= n
			continue
		}
		return r == '\n' || r == '.' || r == ':' || r == '!' || r == '?' || r == '"' || r == '“' || r == '-' || r == '('
	}
	return true
}

// entities turns IOB-labelled tokens into findings.
func entities(toks []prose.Token, offs [][2]int) []ner.Finding {
	var out []ner.Finding
	cur := ner.Finding{Start: -1}
	curLabel := ""
	flush := func() {
		if cur.Start >= 0 && cur.End > cur.Start {
			out = append(out, cur)
		}
		cur, curLabel = ner.Finding{Start: -1}, ""
	}
	for i, t := range toks {
		iob, label, _ := strings.Cut(t.Label, "-")
		m, known := labelMap[label]
		if !known || (iob != "B" && iob != "I") || offs[i][0] < 0 {
			flush()
			continue
		}
		// prose marks most tokens B-, even inside one name: consecutive tokens
		// with the same label form one entity, as prose's own chunker does.
		if label != curLabel {
			flush()
			cur = ner.Finding{Start: offs[i][0], End: offs[i][1], Entity: m.entity, Score: m.score, Rule: "prose/" + strings.ToLower(label)}
			curLabel = label
			continue
		}
		cur.End = offs[i][1]
	}
	flush()
	return out
}

// Align returns the byte span in text of each token, or {-1,-1} for a token
// it cannot place. Tokens are matched in order; prose's tokenizer replaces
// typographic quotes with ASCII ones, which Align treats as equal.
func Align(text string, toks []prose.Token) [][2]int {
	out := make([][2]int, len(toks))
	pos := 0
	for i, t := range toks {
		out[i] = [2]int{-1, -1}
		if t.Text == "" {
			continue
		}
		start := skipSpace(text, pos)
		if end, ok := matchAt(text, start, t.Text); ok {
			out[i] = [2]int{start, end}
			pos = end
			continue
		}
		// Search a little further: prose drops or merges odd characters.
		limit := start + 64 + len(t.Text)
		for s := start; s < len(text) && s < limit; {
			if end, ok := matchAt(text, s, t.Text); ok {
				out[i] = [2]int{s, end}
				pos = end
				break
			}
			_, n := utf8.DecodeRuneInString(text[s:])
			s += n
		}
	}
	return out
}

func skipSpace(text string, pos int) int {
	for pos < len(text) {
		r, n := utf8.DecodeRuneInString(text[pos:])
		if !unicode.IsSpace(r) {
			break
		}
		pos += n
	}
	return pos
}

// matchAt reports whether tok occurs in text at pos, with prose's quote
// substitutions undone, and returns the end offset.
func matchAt(text string, pos int, tok string) (int, bool) {
	i := pos
	for _, tr := range tok {
		if i >= len(text) {
			return 0, false
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == tr:
		case tr == '"' && (r == '\u201c' || r == '\u201d'):
		case tr == '\'' && (r == '\u2018' || r == '\u2019'):
		case tr == '\'' && strings.HasPrefix(text[i:], "&rsquo;"):
			n = len("&rsquo;")
		default:
			return 0, false
		}
		i += n
	}
	return i, true
}
