package pipeline

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/veilhq/veil/redactors"
)

// locate says where a change is in words that lead a reader of the
// redaction log to the place in the produced document: "page 3",
// "paragraph 12", "line 40", "page header", "document properties",
// "message header (To)", "attachment (part 2), page 1". Part names are
// the formats' structural names (redactors.Part.Name: "word/document.xml",
// "part 2 (pdf): page 1"); they stay in report.json, this goes in the log.
// start is the change's offset in the part's input text: lines and
// paragraphs are counted before it (a replacement never adds one).
//
// A document whose parts are made of paragraphs that a line break does
// not end (redactors.Paragraphed: Word) numbers the paragraphs of its
// body itself; part is the index of p in doc's parts.
func locate(doc redactors.Document, part int, p redactors.Part, start int) string {
	if pd, ok := doc.(redactors.Paragraphed); ok && path.Base(tableOf(p.Name)) == "document.xml" {
		if n := pd.Paragraph(part, start); n > 0 {
			return "paragraph " + strconv.Itoa(n)
		}
	}
	return locateName(p.Name, p.Text, start)
}

// emailPrefix matches the prefix of the parts of an email attachment read
// by a format ("part 2 (pdf): ", "body (docx): "), of a MIME part ("part
// 1.2: ") and of an mbox message ("message 3: "). A format name has no
// slash, so "body (text/html): attributes" is not one.
var emailPrefix = regexp.MustCompile(`^(part ([0-9.]+)|message ([0-9]+)|body) ?(\(([a-z0-9]+)\))?: `)

var pageName = regexp.MustCompile(`^page [0-9]+`)

// tableOf returns the name of the part a Word table cell's part is in
// ("word/document.xml:table 1, row 2, column 3" is in
// "word/document.xml"): its paragraphs are numbered with the part's.
func tableOf(name string) string {
	if i := strings.Index(name, ":table "); i >= 0 {
		return name[:i]
	}
	return name
}

func locateName(name, text string, start int) string {
	nth := func(what string) string {
		if start < 0 || start > len(text) {
			return what
		}
		return what + " " + strconv.Itoa(strings.Count(text[:start], "\n")+1)
	}
	if m := emailPrefix.FindStringSubmatch(name); m != nil {
		rest := locateName(name[len(m[0]):], text, start)
		switch {
		case m[3] != "":
			return "message " + m[3] + ", " + rest
		case m[1] == "body":
			return rest // a message that is one attachment-like body (a .msg's RTF)
		case m[5] != "":
			return "attachment (part " + m[2] + "), " + rest
		}
		return "part " + m[2] + ", " + rest
	}
	switch {
	case pageName.MatchString(name):
		return pageName.FindString(name) // "page 3 (another reading)" is page 3
	case name == "body":
		return nth("line")
	case strings.HasPrefix(name, "headers: "):
		return "message header (" + strings.TrimPrefix(name, "headers: ") + ")"
	case strings.HasPrefix(name, "body (text/html)"):
		if strings.HasSuffix(name, ": attributes") {
			return "message text (HTML), link addresses and attributes"
		}
		return nth("message text (HTML), line")
	case strings.HasPrefix(name, "body (text/calendar)"):
		return "calendar entry"
	case strings.HasPrefix(name, "body ("):
		return nth("message text, line")
	case name == "envelope" || name == "From line":
		return "mailbox separator line"
	case name == "file name" || name == "name":
		return "attachment file name"
	case name == "preamble" || name == "epilogue":
		return "message " + name
	case name == "authors":
		return "author names (comments and tracked changes)"
	case strings.HasPrefix(name, "docProps/"):
		return "document properties"
	case strings.HasSuffix(name, ".rels"):
		return "link targets"
	}
	base, suffix, _ := strings.Cut(tableOf(name), ":")
	var where string
	file := path.Base(base)
	switch {
	case strings.HasPrefix(base, "word/glossary/"):
		where = "building blocks"
	case file == "document.xml":
		where = nth("paragraph")
	case strings.HasPrefix(file, "header"):
		where = "page header"
	case strings.HasPrefix(file, "footer"):
		where = "page footer"
	case strings.HasPrefix(file, "footnotes"):
		where = "footnotes"
	case strings.HasPrefix(file, "endnotes"):
		where = "endnotes"
	case strings.HasPrefix(file, "comments"):
		where = "comments"
	case strings.Contains(base, "/charts/"):
		where = "chart"
	case strings.Contains(base, "/diagrams/"):
		where = "diagram"
	case strings.HasPrefix(base, "word/"):
		where = "document settings"
	default:
		where = "document"
	}
	switch suffix {
	case "fields":
		if file == "document.xml" {
			where = "body"
		}
		return where + ", field codes"
	case "attributes":
		if file == "document.xml" {
			where = "body"
		}
		return where + ", image descriptions and form fields"
	}
	return where
}
