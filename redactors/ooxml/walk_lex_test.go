package ooxml

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// eventLog writes down every call a walker makes, with every field a
// format reads: names, offsets, attribute values and spans, texts and
// their classes. It takes w:t-like text ("t") and author attributes, as
// a format does, so that both paths of the walker run.
type eventLog struct {
	b strings.Builder
}

func (l *eventLog) Start(e *Element) error {
	fmt.Fprintf(&l.b, "start %q %d-%d empty=%v depth=%d parent=%v\n", e.Name, e.Start, e.TagEnd, e.Empty, e.Depth, e.Parent != nil)
	for i := range e.Attrs {
		a := &e.Attrs[i]
		sp, err1 := e.AttrSpan(i)
		wh, err2 := e.AttrWhole(i)
		fmt.Fprintf(&l.b, "  attr %q=%q %v %v %v %v\n", a.Name, a.Value, sp, wh, err1, err2)
		if a.Name.Local == "author" {
			a.Taken = true
		}
	}
	for _, p := range []string{"w", "mc", "x", ""} {
		if e.Declared(p) {
			fmt.Fprintf(&l.b, "  declared %q\n", p)
		}
	}
	return nil
}

func (l *eventLog) CharData(e *Element, c CharData) (bool, error) {
	fmt.Fprintf(&l.b, "chardata %q %v cdata=%v %q\n", e.Name, c.Raw, c.CDATA, c.Text)
	return e.Name.Local == "t", nil
}

func (l *eventLog) Text(e *Element, t Text) error {
	fmt.Fprintf(&l.b, "text %q attr=%d %v cdata=%v %q %v\n", e.Name, t.Attr, t.Raw, t.CDATA, t.Value, t.Class)
	return nil
}

func (l *eventLog) End(e *Element, end Span) error {
	fmt.Fprintf(&l.b, "end %q %v\n", e.Name, end)
	return nil
}

func (l *eventLog) Markup(k MarkupKind, s Span) error {
	fmt.Fprintf(&l.b, "markup %d %v\n", k, s)
	return nil
}

// errClass is the sentinel an error wraps.
func errClass(err error) string {
	for _, s := range []error{redactors.ErrUninspectable, redactors.ErrEncoding, redactors.ErrCorrupt} {
		if errors.Is(err, s) {
			return s.Error()
		}
	}
	if err != nil {
		return "other: " + err.Error()
	}
	return "ok"
}

// walkBoth walks x with Walk and with walkStd (encoding/xml's Token, the
// walker before the lexer) and returns their logs and errors.
func walkBoth(x []byte) (got, want string, gotErr, wantErr error) {
	var g, w eventLog
	gotErr = Walk(x, Standard(), &g)
	wantErr = walkStd(x, Standard(), &w)
	return g.b.String(), w.b.String(), gotErr, wantErr
}

