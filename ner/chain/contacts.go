package chain

import (
	"context"
	"regexp"
	"strings"

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
//     removed with them, so that no empty pair is left in the text.
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
)

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
	if out == nil {
		out = found[:len(found):len(found)]
	}
	for _, m := range extensionRe.FindAllStringSubmatchIndex(text, -1) {
		s, e := m[2], m[3]
		num := text[s:e]
		if pageOnly.MatchString(text[m[0]:m[1]]) && !strings.Contains(num, "-") {
			continue
		}
		if e < len(text) && (text[e] == '/' || text[e] == '.' && e+1 < len(text) && text[e+1] >= '0' && text[e+1] <= '9') {
			continue // "page 1234/5", "ext 12.5": no telephone number
		}
		if overlaps(found, s, e) {
			continue
		}
		out = append(out, ner.Finding{Start: s, End: e, Entity: ner.Phone, Score: 0.8, Rule: PagerRule})
	}
	return out, nil
}
