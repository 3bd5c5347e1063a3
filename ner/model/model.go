// Package model is Veil's own statistical named-entity tagger: an averaged
// perceptron over hashed features (word, shape, affixes, name-list
// membership, context words, "Label:" fields, line case, repeated
// mentions, the previous tags), decoded greedily left to right with BIO
// tags for PERSON, LOCATION, ORGANIZATION and DATE.
//
// The weights are trained by scripts/train (ner/model/train) and shipped
// embedded (data/model.bin.gz: int8 weights, gzip; data/model.raw, the same
// inflated, is what a start reads). Scores are calibrated:
// a token's probability of being part of a name is a logistic function of
// the margin of its best entity tag over the outside tag, fitted on data
// the weights were not trained on, so a profile's threshold means what it
// says. Tagging is linear in the text and allocates a few slices per
// text; the model is read-only after loading and safe for concurrent use.
package model

import (
	"bytes"
	"compress/gzip"
	"context"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"sync"
	"unsafe"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
)

// The tags, in the order of the weights.
const (
	O = iota
	BPer
	IPer
	BLoc
	ILoc
	BOrg
	IOrg
	BDate
	IDate
	NumTags
)

// TagEntity is the entity of each tag ("" for O).
var TagEntity = [NumTags]ner.Entity{"", ner.Person, ner.Person, ner.Location, ner.Location,
	ner.Organization, ner.Organization, ner.Date, ner.Date}

// Begin reports whether tag t begins an entity.
func Begin(t int) bool { return t != O && t%2 == 1 }

// Inside returns the I- tag of t's entity (t itself for an I- tag).
func Inside(t int) int {
	if t == O || t%2 == 0 {
		return t
	}
	return t + 1
}

// Legal reports whether tag t may follow tag prev: an I- tag continues its
// own entity only.
func Legal(prev, t int) bool {
	if t == O || Begin(t) {
		return true
	}
	return prev == t || prev == t-1
}

// Model is a trained tagger.
type Model struct {
	// Version names the weights (scripts/train writes it).
	Version string
	bits    uint
	scale   float32 // weight = int8 * scale
	w       []int8  // bucket*NumTags + tag
	tab     *tables // w as Tag reads it
	// A and B calibrate: P(entity) = 1/(1+exp(-(A*margin+B))).
	A, B float32
}

const magic = "VEILNER1"

// Encode writes the model in its file format (gzip of a header and the
// int8 weights).
func (m *Model) Encode(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	var hdr bytes.Buffer
	hdr.WriteString(magic)
	binary.Write(&hdr, binary.LittleEndian, uint16(len(m.Version)))
	hdr.WriteString(m.Version)
	hdr.WriteByte(byte(m.bits))
	hdr.WriteByte(NumTags)
	binary.Write(&hdr, binary.LittleEndian, [3]float32{m.scale, m.A, m.B})
	if _, err := zw.Write(hdr.Bytes()); err != nil {
		return err
	}
	b := make([]byte, len(m.w))
	for i, v := range m.w {
		b[i] = byte(v)
	}
	if _, err := zw.Write(b); err != nil {
		return err
	}
	return zw.Close()
}

// Decode reads a model written by Encode.
func Decode(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("model: read: %w", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("model: read: %w", err)
	}
	if len(b) == 0 {
		return nil, errors.New("model: read: not a Veil model")
	}
	// b is not kept or changed elsewhere: the weights are read in place
	return parse(unsafe.String(&b[0], len(b)))
}

// parse reads a model from b, the bytes Encode compresses: a header and
// the weights, which the model takes in place (an int8 is a byte's two's
// complement, as Encode wrote it). b must not change while the model
// lives.
func parse(b string) (*Model, error) {
	if len(b) < len(magic)+2 || b[:len(magic)] != magic {
		return nil, errors.New("model: read: not a Veil model")
	}
	b = b[len(magic):]
	n := int(binary.LittleEndian.Uint16([]byte(b[:2])))
	b = b[2:]
	if len(b) < n+2+12 {
		return nil, errors.New("model: read: cut short")
	}
	ver := b[:n]
	dims := b[n : n+2]
	var fl [3]float32
	for i := range fl {
		fl[i] = math.Float32frombits(binary.LittleEndian.Uint32([]byte(b[n+2+4*i : n+6+4*i])))
	}
	b = b[n+2+12:]
	if dims[0] < 8 || dims[0] > 24 || dims[1] != NumTags {
		return nil, errors.New("model: read: unknown dimensions")
	}
	m := &Model{Version: ver, bits: uint(dims[0]), scale: fl[0], A: fl[1], B: fl[2]}
	size := (1 << m.bits) * NumTags
	if len(b) < size {
		return nil, errors.New("model: read weights: cut short")
	}
	if len(b) > size {
		return nil, errors.New("model: read weights: bytes after the weights")
	}
	m.w = unsafe.Slice((*int8)(unsafe.Pointer(unsafe.StringData(b))), size)[:size:size]
	m.tab = newTables(m)
	return m, nil
}

