package prose

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/jdkato/prose/v2"

	"github.com/veilhq/veil/internal/strindex"
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

const taggerMagic = "veil prose tagger 2\n"

// encodeTagger writes the tagger of m (loaded by prose from prose
// version):
//
//	veil prose tagger 2
//	prose VERSION
//	name NAME
//	hash FINGERPRINT, sum CRC (as the classifier's: appendSums)
//	classes N, then N lines: a class
//	weights W (how many in all)
//	then, binary (strings as a uvarint length and their bytes):
//	  the tags: N and SLOTS (uvarints), N times a word and its tag, in
//	  the order of the words' slots in a strindex.Index of SLOTS slots,
//	  then strindex.AppendBitmap of those slots;
//	  the features: N and SLOTS, N times a feature, its K weights (a
//	  uvarint K, then K times the class's number in the classes, a
//	  uvarint, and the weight's 8 bytes little-endian; by class name),
//	  in the order of the features' slots, then the bitmap of those.
//
// The slots are those of an Index of the words (the features) pushed in
// sorted order and placed: a start takes them as they are (PlaceAt) and
// parses no number (the text form's decimals were ~20 ms a start).
func encodeTagger(m *prose.Model, version string) ([]byte, error) {
	if !taggerLayoutOK() {
		return nil, errors.New("prose: the model is not laid out as this package expects")
	}
	p := perceptronOf(m)
	if p == nil {
		return nil, errors.New("prose: the model has no tagger")
	}
	plain := func(s string) bool { return s != "" && !strings.ContainsAny(s, " \t\n") }
	var b []byte
	b = fmt.Appendf(b, "classes %d\n", len(p.classes))
	class := map[string]int{}
	for i, c := range p.classes {
		if !plain(c) {
			return nil, fmt.Errorf("prose: a class %q that the format cannot hold", c)
		}
		if _, ok := class[c]; !ok {
			class[c] = i
		}
		b = append(b, c+"\n"...)
	}
	total := 0
	for _, ws := range p.weights {
		total += len(ws)
	}
	b = fmt.Appendf(b, "weights %d\n", total)
	// sorted, pushed and placed, as a start would place them
	sortedIndex := func(keys []string) *strindex.Index {
		sort.Strings(keys)
		x := strindex.New(len(keys))
		for _, k := range keys {
			x.Push(k)
		}
		x.Place()
		return x
	}
	words := make([]string, 0, len(p.tagMap))
	for w := range p.tagMap {
		words = append(words, w)
	}
	x := sortedIndex(words)
	order, slots, n := x.SlotOrder()
	b = binary.AppendUvarint(binary.AppendUvarint(b, uint64(len(order))), uint64(n))
	for _, i := range order {
		b = appendString(appendString(b, x.Key(i)), p.tagMap[x.Key(i)])
	}
	b = strindex.AppendBitmap(b, slots, n)
	feats := make([]string, 0, len(p.weights))
	for f := range p.weights {
		feats = append(feats, f)
	}
	x = sortedIndex(feats)
	order, slots, n = x.SlotOrder()
	b = binary.AppendUvarint(binary.AppendUvarint(b, uint64(len(order))), uint64(n))
	for _, i := range order {
		f := x.Key(i)
		b = appendString(b, f)
		ws := p.weights[f]
		classes := make([]string, 0, len(ws))
		for c := range ws {
			classes = append(classes, c)
		}
		sort.Strings(classes)
		b = binary.AppendUvarint(b, uint64(len(classes)))
		for _, c := range classes {
			ci, ok := class[c]
			if !ok {
				return nil, fmt.Errorf("prose: a weight of a class %q not in the classes", c)
			}
			b = binary.AppendUvarint(b, uint64(ci))
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(ws[c]))
		}
	}
	b = strindex.AppendBitmap(b, slots, n)
	h := fmt.Appendf([]byte(taggerMagic), "prose %s\nname %s\n", version, m.Name)
	return append(appendSums(h, b), b...), nil
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
		classes:   func(n int) { p.classes = make([]string, 0, n) },
		class:     func(c string) { p.classes = append(p.classes, c) },
		tags:      func(n int) { p.tagMap = make(map[string]string, n) },
		tag:       func(w, t string) { p.tagMap[w] = t },
		tagSlots:  func([]uint32) {},
		featSlots: func([]uint32) {},
		feats:     func(n, _ int) { p.weights = make(map[string]map[string]float64, n) },
		feature: func(f string, n int) {
			cur = make(map[string]float64, n)
			p.weights[f] = cur
		},
		weight: func(_ int, c string, w float64) { cur[c] = w },
	})
	if err != nil {
		return nil, err
	}
	m := &modelLayout{Name: name, tagger: &perceptronTaggerLayout{model: p}}
	return (*prose.Model)(unsafe.Pointer(m)), nil
}

