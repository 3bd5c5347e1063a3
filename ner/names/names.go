// Package names detects names of people with rules that do not need a
// statistical model: a title followed by capitalised words ("Dr. Fielding",
// "Ms Sandoval"), and a known given name followed by a known surname
// ("Margaret Ellison") using the gazetteers.
package names

import (
	"context"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
)

// Scores of the rules.
const (
	TitleScore     = 0.9
	FirstLastScore = 0.75
	OrgScore       = 0.7
)

// Detector implements ner.Detector.
type Detector struct{}

var _ ner.Detector = Detector{}

// New returns the name detector.
func New() Detector { return Detector{} }

// Name implements ner.Detector.
func (Detector) Name() string { return "names" }

// name is one capitalised name token: a letter run with inner apostrophes
// and hyphens ("O'Neill", "Whitfield-Barrett", "José").
const name = `\p{Lu}[\p{L}\p{M}]*(?:['’\-]\p{Lu}?[\p{L}\p{M}]+)*`

// orgWord is a capitalised word of an organisation name; connectors may be
// lower case inside it ("Bank of Oregon").
const orgWord = `\p{Lu}[\p{L}\p{M}'’.\-]*`

var (
	orgRe = regexp.MustCompile(`\b(` + orgWord + `(?:[ \t]+(?:` + orgWord + `|of|and|&|for|the))*)[ \t]+` +
		`(Inc|LLC|Ltd|Corp|Corporation|Company|Group|Bank|Hospital|Medical Center|Center|Centre|Clinic|Health|Healthcare|` +
		`Care Home|Home|School|Academy|University|College|Church|Foundation|Association|Partners|Logistics|Medicine|` +
		`Services|Agency|Institute|Laboratories|Pharmacy|Society|Trust)\b`)
	titleRe = regexp.MustCompile(`(?:\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|Rev|Sgt|Det|Hon|Messrs|Mmes)\.?|\b(?:Miss|Professor|Doctor|Judge|Justice|Officer|Detective|Nurse|Attorney|Counsel|Sister|Father|Pastor|Rabbi|Dame|Sir|Lady|Lord))[ \t]+(` + name + `(?:[ \t]+` + name + `){0,2})`)
	wordRe  = regexp.MustCompile(name)
)

// Detect implements ner.Detector.
func (Detector) Detect(ctx context.Context, text string) ([]ner.Finding, error) {
	var out []ner.Finding
	for _, m := range titleRe.FindAllStringSubmatchIndex(text, -1) {
		start, end := m[2], m[3]
		end = trimCommonTail(text, start, end)
		if end <= start {
			continue
		}
		if f, ok := ner.TrimName(text, ner.Finding{Start: start, End: end, Entity: ner.Person, Score: TitleScore, Rule: "names/title"}); ok {
			out = append(out, f)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out = append(out, firstLast(text)...)
	out = append(out, orgs(text)...)
	return out, nil
}

// orgs finds capitalised names that end in an organisation word ("First
// Cascade Bank", "Riverside Counseling Group"). Two-word names of ordinary
// words only ("Mental Health") are not taken: too often a heading.
func orgs(text string) []ner.Finding {
	var out []ner.Finding
	for _, m := range orgRe.FindAllStringSubmatchIndex(text, -1) {
		words := ner.Words(text[m[2]:m[3]])
		for len(words) > 0 && (words[0].Key == "the" || words[0].Key == "a") {
			words = words[1:]
		}
		if len(words) == 0 {
			continue
		}
		specific := len(words) >= 2
		for _, w := range words {
			if !gazetteer.IsCommonWord(w.Key) {
				specific = true
			}
		}
		if !specific || isAllCaps(text[m[2]:m[3]]) {
			continue
		}
		out = append(out, ner.Finding{Start: m[2] + words[0].Start, End: m[1], Entity: ner.Organization, Score: OrgScore, Rule: "names/org-suffix"})
	}
	return out
}

// trimCommonTail drops trailing words of a title match that are ordinary
// words and not names ("Dr. Fielding Reports" keeps "Fielding").
func trimCommonTail(text string, start, end int) int {
	words := wordRe.FindAllStringIndex(text[start:end], -1)
	keep := len(words)
	for keep > 1 {
		w := text[start+words[keep-1][0] : start+words[keep-1][1]]
		if gazetteer.IsCommonWord(w) && !gazetteer.IsName(w) {
			keep--
			continue
		}
		break
	}
	if keep == 0 {
		return start
	}
	return start + words[keep-1][1]
}

// firstLast finds a capitalised known given name that is not an ordinary
// word, followed by a capitalised known surname, with at most a middle
// initial between them ("Walter J. Brennan").
func firstLast(text string) []ner.Finding {
	var out []ner.Finding
	words := wordRe.FindAllStringIndex(text, -1)
	for i := 0; i+1 < len(words); i++ {
		a, b := words[i], words[i+1]
		skip := 0
		if i+2 < len(words) && isInitial(text, b, words[i+2]) && onlySpaceBetween(text, a[1], b[0]) {
			b, skip = words[i+2], 1
		} else if !onlySpaceBetween(text, a[1], b[0]) {
			continue
		}
		if !wordBoundary(text, a[0], b[1]) {
			continue
		}
		first, last := text[a[0]:a[1]], text[b[0]:b[1]]
		if isAllCaps(first) || isAllCaps(last) {
			continue // headings; handled by the ensemble with more evidence
		}
		if gazetteer.FirstNames().Has(first) && !gazetteer.IsCommonWord(first) && gazetteer.LastNames().Has(last) {
			if f, ok := ner.TrimName(text, ner.Finding{Start: a[0], End: b[1], Entity: ner.Person, Score: FirstLastScore, Rule: "names/first-last"}); ok {
				out = append(out, f)
			}
			i += 1 + skip
		}
	}
	return out
}

// isInitial reports whether word w is one capital letter followed by ". "
// and then the word next.
func isInitial(text string, w, next []int) bool {
	if w[1]-w[0] != 1 || w[1] >= len(text) || text[w[1]] != '.' {
		return false
	}
	return onlySpaceBetween(text, w[1]+1, next[0])
}

func onlySpaceBetween(text string, i, j int) bool {
	if j <= i || j-i > 3 {
		return false
	}
	return strings.TrimLeft(text[i:j], " \t") == ""
}

// wordBoundary reports whether [start,end) is not glued to letters or digits.
func wordBoundary(text string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(text[:start])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if end < len(text) {
		r, _ := utf8.DecodeRuneInString(text[end:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func isAllCaps(w string) bool {
	n := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n > 1
}
