package chain

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/lexicon"
)

// Facilities completes the names of the places where people are cared for,
// which clinical notes write short and in every case:
//
//   - a name found by any pass (a place, an organisation, a person's
//     name) followed on its line by the head word of a care facility
//     ("Oakridge General", "HILLCREST NURSING HOME", "marlow rehab") is
//     one organisation with its head words: the scorer of a note, and a
//     reader, see "[place] General" as the hospital's name half removed.
//     The head words are the lexicon's facility-heads, one or two words;
//     they count in the case of the name before them (capitalised, ALL
//     CAPS, or lower case), and "General" and "Memorial", ordinary words
//     in lower case, only capitalised. A head followed by a further
//     capitalised word is part of a longer name ("General Assembly") and
//     is left alone;
//   - the words that say only what kind of place a facility is
//     ("hospital", "rehab", "medical center": the lexicon's
//     facility-kinds) stay readable after its name when the writer wrote
//     them as common nouns: in lower case ("marlow hospital" becomes
//     "[place] hospital"), or in a line in capitals after a name in
//     capitals ("OAKVALE HOSPITAL"). The name goes, the kind is no
//     identifier, and a reader of a note wants to know a patient came
//     from a hospital rather than a home. A capitalised kind in mixed case
//     ("Oakvale Hospital") is part of the proper name and goes with it;
//   - "St." or "Saint" and a capitalised word no pass found ("sent to St.
//     Elsewhere", "at St Brigid's") is a place: a hospital, church or
//     town named after a saint. Not after a capitalised word or a number,
//     where "St" is a street ("Elm St. Everard"), nor in ALL CAPS, where "ST"
//     is a segment of an ECG ("ST ELEVATION").
//
// Every other finding passes unchanged.
type Facilities struct{}

var _ ner.Refiner = Facilities{}

// Name implements ner.Refiner.
func (Facilities) Name() string { return "facilities" }

// facilityHeads are the head words, one or two words an entry.
var facilityHeads = lexicon.MustSet("facility-heads")

// facilityKinds are the words of a head that say only what kind of place
// a facility is, one or two words an entry.
var facilityKinds = lexicon.MustSet("facility-kinds")

// FacilityRule and SaintRule are the rule ids of what Facilities adds.
const (
	FacilityRule = "chain/facility"
	SaintRule    = "chain/saint"
)

// Refine implements ner.Refiner.
func (Facilities) Refine(_ context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	var out []ner.Finding
	for k, f := range found {
		if f.Entity != ner.Person && f.Entity != ner.Location && f.Entity != ner.Organization {
			continue
		}
		if end := headsAfter(text, f.Start, f.End); end > f.End {
			if out == nil {
				out = append(make([]ner.Finding, 0, len(found)+1), found...)
			}
			out[k] = ner.Finding{Start: f.Start, End: end, Entity: ner.Organization, Score: f.Score, Rule: FacilityRule}
		}
	}
	if out == nil {
		out = found[:len(found):len(found)]
	}
	out = append(out, saints(text, found)...)
	copied := false // out may share found's array: copy before writing
	for k, f := range out {
		if f.Entity != ner.Person && f.Entity != ner.Location && f.Entity != ner.Organization {
			continue
		}
		if end := kindsBefore(text, f.Start, f.End); end < f.End {
			if !copied {
				out, copied = append(make([]ner.Finding, 0, len(out)), out...), true
			}
			out[k] = ner.Finding{Start: f.Start, End: end, Entity: ner.Organization, Score: f.Score, Rule: FacilityRule}
		}
	}
	return out, nil
}

// kindsBefore returns where the name text[start:end] ends when the words
// after it say only what kind of facility it names, written as common
// nouns (see Facilities), or end. One word of the name at least stays.
func kindsBefore(text string, start, end int) int {
	ws := ner.Words(text[start:end])
	n := len(ws)
	for n > 1 {
		k := 0
		for _, m := range [...]int{2, 1} {
			if n-m < 1 {
				continue
			}
			var key strings.Builder
			for i, w := range ws[n-m : n] {
				if i > 0 {
					key.WriteByte(' ')
				}
				key.WriteString(w.Key)
			}
			if facilityKinds.Has(key.String()) && commonNouns(text, start, ws[n-m-1:n]) {
				k = m
				break
			}
		}
		if k == 0 {
			break
		}
		n -= k
	}
	if n == len(ws) {
		return end
	}
	return start + ws[n-1].End
}

