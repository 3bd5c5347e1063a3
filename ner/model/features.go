package model

import (
	"context"
	"slices"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
)

// Token is a word of a text as the model sees it: a maximal run of
// letters, marks and digits (ner.Words' rule), with what its features
// need. Punctuation is not a token; it is the gap between tokens.
type Token struct {
	// Start and End are byte offsets of the word in the text.
	Start, End int
	key        uint64 // hash of the folded word (lower case, no diacritics)
	shape      uint64 // hash of the collapsed shape ("Xx", "X", "dd-d")
	pre2, pre3 uint64
	suf2, suf3 uint64
	suf4       uint64
	flags      gazetteer.Flags
	gapBefore  uint16 // kinds of punctuation between the previous word and this one
	lineStart  bool   // the first word of its line
	lineCase   uint8  // 0 mixed, 1 every letter of the line upper case, 2 lower case
	label      uint64 // hash of the "Label:" word that opens the line before this word, or 0
	labelDist  uint8  // words since that label (capped)
	capMid     bool   // the word also occurs capitalised inside a line elsewhere in the text
	repeats    bool   // the word occurs more than once in the text
	lenBucket  uint8
	initial    bool  // a single upper-case letter
	word       int32 // the number of the word as written among the text's distinct words (tokenizer.seen)
}

// copyWord sets t's own features (tokenizer.word's) to those of f, a token
// of the same word as written.
func (t *Token) copyWord(f *Token) {
	t.key, t.shape = f.key, f.shape
	t.pre2, t.pre3, t.suf2, t.suf3, t.suf4 = f.pre2, f.pre3, f.suf2, f.suf3, f.suf4
	t.flags, t.lenBucket, t.initial, t.word = f.flags, f.lenBucket, f.initial, f.word
}

// gap kinds (bits of Token.gapBefore)
const (
	gapNewline = 1 << iota
	gapBlankLine
	gapColon
	gapPeriod
	gapComma
	gapOpen  // ( [ {
	gapClose // ) ] }
	gapDash
	gapSlash
	gapApos
	gapQuote
	gapOther
	gapNone // no space between the words ("O'Varrick" has gapApos|gapNone)
)

// fnv-1a, 64 bit
const (
	offset64 = 14695981039346656037
	prime64  = 1099511628211
)

func hashBytes(b []byte) uint64 {
	h := uint64(offset64)
	for _, c := range b {
		h ^= uint64(c)
		h *= prime64
	}
	return h
}

