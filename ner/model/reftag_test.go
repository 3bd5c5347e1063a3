package model

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
)

// refTag is Tag as it was before it summed recurring groups of features
// once (session 30, scores.go): every token's feature hashes written by
// refStatic and refHistory (verbatim copies of session 29's Static and
// History, which the shipped weights were trained with), and their
// weights read from the whole table, bucket by bucket. It is the
// definition Tag must keep: TestTagSameAsReference and
// FuzzTagSameAsReference compare the two, and TestStaticSameAsReference
// the trainer's Static and History with the copies.
func refTag(ctx context.Context, m *Model, text string) []Tagged {
	toks := freshTokens(ctx, text)
	out := make([]Tagged, len(toks))
	var feats [NumFeatures]uint64
	mask := uint64(1)<<m.bits - 1
	prev, prev2 := O, O
	for i := range toks {
		refStatic(toks, i, feats[:NumStatic])
		refHistory(toks, i, prev, prev2, feats[NumStatic:])
		var s [NumTags]int32
		for _, f := range feats {
			b := f >> (64 - m.bits) & mask
			for t := range s {
				s[t] += int32(m.w[int(b)*NumTags+t])
			}
		}
		best, bestEnt := O, -1
		for t := 1; t < NumTags; t++ {
			if !Legal(prev, t) {
				continue
			}
			if bestEnt < 0 || s[t] > s[bestEnt] {
				bestEnt = t
			}
			if s[t] > s[best] {
				best = t
			}
		}
		margin := float32(s[bestEnt]-s[O]) * m.scale
		out[i] = Tagged{Start: toks[i].Start, End: toks[i].End, Tag: best, P: m.prob(margin), Margin: margin, Best: bestEnt}
		prev2, prev = prev, best
	}
	return out
}

// freshTokens is tokenizeIn with every token's own features computed
// from its word, not copied from the word's first token.
func freshTokens(ctx context.Context, text string) []Token {
	tz := tokenizer{fresh: true}
	if ctx != nil {
		tz.words, tz.flags = gazetteer.WordsOf(ctx, text)
	}
	toks := tz.tokenize(text)
	refRepeats(text, toks)
	return toks
}

// refRepeats is session 29's repeats, verbatim but for its name: the
// document features by a map of keys.
func refRepeats(text string, toks []Token) {
	type seen struct {
		n      uint8
		capMid bool
	}
	m := make(map[uint64]seen, len(toks)/2+1)
	for i := range toks {
		t := &toks[i]
		s := m[t.key]
		if s.n < 2 {
			s.n++
		}
		c, _ := utf8.DecodeRuneInString(text[t.Start:])
		if unicode.IsUpper(c) && !t.lineStart && t.gapBefore&(gapPeriod|gapColon|gapQuote|gapOpen) == 0 && t.lineCase != 1 {
			s.capMid = true
		}
		m[t.key] = s
	}
	for i := range toks {
		s := m[toks[i].key]
		toks[i].repeats = s.n > 1
		toks[i].capMid = s.capMid
	}
}

// refLineCase is session 29's case of a line: every letter counted.
func refLineCase(line string) uint8 {
	up, lo := 0, 0
	for _, r := range line {
		if unicode.IsUpper(r) {
			up++
		} else if unicode.IsLower(r) {
			lo++
		}
	}
	var lc uint8
	switch {
	case lo == 0 && up >= 3:
		lc = 1
	case up == 0 && lo > 0:
		lc = 2
	}
	return lc
}

func FuzzLineCase(f *testing.F) {
	for _, s := range []string{"", "ABC", "AB", "abc", "Ab", "ÉCOLE DE LÓDŹ", "ⒶⒷⒸ x", "ǅ", "12 ÀÉ", "ß STRASSE", "\xff\xfeAB C"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if got, want := lineCaseOf(lineLetters(line)), refLineCase(line); got != want {
			t.Fatalf("%q: line case %d, every letter counted %d", line, got, want)
		}
	})
}

