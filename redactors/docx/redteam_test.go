package docx

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/veilhq/veil/redactors/docx/docxtest"
)

// Two places the red team of issue 13 found written out by every profile:
// a field's private data (w:fldData, base64 that the vocabulary rightly
// calls structure, so nothing read it, but any program decodes it) and
// the extended properties' HyperlinkBase (a folder of the author's machine
// named after their login, which detection does not read as a name).
func TestRedTeamFieldDataAndHyperlinkBase(t *testing.T) {
	secret := "Orsolya Quillanby, MRN 48213907, DOB 03/11/1961"
	var u16 bytes.Buffer
	for _, c := range utf16.Encode([]rune(secret)) {
		u16.WriteByte(byte(c))
		u16.WriteByte(byte(c >> 8))
	}
	b64 := base64.StdEncoding.EncodeToString(u16.Bytes())
	in := docxtest.Doc{
		Body: `<w:p><w:r><w:fldChar w:fldCharType="begin"><w:fldData xml:space="preserve">` + b64 + `</w:fldData></w:fldChar></w:r>` +
			`<w:r><w:instrText xml:space="preserve"> ADDIN EN.CITE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>` +
			`<w:r><w:t>(1)</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>` + docxtest.P("The meeting was held."),
		App: `<HyperlinkBase>file:///C:/Users/oquillanby/Clients/</HyperlinkBase>`,
	}.Build()
	d := mustParse(t, in)
	var out bytes.Buffer
	if err := d.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	_, files := unzip(t, out.Bytes())
	for name, b := range files {
		if bytes.Contains(b, []byte(b64[:24])) || bytes.Contains(b, []byte("quillanby")) {
			t.Errorf("%s still holds the field data or the login:\n%s", name, b)
		}
	}
	if doc := string(files["word/document.xml"]); !strings.Contains(doc, "EN.CITE") || !strings.Contains(doc, "<w:t>(1)</w:t>") {
		t.Errorf("the field lost its instruction or result:\n%s", doc)
	}
	notes := strings.Join(d.notes, "; ")
	if !strings.Contains(notes, "w:fldData") {
		t.Errorf("notes = %q; want the field data's removal", notes)
	}
}

// A document variable whose value is base64 (a macro's record of the
// client) is emptied with a note; a variable in words is read as text,
// and a word that merely looks long is not taken for base64.
func TestEncodedDocVarEmptied(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte("Orsolya Quillanby|MRN 48213907|DOB 1961-03-11"))
	in := docxtest.Doc{
		Body: docxtest.P("The meeting was held."),
		Settings: `<w:docVars><w:docVar w:name="rec" w:val="` + b64 + `"/>` +
			`<w:docVar w:name="kind" w:val="Intake letter, second draft"/>` +
			`<w:docVar w:name="ref" w:val="Pneumonoultramicroscopic"/></w:docVars>`,
	}.Build()
	d := mustParse(t, in)
	var out bytes.Buffer
	if err := d.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	_, files := unzip(t, out.Bytes())
	settings := string(files["word/settings.xml"])
	if strings.Contains(settings, b64[:16]) {
		t.Errorf("the encoded variable survives:\n%s", settings)
	}
	if !strings.Contains(settings, `w:name="rec" w:val=""`) || !strings.Contains(settings, "Intake letter, second draft") || !strings.Contains(settings, "Pneumonoultramicroscopic") {
		t.Errorf("settings lost more than the encoded value:\n%s", settings)
	}
	if notes := strings.Join(d.notes, "; "); !strings.Contains(notes, "1 encoded attribute value") {
		t.Errorf("notes = %q", notes)
	}
	for _, c := range []struct {
		v    string
		want bool
	}{
		{b64, true},
		{"T3Jzb2x5YSBRdWlsbGFuYnkgTVJOIDQ4MjEzOTA3", true},
		{"Pneumonoultramicroscopic", false},
		{"Intake letter, second draft", false},
		{"ABCdef123", false},
		{"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", false},
	} {
		if got := encodedValue(c.v); got != c.want {
			t.Errorf("encodedValue(%q) = %v", c.v, got)
		}
	}
}
