// Package pattern detects identifiers that have a recognisable shape (e-mail
// addresses, phone numbers, SSNs, card numbers, dates…) with rules kept as
// data in rules.yaml. Each rule is a regular expression plus optional
// validators (checksums), context words that raise its score, and keyword
// prefilters; each carries its own positive and negative examples.
package pattern

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/veilhq/veil/ner"
)

//go:embed rules.yaml
var defaultRules []byte

// DefaultContextWords is how many words before a match are searched for
// context words (Presidio's context_prefix_count).
const DefaultContextWords = 5

// Examples are texts a rule must and must not match. In Match, «» marks each
// span the rule must find.
type Examples struct {
	Match   []string `yaml:"match"`
	NoMatch []string `yaml:"nomatch"`
}

// RuleSpec is a rule as written in YAML, before compilation.
type RuleSpec struct {
	ID           string   `yaml:"id"`
	Entity       string   `yaml:"entity"`
	Regex        string   `yaml:"regex"`
	Group        int      `yaml:"group"`
	Score        float64  `yaml:"score"`
	Validate     []string `yaml:"validate"`
	Context      []string `yaml:"context"`
	ContextScore float64  `yaml:"context_score"`
	Keywords     []string `yaml:"keywords"`
	// KeywordsFrom names a concept of ner/lexicon whose entries, in every
	// language, are keywords too ("street-suffixes").
	KeywordsFrom string `yaml:"keywords_from"`
	Scan         string `yaml:"scan"`
	// Follow, for a rule that scans windows around its keywords, is what
	// every match has right after one of its keywords (a regular
	// expression, read from the keyword's end): a keyword not followed by
	// it opens no window. It must be a necessary condition of the rule's
	// regex; FuzzDetect checks the windows against a full scan.
	Follow string `yaml:"follow"`
	// Exclude are words that, found among the two words before the match,
	// drop it ("PEEP 10/5" is not a date).
	Exclude []string `yaml:"exclude"`
	// Anchor says where a match can start, so that the rule runs only there
	// (an anchored regular expression per candidate, not a scan): "digits"
	// (at the start of a run of digits, or up to Lead bytes before it),
	// "keywords" (at a word-initial occurrence of a keyword), "months" (at
	// a month name), "words" (at the start of every ASCII word where the
	// rule's first bytes fit: for a rule anchored at digits whose matches
	// can hold none). Without an anchor the rule scans windows around its
	// keywords or around digits.
	Anchor []string `yaml:"anchor"`
	Lead   int      `yaml:"lead"`
	// Runs, with anchor digits, limits candidates to runs of digits of
	// these lengths (5 for a ZIP code); with anchor words (and not
	// digits), to words of these lengths in bytes.
	Runs []int `yaml:"runs"`
	// After are words of which one must come right before the match
	// ("in 1957"); "," stands for a comma.
	After []string `yaml:"after"`
	// Standalone drops matches that continue a longer number or code:
	// glued to a slash, a digit, a letter, or a dot or hyphen before a digit
	// ("12/5/40%", "4.5/2.5").
	Standalone bool     `yaml:"standalone"`
	Examples   Examples `yaml:"examples"`
}

// Where a rule looks. Regular expressions are costly over a whole text, and
// every identifier here either holds a digit or follows a keyword, so rules
// run only on windows of the text around digits or keyword hits.
const (
	scanDigits   = "digits"   // windows around digit runs (default without keywords)
	scanKeywords = "keywords" // windows around keyword hits (default with keywords)
	scanFull     = "full"     // the whole text
)

// windowBack and windowAhead bound how far a match may reach before the first
// and after the last digit or keyword of its window.
const (
	windowBack  = 96
	windowAhead = 160
)

type fileSpec struct {
	Macros map[string]string `yaml:"macros"`
	Rules  []RuleSpec        `yaml:"rules"`
}

// Rule is a compiled, validated rule. It is immutable and safe for
// concurrent use.
type Rule struct {
	Spec       RuleSpec
	entity     ner.Entity
	src        string                // the expression, macros expanded
	re         func() *regexp.Regexp // src compiled (on first use when anchored: only tests scan with it)
	validators []Validator
	keywords   []string // lower case
	context    []string // lower case
	exclude    []string // lower case
	after      map[string]bool
	scan       string
	follow     *program // Spec.Follow, run by a simulator (viable); nil: none
	// followFirst, when not nil, holds the bytes at which follow can be
	// viable (the ASCII bytes its first instructions read, every byte
	// from 0x80): none is a letter or digit, so the positions where a
	// keyword may be followed are few, and followWindows looks for the
	// keywords that end there instead of searching the text for each
	// keyword. kwByLast holds the keywords by their last byte.
	followFirst *[256]bool
	kwByLast    *[256][]string
	// anchored matching: the regexp anchored at the start of the text, and
	// anchored after one (previous) character, so that \b sees it.
	// anchored says whether the rule has them.
	anchored           bool
	atStart, afterPrev *regexp.Regexp
	kwIDs              []int // the rule's keywords in its detector's keywordIndex
	// anyIDs, for a rule that scans windows around keywords without
	// followFirst, are its keywords (in order) in its detector's anywhere
	// index; nil when a keyword is empty (keywordWindows then searches)
	anyIDs []int
	// first holds the bytes a match can start with (nil: any, or none
	// known); candidates at other bytes are not tried.
	first *[256]bool
	// prefix[i] holds the bytes that can stand at offset i of every match
	// (a necessary condition, from the compiled program): a candidate
	// whose next bytes fall outside them is not tried (prefixBytes).
	prefix []*[256]bool
	// prog is the rule's program, run over a candidate's first bytes
	// (viable) before the regular expression is tried there
	prog           *program
	anchorDigits   bool
	anchorKeywords bool
	anchorMonths   bool
	anchorWords    bool
	// leadBit is the rule's bit in its detector's leadIndex, -1 when it
	// has none (appendLead finds its candidates)
	leadBit int
}

// ID returns the rule id.
func (r *Rule) ID() string { return r.Spec.ID }

// Detector applies a set of rules. It implements ner.Detector.
type Detector struct {
	rules []*Rule
	kw    keywordIndex // the keywords of anchored rules and the month prefixes
	// monthIDs are monthPrefixes' ids in kw, in order
	monthIDs []int
	anyKw    keywordIndex // the keywords of rules whose windows keywordWindows finds (anyIDs)
	lead     *leadIndex   // the candidates of rules anchored at digits; nil without such rules
	// labels name the identifiers that a layout gives values (layout.go);
	// nil for rules parsed without them.
	labels *labels
}

var _ ner.Detector = (*Detector)(nil)

// Default returns a detector with the embedded rules.
func Default() *Detector {
	d, err := defaultDetector()
	if err == nil {
		d.labels, err = embeddedLabels()
	}
	if err != nil {
		panic(fmt.Sprintf("pattern: embedded rules: %v", err)) // a build defect, caught by tests
	}
	return d
}

// Parse decodes rules strictly (unknown keys are errors), expands macros,
// compiles every regex and checks every field. Errors name the rule.
func Parse(data []byte) (*Detector, error) {
	fs, err := decodeRules(data)
	if err != nil {
		return nil, err
	}
	return build(fs, lexRefs(data))
}

