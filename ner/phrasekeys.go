package ner

import "github.com/veilhq/veil/ner/textform"

// Keys is the set of the comparison keys (Word.Key) of the words of a
// text and of its view (textform.Of): every match PhraseMatcher.FindAll
// returns in that text is a phrase made of these keys only. It lets a
// caller that searches one text for several sets of phrases (verify, the
// removed values of each file over the entries a batch's files share) cut
// the text into words once.
type Keys map[string]struct{}

// KeysOf returns the keys of the words of text and of its view.
func KeysOf(text string) Keys {
	ks := Keys{}
	add := func(s string) {
		for i := 0; ; {
			w, next, ok := nextWord(s, i)
			if !ok {
				return
			}
			ks[w.Key] = struct{}{}
			i = next
		}
	}
	add(text)
	if v := textform.Of(text); v.Changed() {
		add(v.Text)
	}
	return ks
}

// MayMatch reports whether some phrase of m is made of keys of ks only.
// When it is false, FindAll finds nothing in a text whose KeysOf is ks: a
// match is a phrase whose every key is the key of a word of the text or
// of its view. (True does not mean that FindAll finds something: the
// words may be apart, or in another order.)
func (m *PhraseMatcher) MayMatch(ks Keys) bool {
	for _, p := range m.phrases {
		if len(p.Keys) == 0 {
			continue
		}
		if p.Digits {
			// a match begins with a word whose key is a prefix of the
			// number's digits
			for n := 1; n <= len(p.Keys[0]); n++ {
				if _, ok := ks[p.Keys[0][:n]]; ok {
					return true
				}
			}
			continue
		}
		all := true
		for _, k := range p.Keys {
			if _, ok := ks[k]; !ok {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}
