package email_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/docx"
	"github.com/veilhq/veil/redactors/email"
	"github.com/veilhq/veil/redactors/pdf"
	"github.com/veilhq/veil/redactors/text"
)

// registry holds Veil's formats, the email formats included, as the
// pipeline builds it.
func registry(o email.Options) *redactors.Registry {
	base := []redactors.Format{text.Plain(), text.Markdown(), pdf.New(), docx.New(docx.Options{}), docx.MacroEnabled()}
	return redactors.NewRegistry(append(base, email.Formats(redactors.NewRegistry(base...), o)...)...)
}

func format(t testing.TB, ext string, o email.Options) redactors.Format {
	t.Helper()
	f, ok := registry(o).ForKey("x" + ext)
	if !ok {
		t.Fatalf("no format for %s", ext)
	}
	return f
}

// findEdits replaces every occurrence of every secret in every part, as
// the pipeline does with what its detectors find. Overlapping matches keep
// the longest.
func findEdits(parts []redactors.Part, secrets []string, repl string) []redactors.Edit {
	var out []redactors.Edit
	byLen := append([]string(nil), secrets...)
	sort.Slice(byLen, func(a, b int) bool { return len(byLen[a]) > len(byLen[b]) })
	for i, p := range parts {
		taken := make([]bool, len(p.Text)+1)
		var es []redactors.Edit
		for _, s := range byLen {
			for off := 0; ; {
				k := strings.Index(p.Text[off:], s)
				if k < 0 {
					break
				}
				a, b := off+k, off+k+len(s)
				free := true
				for j := a; j < b; j++ {
					if taken[j] {
						free = false
						break
					}
				}
				if free {
					for j := a; j < b; j++ {
						taken[j] = true
					}
					es = append(es, redactors.Edit{Part: i, Start: a, End: b, Replacement: repl})
				}
				off = b
			}
		}
		sort.Slice(es, func(a, b int) bool { return es[a].Start < es[b].Start })
		out = append(out, es...)
	}
	return out
}

// redactAll parses data, redacts every secret and returns the output.
func redactAll(t testing.TB, f redactors.Format, data []byte) (redactors.Document, []byte) {
	t.Helper()
	doc, err := f.Parse(data)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	var buf bytes.Buffer
	if err := doc.Redact(&buf, findEdits(doc.Parts(), secrets, "[REDACTED]")); err != nil {
		t.Fatalf("redact: %v", err)
	}
	return doc, buf.Bytes()
}

// tool returns the path of a command a test needs; under CI=true a missing
// tool fails the test, elsewhere it skips it.
func tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required under CI", name)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

type verdict struct {
	Leaks []struct {
		Place  string `json:"place"`
		Secret int    `json:"secret"`
	} `json:"leaks"`
	Defects []string `json:"defects"`
	Census  struct {
		Messages    int      `json:"messages"`
		Parts       int      `json:"parts"`
		Attachments []string `json:"attachments"`
		Headers     int      `json:"headers"`
	} `json:"census"`
}

// judge runs testdata/judge.py (Python's email package) on data.
func judge(t testing.TB, data []byte, kind string) verdict {
	t.Helper()
	return judgeAll(t, []judged{{data, kind}})[0]
}

type judged struct {
	data []byte
	kind string // eml or mbox
}

// judgeAll runs the judge once over several files (Python starts slowly
// on a loaded machine).
func judgeAll(t testing.TB, files []judged) []verdict {
	t.Helper()
	py := tool(t, "python3")
	tool(t, "pdftotext")
	dir := t.TempDir()
	sec := filepath.Join(dir, "secrets.json")
	js, _ := json.Marshal(secrets)
	if err := os.WriteFile(sec, js, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"testdata/judge.py", sec}
	for i, f := range files {
		in := filepath.Join(dir, fmt.Sprintf("%d.%s", i, f.kind))
		if err := os.WriteFile(in, f.data, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, f.kind+":"+in)
	}
	cmd := exec.Command(py, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("judge: %v\n%s", err, stderr.String())
	}
	var v []verdict
	if err := json.Unmarshal(out, &v); err != nil || len(v) != len(files) {
		t.Fatalf("judge output: %v", err)
	}
	return v
}

func leakList(v verdict) []string {
	var out []string
	for _, l := range v.Leaks {
		out = append(out, l.Place+" <- "+secrets[l.Secret])
	}
	return out
}

var update = flag.Bool("update", false, "write the fixtures and their outputs to testdata/")

func writeFixture(t testing.TB, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join("testdata", name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}