// mix combines a feature template with a value into a well-spread hash.
func mix(tpl, v uint64) uint64 {
	h := v ^ (tpl * 0x9E3779B97F4A7C15)
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// tokenizer holds the scratch space of one text.
type tokenizer struct {
	key   []byte
	shape []byte
	runes []rune
	// words, if not nil, are the text's words as the chain's other
	// passes looked them up (gazetteer.WordsOf); next is the first
	// not yet passed.
	words []ner.Word
	flags []gazetteer.Flags
	next  int
	// seen numbers the distinct words (as written) in their order of
	// first occurrence; first[n] is the first token of word n. A word's
	// own features are a function of how it is written (the chain's list
	// flags of an ASCII word are the lists' flags of its lower case), so
	// a word seen before takes them from its first token.
	seen  *seenTable
	first []int32
	// slot[n] numbers word n's key among the distinct keys (keys of
	// them): the words of a key ("Smith", "SMITH") share the document
	// features of repeats.
	slot    []int32
	keySlot *keyTable
	keys    int32
	// buf, if large enough, holds the tokens (Tag's pool).
	buf []Token
	// cache, if not nil, holds the own features of the words earlier
	// texts had (Tag's, per model); cached[n] is word n's entry.
	cache  *wordCache
	cached []*cachedWord
	// fresh computes every token's own features, seen or not (the
	// reference of the tests).
	fresh bool
}

// Tokenize splits text into the model's tokens and computes every feature
// that does not depend on the tags. It is linear in len(text).
func Tokenize(text string) []Token {
	var tz tokenizer
	return tz.tokenize(text)
}

// tokenizeIn is Tokenize in a pass of a chain: an ASCII word the chain's
// other passes looked up in the word lists (gazetteer.WordsOf, the same
// span and so the same lower-case key) is not looked up again.
func tokenizeIn(ctx context.Context, text string) []Token {
	return tokenizeInto(ctx, text, nil)
}

// tokenizeInto is tokenizeIn appending to buf[:0] (a buffer of an
// earlier text, whose tokens are overwritten) when it is large enough.
func tokenizeInto(ctx context.Context, text string, buf []Token) []Token {
	tz := tokenizer{buf: buf}
	if ctx != nil {
		tz.words, tz.flags = gazetteer.WordsOf(ctx, text)
	}
	return tz.tokenize(text)
}

// sharedFlags returns the flags of the ASCII word text[start:end] if the
// chain's passes looked it up.
func (tz *tokenizer) sharedFlags(start, end int) (gazetteer.Flags, bool) {
	for tz.next < len(tz.words) && tz.words[tz.next].Start < start {
		tz.next++
	}
	if tz.next < len(tz.words) {
		if w := &tz.words[tz.next]; w.Start == start && w.End == end {
			return tz.flags[tz.next], true
		}
	}
	return 0, false
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func (tz *tokenizer) tokenize(text string) []Token {
	toks := tz.buf[:0]
	if cap(toks) < len(text)/6+1 {
		toks = make([]Token, 0, len(text)/6+1)
	}
	if c := tz.cache; c != nil { // the tables and buffers of the worker's earlier texts
		tz.seen, tz.keySlot = &c.seen, &c.keys
		tz.first, tz.slot, tz.cached = c.first[:0], c.slot[:0], c.cached[:0]
	} else {
		tz.seen, tz.keySlot = new(seenTable), new(keyTable)
	}
	tz.seen.reset(len(text))
	tz.keySlot.reset(len(text))
	i := 0
	prevEnd := 0
	for i < len(text) {
		// skip to the next word
		c := text[i]
		if c < utf8.RuneSelf {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				i++
				continue
			}
		} else if r, n := utf8.DecodeRuneInString(text[i:]); !isWordRune(r) {
			i += n
			continue
		}
		start := i
		ascii := true
		h := uint64(offset64) // fnv-1a of the word's bytes, for seen
		for i < len(text) {
			c := text[i]
			if c < utf8.RuneSelf {
				if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
					h ^= uint64(c)
					h *= prime64
					i++
					continue
				}
				break
			}
			r, n := utf8.DecodeRuneInString(text[i:])
			if !isWordRune(r) {
				break
			}
			ascii = false
			for k := i; k < i+n; k++ {
				h ^= uint64(text[k])
				h *= prime64
			}
			i += n
		}
		toks = append(toks, Token{Start: start, End: i, gapBefore: gapKinds(text[prevEnd:start], len(toks) == 0)})
		t := &toks[len(toks)-1]
		n, at, ok := tz.seen.find(text, start, i, h)
		if ok && !tz.fresh {
			t.copyWord(&toks[tz.first[n]])
		} else if ok {
			tz.word(t, text[start:i], ascii)
			t.word = n
		} else {
			if tz.cache == nil {
				tz.word(t, text[start:i], ascii)
			} else if c := tz.cache.find(text[start:i], h); c != nil {
				t.copyWord(&c.tok)
				tz.cached = append(tz.cached, c)
			} else {
				tz.word(t, text[start:i], ascii)
				tz.cached = append(tz.cached, tz.cache.add(text[start:i], h, t))
			}
			t.word = int32(len(tz.first))
			tz.seen.insert(at, h, start, i, t.word)
			tz.first = append(tz.first, int32(len(toks)-1))
			k, added := tz.keySlot.slot(t.key, tz.keys)
			if added {
				tz.keys++
			}
			tz.slot = append(tz.slot, k)
		}
		prevEnd = i
	}
	tz.lines(text, toks)
	tz.repeats(text, toks)
	return toks
}

// gapKinds classifies the text between two words.
func gapKinds(gap string, first bool) uint16 {
	var k uint16
	if gap == "" && !first {
		return gapNone
	}
	nl := 0
	for i := 0; i < len(gap); i++ {
		switch gap[i] {
		case '\n':
			nl++
			k |= gapNewline
		case ' ', '\t', '\r':
		case ':':
			k |= gapColon
		case '.':
			k |= gapPeriod
		case ',', ';':
			k |= gapComma
		case '(', '[', '{':
			k |= gapOpen
		case ')', ']', '}':
			k |= gapClose
		case '-':
			k |= gapDash
		case '/':
			k |= gapSlash
		case '\'':
			k |= gapApos
		case '"':
			k |= gapQuote
		default:
			if gap[i] >= utf8.RuneSelf {
				r, n := utf8.DecodeRuneInString(gap[i:])
				i += n - 1
				switch r {
				case '’', '‘':
					k |= gapApos
				case '“', '”', '«', '»', '„':
					k |= gapQuote
				case '–', '—':
					k |= gapDash
				case '\u00a0', '\u2009', '\u202f':
				default:
					k |= gapOther
				}
			} else {
				k |= gapOther
			}
		}
	}
	if nl > 1 {
		k |= gapBlankLine
	}
	if len(gap) == 1 && k != 0 && !first {
		k |= gapNone // punctuation glued to both words
	}
	return k
}

