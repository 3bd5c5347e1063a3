package pdf

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// A text field widget of placeholderXFA's page: the value v, a generated
// appearance (no /AP).
func xfaTextWidget(v string) string {
	return "<< /Type /Annot /Subtype /Widget /FT /Tx /T (member) /V (" + v + ") /DA (/Helv 10 Tf 0 g) /Rect [72 500 372 520] /F 4 /P 3 0 R >>"
}

// A dynamic XFA form falls back on its AcroForm only where the fallback
// shows the values the XFA form holds (issue 19, pdf37): an AcroForm whose
// text fields are all empty, next to XFA data holding a name, was written
// at 4a8049e as the "fallback", the name dropped unseen. Refused now, with
// a reason that says what is missing and holds no value; a fallback that
// shows every value, or a blank form (no values anywhere), is written.
func TestFormsXFAFallbackShowsValues(t *testing.T) {
	data := func(inner string) string {
		return "(preamble) (<xdp:xdp xmlns:xdp=\"http://ns.adobe.com/xdp/\">) (datasets) (<xfa:datasets xmlns:xfa=\"http://www.xfa.org/schema/xfa-data/1.0/\"><xfa:data>" + inner + "</xfa:data></xfa:datasets>) (postamble) (</xdp:xdp>)"
	}
	template := func(inner string) string {
		return "(template) (<template xmlns=\"http://www.xfa.org/schema/xfa-template/3.3/\"><subform>" + inner + "</subform></template>)"
	}
	for _, tc := range []struct{ name, xfa, value, want string }{
		{"empty fallback, name in XFA data", data("<f><member>Orsolya Quillanby</member></f>"), "", "does not show 1 of the 1 values"},
		{"one of two values shown", data("<f><member>Orsolya Quillanby</member><mrn>48213907</mrn></f>"), "Orsolya Quillanby", "does not show 1 of the 2 values"},
		{"value as a data attribute", data("<f member=\"Orsolya Quillanby\"/>"), "", "does not show 1 of the 1 values"},
		{"template field default", template("<field name=\"member\"><value><text>Orsolya Quillanby</text></value></field>"), "", "does not show 1 of the 1 values"},
		{"part of a word only", data("<f><member>Quill</member></f>"), "Orsolya Quillanby", "does not show 1 of the 1 values"},
		{"not XML", "(datasets) (<xfa:datasets><f>Orsolya Quillanby</g></xfa:datasets>)", "Orsolya Quillanby", "not well-formed XML"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New().Parse(placeholderXFAWith(tc.xfa, xfaTextWidget(tc.value)))
			if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse: %v, want uninspectable: %q", err, tc.want)
			}
			if err != nil && (strings.Contains(err.Error(), "Quill") || strings.Contains(err.Error(), "48213907")) {
				t.Errorf("a value in the reason: %v", err)
			}
		})
	}
	for _, tc := range []struct{ name, xfa, value string }{
		{"blank form", data("<f><member/><mrn></mrn></f>"), ""},
		{"every value shown", data("<f><member>Orsolya   Quillanby</member></f>"), "Orsolya Quillanby"},
		{"a line of the value", data("<f><member>Quillanby</member></f>"), "Orsolya Quillanby"},
		{"static text and data description are no values", template("<draw><value><text>Orsolya Quillanby</text></value></draw><field name=\"member\"/>") +
			" (datasets) (<xfa:datasets xmlns:xfa=\"http://www.xfa.org/schema/xfa-data/1.0/\"><dd:dataDescription xmlns:dd=\"http://ns.adobe.com/data-description/\"><f><member>Tamsin Everard</member></f></dd:dataDescription></xfa:datasets>)", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := placeholderXFAWith(tc.xfa, xfaTextWidget(tc.value))
			out, d := redact(t, in, func(d redactors.Document) []redactors.Edit { return editsFor(d, "NAME", "Orsolya Quillanby") })
			if notes := strings.Join(d.Notes(), "; "); !strings.Contains(notes, "the pages and 1 field widgets") {
				t.Errorf("notes %q: want the fallback's 1 widget", notes)
			}
			if raw := qdfText(t, out); strings.Contains(raw, "/XFA") || strings.Contains(raw, "xfa:data") || strings.Contains(raw, "Quillanby") {
				t.Errorf("XFA data or the redacted name written")
			}
		})
	}
}

