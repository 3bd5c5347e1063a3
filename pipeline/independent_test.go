package pipeline_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/docx"
	"github.com/veilhq/veil/redactors/docx/docxtest"
)

// blindFormat wraps a real format and hides from Parts every part whose
// name hide accepts, as a redactor that does not know a place would: the
// place is neither detected nor redacted, and the verify step's reading of
// the output through the same format does not see it either. What the
// wrapped document's independent reading (redactors.IndependentReader)
// makes of the output is passed through unchanged.
type blindFormat struct {
	redactors.Format
	hide func(name string) bool
}

func (f blindFormat) Parse(data []byte) (redactors.Document, error) {
	d, err := f.Format.Parse(data)
	if err != nil {
		return nil, err
	}
	b := &blindDoc{inner: d}
	for i, p := range d.Parts() {
		if !f.hide(p.Name) {
			b.parts = append(b.parts, p)
			b.index = append(b.index, i)
		}
	}
	return b, nil
}

type blindDoc struct {
	inner redactors.Document
	parts []redactors.Part
	index []int // inner index of each shown part
}

func (b *blindDoc) Parts() []redactors.Part { return b.parts }

func (b *blindDoc) Redact(w io.Writer, edits []redactors.Edit) error {
	inner := make([]redactors.Edit, len(edits))
	for i, e := range edits {
		e.Part = b.index[e.Part]
		inner[i] = e
	}
	return b.inner.Redact(w, inner)
}

func (b *blindDoc) IndependentText(data []byte) ([]redactors.Part, error) {
	return b.inner.(redactors.IndependentReader).IndependentText(data)
}

var _ redactors.IndependentReader = (*blindDoc)(nil)

// A DOCX whose attribute values the redactor does not read (its
// ":attributes" parts hidden): a patient's name and record number in the
// attributes of a custom XML item pass the redactor untouched, and the
// verify step's independent reading (zipview and encoding/xml, every
// attribute value less the vocabulary's structure) finds them: the file
// is refused, the part named, never the value; veil verify reports it on
// the file as released. The same document with the redactor seeing its
// attributes is written, and so is one whose hidden attributes hold
// nothing identifying.
func TestVerifyIndependentDOCX(t *testing.T) {
	p, _ := profiles.Load("supervision")
	item := func(attrs string) []byte {
		return docxtest.Doc{
			Body:  docxtest.P("Intake note, first session."),
			Files: []docxtest.File{{Name: "customXml/item1.xml", Data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<ehr:record xmlns:ehr="urn:example:ehr"><ehr:Patient ` + attrs + `/></ehr:record>`}},
		}.Build()
	}
	leaky := item(`name="Odile Brannigan" phone="(503) 555-0147"`)
	blind := func(name string) bool { return strings.HasSuffix(name, ":attributes") }
	for _, c := range []struct {
		name    string
		data    []byte
		hide    func(string) bool
		refused bool
	}{
		{"attributes hidden from the redactor", leaky, blind, true},
		{"attributes read by the redactor", leaky, func(string) bool { return false }, false},
		{"hidden attributes hold nothing identifying", item(`kind="intake" version="2"`), blind, false},
	} {
		f := blindFormat{Format: docx.New(docx.Options{}), hide: c.hide}
		e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, Formats: redactors.NewRegistry(f)})
		if err != nil {
			t.Fatal(err)
		}
		out, rec := e.Redact(context.Background(), "note.docx", c.data)
		if refused := rec.Reason == "verify_failed"; refused != c.refused {
			t.Errorf("%s: status %s %s (%s)", c.name, rec.Status, rec.Reason, rec.Detail)
		}
		if c.refused && (out != nil || !strings.Contains(rec.Detail, "customXml/item1.xml (independent reading: attribute values)") ||
			strings.Contains(rec.Detail, "Brannigan") || strings.Contains(rec.Detail, "555")) {
			t.Errorf("%s: output %v, detail %q", c.name, out != nil, rec.Detail)
		}
		if !c.refused && out == nil {
			t.Errorf("%s: no output", c.name)
		}
		ce, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, CheckOnly: true, Formats: redactors.NewRegistry(f)})
		if err != nil {
			t.Fatal(err)
		}
		checked := c.data
		if out != nil {
			checked = out
		}
		ls, err := ce.Check(context.Background(), "note.docx", checked)
		if err != nil {
			t.Fatal(err)
		}
		if (len(ls) > 0) != c.refused {
			t.Errorf("%s: veil verify finds %d leftovers", c.name, len(ls))
		}
	}
}
