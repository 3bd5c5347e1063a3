package docx

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	dt "github.com/veilhq/veil/redactors/docx/docxtest"
	"github.com/veilhq/veil/redactors/formattest"
)

// markerDoc shows formattest.Marker in every kind of place Parts show:
// split across runs of the body, a table, a text box, header, footer,
// footnote, comment, alt text, a hyperlink target, a field argument, a
// document variable, a title and a customXml item.
func markerDoc() []byte {
	const m = formattest.Marker
	return dt.Doc{
		Body: dt.P("Referral for "+m[:4], m[4:]+", second visit.") +
			`<w:tbl><w:tr><w:tc>` + dt.P("Client") + `</w:tc><w:tc>` + dt.P(m) + `</w:tc></w:tr></w:tbl>` +
			`<w:p>` + dt.R("Box: ") + dt.TextBox(dt.P("Call "+m)) + `</w:p>` +
			`<w:p>` + dt.Image("rIdImg", "Picture 1", "Photo of "+m) +
			`<w:hyperlink r:id="rIdLink"><w:r><w:t>write</w:t></w:r></w:hyperlink>` +
			`<w:fldSimple w:instr=" MERGEFIELD Client_Marlowe "><w:r><w:t>«Client»</w:t></w:r></w:fldSimple>` +
			`<w:commentRangeStart w:id="0"/>` + dt.R(" Seen with Zoë Ærensen.") + `<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>` +
			`<w:r><w:footnoteReference w:id="1"/></w:r></w:p>`,
		Header:    dt.P("Client: " + m),
		Footer:    dt.P("Prepared for " + m),
		Footnotes: `<w:footnote w:id="1">` + dt.P(" "+m+"'s sister lives nearby.") + `</w:footnote>`,
		Comments:  `<w:comment w:id="0" w:author="Ines Varga-Holm" w:initials="IV">` + dt.P("Ask "+m+" about sleep.") + `</w:comment>`,
		Settings:  `<w:docVars><w:docVar w:name="client" w:val="` + m + `"/></w:docVars>`,
		Core:      `<dc:title>Notes on ` + m + `</dc:title><dc:creator>Ines Varga-Holm</dc:creator>`,
		Rels: []dt.Rel{
			{ID: "rIdLink", Type: dt.RelHyperlink, Target: "mailto:marlowe.quistgaard@example.org", External: true},
			{ID: "rIdImg", Type: dt.RelImage, Target: "media/image1.png"},
		},
		Files: []dt.File{
			{Name: "word/media/image1.png", Data: dt.PNG()},
			{Name: "customXml/item1.xml", Data: `<?xml version="1.0" encoding="UTF-8"?><client><name>` + m + `</name></client>`},
		},
	}.Build()
}

// sanitised are the parts Redact rewrites whatever the edits: authors
// become "Author", identifying properties are emptied.
func sanitised(p redactors.Part) bool {
	switch p.Name {
	case "authors", "docProps/core.xml:creator", "docProps/core.xml:lastModifiedBy",
		"docProps/app.xml:Company", "docProps/app.xml:Manager", "docProps/custom.xml":
		return true
	}
	return false
}

// kept are the separators that are in no byte of the XML: paragraph ends
// and tabs everywhere, and the space between the arguments of a field.
func kept(p redactors.Part) string {
	if strings.HasSuffix(p.Name, ":fields") {
		return "\n\t "
	}
	return "\n\t"
}

// compare is formattest.Exact, except in list parts (one value a line:
// attributes, properties, relationship targets, customXml data), which
// show each distinct value once and no empty value: a value its edit
// empties is gone, and two values that edits make equal are one; in field
// parts (the arguments of one field a line), where a field whose
// arguments are all removed is no line any more; and in date parts
// ("<part>:dates", dates in typed slots), where a date an edit touches is
// removed whole rather than spliced; and a value shown after a label
// ("mrn: ", the name of its attribute or element, in no byte of the file)
// is removed whole when an edit touches the label. These parts are compared without
// empty lines, and list parts without repeated lines; a part left with no
// line is not shown at all.
func compare(in []redactors.Part, edits []redactors.Edit, out []redactors.Part) error {
	var want, got []redactors.Part
	for i, p := range in {
		switch {
		case isDates(p.Name):
			p.Text = untouchedLines(p.Text, redactors.EditsOf(edits, i), func(string) int { return -1 })
		case labelled(p.Name):
			p.Text = untouchedLines(p.Text, redactors.EditsOf(edits, i), labelEnd)
			p.Text = emptyValuesDropped(p.Text)
		default:
			p.Text = redactors.Splice(p.Text, redactors.EditsOf(edits, i))
		}
		want = append(want, p)
	}
	got = append(got, out...)
	for _, ps := range []*[]redactors.Part{&want, &got} {
		var kept []redactors.Part
		for _, p := range *ps {
			list, fields := isList(p.Name), strings.HasSuffix(p.Name, ":fields")
			if list || fields {
				var lines []string
				for _, l := range strings.Split(p.Text, "\n") {
					if l != "" && !(list && slices.Contains(lines, l+"\n")) {
						lines = append(lines, l+"\n")
					}
				}
				p.Text = strings.Join(lines, "")
				if p.Text == "" {
					continue
				}
			}
			kept = append(kept, p)
		}
		*ps = kept
	}
	return formattest.Exact(want, nil, got)
}