// word computes a token's own features.
func (tz *tokenizer) word(t *Token, w string, ascii bool) {
	tz.key = tz.key[:0]
	tz.shape = tz.shape[:0]
	upper, lower, digit := 0, 0, 0
	if ascii {
		for i := 0; i < len(w); i++ {
			c := w[i]
			var s byte
			switch {
			case c >= 'A' && c <= 'Z':
				upper++
				s = 'X'
				c += 'a' - 'A'
			case c >= 'a' && c <= 'z':
				lower++
				s = 'x'
			default:
				digit++
				s = 'd'
			}
			tz.key = append(tz.key, c)
			tz.addShape(s)
		}
	} else {
		for _, r := range w {
			switch {
			case unicode.IsUpper(r):
				upper++
				tz.addShape('X')
			case unicode.IsLower(r):
				lower++
				tz.addShape('x')
			case unicode.IsDigit(r):
				digit++
				tz.addShape('d')
			case unicode.Is(unicode.Mn, r):
			default:
				tz.addShape('x') // letters without case (Korean, Chinese)
				lower++
			}
		}
		for _, r := range norm.NFKD.String(w) {
			if unicode.Is(unicode.Mn, r) {
				continue
			}
			tz.key = utf8.AppendRune(tz.key, unicode.ToLower(r))
		}
	}
	t.key = hashBytes(tz.key)
	t.shape = hashBytes(tz.shape)
	if f, ok := tz.sharedFlags(t.Start, t.End); ok && ascii {
		t.flags = f // ner.Words' key of an ASCII word is its lower case, as tz.key
	} else {
		t.flags = gazetteer.LookupBytes(tz.key)
	}
	t.initial = upper == 1 && lower == 0 && digit == 0
	// affixes by runes of the key
	tz.runes = tz.runes[:0]
	for _, r := range string(tz.key) {
		tz.runes = append(tz.runes, r)
	}
	n := len(tz.runes)
	t.pre2, t.pre3 = affix(tz.runes, 0, 2), affix(tz.runes, 0, 3)
	t.suf2, t.suf3, t.suf4 = affix(tz.runes, n-2, n), affix(tz.runes, n-3, n), affix(tz.runes, n-4, n)
	switch {
	case n <= 1:
		t.lenBucket = 1
	case n <= 3:
		t.lenBucket = 2
	case n <= 6:
		t.lenBucket = 3
	case n <= 10:
		t.lenBucket = 4
	default:
		t.lenBucket = 5
	}
}

func (tz *tokenizer) addShape(s byte) {
	n := len(tz.shape)
	if n >= 2 && tz.shape[n-1] == s && tz.shape[n-2] == s {
		return // runs collapse to two
	}
	if n >= 8 {
		return
	}
	tz.shape = append(tz.shape, s)
}

// affix hashes runes[i:j] (clipped); a word shorter than the affix has
// none (0).
func affix(runes []rune, i, j int) uint64 {
	if i < 0 || j > len(runes) || j-i >= len(runes) {
		return 0
	}
	h := uint64(offset64)
	for _, r := range runes[i:j] {
		h ^= uint64(r)
		h *= prime64
	}
	return h
}

// lines sets the line features: line start, the case of the line's
// letters, and the label of a "Label: value" line.
func (tz *tokenizer) lines(text string, toks []Token) {
	for s := 0; s < len(toks); {
		e := s + 1
		for e < len(toks) && toks[e].gapBefore&gapNewline == 0 {
			e++
		}
		lineStart := 0
		if s > 0 {
			lineStart = toks[s-1].End
		}
		lineEnd := len(text)
		if e < len(toks) {
			lineEnd = toks[e].Start
		}
		lc := lineCaseOf(lineLetters(text[lineStart:lineEnd]))
		toks[s].lineStart = true
		var label uint64
		var dist uint8
		for k := s; k < e; k++ {
			toks[k].lineCase = lc
			if label == 0 && k > s && k-s <= 3 && toks[k].gapBefore&gapColon != 0 {
				label = toks[k-1].key
				dist = 0
			}
			if label != 0 {
				dist++
				if dist > 4 {
					dist = 4
				}
				toks[k].label, toks[k].labelDist = label, dist
			}
		}
		s = e
	}
}