// New returns a model of 2^bits feature buckets from float weights
// (bucket*NumTags + tag), quantised to int8, and its calibration.
func New(version string, bits uint, w []float32, a, b float32) *Model {
	maxAbs := float32(0)
	for _, v := range w {
		maxAbs = max(maxAbs, float32(math.Abs(float64(v))))
	}
	scale := maxAbs / 127
	if scale == 0 {
		scale = 1
	}
	q := make([]int8, len(w))
	for i, v := range w {
		q[i] = int8(math.Round(float64(v / scale)))
	}
	m := &Model{Version: version, bits: bits, scale: scale, w: q, A: a, B: b}
	m.tab = newTables(m)
	return m
}

// Bits returns log2 of the number of feature buckets.
func (m *Model) Bits() uint { return m.bits }

// Weights returns the dequantised weights (for calibration and tests).
func (m *Model) Weights() []float32 {
	out := make([]float32, len(m.w))
	for i, v := range m.w {
		out[i] = float32(v) * m.scale
	}
	return out
}

//go:embed data/model.bin.gz
var shipped []byte

// data/model.raw is data/model.bin.gz inflated (rawMagic, the size and
// CRC-32C of the model.bin.gz it was made from, the CRC-32C of the body,
// then the body, what Encode compressed: 2.4 MB),
// so that a start reads the weights in place instead of inflating them
// (~45 million instructions, the largest part of research's start).
// model.bin.gz stays what scripts/train makes and model.sha256 records;
// model.raw is made from it by
//
//	go generate ./ner/model
//
// and a start whose model.raw was made from another model.bin.gz (the
// model retrained, go generate not run) inflates model.bin.gz as before:
// a stale file costs time, never another model. TestShippedRaw fails
// until it is made again.
//
//go:generate go test . -count=1 -run ^TestShippedRaw$ -update-raw
//go:embed data/model.raw
var shippedRaw string

const rawMagic = "VEILRAW2"

// rawHead is the length of model.raw's header: rawMagic, gzSum's 12
// bytes, the CRC-32C of the body that follows (4 bytes).
const rawHead = len(rawMagic) + 12 + 4

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// rawOf returns model.raw's bytes for model.bin.gz's bytes gz.
func rawOf(gz []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	head := binary.LittleEndian.AppendUint32(append([]byte(rawMagic), gzSum(gz)...), crc32.Checksum(body, castagnoli))
	return append(head, body...), nil
}

// gzSum is the record of model.bin.gz that model.raw begins with: its
// size and CRC-32C (which the processor computes; a SHA-256 was ~10
// million instructions of a start), 12 bytes.
func gzSum(gz []byte) string {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(gz)))
	return string(binary.LittleEndian.AppendUint32(b, crc32.Checksum(gz, castagnoli)))
}

// parseRaw reads the model of raw (rawOf's form) if it was made from gz
// and its body is the one rawOf wrote (its CRC-32C), whole, with nothing
// after the weights (parse).
func parseRaw(raw string, gz []byte) (*Model, error) {
	sum := gzSum(gz)
	if len(raw) < rawHead || raw[:len(rawMagic)] != rawMagic || raw[len(rawMagic):len(rawMagic)+len(sum)] != sum {
		return nil, errors.New("model: model.raw was made from another model.bin.gz")
	}
	body := raw[rawHead:]
	want := binary.LittleEndian.Uint32([]byte(raw[rawHead-4 : rawHead]))
	if crc32.Update(0, castagnoli, unsafe.Slice(unsafe.StringData(body), len(body))) != want {
		return nil, errors.New("model: model.raw is damaged")
	}
	return parse(body)
}

