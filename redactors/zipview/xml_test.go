package zipview

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stdTokens reads x with encoding/xml (Entity xml.HTMLEntity) into one
// line per token; ok is false where it fails.
func stdTokens(x []byte, strict bool) (string, bool) {
	d := xml.NewDecoder(bytes.NewReader(x))
	d.Strict = strict
	d.Entity = xml.HTMLEntity
	var b strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return b.String(), true
		}
		if err != nil {
			return b.String(), false
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			fmt.Fprintf(&b, "S %q %q\n", tok.Name.Space, tok.Name.Local)
			for _, a := range tok.Attr {
				fmt.Fprintf(&b, "A %q %q %q\n", a.Name.Space, a.Name.Local, a.Value)
			}
		case xml.EndElement:
			fmt.Fprintf(&b, "E %q %q\n", tok.Name.Space, tok.Name.Local)
		case xml.CharData:
			fmt.Fprintf(&b, "T %q\n", []byte(tok))
		case xml.Comment:
			fmt.Fprintf(&b, "C %q\n", []byte(tok))
		case xml.ProcInst:
			fmt.Fprintf(&b, "P %q %q\n", tok.Target, tok.Inst)
		case xml.Directive:
			fmt.Fprintf(&b, "D %q\n", []byte(tok))
		}
	}
}

// ourTokens is stdTokens with the Tokenizer.
func ourTokens(x []byte) (string, bool) {
	t := NewTokenizer(x, xml.HTMLEntity)
	var b strings.Builder
	for {
		tok, err := t.Next()
		if err == io.EOF {
			return b.String(), true
		}
		if err != nil {
			if !errors.Is(err, ErrSyntax) {
				panic(err)
			}
			return b.String(), false
		}
		switch tok.Kind {
		case TokStart:
			fmt.Fprintf(&b, "S %q %q\n", tok.Name.Space, tok.Name.Local)
			for _, a := range tok.Attr {
				fmt.Fprintf(&b, "A %q %q %q\n", a.Name.Space, a.Name.Local, a.Value)
			}
		case TokEnd:
			fmt.Fprintf(&b, "E %q %q\n", tok.Name.Space, tok.Name.Local)
		case TokText:
			fmt.Fprintf(&b, "T %q\n", tok.Data)
		case TokComment:
			fmt.Fprintf(&b, "C %q\n", tok.Data)
		case TokProcInst:
			fmt.Fprintf(&b, "P %q %q\n", tok.Name.Local, tok.Data)
		case TokDirective:
			fmt.Fprintf(&b, "D %q\n", tok.Data)
		}
	}
}

var tokenizerSeeds = []string{
	`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="urn:r" mc:Ignorable="w14"><w:body><w:p><w:r><w:t xml:space="preserve">Orsolya </w:t></w:r><w:r><w:t>Quillanby</w:t></w:r></w:p><w:tab/></w:body></w:document>`,
	`<a xmlns="urn:d" b='x &amp; y &#169; &#xE9; &nbsp;|&bogus;|&#X41;|&#;|&;' c="line&#10;two"><b xmlns=""/>Tamsin&#8203;Everard &lt;tag&gt; R&amp;D</a>`,
	`<!DOCTYPE note [<!ENTITY x "y"> <!-- a comment --> <!ELEMENT a (#PCDATA)>]><note><![CDATA[<Everard> & ]] ]]><!-- c -- x --></note>`,
	"<a>\r\nline\rtwo\r\n<b x=\"1\r\n2\"/></a>",
	`<ehr:Patient xmlns:ehr="urn:ehr" name="Tamsin Everard" mrn="00417" dob="1961-03-02"/>`,
	`<a b c=d e = 'f'>text</a>`,
	`<a><b></a></b>`,
	`<a>]]></a>`,
	`<a x="<"/>`,
	`<?xml version="1.1"?><a/>`,
	`<?xml version="1.0" encoding="UTF-16"?><a/>`,
	"<a>\x01</a>",
	`<a:b:c/>`,
	`<a><b:c xmlns:b="urn:b" b:d="e"/><b:c/></a>`,
	`<a xml:lang="en">x</a>`,
	`<?pi some data?><a/><?other?>`,
	`<a>&amp`,
	`<a/>trailing text`,
	`<é:ü xmlns:é="urn:e">ö</é:ü>`,
}

// The tokenizer gives encoding/xml's tokens: names, resolved namespaces,
// attribute values and decoded text, for every input encoding/xml reads
// in strict mode, and wherever both read a lenient input.
func FuzzTokenizer(f *testing.F) {
	for _, s := range tokenizerSeeds {
		f.Add([]byte(s))
	}
	// Real parts: the OOXML corpus of redactors/ooxml.
	filepath.WalkDir("../ooxml/testdata/corpus", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".rels")) {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, x []byte) {
		ours, ok := ourTokens(x)
		if std, stdOK := stdTokens(x, true); stdOK {
			if !ok {
				t.Fatalf("encoding/xml (strict) reads it, the tokenizer fails after\n%s", ours)
			}
			if ours != std {
				t.Fatalf("tokens differ:\nencoding/xml\n%s\ntokenizer\n%s", std, ours)
			}
		}
		if std, stdOK := stdTokens(x, false); stdOK && ok && ours != std {
			t.Fatalf("tokens differ (lenient):\nencoding/xml\n%s\ntokenizer\n%s", std, ours)
		}
	})
}

// The seeds that encoding/xml reads give its tokens, and those it refuses
// are refused; an end tag that closes the wrong element is an error.
func TestTokenizerSeeds(t *testing.T) {
	read := 0
	for _, s := range tokenizerSeeds {
		ours, ok := ourTokens([]byte(s))
		std, stdOK := stdTokens([]byte(s), true)
		if stdOK {
			read++
			if !ok || ours != std {
				t.Errorf("%q:\nencoding/xml\n%s\ntokenizer (ok %v)\n%s", s, std, ok, ours)
			}
		}
	}
	if read < 8 {
		t.Errorf("only %d seeds read by encoding/xml", read)
	}
	for _, s := range []string{`<a><b></a></b>`, `<a>]]></a>`, `<a x="<"/>`, "<a>\x01</a>", `<a>&amp`, `<a:b:c/>`, `<?xml version="1.0" encoding="UTF-16"?><a/>`, `<a><!-- x -- y --></a>`, `<a>`} {
		if _, ok := ourTokens([]byte(s)); ok {
			t.Errorf("%q read without an error", s)
		}
	}
	if got, _ := ourTokens([]byte(`<a b c=d>x &bogus; &#X41;</a>`)); got != "S \"\" \"a\"\nA \"\" \"b\" \"b\"\nA \"\" \"c\" \"d\"\nT \"x &bogus; &#X41;\"\nE \"\" \"a\"\n" {
		t.Errorf("lenient reading: %s", got)
	}
}
