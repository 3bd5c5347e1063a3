// Package eval measures detection quality on annotated text: how many gold
// mentions a redacted text protects, how many entities have every mention
// protected, and how many tokens were masked that needed no masking.
//
// The rules are those of shared/eval/score.py, so the two agree on the same
// predictions: gold JSONL with code-point offsets, score.py's word
// alignment of original and redacted text (MaskRedacted), mention recall at
// a threshold of masked non-space characters (lenient), fully masked
// (strict) and TAB's rule, entity recall by kind with TAB's rule, and token
// precision/recall over alphanumeric tokens.
package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// Span is a gold (or predicted) span in Unicode code points, end exclusive.
type Span struct {
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Label    string `json:"label"`
	Kind     string `json:"kind,omitempty"`
	EntityID string `json:"entity_id,omitempty"`
}

// Doc is one annotated document.
type Doc struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Spans []Span `json:"spans"`
}

// ReadGold reads JSONL gold documents, one a line; blank lines are skipped.
// Errors name the line, never its text.
func ReadGold(r io.Reader) ([]Doc, error) {
	var out []Doc
	br := bufio.NewReaderSize(r, 1<<20)
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(strings.TrimSpace(string(b))) > 0 {
			var d Doc
			if jerr := json.Unmarshal(b, &d); jerr != nil {
				return nil, fmt.Errorf("gold line %d: not a JSON document: %w", line, jerr)
			}
			if d.ID == "" {
				return nil, fmt.Errorf("gold line %d: no id", line)
			}
			n := utf8.RuneCountInString(d.Text)
			for i, s := range d.Spans {
				if s.Start < 0 || s.End <= s.Start || s.End > n {
					return nil, fmt.Errorf("gold line %d (%s): span %d [%d,%d) outside the text (%d code points)", line, d.ID, i+1, s.Start, s.End, n)
				}
			}
			out = append(out, d)
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("gold line %d: %w", line, err)
		}
	}
}

// Options tune scoring; the zero value is not useful, start from
// DefaultOptions.
type Options struct {
	// Threshold is the share of a mention's non-space characters that must
	// be masked for it to count as protected (lenient recall).
	Threshold float64
	// IgnoreKinds are gold kinds that need no masking; they only feed the
	// over-masking figure.
	IgnoreKinds []string
	// Misses is how many unprotected mentions to list.
	Misses int
	// Context is how many characters around a missed mention to show.
	Context int
}

// DefaultOptions are score.py's defaults.
func DefaultOptions() Options {
	return Options{Threshold: 0.9, IgnoreKinds: []string{"no_mask"}, Context: 60}
}

// Recall counts gold mentions and how many were protected by each rule.
type Recall struct {
	N       int      `json:"n"`
	Lenient *float64 `json:"recall_lenient"`
	Strict  *float64 `json:"recall_strict"`
	Tab     *float64 `json:"recall_tab"`

	lenient, strict, tab int
}

func (c *Recall) add(lenient, strict, tab bool) {
	c.N++
	c.lenient += b2i(lenient)
	c.strict += b2i(strict)
	c.tab += b2i(tab)
}

func (c *Recall) finish() {
	if c.N > 0 {
		c.Lenient = ratio(c.lenient, c.N)
		c.Strict = ratio(c.strict, c.N)
		c.Tab = ratio(c.tab, c.N)
	}
}

// EntityRecall is the share of entities all of whose mentions were
// protected (TAB rule).
type EntityRecall struct {
	N      int      `json:"n"`
	Recall *float64 `json:"recall"`
	ok     int
}

// PRF holds token counts and the derived precision, recall and F1.
type PRF struct {
	TP        int      `json:"tp"`
	FP        int      `json:"fp"`
	FN        int      `json:"fn"`
	Precision *float64 `json:"precision"`
	Recall    *float64 `json:"recall"`
	F1        *float64 `json:"f1"`
}

func (p *PRF) finish() {
	if p.TP+p.FP > 0 {
		p.Precision = ratio(p.TP, p.TP+p.FP)
	}
	if p.TP+p.FN > 0 {
		p.Recall = ratio(p.TP, p.TP+p.FN)
	}
	switch {
	case p.Precision != nil && p.Recall != nil && *p.Precision+*p.Recall > 0:
		f := 2 * *p.Precision * *p.Recall / (*p.Precision + *p.Recall)
		p.F1 = &f
	case p.Precision != nil && p.Recall != nil:
		f := 0.0
		p.F1 = &f
	}
}