// decodeRules decodes rules strictly (unknown keys are errors).
func decodeRules(data []byte) (fileSpec, error) {
	var fs fileSpec
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&fs); err != nil {
		return fileSpec{}, fmt.Errorf("pattern rules: %w", err)
	}
	return fs, nil
}

// defaultDetector is Parse(defaultRules), from rules_gen.go's copy of
// rules.yaml decoded when it was made from rules.yaml as it is (decoding
// the YAML was ~5 ms of every start); otherwise, from rules.yaml (a
// stale rules_gen.go costs time, never other rules; TestGeneratedRules
// fails until go generate ./ner/pattern is run). Either way every rule is
// compiled and checked as Parse does.
func defaultDetector() (*Detector, error) {
	if generatedRulesSum == rulesSum(defaultRules) {
		fs := fileSpec{Rules: generatedRules}
		if generatedMacros != nil {
			fs.Macros = make(map[string]string, len(generatedMacros))
			for _, m := range generatedMacros {
				fs.Macros[m[0]] = m[1]
			}
		}
		return build(fs, generatedLexRefs)
	}
	return Parse(defaultRules)
}

// build compiles the rules of fs, the word lists' macros that they refer
// to (lexRefs) added to their macros.
func build(fs fileSpec, lexKeys []string) (*Detector, error) {
	lex, err := lexMacros(lexKeys)
	if err != nil {
		return nil, err
	}
	if fs.Macros == nil {
		fs.Macros = map[string]string{}
	}
	for k, v := range lex {
		if _, dup := fs.Macros[k]; !dup {
			fs.Macros[k] = v
		}
	}
	macros, err := expandMacros(fs.Macros)
	if err != nil {
		return nil, err
	}
	d := &Detector{}
	seen := map[string]bool{}
	for i, spec := range fs.Rules {
		r, err := compile(spec, macros)
		if err != nil {
			if spec.ID == "" {
				return nil, fmt.Errorf("pattern rule #%d: %w", i+1, err)
			}
			return nil, fmt.Errorf("pattern rule %q: %w", spec.ID, err)
		}
		if seen[spec.ID] {
			return nil, fmt.Errorf("pattern rule %q: duplicate id", spec.ID)
		}
		seen[spec.ID] = true
		d.rules = append(d.rules, r)
	}
	d.kw.ids = map[string]int{}
	for _, k := range monthPrefixes {
		d.monthIDs = append(d.monthIDs, d.kw.add(k))
	}
	d.anyKw.ids = map[string]int{}
	d.anyKw.anywhere = true
	for _, r := range d.rules {
		if r.anchored && r.anchorKeywords {
			for _, k := range r.keywords {
				r.kwIDs = append(r.kwIDs, d.kw.add(k))
			}
		}
		if !r.anchored && r.scan == scanKeywords && r.followFirst == nil && !slices.Contains(r.keywords, "") {
			for _, k := range r.keywords {
				r.anyIDs = append(r.anyIDs, d.anyKw.add(k))
			}
		}
	}
	d.lead = newLeadIndex(d.rules)
	return d, nil
}

// keywordIndex finds many keywords in one pass over a text.
type keywordIndex struct {
	words  []string
	ids    map[string]int
	byByte [256][]int // keywords by first byte
	// seconds[c][i] is the second byte of keyword byByte[c][i] (0 for
	// a keyword of one byte, which needs no second byte to be compared)
	seconds [256][]byte
	// second[c] holds the second bytes of the keywords that begin with
	// c; short[c] is set when one of them is a single byte
	second [256][4]uint64
	short  [256]bool
	// anywhere: occurrences are found at any offset (keywordWindows'
	// search), not only at the start of a word (keywordStarts')
	anywhere bool
}

func (x *keywordIndex) add(k string) int {
	if id, ok := x.ids[k]; ok {
		return id
	}
	id := len(x.words)
	x.ids[k] = id
	x.words = append(x.words, k)
	if k != "" {
		x.byByte[k[0]] = append(x.byByte[k[0]], id)
		if len(k) == 1 {
			x.short[k[0]] = true
			x.seconds[k[0]] = append(x.seconds[k[0]], 0)
		} else {
			x.second[k[0]][k[1]>>6] |= 1 << (k[1] & 63)
			x.seconds[k[0]] = append(x.seconds[k[0]], k[1])
		}
	}
	return id
}

// find returns, per keyword, the offsets where it occurs in lower: at the
// start of a word, or anywhere for keywords that do not begin with a
// letter or digit (as keywordStarts); for an anywhere index, at every
// offset (overlapping occurrences included).
func (x *keywordIndex) find(lower string) [][]int {
	hits, _ := x.findInto(lower, nil)
	return hits
}

// findInto is find, reusing hits (its slices are emptied first), and
// the number of offsets found in all.
func (x *keywordIndex) findInto(lower string, hits [][]int) ([][]int, int) {
	if cap(hits) < len(x.words) {
		hits = make([][]int, len(x.words))
	}
	hits = hits[:len(x.words)]
	for i := range hits {
		hits[i] = hits[i][:0]
	}
	n := 0
	for p := 0; p < len(lower); p++ {
		c := lower[p]
		ids := x.byByte[c]
		if len(ids) == 0 {
			continue
		}
		// every keyword here begins with c: when c is a word byte, they
		// are all found at the start of a word only
		if !x.anywhere && isWordByte(c) && p > 0 && isWordByte(lower[p-1]) && lower[p-1] < 0x80 {
			continue
		}
		// nor does a pair of bytes that no keyword begins with
		var c2 byte
		if p+1 < len(lower) {
			c2 = lower[p+1]
		}
		if !x.short[c] && (p+1 == len(lower) || x.second[c][c2>>6]&(1<<(c2&63)) == 0) {
			continue
		}
		for i, s := range x.seconds[c] {
			if s != 0 && (s != c2 || p+1 == len(lower)) {
				continue // the second bytes differ
			}
			id := ids[i]
			if strings.HasPrefix(lower[p:], x.words[id]) {
				hits[id] = append(hits[id], p)
				n++
			}
		}
	}
	return hits, n
}

