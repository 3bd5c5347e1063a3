package ooxml

import (
	"errors"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// recorder takes the w:t text and the w:author attribute, like a format's
// visitor; everything else is left to the walker.
type recorder struct {
	x      []byte
	texts  []Text
	taken  []CharData
	markup []Span
	depth  int
	ends   int
}

func (r *recorder) Start(e *Element) error {
	for i := range e.Attrs {
		if e.Attrs[i].Name.Local == "author" {
			e.Attrs[i].Taken = true
		}
	}
	r.depth = max(r.depth, e.Depth)
	return nil
}

func (r *recorder) CharData(e *Element, c CharData) (bool, error) {
	if e.Name.Local == "t" {
		r.taken = append(r.taken, c)
		return true, nil
	}
	return false, nil
}

func (r *recorder) Text(e *Element, t Text) error {
	r.texts = append(r.texts, t)
	return nil
}

func (r *recorder) End(e *Element, end Span) error {
	r.ends++
	if end.Start > end.End || end.End > len(r.x) {
		return errors.New("end span")
	}
	return nil
}

func (r *recorder) Markup(k MarkupKind, s Span) error {
	r.markup = append(r.markup, s)
	return nil
}

const wns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

// TestWalkHandsBackEveryValue: attribute values and character data that
// the visitor does not take come back as text with exact offsets, unless
// they are structural; taken values never come back.
func TestWalkHandsBackEveryValue(t *testing.T) {
	x := []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<w:document ` + wns + ` xmlns:ehr="urn:example:ehr"><!-- note --><?veil x?>` +
		`<w:p w:rsidR="00A41C2D"><w:r><w:t>Maria &amp; co</w:t></w:r>` +
		`<w:ins w:author="Greg Tomlinson" w:date="2024-03-01T14:31:00Z"/>` +
		`<ehr:Patient name="Maria S&#233;ndoval" mrn='00482913' dob="1985-02-11"><ehr:note><![CDATA[a <b> note]]></ehr:note></ehr:Patient>` +
		`<w:sz w:val="22"/><w:sz w:val="Sandoval"/></w:p></w:document>`)
	r := &recorder{x: x}
	if err := Walk(x, Standard(), r); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tx := range r.texts {
		raw := string(x[tx.Raw.Start:tx.Raw.End])
		dec, _, err := DecodeText([]byte(raw), tx.CDATA, false)
		if err != nil || dec != tx.Value {
			t.Errorf("raw %q decodes to %q, value %q (%v)", raw, dec, tx.Value, err)
		}
		got = append(got, tx.Class.String()+":"+tx.Value)
	}
	want := "unknown:urn:example:ehr|date:2024-03-01T14:31:00Z|unknown:Maria Séndoval|unknown:00482913|unknown:1985-02-11|unknown:a <b> note|misfit:Sandoval"
	if s := strings.Join(got, "|"); s != want {
		t.Errorf("texts\n got %s\nwant %s", s, want)
	}
	if len(r.taken) != 1 || r.taken[0].Text != "Maria & co" || string(x[r.taken[0].Raw.Start:r.taken[0].Raw.End]) != "Maria &amp; co" {
		t.Errorf("taken: %+v", r.taken)
	}
	if len(r.markup) != 2 || string(x[r.markup[0].Start:r.markup[0].End]) != "<!-- note -->" || string(x[r.markup[1].Start:r.markup[1].End]) != "<?veil x?>" {
		t.Errorf("markup: %v", r.markup)
	}
}

func TestWalkRefuses(t *testing.T) {
	deep := strings.Repeat("<a>", MaxDepth+1) + strings.Repeat("</a>", MaxDepth+1)
	for _, c := range []struct {
		name, x string
		want    error
	}{
		{"DTD", `<!DOCTYPE a [<!ENTITY e "Maria">]><a>&e;</a>`, redactors.ErrUninspectable},
		{"too deep", deep, redactors.ErrUninspectable},
		{"undeclared entity", `<a>&maria;</a>`, redactors.ErrCorrupt},
		{"unbalanced", `<a><b></a>`, redactors.ErrCorrupt},
		{"truncated", `<a><b>`, redactors.ErrCorrupt},
		{"text after the root", `<a/>Maria Sandoval`, redactors.ErrCorrupt},
		{"UTF-16 declared", `<?xml version="1.0" encoding="UTF-16"?><a/>`, redactors.ErrEncoding},
	} {
		err := Walk([]byte(c.x), Standard(), &recorder{x: []byte(c.x)})
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "Maria") {
			t.Errorf("%s: error holds text: %v", c.name, err)
		}
	}
}

// FuzzWalk: no input panics; every text the walker hands back lies within
// the input and decodes from its raw bytes to its value.
func FuzzWalk(f *testing.F) {
	f.Add(`<w:p ` + wns + `><w:r><w:t>a</w:t></w:r><x y="z &amp; w"/><![CDATA[q]]></w:p>`)
	f.Add(`<a b='1' c="&#x41;"><!--c--><?p q?></a>`)
	f.Fuzz(func(t *testing.T, s string) {
		x := []byte(s)
		r := &recorder{x: x}
		if err := Walk(x, Standard(), r); err != nil {
			return
		}
		for _, tx := range r.texts {
			if tx.Raw.Start < 0 || tx.Raw.Start > tx.Raw.End || tx.Raw.End > len(x) {
				t.Fatalf("span %v of %d bytes", tx.Raw, len(x))
			}
			raw := x[tx.Raw.Start:tx.Raw.End]
			var dec string
			var err error
			if tx.Attr >= 0 {
				dec, err = DecodeAttr(raw)
			} else {
				dec, _, err = DecodeText(raw, tx.CDATA, false)
			}
			if err != nil {
				t.Fatalf("raw %q: %v", raw, err)
			}
			if tx.Attr < 0 && dec != tx.Value {
				t.Fatalf("raw %q decodes to %q, value %q", raw, dec, tx.Value)
			}
		}
	})
}

// attrProbe asks every element for attribute indexes out of range.
type attrProbe struct {
	recorder
	errs []error
}

func (p *attrProbe) Start(e *Element) error {
	for _, i := range []int{-1, len(e.Attrs)} {
		_, err := e.AttrSpan(i)
		p.errs = append(p.errs, err)
		_, err = e.AttrWhole(i)
		p.errs = append(p.errs, err)
	}
	return nil
}

// TestAttrIndexOutOfRange: AttrSpan and AttrWhole report an index that is
// not one of the element's attributes (-1 is what a lookup of a missing
// attribute returns) as an internal error, not a panic (codefix36).
func TestAttrIndexOutOfRange(t *testing.T) {
	x := []byte(`<w:p ` + wns + ` w:rsidR="00A41C2D"><w:r/></w:p>`)
	p := &attrProbe{recorder: recorder{x: x}}
	if err := Walk(x, Standard(), p); err != nil {
		t.Fatal(err)
	}
	if len(p.errs) != 8 {
		t.Fatalf("%d results", len(p.errs))
	}
	for i, err := range p.errs {
		if !errors.Is(err, redactors.ErrInternal) {
			t.Errorf("probe %d: %v", i, err)
		}
	}
}
