package prose

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/jdkato/prose/v2"
)

// prose's part-of-speech tagger (an averaged perceptron) loads its
// weights by decompressing and gob-decoding 5 MB into maps at every start
// (a third of a CPU second). The same maps are made once from prose's
// model and stored in tagger.bin (uncompressed, as classifier.bin), and a start fills prose's model with
// them: the tagging code is prose's own, only the loading differs. prose
// keeps the model in unexported fields, so the model is filled through
// types laid out as prose's (modelLayout and below); taggerLayoutOK
// checks with reflect that prose's types are laid out so, and a start
// loads prose's model as before when they are not, or when tagger.bin was
// made from another version of prose. TestTaggerPrebuilt fails until the
// file is made again:
//
//	go generate ./ner/prose

//go:embed tagger.bin
var prebuiltTagger string

// modelLayout is prose.Model's layout (model.go of prose v2.0.0).
type modelLayout struct {
	Name      string
	tagger    *perceptronTaggerLayout
	extracter unsafe.Pointer
}

// perceptronTaggerLayout is prose's perceptronTagger (tag.go).
type perceptronTaggerLayout struct {
	model *averagedPerceptronLayout
}

// averagedPerceptronLayout is prose's averagedPerceptron (tag.go).
type averagedPerceptronLayout struct {
	classes []string
	stamps  map[string]float64
	totals  map[string]float64
	tagMap  map[string]string
	weights map[string]map[string]float64
}

// taggerLayoutOK reports whether prose.Model and the types it points to
// are laid out as modelLayout and the types it points to: the same
// fields, names, offsets and types.
var taggerLayoutOK = sync.OnceValue(func() bool {
	return sameLayout(reflect.TypeOf(prose.Model{}), reflect.TypeOf(modelLayout{}))
})

func sameLayout(a, b reflect.Type) bool {
	if b.Kind() == reflect.UnsafePointer {
		return a.Kind() == reflect.Pointer || a.Kind() == reflect.UnsafePointer
	}
	if a.Kind() != b.Kind() || a.Size() != b.Size() {
		return false
	}
	switch a.Kind() {
	case reflect.Pointer:
		return sameLayout(a.Elem(), b.Elem())
	case reflect.Struct:
		if a.NumField() != b.NumField() {
			return false
		}
		for i := range a.NumField() {
			fa, fb := a.Field(i), b.Field(i)
			if fa.Name != fb.Name || fa.Offset != fb.Offset || !sameLayout(fa.Type, fb.Type) {
				return false
			}
		}
		return true
	}
	return a == b
}

// perceptronOf returns the tagger's model of m.
func perceptronOf(m *prose.Model) *averagedPerceptronLayout {
	l := (*modelLayout)(unsafe.Pointer(m))
	if l.tagger == nil {
		return nil
	}
	return l.tagger.model
}

const taggerMagic = "veil prose tagger 1\n"

