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