// TestWalkLexerCorpus: on every part of the OOXML corpus, Walk makes
// exactly the calls the encoding/xml walker made: same elements, names
// and namespaces, offsets, attribute values and spans, texts and classes
// (so a format splices the same bytes).
func TestWalkLexerCorpus(t *testing.T) {
	parts := corpusParts(t)
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		got, want, gotErr, wantErr := walkBoth(parts[n])
		if gotErr != nil || wantErr != nil {
			t.Errorf("%s: %v, encoding/xml %v", n, gotErr, wantErr)
			continue
		}
		if got != want {
			t.Errorf("%s: the walks differ at %s", n, firstDiff(got, want))
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  lexer:        %s\n  encoding/xml: %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("length %d against %d lines", len(al), len(bl))
}

// TestWalkLexerRefuses: what encoding/xml's strict mode refuses, the
// lexer's walk refuses too, with the same kind of error.
func TestWalkLexerRefuses(t *testing.T) {
	for _, x := range []string{
		`<a b=c/>`, `<a b=cd/>`, `<a b=cd e="1"/>`, `<a b/>`, `<a b="1"c="2" d='3/>`, `<a b="<"/>`, `<a b="&x;"/>`,
		`<a><!-- a -- b --></a>`, `<a><!-- a ---></a>`, `<a><!-- a`, `<a><![CDATA[x</a>`,
		`<a>]]></a>`, `<a>&#0;</a>`, "<a>\x01</a>", "<a>\xff</a>", "<a b='\x01'/>", "<a>\x00</a>",
		`<1a/>`, `<a:b:c/>`, `<a></b>`, `<p:a></q:a>`, `<a></a >x`, `<a></ a>`, `<a/ >`,
		`<?xml version="1.1"?><a/>`, `<?xml encoding="latin1"?><a/>`, `<? x?><a/>`, `<?x`,
		`<!DOCTYPE a><a/>`, `<!ENTITY x "y"><a/>`, `<!-x><a/>`, `<![x]><a/>`, `<a`, `<a b="1"`,
		`<a><b></a>`, `<a>&amp</a>`, `<a>&#x110000;</a>`, `<a b="1"?>`,
	} {
		_, _, gotErr, wantErr := walkBoth([]byte(x))
		if wantErr == nil {
			t.Errorf("%q: encoding/xml reads it", x)
		}
		if errClass(gotErr) != errClass(wantErr) {
			t.Errorf("%q: %v, encoding/xml %v", x, gotErr, wantErr)
		}
	}
}

// FuzzWalkLexer compares Walk with the encoding/xml walker on inputs made
// from every part of the OOXML corpus: when either reads an input, both
// do, and make the same calls; when both refuse, they refuse with the
// same kind of error. The lexer refuses a few inputs encoding/xml reads
// (lexerStricter), never the other way round.
func FuzzWalkLexer(f *testing.F) {
	for _, b := range corpusParts(&testing.T{}) {
		f.Add(b)
	}
	f.Add([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" +
		`<w:document ` + wns + ` xmlns="urn:d" xmlns:x="urn:x"><w:body x:a="1&#13;&#10;2` + "\r\n\t" + `3"><w:p><w:t xml:space="preserve"> Tamsin &amp; Everard </w:t><![CDATA[<b>]]><!----><?pi  d ?></w:p><e x:author="Orsolya Quillanby"/></w:body></w:document>`))
	f.Add([]byte(`<a xmlns:p="urn:p"><p:b xmlns:p="urn:q" p:c="1"><p:d/></p:b><p:e p:f=""/></a>`))
	f.Fuzz(func(t *testing.T, x []byte) {
		got, want, gotErr, wantErr := walkBoth(x)
		switch {
		case gotErr == nil && wantErr == nil:
			if got != want {
				t.Fatalf("%q: the walks differ at %s", x, firstDiff(got, want))
			}
		case gotErr == nil:
			t.Fatalf("%q: the lexer reads it, encoding/xml refuses: %v", x, wantErr)
		case wantErr == nil:
			if !lexerStricter(x) {
				t.Fatalf("%q: the lexer refuses it (%v), encoding/xml reads it", x, gotErr)
			}
		}
	})
}

// lexerStricter reports whether x holds what the lexer refuses and
// encoding/xml reads: a NUL byte (where encoding/xml does not check the
// characters: comments, processing instructions), a character reference
// of more than ten characters (&#x0000000041;, DecodeText's limit).
func lexerStricter(x []byte) bool {
	if bytes.IndexByte(x, 0) >= 0 {
		return true
	}
	for i := 0; i < len(x); i++ {
		if x[i] == '&' {
			j := bytes.IndexByte(x[i:], ';')
			if j < 0 || j > 12 {
				return true
			}
		}
	}
	return false
}

type nopVisitor struct{}

func (nopVisitor) Start(*Element) error                      { return nil }
func (nopVisitor) CharData(*Element, CharData) (bool, error) { return false, nil }
func (nopVisitor) Text(*Element, Text) error                 { return nil }
func (nopVisitor) End(*Element, Span) error                  { return nil }
func (nopVisitor) Markup(MarkupKind, Span) error             { return nil }

// BenchmarkWalkCorpus walks every part of the OOXML corpus (parse and
// classification, no visitor work); BenchmarkWalkCorpusStd the same with
// the encoding/xml walker.
func BenchmarkWalkCorpus(b *testing.B)    { benchWalk(b, Walk) }
func BenchmarkWalkCorpusStd(b *testing.B) { benchWalk(b, walkStd) }

func benchWalk(b *testing.B, walk func([]byte, *Vocabulary, Visitor) error) {
	parts := corpusParts(&testing.T{})
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range parts {
			if err := walk(p, Standard(), nopVisitor{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// attrCollector keeps every element and attribute of a walk.
type attrCollector struct {
	nopVisitor
	elems []*Element
}

func (c *attrCollector) Start(e *Element) error {
	cp := *e
	cp.Attrs = append([]Attr(nil), e.Attrs...)
	cp.Parent = nil
	c.elems = append(c.elems, &cp)
	return nil
}

// BenchmarkClassifyAttr classifies every attribute of the OOXML corpus
// with the Vocabulary (no cache) and with a Classifier per part (the slot
// cache), as the independent reading does.
func BenchmarkClassifyAttr(b *testing.B) {
	var parts []*attrCollector
	for _, p := range corpusParts(&testing.T{}) {
		c := &attrCollector{}
		if err := Walk(p, Standard(), c); err != nil {
			b.Fatal(err)
		}
		parts = append(parts, c)
	}
	v := Standard()
	b.Run("vocabulary", func(b *testing.B) {
		for b.Loop() {
			for _, c := range parts {
				for _, e := range c.elems {
					for _, a := range e.Attrs {
						v.ClassifyAttr(e, a.Name, a.Value)
					}
				}
			}
		}
	})
	b.Run("classifier", func(b *testing.B) {
		for b.Loop() {
			for _, c := range parts {
				cl := v.NewClassifier()
				for _, e := range c.elems {
					for _, a := range e.Attrs {
						cl.ClassifyAttr(e, a.Name, a.Value)
					}
				}
				cl.Release()
			}
		}
	})
}