// scratch holds what one Detect call works with besides its findings,
// kept for the next calls (scratchPool): verify runs the rules over many
// short windows, where allocating them afresh cost more than the search.
type scratch struct {
	sim     simulator
	hits    [][]int // d.kw.findInto
	nHits   int     // the offsets in hits
	anyHits [][]int // d.anyKw.findInto
	lead    [][]int // d.lead.fill
	cands   []int
	starts  []int
	words   []int // appendWordStarts
	wins    []window
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxKept bounds what a scratch keeps for the next call (in elements):
// each of cands, starts and wins, and the per-keyword hit buffers of hits
// and anyHits together; a huge text's are left to the collector.
const maxKept = 1 << 16

// release returns s to scratchPool, without the buffers over maxKept, and
// with nothing of this call's results that the next could read as its own
// (nHits is only meaningful once findInto ran in the same call).
func (s *scratch) release() {
	if cap(s.cands) > maxKept || cap(s.starts) > maxKept || cap(s.words) > maxKept || cap(s.wins) > maxKept {
		return
	}
	s.nHits = 0
	if hitsCap(s.hits)+hitsCap(s.anyHits) > maxKept {
		s.hits, s.anyHits = nil, nil
	}
	if hitsCap(s.lead) > maxKept {
		s.lead = nil
	}
	scratchPool.Put(s)
}

// hitsCap is the capacity of the per-keyword buffers of h, in offsets.
func hitsCap(h [][]int) int {
	n := 0
	for _, hs := range h {
		n += cap(hs)
	}
	return n
}

var macroRef = regexp.MustCompile(`\{\{([a-z_0-9]+)\}\}`)

// expandMacros resolves macros that refer to other macros.
func expandMacros(m map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(m))
	var expand func(name string, depth int) (string, error)
	expand = func(name string, depth int) (string, error) {
		if v, ok := out[name]; ok {
			return v, nil
		}
		raw, ok := m[name]
		if !ok {
			return "", fmt.Errorf("pattern rules: unknown macro {{%s}}", name)
		}
		if depth > 10 {
			return "", fmt.Errorf("pattern rules: macro {{%s}} nests too deep", name)
		}
		var err error
		v := macroRef.ReplaceAllStringFunc(raw, func(ref string) string {
			inner, e := expand(macroRef.FindStringSubmatch(ref)[1], depth+1)
			if e != nil && err == nil {
				err = e
			}
			return inner
		})
		if err != nil {
			return "", err
		}
		out[name] = v
		return v, nil
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if _, err := expand(k, 0); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func compile(spec RuleSpec, macros map[string]string) (*Rule, error) {
	if spec.ID == "" {
		return nil, errors.New("missing id")
	}
	if spec.KeywordsFrom != "" {
		words, err := lexWords(spec.KeywordsFrom)
		if err != nil {
			return nil, fmt.Errorf("keywords_from: %w", err)
		}
		spec.Keywords = append(append([]string(nil), spec.Keywords...), words...)
	}
	e := ner.Entity(spec.Entity)
	if !e.Valid() {
		return nil, fmt.Errorf("unknown entity %q", spec.Entity)
	}
	if spec.Score <= 0 || spec.Score > 1 {
		return nil, fmt.Errorf("score %v outside (0,1]", spec.Score)
	}
	if spec.ContextScore < 0 || spec.ContextScore > 1 {
		return nil, fmt.Errorf("context_score %v outside [0,1]", spec.ContextScore)
	}
	if len(spec.Context) > 0 && spec.ContextScore == 0 {
		return nil, errors.New("context words given without context_score")
	}
	var err error
	src := macroRef.ReplaceAllStringFunc(spec.Regex, func(ref string) string {
		name := macroRef.FindStringSubmatch(ref)[1]
		v, ok := macros[name]
		if !ok && err == nil {
			err = fmt.Errorf("unknown macro {{%s}}", name)
		}
		return v
	})
	if err != nil {
		return nil, err
	}
	if src == "" {
		return nil, errors.New("missing regex")
	}
	// Parsed once: the syntax check and the group count here, the
	// program below (as regexp.Compile parses, with syntax.Perl).
	parsed, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil, fmt.Errorf("invalid regex: %w", err)
	}
	if groups := parsed.MaxCap(); spec.Group < -1 || spec.Group > groups {
		return nil, fmt.Errorf("group %d, regex has %d groups", spec.Group, groups)
	}
	r := &Rule{Spec: spec, entity: e, src: src, scan: spec.Scan, leadBit: -1}
	for _, a := range spec.Anchor {
		switch a {
		case "digits":
			r.anchorDigits = true
		case "keywords":
			if len(spec.Keywords) == 0 {
				return nil, errors.New("anchor: keywords without keywords")
			}
			r.anchorKeywords = true
		case "months":
			r.anchorMonths = true
		case "words":
			r.anchorWords = true
		default:
			return nil, fmt.Errorf("unknown anchor %q (want digits, keywords, months or words)", a)
		}
	}
	if len(spec.Anchor) > 0 {
		r.anchored = true
		// Each anchored expression was compiled four times at every start
		// (whole, atStart, afterPrev, and compileSyntax's program); the
		// whole one, which only tests scan with, is now compiled on first
		// use, and the program comes from the parse above.
		r.re = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(src) })
		if r.atStart, err = regexp.Compile(`^(?:` + src + `)`); err != nil {
			return nil, fmt.Errorf("invalid regex: %w", err)
		}
		if r.afterPrev, err = regexp.Compile(`^(?s:.)(?:` + src + `)`); err != nil {
			return nil, fmt.Errorf("invalid regex: %w", err)
		}
		// one compiled program for the three: compiling the expression
		// is most of a start's cost of the rules
		prog, err := syntax.Compile(parsed.Simplify()) // compileSyntax's
		if err != nil {
			return nil, fmt.Errorf("invalid regex: %w", err)
		}
		r.first = firstBytesOf(prog)
		r.prefix = prefixBytesOf(prog, maxPrefix)
		r.prog = newProgram(prog)
	} else {
		re, err := regexp.Compile(src)
		if err != nil {
			return nil, fmt.Errorf("invalid regex: %w", err)
		}
		r.re = func() *regexp.Regexp { return re }
	}
	if r.anchorWords && r.anchorDigits && len(spec.Runs) > 0 {
		return nil, errors.New("runs: with anchors words and digits, say which")
	}
	if spec.Lead < 0 || spec.Lead > 64 {
		return nil, fmt.Errorf("lead %d outside [0,64]", spec.Lead)
	}
	if len(spec.After) > 0 {
		r.after = map[string]bool{}
		for _, w := range spec.After {
			r.after[strings.ToLower(w)] = true
		}
	}
	switch {
	case r.scan == "" && len(spec.Keywords) > 0:
		r.scan = scanKeywords
	case r.scan == "":
		r.scan = scanDigits
	case r.scan == scanKeywords && len(spec.Keywords) == 0:
		return nil, errors.New("scan: keywords without keywords")
	case r.scan != scanDigits && r.scan != scanKeywords && r.scan != scanFull:
		return nil, fmt.Errorf("unknown scan %q (want digits, keywords or full)", r.scan)
	}
	if spec.Follow != "" {
		if r.scan != scanKeywords || r.anchored {
			return nil, errors.New("follow: only for a rule that scans keywords")
		}
		prog := compileSyntax(spec.Follow)
		if prog == nil {
			return nil, fmt.Errorf("invalid follow %q", spec.Follow)
		}
		r.follow = newProgram(prog)
	}
	for _, name := range spec.Validate {
		v, ok := validators[name]
		if !ok {
			return nil, fmt.Errorf("unknown validator %q", name)
		}
		r.validators = append(r.validators, v)
	}
	for _, k := range spec.Keywords {
		k = strings.ToLower(k)
		r.keywords = append(r.keywords, k)
		// Texts are lower-cased for ASCII only (offsets stay put), so a
		// keyword that begins with another letter is looked for as
		// written in lower case and capitalised too ("đường", "Đường").
		if c, n := utf8.DecodeRuneInString(k); c >= utf8.RuneSelf && unicode.ToUpper(c) != c {
			r.keywords = append(r.keywords, string(unicode.ToUpper(c))+k[n:])
		}
	}
	for _, c := range spec.Context {
		r.context = append(r.context, strings.ToLower(c))
	}
	for _, c := range spec.Exclude {
		r.exclude = append(r.exclude, strings.ToLower(c))
	}
	if len(spec.Examples.Match) == 0 {
		return nil, errors.New("no positive examples")
	}
	r.followFirst, r.kwByLast = followIndex(r.follow, r.keywords)
	return r, nil
}

