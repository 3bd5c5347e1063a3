package names

import "strings"

// maxGloss is the most words a gloss in brackets holds.
const maxGloss = 5

// glosses marks the words of the translations in brackets that follow an
// ordinary English phrase: judgments give the term of the original
// language after its English rendering ("an application to reopen the
// proceedings (Wiederaufnahmeantrag)", "a work permit
// (Arbeitsbewilligung)"). The English words before it are ordinary
// vocabulary, which identifies no one; so does their translation, which
// maximum recall would otherwise take for a name (a capitalised word in
// no list). The translation of a name is not a gloss: the name of a law
// after its English name ("the Aliens Act (Ausländergesetz)") was
// annotated as identifying on the tune part.
//
// A gloss is one to maxGloss words, on one line, closed by ')' right
// after its last word, with no digit, quotation mark or bracket inside
// and no capitalised word the name lists know as a given name or surname
// (a lower-case one is an ordinary word of the language: "den"); the word
// before the bracket is claimed by no finding and is a lower-case
// ordinary word that does not introduce a name (not a relative, a role, a
// trade, nor the head word of an organisation or place: "her brother
// (…)", "the company (…)").
func (d *run) glosses() []bool {
	toks := d.toks
	var out []bool
	for j := 1; j < len(toks); j++ {
		if strings.TrimSpace(d.text[toks[j-1].End:toks[j].Start]) != "(" || !d.glossBefore(j-1) {
			continue
		}
		last := -1
		for k := j; k < len(toks) && k-j < maxGloss; k++ {
			w := &toks[k]
			if w.numeric || w.Capital && w.strongName() {
				break
			}
			if k > j {
				if g := d.text[toks[k-1].End:w.Start]; strings.ContainsAny(g, "()[]\"“”„«»;:\n") || len(g) > 4 {
					break
				}
			}
			if strings.HasPrefix(d.text[w.End:], ")") {
				last = k
				break
			}
		}
		if last < 0 {
			continue
		}
		if out == nil {
			out = make([]bool, len(toks))
		}
		for k := j; k <= last; k++ {
			out[k] = true
		}
		j = last
	}
	return out
}

// glossBefore reports whether word p, right before a bracket, is one a
// gloss may follow (see glosses).
func (d *run) glossBefore(p int) bool {
	t := &d.toks[p]
	if d.claimed[p] || t.numeric {
		return false
	}
	return !t.Capital && !t.allCaps && t.common && !personContext[t.Key] && !trades[t.Key] && !orgHeads[t.Key] && !institutional[t.Key] && !stopWords[t.Key]
}
