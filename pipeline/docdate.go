package pipeline

import (
	"fmt"
	"strings"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
)

// The privilege log gives each entry the document's date. A letter or a
// memo says it in its first dated line; an email's Date header is the
// date it was sent; a file's creation date (PDF, Word) is the last resort.
// The date is read in Analyze, from the input as parsed: the metadata is
// gone from the output. It never goes in a log line; the report holds it
// only for entries of the privilege log, and only when the profile keeps
// dates (see Engine.Apply).

// documentDate returns the date of a parsed document as the privilege log
// writes it (2024-03-14), or the date of its first dated line
// (textDate), or "".
func documentDate(doc redactors.Document, textDate string) string {
	meta, sent := "", false
	if dd, ok := doc.(redactors.Dated); ok {
		if t, s, has := dd.Date(); has {
			meta, sent = t.Format("2006-01-02"), s
		}
	}
	if sent || textDate == "" {
		return meta
	}
	return textDate
}

// contentPart returns the index of the part whose first date is the
// document's: the body of a text, the first page, a Word document's
// main text, an email's text; -1 when none is.
func contentPart(parts []redactors.Part) int {
	for i, p := range parts {
		switch {
		case p.Name == "body", p.Page == 1 && strings.HasPrefix(p.Name, "page "),
			p.Name == "word/document.xml", strings.HasPrefix(p.Name, "body (text/"):
			return i
		}
	}
	return -1
}

// firstDate returns the first DATE finding of text among fs (the part's
// findings before the profile's filter: court keeps dates) that reads as
// a month and a year at least, written 2024-03-14 or 2024-03.
func firstDate(text string, fs []ner.Finding, threshold float64) string {
	var sure []ner.Finding
	for _, f := range fs {
		if f.Score >= threshold {
			sure = append(sure, f)
		}
	}
	for _, f := range ner.Resolve(sure) {
		if f.Entity != ner.Date {
			continue
		}
		d := profiles.ParseDate(text[f.Start:f.End])
		if d.Year == 0 || d.Month == 0 {
			continue
		}
		if d.Day == 0 {
			return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
		}
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
	return ""
}