// Rules returns the compiled rules in file order.
func (d *Detector) Rules() []*Rule { return d.rules }

// Name implements ner.Detector.
func (d *Detector) Name() string { return "pattern" }

// Detect implements ner.Detector.
func (d *Detector) Detect(ctx context.Context, text string) ([]ner.Finding, error) {
	var lower string // computed on first need; same length as text (asciiLower)
	var digitWins []window
	digitsDone := false
	var out []ner.Finding
	sc := scratchPool.Get().(*scratch)
	defer sc.release()
	sim := &sc.sim              // for viable, reused
	var kwHits, anyHits [][]int // per keyword of d.kw, d.anyKw, computed on first need
	kwDone, anyDone := false, false
	digitStartsDone, wordStartsDone := false, false
	for _, r := range d.rules {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if r.anchored {
			cands := sc.cands[:0]
			if r.anchorDigits {
				if !digitStartsDone {
					sc.starts, digitStartsDone = appendDigitRunStarts(sc.starts[:0], text), true
					if d.lead != nil {
						sc.lead = d.lead.fill(sc.lead, text, sc.starts)
					}
				}
				if r.leadBit >= 0 {
					cands = append(cands, sc.lead[r.leadBit]...)
				} else {
					cands = r.appendLead(cands, text, sc.starts)
				}
			}
			if r.anchorWords {
				if !wordStartsDone {
					sc.words, wordStartsDone = appendWordStarts(sc.words[:0], text), true
				}
				cands = r.appendWordCands(cands, text, sc.words)
			}
			if (r.anchorKeywords || r.anchorMonths) && !kwDone {
				if lower == "" {
					lower = asciiLower(text)
				}
				sc.hits, sc.nHits = d.kw.findInto(lower, sc.hits)
				kwHits, kwDone = sc.hits, true
			}
			if kwDone && sc.nHits > 0 {
				for _, id := range r.kwIDs {
					cands = append(cands, kwHits[id]...)
				}
				if r.anchorMonths {
					for _, id := range d.monthIDs {
						cands = append(cands, kwHits[id]...)
					}
				}
			}
			if len(cands) > 0 {
				out = r.appendAnchored(out, text, cands, sim)
			}
			sc.cands = cands
			continue
		}
		var wins []window
		switch r.scan {
		case scanFull:
			wins = []window{{0, len(text)}}
		case scanDigits:
			if !digitsDone {
				digitWins, digitsDone = digitWindows(text), true
			}
			wins = digitWins
		case scanKeywords:
			if lower == "" {
				lower = asciiLower(text)
			}
			switch {
			case r.followFirst != nil:
				wins = r.followWindows(text, lower, sim)
			case r.anyIDs != nil:
				if !anyDone {
					sc.anyHits, _ = d.anyKw.findInto(lower, sc.anyHits)
					anyHits, anyDone = sc.anyHits, true
				}
				sc.wins = r.appendKeywordHits(sc.wins[:0], text, anyHits, sim)
				wins = mergeWindows(text, sc.wins)
			default:
				wins = keywordWindows(text, lower, r.keywords, r.follow, sim)
			}
		}
		for _, w := range wins {
			out = r.appendMatches(out, text, w)
		}
	}
	return d.appendLayout(out, text, out[:len(out):len(out)]), nil
}

// appendKeywordHits appends the hits keywordWindows(text, lower,
// r.keywords, r.follow, sim) merges, in the same order, from the
// occurrences of the rule's keywords that its detector's anywhere index
// found (hits, every occurrence, overlapping ones included): per keyword
// in order, without follow the occurrences that do not overlap the one
// taken before (strings.Index from the end of it), with follow every
// occurrence where follow is viable at its end.
func (r *Rule) appendKeywordHits(out []window, text string, hits [][]int, sim *simulator) []window {
	for i, id := range r.anyIDs {
		k := r.keywords[i]
		next := 0
		for _, p := range hits[id] {
			if r.follow == nil {
				if p < next {
					continue
				}
				out = append(out, window{p, p + len(k)})
				next = p + len(k)
				continue
			}
			if sim.viable(r.follow, text, p+len(k)) {
				out = append(out, window{p, p + len(k)})
			}
		}
	}
	return out
}

// appendAnchored appends the findings of one rule that start at one of
// the candidate offsets. Candidates are tried in order and a match hides
// the candidates inside it, so the result equals a scan of the whole text
// as long as every possible match start is a candidate.
func (r *Rule) appendAnchored(out []ner.Finding, text string, cands []int, sim *simulator) []ner.Finding {
	sort.Ints(cands)
	next := 0 // the end of the last match
	last := -1
	for _, p := range cands {
		if p < next || p == last || p < 0 || p > len(text) || (p < len(text) && !decodeStart(text, p)) {
			continue
		}
		last = p
		if r.first != nil && (p == len(text) || !r.first[text[p]]) {
			continue // no match can start with this byte
		}
		if !r.prefixAt(text, p) || !sim.viable(r.prog, text, p) {
			continue // no match can start with these bytes
		}
		m := r.matchAt(text, p, anchoredWindow)
		if m != nil && m[1] > p+anchoredWindow-anchoredMargin && p+anchoredWindow < len(text) {
			m = r.matchAt(text, p, len(text)) // the match may go on past the window
		}
		if m == nil || m[1] <= m[0] {
			continue
		}
		next = m[1]
		out = r.appendMatch(out, text, m)
	}
	return out
}

// decodeStart reports whether the regular expression engine, stepping
// through text rune by rune, can be at offset p: the start of a rune, or
// a byte of an invalid sequence (which the engine reads as U+FFFD, one
// byte at a time). Text is valid UTF-8 by the Detector contract; this
// keeps anchored matching equal to a full scan on any input.
func decodeStart(text string, p int) bool {
	if utf8.RuneStart(text[p]) {
		return true
	}
	s := p
	for s > 0 && p-s < utf8.UTFMax-1 && !utf8.RuneStart(text[s]) {
		s--
	}
	_, n := utf8.DecodeRuneInString(text[s:])
	return s+n <= p
}

// firstBytes returns the bytes a non-empty match of the regular
// expression src can start with, or nil when that is not known (a match
// may be empty, or the expression does not parse as the regexp package
// parses it). It follows the compiled program from its start through the
// instructions that consume nothing (empty-width assertions count as
// satisfied, which only widens the set).
func firstBytes(src string) *[256]bool {
	prog := compileSyntax(src)
	if prog == nil {
		return nil
	}
	return firstBytesOf(prog)
}

