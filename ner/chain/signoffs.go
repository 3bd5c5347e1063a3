package chain

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/ner/lexicon"
)

// SignOffs finds the writer's name in the line that signs a clinical
// note: a line that holds nothing but one to three name words and the
// writer's credentials after them ("T. Everard, RN", "Quillanby, Orsolya
// RN", "orsolya quillanby rn", "Everard R.N.", "-O. Quillanby RN/BSN").
// The name words are initials ("T.", "O.Q.") or words that are no stop
// word, clinical abbreviation, medicine or kind of unit and are written
// as names: in a list of given names or surnames, or of three letters or
// more and in no list of ordinary words; one at least is no initial.
// A comma may follow the first (a surname first) or the last. The
// credentials are the lexicon's, written with or without full stops,
// joined by "/" or ","; a few signs before the name ("-", "--", "/") and
// after the credentials (".", ",") are allowed.
//
// The name becomes one PERSON finding unless findings cover it already,
// and a person's finding that runs on into the credentials ("Everard
// R.N") ends at the name: a credential says what the writer is, not who.
// Every other finding passes unchanged.
type SignOffs struct{}

var _ ner.Refiner = SignOffs{}

// Name implements ner.Refiner.
func (SignOffs) Name() string { return "sign-offs" }

// SignOffRule is the rule id of the names SignOffs adds.
const SignOffRule = "chain/sign-off"

var credentialSet = lexicon.MustSet("credentials")

// Refine implements ner.Refiner.
func (SignOffs) Refine(_ context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	out := found[:len(found):len(found)]
	copied := false
	eachLine(text, func(ls, le int) {
		if s, e, c := signOff(text, ls, le); s < e {
			for k, f := range out {
				if f.Entity == ner.Person && f.Start >= s && f.Start < e && f.End > e && f.End <= c {
					if !copied {
						out, copied = append(make([]ner.Finding, 0, len(out)+1), out...), true
					}
					out[k].End = e
				}
			}
			if !coveredBy(text, out, s, e) {
				out = append(out, ner.Finding{Start: s, End: e, Entity: ner.Person, Score: 0.8, Rule: SignOffRule})
			}
		}
	})
	return out, nil
}

// coveredBy reports whether findings cover every letter and digit of
// text[s:e].
func coveredBy(text string, found []ner.Finding, s, e int) bool {
	for i := s; i < e; i++ {
		if c := text[i]; c == ' ' || c == ',' || c == '.' || c == '\t' {
			continue
		}
		in := false
		for _, f := range found {
			if f.Start <= i && i < f.End {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	return true
}

type field struct{ s, e int }

// maxSignOff bounds the bytes of a sign-off line: three names and a few
// credentials fit many times over, and longer lines are not read field by
// field.
const maxSignOff = 96

// signOff returns the name of the sign-off line text[ls:le] (bytes s to
// e) and where its credentials end (c), or s == e when the line is none.
func signOff(text string, ls, le int) (s, e, c int) {
	if le-ls > maxSignOff {
		return 0, 0, 0
	}
	var fs []field
	for i := ls; i < le; {
		for i < le && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r') {
			i++
		}
		j := i
		for j < le && text[j] != ' ' && text[j] != '\t' && text[j] != '\r' {
			j++
		}
		if j > i {
			fs = append(fs, field{i, j})
		}
		i = j
	}
	if len(fs) == 0 || len(fs) > 6 {
		return 0, 0, 0
	}
	// leading signs
	if p := fs[0]; strings.Trim(text[p.s:p.e], "-/~") == "" {
		fs = fs[1:]
	} else {
		for fs[0].s < fs[0].e && strings.IndexByte("-/~", text[fs[0].s]) >= 0 {
			fs[0].s++
		}
	}
	// credentials from the end; a comma may glue the last to the name ("T.Everard,RN")
	n := len(fs)
	c = 0
	for n > 0 && credentials(strings.TrimRight(text[fs[n-1].s:fs[n-1].e], ".,;")) {
		if c == 0 {
			c = fs[n-1].e
		}
		n--
	}
	if c == 0 && n > 0 {
		// "T.Everard,RN": the last field holds the name, a comma and the credentials
		f := fs[n-1]
		if k := strings.LastIndexByte(text[f.s:f.e], ','); k > 0 && credentials(strings.TrimRight(text[f.s+k+1:f.e], ".,;")) {
			c = f.e
			fs[n-1].e = f.s + k
		}
	}
	if c == 0 || n < 1 || n > 3 {
		return 0, 0, 0
	}
	real := false
	for k, f := range fs[:n] {
		w := text[f.s:f.e]
		if strings.HasSuffix(w, ",") && (k == 0 || k == n-1) {
			w = w[:len(w)-1]
		}
		if w == "" {
			return 0, 0, 0
		}
		isInitials, isName := nameField(w)
		if !isInitials && !isName {
			return 0, 0, 0
		}
		real = real || isName
	}
	if !real {
		return 0, 0, 0
	}
	return fs[0].s, len(strings.TrimRight(text[:fs[n-1].e], ",")), c
}

// credentials reports whether w is one or more of the lexicon's
// credentials, with or without full stops ("R.N."), joined by "/" or ","
// ("RN/BSN").
func credentials(w string) bool {
	if w == "" {
		return false
	}
	for _, p := range strings.FieldsFunc(w, func(r rune) bool { return r == '/' || r == ',' }) {
		if !credentialSet.Has(strings.ToLower(strings.ReplaceAll(p, ".", ""))) {
			return false
		}
	}
	return true
}

// nameField says whether w, a field of a sign-off line, is initials ("T.",
// "O.Q.", "O") or holds a name word ("Everard", "T.Everard", "o'quillan").
func nameField(w string) (initials, name bool) {
	letters := strings.ReplaceAll(w, ".", "")
	if letters != "" && utf8.RuneCountInString(letters) <= 2 && strings.IndexFunc(letters, func(r rune) bool { return !unicode.IsLetter(r) }) < 0 &&
		(utf8.RuneCountInString(letters) == 1 || strings.Contains(w, ".")) {
		return true, false
	}
	// "T.Everard": an initial glued to the name
	if len(w) > 2 && w[1] == '.' && unicode.IsLetter(rune(w[0])) {
		w = w[2:]
	}
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '\'' && r != '-' && r != '’' {
			return false, false
		}
	}
	ws := ner.Words(w)
	if len(ws) == 0 {
		return false, false
	}
	for _, x := range ws {
		k := x.Key
		if shorthandWord(k) || credentialSet.Has(k) {
			return false, false
		}
		fl := gazetteer.Lookup(k)
		if fl&(gazetteer.First|gazetteer.Last) == 0 && (fl.Common() || utf8.RuneCountInString(k) < 3) {
			return false, false
		}
	}
	return false, true
}
