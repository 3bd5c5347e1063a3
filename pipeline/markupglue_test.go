package pipeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
)

// TestMarkupGluedWord: a deny-listed word or number split by HTML tags or
// comments in Markdown renders as one word, however many tags, however
// long the comment, with a ">" in a quoted attribute or a line break in a
// tag: the output keeps neither half, or the file is not written (safety
// review, session 33). Invented values only.
func TestMarkupGluedWord(t *testing.T) {
	for _, c := range []struct{ name, glued, a, b string }{
		{"long comment", "Quill<!--" + strings.Repeat("x", 300) + "-->anby", "Quill", "anby"},
		{"ten tags", "Quill" + strings.Repeat("<i></i>", 10) + "anby", "Quill", "anby"},
		{"quoted >", `Quill<span title="a>b">anby`, "Quill", "anby"},
		{"line break in a tag", "Quill<b\n></b>anby", "Quill", "anby"},
		{"digits", "4821<b></b>3907", "4821", "3907"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := t.TempDir()
			text := "# Notes\n\nAlso " + c.glued + " attended.\n"
			if err := os.WriteFile(filepath.Join(src, "note.md"), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			out, rep, _, totals := runFolder(t, "court", src, pipeline.Options{DenyList: []string{"Quillanby", "48213907"}})
			if totals.NotWritten() != 0 {
				t.Logf("not written (fail closed)")
				return
			}
			b, err := os.ReadFile(filepath.Join(out, "note.md"))
			if err != nil {
				t.Fatalf("%v\n%s", err, rep["report.md"])
			}
			if got := string(b); strings.Contains(got, c.a) || strings.Contains(got, c.b) {
				t.Errorf("a half of the deny-listed word left in the output:\n%s", got)
			}
		})
	}
}