// firstBytesOf is firstBytes of the compiled program of an expression
// (compileSyntax); it only reads prog.
func firstBytesOf(prog *syntax.Prog) *[256]bool {
	var set [256]bool
	s := simulator{mark: make([]uint32, len(prog.Inst))}
	var reads []uint32
	if s.closure(prog, uint32(prog.Start), &reads, true) {
		return nil // an empty match
	}
	addRune := func(r rune) {
		if r < utf8.RuneSelf {
			set[r] = true
			return
		}
		if r == utf8.RuneError {
			for b := 0x80; b < 0x100; b++ {
				set[b] = true // invalid bytes read as U+FFFD
			}
		}
		var buf [utf8.UTFMax]byte
		utf8.EncodeRune(buf[:], r)
		set[buf[0]] = true
	}
	for _, pc := range reads {
		in := prog.Inst[pc]
		switch in.Op {
		case syntax.InstRune1:
			addRune(in.Rune[0])
			if syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
				for f := unicode.SimpleFold(in.Rune[0]); f != in.Rune[0]; f = unicode.SimpleFold(f) {
					addRune(f)
				}
			}
		case syntax.InstRune:
			if len(in.Rune) == 1 { // one rune, case folded
				r := in.Rune[0]
				addRune(r)
				for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
					addRune(f)
				}
				continue
			}
			if syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
				return nil // folded classes: keep it simple
			}
			for k := 0; k+1 < len(in.Rune); k += 2 {
				lo, hi := in.Rune[k], in.Rune[k+1]
				for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
					set[r] = true
				}
				if hi >= utf8.RuneSelf {
					for b := 0x80; b < 0x100; b++ {
						set[b] = true // any multi-byte start, or an invalid byte read as U+FFFD
					}
				}
			}
		default: // InstRuneAny, InstRuneAnyNotNL
			return nil
		}
	}
	return &set
}

// compileSyntax compiles src as the regexp package does, or returns nil
// when it does not parse or compile.
func compileSyntax(src string) *syntax.Prog {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil
	}
	return prog
}

// maxSimulated bounds how many bytes of a candidate viable reads.
const maxSimulated = 24

// program is a rule's compiled program with the threads it starts with.
type program struct {
	*syntax.Prog
	start      []uint32 // the instructions that read the first rune
	startMatch bool     // the empty string matches
	// steps, when not nil, holds for each instruction that reads a rune
	// what viable needs of it, worked out once: the ASCII bytes it
	// matches and the closure of its Out (steps[pc]; zero for the other
	// instructions).
	steps []step
	// dfa, with steps, remembers the simulation's sets of threads and
	// their transitions (nil without steps)
	dfa *dfa
}

// step is what one rune-reading instruction does on an ASCII byte: if
// the byte is in ascii, the threads go on at next (the instructions that
// read the following rune), or a match is reached (match).
type step struct {
	ascii [2]uint64
	next  []uint32
	match bool
}

// maxSteps bounds the instructions a program's steps hold in all (their
// next lists): beyond it viable works the closures out as it goes.
const maxSteps = 1 << 18

func newProgram(prog *syntax.Prog) *program {
	var s simulator
	s.mark = make([]uint32, len(prog.Inst))
	p := &program{Prog: prog}
	p.startMatch = s.closure(prog, uint32(prog.Start), &p.start, true)
	steps := make([]step, len(prog.Inst))
	total := 0
	for pc := range prog.Inst {
		in := &prog.Inst[pc]
		switch in.Op {
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
		default:
			continue
		}
		st := &steps[pc]
		st.ascii = asciiMatched(in)
		st.match = s.closure(prog, in.Out, &st.next, true)
		total += len(st.next)
		if total > maxSteps {
			return p // keep working closures out in viable
		}
	}
	p.steps = steps
	p.dfa = newDFA(p)
	return p
}

// asciiMatched returns the ASCII bytes that in.MatchRune accepts, as a
// bit set (bit c of word c>>6), without asking for each of the 128 (a
// start compiles hundreds of rules): a literal rune and, with FoldCase,
// the runes of its fold orbit (unicode.SimpleFold, as MatchRunePos
// folds); a class of sorted, disjoint ranges, the ASCII part of each.
// Anything else (which the compiler does not make) is asked byte by
// byte. TestASCIIMatched and FuzzASCIIMatched compare it with MatchRune.
func asciiMatched(in *syntax.Inst) [2]uint64 {
	var set [2]uint64
	mark := func(r rune) {
		if r >= 0 && r < utf8.RuneSelf {
			set[r>>6] |= 1 << (r & 63)
		}
	}
	rs := in.Rune
	switch {
	case len(rs) == 0:
		return set
	case len(rs) == 1:
		mark(rs[0])
		if syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
			for r := unicode.SimpleFold(rs[0]); r != rs[0]; r = unicode.SimpleFold(r) {
				mark(r)
			}
		}
		return set
	case sortedRanges(rs):
		for j := 0; j < len(rs) && rs[j] < utf8.RuneSelf; j += 2 {
			for r := max(rs[j], 0); r <= min(rs[j+1], utf8.RuneSelf-1); r++ {
				mark(r)
			}
		}
		return set
	}
	for c := rune(0); c < utf8.RuneSelf; c++ {
		if in.MatchRune(c) {
			mark(c)
		}
	}
	return set
}

// sortedRanges reports whether rs is pairs lo, hi of ranges in increasing
// order, each non-empty and after the one before.
func sortedRanges(rs []rune) bool {
	if len(rs)%2 != 0 {
		return false
	}
	for j := 0; j < len(rs); j += 2 {
		if rs[j] > rs[j+1] || j > 0 && rs[j] <= rs[j-1] {
			return false
		}
	}
	return true
}

// simulator runs a rule's program over the first bytes of a candidate.
// Its zero value is ready; it is not safe for concurrent use.
type simulator struct {
	mark      []uint32 // mark[pc] == gen: pc is in the set being built
	gen       uint32
	cur, next []uint32
	stack     []uint32
	noDFA     bool // simulate even where the program has a dfa (tests)
}

// viable reports whether a match of prog can start at text[p:], as far
// as its first maxSimulated bytes tell: it follows every thread of the
// program over them, counting empty-width assertions as satisfied (which
// only keeps more threads), and false means that every thread died
// before a match, so the regular expression would find none there. A
// byte that is not ASCII ends the reading (viable: a rune of several
// bytes, or an invalid one read as U+FFFD, is not simulated). A nil prog
// is always viable.
func (s *simulator) viable(pr *program, text string, p int) bool {
	if pr == nil || pr.startMatch {
		return true
	}
	if pr.dfa != nil && pr.steps != nil && !s.noDFA {
		if v, ok := pr.dfa.viable(s, pr, text, p); ok {
			return v
		}
	}
	prog := pr.Prog
	if len(s.mark) < len(prog.Inst) {
		s.mark, s.gen = make([]uint32, len(prog.Inst)), 0
	}
	s.cur = append(s.cur[:0], pr.start...)
	for i := 0; i < maxSimulated; i++ {
		if len(s.cur) == 0 {
			return false
		}
		if p+i >= len(text) {
			return false // the text ends before any thread matched
		}
		c := text[p+i]
		if c >= utf8.RuneSelf {
			return true
		}
		s.next = s.next[:0]
		s.gen++
		if s.gen == 0 { // wrapped: clear the marks (in both branches)
			clear(s.mark)
			s.gen = 1
		}
		if pr.steps == nil {
			for _, pc := range s.cur {
				in := &prog.Inst[pc]
				if in.MatchRune(rune(c)) && s.closure(prog, in.Out, &s.next, false) {
					return true // a thread matched
				}
			}
		} else {
			for _, pc := range s.cur {
				st := &pr.steps[pc]
				if st.ascii[c>>6]&(1<<(c&63)) == 0 {
					continue
				}
				if st.match {
					return true // a thread matched
				}
				for _, q := range st.next {
					if s.mark[q] != s.gen {
						s.mark[q] = s.gen
						s.next = append(s.next, q)
					}
				}
			}
		}
		s.cur, s.next = s.next, s.cur
	}
	return len(s.cur) > 0
}

