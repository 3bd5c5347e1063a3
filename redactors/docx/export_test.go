package docx

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	dt "github.com/veilhq/veil/redactors/docx/docxtest"
)

// Exported for the external tests (package docx_test), which may import
// the pipeline.

// FixtureFiles returns each fixture as a DOCX, by name.
func FixtureFiles() map[string][]byte {
	out := map[string][]byte{}
	for _, f := range fixtures() {
		out[f.name] = f.doc.Build()
	}
	return out
}

// RedactFixture redacts data with the test detector.
func RedactFixture(t testing.TB, data []byte) []byte {
	_, _, out := redact(t, data)
	return out
}

// LeakValues must not survive in any output.
var LeakValues = leakValues

// Replacements are the replacements the test detector makes.
func Replacements() []string {
	var out []string
	for _, r := range redactions {
		out = append(out, r.repl)
	}
	return out
}

var corpusInputs = flag.String("corpus-inputs", "", "write the inputs of scripts/ooxml-corpus into this folder")

// TestWriteCorpusInputs writes, for scripts/ooxml-corpus, the fixtures and
// the hand-written Word-style package of the OOXML corpus as DOCX files.
func TestWriteCorpusInputs(t *testing.T) {
	if *corpusInputs == "" {
		t.Skip("only for scripts/ooxml-corpus (-corpus-inputs DIR)")
	}
	files := FixtureFiles()
	files["word-2019"] = dt.Folder("../ooxml/testdata/corpus/word-2019")
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(*corpusInputs, name+".docx"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
