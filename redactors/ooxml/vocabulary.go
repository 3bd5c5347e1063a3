package ooxml

import (
	"bufio"
	_ "embed"
	"encoding/xml"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// Class says whether a value is document text, and why.
type Class uint8

// Classes of values. Every class but Structural is document text.
const (
	// Structural: a value of a listed slot that has the slot's shape (a
	// number where the schema has a number, a known enumeration value,
	// a namespace…), or nothing but whitespace.
	Structural Class = iota
	// KnownText: a slot the vocabulary lists as text (alt text, a
	// numbering level's text, a style name that is not built in…).
	KnownText
	// Unknown: a slot the vocabulary does not list.
	Unknown
	// Misfit: a listed slot whose value does not have the slot's shape.
	Misfit
	// Date: a date slot. Detectors read it; it cannot take arbitrary
	// text, so a redactor removes it rather than rewrite it.
	Date
)

var classNames = [...]string{"structural", "text", "unknown", "misfit", "date"}

func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "class(" + strconv.Itoa(int(c)) + ")"
}

// Vocabulary is the closed vocabulary of structural values: for each slot
// (an attribute of an element, or an element's character data) the shapes
// of value that are structure, not text. It is immutable and safe for
// concurrent use.
type Vocabulary struct {
	ns     map[string]string // namespace URI → canonical prefix
	uris   map[string]bool   // every namespace URI the vocabulary knows
	roots  []string          // roots of the namespace families (list nsroot)
	words  map[string]bool   // segments of namespace URIs (list nsword, [namespaces])
	canon  map[string]string // every namespace URI, to one string
	rules  map[slotKey]*rule
	lists  map[string]map[string]bool
	shapes map[string]shape
	nrule  int
}

type slotKey struct{ elemNS, elem, attrNS, attr string }

type rule struct {
	shapes []shape
	text   bool // a value of no listed shape is KnownText, not Misfit
	date   bool
	line   int
}

// TextSlot is the attribute name of rules about character data.
const TextSlot = "#text"

//go:embed vocabulary.txt
var vocabularyData string

// std is read on first use, not at package initialisation: every run
// links this package, but only runs with Office files read it (about
// 2.7 MB in 25,000 allocations, ~5-10 ms of a start).
var std = sync.OnceValue(func() *Vocabulary { return mustParseVocabulary(vocabularyData) })

// Standard returns the vocabulary of vocabulary.txt (the same value at
// every call; it panics if the embedded file is malformed, which the
// package's tests show it is not).
func Standard() *Vocabulary { return std() }

func mustParseVocabulary(s string) *Vocabulary {
	v, err := ParseVocabulary(s)
	if err != nil {
		panic("ooxml: vocabulary.txt: " + err.Error())
	}
	return v
}