// closure adds to set the instructions that read a rune reachable from
// pc without reading one, and reports whether a match is reachable. A
// fresh set (a new generation of marks) starts when fresh.
func (s *simulator) closure(prog *syntax.Prog, pc uint32, set *[]uint32, fresh bool) bool {
	if fresh {
		s.gen++
	}
	if s.gen == 0 { // wrapped: clear the marks
		clear(s.mark)
		s.gen = 1
	}
	s.stack = append(s.stack[:0], pc)
	for len(s.stack) > 0 {
		pc := s.stack[len(s.stack)-1]
		s.stack = s.stack[:len(s.stack)-1]
		if s.mark[pc] == s.gen {
			continue
		}
		s.mark[pc] = s.gen
		in := &prog.Inst[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			s.stack = append(s.stack, in.Out, in.Arg)
		case syntax.InstCapture, syntax.InstNop, syntax.InstEmptyWidth:
			s.stack = append(s.stack, in.Out)
		case syntax.InstMatch:
			return true
		case syntax.InstFail:
		default:
			*set = append(*set, pc)
		}
	}
	return false
}

// maxPrefix bounds how many leading bytes of a match prefixBytes
// describes.
const maxPrefix = 12

// canStart reports whether a match of the rule can start at p, by its
// first bytes (first, prefixAt); false means none does.
func (r *Rule) canStart(text string, p int) bool {
	if p == len(text) {
		return r.first == nil && len(r.prefix) == 0
	}
	return (r.first == nil || r.first[text[p]]) && r.prefixAt(text, p)
}

// prefixAt reports whether the bytes of text from p on can begin a match
// (prefixBytes); false means no match starts at p.
func (r *Rule) prefixAt(text string, p int) bool {
	if len(r.prefix) > len(text)-p {
		return false // every match is longer than the rest of the text
	}
	for i, set := range r.prefix {
		if set != nil && !set[text[p+i]] {
			return false
		}
	}
	return true
}

// prefixBytes returns, for the first offsets of every match of the
// regular expression src (at most k), the bytes that can stand there:
// prefix[i] == nil allows any byte. Every match is at least
// len(prefix) bytes long. It runs the compiled program over sets of
// instructions, one byte offset at a time, with empty-width assertions
// counted as satisfied (which only widens the sets), and stops where a
// match may end or where a rune of more than one byte may be read (from
// there on, offsets of instructions and bytes no longer agree).
func prefixBytes(src string, k int) []*[256]bool {
	prog := compileSyntax(src)
	if prog == nil {
		return nil
	}
	return prefixBytesOf(prog, k)
}

// prefixBytesOf is prefixBytes of the compiled program of an expression
// (compileSyntax); it only reads prog.
func prefixBytesOf(prog *syntax.Prog, k int) []*[256]bool {
	var out []*[256]bool
	s := simulator{mark: make([]uint32, len(prog.Inst))}
	cur := []uint32{uint32(prog.Start)}
	for len(out) < k {
		// the instructions that read the byte at this offset
		var reads []uint32
		for n, pc := range cur {
			if s.closure(prog, pc, &reads, n == 0) {
				return out // a match may end here
			}
		}
		if len(reads) == 0 {
			return out // nothing matches from here: keep what is known
		}
		var set [256]bool
		wide := false // a rune of several bytes may be read here
		add := func(r rune) {
			if r < utf8.RuneSelf {
				set[r] = true
				return
			}
			wide = true
		}
		for _, pc := range reads {
			in := prog.Inst[pc]
			switch in.Op {
			case syntax.InstRune1:
				add(in.Rune[0])
				if syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
					for f := unicode.SimpleFold(in.Rune[0]); f != in.Rune[0]; f = unicode.SimpleFold(f) {
						add(f)
					}
				}
			case syntax.InstRune:
				if len(in.Rune) == 1 {
					r := in.Rune[0]
					add(r)
					for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
						add(f)
					}
					continue
				}
				if syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
					wide = true
					continue
				}
				for j := 0; j+1 < len(in.Rune); j += 2 {
					lo, hi := in.Rune[j], in.Rune[j+1]
					for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
						set[r] = true
					}
					if hi >= utf8.RuneSelf {
						wide = true
					}
				}
			default: // InstRuneAny, InstRuneAnyNotNL
				wide = true
			}
		}
		if wide {
			// a multi-byte rune or an invalid byte (read as U+FFFD) may
			// stand here: allow any byte, and stop
			return append(out, nil)
		}
		out = append(out, &set)
		next := cur[:0:0]
		for _, pc := range reads {
			next = append(next, prog.Inst[pc].Out)
		}
		cur = next
	}
	return out
}

// anchoredWindow bounds the text an anchored match is tried on: the
// regular expression engine's cost for one try grows with the length of
// its input (the backtracker clears a bit per byte and instruction), and
// no rule matches more than a few dozen bytes. A match that ends within
// anchoredMargin of the window's end is tried again on the whole text.
const (
	anchoredWindow = 256
	anchoredMargin = 16
)

// matchAt returns the submatch offsets (absolute) of the rule's match
// starting at offset p, trying at most limit bytes after it, or nil.
func (r *Rule) matchAt(text string, p, limit int) []int {
	if p == 0 {
		return r.atStart.FindStringSubmatchIndex(text[:min(len(text), limit)])
	}
	_, n := utf8.DecodeLastRuneInString(text[:p])
	q := p - n
	end := min(len(text), p+limit)
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	m := r.afterPrev.FindStringSubmatchIndex(text[q:end])
	for i := range m {
		if m[i] >= 0 {
			m[i] += q
		}
	}
	if m != nil {
		m[0] = p
	}
	return m
}

// appendMatches appends the findings of one rule within window w of text.
func (r *Rule) appendMatches(out []ner.Finding, text string, w window) []ner.Finding {
	for _, m := range r.re().FindAllStringSubmatchIndex(text[w.lo:w.hi], -1) {
		for i := range m {
			if m[i] >= 0 {
				m[i] += w.lo
			}
		}
		out = r.appendMatch(out, text, m)
	}
	return out
}

