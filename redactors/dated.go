package redactors

import "time"

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
