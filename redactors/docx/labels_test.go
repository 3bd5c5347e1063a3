package docx

import (
	"bytes"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	dt "github.com/veilhq/veil/redactors/docx/docxtest"
)

// TestLabels: a value of a slot nobody listed is shown after its
// attribute's or element's name, as context for the detectors; a name
// cannot be rewritten, so an edit that touches it removes its attribute or
// element, and the output parses.
func TestLabels(t *testing.T) {
	data := dt.Doc{Body: `<w:p xmlns:x="urn:example:intake" x:mrn="7730418" x:Sandoval="1">` + dt.R("Seen.") + `</w:p>`,
		Files: []dt.File{{Name: "customXml/item1.xml", Data: `<r xmlns:e="urn:e"><e:mrn>7730418</e:mrn><e:Sandoval>x</e:Sandoval></r>`}}}.Build()
	d := mustParse(t, data)
	texts := map[string]string{}
	var edits []redactors.Edit
	for i, p := range d.Parts() {
		texts[p.Name] = p.Text
		if k := strings.Index(p.Text, "Sandoval"); k >= 0 {
			edits = append(edits, redactors.Edit{Part: i, Start: k, End: k + 8, Replacement: "[X]"})
		}
	}
	if got, want := texts["word/document.xml:attributes"], "urn:example:intake\nmrn: 7730418\nSandoval: 1\n"; got != want {
		t.Errorf("attributes %q, want %q", got, want)
	}
	if got, want := texts["customXml/item1.xml"], "mrn: 7730418\nSandoval: x\n"; got != want {
		t.Errorf("custom XML %q, want %q", got, want)
	}
	var out bytes.Buffer
	if err := d.Redact(&out, edits); err != nil {
		t.Fatal(err)
	}
	_, files := unzip(t, out.Bytes())
	if x := string(files["customXml/item1.xml"]); x != `<r xmlns:e="urn:e"><e:mrn>7730418</e:mrn></r>` {
		t.Errorf("custom XML: %s", x)
	}
	if x := string(files["word/document.xml"]); !strings.Contains(x, `<w:p xmlns:x="urn:example:intake" x:mrn="7730418">`) {
		t.Errorf("document: %s", x[strings.Index(x, "<w:body>"):])
	}
	mustParse(t, out.Bytes())
}