// ParseVocabulary reads a vocabulary in the format of vocabulary.txt.
func ParseVocabulary(s string) (*Vocabulary, error) {
	v := &Vocabulary{ns: map[string]string{}, uris: map[string]bool{}, canon: map[string]string{}, rules: map[slotKey]*rule{}, lists: map[string]map[string]bool{}}
	prefixes := map[string]bool{}
	type pending struct {
		line             int
		elem, attr, rest []string
	}
	var rules []pending
	section, list := "", ""
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.Index(line, " # "); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			f := strings.Fields(line[1 : len(line)-1])
			section, list = f[0], ""
			switch {
			case section == "list" && len(f) == 2:
				list = f[1]
				if v.lists[list] != nil {
					return nil, fmt.Errorf("line %d: list %s twice", n, list)
				}
				v.lists[list] = map[string]bool{}
			case (section == "namespaces" || section == "rules") && len(f) == 1:
			default:
				return nil, fmt.Errorf("line %d: unknown section %q", n, line)
			}
			continue
		}
		switch section {
		case "namespaces":
			f := strings.Fields(line)
			if len(f) < 2 {
				return nil, fmt.Errorf("line %d: a namespace needs a prefix and a URI", n)
			}
			if prefixes[f[0]] {
				return nil, fmt.Errorf("line %d: prefix %s twice", n, f[0])
			}
			prefixes[f[0]] = true
			for _, u := range f[1:] {
				if _, dup := v.ns[u]; dup {
					return nil, fmt.Errorf("line %d: URI twice", n)
				}
				v.ns[u] = f[0]
				v.uris[u] = true
				v.canon[u] = u
			}
		case "list":
			for _, e := range expand(line) {
				v.lists[list][e] = true
			}
		case "rules":
			f := strings.Fields(line)
			if len(f) < 3 {
				return nil, fmt.Errorf("line %d: a rule is ELEMENT ATTRIBUTE SHAPE…", n)
			}
			rules = append(rules, pending{n, expand(f[0]), expand(f[1]), f[2:]})
		default:
			return nil, fmt.Errorf("line %d: outside a section", n)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	split := func(q string, elem bool) (string, string, error) {
		if q == "*" {
			if elem {
				return "*", "*", nil
			}
			return "", "*", nil // any attribute of the element
		}
		p, l, ok := strings.Cut(q, ":")
		if !ok {
			if elem {
				return "", "", fmt.Errorf("element %q needs a prefix", q)
			}
			return "", q, nil
		}
		if !prefixes[p] {
			return "", "", fmt.Errorf("undeclared prefix in %q", q)
		}
		return p, l, nil
	}
	v.shapes = map[string]shape{}
	for _, name := range shapeNames {
		if sh, err := v.shape(name); err == nil {
			v.shapes[name] = sh
		}
	}
	for _, r := range rules {
		ru := &rule{line: r.line}
		for _, name := range r.rest {
			switch name {
			case "text":
				ru.text = true
				continue
			case "date":
				ru.date = true
				continue
			}
			sh := v.shapes[name]
			if sh == nil {
				if _, err := v.shape(name); err != nil {
					return nil, fmt.Errorf("line %d: %w", r.line, err)
				}
				return nil, fmt.Errorf("line %d: shape %s: unavailable", r.line, name)
			}
			ru.shapes = append(ru.shapes, sh)
		}
		for _, elem := range r.elem {
			en, el, err := split(elem, true)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", r.line, err)
			}
			for _, attr := range r.attr {
				an, al, err := split(attr, false)
				if err != nil {
					return nil, fmt.Errorf("line %d: %w", r.line, err)
				}
				k := slotKey{en, el, an, al}
				if prev := v.rules[k]; prev != nil {
					return nil, fmt.Errorf("line %d: %s %s: the slot of line %d again", r.line, elem, attr, prev.line)
				}
				v.rules[k] = ru
				v.nrule++
			}
		}
	}
	for name, need := range listShapes {
		if need && v.lists[name] == nil {
			return nil, fmt.Errorf("list %s is missing", name)
		}
	}
	v.familyWords()
	return v, nil
}

// familyWords gathers the roots of namespace families and the words of
// their segments: list nsword and every segment of a listed namespace URI.
func (v *Vocabulary) familyWords() {
	for r := range v.lists["nsroot"] {
		v.roots = append(v.roots, r)
	}
	// longest root first, so that a URI's rest is the shortest
	sort.Slice(v.roots, func(i, j int) bool {
		if len(v.roots[i]) != len(v.roots[j]) {
			return len(v.roots[i]) > len(v.roots[j])
		}
		return v.roots[i] < v.roots[j]
	})
	v.words = map[string]bool{}
	for w := range v.lists["nsword"] {
		v.words[strings.ToLower(w)] = true
	}
	for u := range v.uris {
		rest, ok := v.familyRest(u)
		if !ok {
			continue
		}
		for _, seg := range nsSegments(rest) {
			v.words[strings.ToLower(seg)] = true
		}
	}
}

// familyRest returns u less the root of its family.
func (v *Vocabulary) familyRest(u string) (string, bool) {
	for _, r := range v.roots {
		if strings.HasPrefix(u, r) {
			return u[len(r):], true
		}
	}
	return "", false
}

func nsSegments(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == ':' || r == '#' })
}

// IsNamespace reports whether u is a namespace URI of the OOXML, ODF or
// Microsoft/LibreOffice extension families: one [namespaces] lists, or
// one under a family's root (list nsroot) whose every segment is a
// number (a year, a version: "2006", "1.0") or a namespace word (a word
// of list nsword or of a listed URI, possibly followed by digits:
// "richdata2"). Any other URI, one whose path could hold a name, is not.
func (v *Vocabulary) IsNamespace(u string) bool {
	if v.uris[u] {
		return true
	}
	rest, ok := v.familyRest(u)
	if !ok {
		return false
	}
	for _, seg := range nsSegments(rest) {
		if strings.Trim(seg, "0123456789.") == "" {
			continue
		}
		w := strings.ToLower(seg)
		if !v.words[w] && !v.words[strings.TrimRight(w, "0123456789")] {
			return false
		}
	}
	return true
}

