package docx

import "testing"

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
