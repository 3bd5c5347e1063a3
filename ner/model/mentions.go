package model

import (
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner/gazetteer"
)

// Document features added with version 2 of the weights, kept apart from
// the tokeniser's per-word features: what the rest of the text says about
// a word (a name mentioned once in full is the same name when it recurs
// alone) and the section a line belongs to.

// named bits of Token.named
const (
	namedAfterTitle = 1 << iota // the word follows a title ("Dr", "Mrs") somewhere in the text
	namedAfterGiven             // the word follows a capitalised given name somewhere in the text
	namedBeforeLast             // the word, capitalised, precedes a capitalised word of the surname list
)

// titleKeys are the folded titles whose next word is a name.
var titleKeys = func() map[uint64]bool {
	m := map[uint64]bool{}
	for _, w := range []string{"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "judge", "justice", "nurse", "sister", "father", "rev", "madame", "mme", "herr", "frau", "senor", "señor", "sra", "sr"} {
		m[hashString(w)] = true
	}
	return m
}()

func hashString(s string) uint64 { return hashBytes([]byte(s)) }

// capital reports whether the word at t begins with an upper-case letter.
func capital(text string, t *Token) bool {
	r, _ := utf8.DecodeRuneInString(text[t.Start:])
	return unicode.IsUpper(r)
}

// mentions sets Token.named: for each word, where else in the text the
// same folded word stands as a name would (after a title, after a
// capitalised given name, before a capitalised surname). A word in lines
// of one case takes the evidence of the whole text, which is what lets a
// surname written alone, or in capitals, be read as the name it was.
func mentions(text string, toks []Token) {
	var m map[uint64]uint8
	mark := func(k uint64, b uint8) {
		if m == nil {
			m = make(map[uint64]uint8)
		}
		m[k] |= b
	}
	for i := 1; i < len(toks); i++ {
		t, p := &toks[i], &toks[i-1]
		if t.lineStart || t.gapBefore&(gapComma|gapColon|gapOpen|gapClose|gapQuote|gapBlankLine) != 0 {
			continue
		}
		if titleKeys[p.key] {
			mark(t.key, namedAfterTitle)
			continue
		}
		if p.lineCase != 0 || !capital(text, t) || !capital(text, p) {
			continue
		}
		if p.flags&gazetteer.First != 0 && !p.flags.Common() {
			mark(t.key, namedAfterGiven)
		}
		if t.flags&gazetteer.Last != 0 && !t.flags.Common() {
			mark(p.key, namedBeforeLast)
		}
	}
	if m == nil {
		return
	}
	for i := range toks {
		toks[i].named = m[toks[i].key]
	}
}

// sections sets Token.section: the first word of the last heading line
// before the word's line ("Social:", "FAMILY", "Plan:"), a line of at most
// four words that ends in a colon or is all in capitals, or 0.
func sections(toks []Token) {
	var cur uint64
	for s := 0; s < len(toks); {
		e := s + 1
		for e < len(toks) && toks[e].gapBefore&gapNewline == 0 {
			e++
		}
		for k := s; k < e; k++ {
			toks[k].section = cur
		}
		if e-s <= 4 {
			endsColon := e < len(toks) && toks[e].gapBefore&gapColon != 0
			if endsColon || toks[s].lineCase == 1 {
				cur = toks[s].key
			}
		}
		if e < len(toks) && toks[e].gapBefore&gapBlankLine != 0 && e-s > 4 {
			cur = 0
		}
		s = e
	}
}

// Version2 writes the version-2 document features of token i into out
// (len numV2).
func Version2(toks []Token, i int, out []uint64) {
	t := &toks[i]
	out[0] = mix(fNamed, uint64(t.named)|uint64(t.lineCase)<<4|t.shape<<8)
	out[1] = mix(fSection, t.section^t.shape<<1)
}

const numV2 = 2