// appendMatch checks one match (absolute offsets) and appends its finding.
func (r *Rule) appendMatch(out []ner.Finding, text string, m []int) []ner.Finding {
	start, end := span(m, r.Spec.Group)
	if start < 0 || start >= end {
		return out
	}
	value := text[start:end]
	ok := true
	for _, v := range r.validators {
		if !v(value) {
			ok = false
			break
		}
	}
	if !ok {
		return out
	}
	if r.Spec.Standalone && !standalone(text, start, end) {
		return out
	}
	if len(r.exclude) > 0 && hasWordBefore(text, start, 2, r.exclude) {
		return out
	}
	if r.after != nil && !r.isAfter(text, start) {
		return out
	}
	score := r.Spec.Score
	if len(r.context) > 0 && r.Spec.ContextScore > score && hasContext(text, m[0], r.context) {
		score = r.Spec.ContextScore
	}
	// Regex classes are byte-oriented only for ASCII; keep spans on rune
	// boundaries in any case.
	start, end = runeAlign(text, start, end)
	return append(out, ner.Finding{Start: start, End: end, Entity: r.entity, Score: score, Rule: "pattern/" + r.Spec.ID})
}

// isAfter reports whether the word (or comma) before offset at is one of
// the rule's After words.
func (r *Rule) isAfter(text string, at int) bool {
	// After words are short and right before the match: look back a few
	// bytes only, so that a long run of blanks or letters is not read
	// once per match.
	const maxGap, maxWord = 16, 32
	i := at
	for i > 0 && at-i < maxGap && (text[i-1] == ' ' || text[i-1] == '\t' || text[i-1] == '\n' || text[i-1] == '\r') {
		i--
	}
	if i > 0 && text[i-1] == ',' {
		return r.after[","]
	}
	j := i
	for j > 0 && i-j <= maxWord && (isLetter(text[j-1]) || text[j-1] == '/') {
		j--
	}
	return j < i && i-j <= maxWord && r.after[strings.ToLower(text[j:i])]
}

// appendDigitRunStarts appends the offsets where runs of ASCII digits
// start to out.
func appendDigitRunStarts(out []int, text string) []int {
	for i := 0; i < len(text); i++ {
		if text[i] >= '0' && text[i] <= '9' && (i == 0 || text[i-1] < '0' || text[i-1] > '9') {
			out = append(out, i)
		}
	}
	return out
}

// appendLead appends every offset from each start back to the rule's
// Lead bytes before it where a match of the rule can start (canStart).
func (r *Rule) appendLead(out []int, text string, starts []int) []int {
	lead, runs := r.Spec.Lead, r.Spec.Runs
	for _, d := range starts {
		if len(runs) > 0 {
			n := 0
			for d+n < len(text) && text[d+n] >= '0' && text[d+n] <= '9' {
				n++
			}
			if !slices.Contains(runs, n) {
				continue
			}
		}
		for k := lead; k >= 0; k-- {
			if d-k >= 0 {
				if r.canStart(text, d-k) {
					out = append(out, d-k)
				}
			}
		}
	}
	return out
}

// appendWordStarts appends the start and the end of every ASCII word (a
// run of letters, digits and underscores, as \b sees them) to out, two
// offsets a word.
func appendWordStarts(out []int, text string) []int {
	for p := 0; p < len(text); p++ {
		if !wordBytes[text[p]] {
			continue
		}
		e := p + 1
		for e < len(text) && wordBytes[text[e]] {
			e++
		}
		out = append(out, p, e)
		p = e
	}
	return out
}

// wordBytes holds the ASCII word bytes of \b (asciiWordByte).
var wordBytes = func() (t [256]bool) {
	for c := range t {
		t[c] = asciiWordByte(byte(c))
	}
	return t
}()

// appendWordCands appends the starts of the words (appendWordStarts'
// pairs) where a match of the rule can start (canStart), of a length in
// its Runs when it has Runs.
func (r *Rule) appendWordCands(out []int, text string, words []int) []int {
	runs := r.Spec.Runs
	for i := 0; i+1 < len(words); i += 2 {
		p := words[i]
		if len(runs) > 0 && !slices.Contains(runs, words[i+1]-p) {
			continue
		}
		if r.canStart(text, p) {
			out = append(out, p)
		}
	}
	return out
}

// asciiWordByte reports whether c is a word byte of \b (ASCII only).
func asciiWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// keywordStarts returns the offsets of the (lower-case) keywords in lower
// that start a word, or anywhere for keywords that do not begin with a
// letter or digit.
func keywordStarts(lower string, keywords []string) []int {
	var out []int
	for _, k := range keywords {
		wordy := k != "" && isWordByte(k[0])
		for off := 0; ; {
			i := strings.Index(lower[off:], k)
			if i < 0 {
				break
			}
			p := off + i
			if !wordy || p == 0 || !isWordByte(lower[p-1]) || lower[p-1] >= 0x80 {
				out = append(out, p)
			}
			off = p + 1
		}
	}
	return out
}

// monthPrefixes start English month names and their abbreviations.
var monthPrefixes = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// span returns the offsets of the group, or of the first participating group
// when group is -1.
func span(m []int, group int) (int, int) {
	if group >= 0 {
		return m[2*group], m[2*group+1]
	}
	for g := 1; 2*g+1 < len(m); g++ {
		if m[2*g] >= 0 {
			return m[2*g], m[2*g+1]
		}
	}
	return m[0], m[1]
}

func runeAlign(text string, start, end int) (int, int) {
	for start > 0 && !utf8.RuneStart(text[start]) {
		start--
	}
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	return start, end
}

// window is a byte range [lo,hi) of a text.
type window struct{ lo, hi int }

// asciiLower lower-cases ASCII letters only, so offsets stay valid.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// digitWindows returns merged windows around every digit of text.
func digitWindows(text string) []window {
	var out []window
	for i := 0; i < len(text); i++ {
		if text[i] < '0' || text[i] > '9' {
			continue
		}
		j := i
		for j < len(text) && text[j] >= '0' && text[j] <= '9' {
			j++
		}
		out = addWindow(out, text, i, j)
		i = j
	}
	return out
}

// keywordWindows returns merged windows around every occurrence of any of
// the (lower-case) keywords in lower; with follow, only around those that
// text continues with a possible match of follow after (sim.viable).
func keywordWindows(text, lower string, keywords []string, follow *program, sim *simulator) []window {
	var hits []window
	for _, k := range keywords {
		for off := 0; ; {
			i := strings.Index(lower[off:], k)
			if i < 0 {
				break
			}
			p := off + i
			if follow == nil {
				hits = append(hits, window{p, p + len(k)})
				off = p + len(k)
				continue
			}
			if sim.viable(follow, text, p+len(k)) {
				hits = append(hits, window{p, p + len(k)})
			}
			off = p + 1 // an overlapping occurrence may be the one followed
		}
	}
	return mergeWindows(text, hits)
}

