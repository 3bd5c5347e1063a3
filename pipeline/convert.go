package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/office"
	"github.com/veilhq/veil/redactors/pdf"
)

// A Bates-numbered production stamps every page, and a Word document has
// no pages until a layout engine makes them. Under Bates numbering a DOCX
// is therefore redacted as a DOCX, verified, converted to PDF with
// LibreOffice, verified again as a PDF and stamped; without LibreOffice it
// is refused (office.ErrNoConverter), never written unstamped.
//
// Why convert after redacting, not before: the converter and its
// temporary files only ever see text that is already redacted and
// verified; detection runs on the DOCX reading, which joins the runs of
// a paragraph and sees comments, tracked changes, hidden text, fields and
// properties, where a PDF reading sees lines cut by the layout; and the
// PDF that comes back is read again by the PDF verifier (the full chain,
// every removed value, the raw content), so a converter that showed
// something the DOCX hid would be caught. Converting first would hand the
// unredacted document to a third program and redact a lossier reading of
// it. What the DOCX shows as replacement text, the PDF shows in boxes:
// the withheld values' labels and the masked numbers are boxed where they
// stand, like the redactions of a PDF.

// converter turns a redacted DOCX into PDF bytes (office.Converter).
type converter interface {
	ToPDF(ctx context.Context, data []byte, ext string) ([]byte, error)
}

// converts reports whether documents of format f become PDF pages under
// Bates numbering.
func converts(f redactors.Format) bool { return f != nil && f.Name() == "docx" }

// toPDF redacts d (a DOCX), verifies it, converts it to PDF and makes d
// that PDF: its parts are the pages, its edits the boxes over the
// replacements, its changes located on pages. It runs in Plan, which
// numbers pages in source-key order and must know how many there are.
func (p *planner) toPDF(ctx context.Context, d *Doc) error {
	if p.office == nil {
		return fmt.Errorf("docx: %w", office.ErrNoConverter)
	}
	var buf bytes.Buffer
	if err := redactors.Redact(ctx, d.doc, &buf, d.edits); err != nil {
		return err
	}
	if err := p.verify(ctx, d.format, buf.Bytes(), d.verifyInput()); err != nil {
		return err
	}
	docxNotes := notesOf(d.doc)
	t0 := time.Now()
	data, err := p.office.ToPDF(ctx, buf.Bytes(), ".docx")
	d.converting = time.Since(t0)
	if err != nil {
		return err
	}
	f := pdf.New()
	doc, err := redactors.Parse(ctx, f, data)
	if err != nil {
		return fmt.Errorf("docx: converted PDF: %w", err)
	}
	parts := doc.Parts()
	d.convertedFrom, d.format, d.doc, d.parts = d.format.Name(), f, doc, parts
	d.notes = append(docxNotes, "converted to PDF with LibreOffice for Bates numbering")
	// Locate each change on a page, in order within its DOCX part.
	pageText, pageOf := joinPages(parts)
	cursor, lastPart := 0, ""
	for i := range d.changes {
		c := &d.changes[i]
		if c.Part != lastPart {
			cursor, lastPart = 0, c.Part
		}
		if c.Replacement == "" {
			continue
		}
		loc := flexible(c.Replacement).FindStringIndex(pageText[cursor:])
		if loc == nil {
			continue
		}
		pg := pageOf(cursor + loc[0])
		c.Location, c.Page = parts[pg].Name, pg+1
		cursor += loc[1]
	}
	// Box what was withheld or masked, wherever it shows.
	d.edits = boxEdits(parts, d.changes)
	// The PDF's verification knows no findings of its own: nothing the
	// verifier finds in it is excused as a context artefact.
	d.found = make([][]ner.Finding, len(parts))
	d.strict = true
	return nil
}

// boxed are the actions whose replacements stand for removed content and
// are drawn as boxes in a converted PDF; the others (a year, initials, a
// city and state) are the value as the rule lets it show, and stay text.
var boxed = map[string]bool{string(profiles.Label): true, string(profiles.KeepLast): true}

// boxEdits returns an edit for every occurrence, on every page, of the
// replacement of a boxed change; the edit writes the same text back, so
// the PDF redactor draws it as the label of a box.
func boxEdits(parts []redactors.Part, changes []report.Change) []redactors.Edit {
	seen := map[string]bool{}
	var res []*regexp.Regexp
	for _, c := range changes {
		if boxed[c.Action] && c.Replacement != "" && !seen[c.Replacement] {
			seen[c.Replacement] = true
			res = append(res, flexible(c.Replacement))
		}
	}
	var edits []redactors.Edit
	for i, p := range parts {
		if !isPage(p) {
			continue
		}
		var es []redactors.Edit
		for _, re := range res {
			for _, m := range re.FindAllStringIndex(p.Text, -1) {
				es = append(es, redactors.Edit{Part: i, Start: m[0], End: m[1], Replacement: collapse(p.Text[m[0]:m[1]])})
			}
		}
		sort.Slice(es, func(a, b int) bool {
			return es[a].Start < es[b].Start || es[a].Start == es[b].Start && es[a].End > es[b].End
		})
		end := -1
		for _, e := range es {
			if e.Start >= end { // overlapping matches: the first, longest wins
				edits = append(edits, e)
				end = e.End
			}
		}
	}
	return edits
}

// flexible matches s with any run of white space where s has one: the
// layout may break a label across lines.
func flexible(s string) *regexp.Regexp {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(strings.Join(words, `\s+`))
}

// collapse writes a match back as the replacement it is: one space where
// the layout put a line break.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// joinPages joins page texts with a newline and returns the page of a
// byte offset of the joined text.
func joinPages(parts []redactors.Part) (string, func(int) int) {
	var b strings.Builder
	starts := make([]int, len(parts))
	for i, p := range parts {
		starts[i] = b.Len()
		if isPage(p) { // not other readings of the page
			b.WriteString(p.Text)
		}
		b.WriteByte('\n')
	}
	return b.String(), func(off int) int {
		return sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1
	}
}

// notesOf returns a document's notes (redactors.Noter).
func notesOf(doc redactors.Document) []string {
	if n, ok := doc.(redactors.Noter); ok {
		return append([]string(nil), n.Notes()...)
	}
	return nil
}

var _ converter = (*office.Converter)(nil)
