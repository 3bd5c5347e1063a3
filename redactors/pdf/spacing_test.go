package pdf

import (
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// Word breaks as pdftotext makes them (its reading is verify's
// independent one: where the two disagree, a value one of them reads is
// found only by the other, and the file is quarantined or leaks):
//
//   - a space glyph whose word spacing takes its width to almost nothing
//     (a producer that sets a word's letters in pieces with a space between
//     them and a negative Tw) joins the letters around it;
//   - a character spacing of many ems is a placement, not letter spacing:
//     a page number set at the margin by the spacing after one glyph
//     stands apart from the word, and the digits drawn after it by a move
//     back to where they follow stay one number on the line.
//
// Helvetica at 10 pt: T 6.11, o 5.56, l 2.22, s 5.0, 3 5.56, space 2.78.
const spacingContent = "BT /F1 10 Tf 72 700 Td (Orsolya Quil) Tj -2.6 Tw ( lanby) Tj 0 Tw ( signed) Tj ET\n" +
	"BT /F1 10 Tf 0 Tw 72 680 Td (Tool) Tj 24 Tc (s3) Tj 0 Tc 1 0 0 1 126.01 680 Tm (02) Tj ET\n" +
	"BT /F1 10 Tf 72 660 Td (Tamsin Everard) Tj ET"

func TestSpacingAsPdftotextReads(t *testing.T) {
	in := pdftest.Pages(nil, spacingContent)
	d := parse(t, in)
	page := strings.Join(strings.Fields(d.Parts()[0].Text), " ")
	poppler := pdftotextOf(t, in)
	for _, want := range []string{"Orsolya Quillanby signed", "Tools 302", "Tamsin Everard"} {
		if !strings.Contains(page, want) {
			t.Errorf("Veil reads %q, want %q in it", page, want)
		}
		if !strings.Contains(poppler, want) {
			t.Errorf("pdftotext reads %q, want %q in it (the fixture does not test what it says)", poppler, want)
		}
	}
	// The value read whole is removed whole: neither reader finds it in
	// the output, nor its pieces.
	out, _ := redact(t, in, func(d redactors.Document) []redactors.Edit {
		return editsFor(d, "REDACTED", "Quillanby", "Everard")
	})
	got := pdftotextOf(t, out)
	for _, gone := range []string{"Quillanby", "Quil", "lanby", "Everard"} {
		if strings.Contains(got, gone) {
			t.Errorf("pdftotext reads %q in the output: %q", gone, got)
		}
	}
	if own := parse(t, out).Parts()[0].Text; strings.Contains(own, "Quil") || strings.Contains(own, "lanby") {
		t.Errorf("Veil reads a piece of the value in the output: %q", own)
	}
}

// A space the word spacing leaves wide stays a space, and a letter-spaced
// word (a small Tc) stays one word: the two rules above do not reach them.
func TestSpacingKeepsRealSpaces(t *testing.T) {
	// 0.6 pt at 10 pt is 0.06 em: narrow, and still a space to pdftotext.
	in := pdftest.Pages(nil, "BT /F1 10 Tf 72 700 Td 3 Tw (Orsolya Quillanby) Tj ET\n"+
		"BT /F1 10 Tf 72 680 Td -2.18 Tw (Tamsin Everard) Tj ET\n"+
		"BT /F1 10 Tf 72 660 Td 0.5 Tc (Ingrid) Tj ET")
	page := strings.Join(strings.Fields(parse(t, in).Parts()[0].Text), " ")
	poppler := pdftotextOf(t, in)
	for _, want := range []string{"Orsolya Quillanby", "Tamsin Everard", "Ingrid"} {
		if !strings.Contains(page, want) {
			t.Errorf("Veil reads %q, want %q in it", page, want)
		}
	}
	if !strings.Contains(poppler, "Ingrid") {
		t.Errorf("pdftotext reads %q, want a letter spacing of 0.05 em read as none", poppler)
	}
	for _, want := range []string{"Orsolya Quillanby", "Tamsin Everard"} {
		if !strings.Contains(poppler, want) {
			t.Errorf("pdftotext reads %q, want %q in it (the fixture does not test what it says)", poppler, want)
		}
	}
}

// A character spacing that leaves a word gap (more than wordGap with the
// spacing counted) is a space, as pdftotext reads it: a producer that sets
// the space of "Mrs Quillanby" as 0.27 em of character spacing after the
// "s" (pieces of two letters placed by Td, as a real book's pages do) is
// read "Mrs Quillanby", so a value after it is found whole; before, Veil
// read "MrsQuillanby", the value was not found and pdftotext showed it in
// the output. Letter-spaced text (0.2 em after every letter) reads as
// pdftotext reads it, "T a m s i n", and the letter-spaced reading joins
// it again, so that a letter-spaced value is still found and removed.
//
// Helvetica at 10 pt: "Dear Mr" 36.11, s 5.0, Q 7.78.
const charSpaceContent = "BT /F1 10 Tf 72 700 Td (Dear Mr) Tj 2.7 Tc 36.11 0 Td (sQ) Tj 0 Tc 15.48 0 Td (uillanby signed) Tj ET\n" +
	"BT /F1 10 Tf 72 680 Td 2 Tc (Tamsin Everard) Tj 0 Tc ( wrote) Tj ET"

func TestCharacterSpacingAsPdftotextReads(t *testing.T) {
	in := pdftest.Pages(nil, charSpaceContent)
	d := parse(t, in)
	page := strings.Join(strings.Fields(d.Parts()[0].Text), " ")
	poppler := strings.Join(strings.Fields(pdftotextOf(t, in)), " ")
	for _, want := range []string{"Dear Mrs Quillanby signed", "T a m s i n E v e r a r d"} {
		if !strings.Contains(page, want) {
			t.Errorf("Veil reads %q, want %q in it", page, want)
		}
		if !strings.Contains(poppler, want) {
			t.Errorf("pdftotext reads %q, want %q in it (the fixture does not test what it says)", poppler, want)
		}
	}
	var spaced string
	for _, p := range d.Parts() {
		if strings.HasSuffix(p.Name, readingSuffix[readingSpaced]) {
			spaced = strings.Join(strings.Fields(p.Text), " ")
		}
	}
	if !strings.Contains(spaced, "Tamsin Everard wrote") || !strings.Contains(spaced, "MrsQuillanby") {
		t.Errorf("the letter-spaced reading is %q, want the letters joined", spaced)
	}
	out, _ := redact(t, in, func(d redactors.Document) []redactors.Edit {
		return editsFor(d, "REDACTED", "Quillanby", "Everard")
	})
	got := strings.Join(strings.Fields(pdftotextOf(t, out)), " ")
	for _, gone := range []string{"Quillanby", "uillanby", "E v e r a r d"} {
		if strings.Contains(got, gone) {
			t.Errorf("pdftotext reads %q in the output: %q", gone, got)
		}
	}
	for _, kept := range []string{"Dear Mrs", "signed", "T a m s i n", "wrote"} {
		if !strings.Contains(got, kept) {
			t.Errorf("pdftotext lost %q: %q", kept, got)
		}
	}
	for _, p := range parse(t, out).Parts() {
		if strings.Contains(p.Text, "Everard") || strings.Contains(p.Text, "Quillanby") {
			t.Errorf("Veil reads a removed value in the output's %s: %q", p.Name, p.Text)
		}
	}
}

// TestHyphenKeptReading: a line-end hyphen the page text drops ("pre-" +
// "quillanby" reads "prequillanby", as pdftotext reads it) is kept, with
// its line break, in the reading readingHyphen, where the second word
// stands alone; an edit there removes that word's glyphs only.
func TestHyphenKeptReading(t *testing.T) {
	in := pdftest.Pages(nil, "BT /F1 10 Tf 72 700 Td (the format for pre-) Tj 0 -12 Td (quillanby data syntax) Tj ET")
	d := parse(t, in)
	if page := d.Parts()[0].Text; !strings.Contains(page, "prequillanby data") {
		t.Fatalf("page text %q, want the line joined", page)
	}
	var kept string
	for _, p := range d.Parts() {
		if strings.HasSuffix(p.Name, readingSuffix[readingHyphen]) {
			kept = p.Text
		}
	}
	if !strings.Contains(kept, "pre-\nquillanby data") {
		t.Fatalf("hyphen-kept reading %q", kept)
	}
	out, _ := redact(t, in, func(d redactors.Document) []redactors.Edit {
		var edits []redactors.Edit
		for i, p := range d.Parts() {
			if strings.HasSuffix(p.Name, readingSuffix[readingHyphen]) {
				k := strings.Index(p.Text, "quillanby")
				edits = append(edits, redactors.Edit{Part: i, Start: k, End: k + len("quillanby"), Replacement: "X"})
			}
		}
		return edits
	})
	got := strings.Join(strings.Fields(pdftotextOf(t, out)), " ")
	if strings.Contains(got, "quillanby") || !strings.Contains(got, "the format for pre") || !strings.Contains(got, "data syntax") {
		t.Errorf("pdftotext reads %q in the output", got)
	}
}