// Miss is a gold mention that was not protected.
type Miss struct {
	ID             string  `json:"id"`
	Start          int     `json:"start"`
	End            int     `json:"end"`
	Label          string  `json:"label"`
	Kind           string  `json:"kind"`
	Text           string  `json:"text"`
	MaskedFraction float64 `json:"masked_fraction"`
	Before         string  `json:"before,omitempty"`
	After          string  `json:"after,omitempty"`
}

// Result holds every number; JSON keys are those of score.py --json.
type Result struct {
	Docs              int                      `json:"docs"`
	Threshold         float64                  `json:"threshold"`
	IgnoredKinds      []string                 `json:"ignored_kinds"`
	Mention           *Recall                  `json:"mention_recall"`
	ByKind            map[string]*Recall       `json:"mention_recall_by_kind"`
	ByLabel           map[string]*Recall       `json:"mention_recall_by_label"`
	ByKindLabel       map[string]*Recall       `json:"mention_recall_by_kind_label"`
	Entities          map[string]*EntityRecall `json:"entity_recall_tab_rule"`
	Token             PRF                      `json:"token"`
	IgnoredMentions   int                      `json:"ignored_kind_mentions"`
	IgnoredMaskedRate *float64                 `json:"ignored_kind_masked_rate"`
	MaskedCharShare   *float64                 `json:"masked_char_share"`
	Misses            []Miss                   `json:"misses,omitempty"`
}

// Scorer accumulates documents. Add documents in gold order for misses to
// be listed in that order.
type Scorer struct {
	opt      Options
	ignore   map[string]bool
	res      Result
	entities map[[2]string]*entState
	entOrder [][2]string
	chars    int
	maskedCh int
	nomaskOK int
}

type entState struct {
	kind string
	ok   bool
}

// NewScorer returns an empty scorer.
func NewScorer(opt Options) *Scorer {
	s := &Scorer{opt: opt, ignore: map[string]bool{}, entities: map[[2]string]*entState{}}
	for _, k := range opt.IgnoreKinds {
		s.ignore[k] = true
	}
	s.res = Result{
		Threshold: opt.Threshold, IgnoredKinds: append([]string{}, opt.IgnoreKinds...),
		Mention: &Recall{}, ByKind: map[string]*Recall{}, ByLabel: map[string]*Recall{},
		ByKindLabel: map[string]*Recall{}, Entities: map[string]*EntityRecall{},
	}
	sort.Strings(s.res.IgnoredKinds)
	return s
}

func get(m map[string]*Recall, k string) *Recall {
	c, ok := m[k]
	if !ok {
		c = &Recall{}
		m[k] = c
	}
	return c
}

// Add scores one document given the mask of its text (one bool per code
// point, true = masked).
func (s *Scorer) Add(d Doc, masked []bool) {
	text := []rune(d.Text)
	if len(masked) != len(text) {
		m := make([]bool, len(text))
		copy(m, masked)
		masked = m
	}
	s.res.Docs++
	for i, r := range text {
		if !isSpace(r) {
			s.chars++
			if masked[i] {
				s.maskedCh++
			}
		}
	}
	var protect []Span
	for _, sp := range d.Spans {
		if s.ignore[sp.Kind] {
			m, n := coverage(text, masked, sp.Start, sp.End)
			if n > 0 {
				s.res.IgnoredMentions++
				if float64(m) >= s.opt.Threshold*float64(n) {
					s.nomaskOK++
				}
			}
			continue
		}
		protect = append(protect, sp)
	}
	for _, sp := range protect {
		m, n := coverage(text, masked, sp.Start, sp.End)
		if n == 0 {
			continue
		}
		lenient := float64(m) >= s.opt.Threshold*float64(n)
		strict := m == n
		tab := tabMasked(text, masked, sp.Start, sp.End)
		s.res.Mention.add(lenient, strict, tab)
		get(s.res.ByKind, sp.Kind).add(lenient, strict, tab)
		get(s.res.ByLabel, sp.Label).add(lenient, strict, tab)
		get(s.res.ByKindLabel, sp.Kind+"/"+sp.Label).add(lenient, strict, tab)
		if sp.EntityID != "" {
			key := [2]string{d.ID, sp.EntityID}
			e, ok := s.entities[key]
			if !ok {
				e = &entState{kind: sp.Kind, ok: true}
				s.entities[key] = e
				s.entOrder = append(s.entOrder, key)
			}
			e.ok = e.ok && tab
		}
		if !lenient && len(s.res.Misses) < s.opt.Misses {
			lo, hi := max(0, sp.Start-s.opt.Context), min(len(text), sp.End+s.opt.Context)
			s.res.Misses = append(s.res.Misses, Miss{
				ID: d.ID, Start: sp.Start, End: sp.End, Label: sp.Label, Kind: sp.Kind,
				Text:           string(text[sp.Start:sp.End]),
				MaskedFraction: float64(int(float64(m)/float64(n)*1000+0.5)) / 1000,
				Before:         string(text[lo:sp.Start]), After: string(text[sp.End:hi]),
			})
		}
	}
	// token level
	gold := make([]bool, len(text))
	for _, sp := range protect {
		for i := sp.Start; i < sp.End && i < len(text); i++ {
			gold[i] = true
		}
	}
	for i := 0; i < len(text); {
		if !isAlnum(text[i]) {
			i++
			continue
		}
		j, nm, g := i, 0, false
		for ; j < len(text) && isAlnum(text[j]); j++ {
			if masked[j] {
				nm++
			}
			g = g || gold[j]
		}
		isMasked := nm*2 > j-i
		switch {
		case isMasked && g:
			s.res.Token.TP++
		case isMasked:
			s.res.Token.FP++
		case g:
			s.res.Token.FN++
		}
		i = j
	}
}

