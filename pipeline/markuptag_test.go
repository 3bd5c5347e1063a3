package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
)

// TestMarkupTaggedName: a name wrapped in HTML tags in a .txt or .md
// file, with attributes or not, split across tags or letter-spaced next
// to a tag, is found as it is in plain text, and its edit lands on the
// name's bytes: the output keeps no part of the name and the markup
// around it is intact (safety review, session 34: the name was kept, or
// "<b>Orsolya" became "<[organisation]" with the surname kept). The
// supervision profile finds the name with no deny list; the court
// profile, which does not find it in plain text, with the name deny-listed.
// Invented values only.
func TestMarkupTaggedName(t *testing.T) {
	for _, c := range []struct {
		name, text string
		keep       []string // the markup around the name, which stays as it is
		nameKept   bool     // the name alone is not found in plain text either: only the markup is checked
	}{
		{"plain (control)", `Yesterday Mrs Orsolya Quillanby called.`, []string{`Yesterday Mrs `, ` called.`}, false},
		{"attribute", `Yesterday Mrs <b title="ab">Orsolya Quillanby</b> called.`, []string{`Yesterday Mrs <b title="ab">`, `</b> called.`}, false},
		{"span class", `Yesterday Mrs <span class="n">Orsolya Quillanby</span> called.`, []string{`Yesterday Mrs <span class="n">`, `</span> called.`}, false},
		{"bold", `Yesterday Mrs <b>Orsolya Quillanby</b> called.`, []string{`Yesterday Mrs <b>`, `</b> called.`}, false},
		{"split by italics", `Yesterday Mrs Orsolya <i>Quill</i>anby called.`, []string{`Yesterday Mrs `, ` called.`}, false},
		{"letter-spaced", `Yesterday Mrs <b>O R S O L Y A   Q U I L L A N B Y</b> called.`, []string{`Yesterday Mrs <b>`, `</b> called.`}, false},
		{"bold alone", `<b>Orsolya Quillanby</b>`, []string{`<b>`, `</b>`}, true},
	} {
		for _, ext := range []string{".txt", ".md"} {
			for _, profile := range []string{"supervision", "court"} {
				t.Run(c.name+ext+"/"+profile, func(t *testing.T) {
					src := t.TempDir()
					if err := os.WriteFile(filepath.Join(src, "note"+ext), []byte(c.text+"\n"), 0o644); err != nil {
						t.Fatal(err)
					}
					var opts pipeline.Options
					if profile == "court" {
						opts.DenyList = []string{"Orsolya Quillanby"}
					}
					out, rep, _, totals := runFolder(t, profile, src, opts)
					if totals.NotWritten() != 0 {
						t.Logf("not written (fail closed)")
						return
					}
					b, err := os.ReadFile(filepath.Join(out, "note"+ext))
					if err != nil {
						t.Fatalf("%v\n%s", err, rep["report.md"])
					}
					got := string(b)
					for _, k := range c.keep {
						if !strings.Contains(got, k) {
							t.Errorf("%q changed: the edit is not on the name:\n%s", k, got)
						}
					}
					if c.nameKept && profile == "supervision" {
						return
					}
					for _, part := range []string{"Orsolya", "Quill", "anby", "O R S O L Y A", "Q U I L L A N B Y"} {
						if strings.Contains(got, part) {
							t.Errorf("%q left in the output:\n%s", part, got)
						}
					}
				})
			}
		}
	}
}

// TestMarkupTaggedNameCheck: verify (Engine.Check) reports a name wrapped
// in tags, with attributes, split across tags or letter-spaced next to a
// tag, as a leftover, as it does in plain text: it reported such files
// clean before (safety review, session 34).
func TestMarkupTaggedNameCheck(t *testing.T) {
	e := nerEngine(t, "supervision")
	for _, text := range []string{
		`Yesterday Mrs Orsolya Quillanby called.`, // control
		`Yesterday Mrs <b title="ab">Orsolya Quillanby</b> called.`,
		`Yesterday Mrs <span class="n">Orsolya Quillanby</span> called.`,
		`Yesterday Mrs <b>Orsolya Quillanby</b> called.`,
		`Yesterday Mrs Orsolya <i>Quill</i>anby called.`,
		`Yesterday Mrs <b>O R S O L Y A   Q U I L L A N B Y</b> called.`,
	} {
		for _, key := range []string{"note.txt", "note.md"} {
			ls, err := e.Check(context.Background(), key, []byte(text+"\n"))
			if err != nil {
				t.Fatalf("%s %q: %v", key, text, err)
			}
			if len(ls) == 0 {
				t.Errorf("%s %q: verify finds no leftover", key, text)
			}
		}
	}
}
