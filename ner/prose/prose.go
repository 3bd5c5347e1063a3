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
	ws, flags := gazetteer.WordsOf(ctx, text)
	for _, seg := range candidates(text, ws, flags, decided) {
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

// Candidates returns the byte ranges of text that DetectWhere gives to
// prose, in order: around each capitalised word that is not ordinary
// vocabulary and not decided, the words of its sentence within
// contextWords on either side (prose's features look at neighbouring words
// only). A sentence ends at a line break or at . ! ? followed by a space;
// overlapping ranges merge.
func Candidates(text string, decided func(start, end int) bool) [][2]int {
	ws, flags := gazetteer.WordsOf(context.Background(), text)
	return candidates(text, ws, flags, decided)
}

// candidates is Candidates over the words of text and their flags.
func candidates(text string, ws []ner.Word, flags []gazetteer.Flags, decided func(start, end int) bool) [][2]int {
	// sentence number of each word
	sent := make([]int, len(ws))
	n := 0
	for i := range ws {
		if i > 0 {
			for j := ws[i-1].End; j < ws[i].Start; j++ {
				if c := text[j]; c == '\n' || ((c == '.' || c == '!' || c == '?') && j+1 < len(text) && (text[j+1] == ' ' || text[j+1] == '\n')) {
					n++
					break
				}
			}
		}
		sent[i] = n
	}
	var out [][2]int
	for i, w := range ws {
		if !w.Capital || allCaps(text[w.Start:w.End]) {
			continue
		}
		// ordinary words, and countries and regions, which the rules
		// recognise and leave on purpose
		if f := flags[i]; f.Common() || f&gazetteer.Place != 0 && place(text, ws, i) {
			continue
		}
		if decided != nil && decided(w.Start, w.End) {
			continue
		}
		lo, hi := i, i
		for lo > 0 && i-lo < contextWords && sent[lo-1] == sent[i] {
			lo--
		}
		for hi+1 < len(ws) && hi-i < contextWords && sent[hi+1] == sent[i] {
			hi++
		}
		// keep the punctuation around the words ("“Brian O’Neill”")
		r := [2]int{0, len(text)}
		if lo > 0 {
			r[0] = ws[lo-1].End
		}
		if hi+1 < len(ws) {
			r[1] = ws[hi+1].Start
		}
		if k := len(out); k > 0 && r[0] <= out[k-1][1] {
			if r[1] <= out[k-1][1] {
				continue
			}
			if r[1]-out[k-1][0] <= maxSegment {
				out[k-1][1] = r[1]
				continue
			}
			// Long enough: go on in a new range, so that DetectWhere
			// checks its context between pieces of bounded time.
			r[0] = out[k-1][1]
		}
		out = append(out, r)
	}
	return out
}

// place reports whether the words from i on are a listed country or
// region ("Poland", "United Kingdom").
func place(text string, ws []ner.Word, i int) bool {
	key := ""
	for j := i; j < len(ws) && j-i < 4; j++ {
		if j > i {
			key += " "
		}
		key += ws[j].Key
		if city, ok := gazetteer.PlaceOf(key); ok && !city {
			return true
		}
	}
	return false
}

// maxSegment bounds the ranges Candidates merges: prose runs at about
// 0.1 MB/s, so one range takes at most a fraction of a second and a
// cancelled context (a stopping run, a file over its time budget) is seen
// soon. Only text where every sentence has a candidate word is cut.
const maxSegment = 16 << 10

// contextWords is how many words on each side of a candidate word prose
// sees: its features look one word to each side for entities and two for
// part-of-speech tags, and names run over a few words.
const contextWords = 2

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
	// prose's tokens, tagged by posTags (prose's tagger, indexed) when
	// tagger.bin can be read, else by prose
	var doc *prose.Document
	if pt := posTags(); pt != nil {
		if doc, err = prose.NewDocument(text, prose.WithSegmentation(false), prose.WithExtraction(false), prose.WithTagging(false)); err == nil {
			pt.tag(docTokens(doc))
		}
	} else {
		doc, err = prose.NewDocument(text, prose.UsingModel(tagger()), prose.WithSegmentation(false), prose.WithExtraction(false))
	}
	if err != nil {
		return nil, nil
	}
	entityModel().classify(docTokens(doc))
	toks := doc.Tokens()
	offs := Align(text, toks)
	var out []ner.Finding
	for _, f := range entities(toks, offs) {
		f, ok := ner.TrimName(text, f)
		if ok {
			f = dropLeadingWord(text, f)
		}
		if ok && identifying(text[f.Start:f.End]) && plausible(text, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// dropLeadingWord removes from a person's name an ordinary word at the
// start of a sentence that prose takes for part of it ("Ask Greg
// Tomlinson", "Call Maria Sandoval"), unless the word is a given name too
// ("Will Smith").
func dropLeadingWord(text string, f ner.Finding) ner.Finding {
	if f.Entity != ner.Person {
		return f
	}
	ws := ner.Words(text[f.Start:f.End])
	if len(ws) < 2 || !sentenceInitial(text, f.Start) {
		return f
	}
	k := ws[0].Key
	if gazetteer.IsCommonWord(k) && !gazetteer.FirstNames().Has(k) {
		f.Start += ws[1].Start
	}
	return f
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