// TestTokensOfSeenWordsAsComputed: a word seen before gets the very
// features computing them again gives.
func TestTokensOfSeenWordsAsComputed(t *testing.T) {
	for _, text := range tagCorpus(rand.New(rand.NewSource(31)), 100) {
		for _, ctx := range []context.Context{nil, ner.WithShared(context.Background(), text)} {
			if got, want := tokenizeIn(ctx, text), freshTokens(ctx, text); !reflect.DeepEqual(got, want) {
				t.Fatalf("%.80q: tokens of seen words differ from computed ones", text)
			}
		}
	}
}

// sameTagged reports the first token where got and want differ, in every
// field and to the bit (P and Margin included).
func sameTagged(got, want []Tagged) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d tokens, reference %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			return fmt.Errorf("token %d: %+v, reference %+v", i, got[i], want[i])
		}
	}
	return nil
}

// tagCorpus is invented text of the kinds Veil reads, plus text built to
// break memos: one word in several casings, label lines, lines in capitals
// and in lower case, repeated words at line ends, diacritics and scripts
// without case.
func tagCorpus(r *rand.Rand, n int) []string {
	words := []string{"Orsolya", "Quillanby", "Tamsin", "Everard", "the", "applicant", "was", "seen", "by", "Dr", "Mr",
		"Ms", "on", "in", "court", "hospital", "Tärnowa", "Łóźwa", "José", "O", "Varrick", "ward", "3B", "2024", "12", "x",
		"a", "I", "Harbour", "Road", "Ltd", "LLP", "pt", "daughter", "called", "lasix", "40mg", "Hiroko", "Tanabe",
		"Lindqvist", "서울", "東京", "Ѕmith", "ﬁnn", "Éire", "straße", "İlvaskorne", "v", "Kowalczyk", "Mäntyranta", "Name",
		"Address", "DOB", "Tel", "Plovdiv", "Brankovski"}
	seps := []string{" ", " ", " ", ", ", ". ", ": ", "\n", "\n\n", " - ", " (", ") ", "'", "’", "/", "", " “", "” ", "\u00a0", " — "}
	out := append([]string(nil), goldenTexts...)
	out = append(out, "", "x", "Name:", "NAME: TAMSIN EVERARD\nName: Tamsin Everard\nname: tamsin everard\n",
		strings.Repeat("Quillanby quillanby QUILLANBY. ", 50))
	for k := 0; k < n; k++ {
		var b strings.Builder
		for j := r.Intn(400); j > 0; j-- {
			w := words[r.Intn(len(words))]
			switch r.Intn(8) {
			case 0:
				w = strings.ToUpper(w)
			case 1:
				w = strings.ToLower(w)
			}
			b.WriteString(w)
			b.WriteString(seps[r.Intn(len(seps))])
		}
		out = append(out, b.String())
	}
	return out
}