// isDates reports a part of dates in typed slots, which an edit removes.
func isDates(name string) bool { return strings.HasSuffix(name, ":dates") }

// untouchedLines applies edits to text line by line: a line is removed
// when an edit touches its label (the first labelEnd(line) bytes; a
// negative labelEnd means the whole line), else the line's edits are
// spliced into it. Edits never cross a newline (the newlines of these
// parts are in no byte of the file: kept).
func untouchedLines(text string, edits []redactors.Edit, labelEnd func(line string) int) string {
	var b strings.Builder
	start := 0
	for start < len(text) {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start + 1
		}
		line := text[start:end]
		lim := labelEnd(line)
		if lim < 0 {
			lim = len(line)
		}
		var mine []redactors.Edit
		drop := false
		for _, e := range edits {
			if e.End < start || e.Start > end || (e.Start == end && end > start && text[end-1] == '\n') {
				continue
			}
			if e.Start < start+lim {
				drop = true
				break
			}
			e.Start -= start
			e.End -= start
			mine = append(mine, e)
		}
		if !drop {
			b.WriteString(redactors.Splice(line, mine))
		}
		start = end
	}
	return b.String()
}

// emptyValuesDropped removes the lines whose value an edit emptied: a
// label with nothing after it shows no value.
func emptyValuesDropped(text string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(text, "\n") {
		if n := labelEnd(l); n > 0 && strings.TrimSuffix(l[n:], "\n") == "" {
			continue
		}
		b.WriteString(l)
	}
	return b.String()
}

// labelled reports a part whose values of unknown slots are shown after
// a label (customXml data, attribute lists).
func labelled(name string) bool {
	return strings.HasPrefix(name, "customXml/") || strings.HasSuffix(name, ":attributes")
}

// labelRe matches the label a value of an unknown slot is shown after.
var labelRe = regexp.MustCompile(`^[\pL_][\pL\pN._-]*: `)

// labelEnd returns the length of line's label, 0 when it has none.
func labelEnd(line string) int { return len(labelRe.FindString(line)) }

// isList reports a part made of whole values, one a line.
func isList(name string) bool {
	return strings.HasSuffix(name, ":attributes") || strings.HasSuffix(name, ".rels") || isDates(name) ||
		strings.HasPrefix(name, "docProps/") || strings.HasPrefix(name, "customXml/") || name == "authors"
}

func options(t testing.TB) formattest.Options {
	fx := []formattest.Fixture{{Name: "marker", Data: markerDoc()}}
	for _, f := range fixtures() {
		fx = append(fx, formattest.Fixture{Name: f.name, Data: f.doc.Build()})
	}
	sample, err := os.ReadFile("../../samples/cases/supervision_handout.docx")
	if err != nil {
		t.Fatal(err)
	}
	fx = append(fx, formattest.Fixture{Name: "supervision_handout", Data: sample})
	return formattest.Options{
		Format:    New(Options{}),
		Fixtures:  fx,
		Compare:   compare,
		Sanitised: sanitised,
		Kept:      kept,
		// No '"' or '\' in replacements: a field argument is read again by
		// tokenising the field instruction, where a quote ends the argument
		// and a backslash starts a switch; and an external file path is
		// cut to what follows its last backslash or slash.
		Replacements: []string{"", "X", "[REDACTED]", "Person A", "<R&'>", "(paren)", "Zoë Ærø", "«R»"},
		Leaks:        leakCases(),
		Judge:        judge,
	}
}

// judge is an adversary's reading of a DOCX, independent of this package:
// every zip entry decompressed, and for each its raw bytes, the bytes with
// references decoded, and the text between tags joined (xmlTexts).
func judge(t testing.TB, data []byte) string {
	names, files := unzip(t, data)
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n + "\n")
		for _, s := range xmlTexts(files[n]) {
			b.WriteString(s + "\n")
		}
	}
	return b.String()
}

