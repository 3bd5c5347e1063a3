package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ooxml"
)

var _ redactors.IndependentReader = (*Document)(nil)

// IndependentText implements redactors.IndependentReader. It reads data
// with code that shares nothing with the scanner that finds text for
// redaction (ooxml.Walk, its zip reader and lexer, and this package's
// visitor): Go's archive/zip opens the archive (every entry, whatever its
// name or content type) and encoding/xml parses every entry that starts
// like XML. Of every element it takes the character data and every
// attribute value, whatever the element, one a line, and leaves out only
// what the closed vocabulary of structural values (ooxml.Vocabulary) calls
// structure, so that detection does not read identifiers, enumerations and
// measurements as names; the values of cells and of chart caches are
// always read, numbers and date serials included. An XML entry that does
// not parse is an error: what cannot be read is not verified.
func (d *Document) IndependentText(data []byte) ([]redactors.Part, error) {
	lim := d.opts.Limits.OrDefault()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("xlsx: independent reading: output is not a readable zip: %w", redactors.ErrCorrupt)
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, fmt.Errorf("xlsx: independent reading: %w", redactors.ErrTooLarge)
	}
	vocab := ooxml.Standard()
	left := lim.MaxTotalSize
	var out []redactors.Part
	for i, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("xlsx: independent reading: an entry cannot be opened: %w", redactors.ErrCorrupt)
		}
		b, err := io.ReadAll(io.LimitReader(rc, left+1))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("xlsx: independent reading: an entry cannot be inflated: %w", redactors.ErrCorrupt)
		}
		if left -= int64(len(b)); left < 0 {
			return nil, fmt.Errorf("xlsx: independent reading: %w", redactors.ErrTooLarge)
		}
		t := bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")), " \t\r\n")
		if len(t) == 0 || t[0] != '<' {
			continue
		}
		name := safeName(f.Name, i)
		text, attrs, err := independentXML(vocab, strings.ToValidUTF8(string(b), " "))
		if err != nil {
			return nil, fmt.Errorf("xlsx: independent reading of %s: %w", name, redactors.ErrCorrupt)
		}
		if strings.TrimSpace(text) != "" {
			out = append(out, redactors.Part{Name: name + " (independent reading: character data)", Text: text})
		}
		if strings.TrimSpace(attrs) != "" {
			out = append(out, redactors.Part{Name: name + " (independent reading: attribute values)", Text: attrs})
		}
	}
	return out, nil
}

// independentXML returns the character data and the attribute values of
// one XML entry that the vocabulary does not call structural, one a line.
func independentXML(vocab *ooxml.Vocabulary, x string) (text, attrs string, err error) {
	dec := xml.NewDecoder(strings.NewReader(x))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	var t, a strings.Builder
	var cur *ooxml.Element
	seen := map[string]bool{}
	prefixes := map[string]bool{}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", "", err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &ooxml.Element{Name: tok.Name, Parent: cur}
			cur = e
			for _, at := range tok.Attr {
				if at.Name.Space == "xmlns" {
					prefixes[at.Name.Local] = true
				}
			}
			for _, at := range tok.Attr {
				if seen[at.Value] || vocab.ClassifyAttr(e, at.Name, at.Value) == ooxml.Structural || allIn(prefixes, at.Value) {
					continue
				}
				seen[at.Value] = true
				val := at.Value
				if u, err := url.PathUnescape(val); err == nil {
					val = u // a link's target as a reader sees it
				}
				a.WriteString(strings.ReplaceAll(val, "\n", " ") + "\n")
			}
		case xml.EndElement:
			if cur != nil {
				cur = cur.Parent
			}
		case xml.Comment, xml.ProcInst, xml.Directive:
			var s string
			switch tok := tok.(type) {
			case xml.Comment:
				s = string(tok)
			case xml.ProcInst:
				if tok.Target == "xml" {
					continue
				}
				s = tok.Target + " " + string(tok.Inst)
			case xml.Directive:
				s = string(tok)
			}
			t.WriteString(strings.ReplaceAll(s, "\n", " ") + "\n")
		case xml.CharData:
			if cur == nil || strings.TrimSpace(string(tok)) == "" {
				continue
			}
			if cur.Name.Local != "v" && vocab.ClassifyText(cur, string(tok)) == ooxml.Structural {
				continue
			}
			v := string(tok)
			if strings.HasSuffix(cur.Name.Local, "Header") || strings.HasSuffix(cur.Name.Local, "Footer") {
				// a header's &-codes (&L, &P, &"Arial,Bold", &12) read as line
				// breaks, "&&" as "&"
				v = hfCode.ReplaceAllStringFunc(v, func(c string) string {
					if c == "&&" {
						return "&"
					}
					return "\n"
				})
			}
			t.WriteString(v + "\n")
		}
	}
	return t.String(), a.String(), nil
}

var hfCode = regexp.MustCompile(`&(&|"[^"]*"|[0-9]+|.)`)

// allIn reports whether every word of v is a declared namespace prefix
// (mc:Ignorable lists them).
func allIn(set map[string]bool, v string) bool {
	f := strings.Fields(v)
	for _, w := range f {
		if !set[w] {
			return false
		}
	}
	return len(f) > 0
}