// expand writes out {a|b} alternatives and {1..9} ranges in a list entry.
func expand(s string) []string {
	i := strings.IndexByte(s, '{')
	if i < 0 {
		return []string{s}
	}
	j := strings.IndexByte(s[i:], '}')
	if j < 0 {
		return []string{s}
	}
	j += i
	var alts []string
	inner := s[i+1 : j]
	if a, b, ok := strings.Cut(inner, ".."); ok {
		lo, err1 := strconv.Atoi(a)
		hi, err2 := strconv.Atoi(b)
		if err1 == nil && err2 == nil && lo <= hi && hi-lo < 1000 {
			for k := lo; k <= hi; k++ {
				alts = append(alts, strconv.Itoa(k))
			}
		}
	} else {
		alts = strings.Split(inner, "|")
	}
	var out []string
	for _, a := range alts {
		out = append(out, expand(s[:i]+a+s[j+1:])...)
	}
	return out
}

// Len is the number of rules and of list entries.
func (v *Vocabulary) Len() (rules, entries int) {
	for _, l := range v.lists {
		entries += len(l)
	}
	return v.nrule, entries
}

// Lists returns the names of the lists and their sizes, sorted.
func (v *Vocabulary) Lists() []string {
	var out []string
	for name, l := range v.lists {
		out = append(out, fmt.Sprintf("%s (%d)", name, len(l)))
	}
	sort.Strings(out)
	return out
}

// Fits reports whether value has the shape called name (shapes.go), for
// values a format finds outside attributes and elements (a bookmark named
// in a field instruction). An unknown shape fits nothing.
func (v *Vocabulary) Fits(name, value string) bool {
	sh := v.shapes[name]
	return sh != nil && sh(value, nil)
}

// uri returns the vocabulary's own string for a namespace URI it knows,
// uri itself for another: names in that namespace then share one string
// across parts, and the slot cache (nsCache) finds them.
func (v *Vocabulary) uri(uri string) string {
	if c, ok := v.canon[uri]; ok {
		return c
	}
	return uri
}

// Prefix returns the canonical prefix of a namespace URI, "" when the
// vocabulary does not know it.
func (v *Vocabulary) Prefix(uri string) string { return v.ns[uri] }

// nsCache remembers, during one walk, the last namespace URIs resolved
// (most names of a part are in one or two namespaces, and comparing a
// string is cheaper than hashing it) and the rule of each slot (element
// and attribute names) looked up already: the part of a classification
// that does not depend on the value. A part has a few hundred slots and
// tens of thousands of values.
type nsCache struct {
	uri, prefix [2]string
	slots       *[slotWays]slotEntry
}

// The slot cache is direct-mapped and keyed by where the four strings of
// the names are in memory and their lengths: the walkers intern names and
// a namespace URI is one string per declaration, so the names of one slot
// are the same strings every time, and equal keys are equal names (a
// string's bytes never change). A key that collides or a name that was
// not interned only costs a lookup in the rules.
const slotWays = 1024

// slotTables holds slot caches between walks (a table keeps the names it
// holds alive, so a key found in it still means the same names).
var slotTables = sync.Pool{New: func() any { return new([slotWays]slotEntry) }}

// release gives the slot cache back for another walk.
func (c *nsCache) release() {
	if c.slots != nil {
		slotTables.Put(c.slots)
		c.slots = nil
	}
}

type slotEntry struct {
	v    *Vocabulary // whose rule r is (tables are pooled across walks)
	p    [4]*byte
	n    [4]int
	r    *rule
	used bool
}

// Classifier classifies values like the Vocabulary it comes from,
// remembering the rule of each slot it has seen. It is for one goroutine
// (one reading of a part or a document).
type Classifier struct {
	v *Vocabulary
	c nsCache
}

// NewClassifier returns a Classifier of v.
func (v *Vocabulary) NewClassifier() *Classifier { return &Classifier{v: v} }

// Release gives the Classifier's memory back; it is not used after.
func (c *Classifier) Release() { c.c.release() }