// commonNouns reports whether the kind words ws[1:] after the name's last
// word ws[0] are written as common nouns: in lower case, or in capitals
// after a name in capitals.
func commonNouns(text string, start int, ws []ner.Word) bool {
	name := wordCase(text[start+ws[0].Start : start+ws[0].End])
	for _, w := range ws[1:] {
		switch wordCase(text[start+w.Start : start+w.End]) {
		case 'l':
		case 'U':
			if name != 'U' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// wordCase is how a word is written: 'U' ALL CAPS, 'C' capitalised, 'l'
// lower case, 0 anything else (digits, mixed).
func wordCase(w string) byte {
	r, _ := utf8.DecodeRuneInString(w)
	switch {
	case !unicode.IsLetter(r):
		return 0
	case strings.ToUpper(w) == w && utf8.RuneCountInString(w) > 1:
		return 'U'
	case unicode.IsUpper(r) && strings.ToLower(w[utf8.RuneLen(r):]) == w[utf8.RuneLen(r):]:
		return 'C'
	case strings.ToLower(w) == w:
		return 'l'
	}
	return 0
}

// nextOnLine returns the word after byte i when only spaces or tabs (at
// most two) separate it from i, and its bounds.
func nextOnLine(text string, i int) (string, int, int) {
	j := i
	for j < len(text) && j-i <= 2 && (text[j] == ' ' || text[j] == '\t') {
		j++
	}
	if j == i || j >= len(text) || j-i > 2 {
		return "", 0, 0
	}
	e := j
	for e < len(text) {
		r, n := utf8.DecodeRuneInString(text[e:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		e += n
	}
	if e == j {
		return "", 0, 0
	}
	return text[j:e], j, e
}

// headsAfter returns the end of the facility head words after the name
// text[start:end], or end when none follows.
func headsAfter(text string, start, end int) int {
	name := ner.Words(text[start:end])
	if len(name) == 0 {
		return end
	}
	lw := name[len(name)-1]
	if lw.Key == "s" && len(name) > 1 {
		lw = name[len(name)-2] // a possessive: "St Brigid's"
	}
	c := wordCase(text[start+lw.Start : start+lw.End])
	if c == 0 {
		return end
	}
	to := end
	for n := 0; n < 3; n++ {
		w1, _, e1 := nextOnLine(text, to)
		if w1 == "" || !sameCase(c, w1) {
			break
		}
		head := strings.ToLower(w1)
		e := 0
		if w2, _, e2 := nextOnLine(text, e1); w2 != "" && sameCase(c, w2) && facilityHeads.Has(head+" "+strings.ToLower(w2)) {
			e = e2
		} else if facilityHeads.Has(head) && (c != 'l' || (head != "general" && head != "memorial")) {
			e = e1
		}
		if e == 0 {
			break
		}
		to = e
	}
	if to == end {
		return end
	}
	// a further capitalised word makes a longer name the head is part of
	if w, _, _ := nextOnLine(text, to); w != "" && c == 'C' && wordCase(w) == 'C' {
		return end
	}
	return to
}

// sameCase reports whether word w is written in case c of a name.
func sameCase(c byte, w string) bool {
	return wordCase(w) == c
}

// saints returns the places "St."/"Saint" + a capitalised word name that
// no finding covers.
func saints(text string, found []ner.Finding) []ner.Finding {
	var out []ner.Finding
	for _, w := range [...]string{"St", "Saint"} {
		for i := 0; i < len(text); {
			k := strings.Index(text[i:], w)
			if k < 0 {
				break
			}
			s := i + k
			i = s + len(w)
			if f, ok := saint(text, s, w, found); ok {
				out = append(out, f)
				i = f.End
			}
		}
	}
	return out
}

// saint reads the place named after a saint whose "St" or "Saint" (w)
// is at byte s.
func saint(text string, s int, w string, found []ner.Finding) (ner.Finding, bool) {
	e := s + len(w)
	if s > 0 {
		if r, _ := utf8.DecodeLastRuneInString(text[:s]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			return ner.Finding{}, false
		}
	}
	if e < len(text) && text[e] == '.' && w == "St" {
		e++
	} else if e < len(text) {
		if r, _ := utf8.DecodeRuneInString(text[e:]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			return ner.Finding{}, false
		}
	}
	if streetBefore(text, s) {
		return ner.Finding{}, false
	}
	name, _, ne := nextOnLine(text, e)
	if name == "" || wordCase(name) != 'C' || overlaps(found, s, ne) {
		return ner.Finding{}, false
	}
	end := ne
	for _, p := range [...]string{"'s", "’s"} {
		if strings.HasPrefix(text[end:], p) {
			end += len(p)
			break
		}
	}
	if w2, _, _ := nextOnLine(text, end); strings.EqualFold(w2, "wort") {
		return ner.Finding{}, false // a herb named after a saint
	}
	return ner.Finding{Start: s, End: headsAfter(text, s, end), Entity: ner.Location, Score: 0.7, Rule: SaintRule}, true
}

// streetBefore reports whether the word before byte s on its line is a
// number or a capitalised word: "St" after it abbreviates Street.
func streetBefore(text string, s int) bool {
	j := s
	for j > 0 && (text[j-1] == ' ' || text[j-1] == '\t') {
		j--
	}
	if j == s || j == 0 {
		return false
	}
	b := j
	for b > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:b])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		b -= n
	}
	if b == j {
		return false
	}
	w := text[b:j]
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsDigit(r) || unicode.IsUpper(r) && !sentenceEnd(text, b)
}

// sentenceEnd reports whether the word at b starts a sentence or a line.
func sentenceEnd(text string, b int) bool {
	j := b
	for j > 0 && (text[j-1] == ' ' || text[j-1] == '\t') {
		j--
	}
	return j == 0 || strings.ContainsRune(".!?\n:", rune(text[j-1]))
}

// overlaps reports whether a finding overlaps text[s:e].
func overlaps(found []ner.Finding, s, e int) bool {
	for _, f := range found {
		if f.Start < e && f.End > s {
			return true
		}
	}
	return false
}
