package docx

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ooxml"
)

// Leaks implements redactors.LeakChecker. It reads every entry of the zip
// data, not only the parts Parts shows: for XML, the character data (runs
// joined directly, so a value split across runs is whole again, and joined
// with spaces, so one at the end of a paragraph is a word), every attribute
// value, comments and processing instructions, all with references
// decoded; for other entries, their bytes. Entry names and zip comments are
// searched too. It returns the safe names of the entries where find
// reported a match.
func (d *Document) Leaks(data []byte, find func(text string) bool) ([]string, error) {
	lim := d.opts.Limits.OrDefault()
	zr, err := ooxml.OpenZip(data, lim)
	if err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	b := &ooxml.Budget{Lim: lim}
	var where []string
	if zr.Comment != "" && find(zr.Comment) {
		where = append(where, "zip comment")
	}
	var buf bytes.Buffer
	for i, f := range zr.File {
		name := safeName(f.Name, i)
		hit := find(f.Name) || (f.Comment != "" && find(f.Comment))
		if !strings.HasSuffix(f.Name, "/") {
			buf.Reset()
			if err := b.Read(i, f, &buf); err != nil {
				return nil, fmt.Errorf("docx: %w", err)
			}
			views := []string{strings.ToValidUTF8(buf.String(), " ")}
			if looksXML(f.Name, buf.Bytes()) {
				views, err = xmlViews(buf.Bytes())
				if err != nil {
					return nil, fmt.Errorf("docx: %s: output XML does not parse: %w", name, redactors.ErrCorrupt)
				}
			}
			for _, v := range views {
				if !hit && v != "" && find(v) {
					hit = true
				}
			}
		}
		if hit {
			where = append(where, name)
		}
	}
	return where, nil
}

func looksXML(name string, b []byte) bool {
	n := strings.ToLower(name)
	if strings.HasSuffix(n, ".xml") || strings.HasSuffix(n, ".rels") {
		return true
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	return bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n"), []byte("<?xml"))
}

// xmlViews returns the decoded text of an XML document in the forms Leaks
// searches.
func xmlViews(x []byte) ([]string, error) {
	dec := xml.NewDecoder(bytes.NewReader(x))
	dec.Strict = true
	var joined, spaced, attrs, other strings.Builder
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			for _, a := range t.Attr {
				attrs.WriteString(a.Value)
				attrs.WriteByte('\n')
			}
			spaced.WriteByte(' ')
		case xml.EndElement:
			spaced.WriteByte(' ')
		case xml.CharData:
			joined.Write(t)
			spaced.Write(t)
		case xml.Comment:
			other.Write(t)
			other.WriteByte('\n')
		case xml.ProcInst:
			other.Write(t.Inst)
			other.WriteByte('\n')
		case xml.Directive:
			other.Write(t)
			other.WriteByte('\n')
		}
	}
	return []string{joined.String(), spaced.String(), attrs.String(), other.String()}, nil
}