// lineCaseOf is a line's case from its counts of upper- and lower-case
// letters: 1 all in capitals (three at least), 2 all in lower case, 0
// mixed or without letters.
func lineCaseOf(up, lo int) uint8 {
	switch {
	case lo == 0 && up >= 3:
		return 1
	case up == 0 && lo > 0:
		return 2
	}
	return 0
}

// lineLetters counts the upper- and lower-case letters of line, or stops
// once it has seen both (a line of mixed case, whatever the counts).
func lineLetters(line string) (up, lo int) {
	for i := 0; i < len(line); {
		if c := line[i]; c < utf8.RuneSelf {
			switch {
			case c >= 'A' && c <= 'Z':
				up++
			case c >= 'a' && c <= 'z':
				lo++
			}
			i++
		} else {
			r, n := utf8.DecodeRuneInString(line[i:])
			if unicode.IsUpper(r) {
				up++
			} else if unicode.IsLower(r) {
				lo++
			}
			i += n
		}
		if up > 0 && lo > 0 {
			break
		}
	}
	return up, lo
}

// keySeen is what repeats counts of a key.
type keySeen struct {
	n      uint8
	capMid bool
}

// repeats sets the document features: whether a word occurs more than once
// and whether it occurs capitalised inside a line, not after a full stop
// (a capitalised word there is a name, not the start of a sentence).
func (tz *tokenizer) repeats(text string, toks []Token) {
	var m []keySeen
	if tz.cache != nil {
		m = tz.cache.keySeen[:0]
	}
	m = slices.Grow(m, int(tz.keys))[:tz.keys]
	clear(m)
	if tz.cache != nil && cap(m) <= maxPooled {
		tz.cache.keySeen = m[:0]
	}
	for i := range toks {
		t := &toks[i]
		s := &m[tz.slot[t.word]]
		if s.n < 2 {
			s.n++
		}
		var upper bool
		if c := text[t.Start]; c < utf8.RuneSelf {
			upper = c >= 'A' && c <= 'Z'
		} else {
			r, _ := utf8.DecodeRuneInString(text[t.Start:])
			upper = unicode.IsUpper(r)
		}
		if upper && !t.lineStart && t.gapBefore&(gapPeriod|gapColon|gapQuote|gapOpen) == 0 && t.lineCase != 1 {
			s.capMid = true
		}
	}
	for i := range toks {
		s := m[tz.slot[toks[i].word]]
		toks[i].repeats = s.n > 1
		toks[i].capMid = s.capMid
	}
}

// Feature templates. Changing the list or a template's meaning changes the
// model: bump Version and retrain.
const (
	fBias = iota + 1
	fKey
	fKeyPrev
	fKeyNext
	fKeyPrev2
	fKeyNext2
	fShape
	fShapePrevCur
	fShapeCurNext
	fPre2
	fPre3
	fSuf2
	fSuf3
	fSuf4
	fFlags
	fFlagsPrev
	fFlagsNext
	fFlagsShape
	fGaps
	fLineShape
	fLabel
	fLabelDist
	fRepeat
	fLenShape
	fKeyPrevCur
	fFlagsPrevCur
	fInitialNext
	// tag history
	fTagPrev
	fTagPrev2
	fTagPrevKey
	fTagPrevShape
)

// NumStatic is the number of features of a token that do not depend on
// the tags; NumFeatures adds the tag history.
const (
	NumStatic   = fInitialNext
	NumFeatures = NumStatic + 4
)

// Static writes the static feature hashes of token i into out
// (len NumStatic).
func Static(toks []Token, i int, out []uint64) {
	t, prev, prev2, next, next2 := around(toks, i)
	own(t, out)
	out[2] = mix(fKeyPrev, prev.key)
	out[3] = mix(fKeyNext, next.key)
	out[4] = mix(fKeyPrev2, prev2.key)
	out[5] = mix(fKeyNext2, next2.key)
	contextual(t, prev, next, out)
}

// none stands for a neighbour across a line break or beyond the text.
var none = &Token{key: 1, shape: 1, gapBefore: 0xffff}