// encodeTagger writes the tagger of m (loaded by prose from prose
// version), sorted:
//
//	veil prose tagger 1
//	prose VERSION
//	name NAME
//	classes N, then N lines: a class
//	tags N, then N lines: a word, a tab, its tag
//	weights N, then N lines: a feature, and for each of its classes a
//	tab, the class, a space and the weight
//
// Words and features holding a tab or a newline, or starting with '"',
// are quoted (Go syntax).
func encodeTagger(m *prose.Model, version string) ([]byte, error) {
	if !taggerLayoutOK() {
		return nil, errors.New("prose: the model is not laid out as this package expects")
	}
	p := perceptronOf(m)
	if p == nil {
		return nil, errors.New("prose: the model has no tagger")
	}
	quote := func(s string) string {
		if strings.ContainsAny(s, "\t\n") || strings.HasPrefix(s, `"`) {
			return strconv.Quote(s)
		}
		return s
	}
	plain := func(s string) bool { return s != "" && !strings.ContainsAny(s, " \t\n") }
	var b bytes.Buffer
	b.WriteString(taggerMagic)
	fmt.Fprintf(&b, "prose %s\nname %s\nclasses %d\n", version, m.Name, len(p.classes))
	for _, c := range p.classes {
		if !plain(c) {
			return nil, fmt.Errorf("prose: a class %q that the format cannot hold", c)
		}
		b.WriteString(c + "\n")
	}
	words := make([]string, 0, len(p.tagMap))
	for w := range p.tagMap {
		words = append(words, w)
	}
	sort.Strings(words)
	fmt.Fprintf(&b, "tags %d\n", len(words))
	for _, w := range words {
		if !plain(p.tagMap[w]) {
			return nil, fmt.Errorf("prose: a tag %q that the format cannot hold", p.tagMap[w])
		}
		b.WriteString(quote(w) + "\t" + p.tagMap[w] + "\n")
	}
	feats := make([]string, 0, len(p.weights))
	for f := range p.weights {
		feats = append(feats, f)
	}
	sort.Strings(feats)
	fmt.Fprintf(&b, "weights %d\n", len(feats))
	for _, f := range feats {
		b.WriteString(quote(f))
		ws := p.weights[f]
		classes := make([]string, 0, len(ws))
		for c := range ws {
			classes = append(classes, c)
		}
		sort.Strings(classes)
		for _, c := range classes {
			if !plain(c) {
				return nil, fmt.Errorf("prose: a class %q that the format cannot hold", c)
			}
			b.WriteString("\t" + c + " " + strconv.FormatFloat(ws[c], 'g', -1, 64))
		}
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

// decodeTagger returns prose's model with the tagger of text
// (encodeTagger's form) and no entity classifier, if
// it was made from the version of prose linked in and prose's types are
// laid out as expected.
func decodeTagger(text string) (*prose.Model, error) {
	if !taggerLayoutOK() {
		return nil, errors.New("prose: the model is not laid out as this package expects")
	}
	return parseTagger(text, proseVersion())
}

// parseTagger reads encodeTagger's form; linked is the version of prose
// linked in ("" if unknown: the file is trusted, as TestTaggerPrebuilt
// checks it).
func parseTagger(text, linked string) (*prose.Model, error) {
	p := &averagedPerceptronLayout{stamps: map[string]float64{}, totals: map[string]float64{}}
	var cur map[string]float64 // the weights of the feature being read
	name, err := readTagger(text, linked, taggerReader{
		classes: func(n int) { p.classes = make([]string, 0, n) },
		class:   func(c string) { p.classes = append(p.classes, c) },
		tags:    func(n int) { p.tagMap = make(map[string]string, n) },
		tag:     func(w, t string) { p.tagMap[w] = t },
		feats:   func(n int) { p.weights = make(map[string]map[string]float64, n) },
		feature: func(f string, n int) {
			cur = make(map[string]float64, n)
			p.weights[f] = cur
		},
		weight: func(_, c string, w float64) { cur[c] = w },
	})
	if err != nil {
		return nil, err
	}
	m := &modelLayout{Name: name, tagger: &perceptronTaggerLayout{model: p}}
	return (*prose.Model)(unsafe.Pointer(m)), nil
}

// taggerReader receives what readTagger reads, in the file's order: the
// counts before their entries.
type taggerReader struct {
	classes func(n int)
	class   func(c string)
	tags    func(n int)
	tag     func(word, tag string)
	feats   func(n int)
	feature func(f string, classes int)
	weight  func(f, class string, w float64)
}

// readTagger reads encodeTagger's form into to and returns the model's
// name; linked is as for parseTagger.
func readTagger(text, linked string, to taggerReader) (string, error) {
	bad := errors.New("prose: malformed prebuilt tagger")
	r := &lineReader{rest: text}
	unquote := func(s string) (string, bool) {
		if !strings.HasPrefix(s, `"`) {
			return s, true
		}
		u, err := strconv.Unquote(s)
		return u, err == nil
	}
	if err := r.start(taggerMagic, linked, bad); err != nil {
		return "", err
	}
	name, ok := r.header("name ")
	if !ok {
		return "", bad
	}
	n := r.count("classes ")
	if n < 0 {
		return "", bad
	}
	to.classes(n)
	for range n {
		c, ok := r.line()
		if !ok {
			return "", bad
		}
		to.class(c)
	}
	if n = r.count("tags "); n < 0 {
		return "", bad
	}
	to.tags(n)
	for range n {
		l, complete := r.line()
		w, tag, found := strings.Cut(l, "\t")
		w, ok := unquote(w)
		if !complete || !found || !ok {
			return "", bad
		}
		to.tag(w, tag)
	}
	if n = r.count("weights "); n < 0 {
		return "", bad
	}
	to.feats(n)
	for range n {
		l, complete := r.line()
		f, ws, found := strings.Cut(l, "\t")
		f, ok := unquote(f)
		if !complete || !ok || f == "" && !found {
			return "", bad
		}
		to.feature(f, strings.Count(ws, "\t")+1)
		for ws != "" {
			var w string
			w, ws, _ = strings.Cut(ws, "\t")
			c, v, _ := strings.Cut(w, " ")
			x, err := parseDecimal(v)
			if err != nil || c == "" {
				return "", bad
			}
			to.weight(f, c, x)
		}
	}
	if r.rest != "" {
		return "", bad
	}
	return name, nil
}

// pow10 are the powers of ten that a float64 holds exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// parseDecimal is strconv.ParseFloat(s, 64), faster for the tagger's
// weights (a sign, up to 15 digits and a point: "-4.099"): their digits
// m and fraction digits k are exact in a float64, so m / 10^k, one
// correctly rounded division, is the float nearest the decimal, as
// ParseFloat's. Anything else goes to ParseFloat.
func parseDecimal(s string) (float64, error) {
	t, neg := strings.CutPrefix(s, "-")
	var m uint64
	digits, frac, point := 0, 0, false
	for i := range len(t) {
		switch c := t[i]; {
		case '0' <= c && c <= '9':
			m = m*10 + uint64(c-'0')
			digits++
			if point {
				frac++
			}
		case c == '.' && !point && i > 0 && i < len(t)-1:
			point = true
		default:
			return strconv.ParseFloat(s, 64)
		}
	}
	if digits == 0 || digits > 15 {
		return strconv.ParseFloat(s, 64)
	}
	x := float64(m) / pow10[frac]
	if neg {
		x = -x
	}
	return x, nil
}
