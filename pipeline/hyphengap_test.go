package pipeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/redactors/docx/docxtest"
)

// TestHyphenElementBetweenNameWords: a DOCX note in lower case whose
// given name and surname are separated by a space and a non-breaking
// hyphen (w:noBreakHyphen, an element with no character data). The parse
// reads "marek -quillanby", verify's independent reading of character
// data "marek quillanby": the lower-case name rules of ner/names read the
// gap without its hyphen, so analysis redacts what verify would find and
// the file is written, the name gone. Before, analysis left the pair (a
// hyphen between the words) and verify refused the file (re-detection
// in the independent reading). Invented names.
func TestHyphenElementBetweenNameWords(t *testing.T) {
	body := `<w:p>` + docxtest.R("seen today at the clinic by marek ") +
		`<w:r><w:noBreakHyphen/><w:t>quillanby</w:t></w:r>` + docxtest.R(" who reported no change in sleep") + `</w:p>` +
		docxtest.P("follow up in two weeks as planned")
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "note.docx"), docxtest.Doc{Body: body}.Build(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, rep, _, totals := runFolder(t, "supervision", src, pipeline.Options{})
	if totals.NotWritten() != 0 {
		t.Fatalf("not written: %+v\n%s", totals, rep["report.md"])
	}
	b, err := os.ReadFile(filepath.Join(out, "note.docx"))
	if err != nil {
		t.Fatal(err)
	}
	got := string(docxtest.Entry(t, b, "word/document.xml"))
	for _, s := range []string{"marek", "quillanby"} {
		if strings.Contains(got, s) {
			t.Errorf("%q left in the output", s)
		}
	}
	if !strings.Contains(got, "reported no change in sleep") {
		t.Errorf("the note's words are gone: %s", got)
	}
}
