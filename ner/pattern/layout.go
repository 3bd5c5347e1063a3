package pattern

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/lexicon"
)

// Layout: a value is an identifier because of where it stands, not of a
// keyword beside it. A label names the identifier (labels.yaml); the value
// is the cell of a table under that header, the rest of a "Label: value"
// line, the line after a label line, or the whole text of a part whose
// format gave it that label (ner.FieldDetector). Tables are read from the
// text itself: pipe tables ("| SSN | 123456789 |", also DOCX rows written
// "cell | cell"), columns aligned with spaces (PDF text, plain-text
// reports) or tabs, including a value that wraps onto the next line of its
// column, and tables flattened to one cell a line under a run of header
// lines.

//go:embed labels.yaml
var defaultLabels []byte

// LabelSpec is a label as written in labels.yaml.
type LabelSpec struct {
	Entity   string   `yaml:"entity"`
	Value    string   `yaml:"value"`
	Validate []string `yaml:"validate"`
	Words    []string `yaml:"words"`
	Examples Examples `yaml:"examples"`
}

type labelFile struct {
	Unless []string    `yaml:"unless"`
	Labels []LabelSpec `yaml:"labels"`
}

// Kinds of values (LabelSpec.Value).
const (
	valueNumber = "number"
	valueCode   = "code"
	valuePostal = "postal"
	valueDate   = "date"
	valueText   = "text"
)

type labelRule struct {
	spec       LabelSpec
	entity     ner.Entity
	validators []Validator
	rule       string // "pattern/label-ssn"
}

// labels classifies labels. It is immutable.
type labels struct {
	rules   []*labelRule
	phrases map[string][]phrase // by first token
	unless  map[string][][]string
}

type phrase struct {
	tokens []string
	rule   *labelRule
}

// maxLabelTokens bounds what can be a label: a sentence names no column.
const maxLabelTokens = 6

func parseLabels(data []byte) (*labels, error) {
	var lf labelFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&lf); err != nil {
		return nil, fmt.Errorf("pattern labels: %w", err)
	}
	l := &labels{phrases: map[string][]phrase{}, unless: map[string][][]string{}}
	for _, u := range lf.Unless {
		t := labelTokens(u)
		if len(t) == 0 {
			return nil, fmt.Errorf("pattern labels: empty unless word %q", u)
		}
		l.unless[t[0]] = append(l.unless[t[0]], t)
	}
	for i, s := range lf.Labels {
		e := ner.Entity(s.Entity)
		if !e.Valid() {
			return nil, fmt.Errorf("pattern label #%d: unknown entity %q", i+1, s.Entity)
		}
		switch s.Value {
		case valueNumber, valueCode, valuePostal, valueDate, valueText:
		default:
			return nil, fmt.Errorf("pattern label %s: unknown value kind %q", s.Entity, s.Value)
		}
		r := &labelRule{spec: s, entity: e, rule: "pattern/label-" + strings.ToLower(strings.ReplaceAll(s.Entity, "_", "-"))}
		for _, name := range s.Validate {
			v, ok := validators[name]
			if !ok {
				return nil, fmt.Errorf("pattern label %s: unknown validator %q", s.Entity, name)
			}
			r.validators = append(r.validators, v)
		}
		if len(s.Words) == 0 || len(s.Examples.Match) == 0 {
			return nil, fmt.Errorf("pattern label %s: words and examples are required", s.Entity)
		}
		for _, w := range s.Words {
			t := labelTokens(w)
			if len(t) == 0 || len(t) > maxLabelTokens {
				return nil, fmt.Errorf("pattern label %s: bad word %q", s.Entity, w)
			}
			l.phrases[t[0]] = append(l.phrases[t[0]], phrase{t, r})
		}
		l.rules = append(l.rules, r)
	}
	return l, nil
}

var (
	labelsOnce   sync.Once
	defaultLabel *labels
	labelsErr    error
)

// embeddedLabels returns the labels of labels.yaml, parsed on first use.
func embeddedLabels() (*labels, error) {
	labelsOnce.Do(func() { defaultLabel, labelsErr = parseLabels(defaultLabels) })
	return defaultLabel, labelsErr
}

// labelTokens lower-cases s and splits it into words of letters, digits,
// '#' and apostrophes; everything else separates.
func labelTokens(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			b.WriteRune(unicode.ToLower(r))
		case r == '#':
			flush()
			out = append(out, "#")
		case r == '\'' || r == '’':
			b.WriteByte('\'')
		default:
			flush()
		}
	}
	flush()
	return out
}

// labelTokenCount returns len(labelTokens(s)) without building them.
func labelTokenCount(s string) int {
	n, in := 0, false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) ||
			r == '\'' || r == '’':
			if !in {
				n++
				in = true
			}
		case r == '#':
			n++
			in = false
		default:
			in = false
		}
	}
	return n
}

// fieldsAtLeast reports whether len(strings.Fields(s)) >= n, reading s
// only as far as the n-th field.
func fieldsAtLeast(s string, n int) bool {
	if n <= 0 {
		return true
	}
	k, in := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			in = false
			continue
		}
		if !in {
			if k++; k >= n {
				return true
			}
			in = true
		}
	}
	return false
}

