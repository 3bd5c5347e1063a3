package pipeline_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/text"
)

// runInOrder redacts files (key, text) with one engine in the order given,
// gathering the case first when gather is set, and returns the outputs
// by key.
func runInOrder(t *testing.T, profile string, files [][2]string, gather bool) map[string]string {
	t.Helper()
	p, err := profiles.Load(profile)
	if err != nil {
		t.Fatal(err)
	}
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if gather {
		for _, f := range files {
			e.Gather(e.Analyze(ctx, f[0], []byte(f[1])))
		}
		e.Settle()
	}
	out := map[string]string{}
	for _, f := range files {
		d := e.Analyze(ctx, f[0], []byte(f[1]))
		e.Plan(d)
		b, rec := e.Apply(ctx, d)
		if rec.Status != "redacted" && rec.Status != "unchanged" {
			t.Fatalf("%s: %s (%s %s)", f[0], rec.Status, rec.Reason, rec.Detail)
		}
		out[f[0]] = string(b)
	}
	return out
}

// Order decided the law: a deposition naming a child, processed before the
// letter that shows she is a minor, kept her name. With the case gathered
// first, both orders give the same outputs: the child's initials
// everywhere, her adult father's name kept.
func TestGatherMakesOrderIrrelevant(t *testing.T) {
	letter := [2]string{"letter.txt", "Dear counsel,\n\nLily Dunmore is a minor, aged 12. Her father Gregory Dunmore asked us to write.\n"}
	depo := [2]string{"deposition.txt", "Deposition of Gregory Dunmore.\n\nQ. Was Lily Dunmore at home that evening?\nA. Lily Dunmore was asleep.\n"}
	ab := runInOrder(t, "court", [][2]string{letter, depo}, true)
	ba := runInOrder(t, "court", [][2]string{depo, letter}, true)
	for _, k := range []string{letter[0], depo[0]} {
		if ab[k] != ba[k] {
			t.Errorf("%s differs with the order:\n%s\n---\n%s", k, ab[k], ba[k])
		}
		if strings.Contains(ab[k], "Lily") {
			t.Errorf("%s: the minor's name is left:\n%s", k, ab[k])
		}
		if !strings.Contains(ab[k], "Gregory Dunmore") {
			t.Errorf("%s: the adult father lost his name:\n%s", k, ab[k])
		}
	}
	// Without the first pass the order decides (the bug this fixes).
	ab = runInOrder(t, "court", [][2]string{letter, depo}, false)
	ba = runInOrder(t, "court", [][2]string{depo, letter}, false)
	if ab[depo[0]] == ba[depo[0]] {
		t.Errorf("without gathering the deposition is the same in both orders: the test no longer shows the order problem\n%s", ab[depo[0]])
	}
}

// rowsFormat reads lines "Label | value" as parts whose Field is the label,
// as a form or a two-column table gives them.
type rowsFormat struct{}

func (rowsFormat) Name() string         { return "rows" }
func (rowsFormat) Extensions() []string { return []string{".rows"} }
func (rowsFormat) Parse(data []byte) (redactors.Document, error) {
	d := &rowsDoc{}
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		label, value, _ := strings.Cut(line, " | ")
		d.parts = append(d.parts, redactors.Part{Name: fmt.Sprintf("row %d", i+1), Field: label, Text: value})
	}
	return d, nil
}

type rowsDoc struct{ parts []redactors.Part }

func (d *rowsDoc) Parts() []redactors.Part { return d.parts }
func (d *rowsDoc) Redact(w io.Writer, edits []redactors.Edit) error {
	texts := make([]string, len(d.parts))
	for i, p := range d.parts {
		texts[i] = p.Text
	}
	for k := len(edits) - 1; k >= 0; k-- {
		ed := edits[k]
		texts[ed.Part] = texts[ed.Part][:ed.Start] + ed.Replacement + texts[ed.Part][ed.End:]
	}
	for i, p := range d.parts {
		if _, err := fmt.Fprintf(w, "%s | %s\n", p.Field, texts[i]); err != nil {
			return err
		}
	}
	return nil
}

// The client's role comes from a form field labelled "Client"; gathered
// first, she is "Client A" in a note processed before the form too.
func TestClientFromFieldLabel(t *testing.T) {
	p, err := profiles.Load("supervision")
	if err != nil {
		t.Fatal(err)
	}
	note := [2]string{"a-note.txt", "Corinne Dunmore was tearful today. Ms. Dunmore slept badly.\n"}
	form := [2]string{"b-intake.rows", "Client | Corinne Dunmore\nTherapist | Walter Brennan\n"}
	for _, order := range [][][2]string{{note, form}, {form, note}} {
		e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, Formats: redactors.NewRegistry(text.Plain(), rowsFormat{})})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		for _, f := range order {
			e.Gather(e.Analyze(ctx, f[0], []byte(f[1])))
		}
		e.Settle()
		for _, f := range order {
			d := e.Analyze(ctx, f[0], []byte(f[1]))
			e.Plan(d)
			out, rec := e.Apply(ctx, d)
			if rec.Status != "redacted" {
				t.Fatalf("%s: %s (%s %s)", f[0], rec.Status, rec.Reason, rec.Detail)
			}
			got := string(out)
			if strings.Contains(got, "Dunmore") || strings.Count(got, "Client A") != strings.Count(f[1], "Dunmore") {
				t.Errorf("%s first: %s:\n%s", order[0][0], f[0], got)
			}
		}
	}
}

// Run with CaseFirst gives each file the same output whichever of two
// files comes first in key order.
func TestRunCaseFirstOrder(t *testing.T) {
	letter := "Dear counsel,\n\nLily Dunmore is a minor, aged 12. Her father Gregory Dunmore asked us to write.\n"
	depo := "Deposition of Gregory Dunmore.\n\nQ. Was Lily Dunmore at home that evening?\nA. Lily Dunmore was asleep.\n"
	p, err := profiles.Load("court")
	if err != nil {
		t.Fatal(err)
	}
	run := func(names [2]string) map[string]string {
		src, out := t.TempDir(), t.TempDir()
		for i, body := range []string{letter, depo} {
			if err := os.WriteFile(filepath.Join(src, names[i]), []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		source, _ := storage.NewLocal(src)
		sink, _ := storage.NewLocal(out)
		rb, err := report.NewBuilder()
		if err != nil {
			t.Fatal(err)
		}
		defer rb.Close()
		if err := pipeline.Run(context.Background(), pipeline.RunConfig{Engine: e, Source: source, Sink: sink, Report: rb, Workers: 2}); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for i, kind := range []string{"letter", "depo"} {
			b, err := os.ReadFile(filepath.Join(out, names[i]))
			if err != nil {
				t.Fatal(err)
			}
			got[kind] = string(b)
		}
		return got
	}
	first := run([2]string{"1-letter.txt", "2-depo.txt"})
	second := run([2]string{"2-letter.txt", "1-depo.txt"})
	for _, kind := range []string{"letter", "depo"} {
		if first[kind] != second[kind] {
			t.Errorf("%s differs with the order:\n%s\n---\n%s", kind, first[kind], second[kind])
		}
		if strings.Contains(first[kind], "Lily") || !strings.Contains(first[kind], "Gregory Dunmore") {
			t.Errorf("%s:\n%s", kind, first[kind])
		}
	}
}