// around returns token i and its context: the two words before and after
// it on its line (none beyond the line or the text).
func around(toks []Token, i int) (t, prev, prev2, next, next2 *Token) {
	t = &toks[i]
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
	return t, prev, prev2, next, next2
}

// ownFeatures are the indices of Static's out that own writes: functions
// of the word alone (its key, shape, affixes, list flags and length), the
// same wherever the word occurs.
var ownFeatures = [...]int{0, 1, 6, 9, 10, 11, 12, 13, 14, 23}

// contextFeatures are the indices of Static's out that contextual writes.
var contextFeatures = [...]int{7, 8, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26}

// own writes the features of t's word alone (ownFeatures).
func own(t *Token, out []uint64) {
	out[0] = mix(fBias, 0)
	out[1] = mix(fKey, t.key)
	out[6] = mix(fShape, t.shape)
	out[9] = mix(fPre2, t.pre2)
	out[10] = mix(fPre3, t.pre3)
	out[11] = mix(fSuf2, t.suf2)
	out[12] = mix(fSuf3, t.suf3)
	out[13] = mix(fSuf4, t.suf4)
	out[14] = mix(fFlags, uint64(t.flags))
	out[23] = mix(fLenShape, uint64(t.lenBucket)|t.shape<<4)
}

// contextual writes the features of t in its line and among its
// neighbours (contextFeatures): those of perToken, lineFeatures and the
// label's (Tag writes each group only when it sums it).
func contextual(t, prev, next *Token, out []uint64) {
	neighbourFeatures(t, prev, next, out)
	lineOf(t, out)
	labelOf(t, out)
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// neighbourFeatures writes the features of contextual that depend on
// t's neighbours (perToken's).
func neighbourFeatures(t, prev, next *Token, out []uint64) {
	out[7] = mix(fShapePrevCur, prev.shape*31+t.shape)
	out[8] = mix(fShapeCurNext, t.shape*31+next.shape)
	out[15] = mix(fFlagsPrev, uint64(prev.flags)|uint64(prev.gapBefore)<<8)
	out[16] = mix(fFlagsNext, uint64(next.flags)|uint64(next.gapBefore)<<8)
	out[18] = mix(fGaps, uint64(t.gapBefore)|uint64(next.gapBefore)<<16)
	out[24] = mix(fKeyPrevCur, prev.key*31+t.key)
	out[25] = mix(fFlagsPrevCur, uint64(prev.flags)<<8|uint64(t.flags)|uint64(next.flags)<<16)
	out[26] = mix(fInitialNext, b2u(t.initial)|b2u(next.initial)<<1|uint64(next.flags)<<2|uint64(next.gapBefore)<<10)
}

// lineOf writes the features of contextual that depend on t's word and
// its line's case and start (lineFeatures).
func lineOf(t *Token, out []uint64) {
	out[17] = mix(fFlagsShape, uint64(t.flags)<<32^t.shape^uint64(t.lineCase)<<40)
	out[19] = mix(fLineShape, b2u(t.lineStart)|uint64(t.lineCase)<<1|t.shape<<4)
	out[22] = mix(fRepeat, b2u(t.capMid)|b2u(t.repeats)<<1|uint64(t.lineCase)<<2|t.shape<<4)
}

// labelOf writes the label features of contextual (fLabel, fLabelDist).
func labelOf(t *Token, out []uint64) {
	out[20] = mix(fLabel, t.label)
	out[21] = mix(fLabelDist, t.label^uint64(t.labelDist)<<56)
}

// History writes the tag-history features of token i into out (len 4).
func History(toks []Token, i int, prev, prev2 int, out []uint64) {
	out[0], out[1] = tagPair(prev, prev2)
	out[2], out[3] = tagWord(&toks[i], prev)
}

// tagPair returns the history features of the previous two tags alone
// (History's first two).
func tagPair(prev, prev2 int) (uint64, uint64) {
	return mix(fTagPrev, uint64(prev)), mix(fTagPrev2, uint64(prev)|uint64(prev2)<<8)
}

// tagWord returns the history features of the previous tag with token t
// (History's last two): with t's key, and with t's shape and the gap
// before it.
func tagWord(t *Token, prev int) (uint64, uint64) {
	return mix(fTagPrevKey, uint64(prev)^t.key<<8), mix(fTagPrevShape, uint64(prev)^t.shape<<8^uint64(t.gapBefore)<<48)
}