// endsWith reports whether tokens end with p, but for a trailing "#",
// "no" or "number" after it ("SSN #", "DL No").
func endsWith(tokens, p []string) bool {
	for k := 0; k < 2 && len(tokens) > 0; k++ {
		if len(tokens) >= len(p) && hasPhrase(tokens[len(tokens)-len(p):], p) {
			return true
		}
		switch tokens[len(tokens)-1] {
		case "#", "no", "nr", "number", "num", "numer", "nummer", "numéro", "número", "numero", "번호", "số":
			tokens = tokens[:len(tokens)-1]
		default:
			return false
		}
	}
	return false
}

func hasPhrase(tokens, p []string) bool {
	for i := 0; i+len(p) <= len(tokens); i++ {
		ok := true
		for k := range p {
			if tokens[i+k] != p[k] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// classify returns the rules a label names: those of its longest phrase
// that ends it (several when phrases of equal length name different entities),
// none for a label that is too long, holds an "unless" word, or holds no
// letter.
func (l *labels) classify(label string) []*labelRule {
	if l == nil || len(label) > 80 {
		return nil
	}
	tokens := labelTokens(label)
	if len(tokens) == 0 || len(tokens) > maxLabelTokens {
		return nil
	}
	for _, t := range tokens {
		for _, u := range l.unless[t] {
			if hasPhrase(tokens, u) {
				return nil
			}
		}
	}
	var out []*labelRule
	best := 0
	for _, t := range tokens {
		for _, p := range l.phrases[t] {
			if len(p.tokens) < best || !endsWith(tokens, p.tokens) {
				continue
			}
			if len(p.tokens) > best {
				best, out = len(p.tokens), out[:0]
			}
			dup := false
			for _, r := range out {
				dup = dup || r == p.rule
			}
			if !dup {
				out = append(out, p.rule)
			}
		}
	}
	return out
}

// Classify returns the entities a column header or form label names, in
// labels.yaml order of their rules.
func Classify(label string) []ner.Entity {
	var out []ner.Entity
	l, _ := embeddedLabels()
	for _, r := range l.classify(label) {
		out = append(out, r.entity)
	}
	return out
}

// cell is the value of a label: one or more segments of a text (a value
// that wraps continues in the next segment).
type cell struct {
	segs  []vspan
	rules []*labelRule
	// free is false where the cell's column was inferred by counting
	// (flattened tables): text values are not taken there.
	free bool
	// table is true for a cell under a column header: a name there takes
	// two words (a one-word cell may be anything).
	table bool
	// first: only the first of rules that finds the value counts (a
	// cell whose column is not known; see labelRun).
	first bool
}

type vspan struct{ lo, hi int }

// DetectField implements ner.FieldDetector: the text is detected with its
// label as the line before it (so that the rules' context words see it),
// and when the label names an identifier, the values of that kind in the
// text are that identifier.
func (d *Detector) DetectField(ctx context.Context, field, text string) ([]ner.Finding, error) {
	field = strings.Join(strings.Fields(field), " ")
	if field == "" {
		return d.Detect(ctx, text)
	}
	if len(field) > 200 {
		field = field[:200]
		for !utf8.ValidString(field) {
			field = field[:len(field)-1]
		}
	}
	prefix := field + ":\n"
	fs, err := d.Detect(ctx, prefix+text)
	if err != nil {
		return nil, err
	}
	out := fs[:0]
	for _, f := range fs {
		f.Start -= len(prefix)
		f.End -= len(prefix)
		if f.End <= 0 {
			continue
		}
		if f.Start < 0 {
			f.Start = 0
		}
		out = append(out, f)
	}
	if rules := d.labels.classify(field); len(rules) > 0 && text != "" {
		out = appendCell(out, text, cell{segs: []vspan{{0, len(text)}}, rules: rules, free: true}, datesOf(out), d.labels)
	}
	return out, nil
}

// appendLayout appends the findings that the layout of text gives: values
// under labels. found holds the rules' findings (for dates).
func (d *Detector) appendLayout(out []ner.Finding, text string, found []ner.Finding) []ner.Finding {
	if d.labels == nil {
		return out
	}
	out = appendAddressTails(out, text, found)
	if !strings.ContainsAny(text, "\n:|\t") {
		return out
	}
	dates := datesOf(found)
	for _, c := range findCells(text, d.labels) {
		out = appendCell(out, text, c, dates, d.labels)
	}
	return out
}

// datesOf returns the dates among found, by start.
func datesOf(found []ner.Finding) []ner.Finding {
	var dates []ner.Finding
	for _, f := range found {
		if f.Entity == ner.Date || f.Entity == ner.BirthDate {
			dates = append(dates, f)
		}
	}
	sort.Slice(dates, func(i, j int) bool { return dates[i].Start < dates[j].Start })
	return dates
}

var (
	numberRun = regexp.MustCompile(`\+?\(?[0-9](?:[0-9]|[ \-./)(\n]{1,3}[0-9])*`)
	codeRun   = regexp.MustCompile(`[A-Za-z0-9](?:[A-Za-z0-9]|[\-./][A-Za-z0-9])*`)
	// postalRun is a code, or one of the postal codes written as two
	// groups: British (outward and inward code, "M1 1AE"), Canadian
	// ("K1A 0B1"), Dutch ("1234 AB"), Swedish, Czech, Slovak and Greek
	// ("123 45"), Irish Eircodes ("D02 X285"), Maltese ("VLT 1117"). As
	// two codes the first group alone ("M1") would pass for no postal code
	// and be left beside the masked second.
	postalRun = regexp.MustCompile(`(?:[A-Za-z]{1,2}[0-9][A-Za-z0-9]? [0-9][A-Za-z]{2}|[A-Za-z][0-9][A-Za-z] [0-9][A-Za-z][0-9]|[0-9]{4} [A-Z]{2}|[0-9]{3} [0-9]{2}|[A-Z][0-9]{2}[A-Z0-9]? [A-Z0-9]{4}|[A-Z]{3} [0-9]{4})\b|` + codeRun.String())
)

// appendCell appends the findings of the value in c.
func appendCell(out []ner.Finding, text string, c cell, dates []ner.Finding, lb *labels) []ner.Finding {
	n0 := len(out)
	for _, r := range c.rules {
		if c.first && len(out) > n0 {
			break // the value was found by a more specific rule
		}
		score := 0.9
		switch r.spec.Value {
		case valueNumber:
			out = appendRuns(out, text, c, r, numberRun)
		case valueCode:
			out = appendRuns(out, text, c, r, codeRun)
		case valuePostal:
			out = appendRuns(out, text, c, r, postalRun)
		case valueDate:
			for _, s := range c.segs {
				i := sort.Search(len(dates), func(i int) bool { return dates[i].Start >= s.lo })
				found := false
				for ; i < len(dates) && dates[i].Start < s.hi; i++ {
					if dates[i].End <= s.hi && dates[i].Start >= 0 {
						out = append(out, ner.Finding{Start: dates[i].Start, End: dates[i].End, Entity: r.entity, Score: 0.95, Rule: r.rule})
						found = true
					}
				}
				if lo, hi := trimSpan(text, s.lo, s.hi); !found && c.free && dateSerial(text[lo:hi]) {
					out = append(out, ner.Finding{Start: lo, End: hi, Entity: r.entity, Score: 0.9, Rule: r.rule})
				}
			}
		case valueText:
			if !c.free {
				continue
			}
			switch r.entity {
			case ner.Person:
				score = 0.75
			case ner.Address:
				score = 0.96 // the whole value, over the postal code inside it
			}
			var all strings.Builder
			var trimmed []vspan
			for _, s := range c.segs {
				lo, hi := trimSpan(text, s.lo, s.hi)
				if r.entity == ner.Person {
					lo, hi = trimTitles(text, lo, hi), trimCredentials(text, lo, hi)
				}
				if lo < hi {
					trimmed = append(trimmed, vspan{lo, hi})
					all.WriteString(text[lo:hi] + " ")
				}
			}
			value := strings.TrimSpace(all.String())
			if len(trimmed) == 0 || !validAll(r.validators, value) || lb.labelish(value) ||
				c.table && r.entity == ner.Person && len(strings.Fields(value)) < 2 {
				continue
			}
			for _, s := range trimmed {
				out = append(out, ner.Finding{Start: s.lo, End: s.hi, Entity: r.entity, Score: score, Rule: r.rule})
			}
		}
	}
	return out
}

// titles come before a name ("Dr.", "Mrs", "Prof."): the detectors leave
// them out of a person's span.
var titles = lexicon.MustSet("titles")

// trimTitles returns the start of the name in text[lo:hi] after the
// titles before it ("Dr. Helen Fielding" starts at "Helen"); hi when the
// value is titles only ("Dr." is nobody's name).
func trimTitles(text string, lo, hi int) int {
	for lo < hi {
		v := text[lo:hi]
		k := strings.IndexByte(v, ' ')
		if k < 0 {
			k = len(v)
		}
		if !titles.Has(strings.TrimSuffix(v[:k], ".")) {
			return lo
		}
		lo += k + len(v[k:]) - len(strings.TrimLeft(v[k:], " "))
	}
	return hi
}

// credentials are post-nominals written after a name ("Kim Lee, RN").
var credentials = lexicon.MustSet("credentials")

// trimCredentials returns the end of the name in text[lo:hi] without the
// post-nominals after it ("Helen Fielding, LPC, MD" ends at "Fielding"),
// so that the person is the one named elsewhere without them.
func trimCredentials(text string, lo, hi int) int {
	for {
		v := strings.TrimRight(text[lo:hi], " ,")
		k := strings.LastIndexAny(v, " ,")
		if w := v[k+1:]; k <= 0 || w == "" || !unicode.IsUpper(rune(w[0])) || !credentials.Has(strings.ReplaceAll(w, ".", "")) {
			return lo + len(v)
		}
		hi = lo + k
	}
}

func validAll(vs []Validator, v string) bool {
	for _, f := range vs {
		if !f(v) {
			return false
		}
	}
	return true
}

// appendRuns appends the runs of re in the cell's segments that pass the
// rule's validators. A run that ends its segment and one that starts the
// next are one value (a number wrapped in its cell).
func appendRuns(out []ner.Finding, text string, c cell, r *labelRule, re *regexp.Regexp) []ner.Finding {
	var pending []vspan // runs of one value so far
	flush := func() {
		if len(pending) == 0 {
			return
		}
		var v strings.Builder
		for _, p := range pending {
			v.WriteString(text[p.lo:p.hi])
			v.WriteByte(' ')
		}
		value := strings.TrimSpace(v.String())
		if (r.spec.Value != valueCode && r.spec.Value != valuePostal || strings.ContainsAny(value, "0123456789")) && validAll(r.validators, value) {
			for i, p := range pending {
				if r.spec.Value == valueNumber && i < len(pending)-1 {
					// A piece before the last of a wrapped number is
					// reported in groups of at most four digits: an
					// action that keeps the last digits of a value
					// (FRCP 5.2) must not keep this piece's own.
					out = appendGroups(out, text, p, r)
					continue
				}
				out = append(out, ner.Finding{Start: p.lo, End: p.hi, Entity: r.entity, Score: 0.9, Rule: r.rule})
			}
		}
		pending = pending[:0]
	}
	for k, s := range c.segs {
		ms := re.FindAllStringIndex(text[s.lo:s.hi], -1)
		for i, m := range ms {
			lo, hi := s.lo+m[0], s.lo+m[1]
			continues := k > 0 && i == 0 && len(pending) > 0 && strings.TrimSpace(text[s.lo:lo]) == ""
			if !continues {
				flush()
			}
			pending = append(pending, vspan{lo, hi})
			if i < len(ms)-1 || strings.TrimSpace(text[hi:s.hi]) != "" {
				flush()
			}
		}
	}
	flush()
	return out
}

// appendGroups appends the digits of text[p.lo:p.hi] as findings of at
// most four digits each, with what lies between them (separators) left
// out: "0012 3456" is "0012" and "3456", "00123456" is "0012" and "3456".
func appendGroups(out []ner.Finding, text string, p vspan, r *labelRule) []ner.Finding {
	lo, n := -1, 0
	flush := func(hi int) {
		if lo >= 0 {
			out = append(out, ner.Finding{Start: lo, End: hi, Entity: r.entity, Score: 0.9, Rule: r.rule})
		}
		lo, n = -1, 0
	}
	for i := p.lo; i < p.hi; i++ {
		c := text[i]
		if c < '0' || c > '9' {
			flush(i)
			continue
		}
		if lo < 0 {
			lo = i
		}
		n++
		if n == 4 {
			flush(i + 1)
		}
	}
	flush(p.hi)
	return out
}

func trimSpan(text string, lo, hi int) (int, int) {
	for lo < hi {
		r, n := utf8.DecodeRuneInString(text[lo:hi])
		if !unicode.IsSpace(r) && r != '|' && r != ':' {
			break
		}
		lo += n
	}
	for hi > lo {
		r, n := utf8.DecodeLastRuneInString(text[lo:hi])
		if !unicode.IsSpace(r) && r != '|' {
			break
		}
		hi -= n
	}
	return lo, hi
}

// line is a line of a text: [lo,hi) without its line break.
type line struct{ lo, hi int }

func splitLines(text string) []line {
	var out []line
	for lo := 0; lo <= len(text); {
		i := strings.IndexByte(text[lo:], '\n')
		if i < 0 {
			out = append(out, line{lo, len(text)})
			break
		}
		hi := lo + i
		if hi > lo && text[hi-1] == '\r' {
			out = append(out, line{lo, hi - 1})
		} else {
			out = append(out, line{lo, hi})
		}
		lo += i + 1
	}
	return out
}

func blank(text string, l line) bool { return strings.TrimSpace(text[l.lo:l.hi]) == "" }

// findCells returns the labelled values of text.
func findCells(text string, lb *labels) []cell {
	lines := splitLines(text)
	var out []cell
	for i := 0; i < len(lines); {
		l := lines[i]
		s := text[l.lo:l.hi]
		if strings.Count(s, "|") >= 1 && len(pipeCells(text, l)) >= 2 {
			end := i + 1 // the block of '|' lines
			for end < len(lines) && strings.Contains(text[lines[end].lo:lines[end].hi], "|") && !blank(text, lines[end]) {
				end++
			}
			if n, cells := pipeTable(text, lines[i:end], lb); n > 0 {
				out = append(out, cells...)
				i += n
				continue
			}
			// no table under a labelled header: each row may still be
			// "label | value"
			for ; i < end; i++ {
				if c, ok := keyValueRow(text, lines, i, lb); ok {
					out = append(out, c...)
				}
			}
			continue
		}
		if fields := columnFields(text, l); len(fields) >= 2 {
			n, cells := alignedTable(text, lines[i:], fields, lb)
			out = append(out, cells...)
			if n > 0 {
				i += n
				continue
			}
		}
		// "Label: value" on one line, or several in aligned fields
		// ("Client: …    DOB: …    MRN: …")
		if cells := labelColonCells(text, l, lb); len(cells) > 0 {
			out = append(out, cells...)
			i++
			continue
		}
		// label lines, then values; a run of short lines that names
		// nothing is passed over whole
		n, cells := labelRun(text, lines[i:], lb)
		out = append(out, cells...)
		i += max(n, 1)
	}
	return out
}

// labelColonCells returns the values of "Label: value" in line l: the
// whole line, or each of its fields aligned with spaces or tabs.
func labelColonCells(text string, l line, lb *labels) []cell {
	fields := columnFields(text, l)
	if fields == nil {
		fields = []vspan{{l.lo, l.hi}}
	}
	var out []cell
	for _, f := range fields {
		s := text[f.lo:f.hi]
		j := labelColon(s)
		if j <= 0 || strings.TrimSpace(s[j+1:]) == "" {
			continue
		}
		if rules := lb.classify(s[:j]); len(rules) > 0 {
			out = append(out, cell{segs: []vspan{{f.lo + j + 1, f.hi}}, rules: rules, free: true})
		}
	}
	return out
}

// labelish reports whether s names something a form labels (an
// identifier, or one of the "unless" words): such a cell is a header, not
// a value.
func (l *labels) labelish(s string) bool {
	if len(l.classify(s)) > 0 {
		return true
	}
	tokens := labelTokens(s)
	for _, t := range tokens {
		for _, u := range l.unless[t] {
			if hasPhrase(tokens, u) {
				return true
			}
		}
	}
	return false
}

// keyValueTable reads a block of '|' rows that is a two-column form: at
// least two rows whose first cell is a label and no row of more than two
// cells. It returns the lines it took (0: not such a block) and the values
// of the rows whose label names an identifier.
func keyValueTable(text string, lines []line, lb *labels) (int, []cell) {
	n, labelled := 0, 0
	for ; n < len(lines); n++ {
		s := text[lines[n].lo:lines[n].hi]
		if !strings.Contains(s, "|") || blank(text, lines[n]) {
			break
		}
		if separatorRow(s) {
			continue
		}
		var cells []vspan
		for _, c := range pipeCells(text, lines[n]) {
			if !blank(text, line(c)) {
				cells = append(cells, c)
			}
		}
		if len(cells) > 2 {
			return 0, nil
		}
		if len(cells) == 2 && lb.labelish(text[cells[0].lo:cells[0].hi]) {
			labelled++
		}
	}
	if labelled < 2 {
		return 0, nil
	}
	var out []cell
	for i := 0; i < n; i++ {
		if c, ok := keyValueRow(text, lines, i, lb); ok {
			out = append(out, c...)
		}
	}
	return n, out
}

// keyValueRow reads row i of a '|'-table as "label | value" (a two-column
// form): two cells, the first a label, the second not, and no separator
// row under it (which would make it a header).
func keyValueRow(text string, lines []line, i int, lb *labels) ([]cell, bool) {
	var cells []vspan
	for _, c := range pipeCells(text, lines[i]) {
		if !blank(text, line(c)) {
			cells = append(cells, c)
		}
	}
	if len(cells) != 2 {
		return nil, false
	}
	if i+1 < len(lines) && separatorRow(text[lines[i+1].lo:lines[i+1].hi]) {
		return nil, false
	}
	rules := lb.classify(text[cells[0].lo:cells[0].hi])
	if len(rules) == 0 || lb.labelish(text[cells[1].lo:cells[1].hi]) {
		return nil, false
	}
	return []cell{{segs: []vspan{cells[1]}, rules: rules, free: true}}, true
}

// labelColon returns the offset of the colon that ends a label at the start
// of s ("DOB: 1/2/1960"), or -1.
func labelColon(s string) int {
	for i := 0; i < len(s) && i < 60; i++ {
		switch s[i] {
		case ':':
			if i+1 < len(s) && s[i+1] == '/' { // a URL
				return -1
			}
			return i
		case '\t':
			return -1
		}
	}
	if i := strings.Index(s, "："); i > 0 && i < 60 {
		return i + len("：") - 1
	}
	return -1
}

// pipeCells splits a line at '|' into cells, without the empty cells
// outside a leading and a trailing bar.
func pipeCells(text string, l line) []vspan {
	var out []vspan
	lo := l.lo
	for p := l.lo; p <= l.hi; p++ {
		if p == l.hi || text[p] == '|' {
			out = append(out, vspan{lo, p})
			lo = p + 1
		}
	}
	if len(out) > 0 && blank(text, line(out[0])) {
		out = out[1:]
	}
	if len(out) > 0 && blank(text, line(out[len(out)-1])) {
		out = out[:len(out)-1]
	}
	return out
}

func separatorRow(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && strings.Trim(s, "|-:+= \t") == ""
}

// pipeTable reads a table of '|'-separated rows whose first row is a
// header naming at least one identifier; it returns the number of lines it
// took (0: no such table) and the labelled cells.
func pipeTable(text string, lines []line, lb *labels) (int, []cell) {
	if n, cells := keyValueTable(text, lines, lb); n > 0 {
		return n, cells
	}
	header := pipeCells(text, lines[0])
	nonEmpty := 0
	for _, h := range header {
		if !blank(text, line(h)) {
			nonEmpty++
		}
	}
	if nonEmpty < 2 {
		return 0, nil
	}
	rules := make([][]*labelRule, len(header))
	any := false
	for k, h := range header {
		rules[k] = lb.classify(text[h.lo:h.hi])
		any = any || len(rules[k]) > 0
	}
	if !any {
		return 0, nil
	}
	n := 1
	var out []cell
	var prev []int // the last row's cells by column: index in out, -1 none
	for ; n < len(lines); n++ {
		l := lines[n]
		s := text[l.lo:l.hi]
		if !strings.Contains(s, "|") || blank(text, l) {
			break
		}
		if separatorRow(s) {
			continue
		}
		row := pipeCells(text, l)
		if len(row) == 0 {
			break
		}
		firstEmpty := blank(text, line(row[0]))
		cur := make([]int, len(header))
		for k := range cur {
			cur[k] = -1
		}
		for k, c := range row {
			if k >= len(header) || len(rules[k]) == 0 || blank(text, line(c)) {
				continue
			}
			if firstEmpty && prev != nil && prev[k] >= 0 {
				out[prev[k]].segs = append(out[prev[k]].segs, c) // the value wraps
				cur[k] = prev[k]
				continue
			}
			out = append(out, cell{segs: []vspan{c}, rules: rules[k], free: true, table: true})
			cur[k] = len(out) - 1
		}
		prev = cur
	}
	return n, out
}

// columnFields returns the fields of a line separated by two or more
// spaces or a tab, with their byte offsets, or nil for a line of one field.
func columnFields(text string, l line) []vspan {
	s := text[l.lo:l.hi]
	if !strings.Contains(s, "  ") && !strings.Contains(s, "\t") {
		return nil
	}
	var out []vspan
	start := -1
	for p := 0; p <= len(s); p++ {
		gap := p == len(s) || s[p] == '\t' || (s[p] == ' ' && p+1 < len(s) && s[p+1] == ' ') || (s[p] == ' ' && p+1 == len(s))
		if p < len(s) && s[p] == ' ' && start >= 0 && !gap {
			continue
		}
		if gap || s[p] == ' ' && start < 0 {
			if start >= 0 {
				out = append(out, vspan{l.lo + start, l.lo + p})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = p
		}
	}
	return out
}

// col is the display column of offset p in its line (runes from the line
// start; a tab counts to the next multiple of 8).
func col(text string, l line, p int) int {
	c := 0
	for _, r := range text[l.lo:p] {
		if r == '\t' {
			c = (c/8 + 1) * 8
			continue
		}
		c++
	}
	return c
}

// alignedTable reads a table of columns aligned with spaces or separated
// by tabs whose first line is a header naming at least one identifier.
func alignedTable(text string, lines []line, header []vspan, lb *labels) (int, []cell) {
	rules := make([][]*labelRule, len(header))
	any := false
	for k, h := range header {
		hs := text[h.lo:h.hi]
		if labelTokenCount(hs) > maxLabelTokens || strings.ContainsAny(strings.TrimRight(hs, ": "), ":0123456789@") {
			return 0, nil
		}
		rules[k] = lb.classify(text[h.lo:h.hi])
		any = any || len(rules[k]) > 0
	}
	if !any {
		return 0, nil
	}
	tabs := strings.Contains(text[lines[0].lo:lines[0].hi], "\t")
	starts := make([]int, len(header))
	for k, h := range header {
		starts[k] = col(text, lines[0], h.lo)
	}
	column := func(l line, f vspan) int {
		c0, c1 := col(text, l, f.lo), col(text, l, f.hi)
		best, bestOverlap := -1, 0
		for k := range starts {
			lo, hi := starts[k], 1<<30
			if k+1 < len(starts) {
				hi = starts[k+1]
			}
			if k > 0 {
				lo -= 2 // values may start a little left of their header
			}
			ov := min(hi, c1) - max(lo, c0)
			if ov > bestOverlap {
				best, bestOverlap = k, ov
			}
		}
		return best
	}
	var cells []cell
	last := make([]int, len(header)) // index in cells of the last row's cell by column, -1 none
	for k := range last {
		last[k] = -1
	}
	n := 1
	for ; n < len(lines); n++ {
		l := lines[n]
		if blank(text, l) {
			break
		}
		fields := columnFields(text, l)
		if fields == nil {
			lo, hi := trimSpan(text, l.lo, l.hi)
			if hi-lo > 60 && col(text, l, lo) == 0 {
				break // prose
			}
			fields = []vspan{{lo, hi}}
		}
		continuation := col(text, l, fields[0].lo) >= max(2, starts[min(1, len(starts)-1)]-2)
		cur := make([]int, len(header))
		for k := range cur {
			cur[k] = -1
		}
		for i, f := range fields {
			k := i
			if !tabs {
				k = column(l, f)
			}
			if k < 0 || k >= len(header) || len(rules[k]) == 0 {
				continue
			}
			if continuation && last[k] >= 0 {
				cells[last[k]].segs = append(cells[last[k]].segs, f)
				cur[k] = last[k]
				continue
			}
			cells = append(cells, cell{segs: []vspan{f}, rules: rules[k], free: true, table: true})
			cur[k] = len(cells) - 1
		}
		last = cur
	}
	if n == 1 {
		return 0, nil
	}
	return n, cells
}

// cellMaxWords is where a line of a table flattened to one cell a line
// stops being a cell: a line of this many words is a sentence, and the
// table has ended.
const cellMaxWords = 10

// labelRun reads a run of label lines ("SSN", "Date of birth:") and the
// lines after it: one label line labels the next line; k label lines are
// the header of a table flattened to one cell a line (DOCX), whose cells
// follow in rows of k.
func labelRun(text string, lines []line, lb *labels) (int, []cell) {
	if n, out := labelPairs(text, lines, lb); n > 0 {
		return n, out
	}
	// a form after a title line or two ("Intake summary"): pass over the
	// lines before it, and read it from its first label on the next call
	for j := 1; j < 4 && j < len(lines); j++ {
		if s := strings.TrimSpace(text[lines[j-1].lo:lines[j-1].hi]); s == "" || fieldsAtLeast(s, cellMaxWords) {
			break
		}
		if n, _ := labelPairs(text, lines[j:], lb); n > 0 {
			return j, nil
		}
	}
	var heads [][]*labelRule
	var names []string
	named := 0
	for _, l := range lines {
		s := strings.TrimSpace(text[l.lo:l.hi])
		if s == "" || strings.ContainsAny(s, "0123456789@|\t") || strings.Contains(strings.TrimSuffix(s, ":"), ":") ||
			len(s) > 40 || labelTokenCount(s) > 4 {
			break
		}
		r := lb.classify(strings.TrimSuffix(s, ":"))
		if len(r) > 0 {
			named++
		}
		heads = append(heads, r)
		names = append(names, strings.TrimSuffix(s, ":"))
	}
	examined := len(heads)
	// trailing lines that name nothing are values, not headers; a header
	// of no identifier that forms use ("Amount", "Notes") is still a
	// column, and dropping it would shift every value after it
	for len(heads) > 0 && len(heads[len(heads)-1]) == 0 && !lb.labelish(names[len(heads)-1]) {
		heads = heads[:len(heads)-1]
	}
	if named == 0 || len(heads) == 0 {
		return examined, nil // no line of the run can start one
	}
	k := len(heads)
	var out []cell
	n := k
	if k == 1 {
		if n < len(lines) && !blank(text, lines[n]) {
			out = append(out, cell{segs: []vspan{{lines[n].lo, lines[n].hi}}, rules: heads[0], free: true})
			n++
		}
		return n, out
	}
	start := n
	for n < len(lines) && n-start < 50*k {
		l := lines[n]
		if blank(text, l) || fieldsAtLeast(text[l.lo:l.hi], cellMaxWords) {
			break // a sentence: the paragraphs after the table (DOCX has no blank line there)
		}
		n++
	}
	if (n-start)%k != 0 {
		// Not whole rows: a cell held two lines (a line break in a
		// DOCX cell), and counting would put every later value under
		// the wrong column, keeping an SSN as an amount. Each line is
		// then read as a value of whichever identifier column it
		// validates for, the most specific first (misaligned).
		union := misaligned(heads)
		prev := -1 // the line of the last cell
		for j, l := range lines[start:n] {
			v := strings.TrimSpace(text[l.lo:l.hi])
			if amount(v) {
				continue
			}
			if len(out) > 0 && prev == j-1 && wrapTail.MatchString(v) && endsWithDigit(text[lines[start+prev].lo:lines[start+prev].hi]) {
				// the rest of a number wrapped in its cell ("0012 3456" / "789")
				c := &out[len(out)-1]
				c.segs = append(c.segs, vspan{l.lo, l.hi})
				prev = j
				continue
			}
			out = append(out, cell{segs: []vspan{{l.lo, l.hi}}, rules: union, first: true})
			prev = j
		}
		return n, out
	}
	for i, l := range lines[start:n] {
		if r := heads[i%k]; len(r) > 0 {
			out = append(out, cell{segs: []vspan{{l.lo, l.hi}}, rules: r})
		}
	}
	return n, out
}

// labelPairs reads a form flattened to one line a cell with its labels
// and values alternating ("Client" / a name / "Date of birth" / a date /
// "Referrer" / a name), which labelRun would otherwise take for a table
// whose header runs up to the first line with a digit, a name among its
// column names. Every even line must be a label (it names an identifier
// or is a label forms use), every odd line a value that is not; at least
// two pairs, one of them named; and the pairs must end the block (its
// end, a blank line, a sentence, or another label), so a table whose
// header has a column of no known name is not read as pairs. It returns
// the lines it took (0: not such a form) and the values under named
// labels.
func labelPairs(text string, lines []line, lb *labels) (int, []cell) {
	short := func(s string) bool {
		return s != "" && len(s) <= 40 && !strings.ContainsAny(s, "0123456789@|\t") && labelTokenCount(s) <= 4
	}
	value := func(l line) bool {
		s := strings.TrimSpace(text[l.lo:l.hi])
		return s != "" && !fieldsAtLeast(s, cellMaxWords) && !lb.labelish(strings.TrimSuffix(s, ":"))
	}
	var out []cell
	pairs, named, n := 0, 0, 0
	for n+1 < len(lines) {
		s := strings.TrimSuffix(strings.TrimSpace(text[lines[n].lo:lines[n].hi]), ":")
		if !short(s) || strings.Contains(s, ":") || !lb.labelish(s) || !value(lines[n+1]) {
			break
		}
		if r := lb.classify(s); len(r) > 0 {
			named++
			out = append(out, cell{segs: []vspan{{lines[n+1].lo, lines[n+1].hi}}, rules: r, free: true})
		}
		pairs++
		n += 2
	}
	if pairs < 2 || named == 0 {
		return 0, nil
	}
	if n < len(lines) {
		s := strings.TrimSpace(text[lines[n].lo:lines[n].hi])
		ends := s == "" || fieldsAtLeast(s, cellMaxWords) || lb.labelish(strings.TrimSuffix(s, ":"))
		if !ends {
			return 0, nil
		}
	}
	return n, out
}

// specificity orders the entities of a misaligned table's columns: those
// whose validators are strict (a check digit, a structure) before those
// that accept most numbers (an account number).
var specificity = map[ner.Entity]int{
	ner.Routing: 0, ner.SSN: 1, ner.TIN: 2, ner.BirthDate: 3, ner.MRN: 4, ner.HealthPlan: 5,
	ner.License: 6, ner.Passport: 7, ner.NationalID: 8, ner.Phone: 9, ner.Fax: 10, ner.ZIP: 11,
	ner.Account: 12,
}

// misaligned returns the identifier rules of a table's header, once each,
// the most specific first; text columns (names, addresses) are left out,
// as a value cannot be told from another column's text.
func misaligned(heads [][]*labelRule) []*labelRule {
	var out []*labelRule
	for _, h := range heads {
		for _, r := range h {
			if r.spec.Value != valueText && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	rank := func(r *labelRule) int {
		if p, ok := specificity[r.entity]; ok {
			return p
		}
		return len(specificity)
	}
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i]) < rank(out[j]) })
	return out
}

// amountRe is a sum of money as a table writes it: "$400.00", "1,200.00",
// "EUR 75,10".
var amountRe = regexp.MustCompile(`^(?:[$€£¥]|[A-Z]{3} )?\s*[0-9]{1,3}(?:[,.' ][0-9]{3})*[.,][0-9]{2}(?: ?(?:[$€£¥]|[A-Z]{3}))?$`)

// wrapTail is the end of a number wrapped onto a line of its own.
var wrapTail = regexp.MustCompile(`^[0-9]{1,4}$`)

func endsWithDigit(s string) bool {
	s = strings.TrimRight(s, " \t\r")
	return s != "" && s[len(s)-1] >= '0' && s[len(s)-1] <= '9'
}

// amount reports whether a cell holds a sum of money.
func amount(s string) bool { return amountRe.MatchString(strings.TrimSpace(s)) }

// Address blocks: the postal code of a street address stands after it, on
// the same line or the next ("Hauptstraße 12, 10115 Berlin"; "14 Tavistock
// Road\nLeeds LS6 2QT"; "Calle Mayor 5, 28013 Madrid"), or before a Korean
// address ("(06236) 서울특별시 …"). A postal code there is one whatever its
// country, so no context word is needed.
var (
	postalCity   = regexp.MustCompile(`^(?:[A-Z]{1,3}[\- ])?([0-9]{2}-[0-9]{3}|[1-9][0-9]{3} ?[A-Z]{2}\b|[0-9]{4,6}|[0-9]{3} [0-9]{2}|[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}|[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]) +\p{Lu}`)
	cityPostal   = regexp.MustCompile(`^\p{Lu}[\p{L}'.\-]*(?: \p{Lu}[\p{L}'.\-]*){0,3},? (?:[A-Z]{2,3}\.? )?([0-9]{5}(?:-[0-9]{4})?|[0-9]{2}-[0-9]{3}|[0-9]{6}|[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}|[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9])$`)
	postalAlone  = regexp.MustCompile(`^\(?([0-9]{5}(?:-[0-9]{4})?|[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}|[0-9]{2}-[0-9]{3})\)?$`)
	postalBefore = regexp.MustCompile(`\(?([0-9]{5})\)? *$`)
)

func appendAddressTails(out []ner.Finding, text string, found []ner.Finding) []ner.Finding {
	for _, f := range found {
		if f.Entity != ner.Address {
			continue
		}
		// before: "(06236) 서울특별시 …" on the same line
		lineStart := strings.LastIndexByte(text[:f.Start], '\n') + 1
		if f.Start-lineStart <= 12 {
			if m := postalBefore.FindStringSubmatchIndex(text[lineStart:f.Start]); m != nil {
				out = append(out, ner.Finding{Start: lineStart + m[2], End: lineStart + m[3], Entity: ner.ZIP, Score: 0.85, Rule: "pattern/address-postal"})
			}
		}
		// after: up to three segments split at commas and line breaks,
		// within 120 bytes, at most one line break
		p, breaks := f.End, 0
		for seg := 0; seg < 3 && p < len(text); seg++ {
			for p < len(text) && (text[p] == ',' || text[p] == ';' || text[p] == ' ' || text[p] == '\t' || text[p] == '\r' || text[p] == '\n') {
				if text[p] == '\n' {
					breaks++
				}
				p++
			}
			if breaks > 1 || p >= len(text) || p-f.End > 120 {
				break
			}
			end := p
			for end < len(text) && text[end] != ',' && text[end] != '\n' && text[end] != ';' && end-p < 60 {
				end++
			}
			s := strings.TrimRight(text[p:end], " .\t\r")
			for _, re := range []*regexp.Regexp{postalCity, cityPostal, postalAlone} {
				if m := re.FindStringSubmatchIndex(s); m != nil {
					out = append(out, ner.Finding{Start: p + m[2], End: p + m[3], Entity: ner.ZIP, Score: 0.9, Rule: "pattern/address-postal"})
					break
				}
			}
			p = end
		}
	}
	return out
}

// dateSerial reports a value that is a spreadsheet's date serial: a
// number of days since 1899-12-30 (four or five digits, a time of day as
// a fraction) from 1902 to 2100. A date typed as a number under a date
// label ("DOB" over 31118) is that date: a workbook shows it as a date
// only when its cell has a date format, and a CSV export writes the
// serial.
func dateSerial(v string) bool {
	whole, frac, _ := strings.Cut(v, ".")
	if len(whole) < 4 || len(whole) > 5 {
		return false
	}
	for _, s := range []string{whole, frac} {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
	}
	n, err := strconv.Atoi(whole)
	return err == nil && n >= 1000 && n <= 73415
}
