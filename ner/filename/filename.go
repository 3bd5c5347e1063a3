// Package filename detects identifiers in file names, object keys and
// folder paths ("intake_Maria_Sandoval.docx", "s3://records/MRN-00123456/"),
// which can identify as much as the text of the file.
package filename

import (
	"context"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
)

// Scores of findings that only file names get: a name word from the name
// lists, and a long digit run (record, account and case numbers have no
// context words in a path). Zero padding does not make a run long: a
// sequence number such as 00017 is not an identifier (SequenceNumber).
const (
	GazetteerScore = 0.6
	NumberScore    = 0.6
	NumberDigits   = 5
)

// Detector finds identifiers in a name (a key or a path): what its base
// detector finds in it, read with underscores as spaces (Text), plus
// every word of three letters or more that is a known given name or
// surname (PERSON, rule "names/key-gazetteer"), and every run of digits
// that is not a SequenceNumber (ID_NUMBER, rule "pattern/key-number").
// A given name is a name even where it is an English word too
// ("maria_intake"): a name left in a key is written out, an ordinary word
// taken for one only renames a word. A word that is only a surname and a
// word of the English dictionary ("font": gazetteer.IsDictionaryWord),
// and a given name of the safe-word or common-word lists ("rose"), is a
// name only beside another name word ("brannigan-font", "rose-smith", not
// "d01-font" or "grant_report"; the case's people are found in keys by
// their own spellings, pipeline outputKey); a surname of those lists
// never is. Words of the extension are never names. Offsets are in the
// name as given. It is safe for concurrent use when base is.
type Detector struct {
	base ner.Detector
}

var _ ner.Detector = Detector{}

// New returns a file-name detector over base (the rule detectors).
func New(base ner.Detector) Detector { return Detector{base: base} }

// Name implements ner.Detector.
func (Detector) Name() string { return "filename" }

// Text returns name as the detectors read it: underscores, the one
// separator that regular expressions count as a word character, become
// spaces (same byte length), so that "maria_sandoval" is two words.
// Hyphens and dots stay: they are part of SSNs, dates and phone numbers.
func Text(name string) string {
	return strings.ReplaceAll(name, "_", " ")
}

// Detect implements ner.Detector; name is a key, file name or path.
func (d Detector) Detect(ctx context.Context, name string) ([]ner.Finding, error) {
	text := Text(name)
	fs, err := d.base.Detect(ctx, text)
	if err != nil {
		return nil, err
	}
	ext := path.Ext(name)
	fs = Stem(fs, name)
	words := ner.Words(text)
	// 0: not a name; 1: a name only beside another name word (a surname
	// that is an English word, "font"; a given name that is a common word,
	// "rose"); 2: a name on its own
	kind := make([]int, len(words))
	for i, w := range words {
		if w.End > len(name)-len(ext) || len(w.Key) < 3 {
			continue
		}
		given := gazetteer.FirstNames().Has(w.Key)
		switch {
		case !gazetteer.IsName(w.Key):
		case gazetteer.IsCommonWord(w.Key):
			if given {
				kind[i] = 1
			}
		case given || !gazetteer.IsDictionaryWord(w.Key):
			kind[i] = 2
		default:
			kind[i] = 1
		}
	}
	for i, w := range words {
		if w.End > len(name)-len(ext) { // the extension is not a name
			continue
		}
		switch {
		case kind[i] == 2 || kind[i] == 1 && (i > 0 && kind[i-1] > 0 || i+1 < len(words) && kind[i+1] > 0):
			fs = append(fs, ner.Finding{Start: w.Start, End: w.End, Entity: ner.Person, Score: GazetteerScore, Rule: "names/key-gazetteer"})
		case isDigits(w.Key) && !SequenceNumber(w.Key):
			fs = append(fs, ner.Finding{Start: w.Start, End: w.End, Entity: ner.ID, Score: NumberScore, Rule: "pattern/key-number"})
		}
	}
	return fs, nil
}

// Stem returns the findings in a name clipped to its stem: a finding that
// reaches into the extension ends before its dot, and one inside the
// extension is dropped, so that an output name keeps its extension. fs is
// modified in place.
func Stem(fs []ner.Finding, name string) []ner.Finding {
	stem := len(name) - len(path.Ext(name))
	out := fs[:0]
	for _, f := range fs {
		if f.End > stem {
			f.End = stem
		}
		if f.Start < f.End {
			out = append(out, f)
		}
	}
	return out
}

// PersonForms returns the phrases that find a person's name in the forms
// file names give it, from keys, the folded words of the name (ner.Fold;
// given names first, surname last): initial and surname ("msandoval",
// "m.sandoval", "m_sandoval"), surname and initial ("sandovalm",
// "SandovalM", "sandoval.m"), the initials of every given name with the
// surname ("mesandoval"), and the name glued ("mariasandoval",
// "MariaSandoval", "sandovalmaria"). The words of the name, and the name
// as words ("maria.sandoval"), are the name's own phrases. A name of one
// word has no such forms, nor one whose surname has fewer than three
// letters (too many other words end alike).
func PersonForms(keys []string) []ner.Phrase {
	if len(keys) < 2 {
		return nil
	}
	given, surname := keys[:len(keys)-1], keys[len(keys)-1]
	if utf8.RuneCountInString(surname) < 3 || !letters(surname) {
		return nil
	}
	var initials strings.Builder
	for _, g := range given {
		r, _ := utf8.DecodeRuneInString(g)
		initials.WriteRune(r)
	}
	first, _ := utf8.DecodeRuneInString(given[0])
	ini := string(first)
	seen := map[string]bool{}
	var out []ner.Phrase
	add := func(keys ...string) {
		k := strings.Join(keys, " ")
		if !seen[k] {
			seen[k] = true
			out = append(out, ner.Phrase{Keys: keys})
		}
	}
	add(ini + surname)
	add(ini, surname)
	add(surname + ini)
	add(surname, ini)
	if len(given) > 1 {
		add(initials.String() + surname)
		add(surname + initials.String())
	}
	if letters(given[0]) && utf8.RuneCountInString(given[0]) >= 2 {
		add(given[0] + surname)
		add(surname + given[0])
	}
	return out
}

func letters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

// SequenceNumber reports whether a run of digits in a file name is a
// sequence number rather than a possible identifier: fewer than
// NumberDigits digits once the zero padding is dropped ("00017" is file 17
// of an export, "00482913" could be a record number). A rule that reads
// the number's context (an MRN or account rule) still finds either.
func SequenceNumber(digits string) bool {
	return isDigits(digits) && len(strings.TrimLeft(digits, "0")) < NumberDigits
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
