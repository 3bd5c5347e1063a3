package chain

import "github.com/veilhq/veil/ner/lexicon"

// editIndex answers oneEdit(w, s.Has) for a short list s without trying
// every typing error of w (about 54 lookups a letter): the words of s one
// error away from w share a deletion variant with w (the word less one
// byte, or the word itself), so the n+1 variants of w are looked up and
// the few words of s found under them are checked exactly.
//
// Why a word one error away shares a variant: a letter added to w (w is
// k less one byte) puts w among k's variants; a letter left out (k is w
// less one byte) puts k among w's; a letter changed at i leaves both
// less their byte i equal; two neighbours swapped at i, i+1 leave w less
// byte i equal to k less byte i+1.
//
// It answers for words written in ASCII without capitals (the keys the
// chain passes, in lower case, of most words), whose typing errors are
// ASCII without capitals too, so that s.Has of one is a lookup of its
// exact bytes among s's keys; other words go through oneEdit.
type editIndex struct {
	set      lexicon.Set
	variants map[string][]string // a variant, the keys of s that have it
}

func newEditIndex(s lexicon.Set) *editIndex {
	x := &editIndex{set: s, variants: map[string][]string{}}
	s.Each(func(k string) {
		if !lowerASCII(k) {
			return // never one error from a word lowerASCII accepts
		}
		x.add(k, k)
		for i := range len(k) {
			x.add(k[:i]+k[i+1:], k)
		}
	})
	return x
}

func (x *editIndex) add(v, k string) {
	for _, have := range x.variants[v] {
		if have == k {
			return
		}
	}
	x.variants[v] = append(x.variants[v], k)
}

// near is oneEdit(w, x.set.Has).
func (x *editIndex) near(w string) bool {
	if !lowerASCII(w) {
		return oneEdit(w, x.set.Has)
	}
	var buf [64]byte
	for i := -1; i < len(w); i++ {
		var ks []string
		switch {
		case i < 0:
			ks = x.variants[w]
		case len(w) <= len(buf):
			b := append(append(buf[:0], w[:i]...), w[i+1:]...)
			ks = x.variants[string(b)] // no string made for a map key
		default:
			ks = x.variants[w[:i]+w[i+1:]]
		}
		for _, k := range ks {
			if oneEditOf(w, k) {
				return true
			}
		}
	}
	return false
}

// lowerASCII reports whether w is ASCII without capital letters.
func lowerASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 0x80 || 'A' <= c && c <= 'Z' {
			return false
		}
	}
	return true
}

// oneEditOf reports whether k is one of the words oneEdit tries for w,
// both ASCII: w less one byte, w with two different neighbours swapped,
// w with a letter a-z added anywhere, or w with a byte changed to another
// letter a-z.
func oneEditOf(w, k string) bool {
	p := 0 // the bytes w and k begin with alike
	for p < len(w) && p < len(k) && w[p] == k[p] {
		p++
	}
	switch len(k) - len(w) {
	case -1: // a byte left out: the first difference is the one
		return w[p+1:] == k[p:]
	case 1: // a letter added; in a run of one letter, at its end
		return isAZ(k[p]) && k[p+1:] == w[p:]
	case 0:
		if p == len(w) {
			return false // w itself
		}
		if w[p+1:] == k[p+1:] {
			return isAZ(k[p]) // one byte changed
		}
		return p+1 < len(w) && w[p] == k[p+1] && w[p+1] == k[p] && w[p+2:] == k[p+2:]
	}
	return false
}

func isAZ(c byte) bool { return 'a' <= c && c <= 'z' }