// readXFAValues reads data, attribute values and template field defaults,
// white space folded, each once; not static text, captions, data
// descriptions nor XFA's own attributes.
func TestReadXFAValues(t *testing.T) {
	xdp := `<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/">
<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform>
 <draw><value><text>Intake</text></value></draw>
 <field name="a"><caption><value><text>Client</text></value></caption><value><text>Tamsin  Everard</text></value></field>
</subform></template>
<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data>
 <f xfa:dataNode="dataGroup" id="c-17"><a>Tamsin
 Everard</a><mrn>48213907</mrn><note>&nbsp;</note></f>
</xfa:data><dd:dataDescription xmlns:dd="http://ns.adobe.com/data-description/"><f><a>Schema Sample</a></f></dd:dataDescription></xfa:datasets>
</xdp:xdp>`
	got, err := readXFAValues([]byte(xdp))
	want := []string{"Tamsin Everard", "c-17", "48213907"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("readXFAValues = %q, %v; want %q", got, err, want)
	}
	if _, err := readXFAValues([]byte("<a><b></a>")); !errors.Is(err, errXFANotXML) {
		t.Errorf("malformed: %v", err)
	}
}

// FuzzReadXFAValues: any bytes give values that are folded, non-empty and
// distinct, or an error; never a panic.
func FuzzReadXFAValues(f *testing.F) {
	f.Add([]byte(`<xfa:datasets><xfa:data><f a="1"><b>Tamsin Everard</b></f></xfa:data></xfa:datasets>`))
	f.Add([]byte(`<template><field><value><text>x</text></value></field></template>`))
	f.Add([]byte(`<xfdf><fields><field name="n"><value>Orsolya</value></field></fields></xfdf>`))
	f.Add([]byte(`<a><b></a>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		vals, err := readXFAValues(b)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, v := range vals {
			if v == "" || v != strings.Join(strings.Fields(v), " ") || seen[v] {
				t.Fatalf("value %q not folded, empty or repeated", v)
			}
			seen[v] = true
		}
		if fallbackShows(vals, vals) != 0 {
			t.Fatalf("values do not show themselves")
		}
	})
}

// The fallback shows a field's value only where flattening draws it: the
// generated appearance of a text or choice field (no /AP /N, or
// NeedAppearances), never a password field's (drawn as asterisks). The
// safety reviewer's repros of pdf37 (pdffix37), written at 331ebed with
// the XFA value dropped unseen, are refused: a widget whose own appearance
// is empty or draws another name, a password field holding the name, and
// a value only the XFA form packet holds (a template field with
// bind="none") next to an empty field.
func TestFormsXFAFallbackDrawsValues(t *testing.T) {
	widget := func(extra string) string {
		return "<< /Type /Annot /Subtype /Widget /FT /Tx /T (member) /V (Orsolya Quillanby) /DA (/Helv 10 Tf 0 g) /Rect [72 500 372 520] /F 4 /P 3 0 R " + extra + " >>"
	}
	for _, tc := range []struct {
		name, xfa, annot string
		objs             []string
	}{
		{"empty appearance", "", widget("/AP << /N 7 0 R >>"),
			[]string{stream("/Type /XObject /Subtype /Form /BBox [0 0 300 20]", nil, false)}},
		{"appearance draws another name", "", widget("/AP << /N 7 0 R >>"),
			[]string{stream("/Type /XObject /Subtype /Form /BBox [0 0 300 20] /Resources << /Font << /F1 "+helvFont+" >> >>", []byte("BT /F1 10 Tf 2 5 Td (Tamsin Everard) Tj ET"), false)}},
		{"password field", "", widget("/Ff 8192"), nil},
		{"form packet value", "(template) (<template xmlns=\"http://www.xfa.org/schema/xfa-template/3.3/\"><subform><field name=\"member\"><bind match=\"none\"/></field></subform></template>) (form) (<form xmlns=\"http://www.xfa.org/schema/xfa-form/2.8/\"><subform><field name=\"member\"><value><text>Orsolya Quillanby</text></value></field></subform></form>)",
			xfaTextWidget(""), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			xfa := tc.xfa
			if xfa == "" {
				xfa = "(datasets) (<xfa:datasets><n>Orsolya Quillanby</n></xfa:datasets>)"
			}
			_, err := New().Parse(placeholderXFAWith(xfa, tc.annot, tc.objs...))
			if !errors.Is(err, redactors.ErrUninspectable) || !strings.Contains(err.Error(), "does not show 1 of the 1 values") {
				t.Errorf("Parse: %v, want uninspectable: the fallback does not show the value", err)
			}
			if err != nil && strings.Contains(err.Error(), "Quill") {
				t.Errorf("a value in the reason: %v", err)
			}
		})
	}
}
