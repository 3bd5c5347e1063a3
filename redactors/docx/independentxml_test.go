package docx

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors/ooxml"
)

// independentXMLStd is the reading before zipview.Tokenizer: it parses one XML entry with encoding/xml and returns its
// character data and its attribute values that the vocabulary does not
// call structural (see IndependentText).
func independentXMLStd(vocab *ooxml.Vocabulary, x string) (text, attrs string, err error) {
	dec := xml.NewDecoder(strings.NewReader(x))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	var t, a strings.Builder
	var cur *ooxml.Element
	seen := map[string]bool{}     // attribute values written already
	prefixes := map[string]bool{} // namespace prefixes declared in the entry
	line := func(b *strings.Builder) {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
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
			// Token resolves prefixes to namespace URIs, as the
			// vocabulary wants them.
			e := &ooxml.Element{Name: tok.Name, Parent: cur}
			if cur != nil {
				e.Depth = cur.Depth + 1
			}
			cur = e
			for _, at := range tok.Attr {
				if at.Name.Space == "xmlns" {
					prefixes[at.Name.Local] = true
				}
			}
			for _, at := range tok.Attr {
				if vocab.ClassifyAttr(e, at.Name, at.Value) == ooxml.Structural || seen[at.Value] || allIn(prefixes, at.Value) {
					continue
				}
				seen[at.Value] = true
				val := at.Value
				if at.Name.Local == "instr" {
					val = fieldStructure(vocab, val)
				}
				if u, err := url.PathUnescape(val); err == nil {
					val = u // a link's target as a reader sees it
				}
				a.WriteString(strings.ReplaceAll(val, "\n", " "))
				a.WriteByte('\n')
			}
			switch e.Name.Local {
			case "tab":
				t.WriteByte(' ')
			case "br", "cr":
				line(&t)
			}
		case xml.EndElement:
			if cur == nil {
				continue
			}
			if cur.Name.Local == "p" {
				line(&t)
			}
			cur = cur.Parent
		case xml.Comment:
			line(&t)
			t.WriteString(strings.ReplaceAll(string(tok), "\n", " "))
			line(&t)
		case xml.ProcInst:
			if tok.Target != "xml" {
				line(&t)
				t.WriteString(tok.Target + " " + strings.ReplaceAll(string(tok.Inst), "\n", " "))
				line(&t)
			}
		case xml.Directive:
			line(&t)
			t.WriteString(strings.ReplaceAll(string(tok), "\n", " "))
			line(&t)
		case xml.CharData:
			if cur == nil || vocab.ClassifyText(cur, string(tok)) == ooxml.Structural {
				continue
			}
			if l := cur.Name.Local; l != "t" && l != "delText" {
				line(&t)
				s := strings.ReplaceAll(string(tok), "\n", " ")
				if l == "instrText" {
					s = fieldStructure(vocab, s)
				}
				t.WriteString(s)
				line(&t)
				continue
			}
			t.Write(tok)
		}
	}
	return t.String(), a.String(), nil
}

// strictXML reports whether encoding/xml reads x in strict mode.
func strictXML(x []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(x))
	d.Entity = xml.HTMLEntity
	for {
		if _, err := d.Token(); err == io.EOF {
			return true
		} else if err != nil {
			return false
		}
	}
}

// The independent reading on zipview.Tokenizer gives the texts it gave on
// encoding/xml: for every entry encoding/xml reads strictly, and wherever
// both read one.
func FuzzIndependentXML(f *testing.F) {
	filepath.WalkDir("../ooxml/testdata/corpus", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".rels")) {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
		return nil
	})
	f.Add([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Tamsin</w:t></w:r><w:r><w:tab/><w:t>Everard&#160;&nbsp;R&amp;D</w:t></w:r></w:p><w:p><w:r><w:instrText> HYPERLINK "mailto:t.everard@example.org" </w:instrText></w:r></w:p><!-- Orsolya --><?app Quillanby?></w:body></w:document>`))
	f.Add([]byte(`<ehr:Patient xmlns:ehr="urn:ehr" name="Orsolya Quillanby" mrn="00417" dob="1961-03-02"><ehr:note><![CDATA[seen by Tamsin Everard]]></ehr:note></ehr:Patient>`))
	vocab := ooxml.Standard()
	f.Fuzz(func(t *testing.T, b []byte) {
		x := validUTF8(b)
		text, attrs, err := independentXML(vocab, x)
		wantText, wantAttrs, stdErr := independentXMLStd(vocab, string(x))
		if stdErr != nil || (err != nil && !strictXML(x)) {
			return
		}
		if err != nil {
			t.Fatalf("encoding/xml reads it, the tokenizer fails: %v", err)
		}
		if text != wantText || attrs != wantAttrs {
			t.Fatalf("readings differ:\ntext %q\nwant %q\nattrs %q\nwant %q", text, wantText, attrs, wantAttrs)
		}
	})
}

// TestCachedXMLSecondSight: the independent reading of an entry is kept
// only once the entry is met a second time (a document's own XML is not
// held after its file), and the cache gives the reading of the bytes.
func TestCachedXMLSecondSight(t *testing.T) {
	xmlCache.Reset() // what other tests (and -count=2) read
	vocab := ooxml.Standard()
	x := []byte(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		strings.Repeat(`<w:p><w:r><w:t>Orsolya Quillanby, MRN 48213907, called (617) 555-0143.</w:t></w:r></w:p>`, 4) + `</w:body></w:document>`)
	want, wantAttrs, err := independentXML(vocab, x)
	if err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 3; round++ {
		got, gotAttrs, err := cachedXML(vocab, x)
		if err != nil || got != want || gotAttrs != wantAttrs {
			t.Fatalf("reading %d: %q %q %v, want %q %q", round, got, gotAttrs, err, want, wantAttrs)
		}
		if h := xmlCache.Held(x); h != (round >= 1) {
			t.Fatalf("reading %d: held %v", round, h)
		}
	}
}
