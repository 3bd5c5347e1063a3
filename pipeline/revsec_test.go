package pipeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
)

// Session "htmlfix": the safety reviewer's repros of side36 (edf161b,
// 3859bfa, 644fff7), which dropped an edit covering only an HTML word's
// tag or attribute name in .txt/.md and had verify blank such names: in
// plain text, `<Word>` is as often a chat nickname or an angle-bracketed
// term as a tag, and the names were written while the report said they
// were replaced. Each output must hold none of the values, or the file
// is not written. "Mark", "Ruby", "Meta" and "Max" are chosen as HTML's
// own element and attribute names (the HTML standard); the other names
// are invented.

// A chat log's nicknames in angle brackets are text, not HTML tags.
func TestRevsecChatNickLeak(t *testing.T) {
	text := "[10:02] <Mark> Orsolya Quillanby called about the visit\n[10:03] <Ruby> ok, I will call Orsolya back\n[10:04] <Orsolya> thanks Mark\n"
	for _, profile := range []string{"supervision", "research"} {
		t.Run(profile, func(t *testing.T) {
			src := t.TempDir()
			if err := os.WriteFile(filepath.Join(src, "chat.log"), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			out, rep, _, totals := runFolder(t, profile, src, pipeline.Options{})
			m, _ := filepath.Glob(filepath.Join(out, "*.log"))
			if len(m) != 1 {
				if totals.NotWritten() == 0 {
					t.Fatalf("outputs %q and nothing refused:\n%s", m, rep["report.md"])
				}
				return
			}
			b, err := os.ReadFile(m[0])
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range []string{"<Mark>", "<Ruby>", "Orsolya", "Quillanby"} {
				if strings.Contains(string(b), n) {
					t.Errorf("written (%+v) with %s:\n%s\n%s", totals, n, b, rep["report.md"])
				}
			}
		})
	}
}

// Deny-listed terms that are HTML element or attribute names, in angle
// brackets of a .txt or .md, under court without NER.
func TestRevsecDenyHTMLWords(t *testing.T) {
	deny := []string{"Meta", "Ruby", "Max"}
	for _, c := range []struct{ name, file, text string }{
		{"bare element", "note.txt", "Contract signed with <Meta> last week."},
		{"code span", "note.md", "Ask `<Ruby>` about the contract."},
		{"upper case pair", "note.txt", "<RUBY>hello</RUBY>"},
		{"mixed case with attribute", "note.txt", `<MeTa name="x">`},
		{"attribute names", "note.txt", "<b Ruby Max>: ok"},
		{"element with id", "note.txt", `Client <Max id="7">`},
		{"element with id md", "note.md", `Client <Max id="7"> paid.`},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := t.TempDir()
			if err := os.WriteFile(filepath.Join(src, c.file), []byte(c.text+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			out, rep, _, totals := runFolder(t, "court", src, pipeline.Options{DenyList: deny, NoNER: true})
			b, err := os.ReadFile(filepath.Join(out, c.file))
			if err != nil {
				if totals.NotWritten() == 0 {
					t.Fatalf("no output and nothing refused: %v\n%s", err, rep["report.md"])
				}
				return
			}
			low := strings.ToLower(string(b))
			for _, d := range deny {
				if strings.Contains(low, strings.ToLower(d)) {
					t.Errorf("written (%+v) with %q:\n%s\n%s", totals, d, b, rep["report.md"])
				}
			}
		})
	}
}

// An aria- attribute whose name holds a deny-listed term (no WAI-ARIA
// name): redacted, or refused as uninspectable by the redactor, not left
// for verify to fail on.
func TestRevsecAriaName(t *testing.T) {
	for _, file := range []string{"note.md", "note.txt"} {
		t.Run(file, func(t *testing.T) {
			src := t.TempDir()
			if err := os.WriteFile(filepath.Join(src, file), []byte(`<span aria-quillanby="x">seen</span> and <i>y</i>`+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			out, rep, _, totals := runFolder(t, "court", src, pipeline.Options{DenyList: []string{"Quillanby"}, NoNER: true})
			if totals.Reasons["verify_failed"] != 0 {
				t.Errorf("verify failed, the redactor let it through: %+v\n%s", totals, rep["report.md"])
			}
			b, err := os.ReadFile(filepath.Join(out, file))
			if err != nil {
				if totals.NotWritten() == 0 {
					t.Fatalf("no output and nothing refused: %v\n%s", err, rep["report.md"])
				}
				return
			}
			if strings.Contains(strings.ToLower(string(b)), "quillanby") {
				t.Errorf("written (%+v) with the term:\n%s", totals, b)
			}
		})
	}
}