// taggerReader receives what readTagger reads, in the file's order: the
// counts before their entries, the slots after them (for a strindex.Index
// of the words, or of the features, pushed in the order read).
type taggerReader struct {
	classes   func(n int)
	class     func(c string)
	tags      func(n int)
	tag       func(word, tag string)
	tagSlots  func(slots []uint32)
	feats     func(n, weights int) // features, weights in all
	feature   func(f string, classes int)
	weight    func(ci int, class string, w float64) // ci: the class's number in the classes
	featSlots func(slots []uint32)
}

// readTagger reads encodeTagger's form into to and returns the model's
// name; linked is as for parseTagger.
func readTagger(text, linked string, to taggerReader) (string, error) {
	bad := errors.New("prose: malformed prebuilt tagger")
	r := &lineReader{rest: text}
	if err := r.start(taggerMagic, linked, bad); err != nil {
		return "", err
	}
	name, ok := r.header("name ")
	if !ok {
		return "", bad
	}
	if err := r.sums(bad); err != nil {
		return "", err
	}
	return name, readTaggerBody(r, to, bad)
}

// readTaggerBody is readTagger after the sum's line: it never panics,
// whatever the text holds, but trusts the slots it reads (the sum sees
// to them).
func readTaggerBody(r *lineReader, to taggerReader, bad error) error {
	n := r.count("classes ")
	if n < 0 {
		return bad
	}
	to.classes(n)
	classes := make([]string, 0, n)
	for range n {
		c, ok := r.line()
		if !ok {
			return bad
		}
		classes = append(classes, c)
		to.class(c)
	}
	nw := r.count("weights ")
	if nw < 0 || nw > len(r.rest)/9 { // a weight takes 9 bytes at least
		return bad
	}
	b := &binReader{rest: r.rest}
	n, nslots := b.uvarint(), b.uvarint()
	if b.bad {
		return bad
	}
	to.tags(n)
	for range n {
		w := b.str(b.uvarint())
		tag := b.str(b.uvarint())
		if b.bad {
			return bad
		}
		to.tag(w, tag)
	}
	slots, rest, ok := strindex.BitmapSlots(b.rest, nslots, n)
	if !ok {
		return bad
	}
	b.rest = rest
	to.tagSlots(slots)
	n, nslots = b.uvarint(), b.uvarint()
	if b.bad {
		return bad
	}
	to.feats(n, nw)
	for range n {
		f := b.str(b.uvarint())
		k := b.uvarint()
		if b.bad || k > nw {
			return bad
		}
		nw -= k
		to.feature(f, k)
		for range k {
			ci := b.uvarint()
			x := b.float()
			if b.bad || ci >= len(classes) {
				return bad
			}
			to.weight(ci, classes[ci], x)
		}
	}
	if slots, b.rest, ok = strindex.BitmapSlots(b.rest, nslots, n); !ok || b.rest != "" || nw != 0 {
		return bad
	}
	to.featSlots(slots)
	return nil
}
