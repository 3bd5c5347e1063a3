package pipeline

import (
	"strings"
	"testing"
)

func TestLocate(t *testing.T) {
	text := "first\nsecond\nthird has it"
	at := strings.Index(text, "has")
	for name, want := range map[string]string{
		"page 3":                   "page 3",
		"page 3 (codes as bytes)":  "page 3",
		"body":                     "line 3",
		"word/document.xml":        "paragraph 3",
		"word/header2.xml":         "page header",
		"word/footer1.xml":         "page footer",
		"word/footnotes.xml":       "footnotes",
		"word/comments.xml":        "comments",
		"word/document.xml:fields": "body, field codes",
		"word/header1.xml:table 1, row 1, column 2": "page header",
		"word/header1.xml:attributes":               "page header, image descriptions and form fields",
		"word/_rels/document.xml.rels":              "link targets",
		"docProps/core.xml:lastModifiedBy":          "document properties",
		"authors":                                   "author names (comments and tracked changes)",
		"word/charts/chart1.xml":                    "chart",
		"headers: To":                               "message header (To)",
		"body (text/plain)":                         "message text, line 3",
		"body (text/html)":                          "message text (HTML), line 3",
		"body (text/html): attributes":              "message text (HTML), link addresses and attributes",
		"part 1: body (text/plain)":                 "part 1, message text, line 3",
		"part 2: headers: Content-Description":      "part 2, message header (Content-Description)",
		"part 2: file name":                         "part 2, attachment file name",
		"part 2 (pdf): page 1":                      "attachment (part 2), page 1",
		"part 3 (docx): word/document.xml":          "attachment (part 3), paragraph 3",
		"message 2: headers: From":                  "message 2, message header (From)",
		"message 2: part 2 (pdf): page 4":           "message 2, attachment (part 2), page 4",
	} {
		if got := locateName(name, text, at); got != want {
			t.Errorf("%q: %q, want %q", name, got, want)
		}
	}
	// No Veil part name reaches the log.
	for _, name := range []string{"docProps/app.xml:Company", "word/settings.xml", "customXml/item1.xml"} {
		if got := locateName(name, text, 0); strings.Contains(got, ".xml") || strings.Contains(got, ":") {
			t.Errorf("%q: %q names a part", name, got)
		}
	}
}
