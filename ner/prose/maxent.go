package prose

import (
	"bytes"
	"encoding/gob"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/jdkato/prose/v2"

	"github.com/veilhq/veil/internal/strindex"
	"github.com/veilhq/veil/ner"
)

// This file is prose/v2's named-entity classifier (entityExtracter.classify
// and its features, extract.go of github.com/jdkato/prose/v2 v2.0.0, MIT
// License), with the same model and the same labels, computed without
// what made it prose's most expensive step: prose joins "feature-value-
// label" into a new string for each of its 17 features and each label of
// every token and looks each up in one map, compiles two regular
// expressions per word to find its shape, and scans its basic-English list
// word by word. Here the model is indexed once by feature and value, so a
// token costs one lookup per feature, and a word's shape is read from its
// last character. TestClassifyMatchesProse compares the labels with
// prose's own on every token of a corpus.

// enWordList is prose's list of basic English words (its feature
// "en-wordlist"), read from prose itself (go:linkname) so that the feature
// is prose's.
//
//go:linkname enWordList github.com/jdkato/prose/v2.enWordList
var enWordList []string

// featureOrder is prose's order of features (the order in which a label's
// weights are summed).
var featureOrder = [...]string{
	"bias", "en-wordlist", "nextpos", "nextword", "pos", "pos+prevtag",
	"prefix3", "prevpos", "prevtag", "prevword", "shape", "shape+prevtag",
	"suffix3", "word", "word+nextpos", "word.lower", "wordlen"}

// The features, as indexes into featureOrder.
const (
	fBias = iota
	fWordList
	fNextPos
	fNextWord
	fPos
	fPosPrevTag
	fPrefix3
	fPrevPos
	fPrevTag
	fPrevWord
	fShape
	fShapePrevTag
	fSuffix3
	fWord
	fWordNextPos
	fWordLower
	fWordLen
	nFeatures
)

// weight is the weight of one label for one feature value.
type weight struct {
	label int
	w     float64
}

// classifier is prose's maximum-entropy entity classifier, indexed: for
// each feature, its values' weights by label.
type classifier struct {
	labels []string
	values [nFeatures]*strindex.Index // each feature's values
	// starts[fi][j] is where the weights of value j of feature fi start
	// in weights (they end where value j+1's start)
	starts  [nFeatures][]int32
	weights []weight
	basic   map[string]bool
}

// lookup returns the weights of feature fi's value v (nil if the model
// has none).
func (c *classifier) lookup(fi int, v string) []weight {
	j, ok := c.values[fi].Get(v)
	if !ok {
		return nil
	}
	return c.weights[c.starts[fi][j]:c.starts[fi][j+1]]
}

// tagger is prose's model without its entity classifier: the
// tokenizer's and part-of-speech tagger's, for NewDocument. It is filled
// from the prebuilt tagger (tagger.go), or loaded by prose when that
// cannot be read.
var tagger = sync.OnceValue(func() *prose.Model {
	if m, err := decodeTagger(prebuiltTagger); err == nil {
		return m
	}
	return proseTagger()
})

// proseTagger is prose's own loading of its tagger.
func proseTagger() *prose.Model {
	doc, err := prose.NewDocument("", prose.WithSegmentation(false), prose.WithExtraction(false))
	if err != nil {
		panic("prose: load model: " + err.Error())
	}
	return doc.Model
}

// Load loads prose's model now, its tagger and classifier side by side;
// detection loads them on first use otherwise (~0.2 s CPU, from the
// prebuilt forms; ~0.6 s from prose's own files). A run calls it
// while it lists its source, so that no worker waits for the model.
func Load() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if posTags() == nil {
			tagger()
		}
	}()
	entityModel()
	wg.Wait()
}

// entityModel is the classifier, loaded once: the prebuilt index
// (prebuilt.go), or prose's model indexed here when the index was made
// from another version of prose.
var entityModel = sync.OnceValue(func() *classifier {
	if c, err := decodeClassifier(prebuiltClassifier); err == nil {
		return c
	}
	return loadClassifier()
})

// loadClassifier loads the classifier from prose's own model files.
func loadClassifier() *classifier {
	var mapping map[string]int
	var weights []float64
	var labels []string
	for _, a := range []struct {
		name string
		v    any
	}{{"mapping.gob", &mapping}, {"weights.gob", &weights}, {"labels.gob", &labels}} {
		b, err := prose.Asset("model/Maxent/" + a.name)
		if err == nil {
			err = gob.NewDecoder(bytes.NewReader(b)).Decode(a.v)
		}
		if err != nil {
			panic("prose: load model: " + err.Error())
		}
	}
	return newClassifier(mapping, weights, labels)
}

