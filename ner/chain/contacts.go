package chain

import (
	"context"
	"regexp"
	"strings"

	"github.com/veilhq/veil/internal/litfilter"
	"github.com/veilhq/veil/ner"
)

// Contacts completes the telephone numbers of clinical notes, where a
// number is often an internal extension or a pager:
//
//   - a paging or extension cue and the number after it ("paged at
//     4-4321", "page 5-1123", "ext 4512", "extension 45", "x4512" after
//     "call"): an extension or pager number of three to five digits, or
//     one or two digits, a hyphen and four digits; after "page" or "paged"
//     only the hyphenated form, since "see page 123" is a page;
//   - a number found in parentheses of its own ("(617-555-0199)") is
//     removed with them, so that no empty pair is left in the text;
//   - an extension written after a number found ("617 555 0143 x45",
//     "617-555-0143, ext. 2231") goes with the number: one to five digits
//     after "ext" or "extension", two to five after "x" ("x2" counts).
//
// Every other finding passes unchanged.
type Contacts struct{}

var _ ner.Refiner = Contacts{}

// Name implements ner.Refiner.
func (Contacts) Name() string { return "contacts" }

// PagerRule is the rule id of the numbers Contacts adds.
const PagerRule = "chain/pager"

var (
	// extensionRe: a paging or extension cue, then the number (group 1).
	extensionRe = regexp.MustCompile(`(?i)\b(?:paged?|pager|beep(?:ed|er)?|ext|extension|call(?:ed)?\s+x)\.?(?:\s*(?:at|to|on|#|no\.?|number|:)){0,2}\s*#?\s*([0-9]{1,2}-[0-9]{4}|[0-9]{3,5})\b`)
	// pageOnly: the cue is "page" or "paged", which a document's page
	// numbers also follow.
	pageOnly = regexp.MustCompile(`(?i)^paged?\b`)
	// extensionAt is extensionRe anchored, for litfilter.FindAllAt.
	extensionAt = litfilter.Anchor(extensionRe)
	// trailingExt: an extension right after a number (anchored at the
	// number's end); group 1 is the extension's digits.
	trailingExt = regexp.MustCompile(`^,?[ \t]*(?:(?i:x)[ \t]*([0-9]{2,5})|(?i:ext\.?|extension)[ \t]*[.#:]?[ \t]*([0-9]{1,5}))\b`)
)

// extensionStart returns the least offset at or after i where a match of
// extensionRe can start, -1 when there is none: a word that begins with
// "pag", "bee", "ext" or "cal" in any case (the expression's cues; no
// other rune folds to their letters). Running the expression only there
// instead of over the whole text gives the same matches
// (TestExtensionStarts, FuzzExtensionStarts).
func extensionStart(text string, i int) int {
	for p := i; p+3 <= len(text); p++ {
		switch text[p] | 0x20 {
		case 'p', 'b', 'e', 'c':
		default:
			continue
		}
		if p > 0 && isWordByte(text[p-1]) {
			continue
		}
		switch string([]byte{text[p] | 0x20, text[p+1] | 0x20, text[p+2] | 0x20}) {
		case "pag", "bee", "ext", "cal":
			return p
		}
	}
	return -1
}

// isWordByte reports whether b is a word byte of the regexp package's \b.
func isWordByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_'
}

// Refine implements ner.Refiner.
func (Contacts) Refine(_ context.Context, text string, found []ner.Finding) ([]ner.Finding, error) {
	var out []ner.Finding
	for k, f := range found {
		if f.Entity != ner.Phone || f.Start == 0 || f.End >= len(text) || text[f.Start-1] != '(' || text[f.End] != ')' {
			continue
		}
		if out == nil {
			out = append(make([]ner.Finding, 0, len(found)+1), found...)
		}
		g := f
		g.Start, g.End = f.Start-1, f.End+1
		out[k] = g
	}
	for k, f := range found {
		if f.Entity != ner.Phone {
			continue
		}
		end := f.End
		if out != nil {
			end = out[k].End
		}
		m := trailingExt.FindStringSubmatchIndex(text[end:min(len(text), end+24)])
		if m == nil || overlaps(found, end, end+m[1]) {
			continue
		}
		if out == nil {
			out = append(make([]ner.Finding, 0, len(found)+1), found...)
		}
		out[k].End = end + m[1]
	}
	if out == nil {
		out = found[:len(found):len(found)]
	}
	for _, m := range litfilter.FindAllAt(extensionAt, text, extensionStart) {
		s, e := m[2], m[3]
		num := text[s:e]
		if pageOnly.MatchString(text[m[0]:m[1]]) && !strings.Contains(num, "-") {
			continue
		}
		if e < len(text) && (text[e] == '/' || text[e] == '.' && e+1 < len(text) && text[e+1] >= '0' && text[e+1] <= '9') {
			continue // "page 1234/5", "ext 12.5": no telephone number
		}
		if overlaps(out, s, e) {
			continue
		}
		out = append(out, ner.Finding{Start: s, End: e, Entity: ner.Phone, Score: 0.8, Rule: PagerRule})
	}
	return out, nil
}