// leakCases are the DOCX leak corpus: values in places Veil handles today.
// Every person is invented.
func leakCases() []formattest.LeakCase {
	return []formattest.LeakCase{
		{Name: "kitchen sink", File: fixtures()[0].doc.Build(), Secrets: leakValues},
		{Name: "name split across runs and a text box", File: dt.Doc{
			Body: `<w:p><w:r><w:t>Client: Ysol</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>de Parr</w:t></w:r><w:r><w:t>ish.</w:t></w:r></w:p>` +
				`<w:p>` + dt.TextBox(dt.P("Ysolde Parrish, room 4")) + `</w:p>`,
		}.Build(), Secrets: []string{"Ysolde Parrish"}},
		{Name: "tracked deletion and revision author", File: dt.Doc{
			Body: `<w:p>` + dt.R("Referred by ") + `<w:del w:id="1" w:author="Bertram Quayle" ` + date + `><w:r><w:delText>Ysolde Parrish</w:delText></w:r></w:del>` +
				`<w:ins w:id="2" w:author="Bertram Quayle" ` + date + `><w:r><w:t>her GP</w:t></w:r></w:ins></w:p>`,
		}.Build(), Secrets: []string{"Ysolde Parrish", "Bertram Quayle"}},
		{Name: "header, footer, footnote and comment", File: dt.Doc{
			Body:      `<w:p><w:commentRangeStart w:id="0"/>` + dt.R("Plan agreed.") + `<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>`,
			Header:    dt.P("Ysolde Parrish — confidential"),
			Footer:    dt.P("MRN 7730-1184"),
			Footnotes: `<w:footnote w:id="1">` + dt.P(" Sister: Odile Parrish.") + `</w:footnote>`,
			Comments:  `<w:comment w:id="0" w:author="Bertram Quayle" w:initials="BQ">` + dt.P("Call Ysolde on 0161 496 0732.") + `</w:comment>`,
		}.Build(), Secrets: []string{"Ysolde", "7730-1184", "Odile Parrish", "Bertram Quayle", "0161 496 0732"}},
		{Name: "properties", File: dt.Doc{
			Body:   dt.P("Session notes."),
			Core:   `<dc:title>Ysolde Parrish intake</dc:title><dc:creator>Bertram Quayle</dc:creator><cp:lastModifiedBy>bquayle</cp:lastModifiedBy><cp:keywords>MRN 7730-1184</cp:keywords>`,
			App:    `<Manager>Odile Fenwick-Tarr</Manager><Company>Harbourside Family Practice</Company>`,
			Custom: `<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Client"><vt:lpwstr>Ysolde Parrish</vt:lpwstr></property>`,
		}.Build(), Secrets: []string{"Ysolde Parrish", "Bertram Quayle", "bquayle", "7730-1184", "Odile Fenwick-Tarr", "Harbourside Family Practice"}},
		{Name: "links, template path, alt text, variables and customXml", File: dt.Doc{
			Body: `<w:p><w:hyperlink r:id="rIdLink" w:tooltip="Mail Ysolde"><w:r><w:t>mail</w:t></w:r></w:hyperlink>` +
				dt.Image("rIdImg", "Picture 1", "Scan of Parrish referral") + `</w:p>`,
			Settings: `<w:attachedTemplate r:id="rIdTemplate"/><w:docVars><w:docVar w:name="mrn" w:val="7730-1184"/></w:docVars>`,
			Rels: []dt.Rel{{ID: "rIdLink", Type: dt.RelHyperlink, Target: "mailto:y.parrish@example.org", External: true},
				{ID: "rIdImg", Type: dt.RelImage, Target: "media/image1.png"}},
			SettingsRels: []dt.Rel{{ID: "rIdTemplate", Type: dt.RelBase + "attachedTemplate",
				Target: `file:///C:\Users\bquayle\Templates\Parrish%20letter.dotx`, External: true}},
			Files: []dt.File{{Name: "word/media/image1.png", Data: dt.PNG()},
				{Name: "customXml/item1.xml", Data: `<?xml version="1.0" encoding="UTF-8"?><patient><name>Ysolde Parrish</name></patient>`}},
		}.Build(), Secrets: []string{"Ysolde", "Parrish", "y.parrish@example.org", "bquayle", "7730-1184"}},
	}
}

func TestConformance(t *testing.T) { formattest.Run(t, options(t)) }