// Shipped returns the embedded model, loading it on first use.
var Shipped = sync.OnceValues(func() (*Model, error) {
	if m, err := parseRaw(shippedRaw, shipped); err == nil {
		return m, nil
	}
	return Decode(bytes.NewReader(shipped))
})

// Tagged is a token with its decoded tag and its calibrated probability
// of belonging to a name, place, organisation or date.
type Tagged struct {
	// Start and End are the token's byte offsets in the text (its
	// features stay with Tag: a tagged text holds only what its
	// readers use).
	Start, End int
	Tag        int
	// P is the calibrated probability that the token is part of an
	// entity (any of the model's labels).
	P float64
	// Margin is the score of the best entity tag less that of O.
	Margin float32
	// Best is the best entity tag (never O), whether or not it won.
	Best int
}

// Tag tags every token of text. It returns an error only when ctx is done
// (a nil ctx is never done).
//
// A token's scores are the sums of the weights of its features (Static,
// History), grouped so that what recurs is summed once (scores.go): the
// same sums, to the bit, as adding every feature's row.
func (m *Model) Tag(ctx context.Context, text string) ([]Tagged, error) {
	return m.tagInto(ctx, text, nil)
}

// tagInto is Tag writing into into when it is large enough (the refiners'
// pooled buffers: taggedPool).
func (m *Model) tagInto(ctx context.Context, text string, into []Tagged) ([]Tagged, error) {
	tb := m.tab
	if tb == nil { // a Model made by neither Decode nor New
		tb = newTables(m)
	}
	buf := tokenPool.Get().(*[]Token)
	cache := tb.caches.Get().(*wordCache)
	tz := tokenizer{buf: *buf, cache: cache}
	if ctx != nil {
		tz.words, tz.flags = gazetteer.WordsOf(ctx, text)
	}
	toks := tz.tokenize(text)
	words := tb.words(tz.cached, cache.words)
	defer func() {
		cache.release(&tz, words)
		tb.caches.Put(cache)
		if cap(toks) <= maxPooled {
			*buf = toks[:0]
			tokenPool.Put(buf)
		}
	}()
	out := into[:0]
	if cap(out) < len(toks) {
		out = make([]Tagged, len(toks))
	}
	out = out[:len(toks)]
	var feats [NumStatic]uint64
	prev, prev2 := O, O
	for i := range toks {
		if i&4095 == 4095 && ctx != nil {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		t, tp, tp2, tn, tn2 := around(toks, i)
		w := &words[t.word]
		if !w.ready {
			tb.fill(w.cachedWord, t)
		}
		s := w.own
		// the neighbours' keys (keyAs: prev, next, prev2, next2)
		tb.addAs(&s, words, tp, 0)
		tb.addAs(&s, words, tn, 1)
		tb.addAs(&s, words, tp2, 2)
		tb.addAs(&s, words, tn2, 3)
		neighbourFeatures(t, tp, tn, feats[:])
		if lk := 1 + 3*b2u8(t.lineStart) + t.lineCase; w.lineKey == lk {
			addSum(&s, &w.line)
		} else {
			var line sum
			lineOf(t, feats[:])
			for _, k := range lineFeatures {
				tb.add(&line, feats[k])
			}
			w.lineKey, w.line = lk, line
			addSum(&s, &line)
		}
		// perToken, written out
		tb.add(&s, feats[7])
		tb.add(&s, feats[8])
		tb.add(&s, feats[15])
		tb.add(&s, feats[16])
		tb.add(&s, feats[18])
		tb.add(&s, feats[24])
		tb.add(&s, feats[25])
		tb.add(&s, feats[26])
		if t.label == 0 && t.labelDist == 0 {
			addSum(&s, &tb.noLabel)
		} else {
			labelOf(t, feats[:])
			tb.add(&s, feats[20])
			tb.add(&s, feats[21])
		}
		addSum(&s, &tb.pair[prev][prev2])
		fKey, fShape := tagWord(t, prev)
		if prev != O {
			tb.add(&s, fKey)
		} else if w.hasAfterO {
			addSum(&s, &w.afterO)
		} else {
			tb.add(&w.afterO, fKey)
			w.hasAfterO = true
			addSum(&s, &w.afterO)
		}
		tb.add(&s, fShape)
		// the best entity tag among the legal ones after prev, in the
		// order of the tags (the first of equals wins), and the best tag:
		// O unless the best entity tag scores more (O comes first)
		v := s.scores() // the sums plus one amount: compared and subtracted
		lg := &legalAfter[prev]
		bestEnt := lg.tags[0]
		for _, tag := range lg.tags[1:lg.n] {
			if v[tag] > v[bestEnt] {
				bestEnt = tag
			}
		}
		best := O
		if v[bestEnt] > v[O] {
			best = bestEnt
		}
		d := v[bestEnt] - v[O]
		out[i] = Tagged{Start: t.Start, End: t.End, Tag: best, P: tb.prob(m, d), Margin: float32(d) * m.scale, Best: bestEnt}
		prev2, prev = prev, best
	}
	return out, nil
}

// addAs adds to s the sums of nb's key as the neighbour in position k of
// keyAs (none's beyond a line or the text), summing those of nb's word
// first if its tokens came no earlier.
func (tb *tables) addAs(s *sum, words []word, nb *Token, k int) {
	if nb == none {
		addSum(s, &tb.none[k])
		return
	}
	nw := &words[nb.word]
	if !nw.ready {
		tb.fill(nw.cachedWord, nb)
	}
	addSum(s, &nw.as[k])
}

// legalTags are the entity tags that may follow a tag (Legal), in
// ascending order.
type legalTags struct {
	tags [NumTags - 1]int
	n    int
}

// legalAfter[prev] are the entity tags Legal after prev.
var legalAfter = func() (l [NumTags]legalTags) {
	for prev := range l {
		for tag := 1; tag < NumTags; tag++ {
			if Legal(prev, tag) {
				l[prev].tags[l[prev].n] = tag
				l[prev].n++
			}
		}
	}
	return l
}()

// tokenPool holds token buffers for Tag (a text's tokens are not kept:
// allocating and clearing them anew was a fifth of Tag's time); a buffer
// larger than maxPooled tokens (a long text's) is left to the collector.
var tokenPool = sync.Pool{New: func() any { return new([]Token) }}

const maxPooled = 1 << 16

// taggedPool holds the buffers of the refiners' tagged tokens, which
// they read only while they refine (a buffer of more than maxPooled
// tokens is left to the collector).
var taggedPool = sync.Pool{New: func() any { return new([]Tagged) }}

// tagPooled is Tag into a pooled buffer; release returns it to the pool,
// after which tagged must not be read.
func (m *Model) tagPooled(ctx context.Context, text string) (tagged []Tagged, release func(), err error) {
	buf := taggedPool.Get().(*[]Tagged)
	tagged, err = m.tagInto(ctx, text, *buf)
	return tagged, func() {
		if cap(tagged) <= maxPooled {
			*buf = tagged[:0]
			taggedPool.Put(buf)
		}
	}, err
}

func b2u8(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// neighbour is the offset of the token in each position of keyAs.
var neighbour = [4]int{-1, 1, -2, 2}

// prob is the calibrated probability for a margin.
func (m *Model) prob(margin float32) float64 {
	return 1 / (1 + math.Exp(-float64(m.A*margin+m.B)))
}

// Spans returns the entities of tagged tokens: runs of a B- tag and its
// I- tags, each as a finding covering its first to its last word with the
// mean probability of its words as score.
func Spans(toks []Tagged, rule string) []ner.Finding {
	var out []ner.Finding
	for i := 0; i < len(toks); {
		t := toks[i].Tag
		if t == O {
			i++
			continue
		}
		j := i + 1
		sum := toks[i].P
		for j < len(toks) && toks[j].Tag == Inside(t) {
			sum += toks[j].P
			j++
		}
		out = append(out, ner.Finding{Start: toks[i].Start, End: toks[j-1].End, Entity: TagEntity[t],
			Score: sum / float64(j-i), Rule: rule + "/" + ruleName[TagEntity[t]]})
		i = j
	}
	return out
}

var ruleName = map[ner.Entity]string{ner.Person: "person", ner.Location: "location", ner.Organization: "organization", ner.Date: "date"}