// newClassifier indexes prose's model: mapping maps "feature-value-label"
// to an index of weights. An entry is indexed under every feature and
// label it can be read as, so that a lookup of (feature, value) finds
// exactly the labels whose joined key prose would find.
func newClassifier(mapping map[string]int, weights []float64, labels []string) *classifier {
	c := &classifier{labels: labels, basic: make(map[string]bool, len(enWordList))}
	var index [nFeatures]map[string][]weight
	for i := range index {
		index[i] = map[string][]weight{}
	}
	for _, w := range enWordList {
		c.basic[w] = true
	}
	var suffixes []string // "-label"
	for _, l := range labels {
		suffixes = append(suffixes, "-"+l)
	}
	var prefixes [nFeatures]string // "feature-"
	for fi, f := range featureOrder {
		prefixes[fi] = f + "-"
	}
	for entry, at := range mapping {
		for li, suffix := range suffixes {
			prefix, ok := strings.CutSuffix(entry, suffix)
			if !ok {
				continue
			}
			for fi, p := range prefixes {
				if v, ok := strings.CutPrefix(prefix, p); ok {
					index[fi][v] = append(index[fi][v], weight{li, weights[at]})
				}
			}
		}
	}
	for fi, m := range index {
		values := make([]string, 0, len(m))
		for v := range m {
			values = append(values, v)
		}
		sort.Strings(values)
		c.values[fi] = strindex.New(len(values))
		c.starts[fi] = append(make([]int32, 0, len(values)+1), int32(len(c.weights)))
		for _, v := range values {
			c.values[fi].Add(v)
			c.weights = append(c.weights, m[v]...)
			c.starts[fi] = append(c.starts[fi], int32(len(c.weights)))
		}
	}
	return c
}

// classify labels each token (IOB entity labels), as prose's
// entityExtracter.classify does. toks are a Document's own tokens (see
// docTokens): prose's tokenizer hands out one Token for every occurrence
// of a word between spaces, so such tokens end with the label and tag of
// the last occurrence, in prose and here. Of labels with equal scores,
// prose takes any (it ranges over a map); this takes the first in the
// model's order.
//
// Each token's lower case and shape are computed once (prose computes a
// word's lower case three times, as itself and as its neighbours', and
// its shape twice), and the next tag in lower case and the three joined
// features ("word+nextpos", "pos+prevtag", "shape+prevtag") are written
// in reused buffers, not in new strings: the same values, looked up in
// the same index.
func (c *classifier) classify(toks []*prose.Token) {
	history := make([]string, 0, len(toks))
	scores := make([]float64, len(c.labels))
	w := words{lower: make([]string, len(toks)), shape: make([]string, len(toks))}
	for i, t := range toks {
		w.lower[i] = strings.ToLower(t.Text)
	}
	var feats [nFeatures]string
	for i := range toks {
		c.features(&feats, &w, i, toks, history)
		clear(scores)
		for fi, v := range feats {
			var ws []weight
			switch fi {
			case fNextPos:
				ws = c.lookupBytes(fi, w.nextPos)
			case fWordNextPos:
				ws = c.lookupBytes(fi, w.wordNextPos)
			case fPosPrevTag:
				ws = c.lookupBytes(fi, w.posPrevTag)
			case fShapePrevTag:
				ws = c.lookupBytes(fi, w.shapePrevTag)
			default:
				ws = c.lookup(fi, v)
			}
			for _, lw := range ws {
				scores[lw.label] += lw.w
			}
		}
		label, best := "", math.Inf(-1)
		for li, s := range scores {
			if s > best {
				label, best = c.labels[li], s
			}
		}
		toks[i].Label = label
		history = append(history, simplePOS(label))
	}
}

// lookupBytes is lookup of a value held in bytes.
func (c *classifier) lookupBytes(fi int, v []byte) []weight {
	j, ok := c.values[fi].GetBytes(v)
	if !ok {
		return nil
	}
	return c.weights[c.starts[fi][j]:c.starts[fi][j+1]]
}

// words holds what classify computes once per token of a text: lower[i]
// is token i's text in lower case, shape[i] its shape ("" until
// computed), and the buffers of the joined features of the current token.
type words struct {
	lower, shape                                   []string
	nextPos, wordNextPos, posPrevTag, shapePrevTag []byte
}