// followIndex returns the bytes at which the follow program pr can be
// viable and the keywords by their last byte, or nil when followWindows
// would not be cheaper than keywordWindows: the program matches the empty
// string, its first bytes include an ASCII letter or digit (candidates
// would be most of a text), or a keyword is empty.
func followIndex(pr *program, keywords []string) (*[256]bool, *[256][]string) {
	if pr == nil || pr.startMatch {
		return nil, nil
	}
	var first [256]bool
	for c := 0; c < 256; c++ {
		if c >= utf8.RuneSelf {
			first[c] = true // viable reads no further: a thread may match
			continue
		}
		for _, pc := range pr.start {
			if pr.Inst[pc].MatchRune(rune(c)) {
				first[c] = true
				break
			}
		}
		if first[c] && (isLetter(byte(c)) || c >= '0' && c <= '9') {
			return nil, nil
		}
	}
	var byLast [256][]string
	for _, k := range keywords {
		if k == "" {
			return nil, nil
		}
		byLast[k[len(k)-1]] = append(byLast[k[len(k)-1]], k)
	}
	return &first, &byLast
}

// followWindows is keywordWindows(text, lower, r.keywords, r.follow, sim)
// for a rule with followFirst: the same hits (an occurrence of a keyword
// in lower where follow is viable at its end), found from the other side.
// At each byte of followFirst (viable is false elsewhere: at an ASCII
// byte no first instruction reads, every thread dies) it compares the
// keywords that end there, and tries follow where one does.
func (r *Rule) followWindows(text, lower string, sim *simulator) []window {
	var hits []window
	for q := 1; q < len(text); q++ {
		if !r.followFirst[text[q]] {
			continue
		}
		ks := r.kwByLast[lower[q-1]]
		n := len(hits)
		for _, k := range ks {
			if len(k) <= q && lower[q-len(k):q] == k {
				hits = append(hits, window{q - len(k), q})
			}
		}
		if len(hits) > n && !sim.viable(r.follow, text, q) {
			hits = hits[:n]
		}
	}
	return mergeWindows(text, hits)
}

// mergeWindows returns the windows of hits, in text order, each extended
// and merged by addWindow (nil for none); hits is sorted in place.
func mergeWindows(text string, hits []window) []window {
	if len(hits) == 0 {
		return nil
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].lo < hits[j].lo })
	var out []window
	for _, h := range hits {
		out = addWindow(out, text, h.lo, h.hi)
	}
	return out
}

// addWindow extends [lo,hi) by the window margins, snaps both ends outward
// to whitespace (so \b behaves as in the whole text), and merges it into the
// last window when they touch. Windows come in order of lo. Snapping stops
// where it reaches the last window (the two merge), and the end is snapped
// only past the last window's end, so that in a long run without white
// space every byte is read once, not once per window (that was quadratic
// in a hostile one-line file); the windows are those of unbounded
// snapping.
func addWindow(out []window, text string, lo, hi int) []window {
	lo -= windowBack
	hi += windowAhead
	if lo < 0 {
		lo = 0
	}
	if hi > len(text) {
		hi = len(text)
	}
	floor := 0
	if n := len(out); n > 0 {
		floor = out[n-1].hi
	}
	for lo > floor && !isSpace(text[lo-1]) {
		lo--
	}
	if n := len(out); n > 0 && lo <= out[n-1].hi {
		if hi > out[n-1].hi {
			for hi < len(text) && !isSpace(text[hi]) {
				hi++
			}
			out[n-1].hi = hi
		}
		return out
	}
	for hi < len(text) && !isSpace(text[hi]) {
		hi++
	}
	return append(out, window{lo, hi})
}

func isSpace(b byte) bool {
	return b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\f' || b == '\v'
}

// standalone reports whether text[start:end] is not part of a longer
// number or code.
func standalone(text string, start, end int) bool {
	digitAt := func(i int) bool { return i >= 0 && i < len(text) && text[i] >= '0' && text[i] <= '9' }
	if start > 0 {
		switch b := text[start-1]; {
		case b == '/' || digitAt(start-1) || isLetter(b):
			return false
		case b == '-' && slashPair(text[max(0, start-8):start-1], false):
			// a range of dates: "5/28-6/3"
		case (b == '.' || b == '-' || b == ',') && digitAt(start-2):
			return false
		}
	}
	if end < len(text) {
		switch b := text[end]; {
		case b == '/' || b == '%' || digitAt(end) || isLetter(b):
			return false
		case b == '-' && slashPair(text[end+1:min(len(text), end+8)], true):
		case (b == '.' || b == '-' || b == ',') && digitAt(end+1):
			return false
		}
	}
	return true
}

// slashPair reports whether s begins (atStart) or ends with a short
// "digits/digits" pair that is not part of a longer chain.
func slashPair(s string, atStart bool) bool {
	isD := func(c byte) bool { return c >= '0' && c <= '9' }
	if !atStart {
		// reverse scan: digits '/' digits, then a non-digit non-slash or start
		i := len(s) - 1
		n := 0
		for i >= 0 && isD(s[i]) {
			i--
			n++
		}
		if n == 0 || n > 2 || i < 0 || s[i] != '/' {
			return false
		}
		i--
		n = 0
		for i >= 0 && isD(s[i]) {
			i--
			n++
		}
		return n > 0 && n <= 2 && (i < 0 || (s[i] != '/' && s[i] != '.' && s[i] != '-'))
	}
	i, n := 0, 0
	for i < len(s) && isD(s[i]) {
		i++
		n++
	}
	if n == 0 || n > 2 || i >= len(s) || s[i] != '/' {
		return false
	}
	i++
	n = 0
	for i < len(s) && isD(s[i]) {
		i++
		n++
	}
	if n == 0 || n > 2 {
		return false
	}
	// what follows must not continue the number ("10/16." ends a sentence)
	return i >= len(s) || !(s[i] == '/' || isD(s[i]) || ((s[i] == '.' || s[i] == '-') && i+1 < len(s) && isD(s[i+1])))
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// hasWordBefore reports whether one of words is among the n words before
// offset at.
func hasWordBefore(text string, at, n int, words []string) bool {
	return hasContext(text, at, words, n)
}

// hasContext reports whether one of words occurs among the n (default
// DefaultContextWords) words before offset at.
func hasContext(text string, at int, words []string, n ...int) bool {
	count := DefaultContextWords
	if len(n) > 0 {
		count = n[0]
	}
	window := precedingWords(text, at, count)
	if window == "" {
		return false
	}
	window = " " + strings.ToLower(window) + " "
	for _, w := range words {
		i := strings.Index(window, w)
		for i >= 0 {
			before, after := window[i-1], byte(' ')
			if j := i + len(w); j < len(window) {
				after = window[j]
			}
			if !isWordByte(before) && !isWordByte(after) {
				return true
			}
			next := strings.Index(window[i+1:], w)
			if next < 0 {
				break
			}
			i += 1 + next
		}
	}
	return false
}

// precedingWords returns the text of the n words that end before offset at,
// looking back no further than 120 bytes.
func precedingWords(text string, at, n int) string {
	lo := at - 120
	if lo < 0 {
		lo = 0
	}
	for lo > 0 && lo < len(text) && !utf8.RuneStart(text[lo]) {
		lo++
	}
	s := text[lo:at]
	fields := strings.Fields(s)
	if len(fields) > n {
		fields = fields[len(fields)-n:]
	}
	return strings.Join(fields, " ")
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b >= 0x80
}