// Result returns the scores of the documents added so far.
func (s *Scorer) Result() Result {
	r := s.res
	for _, m := range []map[string]*Recall{r.ByKind, r.ByLabel, r.ByKindLabel} {
		for _, c := range m {
			c.finish()
		}
	}
	r.Mention.finish()
	r.Entities = map[string]*EntityRecall{}
	for _, k := range s.entOrder {
		e := s.entities[k]
		for _, kind := range []string{e.kind, "all"} {
			er, ok := r.Entities[kind]
			if !ok {
				er = &EntityRecall{}
				r.Entities[kind] = er
			}
			er.N++
			er.ok += b2i(e.ok)
		}
	}
	for _, er := range r.Entities {
		er.Recall = ratio(er.ok, er.N)
	}
	r.Token.finish()
	if r.IgnoredMentions > 0 {
		r.IgnoredMaskedRate = ratio(s.nomaskOK, r.IgnoredMentions)
	}
	if s.chars > 0 {
		r.MaskedCharShare = ratio(s.maskedCh, s.chars)
	}
	return r
}

// coverage returns the masked and total non-space characters of
// text[start:end].
func coverage(text []rune, masked []bool, start, end int) (m, n int) {
	for i := start; i < end && i < len(text); i++ {
		if !isSpace(text[i]) {
			n++
			if masked[i] {
				m++
			}
		}
	}
	return m, n
}

// tabIgnoreChars and tabIgnoreTokens are score.py's approximation of TAB's
// evaluation: punctuation, titles and function words need no masking.
const tabIgnoreChars = " ,.-;:/&()[]–'\" ’“”\n\t\r"

var tabIgnoreTokens = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`mr mrs ms no nr about a an the this that these those his her its
	their our my your some any each every all both of in on at to for by with from into onto upon over
	under between among through during before after since until till against within without around near
	per via as than up down out off across along behind beyond de and or nor but yet so not 's s`) {
		tabIgnoreTokens[w] = true
	}
}

// tabMasked applies TAB's rule: every character is masked except
// punctuation, spaces, titles and function words.
func tabMasked(text []rune, masked []bool, start, end int) bool {
	unc := map[int]bool{}
	for i := start; i < end; i++ {
		if !masked[i] && !strings.ContainsRune(tabIgnoreChars, text[i]) {
			unc[i] = true
		}
	}
	if len(unc) == 0 {
		return true
	}
	// tokens: \w+(?:'\w+)?|'s
	seg := text[start:end]
	for i := 0; i < len(seg); {
		j := i
		switch {
		case isWord(seg[i]):
			for j < len(seg) && isWord(seg[j]) {
				j++
			}
			if j+1 < len(seg) && seg[j] == '\'' && isWord(seg[j+1]) {
				j++
				for j < len(seg) && isWord(seg[j]) {
					j++
				}
			}
		case seg[i] == '\'' && i+1 < len(seg) && seg[i+1] == 's':
			j = i + 2
		default:
			i++
			continue
		}
		if tabIgnoreTokens[strings.ToLower(string(seg[i:j]))] {
			for k := i; k < j; k++ {
				delete(unc, start+k)
			}
		}
		i = j
	}
	return len(unc) == 0
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func ratio(a, b int) *float64 {
	r := float64(a) / float64(b)
	return &r
}
