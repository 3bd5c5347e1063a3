package redactors

import "time"

// StampMargin is an optional interface of Stampers that keep production
// numbers inside a safe print margin: SetStampMargin sets it, in points
// from every edge of the page, before Redact.
type StampMargin interface {
	SetStampMargin(points float64) error
}

// Dated is an optional interface of Documents that carry a date in their
// metadata: an email's Date header, a PDF's or a Word document's creation
// date. It is read from the input as parsed, before Redact removes the
// metadata, for the privilege log; it never goes in a log line.
type Dated interface {
	// Date returns the date, and whether it is the date the document was
	// sent (an email's), which says more than a date in its text; ok is
	// false when there is none.
	Date() (t time.Time, sent, ok bool)
}

// Paragraphed is an optional interface of Documents whose text parts are
// made of paragraphs that a line break does not end (a Word document's
// body: a manual line break is a "\n" in the part's text, as a
// paragraph's end is). Paragraph returns the number, from 1, of the
// paragraph of part i that holds byte offset off of its text, counted
// as a reader counts them from the top (empty paragraphs and table cells
// included), or 0 when the part is not made of paragraphs.
type Paragraphed interface {
	Paragraph(part, off int) int
}