// ClassifyAttr is Vocabulary.ClassifyAttr.
func (c *Classifier) ClassifyAttr(e *Element, a xml.Name, value string) Class {
	return c.v.classifyAttr(e, a, value, &c.c)
}

// ClassifyText is Vocabulary.ClassifyText.
func (c *Classifier) ClassifyText(e *Element, text string) Class {
	return c.v.classifyText(e, text, &c.c)
}

// cachedLookup is lookup through c's slot cache.
func (v *Vocabulary) cachedLookup(elem, attr xml.Name, c *nsCache) *rule {
	if c == nil {
		return v.lookup(elem, attr, nil)
	}
	p := [4]*byte{unsafe.StringData(elem.Space), unsafe.StringData(elem.Local), unsafe.StringData(attr.Space), unsafe.StringData(attr.Local)}
	n := [4]int{len(elem.Space), len(elem.Local), len(attr.Space), len(attr.Local)}
	h := uintptr(0)
	for i := range p {
		h = (h^uintptr(unsafe.Pointer(p[i])))*0x9E3779B1 + uintptr(n[i])
	}
	if c.slots == nil {
		c.slots = slotTables.Get().(*[slotWays]slotEntry)
	}
	s := &c.slots[(h>>7)%slotWays]
	if s.used && s.v == v && s.p == p && s.n == n {
		return s.r
	}
	r := v.lookup(elem, attr, c)
	*s = slotEntry{v: v, p: p, n: n, r: r, used: true}
	return r
}

func (v *Vocabulary) prefixOf(uri string, c *nsCache) string {
	if c != nil {
		for k := range c.uri {
			if c.uri[k] == uri && uri != "" {
				return c.prefix[k]
			}
		}
	}
	p := v.ns[uri]
	if c != nil {
		c.uri[1], c.prefix[1] = c.uri[0], c.prefix[0]
		c.uri[0], c.prefix[0] = uri, p
	}
	return p
}

// lookup finds the rule of attribute attr (TextSlot for character data) of
// element elem.
func (v *Vocabulary) lookup(elem, attr xml.Name, c *nsCache) *rule {
	en := v.prefixOf(elem.Space, c)
	an := ""
	if attr.Space != "" {
		if an = v.prefixOf(attr.Space, c); an == "" {
			return nil // an attribute in a namespace nobody listed
		}
	}
	isAttr := attr.Local != TextSlot
	if en != "" {
		if r := v.rules[slotKey{en, elem.Local, an, attr.Local}]; r != nil {
			return r
		}
		if r := v.rules[slotKey{en, elem.Local, "", "*"}]; r != nil && isAttr {
			return r
		}
		if r := v.rules[slotKey{en, "*", an, attr.Local}]; r != nil {
			return r
		}
	}
	return v.rules[slotKey{"*", "*", an, attr.Local}]
}

// ClassifyAttr classifies the value of attribute a of element e.
func (v *Vocabulary) ClassifyAttr(e *Element, a xml.Name, value string) Class {
	return v.classifyAttr(e, a, value, nil)
}

func (v *Vocabulary) classifyAttr(e *Element, a xml.Name, value string, c *nsCache) Class {
	if strings.TrimSpace(value) == "" {
		return Structural
	}
	if a.Space == "xmlns" || (a.Space == "" && a.Local == "xmlns") {
		if v.IsNamespace(value) {
			return Structural
		}
		return Unknown
	}
	return v.classify(v.cachedLookup(e.Name, a, c), e, value)
}

// ClassifyText classifies character data of element e.
func (v *Vocabulary) ClassifyText(e *Element, text string) Class {
	return v.classifyText(e, text, nil)
}

func (v *Vocabulary) classifyText(e *Element, text string, c *nsCache) Class {
	if strings.TrimSpace(text) == "" {
		return Structural
	}
	return v.classify(v.cachedLookup(e.Name, xml.Name{Local: TextSlot}, c), e, text)
}

func (v *Vocabulary) classify(r *rule, e *Element, value string) Class {
	if r == nil {
		return Unknown
	}
	for _, sh := range r.shapes {
		if sh(value, e) {
			return Structural
		}
	}
	switch {
	case r.date && isDate(value):
		return Date
	case r.text:
		return KnownText
	}
	return Misfit
}
