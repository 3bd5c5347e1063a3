package chain

import (
	"context"
	"strconv"
	"strings"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/lexicon"
)

// Readings drops the dates that are readings of clinical notes: two or
// three small numbers joined by slashes ("7/10", "10/5", "12/5/40") that a
// pain score, a ventilator setting or a blood culture explains. A date
// rule cannot tell "pain 7/10" from "seen 7/10"; the words around can:
//
//   - the numbers are glued to more of a reading: a per cent sign or a
//     further "/number" after them ("12/5/40%", "22/07/14/16"), or a
//     number and "/", "x" or "." before them ("600x12x.7/5");
//   - "N/10" with N at most 10 after a pain word ("pain 8/10", "cp 5/10");
//   - any pair after a ventilator mode or setting or a percentage ("PSV
//     10/5", "50% 8/5"); not after "wean" or "vent", which dates follow
//     as often ("weaned off 8/6");
//   - "N/M" with N ≤ M ≤ 4 next to a culture word ("2/4 bottles");
//   - a heart murmur's grade, "N/6" with N at most 6 next to a murmur
//     word ("3/6 SEM", "murmur 2/6"), and a pulse's grade, "N/4" with N
//     at most 4 after a pulse word ("radial 2/4", "DP pulses 1/4"): the
//     scales of Levine and of the pulse examination.
//
// The cue words are the lexicon's reading-cues; they count within three
// words before the numbers on the same line (culture words also after).
// And a code of letters and numbers (rule pattern/code-id) whose letters
// are a vital sign or a clinical abbreviation and whose numbers have at
// most three digits is a reading: "HR-110-134", "SBP-98-150".
// Every other finding passes unchanged.
type Readings struct{}

var _ ner.Refiner = Readings{}

// Name implements ner.Refiner.
func (Readings) Name() string { return "readings" }

var (
	readingCues   = lexicon.MustSet("reading-cues")
	vitalWords    = lexicon.MustSet("vital-words")
	clinicalAbbrs = lexicon.MustSet("clinical-abbreviations")
)

// vitalCode reports whether code ("HR-110-134") is a vital sign's letters
// and readings of at most three digits.
func vitalCode(code string) bool {
	parts := strings.Split(code, "-")
	if len(parts) < 2 {
		return false
	}
	k := strings.ToLower(parts[0])
	if !vitalWords.Has(k) && !clinicalAbbrs.Has(k) {
		return false
	}
	for _, p := range parts[1:] {
		if !isNumber(p) || len(p) > 3 {
			return false
		}
	}
	return true
}

// Refine implements ner.Refiner.
func (Readings) Refine(_ context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	return without(found, func(f ner.Finding) bool {
		return f.Entity == ner.Date && reading(text, f.Start, f.End) || f.Rule == "pattern/code-id" && vitalCode(text[f.Start:f.End])
	}), nil
}

func digit(c byte) bool { return c >= '0' && c <= '9' }

// reading reports whether text[s:e], a date by some rule, is a reading.
func reading(text string, s, e int) bool {
	parts := strings.Split(text[s:e], "/")
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	n := make([]int, len(parts))
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || len(p) == 0 || len(p) > 2 {
			return false
		}
		n[i] = v
	}
	// glued to more of a reading
	if e < len(text) && (text[e] == '%' || text[e] == '/' && e+1 < len(text) && digit(text[e+1])) {
		return true
	}
	if s >= 2 && (text[s-1] == '/' || text[s-1] == 'x' || text[s-1] == 'X' || text[s-1] == '.') &&
		(digit(text[s-2]) || text[s-2] == 'x' || text[s-2] == 'X') {
		return true
	}
	if len(n) != 2 {
		return false
	}
	before, after := cueWords(text, s, e)
	pain, setting, culture, murmur, pulse := false, false, false, false, false
	for _, w := range before {
		switch w {
		case "pain", "cp", "discomfort", "ache", "aches", "rated", "rates", "rating", "scale", "score":
			pain = true
		case "cx", "bcx", "culture", "cultures", "bottles":
			culture = true
		default:
			setting = setting || readingCues.Has(w) || w == "%"
		}
		murmur = murmur || murmurWords[w]
		pulse = pulse || pulseWords[w]
	}
	for _, w := range after {
		culture = culture || w == "cx" || w == "bcx" || w == "culture" || w == "cultures" || w == "bottles"
		murmur = murmur || murmurWords[w]
	}
	switch {
	case pain && n[1] == 10 && n[0] <= 10:
		return true
	case culture && n[0] <= n[1] && n[1] <= 4:
		return true
	case murmur && n[1] == 6 && n[0] <= 6, pulse && n[1] == 4 && n[0] <= 4:
		return true
	}
	return setting
}

// murmurWords name a heart murmur, whose grade is written "N/6";
// pulseWords a pulse, whose grade is written "N/4" ("pt", a posterior
// tibial pulse, is left out: it is as often the patient).
var (
	murmurWords = map[string]bool{"murmur": true, "murmurs": true, "mur": true, "sem": true, "hsm": true, "sm": true, "dm": true, "systolic": true, "diastolic": true, "holosystolic": true}
	pulseWords  = map[string]bool{"pulse": true, "pulses": true, "radial": true, "radials": true, "pedal": true, "pedals": true, "dp": true, "dps": true, "dorsalis": true, "pedis": true, "femoral": true, "popliteal": true, "carotid": true, "brachial": true, "palp": true, "palpable": true}
)

// cueWords returns up to three words before s and after e on the same line,
// lower case, nearest first; a per cent sign right before s counts as the
// word "%".
func cueWords(text string, s, e int) (before, after []string) {
	ls := strings.LastIndexByte(text[:s], '\n') + 1
	le := strings.IndexByte(text[e:], '\n')
	if le < 0 {
		le = len(text)
	} else {
		le += e
	}
	if p := strings.TrimRight(text[ls:s], " "); strings.HasSuffix(p, "%") {
		before = append(before, "%")
	}
	ws := ner.Words(text[ls:s])
	for i := len(ws) - 1; i >= 0 && len(before) < 3; i-- {
		if !isNumber(ws[i].Key) {
			before = append(before, ws[i].Key)
		}
	}
	for _, w := range ner.Words(text[e:le]) {
		if len(after) == 3 {
			break
		}
		after = append(after, w.Key)
	}
	return before, after
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if !digit(s[i]) {
			return false
		}
	}
	return s != ""
}