func TestTagSameAsReference(t *testing.T) {
	m := loadShipped(t)
	r := rand.New(rand.NewSource(30))
	for _, text := range tagCorpus(r, 300) {
		for _, ctx := range []context.Context{nil, ner.WithShared(context.Background(), text)} {
			got, err := m.Tag(ctx, text)
			if err != nil {
				t.Fatal(err)
			}
			if err := sameTagged(got, refTag(ctx, m, text)); err != nil {
				t.Fatalf("%.80q: %v", text, err)
			}
		}
	}
	// a small random model: every bucket holds weights, so every memo
	// and table is exercised on rows the shipped model leaves empty
	w := make([]float32, (1<<10)*NumTags)
	for i := range w {
		w[i] = r.Float32()*2 - 1
	}
	small := New("random", 10, w, 0.5, -1)
	for _, text := range tagCorpus(r, 100) {
		got, err := small.Tag(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		if err := sameTagged(got, refTag(context.Background(), small, text)); err != nil {
			t.Fatalf("random model, %.80q: %v", text, err)
		}
	}
}

// TestStaticSameAsReference: the trainer's features (Static, History) are
// session 29's, hash for hash.
func TestStaticSameAsReference(t *testing.T) {
	r := rand.New(rand.NewSource(29))
	for _, text := range tagCorpus(r, 50) {
		toks := Tokenize(text)
		for i := range toks {
			var got, want [NumFeatures]uint64
			Static(toks, i, got[:NumStatic])
			refStatic(toks, i, want[:NumStatic])
			p, p2 := r.Intn(NumTags), r.Intn(NumTags)
			History(toks, i, p, p2, got[NumStatic:])
			refHistory(toks, i, p, p2, want[NumStatic:])
			if got != want {
				t.Fatalf("%.80q token %d: features differ from the reference", text, i)
			}
		}
	}
}

func FuzzTagSameAsReference(f *testing.F) {
	for _, s := range tagCorpus(rand.New(rand.NewSource(1)), 5) {
		f.Add(s)
	}
	f.Add("Ł\u0301óźwa\u00a0O’Varrick — 'x' \x00\xff")
	m := loadShipped(f)
	f.Fuzz(func(t *testing.T, text string) { // invalid UTF-8 too
		got, err := m.Tag(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		if err := sameTagged(got, refTag(context.Background(), m, text)); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkRefTag is BenchmarkTag's text through the reference.
func BenchmarkRefTag(b *testing.B) {
	m := loadShipped(b)
	text := strings.Repeat(strings.Join(goldenTexts, "\n")+"\n", 200)
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		refTag(context.Background(), m, text)
	}
}

// refStatic is Static as session 29 wrote it, verbatim: it writes the static feature hashes of token i into out
// (len NumStatic).
func refStatic(toks []Token, i int, out []uint64) {
	t := &toks[i]
	var prev, next, prev2, next2 *Token
	none := &Token{key: 1, shape: 1, gapBefore: 0xffff}
	prev, prev2, next, next2 = none, none, none, none
	if i > 0 {
		prev = &toks[i-1]
		if i > 1 {
			prev2 = &toks[i-2]
		}
	}
	if i+1 < len(toks) {
		next = &toks[i+1]
		if i+2 < len(toks) {
			next2 = &toks[i+2]
		}
	}
	// the previous word across a line break is not context
	if t.lineStart && i > 0 {
		prev, prev2 = none, none
	}
	if next.lineStart {
		next, next2 = none, none
	} else if next2.lineStart {
		next2 = none
	}
	b2u := func(b bool) uint64 {
		if b {
			return 1
		}
		return 0
	}
	out[0] = mix(fBias, 0)
	out[1] = mix(fKey, t.key)
	out[2] = mix(fKeyPrev, prev.key)
	out[3] = mix(fKeyNext, next.key)
	out[4] = mix(fKeyPrev2, prev2.key)
	out[5] = mix(fKeyNext2, next2.key)
	out[6] = mix(fShape, t.shape)
	out[7] = mix(fShapePrevCur, prev.shape*31+t.shape)
	out[8] = mix(fShapeCurNext, t.shape*31+next.shape)
	out[9] = mix(fPre2, t.pre2)
	out[10] = mix(fPre3, t.pre3)
	out[11] = mix(fSuf2, t.suf2)
	out[12] = mix(fSuf3, t.suf3)
	out[13] = mix(fSuf4, t.suf4)
	out[14] = mix(fFlags, uint64(t.flags))
	out[15] = mix(fFlagsPrev, uint64(prev.flags)|uint64(prev.gapBefore)<<8)
	out[16] = mix(fFlagsNext, uint64(next.flags)|uint64(next.gapBefore)<<8)
	out[17] = mix(fFlagsShape, uint64(t.flags)<<32^t.shape^uint64(t.lineCase)<<40)
	out[18] = mix(fGaps, uint64(t.gapBefore)|uint64(next.gapBefore)<<16)
	out[19] = mix(fLineShape, b2u(t.lineStart)|uint64(t.lineCase)<<1|t.shape<<4)
	out[20] = mix(fLabel, t.label)
	out[21] = mix(fLabelDist, t.label^uint64(t.labelDist)<<56)
	out[22] = mix(fRepeat, b2u(t.capMid)|b2u(t.repeats)<<1|uint64(t.lineCase)<<2|t.shape<<4)
	out[23] = mix(fLenShape, uint64(t.lenBucket)|t.shape<<4)
	out[24] = mix(fKeyPrevCur, prev.key*31+t.key)
	out[25] = mix(fFlagsPrevCur, uint64(prev.flags)<<8|uint64(t.flags)|uint64(next.flags)<<16)
	out[26] = mix(fInitialNext, b2u(t.initial)|b2u(next.initial)<<1|uint64(next.flags)<<2|uint64(next.gapBefore)<<10)
}

// refHistory is History as session 29 wrote it: it writes the tag-history features of token i into out (len 4).
func refHistory(toks []Token, i int, prev, prev2 int, out []uint64) {
	t := &toks[i]
	out[0] = mix(fTagPrev, uint64(prev))
	out[1] = mix(fTagPrev2, uint64(prev)|uint64(prev2)<<8)
	out[2] = mix(fTagPrevKey, uint64(prev)^t.key<<8)
	out[3] = mix(fTagPrevShape, uint64(prev)^t.shape<<8^uint64(t.gapBefore)<<48)
}

// TestTagCacheSameAsReference: Tag over texts whose words earlier texts
// had (the cache of words, cache.go), with and without a chain's words,
// and with a cache that starts again empty every few words (within a
// text too), gives what computing every word afresh gives.
func TestTagCacheSameAsReference(t *testing.T) {
	m := loadShipped(t)
	texts := tagCorpus(rand.New(rand.NewSource(34)), 120)
	texts = append(texts, "Orsolya Quillanby\nORSOLYA QUILLANBY, orsolya quillanby: Quillanby-Everard",
		"Tamsin Everard (617) 555-0143, MRN 48213907; Everard’s Tärnowa office")
	defer func(n int) { maxCached = n }(maxCached)
	for _, bound := range []int{1 << 15, 37, 1} {
		maxCached = bound
		for round := 0; round < 2; round++ {
			for i, text := range texts {
				var ctx context.Context
				if (i+round)%2 == 0 {
					ctx = ner.WithShared(context.Background(), text)
				}
				got, err := m.Tag(ctx, text)
				if err != nil {
					t.Fatal(err)
				}
				if err := sameTagged(got, refTag(ctx, m, text)); err != nil {
					t.Fatalf("bound %d, round %d: %.80q: %v", bound, round, text, err)
				}
			}
		}
	}
}

// FuzzTagCacheSameAsReference: the second of two texts, tagged after the
// first (whose words it may share, written the same or not), as computed
// afresh.
func FuzzTagCacheSameAsReference(f *testing.F) {
	f.Add("Orsolya Quillanby saw Dr Everard.", "Dr Everard saw ORSOLYA Quillanby’s son", true)
	f.Add("Ł\u0301óźwa O’Varrick", "óźwa\u00a0O’Varrick — 'x' \x00\xff", false)
	m := loadShipped(f)
	f.Fuzz(func(t *testing.T, first, second string, shared bool) {
		for _, text := range []string{first, second} {
			var ctx context.Context
			if shared {
				ctx = ner.WithShared(context.Background(), text)
			}
			got, err := m.Tag(ctx, text)
			if err != nil {
				t.Fatal(err)
			}
			if err := sameTagged(got, refTag(ctx, m, text)); err != nil {
				t.Fatalf("%.80q: %v", text, err)
			}
			shared = !shared
		}
	})
}
