package formattest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/veilhq/veil/redactors"
)

// Compare checks an output parsed again. in are the parts of the input,
// edits the edits that were applied to them, out the parts of the output.
// Parts the format sanitises (Options.Sanitised) or derives from others
// (Options.Derived) are left out of in and out, and the edits renumbered,
// before Compare sees them; edits never cover a rune the format keeps
// (Options.Kept). Compare returns nil when out
// is what the format promises, and otherwise an error that names parts by
// index and name, never by their text.
type Compare func(in []redactors.Part, edits []redactors.Edit, out []redactors.Part) error

// Exact is the contract of formats that splice the replacement into the
// text: out has the parts of in, with the same names in the same order,
// and the text of each is redactors.Splice of the input text with its
// edits. A part whose spliced text is only white space may be missing (a
// property emptied by its edit is not a part any more).
func Exact(in []redactors.Part, edits []redactors.Edit, out []redactors.Part) error {
	k := 0
	for i, p := range in {
		want := redactors.Splice(p.Text, redactors.EditsOf(edits, i))
		if k < len(out) && out[k].Name == p.Name && out[k].Text == want {
			k++
			continue
		}
		if strings.TrimSpace(want) == "" && (k >= len(out) || out[k].Name != p.Name) {
			continue // emptied and gone
		}
		if k >= len(out) {
			return fmt.Errorf("part %d (%s) is missing from the output", i, p.Name)
		}
		if out[k].Name != p.Name {
			return fmt.Errorf("part %d: output has %s where the input has %s", i, out[k].Name, p.Name)
		}
		return fmt.Errorf("part %d (%s): the output text differs from the reference splice %s", i, p.Name, diffAt(want, out[k].Text))
	}
	if k < len(out) {
		return fmt.Errorf("the output has %d parts more than the input, from %s", len(out)-k, out[k].Name)
	}
	return nil
}

// diffAt describes where two texts first differ, with a little context:
// test fixtures are invented, and the context is what makes a failure
// readable.
func diffAt(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	ctx := func(s string) string {
		a, b := max(0, i-30), min(len(s), i+30)
		return strings.ToValidUTF8(s[a:b], "?")
	}
	return fmt.Sprintf("at byte %d of %d wanted, %d got:\n\twant …%q…\n\t got …%q…", i, len(want), len(got), ctx(want), ctx(got))
}

// Redrawn is the contract of formats that remove what an edit covers and
// draw its replacement elsewhere, as a label (PDF: glyphs leave the
// content stream, an opaque box with the replacement as its label marks
// the place, and the page text is read again from the geometry). Compared
// on letters and digits only (layout decides spaces, line breaks and
// re-joined hyphenation): out has the parts of in with the same names in
// the same order, and the letters and digits of each are those of the
// text outside the edits, in order, interleaved with labels. A label is a
// contiguous prefix (possibly empty: an edit that covers no glyph draws
// none) of the letters and digits of an edit's Replacement; it may come
// more than once (each box of a value broken over lines carries it, and
// a key list repeats it) and in any order. A box too small for a legible
// label shows a key instead, a number no greater than the number of
// edits of the part, which the key list pairs with the label.
//
// One loss is allowed: up to two letters or digits of the word an edit
// starts or ends in, next to the edit, may be gone, since a glyph is
// removed whole and one glyph may read as several letters (the ligature
// "ffi" of "difficult", where an edit may end after "dif").
func Redrawn(in []redactors.Part, edits []redactors.Edit, out []redactors.Part) error {
	if len(in) != len(out) {
		return fmt.Errorf("%d parts in, %d out", len(in), len(out))
	}
	for i, p := range in {
		if out[i].Name != p.Name {
			return fmt.Errorf("part %d: output has %s where the input has %s", i, out[i].Name, p.Name)
		}
		es := redactors.EditsOf(edits, i)
		kept, loose, labels := keptText(p.Text, es)
		for n := 1; n <= len(es); n++ {
			labels = append(labels, strconv.Itoa(n))
		}
		ok, decided := interleaves(alnum(out[i].Text), kept, loose, labels)
		if !decided {
			return fmt.Errorf("part %d (%s): too costly to compare (%d labels)", i, p.Name, len(labels))
		}
		if !ok {
			return fmt.Errorf("part %d (%s): the output is not the kept text with the %d labels %q, in letters and digits %s",
				i, p.Name, len(labels), labels, diffAt(kept, alnum(out[i].Text)))
		}
	}
	return nil
}

// keptText returns the letters and digits of text outside the edits,
// which of them (by rune index) may be lost with a glyph that an edit
// removes, and the labels (letters and digits of the replacements).
func keptText(text string, edits []redactors.Edit) (kept string, loose map[int]bool, labels []string) {
	var b []rune
	loose = map[int]bool{}
	// near marks up to two letters or digits of one word, walking from an
	// edit boundary into the kept text.
	near := func(seg []rune, fromEnd bool, base int) {
		for k := 0; k < 2 && k < len(seg); k++ {
			j := k
			if fromEnd {
				j = len(seg) - 1 - k
			}
			if !isAlnum(seg[j]) {
				return
			}
			loose[base+j] = true
		}
	}
	last := 0
	for n := 0; n <= len(edits); n++ {
		end := len(text)
		if n < len(edits) {
			end = edits[n].Start
		}
		seg := []rune(text[last:end])
		base := len(b) // rune index in b where seg starts (before the filter)
		if n > 0 {
			near(seg, false, base)
		}
		if n < len(edits) {
			near(seg, true, base)
			if l := alnum(edits[n].Replacement); l != "" {
				labels = append(labels, l)
			}
			last = edits[n].End
		}
		b = append(b, seg...)
	}
	// Keep letters and digits only, renumbering the loose runes.
	var out []rune
	renum := map[int]bool{}
	for i, r := range b {
		if isAlnum(r) {
			if loose[i] {
				renum[len(out)] = true
			}
			out = append(out, r)
		}
	}
	return string(out), renum, labels
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// alnum keeps the letters and digits of s.
func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		if isAlnum(r) {
			return r
		}
		return -1
	}, s)
}

// interleaves reports whether got is kept, less some of its loose runes
// (by index), with non-empty prefixes of labels inserted, each as a block
// at any place, any label any number of times. It is a search over
// (position in got, position in kept), remembering the states that fail;
// it gives up (false, false) after a bounded number of steps.
func interleaves(got, kept string, loose map[int]bool, labels []string) (ok, decided bool) {
	g, k := []rune(got), []rune(kept)
	ls := make([][]rune, 0, len(labels))
	for _, l := range labels {
		if len(ls) < 256 {
			ls = append(ls, []rune(l))
		}
	}
	type state struct{ gi, ki int }
	failed := map[state]bool{}
	steps, over := 0, false
	var walk func(gi, ki int) bool
	walk = func(gi, ki int) bool {
		st := state{gi, ki}
		if failed[st] || over {
			return false
		}
		if steps++; steps > 1<<20 {
			over = true
			return false
		}
		if gi == len(g) && ki == len(k) {
			return true
		}
		if gi < len(g) && ki < len(k) && g[gi] == k[ki] && walk(gi+1, ki+1) {
			return true
		}
		if ki < len(k) && loose[ki] && walk(gi, ki+1) {
			return true
		}
		for _, l := range ls {
			n := 0
			for n < len(l) && gi+n < len(g) && g[gi+n] == l[n] {
				n++
			}
			for ; n > 0; n-- {
				if walk(gi+n, ki) {
					return true
				}
			}
		}
		failed[st] = true
		return false
	}
	ok = walk(0, 0)
	return ok, ok || !over
}
