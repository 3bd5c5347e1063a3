package main

import (
	"fmt"
	"strings"

	"github.com/veilhq/veil/redactors/docx/docxtest"
)

// The production fixtures: three documents a paralegal produces, written
// as Word documents and printed to PDF by LibreOffice in the test, as a
// firm's documents are. Every person, firm, number and matter is invented.

// privileged are the deny-list terms of the fixtures' matter.
var privileged = []string{"Kestrel acquisition", "Lantern memorandum"}

// fixtureValues are values that must not survive the production, with
// what the court profile shows instead.
var fixtureValues = map[string]string{
	"521-38-4410":         "XXX-XX-4410",
	"Kestrel acquisition": "",
	"Lantern memorandum":  "",
	"Toby Aldana":         "T.A.",
	"4/17/2011":           "2011",
	"4111 1111 1111 1111": "XXXX1111",
}

// para is a paragraph with optional justification and size (half-points).
func para(text, jc string, halfPoints int) string {
	ppr := ""
	if jc != "" {
		ppr = `<w:pPr><w:jc w:val="` + jc + `"/></w:pPr>`
	}
	rpr := ""
	if halfPoints > 0 {
		rpr = fmt.Sprintf(`<w:rPr><w:sz w:val="%d"/></w:rPr>`, halfPoints)
	}
	return `<w:p>` + ppr + `<w:r>` + rpr + `<w:t xml:space="preserve">` + docxtest.Esc(text) + `</w:t></w:r></w:p>`
}

// letterheadLetter is a firm's letter: a letterhead in the page header, a
// dated letter with a privileged passage and an SSN, a footer.
func letterheadLetter() []byte {
	return docxtest.Doc{
		Header: para("MARLOW & TENNANT LLP", "center", 28) +
			para("410 Quarry Street, Suite 1200 · Halden, OR 97299 · (503) 555-0190", "center", 16),
		Body: para("March 3, 2025", "", 0) +
			para("", "", 0) +
			para("Ms. Odessa Whitfield", "", 0) +
			para("Brannock Holdings", "", 0) +
			para("88 Lindqvist Avenue, Corvallis, OR 97330", "", 0) +
			para("", "", 0) +
			para("Re: Whitfield v. Brannock Holdings, No. 3:24-cv-01177", "", 0) +
			para("", "", 0) +
			para("Dear Ms. Whitfield:", "", 0) +
			para("Thank you for the records you sent on February 20. As we discussed, the Kestrel acquisition "+
				"should not be mentioned in the declaration until we have reviewed the Lantern memorandum together.", "both", 0) +
			para("The claimant's Social Security number, 521-38-4410, appears on the intake form; the court "+
				"filing will show only its last four digits.", "both", 0) +
			para("Please call me with any questions.", "", 0) +
			para("", "", 0) +
			para("Sincerely,", "", 0) +
			para("Harriet Tennant", "", 0),
		Footer: para("Privileged and confidential — attorney-client communication", "center", 16),
	}.Build()
}

// paymentsTable is a payments schedule: a table with dates, payees, card
// and account numbers, amounts, and a privileged note that wraps over two
// lines of a narrow column.
func paymentsTable() []byte {
	cell := func(text string, width int) string {
		return fmt.Sprintf(`<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>%s</w:tc>`, width, para(text, "", 20))
	}
	widths := []int{1300, 2300, 2600, 1300, 1860}
	row := func(cells ...string) string {
		var b strings.Builder
		b.WriteString("<w:tr>")
		for i, c := range cells {
			b.WriteString(cell(c, widths[i]))
		}
		b.WriteString("</w:tr>")
		return b.String()
	}
	var tbl strings.Builder
	tbl.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="9360" w:type="dxa"/><w:tblBorders>`)
	for _, s := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(&tbl, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, s)
	}
	tbl.WriteString(`</w:tblBorders></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		fmt.Fprintf(&tbl, `<w:gridCol w:w="%d"/>`, w)
	}
	tbl.WriteString(`</w:tblGrid>`)
	tbl.WriteString(row("Date", "Payee", "Paid from", "Amount", "Note"))
	tbl.WriteString(row("01/06/2025", "Ostrander Supply Co.", "Card 4111 1111 1111 1111", "$1,240.00", "invoice 5512"))
	tbl.WriteString(row("01/21/2025", "Pell & Ruiz CPAs", "Account No. 0073-1186-4520", "$3,900.00", "Kestrel acquisition fees"))
	tbl.WriteString(row("02/04/2025", "Halden Water District", "Account No. 0073-1186-4520", "$212.57", "quarterly"))
	tbl.WriteString(row("02/18/2025", "Brannock Holdings", "Card 4111 1111 1111 1111", "$18,000.00", "deposit"))
	tbl.WriteString(`</w:tbl>`)
	return docxtest.Doc{
		Body: para("Schedule of payments, January–February 2025", "center", 28) +
			para("Prepared for Whitfield v. Brannock Holdings, No. 3:24-cv-01177", "center", 0) +
			para("", "", 0) + tbl.String() + para("", "", 0) +
			para("Totals reconcile to the general ledger as of February 28, 2025.", "", 0),
		Footer: para("Payments schedule", "center", 16),
	}.Build()
}

// depositionTranscript is two pages of a deposition: numbered lines, a
// minor named with his age and birth date, a privileged passage, and the
// page number at the foot's right corner, where a Bates number goes by
// default.
func depositionTranscript() []byte {
	lines := []string{
		"Q. Please state your name for the record.",
		"A. Corinne Aldana.",
		"Q. Ms. Aldana, who lives with you at the Corvallis house?",
		"A. My son, Toby Aldana, a minor, age 12. He was born on 4/17/2011.",
		"Q. Did Toby see the accident?",
		"A. No, he was at school that morning.",
		"Q. Did you speak with anyone about the Kestrel acquisition?",
		"A. Only with my lawyer, about the Lantern memorandum.",
		"MR. TENNANT: Objection. Privileged. I instruct the witness not to answer further.",
		"Q. Let us move on. When did you first see the property?",
		"A. In the spring of 2023, with the realtor.",
		"Q. Who was the realtor?",
		"A. Desmond Fairweather, of Fairweather Homes.",
	}
	var body strings.Builder
	body.WriteString(para("IN THE UNITED STATES DISTRICT COURT FOR THE DISTRICT OF OREGON", "center", 20))
	body.WriteString(para("Deposition of Corinne Aldana, taken March 11, 2025", "center", 20))
	n := 0
	for page := 0; page < 2; page++ {
		for i := 0; i < 25; i++ {
			n++
			text := lines[(n-1)%len(lines)]
			if page == 1 && i > 20 {
				text = ""
			}
			body.WriteString(para(fmt.Sprintf("%2d   %s", i+1, text), "", 20))
		}
		if page == 0 {
			body.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
		}
	}
	return docxtest.Doc{
		Body:   body.String(),
		Footer: para("Aldana Deposition — Page", "right", 18),
	}.Build()
}
