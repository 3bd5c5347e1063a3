package chain

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/ner/lexicon"
)

// CareUnits finds the name of a hospital that notes write with no cue
// but the unit or department after it: "Oakvale ER gave aspirin",
// "OAKVALE CATH LAB SHOWED 3VD", "marlow vna to follow". The word right
// before one of the lexicon's care-units, on the same line, is the
// hospital's name (LOCATION, the unit stays readable) when no finding
// holds it and it is no ordinary word, clinical abbreviation, medicine,
// kind of unit ("neuro ICU", the lexicon's unit-qualifiers), stop word or
// number, and is written as a name: capitalised in mixed case; in a line
// in capitals or in lower case, a place or surname of the lists, or five
// letters or more and no typing error of an ordinary word. A capitalised
// word before it, inside a sentence and no shorthand, is the name's first
// word ("from Port Quillby ER").
//
// And the name in parentheses after "OSH" or "outside hospital" ("from
// OSH (Hollisworth) with", "OSH (hollisworth general)") is a hospital's,
// one to three words that are no ordinary word, abbreviation or unit
// each, in any case, or a listed place or surname.
//
// Every other finding passes unchanged.
type CareUnits struct{}

var _ ner.Refiner = CareUnits{}

// Name implements ner.Refiner.
func (CareUnits) Name() string { return "care-units" }

// CareUnitRule is the rule id of the names CareUnits adds.
const CareUnitRule = "chain/care-unit"

var (
	careUnits      = lexicon.MustSet("care-units")
	unitQualifiers = lexicon.MustSet("unit-qualifiers")
	stopWordSet    = lexicon.MustSet("stop-words", "months", "weekdays")
	// careUnitOne and careUnitTwo are careUnits' entries of one and two
	// words, careUnitFirst the first words of the latter: plain maps of
	// keys, looked up once per word of a text without folding it again
	// (Set.Has folds what it does not hold).
	careUnitOne, careUnitTwo, careUnitFirst = func() (one, two, first map[string]bool) {
		one, two, first = map[string]bool{}, map[string]bool{}, map[string]bool{}
		careUnits.Each(func(k string) {
			if a, _, ok := strings.Cut(k, " "); ok {
				two[k], first[a] = true, true
			} else {
				one[k] = true
			}
		})
		return one, two, first
	}()
)

// Refine implements ner.Refiner.
func (CareUnits) Refine(ctx context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	out := found[:len(found):len(found)]
	// Only lines that hold a unit's word or "osh"/"outside" are read word
	// by word. Their words are the text's (ner.SharedWords, split once
	// for every pass of a chain) that start in the line: no word holds a
	// line break, and one starts after every line break, so a line's own
	// split (ner.Words(line), as before) gives the same words and keys.
	var ws []ner.Word
	split := false
	eachLine(text, func(ls, le int) {
		if unitLine(text[ls:le]) {
			if !split {
				ws, split = ner.SharedWords(ctx, text), true
			}
			i, _ := slices.BinarySearchFunc(ws, ls, wordStartCmp)
			j, _ := slices.BinarySearchFunc(ws, le, wordStartCmp)
			out = careUnitsIn(text, ws[i:j:j], found, out)
		}
	})
	return out, nil
}

// eachLine calls fn with the start and end (the line break's offset, or
// len(text)) of every line of text, in order.
func eachLine(text string, fn func(ls, le int)) {
	for ls := 0; ls < len(text); {
		le := strings.IndexByte(text[ls:], '\n')
		if le < 0 {
			le = len(text)
		} else {
			le += ls
		}
		fn(ls, le)
		ls = le + 1
	}
}

// wordStartCmp orders a word against an offset by its start.
func wordStartCmp(w ner.Word, at int) int { return w.Start - at }

// unitLine reports whether line holds, as a word of ASCII letters in any
// case, a one-word unit, the first word of a two-word unit, "osh" or
// "outside", or any byte outside ASCII. Words hold no other unit (the
// lists are ASCII), so a line it rejects gives CareUnits nothing
// (FuzzUnitLine).
func unitLine(line string) bool {
	for i := 0; i < len(line); i++ {
		if line[i] >= 0x80 {
			return true // folding may make a unit of other letters ("ΕR")
		}
	}
	var buf [10]byte
	for i := 0; i < len(line); {
		c := line[i] | 0x20
		if c < 'a' || c > 'z' || i > 0 && asciiLetter(line[i-1]) {
			i++
			continue
		}
		j := i
		for j < len(line) && (line[j]|0x20) >= 'a' && (line[j]|0x20) <= 'z' {
			j++
		}
		// a word ends at any byte that is no letter: a digit or "_" may
		// part words for ner.Words, so they count as an end here
		if j-i <= len(buf) {
			n := copy(buf[:], line[i:j])
			for k := 0; k < n; k++ {
				buf[k] |= 0x20
			}
			if w := buf[:n]; careUnitOne[string(w)] || careUnitFirst[string(w)] || string(w) == "osh" || string(w) == "outside" {
				return true
			}
		}
		i = j
	}
	return false
}

func asciiLetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

// careUnitsIn appends to out what CareUnits finds in the words ws of a
// line of text (offsets in text).
func careUnitsIn(text string, ws []ner.Word, found, out []ner.Finding) []ner.Finding {
	for i := 1; i < len(ws); i++ {
		n := 0
		if careUnitFirst[ws[i].Key] && i+1 < len(ws) && careUnitTwo[ws[i].Key+" "+ws[i+1].Key] && sameLine(text, ws[i].End, ws[i+1].Start) {
			n = 2
		} else if careUnitOne[ws[i].Key] {
			n = 1
		}
		if n == 0 {
			continue
		}
		w := ws[i-1]
		if !spaced(text, w.End, ws[i].Start) || overlaps(found, w.Start, w.End) || !hospitalName(text, w) {
			continue
		}
		s := w.Start
		if i >= 2 {
			// "Port Quillby ER": a capitalised word that is no ordinary word before it
			if v := ws[i-2]; spaced(text, v.End, w.Start) && titleCase(text[v.Start:v.End]) && titleCase(text[w.Start:w.End]) &&
				!overlaps(found, v.Start, v.End) && !sentenceStart(text, v.Start) && !shorthandWord(v.Key) {
				s = v.Start
			}
		}
		out = append(out, ner.Finding{Start: s, End: w.End, Entity: ner.Location, Score: 0.6, Rule: CareUnitRule})
		i += n - 1
	}
	return osh(text, ws, found, out)
}

// osh appends the hospitals named in parentheses after "OSH" or "outside
// hospital" in the words ws of a line of text.
func osh(text string, ws []ner.Word, found, out []ner.Finding) []ner.Finding {
	for i := 0; i < len(ws); i++ {
		n := 0
		switch {
		case ws[i].Key == "osh":
			n = 1
		case ws[i].Key == "outside" && i+1 < len(ws) && ws[i+1].Key == "hospital":
			n = 2
		}
		if n == 0 {
			continue
		}
		e := ws[i+n-1].End
		p := e
		for p < len(text) && (text[p] == ' ' || text[p] == '\t') {
			p++
		}
		if p >= len(text) || text[p] != '(' {
			continue
		}
		q := strings.IndexByte(text[p:], ')')
		if q < 0 || q > 64 {
			continue
		}
		inner := ner.Words(text[p+1 : p+q])
		if len(inner) == 0 || len(inner) > 3 || strings.Trim(text[p+1:p+q], " \t") != text[p+1+inner[0].Start:p+1+inner[len(inner)-1].End] {
			continue
		}
		ok := true
		for k, x := range inner {
			// "(Hollisworth General)": a facility's kind may end it
			if k > 0 && k == len(inner)-1 && (facilityHeads.Has(x.Key) || facilityKinds.Has(x.Key)) {
				continue
			}
			if !hospitalName(text[p+1:p+q], x) && gazetteer.Lookup(x.Key)&(gazetteer.PlaceName|gazetteer.Last) == 0 {
				ok = false
				break
			}
		}
		s, e2 := p+1+inner[0].Start, p+1+inner[len(inner)-1].End
		if !ok || overlaps(found, s, e2) {
			continue
		}
		out = append(out, ner.Finding{Start: s, End: e2, Entity: ner.Location, Score: 0.6, Rule: CareUnitRule})
	}
	return out
}

// spaced reports whether only spaces or tabs lie between bytes a and b.
func spaced(text string, a, b int) bool {
	return b > a && strings.Trim(text[a:b], " \t") == ""
}

// sameLine reports whether no line break lies between bytes a and b.
func sameLine(text string, a, b int) bool {
	return !strings.ContainsAny(text[a:b], "\r\n")
}

// shorthandWord reports whether key is a stop word, clinical
// abbreviation, medicine, kind of unit or unit, or holds a digit.
func shorthandWord(k string) bool {
	return strings.ContainsAny(k, "0123456789") || stopWordSet.Has(k) || clinicalAbbrs.Has(k) || medications.Has(k) ||
		unitQualifiers.Has(k) || careUnits.Has(k)
}

// hospitalName reports whether word w can be a hospital's name before a
// unit (see CareUnits).
func hospitalName(text string, w ner.Word) bool {
	k, s := w.Key, text[w.Start:w.End]
	if shorthandWord(k) || utf8.RuneCountInString(k) < 3 {
		return false
	}
	fl := gazetteer.Lookup(k)
	if fl.Common() {
		return false
	}
	if titleCase(s) {
		return true
	}
	if fl&(gazetteer.PlaceName|gazetteer.Last) != 0 {
		return true
	}
	return utf8.RuneCountInString(k) >= 5 && !commonTypo(k)
}