// shapeOf returns shape(toks[i].Text), computed once.
func (w *words) shapeOf(toks []*prose.Token, i int) string {
	if w.shape[i] == "" { // shape is never ""
		w.shape[i] = shape(toks[i].Text)
	}
	return w.shape[i]
}

// features sets fs to the features of token i (prose's extract), but for
// fNextPos and the joined features fWordNextPos, fPosPrevTag and
// fShapePrevTag, which it writes to w's buffers (fs holds "" for them).
func (c *classifier) features(fs *[nFeatures]string, w *words, i int, toks []*prose.Token, history []string) {
	word := toks[i].Text
	lower := w.lower[i]
	fs[fBias] = "True"
	fs[fWord] = word
	fs[fPos] = toks[i].Tag
	fs[fWordList] = "False"
	if c.basic[word] {
		fs[fWordList] = "True"
	}
	fs[fWordLower] = lower
	if ner.IsASCII(word) { // ASCII's lower case is byte by byte
		fs[fSuffix3] = lower[len(word)-min(len(word), 3):]
		fs[fPrefix3] = lower[:min(len(word), 3)]
	} else {
		fs[fSuffix3] = strings.ToLower(word[len(word)-min(len(word), 3):])
		fs[fPrefix3] = strings.ToLower(word[:min(len(word), 3)])
	}
	fs[fShape] = w.shapeOf(toks, i)
	fs[fWordLen] = strconv.Itoa(len(word))
	prevShape := "None"
	if i == 0 {
		fs[fPrevTag], fs[fPrevWord], fs[fPrevPos] = "None", "None", "None"
	} else {
		fs[fPrevWord] = w.lower[i-1]
		fs[fPrevPos] = toks[i-1].Tag
		fs[fPrevTag] = history[i-1]
		if i > 1 {
			prevShape = w.shapeOf(toks, i-1)
		}
	}
	if i == len(toks)-1 {
		fs[fNextWord] = "None"
		w.nextPos = append(w.nextPos[:0], "None"...)
	} else {
		fs[fNextWord] = w.lower[i+1]
		w.nextPos = appendLower(w.nextPos[:0], toks[i+1].Tag)
	}
	w.wordNextPos = append(append(append(w.wordNextPos[:0], lower...), '+'), w.nextPos...)
	w.posPrevTag = append(append(append(w.posPrevTag[:0], fs[fPos]...), '+'), fs[fPrevTag]...)
	w.shapePrevTag = append(append(append(w.shapePrevTag[:0], prevShape...), '+'), fs[fPrevTag]...)
	fs[fNextPos], fs[fWordNextPos], fs[fPosPrevTag], fs[fShapePrevTag] = "", "", "", ""
}

// appendLower appends strings.ToLower(s) to b (byte by byte when s is
// ASCII, without a new string).
func appendLower(b []byte, s string) []byte {
	if !ner.IsASCII(s) {
		return append(b, strings.ToLower(s)...)
	}
	return ner.AppendLowerASCII(b, s)
}

// shape is prose's word shape: "number" (what strconv.ParseFloat reads),
// "punct" (ends in a character that is not an ASCII letter, digit or
// underscore: prose's `\W+$`), "downcase", "upcase" (strings.Title's
// form), "mixedcase"; "other" for the empty word.
func shape(word string) string {
	if _, err := strconv.ParseFloat(word, 64); err == nil {
		return "number"
	}
	if word == "" {
		return "other"
	}
	if r, _ := utf8.DecodeLastRuneInString(word); !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
		return "punct"
	}
	switch {
	case strings.ToLower(word) == word:
		return "downcase"
	case strings.Title(word) == word: //nolint:staticcheck // prose's feature is strings.Title's form
		return "upcase"
	}
	return "mixedcase"
}

// docTokens returns doc's own tokens, which prose's Tokens copies. prose
// keeps them in an unexported field; the field's absence (another version
// of prose) fails loading, and TestClassifyMatchesProse.
func docTokens(doc *prose.Document) []*prose.Token {
	f := reflect.ValueOf(doc).Elem().FieldByName("tokens")
	if !f.IsValid() || f.Type() != reflect.TypeOf([]*prose.Token(nil)) {
		panic("prose: Document has no tokens field")
	}
	return *(*[]*prose.Token)(unsafe.Pointer(f.UnsafeAddr()))
}

// simplePOS is prose's reduction of a label to its history entry.
func simplePOS(label string) string {
	if strings.HasPrefix(label, "V") {
		return "v"
	}
	l, _, _ := strings.Cut(label, "-")
	return l
}
